// The agreement's repository: the only code that knows its keys (the `agreement` section of keys.ts), its indexes
// and its transactions (the access patterns are in README.md next to this file). Reads gather the facts a decision
// of shared/domain/agreements.ts needs in as few requests as the access patterns allow; writes commit a decision's
// result in one transaction and answer the typed conflict of the condition that failed, never an HTTP problem.
//
// The agreement's own item collection holds the agreement, its history and references to tasks other contexts
// opened about it. Around it: the running agreements in the recognition's collection, the learner's index under a
// keyed hash of the national number (an HMAC with the keyring's `person` key: the number is never in a key, and
// the key cannot be turned back into the number by trying every number), one slot counter per mentor and per
// establishment (taken and freed in the registration, mentor change and ending transactions, with a condition on
// the partnership's maximum), one premium item per premium, and day markers the daily job reads with one Query per
// day. A draft carries a TTL of the day it expires; the code also treats an expired draft as gone, because TTL
// deletion can lag by days.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../adapters/dependencies.ts';
import { personKey } from '../adapters/keyring.ts';
import type { AgreementModel } from '../domain/agreement-model.ts';
import {
  type Actor,
  type Agreement,
  type AgreementHistory,
  dailyJobActor,
  type EndingDecision,
  type Amendment,
  type AmendmentFacts,
  type AmendmentRequest,
  type DraftFacts,
  type DraftFields,
  draftExpiresOn,
  draftWarningOn,
  type LearnerAgreement,
  learnerDataErasedOn,
  learnerErasure,
  type PremiumDecision,
  type RecognitionFacts,
  type Registration,
  type RegistrationFacts,
  recognitionOn,
  type RunningAgreement,
  type Suspension,
} from '../domain/agreements.ts';
import type { AgreementChanged } from '../../events/agreement-changed.ts';
import { agreementChangedEvent } from '../domain/feed.ts';
import { kboDigits, redactPersonalNumbers } from '../domain/identifiers.ts';
import type { Allowance, Partnership, Programme, Provider } from '../domain/reference.ts';
import { batchGetItems, keyString, type StoredItem, type TableKey } from './batch-get.ts';
import { type DocumentRecord, getDocument } from './documents.ts';
import { historyItem, readHistory, type HistoryEntry } from './history.ts';
import { addressesOf, addressOfType } from './kbo.ts';
import { getEstablishmentFacts } from './kbo-lookups.ts';
import { type AgreementMarker, agreement as keys, enterprise, kbo, recognition, reference } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { findRecognitions, getRecognition } from './recognitions.ts';
import { mentorSlotOwner } from '../domain/recognitions.ts';
import { allReference, getReference } from './reference.ts';
import { ok, refused, type Result } from './result.ts';

export type { Addendum, Address, Agreement, LearnerAgreement, RunningAgreement } from '../domain/agreements.ts';

type Write = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A write of a transaction and the conflict its condition stands for (unconditional writes have none). */
type Guarded<C extends string> = { write: Write; conflict?: C };

const epochSeconds = (day: string) => Math.floor(new Date(`${day}T00:00:00Z`).getTime() / 1000);
const dayInSeconds = 86_400;

export const mentorSlotsKey = keys.mentorSlots;
export const establishmentSlotsKey = keys.establishmentSlots;

/** The person key of a national number (formatted or digits). */
const personKeyOf = async (deps: Pick<Dependencies, 'keys'>, nationalNumber: string) =>
  personKey(await deps.keys.derive('person'), nationalNumber.replace(/\D/g, ''));

/** The partition of a learner's agreements. */
export const learnerPk = async (deps: Pick<Dependencies, 'keys'>, nationalNumber: string): Promise<string> =>
  keys.learnerPk(await personKeyOf(deps, nationalNumber));

// --- items -----------------------------------------------------------------------------------------------

function agreementItem(a: Agreement) {
  return {
    ...keys.key(a.id),
    gsi1pk: enterprise.index(a.enterpriseNumber),
    gsi1sk: keys.sk(a.id),
    gsi2pk: keys.providerIndex(a.providerId),
    gsi2sk: keys.sk(a.id),
    ...(a.status === 'draft' ? { ttl: epochSeconds(draftExpiresOn(a.updatedAt)) } : {}),
    ...a,
  };
}

