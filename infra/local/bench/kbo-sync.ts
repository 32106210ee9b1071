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
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import type { Config } from '../../../shared/config.ts';
import { createDependencies } from '../../../shared/adapters/dependencies.ts';
import { KboExtract } from '../../../shared/adapters/kbo/extract.ts';
import { knownEntityDigits, writeItems } from '../../../shared/data/kbo.ts';
import { recognitionItem, recognitionLinkUpdate, type Recognition } from '../../../shared/data/recognitions.ts';
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { importFullExtract, importOrReconcile } from '../../../functions/kbo-import/full-import.ts';
import { createFullImportTasks } from '../../../functions/kbo-import/full-import-tasks.ts';
import { getSliceParts } from '../../../shared/data/kbo-reports.ts';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { countingRequests } from './counting.ts';
import { enterpriseNumber, generateFullExtract, generateUpdateExtract, fullFileName, planUpdate, updateFileName, type BaseExtract } from '../kbo/generator.ts';
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
   * The sync's DynamoDB requests issued bare with its parallelism (16): as many BatchGets of 100 entity items, gsi1
   * Queries (routing) and BatchWrites of as many entity items. DynamoDB Local's floor for the sync on this machine.
   */
  bare: { batchGets: number; queries: number; writes: number; readSeconds: number; writeSeconds: number; seconds: number };
  /** Entities the Update's rows touch, the ones written (changed or new), and the item BatchGets of the sync. */
  entities: { touched: number; changed: number; itemBatchGets: number; readRequests: number; writeRequests: number };
  /** The Full import of the base: its time, items, and the same number of its items written bare (its floor). */
  fullImport: { seconds: number; items: number; rows: number; bareSeconds: number };
  /** One worker of the kbo-full-import state machine on the same Full: the split (PrepareFull), and ApplyPart of part 0. */
  fullWorker: { partCount: number; splitSeconds: number; splitRows: number; partRows: number; partSeconds: number };
  /** A reconciling reload of the Full at the next extract onto the table the sync left: time, requests, what it found. */
  reload: {
    enterprises: number;
    seconds: number;
    requests: Record<string, number>;
    counts: Record<string, number>;
    gone: { enterprises: number; establishments: number };
  };
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

