// The deployed Full import (state-machines/kbo-full-import.asl.json) run by the local executor, against DynamoDB
// Local and the local S3, with parts small enough that a small Full makes several: the table, extract record
// and report equal those of `kbo:import` (the CLI), for a load and for a reconciling reload; a run that fails in
// a part is resumed by the next one, which skips the applied parts; an older or equal Full is refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { fullFileName, generatedEnterprise, generateFullExtract, type BaseExtract } from '../../infra/local/kbo/generator.ts';
import { planUpdate, type UpdatePlan } from '../../infra/local/kbo/update-plans.ts';
import { putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { createLocalStateMachine, loadDefinition, s3ObjectReader, type TaskFunction } from '../../infra/local/state-machines.ts';
import { stateMachines } from '../../infra/topology.ts';
import { getLatestExtract } from '../../shared/data/kbo.ts';
import { listChanges, type KboChange } from '../../shared/data/kbo-changes.ts';
import { getFullImportRun, listPartMarkers } from '../../shared/data/kbo-full-import.ts';
import { getReport } from '../../shared/data/kbo-reports.ts';
import { kbo, kboChange } from '../../shared/data/keys.ts';
import type { Recognition } from '../../shared/data/recognitions.ts';
import { createFullImportTasks, type PartInput, type PartOutput } from './full-import-tasks.ts';
import { importFullExtract, importOrReconcile } from './full-import.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-full-workflow-'));
const base: BaseExtract = { enterprises: 150, seed: 23, extractNumber: 5 };
const fullPath = join(dir, fullFileName(base));
/** About 6 parts for this Full's four members (~45 KB). */
const partBytes = '8000';
const definition = stateMachines.find((m) => m.name === 'kbo-full-import')!;
/** Several tables and imports per test, on a machine shared with other test runs. */
const slow = 180_000;

/**
 * Every item but the import's own bookkeeping (extract records, runs, part markers) and the change records (they
 * carry the instant and slice of their detection; compared by id instead), as sorted JSON.
 */
const bookkeeping = [kbo.extractsPk, kbo.checkpointPk, kbo.fullImport(0).pk, kboChange.key('').pk];

async function tableItems(env: TestEnvironment): Promise<string[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await env.deps.db.send(new ScanCommand({ TableName: env.config.TABLE_NAME, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).filter((i) => !bookkeeping.some((prefix) => String(i.pk).startsWith(prefix))));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((i) => JSON.stringify(Object.fromEntries(Object.entries(i).sort(([a], [b]) => (a < b ? -1 : 1))))).sort();
}

const withoutTimes = <T extends object>(value: T | undefined) => {
  const { appliedAt: _a, importedAt: _i, ...rest } = (value ?? {}) as Record<string, unknown>;
  return rest;
};

/** Ops drops the zip under full/ in the KBO inbox. */
async function drop(env: TestEnvironment, path: string): Promise<string> {
  const key = `full/${path.split('/').pop()}`;
  await env.deps.s3.send(new PutObjectCommand({ Bucket: env.config.KBO_INBOX_BUCKET, Key: key, Body: readFileSync(path) }));
  return key;
}

/** The state machine with the real task handlers; `applyPart` may wrap the worker (fault injection). */
function fullImportMachine(env: TestEnvironment, applyPart?: (input: PartInput, real: (input: PartInput) => Promise<PartOutput>) => Promise<PartOutput>) {
  const tasks = createFullImportTasks(env.deps);
  const functions: Record<string, TaskFunction> = {
    PrepareFullFunction: async (input) => (await tasks.prepareFull(input as never)) as never,
    ApplyPartFunction: async (input) => (await (applyPart ? applyPart(input as never, tasks.applyPart) : tasks.applyPart(input as never))) as never,
    FinishFullFunction: async (input) => (await tasks.finishFull(input as never)) as never,
  };
  return createLocalStateMachine({ definition, machine: loadDefinition(definition), functions, readObject: s3ObjectReader(env.deps.s3) });
}

let executions = 0;
async function runWorkflow(env: TestEnvironment, input: { key: string; force?: boolean }, applyPart?: Parameters<typeof fullImportMachine>[1]) {
  executions += 1;
  const run = fullImportMachine(env, applyPart).start(input as never, `full-${executions}`);
  const error = await run.result.then(
    () => undefined,
    (e: Error) => (e.cause ?? e) as Error,
  );
  return { run, error };
}

/** A copy of a zip with lines appended to some members (rows the generator does not write). */
async function withExtraLines(from: string, to: string, extra: Record<string, string[]>): Promise<void> {
  const members = await new Promise<{ name: string; text: string }[]>((resolve, reject) =>
    yauzl.open(from, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const found: { name: string; text: string }[] = [];
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            found.push({ name: entry.fileName, text: Buffer.concat(chunks).toString('utf8') });
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(found));
      zip.readEntry();
    }),
  );
  const zip = new yazl.ZipFile();
  for (const { name, text } of members) zip.addBuffer(Buffer.from(text + (extra[name] ?? []).join(''), 'utf8'), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(to, Buffer.concat(chunks));
}

