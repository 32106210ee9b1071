// KBO changes that matter to a partnership: what the sync detects when it applies an Update extract, and the
// decisions a partnership can take on them. Pure; no AWS imports.
import { kboDigits } from './identifiers.ts';
import { juridicalSituationClass, type Address, type JuridicalSituationClass } from './kbo.ts';
import type { TaskType } from './tasks.ts';

export const changeKinds = ['addressChanged', 'addressStruckOff', 'stopped', 'nameChanged', 'movedToEnterprise'] as const;
export type ChangeKind = (typeof changeKinds)[number];

export const changeStatuses = ['open', 'decided'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];

export const decisions = ['keep', 'revoke'] as const;
export type Decision = (typeof decisions)[number];

/** What the sync knows of an enterprise or establishment before or after an extract. */
export type EntityState = {
  kind: 'enterprise' | 'establishment';
  /** Formatted number (`0412.345.614` / `2.123.456.791`). */
  number: string;
  /** The enterprise itself, or the establishment's enterprise. */
  enterpriseNumber: string;
  status: 'active' | 'stopped';
  /** REGO for an enterprise, BAET for an establishment. */
  address: Address | null;
  name: string | null;
  juridicalSituation: string | null;
};

/** One detected change of one entity, before routing to partnerships. */
export type DetectedChange = {
  kind: ChangeKind;
  entity: { kind: 'enterprise' | 'establishment'; number: string };
  enterpriseNumber: string;
  oldAddress: Address | null;
  newAddress: Address | null;
  oldName: string | null;
  newName: string | null;
  /** movedToEnterprise: the enterprise the establishment now belongs to. */
  newEnterpriseNumber: string | null;
  /**
   * stopped: Open Data gives no reason for a disappearance; the last juridical situation is the only hint. For
   * an enterprise still listed, it is the situation that ended its activity (bankruptcy, liquidation).
   */
  lastJuridicalSituation: string | null;
};

/** The active recognitions of one partnership on the changed entity, when the change was detected. */
export type AffectedRecognition = { id: string; establishmentNumber: string; programmeId: string };

export type ChangeDecision = { decision: Decision; reasons: string; by: string; at: string };

/** A detected change as one partnership reviews it: one record per change and partnership concerned. */
export type KboChange = DetectedChange & {
  id: string;
  extractNumber: number;
  snapshotDate: string;
  fileName: string;
  slice: number;
  partnershipId: string;
  recognitions: AffectedRecognition[];
  status: ChangeStatus;
  decision: ChangeDecision | null;
  detectedAt: string;
  version: number;
};

const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/**
 * Whether two addresses differ in a way a person would notice (case and blanks ignored; a strike-off and the
 * extra information count; an address stored before the extra information was kept lacks it: none).
 */
export function addressDiffers(a: Address | null, b: Address | null): boolean {
  if (!a || !b) return a !== b;
  return (['street', 'houseNumber', 'box', 'postcode', 'municipality', 'country', 'extraAddressInfo', 'struckOffOn'] as const).some(
    (field) => !sameText(a[field], b[field]),
  );
}

/**
 * The changes between what we had and what the extract says. `before` undefined: an entity we did not know
 * (nothing to report); `after` undefined: the entity left KBO (Open Data lists active entities only).
 * An entity that was already stopped reports nothing again, so applying a file twice detects nothing new.
 */
export function detectChanges(before: EntityState | undefined, after: EntityState | undefined): DetectedChange[] {
  if (!before || before.status === 'stopped') return [];
  const base = {
    entity: { kind: before.kind, number: before.number },
    enterpriseNumber: before.enterpriseNumber,
    oldAddress: before.address,
    newAddress: after?.address ?? null,
    oldName: before.name,
    newName: after?.name ?? null,
    newEnterpriseNumber: null,
    lastJuridicalSituation: before.juridicalSituation,
  };
  if (!after || after.status === 'stopped') return [{ ...base, kind: 'stopped', newAddress: null, newName: null }];
  const changes: DetectedChange[] = [];
  // Still listed, but bankrupt or in liquidation from now on: a stop, once, with the situation that ended it.
  if (endsActivity(after.juridicalSituation) && !endsActivity(before.juridicalSituation)) {
    changes.push({ ...base, kind: 'stopped', newAddress: null, newName: null, lastJuridicalSituation: after.juridicalSituation });
  }
  if (before.kind === 'establishment' && after.enterpriseNumber !== before.enterpriseNumber) {
    changes.push({ ...base, kind: 'movedToEnterprise', newEnterpriseNumber: after.enterpriseNumber });
  }
  // An address deleted without a new one is no move: KBO re-states it in the same file, or the entity stops.
  // A strike-off (KBO re-inserts the address with DateStrikingOff, often ex officio) is its own kind: the
  // entity is no longer reachable there, which is another question for the partnership than a move.
  if (after.address && addressDiffers(before.address, after.address)) {
    const struckOff = after.address.struckOffOn !== null && !before.address?.struckOffOn;
    changes.push({ ...base, kind: struckOff ? 'addressStruckOff' : 'addressChanged' });
  }
  if (after.name && before.name && !sameText(before.name, after.name)) changes.push({ ...base, kind: 'nameChanged' });
  return changes;
}