function strip(item: Record<string, unknown>): Agreement {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ttl: _g, ...agreement } = item;
  return agreement as Agreement;
}

/** The agreement of an item, or undefined for an expired work version (TTL deletes it a few days later). */
function agreementOf(item: Record<string, unknown> | undefined, today: string): Agreement | undefined {
  if (!item) return undefined;
  const agreement = strip(item);
  if (agreement.status === 'draft' && today >= draftExpiresOn(agreement.updatedAt)) return undefined;
  return agreement;
}

/**
 * Date markers the daily job reads with one Query per day instead of scanning agreements: the day a work version's
 * expiry warning is due, the day a running agreement ends, the day an ended agreement's learner data is erased. A
 * marker may be stale (the draft was saved again, the end date changed): the job compares it with the agreement.
 */
function markerWrites(tableName: string, a: Agreement): Guarded<never>[] {
  const marker = (kind: AgreementMarker, day: string, ttl: number) => ({
    write: { Put: { TableName: tableName, Item: { ...keys.marker(kind, day, a.id), agreementId: a.id, ttl } } },
  });
  if (a.status === 'draft') return [marker('draftWarning', draftWarningOn(a.updatedAt), epochSeconds(draftExpiresOn(a.updatedAt)) + 30 * dayInSeconds)];
  if (a.status === 'registered' || a.status === 'suspended') return [marker('endsOn', a.endDate, epochSeconds(a.endDate) + 60 * dayInSeconds)];
  if (a.status === 'ending' && a.ending) return [marker('endingOn', a.ending.date, epochSeconds(a.ending.date) + 60 * dayInSeconds)];
  if (a.status === 'ended' && !a.learner.dataErased) {
    const day = learnerDataErasedOn(a.endDate);
    return [marker('learnerErasure', day, epochSeconds(day) + 60 * dayInSeconds)];
  }
  return [];
}

export async function learnerItem(deps: Pick<Dependencies, 'keys'>, a: Agreement, premiums: PremiumDecision[]) {
  const granted = (kind: string) => premiums.find((p) => p.kind === kind && p.qualifies)?.schoolYear ?? null;
  return {
    ...keys.learner(await personKeyOf(deps, a.learner.nationalNumber), a.id),
    agreementId: a.id,
    status: a.status,
    startDate: a.startDate,
    endDate: a.endDate,
    enterprisePremiumSchoolYear: granted('enterprise'),
    learnerPremiumSchoolYear: granted('learner'),
  };
}

const runningLinkItem = (recognitionId: string, a: Agreement) => ({
  ...keys.runningOn(recognitionId, a.id),
  agreementId: a.id,
  providerId: a.providerId,
  counsellor: a.counsellor,
  learnerName: `${a.learner.firstName} ${a.learner.lastName}`,
  establishmentNumber: a.establishmentNumber,
  endDate: a.endDate,
});

const premiumItem = (agreementId: string, p: PremiumDecision, at: string, enterpriseNumber: string) => ({
  ...keys.premium(agreementId, p.kind),
  ...(p.qualifies ? { gsi1pk: keys.premiumsIndex(p.schoolYear), gsi1sk: keys.premiumsIndexSk(at, agreementId, p.kind) } : {}),
  agreementId,
  enterpriseNumber,
  ...p,
  requestedAt: at,
  status: p.qualifies ? 'requested' : 'notQualified',
});

/** Takes one slot; with a maximum the condition makes the n+1st taker fail, whatever the concurrency. */
function takeSlot(tableName: string, key: TableKey, maximum: number | null): Write {
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

function freeSlot(tableName: string, key: TableKey): Write {
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

/**
 * The history of an agreement is read by both parties and kept as long as the file: it records who changed what,
 * never a national number or an account number (not even one typed into a reason). Decisions leave them out; this
 * is the last guard, on every string of every entry.
 */
function safeHistory(entry: AgreementHistory): AgreementHistory {
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return redactPersonalNumbers(value);
    if (Array.isArray(value)) return value.map(redact);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    return value;
  };
  return { ...entry, before: redact(entry.before) as Record<string, unknown>, after: redact(entry.after) as Record<string, unknown> };
}

// --- transactions ----------------------------------------------------------------------------------------

/**
 * One TransactWriteItems; answers the conflict of the first write whose condition failed. The client request token
 * makes the SDK's own retries of the same call idempotent: a retry after a lost response must not apply the writes
 * twice, nor fail on its own version condition. DynamoDB cancels a transaction that touches an item another
 * transaction is writing (`TransactionConflict`); that is not a failed condition, so it is retried a few times with
 * jitter, as a new request.
 */
async function transact<C extends string>(deps: Dependencies, writes: Guarded<C>[]): Promise<C | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.db.send(new TransactWriteCommand({ TransactItems: writes.map((w) => w.write), ClientRequestToken: ulid() }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const conflict = writes[failed]?.conflict;
        if (conflict) return conflict;
        throw error;
      }
      if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * Math.random()));
    }
  }
}

