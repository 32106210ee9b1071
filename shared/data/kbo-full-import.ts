// The deployed Full import's bookkeeping (state-machines/kbo-full-import.asl.json): one run item per Full
// extract, written once the zip is split into parts, and one marker per applied part, so that an execution
// started again after a failure skips the parts already applied and splits nothing twice.
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import * as keys from './keys.ts';

export type FullImportStepKind = 'load' | 'reconcile';

export type FullImportRun = {
  extractNumber: number;
  /** The zip's key in the KBO inbox bucket and its file name. */
  fileKey: string;
  fileName: string;
  step: FullImportStepKind;
  partCount: number;
  /** The manifest in the KBO inbox bucket: a JSON array of parts (`{ index, key }`), the Distributed Map's ItemReader. */
  manifestKey: string;
  snapshotDate: string;
  extractTimestamp: string;
  startedAt: string;
  finishedAt: string | null;
};

/** What one applied part counted: an import's counts (load) or the sync's (reconcile). */
export type PartMarker = { part: number; counts: Record<string, unknown>; appliedAt: string };

export async function getFullImportRun(deps: Dependencies, extractNumber: number): Promise<FullImportRun | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.fullImport(extractNumber) }));
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...run } = result.Item;
  return run as FullImportRun;
}

/** Written after the split, replacing an earlier run's item of the same extract (a rebuild, or a file replaced in the inbox). */
export async function putFullImportRun(deps: Dependencies, run: FullImportRun): Promise<void> {
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: { ...keys.kbo.fullImport(run.extractNumber), kind: 'kboFullImport', ...run } }));
}

export async function finishFullImportRun(deps: Dependencies, extractNumber: number): Promise<void> {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: keys.kbo.fullImport(extractNumber),
      UpdateExpression: 'SET finishedAt = :now',
      ExpressionAttributeValues: { ':now': deps.clock.now().toISOString() },
    }),
  );
}

export async function getPartMarker(deps: Dependencies, extractNumber: number, part: number): Promise<PartMarker | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.fullImportPart(extractNumber, part) }));
  if (!result.Item) return undefined;
  return { part: result.Item.part as number, counts: result.Item.counts as Record<string, unknown>, appliedAt: result.Item.appliedAt as string };
}

/** After the part's items and its report part are written: from then on a resumed run skips it. */
export async function markPartApplied(deps: Dependencies, extractNumber: number, part: number, counts: Record<string, unknown>): Promise<void> {
  await deps.db.send(
    new PutCommand({
      TableName: deps.config.TABLE_NAME,
      Item: { ...keys.kbo.fullImportPart(extractNumber, part), kind: 'kboFullImportPart', part, counts, appliedAt: deps.clock.now().toISOString() },
    }),
  );
}

/** Every applied part of one Full (one Query, paged: a real Full has about a hundred parts). */
export async function listPartMarkers(deps: Dependencies, extractNumber: number): Promise<PartMarker[]> {
  const markers: PartMarker[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.kbo.fullImportPartsPk(extractNumber) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? [])
      markers.push({ part: item.part as number, counts: item.counts as Record<string, unknown>, appliedAt: item.appliedAt as string });
    start = page.LastEvaluatedKey;
  } while (start);
  return markers;
}

/** Deletes the markers of an earlier import of this extract (a rebuild splits anew: its parts are other parts). */
export async function clearPartMarkers(deps: Dependencies, extractNumber: number): Promise<number> {
  const markers = await listPartMarkers(deps, extractNumber);
  for (let i = 0; i < markers.length; i += 25) {
    const batch = markers.slice(i, i + 25).map((m) => ({ DeleteRequest: { Key: keys.kbo.fullImportPart(extractNumber, m.part) } }));
    let pending: Record<string, unknown[]> | undefined = { [deps.config.TABLE_NAME]: batch };
    // A marker left behind would make the new run skip its part: retry what DynamoDB did not process.
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      if (attempt === 5) throw new Error(`extract ${extractNumber}: could not delete the part markers of an earlier import`);
      const result = await deps.db.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = result.UnprocessedItems as Record<string, unknown[]> | undefined;
    }
  }
  return markers.length;
}
