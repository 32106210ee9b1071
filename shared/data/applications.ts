// Recognition applications in the single table (keys: keys.ts `application`; access patterns: README.md): the
// file, its history in the same item collection (one Query reads the file whole), the lock that allows at most
// one open application or active recognition per establishment and programme, and the day markers of retention.
// Every step of a file is one transaction: the file at the version it was read in, its history entry, and what
// the step takes with it (the lock, the recognition, the partnership's access to the documents).
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { recognitionChangedEvent } from '../domain/feed.ts';
import { kboDigits } from '../domain/identifiers.ts';
import type { Mandate } from '../domain/mandates.ts';
import { organisationKey } from '../domain/organisations.ts';
import {
  documentIdsOf,
  openStatuses,
  type Application,
  type ApplicationStatus,
  type Decided,
  type FileChange,
  type Recognition,
  reviewEventChange,
  type Submission,
  type SubmissionFacts,
} from '../domain/recognitions.ts';
import { competentPartnership, type Partnership, type Programme, type RoutingRule } from '../domain/reference.ts';
import { regionOf } from '../domain/region.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import { documentReadersUpdate, documentRecordOf } from './documents.ts';
import { entryOf, historyItem, readHistory, type HistoryEntry } from './history.ts';
import { getEstablishmentFacts } from './kbo-lookups.ts';
import { outboxPut } from './outbox.ts';
import * as keys from './keys.ts';
import { mandateChangeUpdate, mandateFromItem } from './mandates.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { personMentorItems, recognitionEndsItem, recognitionItem, recognitionLinkUpdate } from './recognitions.ts';
import { allReference, referenceRecordOf } from './reference.ts';
import { ok, refused, type Result } from './result.ts';
import { activeExclusion } from './sanctions.ts';
import { failedConditionIndex } from './versioned-write.ts';

export type { Application } from '../domain/recognitions.ts';
export type { HistoryEntry } from './history.ts';

/** The lock on an establishment and programme: held by its open application, then by its active recognition. */
export const lockKey = (establishmentDigits: string, programmeId: string) => keys.application.lock(establishmentDigits, programmeId);

function applicationItem(a: Application) {
  return {
    ...keys.application.key(a.id),
    gsi1pk: keys.enterprise.index(a.enterpriseNumber),
    gsi1sk: keys.application.enterpriseIndexSk(a.id),
    ...(a.partnershipId
      ? { gsi2pk: keys.application.partnershipIndex(a.partnershipId), gsi2sk: keys.application.partnershipIndexSk(a.status, a.submittedAt, a.id) }
      : {}),
    ...a,
  };
}

function strip(item: Record<string, unknown>): Application {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...application } = item;
  return application as Application;
}

/** A new file (a draft or a renewal) and its first history entry, in one transaction. */
export async function createApplication(deps: Dependencies, application: Application, created: FileChange): Promise<void> {
  const table = deps.config.TABLE_NAME;
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: applicationItem(application), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: table, Item: historyItem(keys.application.pk(application.id), application.createdAt, created) } },
      ],
    }),
  );
}

export async function getApplication(deps: Dependencies, id: string): Promise<Application | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.application.key(id), ConsistentRead: true }));
  return result.Item ? strip(result.Item) : undefined;
}

export const getHistory = (deps: Dependencies, id: string) => readHistory(deps, keys.application.pk(id));