/**
 * Writes the agreement at `expectedVersion + 1` with its history entry, its day marker and the decision's other
 * writes, in one transaction.
 */
async function commit<C extends string>(
  deps: Dependencies,
  next: Agreement,
  expectedVersion: number,
  history: AgreementHistory,
  actor: Actor,
  extra: Guarded<C>[] = [],
): Promise<Result<Agreement, C | 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const saved: Agreement = { ...next, version: expectedVersion + 1, updatedAt: now };
  const agreementPut: Write = {
    Put: {
      TableName: table,
      Item: agreementItem(saved),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  };
  const failed = await transact<C | 'version-conflict'>(deps, [
    { write: agreementPut, conflict: 'version-conflict' },
    ...extra,
    { write: { Put: { TableName: table, Item: historyItem(keys.pk(saved.id), now, safeHistory({ ...history, actor })) } } },
    ...markerWrites(table, saved),
  ]);
  return failed ? refused(failed) : ok(saved);
}

/**
 * The outbox event of an agreement's change for its provider's systems (the event feed), written with the change.
 * Its id names the version the change saves, so a retried transaction of the same change records it once.
 */
function feedEventWrite(
  deps: Dependencies,
  next: Agreement,
  expectedVersion: number,
  change: AgreementChanged['change'],
  suspension: { from: string; to: string } | null = null,
): Guarded<never> {
  const at = deps.clock.now().toISOString();
  const event = agreementChangedEvent({ ...next, version: expectedVersion + 1 }, change, at, suspension);
  return { write: outboxPut(deps.config.TABLE_NAME, event, at) };
}

export async function createAgreement(deps: Dependencies, agreement: Agreement, actor: Actor): Promise<void> {
  const table = deps.config.TABLE_NAME;
  const created = safeHistory({ by: actor.userId, action: 'created', before: {}, after: { status: 'draft' }, actor });
  const failed = await transact(deps, [
    { write: { Put: { TableName: table, Item: agreementItem(agreement), ConditionExpression: 'attribute_not_exists(pk)' } }, conflict: 'exists' },
    ...markerWrites(table, agreement),
    { write: { Put: { TableName: table, Item: historyItem(keys.pk(agreement.id), agreement.createdAt, created) } } },
  ]);
  // A fresh ULID: an existing agreement here is a bug, not a conflict to answer.
  if (failed) throw new Error(`agreement ${agreement.id} exists already`);
}

/** Saves a changed agreement (draft, annexes, addendum, an acknowledgement): the agreement, its history (by `actor`) and its marker. */
export const saveAgreement = (deps: Dependencies, next: Agreement, expectedVersion: number, history: AgreementHistory, actor: Actor) =>
  commit(deps, next, expectedVersion, history, actor);

/** Saves a new suspension like saveAgreement, with the outbox event `suspended` (its period, not its ground). */
export const suspendAgreement = (
  deps: Dependencies,
  next: Agreement,
  expectedVersion: number,
  history: AgreementHistory,
  actor: Actor,
  suspension: Pick<Suspension, 'from' | 'to'>,
) =>
  commit(deps, next, expectedVersion, history, actor, [feedEventWrite(deps, next, expectedVersion, 'suspended', { from: suspension.from, to: suspension.to })]);

export type RegistrationConflict = 'version-conflict' | 'mentor-capacity-reached' | 'establishment-capacity-reached' | 'already-registered';

/**
 * Registration in one transaction: the registered agreement; a slot of the mentor and of the establishment, each
 * within the partnership's maximum; the agreement's link on its recognition and in the learner's index; both premium
 * decisions; and the outbox events of the premiums that qualify (the `outbox-dispatch` schedule sends them to the
 * paying system within a minute). A premium or event that exists already means it was registered before.
 */