/** Enterprises in the base and changes in the Update, tuned so the table holds ~50,000 establishments and the Update ~100,000 rows. */
const base: BaseExtract = { enterprises: Number(process.env.BENCH_SYNC_ENTERPRISES ?? 56_000), seed: 7 };
const scale = Number(process.env.BENCH_SYNC_SCALE ?? 1);
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
  const fullWorker = await measureFullWorker(deps, fullPath);
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
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' } },
  );
  const result = JSON.parse(output.slice(output.lastIndexOf('{"wallSeconds"'))) as Omit<
    KboSyncBench,
    'knownEstablishments' | 'updateRows' | 'updateBytes' | 'relevantChanges' | 'ratio' | 'dynamodbRequestsPerRelevantChange' | 'bare'
  >;
  await deps.sqs.send(new PurgeQueueCommand({ QueueUrl: config.KBO_CHANGES_QUEUE_URL })).catch(() => undefined);
  const relevantChanges = result.counts.changes ?? 0;

  // What DynamoDB Local alone takes for the sync's requests: as many BatchGets of 100 entity items, routing
  // Queries and item writes, issued bare with the sync's parallelism (16). The sync cannot be faster than this here.
  console.log('  issuing the same BatchGets, Queries and item writes bare...');
  const phase = (name: string) => result.phases[name] ?? { ms: 0, reads: 0, writes: 0 };
  const batchGets = phase('items').reads + phase('owners').reads;
  const queries = phase('route').reads;
  const pool = async (count: number, request: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < count) await request(next++);
      }),
    );
  };
  const readStarted = performance.now();
  await pool(batchGets, (i) =>
    deps.db.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            // Known entities, half enterprises and half establishments.
            Keys: Array.from({ length: 100 }, (_, k) => {
              const n = i * 50 + (k >> 1);
              return k % 2
                ? keys.enterprise.profile(known.enterprises[n % known.enterprises.length]!)
                : keys.kbo.establishment(known.establishments[n % known.establishments.length]!);
            }),
          },
        },
      }),
    ),
  );
  await pool(queries, (i) =>
    deps.db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.enterprise.index(enterpriseNumber(i % base.enterprises)), ':prefix': keys.kbo.establishmentsIndexSkPrefix },
        ProjectionExpression: 'gsi2sk',
      }),
    ),
  );
  const bareReadSeconds = (performance.now() - readStarted) / 1000;
  const writeStarted = performance.now();
  const written = result.counts.itemsWritten ?? 0;
  await writeItems(
    deps,
    // Keys of their own (the bench's scratch items, not the table's scheme) in the table the sync is done with.
    Array.from({ length: written }, (_, i) => ({ ...samples[i % 2], pk: `bench-floor-${i}`, sk: 'item' })),
    { parallel: 16 },
  );
  const bareWriteSeconds = (performance.now() - writeStarted) / 1000;
  console.log('  a reconciling reload of the next Full onto the table the sync left...');
  const reload = await measureReload(deps, directory, plan);
  const touched = (result.counts.entitiesApplied ?? 0) + (result.counts.unknownEntities ?? 0);
  const phases = Object.values(result.phases);
  return {
    knownEstablishments: generated.establishments,
    updateRows,
    updateBytes: statSync(updatePath).size,
    relevantChanges,
    ...result,
    ratio: result.wallSeconds / result.parseSeconds,
    bare: { batchGets, queries, writes: written, readSeconds: bareReadSeconds, writeSeconds: bareWriteSeconds, seconds: bareReadSeconds + bareWriteSeconds },
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

/**
 * PrepareFull and ApplyPart of part 0 as the state machine runs them (the zip and the parts in the local S3), on
 * the Full the table already holds (forced: a rebuild writes the same items).
 */
async function measureFullWorker(deps: Dependencies, fullPath: string): Promise<KboSyncBench['fullWorker']> {
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
async function measureReload(deps: Dependencies, directory: string, update: ReturnType<typeof planUpdate>): Promise<KboSyncBench['reload']> {
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
      figure:
        "sync wall time / its entity BatchGets, routing Queries and item writes issued bare (16 in flight; the change records' 265-odd BatchGets and transactions are not replayed)",
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
    `| bare: ${r.bare.batchGets} BatchGets of 100 and ${r.bare.queries} gsi1 Queries / ${r.bare.writes.toLocaleString('en')} item writes | ${r.bare.readSeconds.toFixed(1)} s / ${r.bare.writeSeconds.toFixed(1)} s |`,
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
    '| Full import worker (kbo-full-import state machine) | value |',
    '|---|---|',
    `| PrepareFull: split into ${r.fullWorker.partCount} parts | ${r.fullWorker.splitSeconds.toFixed(1)} s for ${r.fullWorker.splitRows.toLocaleString('en')} rows (${(r.fullWorker.splitRows / r.fullWorker.splitSeconds).toFixed(0)} rows/s) |`,
    `| ApplyPart of one part (one ApplyParts item) | ${r.fullWorker.partSeconds.toFixed(1)} s for ${r.fullWorker.partRows.toLocaleString('en')} rows (${(r.fullWorker.partRows / r.fullWorker.partSeconds).toFixed(0)} rows/s) |`,
    '',
    `| reconciling reload of a ${r.reload.enterprises.toLocaleString('en')}-enterprise Full onto the table at the previous extract | value |`,
    '|---|---|',
    `| time | ${r.reload.seconds.toFixed(1)} s |`,
    `| DynamoDB requests | ${Object.entries(r.reload.requests)
      .map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`)
      .join(', ')} |`,
    `| found | ${r.reload.counts.changes} change records, ${r.reload.counts.changesWithoutRecognitions} changes without recognitions; ${r.reload.counts.itemsWritten} items written, ${r.reload.counts.itemsUnchanged} unchanged of ${r.reload.counts.entitiesApplied} entities; gone: ${r.reload.gone.enterprises} enterprises, ${r.reload.gone.establishments} establishments |`,
    '',
    '```',
    JSON.stringify(r.counts, null, 2),
    '```',
    '',
  ];
}

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
