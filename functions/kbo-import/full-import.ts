// Imports a KBO Open Data Full extract: enterprises, establishments, names and addresses. Activity, contact
// and branches are not needed and are not read. One item per KBO entity (shared/data/kbo.ts): an entity's item
// holds its record, names and addresses, so its rows are gathered before it is written. The four members are
// streamed in passes of one slice of entities each (sliceOf, by the entity's number): a pass gathers its slice's
// entities and writes them in overlapping BatchWrite requests, so memory holds one slice's entities and the sets
// of enterprise numbers and establishment -> enterprise (numbers, not strings: ~1.9 M and ~1.7 M entries in a
// real extract). A Full small enough for one slice is read once.
//
// Idempotent: every item's key and value derive from its rows and the extract number alone (no timestamps),
// so running the import twice leaves the same table; the extract record keeps its first importedAt.
// It fills an empty table (or rebuilds one on purpose, forced); the sync applies the Updates after it (Full N
// contains Update N: the next one is N+1). A Full newer than the table's extract is reconciled instead
// (reconcile.ts: what left KBO is stopped, with change records); one not newer is refused (fullImportStep).
// importOrReconcile picks the one fullImportStep says.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, type RowIssue } from '../../shared/adapters/kbo/extract.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import {
  toAddressRecord,
  toEnterpriseRecord,
  toEstablishmentRecord,
  type AddressRow,
  type DenominationRow,
  type EnterpriseRecord,
  type EntityRef,
  type EstablishmentRecord,
} from '../../shared/domain/kbo.ts';
import { fullImportStep, sliceCountFor, sliceOf } from '../../shared/domain/kbo-changes.ts';
import { fullReport, type KboFileReport, type RejectedRow } from '../../shared/domain/kbo-report.ts';
import { putReport } from '../../shared/data/kbo-reports.ts';
import { establishmentLinks } from './full-parts.ts';
import { reconcileFullExtract, type ReconcileOptions, type ReconcileResult } from './reconcile.ts';
import {
  BatchWriter,
  enterpriseItem,
  establishmentItem,
  forgetExtractsAfter,
  getLatestExtract,
  recordExtract,
  type BatchWriterOptions,
  type EntityAddress,
  type EntityName,
} from '../../shared/data/kbo.ts';

export type ImportCounts = {
  /** Entities written (one item each), and the names and addresses they hold. */
  enterprises: number;
  establishments: number;
  names: number;
  addresses: number;
  /**
   * Rows that repeat an earlier row of the same entity and item (real files have them): written again, so the
   * last one wins, and not counted as an item above. Found among an entity's consecutive rows (KBO lists an
   * entity's rows together), and for enterprises and establishments anywhere in the file.
   */
  duplicateRows: number;
  /** Rows read but not written, and why. */
  skipped: {
    /** Names and addresses of branches (their Id is not an enterprise or establishment). */
    branchRows: number;
    /** Establishments of an enterprise the extract lacks, and names and addresses of entities it lacks. */
    unknownEntity: number;
    /** Rows with a bad number, a missing key or an impossible date. */
    invalid: number;
  };
};

export type ImportProgress = {
  /** The member being read, `done` at the end. */
  file: string;
  /** Rows read from this member so far. */
  fileRows: number;
  /** Rows read from all members so far. */
  totalRows: number;
  rowsPerSecond: number;
  /** Uncompressed bytes read and the total of the four members, for a percentage. */
  bytesRead: number;
  totalBytes: number;
  /** Items DynamoDB has accepted so far, and items held in memory waiting for it (bounded by the writer). */
  itemsWritten: number;
  itemsPending: number;
};

