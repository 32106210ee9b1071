// KBO sync benchmark: an Update of about 100,000 rows applied to a table with about 50,000 known
// establishments (a generated Full extract imported into a table of its own), with recognitions on the
// establishments the Update moves or stops so those changes are relevant. Measured in a child process
// (kbo-sync-child.ts, bundled alone so its RSS is the sync's, not the stage's): wall time, peak RSS, requests per
// relevant change, and the ratio of the sync's time to parsing the same delta members alone. Each target of the
// sync (issue 14) is printed with its value and pass/fail: wall time against the same DynamoDB requests issued
// bare with the same parallelism, against the parse alone, writes per changed entity, BatchGets per touched
// entity, peak RSS, and the Full import against its own bare BatchWrite floor. Besides: the rate of one worker
// of the kbo-full-import state machine (one ApplyParts item: PrepareFull's split, then ApplyPart on part 0), and
// a reconciling reload of the base's Full at the extract after the Update onto the table the sync left.
//
//   npm run bench                                  (as part of the whole benchmark)
//   npx tsx infra/local/bench/kbo-sync.ts --standalone   (only this one, on a throwaway stage)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, PurgeQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { Config } from '../../../shared/config.ts';
import { createDependencies } from '../../../shared/adapters/dependencies.ts';
import { KboExtract } from '../../../shared/adapters/kbo/extract.ts';
import { knownEntityDigits, writeItems } from '../../../shared/data/kbo.ts';
import { recognitionItem, recognitionLinkUpdate, type Recognition } from '../../../shared/data/recognitions.ts';
import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { importFullExtract, importOrReconcile } from '../../../functions/kbo-import/full-import.ts';
import { createFullImportTasks } from '../../../functions/kbo-import/full-import-tasks.ts';
import { getSliceParts } from '../../../shared/data/kbo-reports.ts';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { countingRequests } from './counting.ts';
import { generateFullExtract, generateUpdateExtract, fullFileName, planUpdate, updateFileName, type BaseExtract } from '../kbo/generator.ts';
import * as keys from '../../../shared/data/keys.ts';
import { ensureTable, localCredentials, localRegion } from '../emulators.ts';
import type { RunningStage } from '../stage.ts';
import { stateMachines } from '../../topology.ts';

export type KboSyncBench = {
  knownEstablishments: number;
  updateRows: number;
  updateBytes: number;
  relevantChanges: number;
  wallSeconds: number;
  parseSeconds: number;
  ratio: number;
  /** CPU time (user + system) of the sync process during the sync and during the parse alone. */
  syncCpuSeconds: number;
  parseCpuSeconds: number;
  /**
   * The sync's requests replayed bare from its request log, 16 in flight per part (the sync's parallelism): its
   * floor on this machine. Parts in the order replayed; `notReplayed`, the few single writes of its bookkeeping.
   */
  bare: BareFloor;
  /** Entities the Update's rows touch, the ones written (changed or new), and the item BatchGets of the sync. */
  entities: { touched: number; changed: number; itemBatchGets: number; readRequests: number; writeRequests: number };
  /** The Full import of the base: its time, items, and the same number of its items written bare (its floor). */
  fullImport: { seconds: number; items: number; rows: number; bareSeconds: number };
  /** One worker of the kbo-full-import state machine on the same Full: the split (PrepareFull), and ApplyPart of part 0. */
  fullWorker: { partCount: number; splitSeconds: number; splitRows: number; partRows: number; partSeconds: number } | undefined;
  /** A reconciling reload of the Full at the next extract onto the table the sync left: time, requests, what it found. */
  reload:
    | {
        enterprises: number;
        seconds: number;
        requests: Record<string, number>;
        counts: Record<string, number>;
        gone: { enterprises: number; establishments: number };
      }
    | undefined;
  peakRssMb: number;
  /** V8's heap and Node's buffers when the RSS peaked, in MB. */
  heapAtPeakMb: { used: number; total: number; external: number; arrayBuffers: number };
  baselineRssMb: number;
  requests: { dynamodb: number; sqs: number; s3: number };
  dynamodbRequestsPerRelevantChange: number;
  counts: Record<string, number>;
  /** Per step of the slices (summed): milliseconds and DynamoDB reads and writes. */
  phases: Record<string, { ms: number; reads: number; writes: number }>;
};