const firstEstablishment = () => {
  for (let i = 0; ; i++) {
    const e = generatedEnterprise(base, i);
    if (e.establishments[0]) return { enterprise: e, establishment: e.establishments[0] };
  }
};

let reference: TestEnvironment;
let referenceItems: string[];

beforeAll(async () => {
  const generated = join(dir, 'generated.zip');
  await generateFullExtract({ ...base, path: generated });
  const { enterprise, establishment } = firstEstablishment();
  // Real files have these: an impossible date on a row of a known establishment (rejected, reported at its record
  // number in the Full), a number that fails the check digit (rejected), and a name stated twice (a duplicate).
  const name = `"${establishment.number}","1","001","Tweemaal dezelfde naam"\n`;
  await withExtraLines(generated, fullPath, {
    'address.csv': [`"${establishment.number}","BAET",,,"9000","Gent","Gand","Veldstraat","Veldstraat","1",,,31-02-2020\n`],
    'denomination.csv': [name, name, `"0417.390.704","2","001","Slecht nummer"\n`],
    'enterprise.csv': [`"${enterprise.number}","AC","000","2","014",,01-01-2000\n`],
  });
  reference = await createTestEnvironment();
  await importFullExtract(reference.deps, fullPath);
  referenceItems = await tableItems(reference);
}, slow);

describe('the kbo-full-import state machine loading an empty table', () => {
  it(
    'splits the Full into parts and leaves the table, extract record and report that kbo:import leaves',
    async () => {
      const env = await createTestEnvironment({ KBO_FULL_PART_BYTES: partBytes });
      const { run, error } = await runWorkflow(env, { key: await drop(env, fullPath) });
      expect(error).toBeUndefined();
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toMatchObject({ extractNumber: 5, step: 'load' });

      const importRun = await getFullImportRun(env.deps, 5);
      expect(importRun!.partCount).toBeGreaterThanOrEqual(4);
      expect(importRun!.finishedAt).not.toBeNull();
      expect((await listPartMarkers(env.deps, 5)).length).toBe(importRun!.partCount);
      const manifest = await env.deps.s3.send(new GetObjectCommand({ Bucket: env.config.KBO_INBOX_BUCKET, Key: importRun!.manifestKey }));
      expect(JSON.parse(await manifest.Body!.transformToString())).toHaveLength(importRun!.partCount);

      expect(await tableItems(env)).toEqual(referenceItems);
      expect(withoutTimes(await getLatestExtract(env.deps))).toEqual({ ...withoutTimes(await getLatestExtract(reference.deps)), fileName: fullFileName(base) });
      const report = await getReport(env.deps, 5);
      const expected = await getReport(reference.deps, 5);
      expect(withoutTimes(report)).toEqual(withoutTimes(expected));
      // The rows added above, at their record numbers in the Full (not in their part).
      expect(report!.rejectedRows).toEqual([
        { member: 'address.csv', record: expect.any(Number), reason: expect.stringContaining('DateStrikingOff') },
        { member: 'denomination.csv', record: expect.any(Number), reason: expect.stringContaining('0417.390.704') },
      ]);
      expect(report!.duplicateRows).toBe(2);
    },
    slow,
  );
});

