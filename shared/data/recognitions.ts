// Recognitions in the single table (keys: keys.ts `recognition`; access patterns: README.md). gsi1 makes "is this
// workplace recognised for this programme on that date" one Query; gsi2 is the public workplace search.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RecognitionChanged } from '../../events/recognition-changed.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { personKey } from '../adapters/keyring.ts';
import { recognitionChangedEvent } from '../domain/feed.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { mentorSlotOwner, recognitionId, type Application, type Mentor, type Recognition, type RecognitionFacts } from '../domain/recognitions.ts';
import type { Partnership, Programme } from '../domain/reference.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import { readHistory, type HistoryEntry } from './history.ts';
import { establishmentsOf, getEstablishmentFacts } from './kbo-lookups.ts';
import * as keys from './keys.ts';
import { outboxItem, outboxPut, suspensionPuts } from './outbox.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { referenceRecordOf } from './reference.ts';
import { ok, refused, type Result } from './result.ts';

export type { Recognition, RecognitionMentor } from '../domain/recognitions.ts';

export const recognitionKey = (id: string) => keys.recognition.key(id);

/**
 * A recognition with an available place is in the public search index (gsi2, per programme by postcode), so a
 * search is one Query on one programme's partition, whatever the table's size.
 */
export function recognitionItem(r: Recognition) {
  const searchable = r.status === 'active' && r.placeAvailable;
  return {
    ...keys.recognition.key(r.id),
    gsi1pk: keys.recognition.establishmentIndex(r.establishmentNumber),
    gsi1sk: keys.recognition.establishmentIndexSk(r.programmeId, r.startDate),
    ...(searchable ? { gsi2pk: keys.recognition.workplaceIndex(r.programmeId), gsi2sk: keys.recognition.workplaceIndexSk(r.workplace.postcode, r.id) } : {}),
    ...r,
  };
}

const fromItem = ({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r }: Record<string, unknown>) => r as Recognition;
/** A stored recognition item as the entity, for repositories that read recognitions among other items. */
export const recognitionFromItem = fromItem;

/**
 * The recognitions ever decided on an establishment: a string set `recognitionIds`, added to in the decision
 * transaction and never shrunk (a revoked one keeps its id; readers check the status). The KBO sync and the
 * exclusions read these with BatchGet instead of one Query per establishment.
 */
export const recognitionLinksKey = (establishmentDigits: string) => keys.kbo.recognitionLinks(establishmentDigits);

/** The Update (for a transaction or an UpdateCommand) that links a recognition to its establishment. */
export function recognitionLinkUpdate(table: string, r: Pick<Recognition, 'id' | 'establishmentNumber'>) {
  return {
    TableName: table,
    Key: recognitionLinksKey(kboDigits(r.establishmentNumber)),
    UpdateExpression: 'ADD recognitionIds :id',
    ExpressionAttributeValues: { ':id': new Set([r.id]) },
  };
}

/** The daily job's marker of a recognition: the month it ends in (renewal tasks, expiry, retention of its mentors' data). */
export const recognitionEndsItem = (r: Pick<Recognition, 'id' | 'endDate'>) => ({ ...keys.recognition.endsIn(r.endDate, r.id), recognitionId: r.id });

/** The recognition's history (decision, revocation, restoration, mentor changes): one Query of its item collection. */
export const getRecognitionHistory = (deps: Dependencies, id: string): Promise<HistoryEntry[]> => readHistory(deps, keys.recognition.pk(id));

export async function getRecognition(deps: Dependencies, id: string): Promise<Recognition | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.recognition.key(id), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : undefined;
}

/** The recognitions with these ids, as far as they exist (consistent: their versions are written against). */
export async function getRecognitions(deps: Dependencies, ids: readonly string[]): Promise<Recognition[]> {
  const found = await batchGetItems(deps, ids.map(keys.recognition.key), { consistent: true });
  return ids.flatMap((id) => {
    const item = found.get(keyString(keys.recognition.key(id)));
    return item ? [fromItem(item)] : [];
  });
}

/** Replaces the recognition if still at `expectedVersion`, keeping the search index entry in step. */
export async function saveRecognition(deps: Dependencies, next: Recognition, expectedVersion: number): Promise<Result<Recognition, 'version-conflict'>> {
  const saved = { ...next, version: expectedVersion + 1 };
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: recognitionItem(saved),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('version-conflict');
    throw error;
  }
  return ok(saved);
}

/**
 * The daily job's expiry: the recognition expired (out of the search) if still at `expectedVersion`, with its outbox
 * event `expired` (one per recognition) in the same transaction.
 */
export async function expireRecognition(deps: Dependencies, recognition: Recognition, at: string): Promise<Result<Recognition, 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const saved: Recognition = { ...recognition, status: 'expired', placeAvailable: false, version: recognition.version + 1 };
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: recognitionItem(saved),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': recognition.version },
            },
          },
          outboxPut(table, recognitionChangedEvent(saved, 'expired', at), at),
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) return refused('version-conflict');
    throw error;
  }
  return ok(saved);
}