/** One part of the bare floor: requests of one kind, their size (keys, items or messages) and time. */
export type BarePart = { part: string; requests: number; size: number; seconds: number };
export type BareFloor = { parts: BarePart[]; seconds: number; notReplayed: Record<string, number> };

/** Enterprises in the base and changes in the Update, tuned so the table holds ~50,000 establishments and the Update ~100,000 rows. */
const base: BaseExtract = { enterprises: Number(process.env.BENCH_SYNC_ENTERPRISES ?? 56_000), seed: 7 };
const scale = Number(process.env.BENCH_SYNC_SCALE ?? 1);
/** `BENCH_SYNC_SKIP=full-worker,reload` leaves out the parts that measure the Full import, not the sync. */
const skipped = new Set(process.env.BENCH_SYNC_SKIP?.split(',').map((s) => s.trim()));
// At scale 1 the Update has about 100,000 rows (68,000 at two thirds of these numbers, measured).
const changes = {
  addressMoves: Math.round(9000 * scale),
  enterpriseStops: Math.round(2200 * scale),
  establishmentStops: Math.round(1200 * scale),
  situationChanges: Math.round(4500 * scale),
  nameChanges: Math.round(4500 * scale),
  restatements: Math.round(4500 * scale),
  newEnterprises: Math.round(3700 * scale),
};