export type ImportOptions = {
  onProgress?: (progress: ImportProgress) => void;
  /** Called for each unusable row (also counted in skipped.invalid). */
  onInvalidRow?: (issue: RowIssue) => void;
  writer?: BatchWriterOptions;
  /**
   * Uncompressed bytes of the four members per pass (default 512 MiB): memory holds one pass's entities (about a
   * third of their bytes as items); a larger Full is read in several passes.
   */
  sliceBytes?: number;
  /** Import a Full that is not newer than the last applied extract: a deliberate rebuild (see fullImportStep). */
  force?: boolean;
  /** Called with what the import cannot do right (fullImportStep's message) before it writes. */
  onWarning?: (message: string) => void;
  /** Called with the file's report once it is stored, and where (`s3://…`). */
  onReport?: (report: KboFileReport, location: string) => void;
};

/** A Full not newer than the last applied extract, without force: nothing is written. */
export class FullNotNewer extends Error {
  override name = 'FullNotNewer';
}

const members = ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv'];
const progressEveryMs = 250;

export async function importFullExtract(deps: Dependencies, zip: string | ZipSource, options: ImportOptions = {}): Promise<ImportCounts> {
  const extract = await KboExtract.open(zip);
  try {
    const meta = await extract.meta();
    if (meta.extractType !== 'full') throw new Error(`${extract.fileName} is an ${meta.extractType} extract; the full import needs a Full extract`);
    const latest = await getLatestExtract(deps);
    const step = fullImportStep(meta.extractNumber, latest?.extractNumber, options.force ?? false);
    if (step.step === 'refuse') throw new FullNotNewer(`${extract.fileName}: ${step.message}`);
    if (step.step === 'reconcile')
      throw new Error(`${extract.fileName}: the table holds extract ${latest!.extractNumber}; a newer Full is reconciled (importOrReconcile), not loaded`);
    // Every member the format defines, with its header, before anything is written; a broken record further
    // on fails the import there (a Full is too big for a first pass; the import is idempotent, run it again).
    await extract.checkFormat('full');

    if (step.message) options.onWarning?.(step.message);
    // A rebuild from an older Full: the extracts after it are applied again by the sync.
    if (latest && meta.extractNumber <= latest.extractNumber) await forgetExtractsAfter(deps, meta.extractNumber);
    const { counts, rowsPerMember, rejectedRows } = await applyFullRows(deps, extract, meta.extractNumber, options);
    const { extractNumber, snapshotDate, extractTimestamp } = meta;
    const header = { fileName: extract.fileName, extractNumber, extractType: 'full' as const, snapshotDate, appliedAt: deps.clock.now().toISOString(), counts };
    const figures = {
      rowsPerMember,
      rejectedRows,
      duplicateRows: counts.duplicateRows,
      unknownEntities: counts.skipped.unknownEntity,
    };
    const report = fullReport(header, figures);
    const location = await putReport(deps, report);
    await recordExtract(deps, { extractNumber, type: 'full', snapshotDate, extractTimestamp, fileName: extract.fileName, counts });
    options.onReport?.(report, location);
    return counts;
  } finally {
    extract.close();
  }
}

export type AppliedRows = { counts: ImportCounts; rowsPerMember: Record<string, number>; rejectedRows: RejectedRow[] };

/**
 * Writes the items of a Full's rows: the whole Full (importFullExtract), or one part of it (the kbo-full-import
 * state machine's workers, full-import-tasks.ts), whose establishments may belong to enterprises of other parts:
 * `enterprisesElsewhere` are those of the Full, so their establishments are written, not skipped as unknown.
 */
