// Every file keeps its history: who did what when, with the values before and after. History items sit in
// the file's own item collection (the file's pk, sort key `history.sk` of keys.ts: by instant), so one Query
// reads the file whole.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { Actor } from '../domain/actors.ts';
import { history } from './keys.ts';

/** `actor`: who, with the names and roles at the time (absent on entries written before it was kept). */
export type HistoryEntry = { at: string; by: string; actor?: Actor; action: string; before: Record<string, unknown>; after: Record<string, unknown> };

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
  return (result.Items ?? []).map(entryOf);
}

/** A stored history item as an entry (without its keys). */
export function entryOf(item: Record<string, unknown>): HistoryEntry {
  const { at, by, actor, action, before, after } = item;
  return { at, by, ...(actor ? { actor } : {}), action, before, after } as HistoryEntry;
}