export async function benchKboSync(stage: Pick<RunningStage, 'config'>, directory: string): Promise<KboSyncBench> {
  const tableName = `${stage.config.STAGE}-kbo-sync-bench`;
  const dynamo = new DynamoDBClient({ endpoint: stage.config.LOCAL_DYNAMODB_ENDPOINT!, region: localRegion, credentials: localCredentials });
  await ensureTable(dynamo, tableName);
  dynamo.destroy();
  // A queue of its own: the stage's changes consumer reads the stage's table and would not find these records.
  const stageDeps = createDependencies(stage.config);
  const queue = await stageDeps.sqs.send(new CreateQueueCommand({ QueueName: `${stage.config.STAGE}-kbo-sync-bench-changes` }));
  const config: Config = { ...stage.config, TABLE_NAME: tableName, KBO_CHANGES_QUEUE_URL: queue.QueueUrl! };
  const deps = createDependencies(config);

  mkdirSync(directory, { recursive: true });
  const fullPath = join(directory, fullFileName(base));
  console.log(`  generating and importing a Full extract of ${base.enterprises} enterprises...`);
  const generated = await generateFullExtract({ ...base, path: fullPath });
  // The bench table may hold an earlier run's extract: the import is a deliberate rebuild.
  const importStarted = performance.now();
  const imported = await importFullExtract(deps, fullPath, { force: true });
  const importSeconds = (performance.now() - importStarted) / 1000;
  const importItems = imported.enterprises + imported.establishments;
  console.log(`  imported ${importItems} entity items in ${importSeconds.toFixed(1)} s; writing as many bare...`);
  // Its floor: as many copies of real items (an enterprise's and an establishment's, alternately) in BatchWrites
  // of 25 with the import's parallelism (16), on scratch keys.
  const known = await knownEntityDigits(deps);
  const samples = await Promise.all(
    [keys.enterprise.profile(known.enterprises[0]!), keys.kbo.establishment(known.establishments[0]!)].map(
      async (key) => (await deps.db.send(new GetCommand({ TableName: tableName, Key: key }))).Item!,
    ),
  );
  const importFloorStarted = performance.now();
  await writeItems(
    deps,
    Array.from({ length: importItems }, (_, i) => ({ ...samples[i % 2], pk: `bench-import-floor-${i}`, sk: 'item' })),
  );
  const importBareSeconds = (performance.now() - importFloorStarted) / 1000;
  console.log('  one Full import worker: PrepareFull (the split) and ApplyPart of part 0...');
  const fullWorker = skipped.has('full-worker') ? undefined : await measureFullWorker(deps, fullPath);
  const plan = planUpdate(base, [], changes);
  const updatePath = join(directory, updateFileName(plan));
  await generateUpdateExtract({ base, ...changes, path: updatePath });
  const extract = await KboExtract.open(updatePath);
  let updateRows = 0;
  for (const member of extract.members()) if (member !== 'code.csv' && member !== 'meta.csv') for await (const _ of extract.records(member)) updateRows += 1;
  extract.close();

  // Recognitions on what the Update moves or stops: those changes need a partnership's decision.
  let n = 0;
  const recognition = (establishmentNumber: string, enterpriseNumber: string): Recognition => {
    n += 1;
    return {
      id: `E/20260101/${String(n).padStart(6, '0')}`,
      applicationId: `BENCH${String(n).padStart(21, '0')}`,
      enterpriseNumber,
      establishmentNumber,
      programmeId: 'verkoper-duaal',
      partnershipId: 'handel',
      startDate: '2026-01-01',
      endDate: '2030-12-31',
      status: 'active',
      mentors: [],
      pendingMentors: [],
      placeAvailable: true,
      contactEmails: [],
      revocation: null,
      workplace: { name: null, postcode: null, municipality: null, sector: 'handel', programmeName: 'Verkoper' },
      decidedBy: 'bench',
      decidedAt: '2026-01-01T00:00:00Z',
      version: 1,
    };
  };
  const recognitions = [
    ...plan.addressMoves.filter((m) => m.kind === 'establishment').map((m) => recognition(m.entityNumber, m.enterpriseNumber)),
    ...plan.enterpriseStops.map((s) => recognition(s.establishmentNumbers[0]!, s.enterpriseNumber)),
    ...plan.establishmentStops.map((s) => recognition(s.establishmentNumber, s.enterpriseNumber)),
  ];
  await writeItems(
    deps,
    recognitions.map((r) => recognitionItem(r) as never),
  );
  for (const r of recognitions) await deps.db.send(new UpdateCommand(recognitionLinkUpdate(tableName, r)));
  await deps.s3.send(new PutObjectCommand({ Bucket: config.KBO_INBOX_BUCKET, Key: basename(updatePath), Body: readFileSync(updatePath) }));

  console.log(`  applying an Update of ${updateRows} rows in a child process...`);
  // The child runs from an esbuild bundle with the ApplySlice Lambda's V8 flags, as that Lambda would.
  // BENCH_SYNC_CHILD_FLAGS adds Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the sync.
  const applySliceNodeOptions = (stateMachines.find((m) => m.name === 'kbo-sync')!.functions.ApplySliceFunction!.nodeOptions ?? '').split(' ').filter(Boolean);
  const bundlePath = join(directory, 'kbo-sync-child.mjs');
  const requestLog = join(directory, 'kbo-sync-requests.jsonl');
  await build({
    entryPoints: [fileURLToPath(new URL('./kbo-sync-child.ts', import.meta.url))],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    logLevel: 'silent',
    banner: { js: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);" },
  });
  // Asynchronously: the S3/SQS emulator runs in this process and must keep answering the child.
  const { stdout: output } = await promisify(execFile)(
    process.execPath,
    [
      ...applySliceNodeOptions,
      ...(process.env.BENCH_SYNC_CHILD_FLAGS ?? '').split(' ').filter(Boolean),
      bundlePath,
      JSON.stringify(config),
      basename(updatePath),
      updatePath,
      requestLog,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' } },
  );
  const result = JSON.parse(output.slice(output.lastIndexOf('{"wallSeconds"'))) as Omit<
    KboSyncBench,
    'knownEstablishments' | 'updateRows' | 'updateBytes' | 'relevantChanges' | 'ratio' | 'dynamodbRequestsPerRelevantChange' | 'bare'
  >;
  await deps.sqs.send(new PurgeQueueCommand({ QueueUrl: config.KBO_CHANGES_QUEUE_URL })).catch(() => undefined);
  const relevantChanges = result.counts.changes ?? 0;

  // What DynamoDB Local and the queue alone take for the sync's requests: every BatchGet, Query, item write,
  // change-record transaction and SendMessageBatch the sync sent, replayed bare 16 in flight. The sync cannot be
  // faster than this here.
  console.log("  replaying the sync's DynamoDB requests and queue sends bare...");
  const bare = await replayBare(deps, requestLog, `${tableName}-floor`);
  await deps.sqs.send(new PurgeQueueCommand({ QueueUrl: config.KBO_CHANGES_QUEUE_URL })).catch(() => undefined);
  const phase = (name: string) => result.phases[name] ?? { ms: 0, reads: 0, writes: 0 };
  console.log('  a reconciling reload of the next Full onto the table the sync left...');
  const reload = skipped.has('reload') ? undefined : await measureReload(deps, directory, plan);
  const touched = (result.counts.entitiesApplied ?? 0) + (result.counts.unknownEntities ?? 0);
  const phases = Object.values(result.phases);
  return {
    knownEstablishments: generated.establishments,
    updateRows,
    updateBytes: statSync(updatePath).size,
    relevantChanges,
    ...result,
    ratio: result.wallSeconds / result.parseSeconds,
    bare,
    entities: {
      touched,
      changed: (result.counts.entitiesApplied ?? 0) - (result.counts.itemsUnchanged ?? 0),
      itemBatchGets: phase('items').reads,
      readRequests: phases.reduce((sum, p) => sum + p.reads, 0),
      writeRequests: phases.reduce((sum, p) => sum + p.writes, 0),
    },
    fullImport: {
      seconds: importSeconds,
      items: importItems,
      rows: generated.rows.enterprise + generated.rows.establishment + generated.rows.denomination + generated.rows.address,
      bareSeconds: importBareSeconds,
    },
    fullWorker,
    reload,
    dynamodbRequestsPerRelevantChange: relevantChanges ? result.requests.dynamodb / relevantChanges : Number.NaN,
  };
}

type LoggedRequest = { client: 'dynamodb' | 'sqs'; command: string; input: Record<string, any> };

/**
 * Replays the sync's request log bare, one kind at a time, 16 in flight: the reads as they were sent (the same keys,
 * projections and queries, on the table the sync wrote), the writes with the same items into an empty table of the
 * same shape (`floorTable`, so the conditional change-record puts succeed as they did and nothing of the sync's
 * table changes), the queue sends to the same queue (purged after).
 */
async function replayBare(deps: Dependencies, requestLog: string, floorTable: string): Promise<BareFloor> {
  const dynamo = new DynamoDBClient({ endpoint: deps.config.LOCAL_DYNAMODB_ENDPOINT!, region: localRegion, credentials: localCredentials });
  await dynamo.send(new DeleteTableCommand({ TableName: floorTable })).catch(() => undefined);
  await ensureTable(dynamo, floorTable, { timeToLive: false });
  dynamo.destroy();
  const table = deps.config.TABLE_NAME;
  const logged = readFileSync(requestLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedRequest);
  const of = (command: string, test: (r: LoggedRequest) => boolean = () => true) => logged.filter((r) => r.command === command && test(r));
  const batchGetKeys = (r: LoggedRequest) => Object.values(r.input.RequestItems as Record<string, { Keys: unknown[] }>)[0]!.Keys.length;
  const projected = (r: LoggedRequest) =>
    Object.values(r.input.RequestItems as Record<string, { ProjectionExpression?: string }>)[0]!.ProjectionExpression !== undefined;
  const parts: { part: string; requests: LoggedRequest[]; size: (r: LoggedRequest) => number; send: (r: LoggedRequest) => Promise<unknown> }[] = [
    {
      part: 'BatchGets of entity items',
      requests: of('BatchGetCommand', (r) => !projected(r)),
      size: batchGetKeys,
      send: (r) => deps.db.send(new BatchGetCommand(r.input as never)),
    },
    {
      part: "BatchGets of the change records' recognition links and recognitions",
      requests: of('BatchGetCommand', projected),
      size: batchGetKeys,
      send: (r) => deps.db.send(new BatchGetCommand(r.input as never)),
    },
    { part: 'GetItems', requests: of('GetCommand'), size: () => 1, send: (r) => deps.db.send(new GetCommand(r.input as never)) },
    { part: 'Queries', requests: of('QueryCommand'), size: () => 1, send: (r) => deps.db.send(new QueryCommand(r.input as never)) },
    {
      part: 'BatchWrites of entity items',
      requests: of('BatchWriteCommand'),
      size: (r) => (r.input.RequestItems[table] as unknown[]).length,
      send: (r) => deps.db.send(new BatchWriteCommand({ RequestItems: { [floorTable]: r.input.RequestItems[table] } })),
    },
    {
      part: 'TransactWrites of change records',
      requests: of('TransactWriteCommand'),
      size: (r) => (r.input.TransactItems as unknown[]).length,
      send: (r) =>
        deps.db.send(
          new TransactWriteCommand({
            TransactItems: (r.input.TransactItems as { Put: Record<string, unknown> }[]).map((t) => ({ Put: { ...t.Put, TableName: floorTable } })) as never,
          }),
        ),
    },
    {
      part: 'SendMessageBatches to the changes queue',
      requests: of('SendMessageBatchCommand'),
      size: (r) => (r.input.Entries as unknown[]).length,
      send: (r) => deps.sqs.send(new SendMessageBatchCommand(r.input as never)),
    },
  ];
  const replayed = new Set(parts.flatMap((p) => p.requests));
  const notReplayed: Record<string, number> = {};
  for (const r of logged) if (!replayed.has(r)) notReplayed[r.command] = (notReplayed[r.command] ?? 0) + 1;
  const measured: BarePart[] = [];
  for (const { part, requests, size, send } of parts) {
    if (requests.length === 0) continue;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < requests.length) await send(requests[next++]!);
      }),
    );
    measured.push({ part, requests: requests.length, size: requests.reduce((sum, r) => sum + size(r), 0), seconds: (performance.now() - started) / 1000 });
  }
  return { parts: measured, seconds: measured.reduce((sum, p) => sum + p.seconds, 0), notReplayed };
}