export async function applyFullRows(
  deps: Dependencies,
  extract: KboExtract,
  extractNumber: number,
  options: ImportOptions & { enterprisesElsewhere?: ReadonlySet<number> } = {},
): Promise<AppliedRows> {
  const counts: ImportCounts = {
    enterprises: 0,
    establishments: 0,
    names: 0,
    addresses: 0,
    duplicateRows: 0,
    skipped: { branchRows: 0, unknownEntity: 0, invalid: 0 },
  };
  const writer = new BatchWriter(deps, options.writer);
  const rejectedRows: RejectedRow[] = [];
  const bytes = members.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
  const sliceCount = sliceCountFor(bytes, options.sliceBytes ?? 512 * 1024 * 1024);
  const progress = new Progress(extract, writer, options.onProgress);
  const known: KnownNumbers = { enterprises: new Set(options.enterprisesElsewhere ?? []), enterpriseOf: new Map() };
  for (let slice = 0; slice < sliceCount; slice++) {
    const run: ImportRun = {
      extract,
      extractNumber,
      counts,
      progress,
      slice,
      sliceCount,
      readOptions: {
        // Every pass reads every row: the first one reports the unusable ones.
        onInvalid: (issue: RowIssue) => {
          if (slice !== 0) return;
          counts.skipped.invalid += 1;
          rejectedRows.push({ member: issue.member, record: issue.record, reason: issue.reason });
          options.onInvalidRow?.(issue);
        },
      },
    };
    const gathered = await gatherSlice(run, known, writer);
    await writeEntities(writer, gathered);
  }
  await writer.flush();
  progress.fileDone('done');
  return { counts, rowsPerMember: progress.rowsPerMember, rejectedRows };
}

/** What every step of one pass works with. */
type ImportRun = {
  extract: KboExtract;
  extractNumber: number;
  counts: ImportCounts;
  progress: Progress;
  /** The pass: it gathers the entities of this slice (sliceOf their number). */
  slice: number;
  sliceCount: number;
  readOptions: { onInvalid: (issue: RowIssue) => void };
};

/** The enterprises of the Full and where each establishment lives, filled by the first pass. */
type KnownNumbers = { enterprises: Set<number>; enterpriseOf: Map<number, number> };

/**
 * One entity's rows, gathered: its record, its names (by type, language and text) and its addresses (by type);
 * `written` while its item as gathered so far is with the writer.
 */
export type GatheredEntity<R> = {
  record: R;
  names: Map<string, EntityName>;
  addresses: Map<string, EntityAddress>;
  /** An enterprise's establishments (digits), which its item lists. */
  establishments: Set<number>;
  written: boolean;
};

/** The entities of one pass, by their number. */
export type GatheredEntities = { enterprises: Map<number, GatheredEntity<EnterpriseRecord>>; establishments: Map<number, GatheredEntity<EstablishmentRecord>> };

const gathered = <R>(record: R): GatheredEntity<R> => ({ record, names: new Map(), addresses: new Map(), establishments: new Set(), written: false });

/** The one item of a gathered entity. */
const itemOf = (e: GatheredEntity<EnterpriseRecord | EstablishmentRecord>) =>
  'establishmentNumber' in e.record
    ? establishmentItem(e.record, e.names.values(), e.addresses.values())
    : enterpriseItem(e.record as EnterpriseRecord, e.names.values(), e.addresses.values(), e.establishments);

/**
 * One pass over the four members: the entities of its slice with their names and addresses. Rows are counted
 * once, by the pass of their entity's slice (rows without a usable entity by the first pass).
 */
async function gatherSlice(run: ImportRun, known: KnownNumbers, writer: BatchWriter): Promise<GatheredEntities> {
  const entities: GatheredEntities = { enterprises: new Map(), establishments: new Map() };
  await gatherEnterprises(run, known, entities);
  await gatherEstablishments(run, known, entities);
  for await (const link of establishmentLinks(run.extract))
    entities.enterprises.get(Number(kboDigits(link.enterpriseNumber)))?.establishments.add(Number(kboDigits(link.establishmentNumber)));
  await gatherNamesAndAddresses(run, known, entities, writer);
  return entities;
}

const inSlice = (run: ImportRun, digits: number) => sliceOf(String(digits), run.sliceCount) === run.slice;

