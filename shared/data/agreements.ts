// Agreements in the single table (see README.md next to this file).
//   agreement:  pk `AGR#<id>` sk `AGR`; gsi1 `ENT#<enterprise>` / `AGR#<id>` (the enterprise's list);
//               gsi2 `PROVIDER#<provider>` / `AGR#<id>` (the provider's list). A draft carries `ttl` = the
//               day it expires (90 days after its last change), so DynamoDB removes it; the code also treats
//               an expired draft as gone, because TTL deletion can lag by days.
//   history:    pk `AGR#<id>` sk `HIST#…`
//   running:    pk `REC#<recognition>` sk `AGR#<id>`: the running agreements on a recognition, for the tasks
//               a revocation or an address change creates (one Query on the recognition's item collection)
//   learner:    pk `LEARNER#<person key>` sk `AGR#<id>`: a learner's agreements and premiums, for the overlap
//               rule and the premium limits. The person key is a keyed hash (HMAC) of the national number with
//               the keyring's `person` key: the number itself is never in a key, and unlike a plain hash the
//               key cannot be turned back into the number by trying every number.
//   slots:      pk `SLOTS#MENTOR#<mentor>` or `SLOTS#EST#<establishment>` sk `SLOTS`, attribute `used`: the
//               running agreements a mentor or an establishment has, taken and freed in the registration
//               and ending transactions with a condition on the partnership's maximum
//   premium:    pk `PREMIUM#<agreement>#<kind>` sk `PREMIUM`; gsi1 `PREMIUMS#<school year>` / `<at>#<agreement>#<kind>`
//               for the paying system
import { ulid } from 'ulid';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { personKey } from '../adapters/keyring.ts';
import type { AgreementStatus, AmendmentKind, Issue, PremiumDecision, WeeklyHours } from '../domain/agreements.ts';
import { draftExpiresOn, draftWarningOn, erasedLearner, learnerDataErasedOn } from '../domain/agreements.ts';
import type { Programme } from '../domain/reference.ts';
import { conflict } from '../http/problem.ts';
import { maskNationalNumber, redactPersonalNumbers } from '../domain/identifiers.ts';
import { historyItem, readHistory, type HistoryEntry } from './history.ts';
import { versionedWriteError } from './versioned-write.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

export type Address = { street: string; houseNumber: string; box: string | null; postcode: string; municipality: string };
export type DocumentRef = { documentId: string; attachedAt: string };