/**
 * The change record's id: the same extract, entity, kind and partnership always give the same id, so a
 * re-run of a file (or of a slice after a crash) creates nothing new.
 */
export const changeId = (extractNumber: number, change: Pick<DetectedChange, 'kind' | 'entity'>, partnershipId: string) =>
  `K${String(extractNumber).padStart(6, '0')}-${kboDigits(change.entity.number)}-${change.kind}-${partnershipId}`;

/** Where a change was found: the extract, its file and the slice, and when. */
export type ChangeSource = Pick<KboChange, 'extractNumber' | 'snapshotDate' | 'fileName' | 'slice' | 'detectedAt'>;

/** A detected change and the establishments it concerns (an enterprise's change concerns all of them). */
export type RoutedChange = { change: DetectedChange; establishments: string[] };

/**
 * The change records: one per change and partnership with active recognitions on the establishments the change
 * concerns. A change on establishments without any is only counted: nobody needs to decide on it.
 */
export function changeRecords(
  routed: readonly RoutedChange[],
  activeRecognitionsOn: (establishmentDigits: string) => readonly (AffectedRecognition & { partnershipId: string })[],
  source: ChangeSource,
): { records: KboChange[]; withoutRecognitions: number } {
  const records = new Map<string, KboChange>();
  let withoutRecognitions = 0;
  for (const { change, establishments } of routed) {
    const byPartnership = new Map<string, AffectedRecognition[]>();
    for (const digits of establishments) {
      for (const { partnershipId, ...recognition } of activeRecognitionsOn(digits)) {
        byPartnership.set(partnershipId, [...(byPartnership.get(partnershipId) ?? []), recognition]);
      }
    }
    if (byPartnership.size === 0) withoutRecognitions += 1;
    for (const [partnershipId, recognitions] of byPartnership) {
      const id = changeId(source.extractNumber, change, partnershipId);
      records.set(id, { ...change, ...source, id, partnershipId, recognitions, status: 'open', decision: null, version: 1 });
    }
  }
  return { records: [...records.values()], withoutRecognitions };
}

export const changeIdPattern = /^K\d{6}-\d{10}-(addressChanged|addressStruckOff|stopped|nameChanged|movedToEnterprise)-[a-z0-9-]{1,64}$/;

/** Which dashboard task a change becomes for the partnership, and what it may decide. */
export function partnershipTask(kind: ChangeKind): { type: TaskType; title: string; decisions: Decision[] } {
  switch (kind) {
    case 'addressChanged':
      return { type: 'processAddressChange', title: 'Adreswijziging vestiging verwerken', decisions: ['keep', 'revoke'] };
    case 'addressStruckOff':
      // Struck off (often ex officio): the partnership checks whether the workplace is still there, keeps or revokes.
      return { type: 'processAddressStrikeOff', title: 'Adres doorgehaald', decisions: ['keep', 'revoke'] };
    case 'stopped':
      return { type: 'processStop', title: 'Stopzetting verwerken', decisions: ['revoke', 'keep'] };
    case 'movedToEnterprise':
      // A transfer to another enterprise: the partnership keeps the recognition (a takeover) or revokes it.
      return { type: 'processTransfer', title: 'Overdracht vestiging verwerken', decisions: ['keep', 'revoke'] };
    case 'nameChanged':
      // A new name needs no new decision on the workplace, only an acknowledgement; it updates the search listing.
      return { type: 'processNameChange', title: 'Naamswijziging verwerken', decisions: ['keep'] };
  }
}

/** The decisions the partnership may still take on a change: none once decided. */
export const allowedDecisions = (change: Pick<KboChange, 'kind' | 'status'>): Decision[] =>
  change.status === 'open' ? partnershipTask(change.kind).decisions : [];

export type DecisionRefusal = 'decided-otherwise' | 'version-conflict' | 'decision-not-allowed';

/**
 * Whether the partnership's decision is taken now (`decide`), was taken already (`repeat`: a retry of the same
 * decision is answered as the first time), or is refused: another decision was taken, the change is not at the
 * version the caller read (If-Match), or this kind of change does not offer that decision.
 */