/**
 * PrepareFull and ApplyPart of part 0 as the state machine runs them (the zip and the parts in the local S3), on
 * the Full the table already holds (forced: a rebuild writes the same items).
 */
async function measureFullWorker(deps: Dependencies, fullPath: string): Promise<NonNullable<KboSyncBench['fullWorker']>> {
  const key = `full/${basename(fullPath)}`;
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.config.KBO_INBOX_BUCKET, Key: key, Body: readFileSync(fullPath) }));
  const tasks = createFullImportTasks(deps);
  const splitStarted = performance.now();
  const prepared = await tasks.prepareFull({ key, force: true });
  const splitSeconds = (performance.now() - splitStarted) / 1000;
  const manifest = JSON.parse(
    await (await deps.s3.send(new GetObjectCommand({ Bucket: prepared.manifest.bucket, Key: prepared.manifest.key }))).Body!.transformToString(),
  ) as { index: number; key: string }[];
  const partStarted = performance.now();
  await tasks.applyPart({ file: prepared, part: manifest[0]! });
  const partSeconds = (performance.now() - partStarted) / 1000;
  // Part 0's report part (the parts are slices 0 to partCount - 1; only the first is applied here).
  const [first] = await getSliceParts(deps, prepared.fileName, 1);
  return {
    partCount: prepared.partCount,
    splitSeconds,
    splitRows: await countRows(fullPath),
    partRows: Object.values(first?.rowsPerMember ?? {}).reduce((sum, n) => sum + n, 0),
    partSeconds,
  };
}