export async function registerAgreement(
  deps: Dependencies,
  registration: Registration,
  expectedVersion: number,
  actor: Actor,
): Promise<Result<Agreement, RegistrationConflict>> {
  const table = deps.config.TABLE_NAME;
  const { registered: a, premiums, events, capacities } = registration;
  const at = a.registration!.at;
  return commit<RegistrationConflict>(deps, a, expectedVersion, registration.history, actor, [
    // The slot the agreement holds (its mentor's person, Agreement.slots): ending or a mentor change frees that one.
    { write: takeSlot(table, keys.mentorSlots(a.slots?.mentor ?? a.mentorId), capacities.mentor), conflict: 'mentor-capacity-reached' },
    { write: takeSlot(table, keys.establishmentSlots(a.establishmentNumber), capacities.establishment), conflict: 'establishment-capacity-reached' },
    { write: { Put: { TableName: table, Item: runningLinkItem(a.recognitionId!, a) } } },
    { write: { Put: { TableName: table, Item: await learnerItem(deps, a, premiums) } } },
    ...premiums.map((p) => ({
      write: { Put: { TableName: table, Item: premiumItem(a.id, p, at, a.enterpriseNumber), ConditionExpression: 'attribute_not_exists(pk)' } },
      conflict: 'already-registered' as const,
    })),
    ...events.map((event) => ({ write: outboxPut(table, event, at), conflict: 'already-registered' as const })),
    { ...feedEventWrite(deps, a, expectedVersion, 'registered'), conflict: 'already-registered' as const },
  ]);
}

/** An amendment in one transaction; a new mentor's slot is taken within the maximum and the previous one's freed. */
export async function amendAgreement(
  deps: Dependencies,
  amendment: Amendment,
  expectedVersion: number,
  actor: Actor,
): Promise<Result<Agreement, 'version-conflict' | 'mentor-capacity-reached'>> {
  const table = deps.config.TABLE_NAME;
  const move = amendment.mentorMove;
  const slots: Guarded<'mentor-capacity-reached'>[] = move
    ? [
        { write: freeSlot(table, keys.mentorSlots(move.from)), conflict: 'mentor-capacity-reached' },
        { write: takeSlot(table, keys.mentorSlots(move.to), move.capacity), conflict: 'mentor-capacity-reached' },
      ]
    : [];
  return commit(deps, amendment.next, expectedVersion, amendment.history, actor, [...slots, feedEventWrite(deps, amendment.next, expectedVersion, 'amended')]);
}

/**
 * Ends a running agreement in one transaction: the agreement, its capacity slots freed, its link on the recognition
 * removed and the learner's index updated. An end recorded for a later day (`scheduled`) keeps the slots and the
 * link until the daily job ends it on that day; the learner's index gets the new end date at once, so a next
 * agreement of the learner can start after it. The counsellor and the daily job end agreements.
 */
export async function endAgreement(
  deps: Dependencies,
  ending: EndingDecision,
  expectedVersion: number,
  actor: Actor,
): Promise<Result<Agreement, 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const { next, freed, scheduled } = ending;
  const slots = freed ? [keys.mentorSlots(freed.mentor), keys.establishmentSlots(freed.establishment)] : [];
  const learnerKey = keys.learner(await personKeyOf(deps, next.learner.nationalNumber), next.id);
  const unlink = !scheduled && next.recognitionId ? [{ write: { Delete: { TableName: table, Key: keys.runningOn(next.recognitionId, next.id) } } }] : [];
  return commit<'version-conflict'>(deps, next, expectedVersion, ending.history, actor, [
    ...slots.map((key) => ({ write: freeSlot(table, key), conflict: 'version-conflict' as const })),
    ...unlink,
    {
      write: {
        Update: {
          TableName: table,
          Key: learnerKey,
          UpdateExpression: 'SET #status = :status, endDate = :end',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': next.status, ':end': next.endDate },
        },
      },
    },
    // Ended now (not an end recorded for a later day: the daily job ends that one and records the event then).
    ...(next.status === 'ended' ? [feedEventWrite(deps, next, expectedVersion, 'ended')] : []),
  ]);
}