/** The file and its history in one Query of its item collection (the history in order of its instants). */
export async function getApplicationWithHistory(deps: Dependencies, id: string): Promise<{ application: Application; history: HistoryEntry[] } | undefined> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.application.pk(id) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const file = items.find((i) => i.sk === keys.application.key(id).sk);
  if (!file) return undefined;
  const history = items.filter((i) => String(i.sk).startsWith(keys.history.skPrefix)).map(entryOf);
  return { application: strip(file), history };
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The first two items of every step: the file at its next version if still at `expectedVersion`, and its history entry. */
function versionedItems(table: string, saved: Application, expectedVersion: number, change: FileChange, now: string): TransactItem[] {
  return [
    {
      Put: {
        TableName: table,
        Item: applicationItem(saved),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    { Put: { TableName: table, Item: historyItem(keys.application.pk(saved.id), now, change) } },
  ];
}

/** Runs a step's transaction; a failed condition is the conflict of the item that failed (`conflictOf(index)`). */
async function commit<C extends string>(deps: Dependencies, items: TransactItem[], conflictOf: (index: number) => C): Promise<Result<void, C>> {
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
    return ok(undefined);
  } catch (error) {
    const failed = failedConditionIndex(error);
    if (failed === undefined) throw error;
    return refused(conflictOf(failed));
  }
}

const versionConflict = () => 'version-conflict' as const;

/** A step that changes the file alone (its content, the partnership's steps, a proposal, retention), with its history. */
export async function saveApplication(
  deps: Dependencies,
  next: Application,
  expectedVersion: number,
  change: FileChange,
): Promise<Result<Application, 'version-conflict'>> {
  const now = deps.clock.now().toISOString();
  const saved: Application = { ...next, version: expectedVersion + 1, updatedAt: now };
  const done = await commit(deps, versionedItems(deps.config.TABLE_NAME, saved, expectedVersion, change, now), versionConflict);
  return done.ok ? ok(saved) : done;
}

export type SubmitConflict = 'version-conflict' | 'already-open-or-recognised' | 'document-gone';

/**
 * Submits in one transaction: the file, its history, the lock on its establishment and programme (so two
 * parallel submits leave exactly one open application), and the competent partnership as a reader of its documents.
 */
export async function submitApplication(deps: Dependencies, submission: Submission, expectedVersion: number): Promise<Result<Application, SubmitConflict>> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const saved: Application = { ...submission.application, version: expectedVersion + 1, updatedAt: now };
  const reviewer = organisationKey('partnership', saved.partnershipId!);
  const items: TransactItem[] = [
    ...versionedItems(table, saved, expectedVersion, submission.change, now),
    {
      Put: {
        TableName: table,
        Item: { ...keys.application.lock(saved.establishmentNumber, saved.programmeId), holder: saved.id, holderKind: 'application' },
        // A renewal takes the lock over from the recognition it renews; anything else needs a free lock.
        ConditionExpression: 'attribute_not_exists(pk) OR holder = :self OR holder = :renews',
        ExpressionAttributeValues: { ':self': saved.id, ':renews': saved.renewsRecognitionId ?? '-' },
      },
    },
    ...submission.readableDocumentIds.map((id) => ({ Update: documentReadersUpdate(table, id, [reviewer]) })),
  ];
  const done = await commit(deps, items, (index) => (index === 0 ? 'version-conflict' : index === 2 ? 'already-open-or-recognised' : 'document-gone'));
  return done.ok ? ok(saved) : done;
}

const recognitionGranted = (recognition: Recognition, renews: string | null, at: string) =>
  recognitionChangedEvent(recognition, renews ? 'renewed' : 'granted', at, { renewsRecognitionId: renews });

/**
 * Decides in one transaction: the file and its history; recognised, the recognition, its link to the
 * establishment, its end-of-month marker for the daily job, the lock handed over from the file to the
 * recognition and the outbox event (granted or renewed); not recognised, the lock released. Either way the day its extracts go (retention marker).
 */
export async function decideApplication(deps: Dependencies, decided: Decided, expectedVersion: number): Promise<Result<Application, 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const saved: Application = { ...decided.application, version: expectedVersion + 1, updatedAt: now };
  const { recognition } = decided;
  const lock = keys.application.lock(saved.establishmentNumber, saved.programmeId);
  const heldByFile = { ConditionExpression: 'holder = :self', ExpressionAttributeValues: { ':self': saved.id } };
  const outcome: TransactItem[] = recognition
    ? [
        { Put: { TableName: table, Item: recognitionItem(recognition), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: recognitionLinkUpdate(table, recognition) },
        { Put: { TableName: table, Item: recognitionEndsItem(recognition) } },
        ...personMentorItems(recognition).map((Item) => ({ Put: { TableName: table, Item } })),
        { Put: { TableName: table, Item: { ...lock, holder: recognition.id, holderKind: 'recognition' }, ...heldByFile } },
        // For the systems of the partnership and the providers there (the event feed): granted, or renewed.
        outboxPut(table, recognitionGranted(recognition, saved.renewsRecognitionId, now), now),
      ]
    : [{ Delete: { TableName: table, Key: lock, ...heldByFile } }];
  const retention = { Put: { TableName: table, Item: { ...keys.application.retentionOn(decided.retentionOn, saved.id), applicationId: saved.id } } };
  const done = await commit(deps, [...versionedItems(table, saved, expectedVersion, decided.change, now), ...outcome, retention], versionConflict);
  return done.ok ? ok(saved) : done;
}