/** Rows of the four members the import reads. */
async function countRows(path: string): Promise<number> {
  const extract = await KboExtract.open(path);
  let rows = 0;
  try {
    for (const member of ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv']) for await (const _ of extract.records(member)) rows += 1;
  } finally {
    extract.close();
  }
  return rows;
}

/** The Full of the extract after the Update (the base, the Update and one more week of changes) reconciled onto the table. */
async function measureReload(deps: Dependencies, directory: string, update: ReturnType<typeof planUpdate>): Promise<NonNullable<KboSyncBench['reload']>> {
  const next = planUpdate(base, [update], {
    addressMoves: 900,
    enterpriseStops: 220,
    establishmentStops: 120,
    situationChanges: 450,
    nameChanges: 450,
    newEnterprises: 370,
  });
  const path = join(directory, `KboOpenData_${String(next.extractNumber).padStart(4, '0')}_2026_12_01_Full.zip`);
  await generateFullExtract({ ...base, path, updates: [update, next] });
  const { deps: counting, requests } = countingRequests(deps);
  const started = performance.now();
  const outcome = await importOrReconcile(counting, path);
  const seconds = (performance.now() - started) / 1000;
  if (outcome.step !== 'reconcile') throw new Error('the bench expected a reconciling reload');
  await deps.sqs.send(new PurgeQueueCommand({ QueueUrl: deps.config.KBO_CHANGES_QUEUE_URL })).catch(() => undefined);
  return { enterprises: base.enterprises, seconds, requests, counts: outcome.result.counts as unknown as Record<string, number>, gone: outcome.result.gone };
}

/** The targets of issue 14, each with its value and whether it is met. */
export function kboSyncTargets(r: KboSyncBench): { figure: string; value: string; target: string; met: boolean }[] {
  const floorRatio = r.wallSeconds / r.bare.seconds;
  const writesPerChanged = r.counts.itemsWritten! / Math.max(1, r.entities.changed);
  const batchGetsPer100 = (100 * r.entities.itemBatchGets) / Math.max(1, r.entities.touched);
  // One BatchGet holds 100 keys: the least for n entities is ceil(n / 100).
  const fewestBatchGets = Math.ceil(r.entities.touched / 100);
  const importRatio = r.fullImport.seconds / r.fullImport.bareSeconds;
  return [
    {
      figure: 'sync wall time / all its DynamoDB requests and queue sends replayed bare (16 in flight per kind; the parts below)',
      value: `${floorRatio.toFixed(2)}x (${r.wallSeconds.toFixed(1)} s / ${r.bare.seconds.toFixed(1)} s)`,
      target: 'at most 1.3x',
      met: floorRatio <= 1.3,
    },
    { figure: 'sync wall time / parsing the same members alone', value: `${r.ratio.toFixed(1)}x`, target: 'at most 8x', met: r.ratio <= 8 },
    {
      figure: 'item writes per changed entity',
      value: `${writesPerChanged.toFixed(2)} (${r.counts.itemsWritten} items, ${r.entities.changed} entities changed or new)`,
      target: 'at most 1',
      met: writesPerChanged <= 1,
    },
    {
      figure: 'entity BatchGets per 100 touched entities',
      value: `${batchGetsPer100.toFixed(2)} (${r.entities.itemBatchGets} for ${r.entities.touched} entities; besides, ${r.phases.owners?.reads ?? 0} BatchGets of the enterprises that new and moved establishments join or leave)`,
      target: `at most 1 (${fewestBatchGets} for these)`,
      met: r.entities.itemBatchGets <= fewestBatchGets,
    },
    {
      figure: 'peak RSS of the sync process',
      value: `${r.peakRssMb.toFixed(0)} MB`,
      target: 'at most 256 MB',
      met: r.peakRssMb <= 256,
    },
    {
      figure: 'Full import / its bare BatchWrite floor (as many of its items, 16 in flight)',
      value: `${importRatio.toFixed(2)}x (${r.fullImport.seconds.toFixed(1)} s / ${r.fullImport.bareSeconds.toFixed(1)} s; ${r.fullImport.items} items for ${r.fullImport.rows} rows, ${(r.fullImport.rows / r.fullImport.seconds).toFixed(0)} rows/s)`,
      target: 'at most 1.3x',
      met: importRatio <= 1.3,
    },
  ];
}

export function kboSyncReport(r: KboSyncBench): string[] {
  return [
    '## KBO sync: an Update applied to known establishments',
    '',
    `Update of ${r.updateRows.toLocaleString('en')} rows (${(r.updateBytes / 1024 / 1024).toFixed(1)} MiB zipped) against a table with ${r.knownEstablishments.toLocaleString('en')} known establishments; ${r.relevantChanges} relevant changes (change records). The ratios are of one run (the machine is shared).`,
    '',
    '| target | value | target | met |',
    '|---|---|---|---|',
    ...kboSyncTargets(r).map((t) => `| ${t.figure} | ${t.value} | ${t.target} | ${t.met ? 'pass' : 'FAIL'} |`),
    '',
    '| figure | value |',
    '|---|---|',
    `| wall time of the sync (PrepareFile + ApplySlice, zip streamed from S3) | ${r.wallSeconds.toFixed(1)} s |`,
    `| parsing the same delta members alone | ${r.parseSeconds.toFixed(1)} s |`,
    `| the bare floor: every request of the sync replayed, 16 in flight per kind (not replayed: ${
      Object.entries(r.bare.notReplayed)
        .map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`)
        .join(', ') || 'none'
    }) | ${r.bare.seconds.toFixed(1)} s |`,
    ...r.bare.parts.map((p) => `| - bare: ${p.requests} ${p.part} (${p.size.toLocaleString('en')} keys, items or messages) | ${p.seconds.toFixed(1)} s |`),
    `| bare floor / parse: how far the requests alone are above the parse (the 8x target needs the whole sync within 8x) | ${(r.bare.seconds / r.parseSeconds).toFixed(1)}x (${r.bare.seconds.toFixed(1)} s / ${r.parseSeconds.toFixed(1)} s) |`,
    `| DynamoDB requests of the slices per touched entity: reads / writes | ${(r.entities.readRequests / Math.max(1, r.entities.touched)).toFixed(3)} / ${(r.entities.writeRequests / Math.max(1, r.entities.touched)).toFixed(3)} (${r.entities.readRequests} / ${r.entities.writeRequests}) |`,
    `| CPU time of the sync process: sync / parse alone (the rest of the wall time is waiting for DynamoDB Local, S3, SQS) | ${r.syncCpuSeconds.toFixed(1)} s / ${r.parseCpuSeconds.toFixed(1)} s (${(r.syncCpuSeconds / r.parseCpuSeconds).toFixed(1)}x) |`,
    `| peak RSS of the sync process (before the sync: ${r.baselineRssMb.toFixed(0)} MB); at that peak V8 heap used / total, external, array buffers | ${r.peakRssMb.toFixed(0)} MB; ${r.heapAtPeakMb.used.toFixed(0)} / ${r.heapAtPeakMb.total.toFixed(0)} MB, ${r.heapAtPeakMb.external.toFixed(0)} MB, ${r.heapAtPeakMb.arrayBuffers.toFixed(0)} MB |`,
    `| DynamoDB requests | ${r.requests.dynamodb} (${r.dynamodbRequestsPerRelevantChange.toFixed(1)} per relevant change) |`,
    `| SQS requests / S3 ranged GETs | ${r.requests.sqs} / ${r.requests.s3} |`,
    '',
    '| step of the slices | ms | DynamoDB reads | DynamoDB writes |',
    '|---|---|---|---|',
    ...Object.entries(r.phases).map(([name, p]) => `| ${name} | ${p.ms} | ${p.reads} | ${p.writes} |`),
    '',
    ...(r.fullWorker ? fullWorkerLines(r.fullWorker) : ['Full import worker: skipped (BENCH_SYNC_SKIP).']),
    '',
    ...(r.reload ? reloadLines(r.reload) : ['Reconciling reload: skipped (BENCH_SYNC_SKIP).']),
    '',
    '```',
    JSON.stringify(r.counts, null, 2),
    '```',
    '',
  ];
}