describe('a failed part', () => {
  it(
    'fails the execution with KboFullPartFailed; started again, it skips the applied parts and ends as kbo:import',
    async () => {
      const env = await createTestEnvironment({ KBO_FULL_PART_BYTES: partBytes });
      const key = await drop(env, fullPath);
      let crashed = false;
      const { run, error } = await runWorkflow(env, { key }, async (input, real) => {
        if (input.part.index === 2 && !crashed) {
          crashed = true;
          // Not a transient error (by name): no retry, the map fails at once.
          throw new Error('simulated: the worker lost its table');
        }
        return real(input);
      });
      expect(run.status).toBe('FAILED');
      expect(error).toMatchObject({ name: 'KboFullPartFailed', message: expect.stringContaining('simulated: the worker lost its table') });
      expect(await getLatestExtract(env.deps)).toBeUndefined();
      expect((await listPartMarkers(env.deps, 5)).map((m) => m.part)).toEqual([0, 1]);
      const firstRun = await getFullImportRun(env.deps, 5);

      const outputs: PartOutput[] = [];
      const again = await runWorkflow(env, { key }, async (input, real) => {
        const output = await real(input);
        outputs.push(output);
        return output;
      });
      expect(again.error).toBeUndefined();
      // The same split (not split again), parts 0 and 1 skipped, the rest applied.
      expect((await getFullImportRun(env.deps, 5))!.startedAt).toBe(firstRun!.startedAt);
      expect(outputs.slice(0, 3)).toEqual([
        { part: 0, skipped: true },
        { part: 1, skipped: true },
        { part: 2, skipped: false },
      ]);
      expect(outputs.every((o) => o.part < 2 || !o.skipped)).toBe(true);
      expect(await tableItems(env)).toEqual(referenceItems);
      expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 5, type: 'full' });
    },
    slow,
  );
});

describe('a Full not newer than the last applied extract', () => {
  it(
    'is refused with FullNotNewer naming both numbers, and nothing is written',
    async () => {
      const env = await createTestEnvironment({ KBO_FULL_PART_BYTES: partBytes });
      await importFullExtract(env.deps, fullPath);
      const older = join(dir, fullFileName({ ...base, extractNumber: 4 }));
      await generateFullExtract({ ...base, extractNumber: 4, path: older });

      const refused = await runWorkflow(env, { key: await drop(env, older) });
      expect(refused.run.status).toBe('FAILED');
      expect(refused.error).toMatchObject({
        name: 'FullNotNewer',
        message: expect.stringContaining('Full extract 4 is not newer than the last applied extract 5'),
      });
      const same = await runWorkflow(env, { key: await drop(env, fullPath) });
      expect(same.error).toMatchObject({
        name: 'FullNotNewer',
        message: expect.stringContaining('Full extract 5 is not newer than the last applied extract 5'),
      });
      expect(await getFullImportRun(env.deps, 4)).toBeUndefined();
      expect(await getFullImportRun(env.deps, 5)).toBeUndefined();
      expect(await tableItems(env)).toEqual(referenceItems);
      expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 5 });
    },
    slow,
  );
});