export function decisionStep(
  change: Pick<KboChange, 'kind' | 'status' | 'decision' | 'version'>,
  decision: Decision,
  ifMatch: number,
): 'decide' | 'repeat' | DecisionRefusal {
  if (change.status === 'decided') return change.decision?.decision === decision ? 'repeat' : 'decided-otherwise';
  if (ifMatch !== change.version) return 'version-conflict';
  if (!partnershipTask(change.kind).decisions.includes(decision)) return 'decision-not-allowed';
  return 'decide';
}

/**
 * Juridical situations in which an enterprise that stays in KBO (Open Data lists it as active) no longer counts
 * as an active workplace: dissolution or liquidation, an opened bankruptcy, or a terminal situation. A
 * moratorium or judicial reorganisation does not: the enterprise goes on working.
 */
const inactiveSituations: readonly JuridicalSituationClass[] = ['dissolvedOrLiquidation', 'bankruptcy', 'closed'];

/** Whether a juridical situation ends an enterprise's activity (see inactiveSituations). */
export function endsActivity(juridicalSituation: string | null): boolean {
  return inactiveSituations.includes(juridicalSituationClass(juridicalSituation));
}

const situationWords: Partial<Record<JuridicalSituationClass, string>> = {
  dissolvedOrLiquidation: 'ontbinding of vereffening',
  bankruptcy: 'faillissement',
  closed: 'afgesloten',
};

/** Dutch one-line description, for task labels and the e-mail to the enterprise. */
export function describeChange(
  change: Pick<DetectedChange, 'kind' | 'entity' | 'newEnterpriseNumber'> & Partial<Pick<DetectedChange, 'lastJuridicalSituation'>>,
): string {
  const what = change.entity.kind === 'enterprise' ? `onderneming ${change.entity.number}` : `vestiging ${change.entity.number}`;
  switch (change.kind) {
    case 'addressChanged':
      return `Adreswijziging ${what}`;
    case 'addressStruckOff':
      return `Adres doorgehaald ${what}`;
    case 'stopped': {
      const reason = situationWords[juridicalSituationClass(change.lastJuridicalSituation)];
      return `Stopzetting ${what}${reason ? ` (${reason})` : ''}`;
    }
    case 'nameChanged':
      return `Naamswijziging ${what}`;
    case 'movedToEnterprise':
      return `Overdracht ${what} naar onderneming ${change.newEnterpriseNumber ?? 'onbekend'}`;
  }
}

export const formatAddress = (a: Address | null): string =>
  a
    ? [[a.street, a.houseNumber].filter(Boolean).join(' ') + (a.box ? ` bus ${a.box}` : ''), [a.postcode, a.municipality].filter(Boolean).join(' '), a.country]
        .filter((s) => s?.trim())
        .join(', ')
    : 'onbekend';

/** What a decision does to one active recognition. */
export type RecognitionEffect =
  | { action: 'revoke' }
  | { action: 'moveWorkplace'; postcode: string | null; municipality: string | null }
  | { action: 'rename'; name: string }
  | { action: 'none' };

export function decisionEffect(change: Pick<DetectedChange, 'kind' | 'entity' | 'newAddress' | 'newName'>, decision: Decision): RecognitionEffect {
  if (decision === 'revoke') return { action: 'revoke' };
  if (change.kind === 'addressChanged' && change.entity.kind === 'establishment' && change.newAddress) {
    return { action: 'moveWorkplace', postcode: change.newAddress.postcode, municipality: change.newAddress.municipality };
  }
  if (change.kind === 'nameChanged' && change.newName) return { action: 'rename', name: change.newName };
  return { action: 'none' };
}

/**
 * Slices of an Update: entities are spread over slices by number, so each slice is a bounded share of the
 * file and fits one Lambda invocation; a slice is applied as a whole or again.
 */
export const sliceOf = (entityDigits: string, sliceCount: number) => Number(entityDigits) % sliceCount;

/** What the sync counted, per slice and summed per file on its checkpoint. */
export type SyncCounts = {
  /** Rows read from the delta files this slice looked at (its own entities only). */
  rows: number;
  /** Known entities whose rows were applied. */
  entitiesApplied: number;
  /** Rows of entities the table does not know (new or never imported), skipped. */
  unknownEntities: number;
  itemsWritten: number;
  /** Items the delta rows restate exactly as stored (apart from the extract number): not written again. */
  itemsUnchanged: number;
  changes: number;
  /** Changes on entities without active recognitions: nobody needs to decide. */
  changesWithoutRecognitions: number;
  invalidRows: number;
  /**
   * Rows that repeat an earlier row of the same entity and item (real files have them): the last one wins. A
   * repeated key in a delete file counts too.
   */
  duplicateRows: number;
};