export type Agreement = {
  id: string;
  status: AgreementStatus;
  agreementType: Programme['agreementType'];
  programmeId: string;
  trajectoryYear: number;
  providerId: string;
  lessonLocationId: string | null;
  providerRepresentative: string;
  counsellor: { userId: string; name: string; email: string };
  learner: {
    firstName: string;
    lastName: string;
    /** Formatted `yy.mm.dd-xxx.cc`; shown in full only to the provider's counsellors (the enterprise sees it masked). */
    nationalNumber: string;
    birthDate: string;
    address: Address;
    legalRepresentative: { name: string; address: Address | null } | null;
    iban: string | null;
    /** Set when retention erased the personal data (erasedLearner): initials, birth year, masked number only. */
    dataErased?: boolean;
    birthYear?: number;
    premiumConsent: boolean;
    priorEducationTier: 1 | 2 | 3;
    firstTwoYearsSecondaryCompleted: boolean;
    paid: boolean;
  };
  enterpriseNumber: string;
  establishmentNumber: string;
  enterpriseRepresentative: string;
  enterpriseBankAccount: { iban: string; consent: boolean } | null;
  recognitionId: string | null;
  mentorId: string;
  startDate: string;
  endDate: string;
  weeklyHours: WeeklyHours;
  learningAllowance: { tier: 1 | 2 | 3; monthlyAmountCents: number; validFrom: string; allowanceId: string } | null;
  annexes: { schedule: DocumentRef | null; trainingPlan: DocumentRef | null; learnerPremiumConsent: DocumentRef | null; signedAgreement: DocumentRef | null };
  /** The result of the last pre-flight check. */
  issues: Issue[];
  registration: { at: string; by: string; premiums: PremiumDecision[] } | null;
  suspensions: { id: string; ground: string; from: string; to: string; reported: boolean; recordedBy: string; at: string }[];
  ending: { kind: 'normal' | 'early'; date: string; reason: string; by: string; recordedBy: string; at: string } | null;
  addenda: Addendum[];
  /** Where this agreement holds capacity slots while it runs. */
  slots: { mentor: string; establishment: string } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type Addendum = {
  number: number;
  changes: { kind: AmendmentKind; label: string; before: string; after: string }[];
  effectiveDate: string;
  status: 'toSign' | 'registered';
  signedDocumentId: string | null;
  createdAt: string;
  registeredAt: string | null;
};

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;

const agreementKey = (id: string) => ({ pk: `AGR#${id}`, sk: 'AGR' });
const digits = (formatted: string) => formatted.replace(/\./g, '');
/** The partition of a learner's agreements: the person key of the national number (formatted or digits). */
export const learnerPk = async (deps: Pick<Dependencies, 'keys'>, nationalNumber: string): Promise<string> =>
  `LEARNER#${personKey(await deps.keys.derive('person'), nationalNumber.replace(/\D/g, ''))}`;
export const mentorSlotsKey = (mentorId: string) => ({ pk: `SLOTS#MENTOR#${mentorId}`, sk: 'SLOTS' });
export const establishmentSlotsKey = (establishmentNumber: string) => ({ pk: `SLOTS#EST#${digits(establishmentNumber)}`, sk: 'SLOTS' });
const epochSeconds = (day: string) => Math.floor(new Date(`${day}T00:00:00Z`).getTime() / 1000);

function agreementItem(a: Agreement) {
  return {
    ...agreementKey(a.id),
    gsi1pk: `ENT#${digits(a.enterpriseNumber)}`,
    gsi1sk: `AGR#${a.id}`,
    gsi2pk: `PROVIDER#${a.providerId}`,
    gsi2sk: `AGR#${a.id}`,
    ...(a.status === 'draft' ? { ttl: epochSeconds(draftExpiresOn(a.updatedAt)) } : {}),
    ...a,
  };
}

function strip(item: Record<string, unknown>): Agreement {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ttl: _g, ...agreement } = item;
  return agreement as Agreement;
}

/**
 * Date markers the daily job reads with one Query per day instead of scanning agreements: the day a work
 * version's expiry warning is due, and the day a running agreement ends. A marker may be stale (the draft was
 * saved again, the end date changed): the job compares it with the agreement, so old markers are harmless.
 */
export const draftWarningPk = (day: string) => `DRAFTWARN#${day}`;
export const endsOnPk = (day: string) => `AGREND#${day}`;
export const learnerErasureOnPk = (day: string) => `ERASELEARNER#${day}`;

function markerPuts(tableName: string, a: Agreement) {
  if (a.status === 'draft') {
    const day = draftWarningOn(a.updatedAt);
    return [
      {
        Put: {
          TableName: tableName,
          Item: { pk: draftWarningPk(day), sk: `AGR#${a.id}`, agreementId: a.id, ttl: epochSeconds(draftExpiresOn(a.updatedAt)) + 30 * 86_400 },
        },
      },
    ];
  }
  if (a.status === 'registered' || a.status === 'suspended') {
    return [
      { Put: { TableName: tableName, Item: { pk: endsOnPk(a.endDate), sk: `AGR#${a.id}`, agreementId: a.id, ttl: epochSeconds(a.endDate) + 60 * 86_400 } } },
    ];
  }
  if (a.status === 'ended' && !a.learner.dataErased) {
    const day = learnerDataErasedOn(a.endDate);
    return [
      { Put: { TableName: tableName, Item: { pk: learnerErasureOnPk(day), sk: `AGR#${a.id}`, agreementId: a.id, ttl: epochSeconds(day) + 60 * 86_400 } } },
    ];
  }
  return [];
}

export async function agreementsMarkedOn(deps: Dependencies, pk: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(page.Items ?? []).map((i) => String(i.agreementId)));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * The history of an agreement is read by both parties and kept as long as the file: it records who changed
 * what, never a national number or an account number (not even one typed into a reason). Handlers leave them
 * out; this is the last guard, on every string of every entry.
 */
function safeHistory(entry: Omit<HistoryEntry, 'at'>): Omit<HistoryEntry, 'at'> {
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return redactPersonalNumbers(value);
    if (Array.isArray(value)) return value.map(redact);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    return value;
  };
  return { ...entry, before: redact(entry.before) as Record<string, unknown>, after: redact(entry.after) as Record<string, unknown> };
}

