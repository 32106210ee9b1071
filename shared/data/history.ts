// Every file keeps its history: who did what when, with the values before and after. History items sit in
// the file's own item collection (the file's pk, sort key `history.sk` of keys.ts: by instant), so one Query
// reads the file whole.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../adapters/dependencies.ts';
import { history } from './keys.ts';

/** Who did it, where the file records it: the user's id and name, the organisation acted for and the role in it. */
export type HistoryActor = { userId: string; name: string; organisationKey: string | null; role: string | null };
export type HistoryEntry = {
  at: string;
  by: string;
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  actor?: HistoryActor;
};

export function historyItem(pk: string, at: string, entry: Omit<HistoryEntry, 'at'>) {
  return { pk, sk: history.sk(at, ulid()), at, ...entry };
}

export async function readHistory(deps: Dependencies, pk: string): Promise<HistoryEntry[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': pk, ':h': history.skPrefix },
    }),
  );
  return (result.Items ?? []).map(
    ({ at, by, action, before, after, actor }) => ({ at, by, action, before, after, ...(actor ? { actor } : {}) }) as HistoryEntry,
  );
}