/**
 * The competent partnership rejects the mandate a counsellor filed this file under: the mandate (if it is still
 * pending or confirmed) and the file without the counsellor's address, in one transaction.
 */
export async function rejectFiledMandate(
  deps: Dependencies,
  input: {
    application: Application;
    expectedVersion: number;
    change: FileChange;
    mandate: Mandate;
    rejection: { by: string; partnershipId: string; reasons: string };
  },
): Promise<Result<{ application: Application; mandate: Mandate }, 'version-conflict' | 'mandate-status'>> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const saved: Application = { ...input.application, version: input.expectedVersion + 1, updatedAt: now };
  const { mandate, rejection } = input;
  const update = mandateChangeUpdate(table, kboDigits(mandate.enterpriseNumber), mandate.providerId, { action: 'reject', ...rejection }, now);
  const done = await commit(deps, [...versionedItems(table, saved, input.expectedVersion, input.change, now), { Update: update }], (index) =>
    index === 0 ? 'version-conflict' : 'mandate-status',
  );
  if (!done.ok) return done;
  return ok({ application: saved, mandate: { ...mandate, status: 'rejected', rejection: { ...rejection, at: now }, version: mandate.version + 1 } });
}

export async function listApplicationsOfEnterprise(
  deps: Dependencies,
  enterpriseDigits: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
) {
  const partition = { attribute: 'gsi1pk', value: keys.enterprise.index(enterpriseDigits) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
      ExpressionAttributeValues: { ':pk': partition.value, ':p': keys.application.enterpriseIndexSkPrefix },
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
      ScanIndexForward: false,
    }),
  );
  return { items: (result.Items ?? []).map(strip), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** A partnership's work list ("Dossier volledig", "In behandeling", ...): one Query on gsi2 by status prefix. */
export async function listApplicationsOfPartnership(
  deps: Dependencies,
  partnershipId: string,
  status: ApplicationStatus | undefined,
  page: { cursor?: string | undefined; limit?: number | undefined },
) {
  const partition = { attribute: 'gsi2pk', value: keys.application.partnershipIndex(partnershipId) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: status ? 'gsi2pk = :pk AND begins_with(gsi2sk, :s)' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value, ...(status ? { ':s': keys.application.partnershipIndexStatusPrefix(status) } : {}) },
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(strip), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/**
 * Marks the review clock's reminder or escalation as done, once (a retried task does nothing twice), with its
 * history entry in the same transaction.
 */
export async function markReviewEvent(deps: Dependencies, id: string, round: number, event: 'reminderSentAt' | 'escalatedAt'): Promise<boolean> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const update: TransactItem = {
    Update: {
      TableName: table,
      Key: keys.application.key(id),
      UpdateExpression: `SET ${event} = :now${event === 'escalatedAt' ? ', overdue = :true' : ''}`,
      ConditionExpression: `reviewRound = :round AND attribute_type(${event}, :null)`,
      ExpressionAttributeValues: { ':now': now, ':round': round, ':null': 'NULL', ...(event === 'escalatedAt' ? { ':true': true } : {}) },
    },
  };
  const entry: TransactItem = { Put: { TableName: table, Item: historyItem(keys.application.pk(id), now, reviewEventChange(event, round)) } };
  return (await commit(deps, [update, entry], versionConflict)).ok;
}

/**
 * What a submission is checked against, in few requests whatever the number of documents: one BatchGet of the
 * programme, the documents and the mandate the file was filed under, alongside the routing rules, the
 * partnerships and the establishment from KBO (one Query each, in parallel); then the exclusions that bar a
 * submission to the competent partnership (one BatchGet).
 */
export async function readSubmissionFacts(deps: Dependencies, application: Application, today: string): Promise<SubmissionFacts> {
  const enterpriseDigits = kboDigits(application.enterpriseNumber);
  const establishmentDigits = kboDigits(application.establishmentNumber);
  const providerId = application.filedBy.role === 'counsellor' ? application.filedBy.providerId : null;
  const programmeKey = keys.reference.key('programmes', application.programmeId);
  const mandateKey = providerId ? keys.mandate.key(enterpriseDigits, providerId) : undefined;
  const documentIds = documentIdsOf(application);
  const [found, routing, partnerships, establishment] = await Promise.all([
    batchGetItems(deps, [programmeKey, ...(mandateKey ? [mandateKey] : []), ...documentIds.map(keys.document.key)], { consistent: true }),
    allReference<RoutingRule>(deps, 'routing'),
    allReference<Partnership>(deps, 'partnerships'),
    getEstablishmentFacts(deps, enterpriseDigits, establishmentDigits),
  ]);
  const programme = referenceRecordOf<Programme>(found.get(keyString(programmeKey)));
  if (!programme) throw new Error(`programme ${application.programmeId} disappeared from reference data`);
  const partnership = competentPartnership({ programme, jointCommittee: application.jointCommittee }, routing, partnerships);
  const now = deps.clock.now();
  const documents = new Map<string, { kind: string; status: string }>();
  for (const id of documentIds) {
    const document = documentRecordOf(found.get(keyString(keys.document.key(id))), now);
    if (document) documents.set(id, { kind: document.kind, status: document.status });
  }
  const mandateItem = mandateKey ? found.get(keyString(mandateKey)) : undefined;
  return {
    today,
    establishment: establishment ? { region: regionOf(establishment), status: establishment.status, name: establishment.name } : undefined,
    partnership,
    documents,
    exclusion: await activeExclusion(deps, { establishmentDigits, enterpriseDigits, partnershipId: partnership.id }, today),
    mandate: mandateItem ? mandateFromItem(mandateItem) : undefined,
  };
}

/** The files whose extracts, mentors' national numbers and account go on `day` (the decision's retention marker). */
export async function filesDueForRetention(deps: Dependencies, day: string): Promise<string[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.application.retentionOnPk(day) },
    }),
  );
  return (result.Items ?? []).map((i) => String(i.applicationId));
}