const fullWorkerLines = (w: NonNullable<KboSyncBench['fullWorker']>) => [
  '| Full import worker (kbo-full-import state machine) | value |',
  '|---|---|',
  `| PrepareFull: split into ${w.partCount} parts | ${w.splitSeconds.toFixed(1)} s for ${w.splitRows.toLocaleString('en')} rows (${(w.splitRows / w.splitSeconds).toFixed(0)} rows/s) |`,
  `| ApplyPart of one part (one ApplyParts item) | ${w.partSeconds.toFixed(1)} s for ${w.partRows.toLocaleString('en')} rows (${(w.partRows / w.partSeconds).toFixed(0)} rows/s) |`,
];

const reloadLines = (reload: NonNullable<KboSyncBench['reload']>) => [
  `| reconciling reload of a ${reload.enterprises.toLocaleString('en')}-enterprise Full onto the table at the previous extract | value |`,
  '|---|---|',
  `| time | ${reload.seconds.toFixed(1)} s |`,
  `| DynamoDB requests | ${Object.entries(reload.requests)
    .map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`)
    .join(', ')} |`,
  `| found | ${reload.counts.changes} change records, ${reload.counts.changesWithoutRecognitions} changes without recognitions; ${reload.counts.itemsWritten} items written, ${reload.counts.itemsUnchanged} unchanged of ${reload.counts.entitiesApplied} entities; gone: ${reload.gone.enterprises} enterprises, ${reload.gone.establishments} establishments |`,
];

if (process.argv[2] === '--standalone') {
  const { startLocalStage } = await import('../stage.ts');
  const { freePort } = await import('../free-port.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'werkplekduaal-bench-sync-'));
  const stage = await startLocalStage({ apiPort: 0, dynamoPort: await freePort(), awsPort: 0, dataDir, dynamoInMemory: true });
  try {
    console.log(kboSyncReport(await benchKboSync(stage, join(dataDir, 'kbo'))).join('\n'));
  } finally {
    await stage.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}