/**
 * Saves several recognitions in one transaction, each conditional on the version it was read at: a change of a
 * person that spans recognitions (their mentor training) is applied to all of them or to none. A change of mentors
 * that leaves one without a mentor that counts records its `suspended` event with it (suspensionPuts), so the feed
 * and the webhooks learn it at once. At most 50 (each may bring its event).
 */
export async function saveRecognitions(
  deps: Dependencies,
  changes: readonly { next: Recognition; expectedVersion: number }[],
): Promise<Result<Recognition[], 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const at = deps.clock.now().toISOString();
  const saved = changes.map((c) => ({ ...c.next, version: c.expectedVersion + 1 }));
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: changes.flatMap((c, i) => [
          {
            Put: {
              TableName: table,
              Item: recognitionItem(saved[i]!),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': c.expectedVersion },
            },
          },
          ...suspensionPuts(table, saved[i]!, at),
        ]),
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) return refused('version-conflict');
    throw error;
  }
  return ok(saved);
}

/**
 * Records an event about a recognition that no write of it causes (the daily job sees its mentors stop counting):
 * the outbox item alone, once per event id; false when it was recorded before.
 */
export async function recordRecognitionEvent(deps: Dependencies, event: RecognitionChanged): Promise<boolean> {
  try {
    await deps.db.send(
      new PutCommand({ TableName: deps.config.TABLE_NAME, Item: outboxItem(event, event.at), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export type WorkplaceQuery = {
  programmeId: string;
  postcodePrefix?: string | undefined;
  municipality?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

export async function searchWorkplaces(deps: Dependencies, query: WorkplaceQuery): Promise<{ items: Recognition[]; cursor: string | null }> {
  const partition = { attribute: 'gsi2pk', value: keys.recognition.workplaceIndex(query.programmeId) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: query.postcodePrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :postcode)' : 'gsi2pk = :pk',
      ...(query.municipality ? { FilterExpression: 'workplace.municipality = :municipality' } : {}),
      ExpressionAttributeValues: {
        ':pk': partition.value,
        ...(query.postcodePrefix ? { ':postcode': query.postcodePrefix } : {}),
        ...(query.municipality ? { ':municipality': query.municipality } : {}),
      },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      Limit: query.limit,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** The sort-key prefix of one postcode in the public search index (a distance search reads postcode by postcode). */
export const workplacePostcodePrefix = (postcode: string) => keys.recognition.workplaceIndexPostcodePrefix(postcode);

/** The next number of the day's recognition ids: an atomic counter, so two decisions never share an id. */
export async function nextRecognitionSequence(deps: Dependencies): Promise<number> {
  const result = await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: keys.recognition.counter,
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(result.Attributes!.value);
}

export async function findRecognitions(deps: Dependencies, establishmentDigits: string, programmeId: string | undefined): Promise<Recognition[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.recognition.establishmentIndex(establishmentDigits),
        ':prefix': keys.recognition.establishmentIndexSkPrefix(programmeId),
      },
    }),
  );
  return (result.Items ?? []).map(fromItem);
}

/**
 * What a recognition of this file is made of besides the file, read at once: the workplace from KBO (one Query),
 * the programme and the partnership's training rule (one BatchGet), and the day's next number (the counter).
 */
export async function readRecognitionFacts(deps: Dependencies, application: Application, decisionDate: string): Promise<RecognitionFacts> {
  const programmeKey = keys.reference.key('programmes', application.programmeId);
  const partnershipKey = keys.reference.key('partnerships', application.partnershipId!);
  const [establishment, found, sequence] = await Promise.all([
    getEstablishmentFacts(deps, kboDigits(application.enterpriseNumber), kboDigits(application.establishmentNumber)),
    batchGetItems(deps, [programmeKey, partnershipKey]),
    nextRecognitionSequence(deps),
  ]);
  const programme = referenceRecordOf<Programme>(found.get(keyString(programmeKey)));
  const partnership = referenceRecordOf<Partnership>(found.get(keyString(partnershipKey)));
  return {
    id: recognitionId(decisionDate, sequence),
    establishment,
    programme,
    trainingMonths: partnership?.rules.mentorTrainingDeadlineMonths ?? null,
    mentorPersonKeys: await mentorPersonKeys(deps, application.mentors),
  };
}

/**
 * The person key of each mentor (by id) whose national number the file still holds in full: the keyed HMAC of its
 * 11 digits with the `person` key, as for a learner. A number retention masked gives none.
 */
export async function mentorPersonKeys(
  deps: Pick<Dependencies, 'keys'>,
  mentors: readonly Pick<Mentor, 'id' | 'nationalNumber' | 'nationalNumberErased'>[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const withNumber = mentors.filter((m) => !m.nationalNumberErased && /^\d{11}$/.test(m.nationalNumber.replace(/\D/g, '')));
  if (!withNumber.length) return found;
  const key = await deps.keys.derive('person');
  for (const m of withNumber) found.set(m.id, personKey(key, m.nationalNumber.replace(/\D/g, '')));
  return found;
}

/** The recognitions that end in a month (`YYYY-MM`), for the daily job: one Query on the month's markers, one BatchGet. */
export async function recognitionsEndingIn(deps: Dependencies, month: string): Promise<Recognition[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.recognition.endsInPk(month) },
    }),
  );
  const ids = (result.Items ?? []).map((i) => String(i.recognitionId));
  return ids.length ? getRecognitions(deps, ids) : [];
}