describe('a reconciling reload (a newer Full onto a table at an older extract)', () => {
  let plan: UpdatePlan;
  let reloadPath: string;
  let counter = 0;

  /** The base imported and recognitions on the entities the plan stops or moves. */
  async function prepared(overrides: Record<string, string> = {}) {
    const env = await createTestEnvironment(overrides);
    await importFullExtract(env.deps, join(dir, 'plain.zip'));
    const recognitions: Recognition[] = [];
    for (const stop of plan.enterpriseStops)
      recognitions.push(
        recognitionFixture(++counter, { enterpriseNumber: stop.enterpriseNumber, establishmentNumber: stop.establishmentNumbers[0]!, partnershipId: 'bouw' }),
      );
    for (const stop of plan.establishmentStops)
      recognitions.push(
        recognitionFixture(++counter, { enterpriseNumber: stop.enterpriseNumber, establishmentNumber: stop.establishmentNumber, partnershipId: 'handel' }),
      );
    for (const move of plan.addressMoves.filter((m) => m.kind === 'establishment'))
      recognitions.push(
        recognitionFixture(++counter, { enterpriseNumber: move.enterpriseNumber, establishmentNumber: move.entityNumber, partnershipId: 'horeca' }),
      );
    await putRecognitions(env.deps, recognitions);
    return env;
  }

  const changesOf = async (env: TestEnvironment) => {
    const found: KboChange[] = [];
    for (const partnership of ['horeca', 'bouw', 'handel']) found.push(...(await listChanges(env.deps, partnership, { limit: 100 })).items);
    return found.map((c) => `${c.id} ${c.kind} ${c.entity.number}`).sort();
  };

  beforeAll(async () => {
    await generateFullExtract({ ...base, path: join(dir, 'plain.zip') });
    plan = planUpdate(base, [], { addressMoves: 6, enterpriseStops: 2, establishmentStops: 2, nameChanges: 2, newEnterprises: 3 });
    reloadPath = join(dir, fullFileName({ ...base, extractNumber: plan.extractNumber, snapshotDate: plan.snapshotDate }));
    await generateFullExtract({ ...base, path: reloadPath, updates: [plan] });
  }, slow);

  it(
    'applies the parts as the reload slices: the same change records, items and report as kbo:import, and the stops reach the partnerships',
    async () => {
      counter = 0;
      const cli = await prepared();
      const outcome = await importOrReconcile(cli.deps, reloadPath);
      expect(outcome.step).toBe('reconcile');
      const cliMessages = await drainQueue<{ changeId: string }>(cli.deps, cli.config.KBO_CHANGES_QUEUE_URL);

      counter = 0;
      const env = await prepared({ KBO_FULL_PART_BYTES: partBytes });
      const { run, error } = await runWorkflow(env, { key: await drop(env, reloadPath) });
      expect(error).toBeUndefined();
      expect(run.output).toMatchObject({ extractNumber: plan.extractNumber, step: 'reconcile', empty: false });
      expect((await getFullImportRun(env.deps, plan.extractNumber))!.partCount).toBeGreaterThanOrEqual(4);

      const changes = await changesOf(env);
      expect(changes).toEqual(await changesOf(cli));
      for (const stop of plan.enterpriseStops) expect(changes.some((c) => c.endsWith(`stopped ${stop.enterpriseNumber}`))).toBe(true);
      expect(await tableItems(env)).toEqual(await tableItems(cli));
      const messages = await drainQueue<{ changeId: string }>(env.deps, env.config.KBO_CHANGES_QUEUE_URL);
      expect(new Set(messages.map((m) => m.changeId))).toEqual(new Set(cliMessages.map((m) => m.changeId)));

      const report = await getReport(env.deps, plan.extractNumber);
      const expected = await getReport(cli.deps, plan.extractNumber);
      expect(report!.changes).toEqual(expected!.changes);
      expect(report!.rejectedRows).toEqual(expected!.rejectedRows);
      expect(report!.rowsPerMember).toEqual(expected!.rowsPerMember);
      expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: plan.extractNumber, type: 'full' });
    },
    slow,
  );
});