export async function createAgreement(deps: Dependencies, agreement: Agreement, by: string): Promise<void> {
  await transact(deps, [
    { Put: { TableName: deps.config.TABLE_NAME, Item: agreementItem(agreement), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...markerPuts(deps.config.TABLE_NAME, agreement),
    {
      Put: {
        TableName: deps.config.TABLE_NAME,
        Item: historyItem(`AGR#${agreement.id}`, agreement.createdAt, safeHistory({ by, action: 'created', before: {}, after: { status: 'draft' } })),
      },
    },
  ]);
}

/** The agreement, or undefined when unknown or an expired work version (TTL deletes it a few days later). */
export async function getAgreement(deps: Dependencies, id: string, today: string): Promise<Agreement | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: agreementKey(id), ConsistentRead: true }));
  if (!result.Item) return undefined;
  const agreement = strip(result.Item);
  if (agreement.status === 'draft' && today >= draftExpiresOn(agreement.updatedAt)) return undefined;
  return agreement;
}

export const getAgreementHistory = (deps: Dependencies, id: string): Promise<HistoryEntry[]> => readHistory(deps, `AGR#${id}`);

const versionConflict = () => conflict('version-conflict', 'De overeenkomst werd intussen gewijzigd. Lees ze opnieuw.');

/**
 * Writes the agreement at `expectedVersion + 1` with its history entry and any extra writes, in one
 * transaction. `extra` conflicts are turned into problems by `onExtraConflict` (index into `extra`).
 */
export async function saveAgreement(
  deps: Dependencies,
  next: Agreement,
  expectedVersion: number,
  history: Omit<HistoryEntry, 'at'>,
  extra: Items = [],
  onExtraConflict: (index: number) => Error = () => versionConflict(),
): Promise<Agreement> {
  const now = deps.clock.now().toISOString();
  const saved: Agreement = { ...next, version: expectedVersion + 1, updatedAt: now };
  const items: Items = [
    {
      Put: {
        TableName: deps.config.TABLE_NAME,
        Item: agreementItem(saved),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    ...extra,
    { Put: { TableName: deps.config.TABLE_NAME, Item: historyItem(`AGR#${saved.id}`, now, safeHistory(history)) } },
    ...markerPuts(deps.config.TABLE_NAME, saved),
  ];
  try {
    await transact(deps, items);
  } catch (error) {
    throw versionedWriteError(error, versionConflict, onExtraConflict);
  }
  return saved;
}

/**
 * One TransactWriteItems. The client request token makes the SDK's own retries of the same call idempotent:
 * a retry after a lost response must not apply the writes twice, nor fail on its own version condition.
 * DynamoDB cancels a transaction that touches an item another transaction is writing (`TransactionConflict`);
 * that is not a failed condition, so it is retried a few times with jitter, as a new request.
 */
async function transact(deps: Dependencies, items: Items): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: ulid() }));
      return;
    } catch (error) {
      const conflicted =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
        !(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflicted || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * Math.random()));
    }
  }
}

// --- capacity, learner index, running links ---------------------------------------------------------------

export async function slotsUsed(deps: Dependencies, key: { pk: string; sk: string }): Promise<number> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key, ConsistentRead: true }));
  return Number(result.Item?.used ?? 0);
}

/** Takes one slot; with a maximum the condition makes the n+1st taker fail, whatever the concurrency. */
export function takeSlot(tableName: string, key: { pk: string; sk: string }, maximum: number | null) {
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET used = if_not_exists(used, :zero) + :one',
      ...(maximum !== null ? { ConditionExpression: 'attribute_not_exists(used) OR used < :max' } : {}),
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ...(maximum !== null ? { ':max': maximum } : {}) },
    },
  };
}

export function freeSlot(tableName: string, key: { pk: string; sk: string }) {
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET used = used - :one',
      ConditionExpression: 'used > :zero',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
    },
  };
}

export type LearnerAgreement = {
  agreementId: string;
  status: AgreementStatus;
  startDate: string;
  endDate: string;
  enterprisePremiumSchoolYear: string | null;
  learnerPremiumSchoolYear: string | null;
};

