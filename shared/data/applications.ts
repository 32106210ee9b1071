// Recognition applications and recognitions in the single table (see README.md next to this file).
//   application: pk `APP#<id>` sk `APP`; gsi1 `ENT#<enterprise>` / `APP#<id>` (the enterprise's list);
//                gsi2 `PARTNERSHIP#<id>` / `<status>#<submittedAt>#<id>` (the partnership's work lists)
//   history:     pk `APP#<id>` sk `HIST#<instant>#<ulid>` (same item collection: one Query reads the file)
//   lock:        pk `LOCK#<establishment>#<programme>` sk `LOCK`: at most one open application or active
//                recognition per establishment and programme, taken in the submit transaction
//   recognition: pk `REC#<id>` sk `REC`; gsi1 `EST#<establishment>` / `REC#<programme>#<startDate>`
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, PutCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { historyItem, readHistory, type HistoryEntry } from './history.ts';
import { versionedWriteError } from './versioned-write.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { ApplicationStatus, Criteria, Mentor } from '../domain/recognitions.ts';
import { conflict } from '../http/problem.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

export type Application = {
  id: string;
  kind: 'new' | 'renewal';
  renewsRecognitionId: string | null;
  enterpriseNumber: string;
  establishmentNumber: string;
  programmeId: string;
  jointCommittee: string | null;
  /** Where the official notifications go: the enterprise's contact address and the filer's own. */
  contactEmails: string[];
  criteria: Criteria;
  mentors: Mentor[];
  documents: { kind: string; documentId: string }[];
  bankAccount: { iban: string; premiumConsent: boolean } | null;
  filedBy: { organisationKey: string; userId: string; role: 'enterprise' | 'counsellor'; providerId: string | null };
  status: ApplicationStatus;
  partnershipId: string | null;
  reviewRound: number;
  submittedAt: string | null;
  clockStartedAt: string | null;
  reminderSentAt: string | null;
  escalatedAt: string | null;
  overdue: boolean;
  completionRequest: { message: string; at: string; by: string } | null;
  pauseReason: string | null;
  /** The version the pause saved: names the "Hervatten" task that the resume closes (each pause its own). */
  pausedInVersion?: number | null;
  proposal: { decision: 'recognise' | 'reject'; reasons: string; by: string; at: string } | null;
  decision: { decision: 'recognised' | 'notRecognised'; reasons: string; by: string; at: string; recognitionId: string | null } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type { HistoryEntry } from './history.ts';

const appKey = (id: string) => ({ pk: `APP#${id}`, sk: 'APP' });
export const lockKey = (establishmentDigits: string, programmeId: string) => ({ pk: `LOCK#${establishmentDigits}#${programmeId}`, sk: 'LOCK' });
const digits = (formatted: string) => formatted.replace(/\./g, '');

function indexKeys(a: Application) {
  return {
    gsi1pk: `ENT#${digits(a.enterpriseNumber)}`,
    gsi1sk: `APP#${a.id}`,
    ...(a.partnershipId ? { gsi2pk: `PARTNERSHIP#${a.partnershipId}`, gsi2sk: `${a.status}#${a.submittedAt ?? ''}#${a.id}` } : {}),
  };
}

function strip(item: Record<string, unknown>): Application {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...application } = item;
  return application as Application;
}

export async function createApplication(deps: Dependencies, application: Application): Promise<void> {
  await deps.db.send(
    new PutCommand({
      TableName: deps.config.TABLE_NAME,
      Item: { ...appKey(application.id), ...indexKeys(application), ...application },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getApplication(deps: Dependencies, id: string): Promise<Application | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: appKey(id), ConsistentRead: true }));
  return result.Item ? strip(result.Item) : undefined;
}

export const getHistory = (deps: Dependencies, id: string) => readHistory(deps, `APP#${id}`);

const versionConflict = () => conflict('version-conflict', 'Het dossier werd intussen gewijzigd. Lees het opnieuw.');

/**
 * Replaces the application if it is still at `expectedVersion`, records the history entry, and runs any
 * extra writes (lock, recognition) in the same transaction, so either all of it happens or none.
 */
export async function saveApplication(
  deps: Dependencies,
  next: Application,
  expectedVersion: number,
  history: Omit<HistoryEntry, 'at'> | null,
  extra: NonNullable<TransactWriteCommandInput['TransactItems']> = [],
  onExtraConflict: (index: number) => Error = () => versionConflict(),
): Promise<Application> {
  const now = deps.clock.now().toISOString();
  const saved: Application = { ...next, version: expectedVersion + 1, updatedAt: now };
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: deps.config.TABLE_NAME,
        Item: { ...appKey(saved.id), ...indexKeys(saved), ...saved },
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    ...extra,
  ];
  if (history) items.push({ Put: { TableName: deps.config.TABLE_NAME, Item: historyItem(`APP#${saved.id}`, now, history) } });
  try {
    await deps.db.send(new TransactWriteCommand({ TableName: deps.config.TABLE_NAME, TransactItems: items } as never));
  } catch (error) {
    throw versionedWriteError(error, versionConflict, onExtraConflict);
  }
  return saved;
}

export async function listApplicationsOfEnterprise(
  deps: Dependencies,
  enterpriseDigits: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
) {
  const partition = { attribute: 'gsi1pk', value: `ENT#${enterpriseDigits}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
      ExpressionAttributeValues: { ':pk': partition.value, ':p': 'APP#' },
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
  const partition = { attribute: 'gsi2pk', value: `PARTNERSHIP#${partnershipId}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: status ? 'gsi2pk = :pk AND begins_with(gsi2sk, :s)' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value, ...(status ? { ':s': `${status}#` } : {}) },
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(strip), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** Marks the review clock's reminder or escalation as done, once (a retried task does nothing twice). */
export async function markReviewEvent(deps: Dependencies, id: string, round: number, event: 'reminderSentAt' | 'escalatedAt'): Promise<boolean> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: appKey(id),
        UpdateExpression: `SET ${event} = :now${event === 'escalatedAt' ? ', overdue = :true' : ''}`,
        ConditionExpression: `reviewRound = :round AND attribute_type(${event}, :null)`,
        ExpressionAttributeValues: {
          ':now': deps.clock.now().toISOString(),
          ':round': round,
          ':null': 'NULL',
          ...(event === 'escalatedAt' ? { ':true': true } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