/** The enterprises: the first pass keeps every number (to recognise the rows of entities the extract lacks). */
async function gatherEnterprises(run: ImportRun, known: KnownNumbers, entities: GatheredEntities): Promise<void> {
  const { extract, extractNumber, counts, progress, readOptions } = run;
  for await (const row of extract.enterprises('full', readOptions)) {
    progress.rowRead('enterprise.csv', run.slice);
    const digits = Number(kboDigits(row.enterpriseNumber));
    known.enterprises.add(digits);
    if (!inSlice(run, digits)) continue;
    const earlier = entities.enterprises.get(digits);
    if (earlier) counts.duplicateRows += 1;
    else counts.enterprises += 1;
    // A repeated row: the last one wins, with the names, addresses and establishments gathered so far (none yet).
    entities.enterprises.set(digits, gathered(toEnterpriseRecord(row, extractNumber)));
  }
  progress.fileDone('enterprise.csv', run.slice);
}

/** The establishments of known enterprises; the first pass maps every one to its enterprise (its rows name only the establishment). */
async function gatherEstablishments(run: ImportRun, known: KnownNumbers, entities: GatheredEntities): Promise<void> {
  const { extract, extractNumber, counts, progress, readOptions } = run;
  for await (const row of extract.establishments('full', readOptions)) {
    progress.rowRead('establishment.csv', run.slice);
    const digits = Number(kboDigits(row.establishmentNumber));
    const enterprise = Number(kboDigits(row.enterpriseNumber));
    if (!known.enterprises.has(enterprise)) {
      if (inSlice(run, digits)) counts.skipped.unknownEntity += 1;
      continue;
    }
    known.enterpriseOf.set(digits, enterprise);
    // The enterprise's list, whichever pass the establishment itself is written in.
    entities.enterprises.get(enterprise)?.establishments.add(digits);
    if (!inSlice(run, digits)) continue;
    if (entities.establishments.has(digits)) counts.duplicateRows += 1;
    else counts.establishments += 1;
    entities.establishments.set(digits, gathered(toEstablishmentRecord(row, extractNumber)));
  }
  progress.fileDone('establishment.csv', run.slice);
}

/**
 * Names, then addresses (REGO of enterprises, BAET of establishments, and any other type KBO gives them). The
 * addresses are the last member: an entity is complete once the next row is another entity's (KBO lists an
 * entity's rows together), so it is written then, while the member is still being read. Should a row of it
 * come later after all, it is written again at the end (the writer keeps the later write last).
 */
async function gatherNamesAndAddresses(run: ImportRun, known: KnownNumbers, entities: GatheredEntities, writer: BatchWriter): Promise<void> {
  const { extract, counts, progress, readOptions } = run;
  for await (const row of extract.denominations('full', readOptions)) {
    progress.rowRead('denomination.csv', run.slice);
    const entity = entityOf(run, row.entity, known, entities);
    if (!entity) continue;
    const name = nameOf(row);
    const key = `${name.type}|${name.language}|${name.denomination}`;
    if (entity.names.has(key)) counts.duplicateRows += 1;
    else counts.names += 1;
    entity.names.set(key, name);
  }
  progress.fileDone('denomination.csv', run.slice);
  let previous: GatheredEntity<EnterpriseRecord> | GatheredEntity<EstablishmentRecord> | undefined;
  for await (const row of extract.addresses('full', readOptions)) {
    progress.rowRead('address.csv', run.slice);
    const entity = entityOf(run, row.entity, known, entities);
    if (!entity) continue;
    if (previous && previous !== entity) {
      previous.written = true;
      await writer.put(itemOf(previous));
    }
    previous = entity;
    entity.written = false;
    const address = addressOf(row);
    if (entity.addresses.has(address.typeOfAddress)) counts.duplicateRows += 1;
    else counts.addresses += 1;
    // A repeated row: the last one wins.
    entity.addresses.set(address.typeOfAddress, address);
  }
  progress.fileDone('address.csv', run.slice);
}

const nameOf = (row: DenominationRow): EntityName => ({ language: row.language, type: row.typeOfDenomination, denomination: row.denomination });
const addressOf = (row: AddressRow): EntityAddress => {
  const { entityNumber: _number, ...address } = toAddressRecord(row);
  return address;
};