/**
 * Erases the learner's personal data of an ended agreement whose retention is over (learnerDataErasedOn): the
 * agreement keeps the learner only masked, and the learner's item (keyed by the national number) goes, in one
 * transaction with the history entry.
 */
export async function eraseLearnerData(deps: Dependencies, agreement: Agreement): Promise<Result<Agreement, 'version-conflict'>> {
  const { erased, history } = learnerErasure(agreement);
  const learnerKey = keys.learner(await personKeyOf(deps, agreement.learner.nationalNumber), agreement.id);
  return commit(deps, erased, agreement.version, history, { ...dailyJobActor }, [
    { write: { Delete: { TableName: deps.config.TABLE_NAME, Key: learnerKey } } },
  ]);
}

/**
 * Records the expiry of a work version (draftExpiry) in one transaction: the expiry mark, conditional on the version
 * read and on no expiry recorded yet (a save in between, or a second run, changes nothing), and the history entry.
 * `updatedAt` and the TTL stay as they were: TTL still removes the item later, as a backstop.
 */
export async function recordDraftExpiry(deps: Dependencies, draft: Agreement, history: AgreementHistory): Promise<Result<Agreement, 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const at = deps.clock.now().toISOString();
  const failed = await transact<'version-conflict'>(deps, [
    {
      write: {
        Update: {
          TableName: table,
          Key: keys.key(draft.id),
          UpdateExpression: 'SET version = :next, expiredAt = :at',
          ConditionExpression: 'version = :expected AND #status = :draft AND attribute_not_exists(expiredAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':next': draft.version + 1, ':expected': draft.version, ':draft': 'draft', ':at': at },
        },
      },
      conflict: 'version-conflict',
    },
    { write: { Put: { TableName: table, Item: historyItem(keys.pk(draft.id), at, safeHistory({ ...history, actor: { ...dailyJobActor } })) } } },
  ]);
  return failed ? refused(failed) : ok({ ...draft, version: draft.version + 1, expiredAt: at });
}

// --- reads -----------------------------------------------------------------------------------------------

/** The agreement, or undefined when unknown or an expired work version. */
export async function getAgreement(deps: Dependencies, id: string, today: string): Promise<Agreement | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.key(id), ConsistentRead: true }));
  return agreementOf(result.Item, today);
}

/** The stored agreement even when it is a work version past its expiry (the daily job expires it explicitly). */
export async function getStoredAgreement(deps: Dependencies, id: string): Promise<Agreement | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.key(id), ConsistentRead: true }));
  return result.Item ? strip(result.Item) : undefined;
}

export const getAgreementHistory = (deps: Dependencies, id: string): Promise<HistoryEntry[]> => readHistory(deps, keys.pk(id));

/** One BatchGet (strongly consistent) of named keys; a name without a key, or whose item is absent, is undefined. */
async function itemsByName<N extends string>(deps: Dependencies, wanted: Record<N, TableKey | undefined>): Promise<Record<N, StoredItem | undefined>> {
  const named = Object.entries(wanted).filter((entry): entry is [N, TableKey] => entry[1] !== undefined);
  const found = await batchGetItems(
    deps,
    named.map(([, key]) => key),
    { consistent: true },
  );
  return Object.fromEntries(named.map(([name, key]) => [name, found.get(keyString(key))])) as Record<N, StoredItem | undefined>;
}

/** A reference record of an item (its own fields, without the item's keys and bookkeeping). */
function referenceRecord<T>(item: StoredItem | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _a, sk: _b, version: _c, updatedAt: _d, updatedBy: _e, ...record } = item;
  return record as T;
}

function recognitionOf(item: StoredItem): RecognitionFacts {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r } = item;
  return r as unknown as RecognitionFacts;
}

const used = (slots: StoredItem | undefined) => Number(slots?.used ?? 0);
/** The establishment's KBO item (its record and address) when KBO places it at this enterprise; undefined otherwise. */
const establishmentOf = (item: StoredItem | undefined, enterpriseNumber: string) =>
  item && kboDigits(String(item.enterpriseNumber)) === kboDigits(enterpriseNumber) ? item : undefined;

/**
 * Everything a draft save decides on, in 4 reads: three Queries in parallel (the workplace's recognitions for the
 * programme, the learner's agreements, the allowance rows), then one BatchGet (the agreement being saved, the
 * programme, the provider, the establishment in KBO, the partnership of the recognition found, both slot counters).
 */
