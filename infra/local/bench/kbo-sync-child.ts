// The KBO sync bench's child process (infra/local/bench/kbo-sync.ts builds this file alone with esbuild, as CDK
// bundles a Lambda): applies one Update from S3 as the state machine would, with the sync's own code and
// nothing of the bench's, so its RSS is what the ApplySlice Lambda would hold. Then parses the same members
// alone for the ratio. Prints one JSON line. Every DynamoDB and SQS request it sends goes, as one JSON line
// (client, command, input), to the request log the bench replays bare as the sync's floor.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Config } from '../../../shared/config.ts';
import { createDependencies, type Dependencies } from '../../../shared/adapters/dependencies.ts';
import { KboExtract } from '../../../shared/adapters/kbo/extract.ts';
import { getLatestExtract } from '../../../shared/data/kbo.ts';
import { createSyncTasks } from '../../../functions/kbo-sync/sync-tasks.ts';
import { s3ZipSource } from '../../../shared/adapters/kbo/s3-source.ts';

/**
 * Counts every request a client sends (wraps `send`, which every SDK v3 command goes through) and logs it. The
 * line is written at once, not kept: holding the inputs would add the items written to the sync's RSS.
 */
function counted<T extends { send: (...args: never[]) => Promise<unknown> }>(client: T, counter: { n: number }, log: { fd: number; client: string }): T {
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  return Object.assign(Object.create(client) as T, {
    send: (...args: unknown[]) => {
      counter.n += 1;
      const command = args[0] as { constructor: { name: string }; input: unknown };
      // The bundler may suffix a class name (BatchGetCommand2): the command's name is without it.
      const name = command.constructor.name.replace(/\d+$/, '');
      writeSync(log.fd, `${JSON.stringify({ client: log.client, command: name, input: command.input })}\n`);
      return send(...args);
    },
  });
}

/** The child: applies the file from S3 as the state machine would, and parses the same members alone. */
async function child(config: Config, key: string, path: string, requestLog: string) {
  const db = { n: 0 };
  const sqs = { n: 0 };
  const plain = createDependencies(config);
  const fd = openSync(requestLog, 'w');
  const deps: Dependencies = { ...plain, db: counted(plain.db, db, { fd, client: 'dynamodb' }), sqs: counted(plain.sqs, sqs, { fd, client: 'sqs' }) };
  const sources: { reader: { requests: number } }[] = [];
  const phases: Record<string, { ms: number; reads: number; writes: number }> = {};
  const tasks = createSyncTasks(deps, {
    onSlice: (result) => {
      for (const [name, p] of Object.entries(result.phases)) {
        const sum = (phases[name] ??= { ms: 0, reads: 0, writes: 0 });
        sum.ms += p.ms;
        sum.reads += p.reads;
        sum.writes += p.writes;
      }
    },
    openZip: async (k) => {
      const source = await s3ZipSource(deps, config.KBO_INBOX_BUCKET, k);
      sources.push(source);
      return source;
    },
  });
  const name = { key, extractNumber: Number(/KboOpenData_(\d{4})/.exec(key)![1]) };
  // The process's own baseline (Node, tsx, the code) is not the sync's memory: sample the RSS during the sync.
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  let peakSyncRssMb = baselineRssMb;
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.rss / 1024 / 1024 > peakSyncRssMb) [peakSyncRssMb, atPeak] = [usage.rss / 1024 / 1024, usage];
  }, 25);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let state = await tasks.prepareFile(name);
  while (!state.done) state = await tasks.applySlice(name);
  const wallSeconds = (performance.now() - started) / 1000;
  const syncCpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  closeSync(fd);

  // Parsing alone: the same members, every row converted, nothing else.
  const parseStarted = performance.now();
  const parseCpuBefore = process.cpuUsage();
  const extract = await KboExtract.open(path);
  let rows = 0;
  const readers = [
    extract.deletedEnterprises(),
    extract.enterprises('insert'),
    extract.deletedEstablishments(),
    extract.establishments('insert'),
    extract.deletedEntities('denomination'),
    extract.denominations('insert'),
    extract.deletedEntities('address'),
    extract.addresses('insert'),
  ] as AsyncIterable<unknown>[];
  for (const reader of readers) for await (const _ of reader) rows += 1;
  extract.close();
  const s3Requests = sources.reduce((sum, s) => sum + s.reader.requests, 0);
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  const parseCpu = process.cpuUsage(parseCpuBefore);
  const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
  const { counts } = (await getLatestExtract(plain)) as unknown as { counts: Record<string, number> };
  process.stdout.write(
    JSON.stringify({
      wallSeconds,
      parseSeconds,
      syncCpuSeconds: cpuSeconds(syncCpu),
      parseCpuSeconds: cpuSeconds(parseCpu),
      rows,
      peakRssMb: peakSyncRssMb,
      baselineRssMb,
      heapAtPeakMb: {
        used: atPeak.heapUsed / 1048576,
        total: atPeak.heapTotal / 1048576,
        external: atPeak.external / 1048576,
        arrayBuffers: atPeak.arrayBuffers / 1048576,
      },
      requests: { dynamodb: db.n, sqs: sqs.n, s3: s3Requests },
      counts,
      phases,
    }),
  );
}

await child(JSON.parse(process.argv[2]!) as Config, process.argv[3]!, process.argv[4]!, process.argv[5]!);
process.exit(0);