/**
 * The gathered entity a name or address row belongs to; undefined for another pass's entity, and for branches
 * and unknown entities (counted as skipped by the pass that owns the row).
 */
function entityOf(
  run: ImportRun,
  entity: EntityRef,
  known: KnownNumbers,
  entities: GatheredEntities,
): GatheredEntity<EnterpriseRecord> | GatheredEntity<EstablishmentRecord> | undefined {
  const skipped = run.counts.skipped;
  if (entity.kind === 'branch') {
    if (run.slice === 0) skipped.branchRows += 1;
    return undefined;
  }
  const digits = Number(kboDigits(entity.number));
  if (!inSlice(run, digits)) return undefined;
  const found =
    entity.kind === 'enterprise' ? entities.enterprises.get(digits) : known.enterpriseOf.has(digits) ? entities.establishments.get(digits) : undefined;
  if (!found) skipped.unknownEntity += 1;
  return found;
}

/** Writes the pass's entities not written yet (those without addresses, the last one), and lets go of them as it goes. */
async function writeEntities(writer: BatchWriter, entities: GatheredEntities): Promise<void> {
  for (const map of [entities.enterprises, entities.establishments] as Map<number, GatheredEntity<EnterpriseRecord | EstablishmentRecord>>[]) {
    for (const [digits, e] of map) {
      map.delete(digits);
      if (!e.written) await writer.put(itemOf(e));
    }
  }
  await writer.flush();
}

/** Progress of an import: reported at most every 250 ms, and at the end of each member. */
class Progress {
  private readonly started = performance.now();
  private readonly totalBytes: number;
  private totalRows = 0;
  private fileRows = 0;
  /** Rows read per member, for the report. */
  readonly rowsPerMember: Record<string, number> = {};
  private lastReport = 0;

  constructor(
    private readonly extract: KboExtract,
    private readonly writer: BatchWriter,
    private readonly onProgress: ((progress: ImportProgress) => void) | undefined,
  ) {
    this.totalBytes = members.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
  }

  /** A row read by a pass; only the first pass's rows are counted (every pass reads every row). */
  rowRead(file: string, pass = 0): void {
    if (pass === 0) {
      this.fileRows += 1;
      this.totalRows += 1;
    }
    this.report(file, false);
  }

  fileDone(file: string, pass = 0): void {
    if (pass !== 0) return;
    if (file !== 'done') this.rowsPerMember[file] = this.fileRows;
    this.report(file, true);
    this.fileRows = 0;
  }

  private report(file: string, force: boolean): void {
    const now = performance.now();
    if (!this.onProgress || (!force && now - this.lastReport < progressEveryMs)) return;
    this.lastReport = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    this.onProgress({
      file,
      fileRows: this.fileRows,
      totalRows: this.totalRows,
      rowsPerSecond: this.totalRows / seconds,
      bytesRead: this.extract.bytesRead,
      totalBytes: this.totalBytes,
      itemsWritten: this.writer.written,
      itemsPending: this.writer.pending,
    });
  }
}

export type ImportOrReconcile = { step: 'load'; counts: ImportCounts } | { step: 'reconcile'; result: ReconcileResult };

/** What `kbo:import` does with a Full: load it onto an empty table (or rebuild, forced), or reconcile a newer one. */
export async function importOrReconcile(
  deps: Dependencies,
  zip: string,
  options: ImportOptions & { reconcile?: ReconcileOptions } = {},
): Promise<ImportOrReconcile> {
  const extract = await KboExtract.open(zip);
  let full: number;
  try {
    full = (await extract.meta()).extractNumber;
  } finally {
    extract.close();
  }
  const latest = await getLatestExtract(deps);
  if (fullImportStep(full, latest?.extractNumber, options.force ?? false).step !== 'reconcile')
    return { step: 'load', counts: await importFullExtract(deps, zip, options) };
  const result = await reconcileFullExtract(deps, zip, options.reconcile);
  options.onReport?.(result.report, result.location);
  return { step: 'reconcile', result };
}