export async function readDraftFacts(
  deps: Dependencies,
  draft: { fields: DraftFields; providerId: string; agreementId?: string; today: string },
): Promise<DraftFacts & { agreement: Agreement | undefined }> {
  const { fields } = draft;
  const [recognitions, learnerAgreementList, allowances] = await Promise.all([
    findRecognitions(deps, kboDigits(fields.establishmentNumber), fields.programmeId),
    learnerAgreements(deps, fields.learner.nationalNumber.value),
    allReference<Allowance>(deps, 'allowances'),
  ]);
  const found = recognitionOn(recognitions, fields);
  const items = await itemsByName(deps, {
    agreement: draft.agreementId ? keys.key(draft.agreementId) : undefined,
    programme: reference.key('programmes', fields.programmeId),
    provider: reference.key('providers', draft.providerId),
    establishment: kbo.establishment(fields.establishmentNumber),
    partnership: found ? reference.key('partnerships', found.partnershipId) : undefined,
    // Capacity counts per person: the slots of the person behind the mentor, across recognitions.
    mentorSlots: keys.mentorSlots(mentorSlotOwner(found ?? undefined, fields.mentorId)),
    establishmentSlots: keys.establishmentSlots(fields.establishmentNumber),
  });
  const programme = referenceRecord<Programme>(items.programme);
  return {
    agreement: agreementOf(items.agreement, draft.today),
    programme,
    provider: referenceRecord<Provider>(items.provider),
    establishmentKnown: establishmentOf(items.establishment, fields.enterpriseNumber) !== undefined,
    allowances,
    workplace: {
      recognition: found,
      rules: referenceRecord<Partnership>(items.partnership)?.rules ?? null,
      mentorLoad: used(items.mentorSlots),
      establishmentLoad: used(items.establishmentSlots),
      learnerAgreements: learnerAgreementList,
      schoolYears: programme?.schoolYears ?? 1,
    },
  };
}

/**
 * Everything registration decides on, in 2 reads next to the agreement's: one BatchGet by key (the recognition and
 * the partnership the last check found, the programme, the establishment and its address in KBO, both slot
 * counters) and, in parallel, the Query of the learner's agreements.
 */
export async function readRegistrationFacts(deps: Dependencies, agreement: Agreement): Promise<RegistrationFacts> {
  const [items, learnerAgreementList] = await Promise.all([
    itemsByName(deps, {
      recognition: agreement.recognitionId ? recognition.key(agreement.recognitionId) : undefined,
      partnership: agreement.partnershipId ? reference.key('partnerships', agreement.partnershipId) : undefined,
      programme: reference.key('programmes', agreement.programmeId),
      establishment: kbo.establishment(agreement.establishmentNumber),
      mentorSlots: keys.mentorSlots(agreement.mentorId),
      establishmentSlots: keys.establishmentSlots(agreement.establishmentNumber),
    }),
    learnerAgreements(deps, agreement.learner.nationalNumber),
  ]);
  const workplace = await workplaceOnStartDate(deps, agreement, items.recognition, items.partnership);
  // Capacity counts per person: where the recognition knows the person behind the mentor, their slots (one GetItem more).
  const owner = mentorSlotOwner(workplace.recognition ?? undefined, agreement.mentorId);
  const mentorSlots = owner === agreement.mentorId ? items.mentorSlots : (await itemsByName(deps, { slots: keys.mentorSlots(owner) })).slots;
  return {
    ...workplace,
    mentorLoad: used(mentorSlots),
    establishmentLoad: used(items.establishmentSlots),
    learnerAgreements: learnerAgreementList,
    schoolYears: referenceRecord<Programme>(items.programme)?.schoolYears ?? 1,
    establishmentAddress: establishmentAddress(establishmentOf(items.establishment, agreement.enterpriseNumber)),
  };
}

/** The postcode and country of an establishment's KBO address (BAET); null without the establishment. */
function establishmentAddress(establishment: StoredItem | undefined): { postcode: string | null; country: string | null } | null {
  if (!establishment) return null;
  const address = addressOfType(addressesOf(establishment), 'BAET');
  return { postcode: address?.postcode ?? null, country: address?.country ?? null };
}