export const emptyCounts = (): SyncCounts => ({
  rows: 0,
  entitiesApplied: 0,
  unknownEntities: 0,
  itemsWritten: 0,
  itemsUnchanged: 0,
  changes: 0,
  changesWithoutRecognitions: 0,
  invalidRows: 0,
  duplicateRows: 0,
});

/** Field by field; a checkpoint stored before a count existed counts it from zero. */
export const addCounts = (a: Partial<SyncCounts>, b: Partial<SyncCounts>): SyncCounts =>
  Object.fromEntries(Object.keys(emptyCounts()).map((k) => [k, (a[k as keyof SyncCounts] ?? 0) + (b[k as keyof SyncCounts] ?? 0)])) as SyncCounts;

export function sliceCountFor(uncompressedBytes: number, bytesPerSlice: number): number {
  return Math.max(1, Math.ceil(uncompressedBytes / bytesPerSlice));
}

export type PendingFile = { key: string; extractNumber: number };

/**
 * Which inbox files a run applies: Updates after the last applied extract, in extract-number order. A missing
 * number stops the run (a later Update is a diff against a base we do not have); a file already applied is left.
 */
export function planRun(
  files: readonly PendingFile[],
  lastApplied: number | undefined,
): { files: PendingFile[]; gap: { expected: number; found: number } | null } {
  if (lastApplied === undefined) {
    const first = [...files].sort((a, b) => a.extractNumber - b.extractNumber)[0];
    return { files: [], gap: first ? { expected: 1, found: first.extractNumber } : null };
  }
  const byNumber = new Map<number, PendingFile>();
  for (const file of files) if (file.extractNumber > lastApplied && !byNumber.has(file.extractNumber)) byNumber.set(file.extractNumber, file);
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  const run: PendingFile[] = [];
  let expected = lastApplied + 1;
  for (const n of numbers) {
    if (n !== expected) return { files: run, gap: { expected, found: n } };
    run.push(byNumber.get(n)!);
    expected += 1;
  }
  return { files: run, gap: null };
}

/**
 * The Cause of a gap (the execution's, the alarm's log line): the last applied extract, the missing numbers and
 * the first file that waits for them, and what ops can do.
 */
export function describeGap(gap: { expected: number; found: number }, lastApplied: number | undefined, firstWaiting: string): string {
  if (lastApplied === undefined) {
    return `No KBO extract is applied yet (last applied extract: none; first waiting file: ${firstWaiting}): import a Full extract first; the sync applies the Updates after it.`;
  }
  const numbers = Array.from({ length: gap.found - gap.expected }, (_, i) => gap.expected + i);
  const missing = numbers.length <= 10 ? numbers.join(', ') : `${gap.expected} to ${gap.found - 1} (${numbers.length} extracts)`;
  return (
    `KBO Update extracts are missing from the inbox (last applied extract: ${lastApplied}; missing: ${missing}; first waiting file: ${firstWaiting}). ` +
    `Later Updates are not applied on an old base: drop the missing Updates into the inbox, or import a Full extract numbered ${gap.found - 1} or higher, and start the sync again.`
  );
}

/**
 * What to do with a Full extract numbered `full` on a table whose last applied extract is `lastApplied`. An
 * empty table loads it. A newer Full reconciles (functions/kbo-import/reconcile.ts: the difference is applied as
 * an Update would be, with its change records). A Full N contains Update N, so after it the next Update is N+1
 * (planRun). A Full not newer than what the table has would put older data under a newer extract number:
 * refused, unless `force` (a deliberate rebuild: the extracts after it are forgotten, so the sync applies them
 * again).
 */
export function fullImportStep(
  full: number,
  lastApplied: number | undefined,
  force: boolean,
): { step: 'load' | 'reconcile' | 'refuse'; message: string | null } {
  if (lastApplied === undefined) return { step: 'load', message: null };
  if (full <= lastApplied) {
    const what = `Full extract ${full} is not newer than the last applied extract ${lastApplied}`;
    if (!force) return { step: 'refuse', message: `${what}: not imported (a rebuild on purpose needs --force).` };
    const again = full + 1 === lastApplied ? `${lastApplied}` : `${full + 1} to ${lastApplied}`;
    return { step: 'load', message: `${what}: rebuilt on request (--force); the Updates after it (${again} applied again) come from the inbox.` };
  }
  return { step: 'reconcile', message: null };
}