/**
 * Applies retention to a file (if still at the version read) and forgets its marker of `day`, in one
 * transaction; a file that no longer exists only loses its marker.
 */
export async function retainFile(
  deps: Dependencies,
  day: string,
  applicationId: string,
  retained: { application: Application; expectedVersion: number; change: FileChange } | undefined,
): Promise<Result<void, 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const forget: TransactItem = { Delete: { TableName: table, Key: keys.application.retentionOn(day, applicationId) } };
  if (!retained) return commit(deps, [forget], versionConflict);
  const saved: Application = { ...retained.application, version: retained.expectedVersion + 1, updatedAt: now };
  return commit(deps, [...versionedItems(table, saved, retained.expectedVersion, retained.change, now), forget], versionConflict);
}

/** A file with its partnership and programme, for the review workflow's e-mails: one GetItem, one BatchGet. */
export async function getApplicationForReview(
  deps: Dependencies,
  id: string,
): Promise<{ application: Application; partnership: Partnership | undefined; programme: Programme | undefined } | undefined> {
  const application = await getApplication(deps, id);
  if (!application) return undefined;
  const programmeKey = keys.reference.key('programmes', application.programmeId);
  const partnershipKey = application.partnershipId ? keys.reference.key('partnerships', application.partnershipId) : undefined;
  const found = await batchGetItems(deps, [programmeKey, ...(partnershipKey ? [partnershipKey] : [])]);
  return {
    application,
    partnership: partnershipKey ? referenceRecordOf<Partnership>(found.get(keyString(partnershipKey))) : undefined,
    programme: referenceRecordOf<Programme>(found.get(keyString(programmeKey))),
  };
}

/**
 * The enterprise's open files (submitted up to paused), for a sanction that closes them: its gsi1 collection of
 * files, every page read, with a filter on the status (an enterprise has tens of files, not thousands). The index
 * is eventually consistent: a file submitted a moment ago may be missing, and then the sanction's transaction
 * fails on the lock that file holds and nothing is written (the caller retries).
 */
export async function openApplicationsOfEnterprise(deps: Dependencies, enterpriseDigits: string): Promise<Application[]> {
  const found: Application[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
        FilterExpression: `#status IN (${openStatuses.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': keys.enterprise.index(enterpriseDigits),
          ':p': keys.application.enterpriseIndexSkPrefix,
          ...Object.fromEntries(openStatuses.map((s, i) => [`:s${i}`, s])),
        },
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(page.Items ?? []).map(strip));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/**
 * The writes of a file closed by another aggregate's transaction (a sanction): the file at its next version if
 * still at the version read, and its history entry. The caller releases the file's lock.
 */
export function closedFileWrites(table: string, closed: Application, change: FileChange, now: string): { saved: Application; items: TransactItem[] } {
  const saved: Application = { ...closed, version: closed.version + 1, updatedAt: now };
  return { saved, items: versionedItems(table, saved, closed.version, change, now) };
}