/**
 * The recognition on the start date and its partnership's rules. The one the last check found is kept when it still
 * is active on that date: at most one recognition per establishment and programme is active at a time (a renewal
 * starts when the recognition it renews ends). Otherwise (revoked meanwhile, none found then, or saved before the
 * partnership was recorded) the workplace's recognitions are read again.
 */
async function workplaceOnStartDate(deps: Dependencies, agreement: Agreement, stored: StoredItem | undefined, storedPartnership: StoredItem | undefined) {
  const kept = stored ? recognitionOn([recognitionOf(stored)], agreement) : null;
  const found = kept ?? recognitionOn(await findRecognitions(deps, kboDigits(agreement.establishmentNumber), agreement.programmeId), agreement);
  if (!found) return { recognition: null, rules: null };
  const partnership =
    storedPartnership && found.partnershipId === agreement.partnershipId
      ? referenceRecord<Partnership>(storedPartnership)
      : (await getReference<Partnership>(deps, 'partnerships', found.partnershipId))?.record;
  return { recognition: found, rules: partnership?.rules ?? null };
}

/** What an amendment decides on: the agreement models, and what the one change needs. */
export async function readAmendmentFacts(deps: Dependencies, agreement: Agreement, request: AmendmentRequest): Promise<AmendmentFacts> {
  const models = (): Promise<AgreementModel[]> => allReference<AgreementModel>(deps, 'agreementModels');
  switch (request.kind) {
    case 'mentor': {
      const [all, found] = await Promise.all([models(), agreement.recognitionId ? getRecognition(deps, agreement.recognitionId) : undefined]);
      const partnership = found ? (await getReference<Partnership>(deps, 'partnerships', found.partnershipId))?.record : undefined;
      return { models: all, recognition: found, rules: partnership?.rules ?? null };
    }
    case 'endDate': {
      const [all, programme] = await Promise.all([models(), getReference<Programme>(deps, 'programmes', agreement.programmeId)]);
      return { models: all, schoolYears: programme?.record.schoolYears ?? 1 };
    }
    case 'schedule': {
      const [all, document] = await Promise.all([models(), getDocument(deps, request.documentId)]);
      return { models: all, document };
    }
    case 'establishmentAddress': {
      const [all, establishment] = await Promise.all([
        models(),
        getEstablishmentFacts(deps, kboDigits(agreement.enterpriseNumber), kboDigits(agreement.establishmentNumber)),
      ]);
      return { models: all, establishment };
    }
    case 'counsellor':
      return { models: await models() };
  }
}

/** The documents of `ids` that exist, by id. */
export async function documentsOf(deps: Dependencies, ids: string[]): Promise<Map<string, DocumentRecord>> {
  const found = await Promise.all(ids.map(async (id) => [id, await getDocument(deps, id)] as const));
  return new Map(found.filter((entry): entry is readonly [string, DocumentRecord] => entry[1] !== undefined));
}

/** The ids of the agreements with a marker of `kind` on `day`. */
export async function agreementsMarkedOn(deps: Dependencies, kind: AgreementMarker, day: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.markerPk[kind](day) },
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(page.Items ?? []).map((i) => String(i.agreementId)));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

export async function slotsUsed(deps: Dependencies, key: TableKey): Promise<number> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key, ConsistentRead: true }));
  return used(result.Item as StoredItem | undefined);
}

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

export async function runningAgreementsOn(deps: Dependencies, recognitionId: string): Promise<RunningAgreement[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.runningOnPk(recognitionId), ':p': keys.skPrefix },
    }),
  );
  return (result.Items ?? []).map(({ pk: _a, sk: _b, ...link }) => link as RunningAgreement);
}

export async function listAgreements(
  deps: Dependencies,
  owner: { kind: 'enterprise'; digits: string } | { kind: 'provider'; id: string },
  page: { cursor?: string | undefined; limit?: number | undefined },
) {
  const index =
    owner.kind === 'enterprise'
      ? { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk', value: enterprise.index(owner.digits) }
      : { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk', value: keys.providerIndex(owner.id) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :pk AND begins_with(${index.sk}, :p)`,
      ExpressionAttributeValues: { ':pk': index.value, ':p': keys.skPrefix },
      ExclusiveStartKey: decodeCursor(page.cursor, { attribute: index.pk, value: index.value }),
      Limit: page.limit ?? 50,
      ScanIndexForward: false,
    }),
  );
  return { items: (result.Items ?? []).map(strip), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}