export async function learnerAgreements(deps: Dependencies, nationalNumber: string): Promise<LearnerAgreement[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': await learnerPk(deps, nationalNumber) },
    }),
  );
  return (result.Items ?? []).map(
    ({ agreementId, status, startDate, endDate, enterprisePremiumSchoolYear, learnerPremiumSchoolYear }) =>
      ({ agreementId, status, startDate, endDate, enterprisePremiumSchoolYear, learnerPremiumSchoolYear }) as LearnerAgreement,
  );
}

export async function learnerItem(deps: Pick<Dependencies, 'keys'>, a: Agreement, premiums: PremiumDecision[]) {
  const granted = (kind: string) => premiums.find((p) => p.kind === kind && p.qualifies)?.schoolYear ?? null;
  return {
    pk: await learnerPk(deps, a.learner.nationalNumber),
    sk: `AGR#${a.id}`,
    agreementId: a.id,
    status: a.status,
    startDate: a.startDate,
    endDate: a.endDate,
    enterprisePremiumSchoolYear: granted('enterprise'),
    learnerPremiumSchoolYear: granted('learner'),
  };
}

export type RunningLink = {
  agreementId: string;
  providerId: string;
  counsellor: Agreement['counsellor'];
  learnerName: string;
  establishmentNumber: string;
  endDate: string;
};

export const runningLinkItem = (recognitionId: string, a: Agreement) => ({
  pk: `REC#${recognitionId}`,
  sk: `AGR#${a.id}`,
  agreementId: a.id,
  providerId: a.providerId,
  counsellor: a.counsellor,
  learnerName: `${a.learner.firstName} ${a.learner.lastName}`,
  establishmentNumber: a.establishmentNumber,
  endDate: a.endDate,
});
export const runningLinkKey = (recognitionId: string, agreementId: string) => ({ pk: `REC#${recognitionId}`, sk: `AGR#${agreementId}` });

export async function runningAgreementsOn(deps: Dependencies, recognitionId: string): Promise<RunningLink[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `REC#${recognitionId}`, ':p': 'AGR#' },
    }),
  );
  return (result.Items ?? []).map(({ pk: _a, sk: _b, ...link }) => link as RunningLink);
}

export const premiumItem = (agreementId: string, p: PremiumDecision, at: string, enterpriseNumber: string) => ({
  pk: `PREMIUM#${agreementId}#${p.kind}`,
  sk: 'PREMIUM',
  ...(p.qualifies ? { gsi1pk: `PREMIUMS#${p.schoolYear}`, gsi1sk: `${at}#${agreementId}#${p.kind}` } : {}),
  agreementId,
  enterpriseNumber,
  ...p,
  requestedAt: at,
  status: p.qualifies ? 'requested' : 'notQualified',
});

// --- lists -----------------------------------------------------------------------------------------------

export async function listAgreements(
  deps: Dependencies,
  owner: { kind: 'enterprise'; digits: string } | { kind: 'provider'; id: string },
  page: { cursor?: string | undefined; limit?: number | undefined },
) {
  const index =
    owner.kind === 'enterprise'
      ? { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk', value: `ENT#${owner.digits}` }
      : { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk', value: `PROVIDER#${owner.id}` };
  const partition = { attribute: index.pk, value: index.value };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :pk AND begins_with(${index.sk}, :p)`,
      ExpressionAttributeValues: { ':pk': index.value, ':p': 'AGR#' },
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
      ScanIndexForward: false,
    }),
  );
  return { items: (result.Items ?? []).map(strip), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/**
 * Erases the learner's personal data of an ended agreement whose retention is over (learnerDataErasedOn): the
 * agreement keeps the learner only masked, and the learner's item (keyed by the national number) goes, in one
 * transaction with the history entry.
 */
export async function eraseLearnerData(deps: Dependencies, agreement: Agreement): Promise<Agreement> {
  // A sole trader's account number is personal data too: it goes with the learner's.
  const erased = { ...agreement, learner: erasedLearner(agreement.learner, maskNationalNumber), enterpriseBankAccount: null };
  const learnerItemKey = { pk: await learnerPk(deps, agreement.learner.nationalNumber), sk: `AGR#${agreement.id}` };
  return saveAgreement(
    deps,
    erased,
    agreement.version,
    { by: 'retention', action: 'learner-data-erased', before: {}, after: { erasedOn: learnerDataErasedOn(agreement.endDate) } },
    [{ Delete: { TableName: deps.config.TABLE_NAME, Key: learnerItemKey } }],
  );
}