/**
 * Every recognition ever decided at an enterprise's establishments, in id order: its establishments (one Query on
 * its item collection), their recognition links (one BatchGet), the recognitions (one BatchGet), whatever the
 * number of establishments; the exclusions read them the same way.
 */
export async function recognitionsOfEnterprise(deps: Dependencies, enterpriseDigits: string): Promise<Recognition[]> {
  const establishments = await establishmentsOf(deps, enterpriseDigits);
  if (!establishments.length) return [];
  const links = await batchGetItems(deps, establishments.map(recognitionLinksKey));
  const ids = [...links.values()].flatMap((item) => [...((item.recognitionIds as Set<string> | undefined) ?? [])]).sort();
  return ids.length ? getRecognitions(deps, ids) : [];
}

/** What the free places of recognitions are counted from: their partnerships' maxima and the slots in use. */
export type PlacesInUse = {
  rulesOf: (partnershipId: string) => Partnership['rules'] | undefined;
  mentorSlotsUsed: (mentorId: string) => number;
  establishmentSlotsUsed: (establishmentNumber: string) => number;
};

/**
 * The facts of the free places of these recognitions in one BatchGet: each partnership's record (its maxima) and
 * the slot counters of each mentor and establishment (running agreements of all programmes, as registration counts).
 */
export async function placesInUse(deps: Dependencies, recognitions: readonly Recognition[]): Promise<PlacesInUse> {
  const partnershipKey = (id: string) => keys.reference.key('partnerships', id);
  // Slots are held per person (mentorSlotOwner): the same person on two recognitions reads one counter.
  const owners = new Map(recognitions.flatMap((r) => r.mentors.map((m) => [m.id, mentorSlotOwner(r, m.id)] as const)));
  const mentorKey = (id: string) => keys.agreement.mentorSlots(owners.get(id) ?? id);
  const establishmentKey = (number: string) => keys.agreement.establishmentSlots(number);
  const wanted = recognitions.flatMap((r) => [
    partnershipKey(r.partnershipId),
    establishmentKey(r.establishmentNumber),
    ...r.mentors.filter((m) => !m.withdrawn).map((m) => mentorKey(m.id)),
  ]);
  const found = wanted.length ? await batchGetItems(deps, wanted) : new Map();
  const used = (key: keys.TableKey) => Number(found.get(keyString(key))?.used ?? 0);
  return {
    rulesOf: (id) => referenceRecordOf<Partnership>(found.get(keyString(partnershipKey(id))))?.rules,
    mentorSlotsUsed: (id) => used(mentorKey(id)),
    establishmentSlotsUsed: (number) => used(establishmentKey(number)),
  };
}

/** The items that find a recognition from the person behind each of its mentors (those with a person key). */
export const personMentorItems = (r: Pick<Recognition, 'id' | 'enterpriseNumber' | 'mentors'>) =>
  r.mentors.flatMap((m) =>
    m.personKey
      ? [{ ...keys.recognition.personMentor(m.personKey, r.id, m.id), recognitionId: r.id, mentorId: m.id, enterpriseNumber: r.enterpriseNumber }]
      : [],
  );

/** Records that a recognition names a person as a mentor (a mentor approved later); writing it twice writes it once. */
export async function linkMentorPerson(deps: Dependencies, r: Recognition, mentorId: string): Promise<void> {
  for (const Item of personMentorItems(r).filter((i) => i.mentorId === mentorId))
    await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item }));
}

/**
 * The recognitions that name a person as a mentor, of one enterprise or (enterpriseNumber null) of every
 * enterprise: one Query of the person's partition (a person mentors at a handful of workplaces), then one BatchGet
 * of those recognitions.
 */
export async function recognitionsNamingPerson(deps: Dependencies, personKey: string, enterpriseNumber: string | null): Promise<Recognition[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.recognition.personMentorPk(personKey) },
      ConsistentRead: true,
    }),
  );
  const ids = [
    ...new Set(
      (result.Items ?? [])
        .filter((i) => enterpriseNumber === null || kboDigits(String(i.enterpriseNumber)) === kboDigits(enterpriseNumber))
        .map((i) => String(i.recognitionId)),
    ),
  ];
  return ids.length ? getRecognitions(deps, ids) : [];
}
