// What the sync does with a file that breaks the format, and with a gap in the extract numbers: a missing member,
// a wrong header, a broken record or a corrupt zip fails the file at once (no retry) with a KboFormatError naming
// the file, member, record and reason, before anything of it is applied and before a checkpoint exists; only
// transient errors are retried; a gap names what is missing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addressFields,
  csvLine,
  fullFileName,
  generatedEnterprise,
  generateFullExtract,
  handMadeUpdateName,
  text,
  writeHandMadeUpdate,
  writeZip,
  type BaseExtract,
  type HandMadeUpdate,
} from '../../infra/local/kbo/generator.ts';
import { createLocalStateMachine, loadDefinition } from '../../infra/local/state-machines.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { stateMachines } from '../../infra/topology.ts';
import { getEnterpriseProfile, getLatestExtract } from '../../shared/data/kbo.ts';
import { getCheckpoint } from '../../shared/data/kbo-changes.ts';
import { getReport } from '../../shared/data/kbo-reports.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { importFullExtract } from '../kbo-import/full-import.ts';
import { createSyncTasks } from './sync-tasks.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-format-'));
const base: BaseExtract = { enterprises: 12, seed: 3 };
const fullPath = join(dir, fullFileName(base));
// A legal person with an establishment: it has a seat (REGO) and the establishment an address (BAET).
const enterprise = Array.from({ length: base.enterprises }, (_, i) => generatedEnterprise(base, i)).find((e) => e.seat && e.establishments.length)!;
const establishment = enterprise.establishments[0]!;

beforeAll(async () => {
  await generateFullExtract({ ...base, path: fullPath });
});

async function importedEnvironment(): Promise<TestEnvironment> {
  const env = await createTestEnvironment();
  await importFullExtract(env.deps, fullPath);
  return env;
}

/** Writes a hand-made Update and drops it into the inbox; returns its name. */
async function dropUpdate(env: TestEnvironment, update: HandMadeUpdate): Promise<string> {
  const name = handMadeUpdateName(update);
  await writeHandMadeUpdate(join(dir, name), update);
  await env.deps.s3.send(new PutObjectCommand({ Bucket: env.config.KBO_INBOX_BUCKET, Key: name, Body: readFileSync(join(dir, name)) }));
  return name;
}

/** Runs the kbo-sync state machine once, counting each task's invocations; resolves with how it ended. */
async function runSync(env: TestEnvironment, options: { failPlanOnce?: Error } = {}) {
  const tasks = createSyncTasks(env.deps);
  const calls = { PlanRun: 0, PrepareFile: 0, ApplySlice: 0 };
  let failure = options.failPlanOnce;
  const definition = stateMachines.find((m) => m.name === 'kbo-sync')!;
  const machine = createLocalStateMachine({
    definition,
    machine: loadDefinition(definition),
    waitOverrides: 0,
    // A retried state would not wait its real interval here; how often it ran tells whether it was retried.
    retryIntervalOverrides: { PlanRun: 0, PrepareFile: 0, ApplySlice: 0 },
    functions: {
      PlanRunFunction: async () => {
        calls.PlanRun += 1;
        if (failure) {
          const error = failure;
          failure = undefined;
          throw error;
        }
        return (await tasks.planRun()) as never;
      },
      PrepareFileFunction: async (input) => {
        calls.PrepareFile += 1;
        return (await tasks.prepareFile(input as never)) as never;
      },
      ApplySliceFunction: async (input) => {
        calls.ApplySlice += 1;
        return (await tasks.applySlice(input as never)) as never;
      },
    },
  });
  const run = machine.start({}, `format-${Date.now()}`);
  const error = await run.result.then(
    () => undefined,
    (e: Error) => e,
  );
  // The local executor wraps the task's error; its cause is what Step Functions reports as Error and Cause.
  const cause = (error?.cause ?? error) as Error | undefined;
  return { status: run.status, calls, error: cause && { name: cause.name, message: cause.message } };
}

const snapshot = (n: number) => `2026-11-0${n}`;

describe('an Update that lacks a member', () => {
  it('fails with a format error naming the member and applies nothing of it: the address stays, no checkpoint, not "Done"', async () => {
    const env = await importedEnvironment();
    const before = await getEnterpriseProfile(env.deps, kboDigits(enterprise.number));
    const address = before!.establishments.find((e) => e.establishmentNumber === establishment.number)!.address;
    expect(address).not.toBeNull();
    // The address delete without its insert file: applied as if the insert were empty, the address would vanish.
    const name = await dropUpdate(env, {
      extractNumber: 2,
      snapshotDate: snapshot(1),
      rows: { 'address_delete.csv': [csvLine([text(establishment.number)])] },
      omit: ['address_insert.csv'],
    });
    const result = await runSync(env);
    expect(result.status).toBe('FAILED');
    expect(result.error).toEqual({ name: 'KboFormatError', message: expect.stringContaining(name) });
    expect(result.error!.message).toContain('address_insert.csv');
    expect(result.calls).toEqual({ PlanRun: 1, PrepareFile: 1, ApplySlice: 0 });
    expect(await getCheckpoint(env.deps, 2)).toBeUndefined();
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 1 });
    const after = await getEnterpriseProfile(env.deps, kboDigits(enterprise.number));
    expect(after!.establishments.find((e) => e.establishmentNumber === establishment.number)!.address).toEqual(address);
  });

  it('in a Full: the import refuses it naming the member and writes nothing', async () => {
    const env = await createTestEnvironment();
    const path = join(dir, 'KboOpenData_0007_2026_11_01_Full.zip');
    await writeZip(path, {
      meta: function* () {
        yield '"SnapshotDate","31-10-2026"\n"ExtractTimestamp","01-11-2026 07:40:18"\n"ExtractType","full"\n"ExtractNumber","7"\n"Version","1.0.0"\n';
      },
      code: function* () {},
      enterprise: function* () {
        yield '"0412.345.614","AC","000","2","610",,03-02-2014\n';
      },
      establishment: function* () {},
      denomination: function* () {},
      contact: function* () {},
      activity: function* () {},
      branch: function* () {},
    });
    await expect(importFullExtract(env.deps, path)).rejects.toMatchObject({ name: 'KboFormatError', message: expect.stringContaining('address.csv') });
    expect(await getEnterpriseProfile(env.deps, '0412345614')).toBeUndefined();
    expect(await getLatestExtract(env.deps)).toBeUndefined();
  });
});

describe('a format error in the state machine', () => {
  it('a wrong header fails the file at once: no retry, the Cause names file, member and reason, and no checkpoint is left', async () => {
    const env = await importedEnvironment();
    const name = await dropUpdate(env, {
      extractNumber: 2,
      snapshotDate: snapshot(1),
      headers: { 'establishment_insert.csv': ['EstablishmentNumber', 'StartDate'] },
    });
    const started = performance.now();
    const result = await runSync(env);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe('FAILED');
    expect(result.error!.name).toBe('KboFormatError');
    expect(result.error!.message).toContain(name);
    expect(result.error!.message).toContain('establishment_insert.csv');
    expect(result.error!.message).toContain('EnterpriseNumber');
    expect(result.calls.PrepareFile).toBe(1);
    expect(await getCheckpoint(env.deps, 2)).toBeUndefined();
  });

  it('a broken record mid-file fails before the first slice: the Cause names its record, and no checkpoint lets a next run resume past it', async () => {
    const env = await importedEnvironment();
    const place = enterprise.seat!.place;
    const name = await dropUpdate(env, {
      extractNumber: 2,
      snapshotDate: snapshot(1),
      rows: {
        'address_delete.csv': [csvLine([text(establishment.number)])],
        'address_insert.csv': [
          csvLine(addressFields(establishment.number, 'BAET', place, '9', null)),
          // Three fields where the header has thirteen: a broken record.
          '"2.000.000.000","BAET",\n',
        ],
      },
    });
    const result = await runSync(env);
    expect(result).toMatchObject({ status: 'FAILED', error: { name: 'KboFormatError' }, calls: { PrepareFile: 1, ApplySlice: 0 } });
    expect(result.error!.message).toContain(`${name} address_insert.csv record 2`);
    expect(await getCheckpoint(env.deps, 2)).toBeUndefined();
    // The next run finds the same file and fails the same way, still before applying any of it.
    expect(await runSync(env)).toMatchObject({ status: 'FAILED', error: { name: 'KboFormatError' }, calls: { ApplySlice: 0 } });
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 1 });
  });

  it('a file that is no zip fails as a format error naming the file', async () => {
    const env = await importedEnvironment();
    const name = handMadeUpdateName({ extractNumber: 2, snapshotDate: snapshot(1) });
    writeFileSync(join(dir, name), 'this is not a zip');
    await env.deps.s3.send(new PutObjectCommand({ Bucket: env.config.KBO_INBOX_BUCKET, Key: name, Body: readFileSync(join(dir, name)) }));
    const result = await runSync(env);
    expect(result).toMatchObject({ status: 'FAILED', error: { name: 'KboFormatError', message: expect.stringContaining(name) }, calls: { PrepareFile: 1 } });
    expect(await getCheckpoint(env.deps, 2)).toBeUndefined();
  });

  it('retries a transient error (throttling) and then applies the file', async () => {
    const env = await importedEnvironment();
    await dropUpdate(env, { extractNumber: 2, snapshotDate: snapshot(1) });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const result = await runSync(env, { failPlanOnce: throttled });
    expect(result).toMatchObject({ status: 'SUCCEEDED', calls: { PlanRun: 2, PrepareFile: 1 } });
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 2 });
  });
});

describe('a gap in the extract numbers', () => {
  it('fails naming the last applied extract, the missing numbers and the first waiting file', async () => {
    const env = await importedEnvironment();
    await dropUpdate(env, { extractNumber: 2, snapshotDate: snapshot(1) });
    const waiting = await dropUpdate(env, { extractNumber: 5, snapshotDate: snapshot(4) });
    await dropUpdate(env, { extractNumber: 6, snapshotDate: snapshot(5) });
    const result = await runSync(env);
    expect(result.status).toBe('FAILED');
    expect(result.error!.name).toBe('ExtractGap');
    expect(result.error!.message).toContain('last applied extract: 2');
    expect(result.error!.message).toContain('missing: 3, 4');
    expect(result.error!.message).toContain(`first waiting file: ${waiting}`);
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 2 });
  });

  it('after a Full N the next Update is N+1: Update N is contained in the Full and is not applied', async () => {
    const env = await createTestEnvironment();
    const path = join(dir, 'KboOpenData_0004_2026_11_04_Full.zip');
    await generateFullExtract({ ...base, extractNumber: 4, path });
    await importFullExtract(env.deps, path);
    await dropUpdate(env, { extractNumber: 4, snapshotDate: snapshot(3) });
    await dropUpdate(env, { extractNumber: 5, snapshotDate: snapshot(4) });
    const result = await runSync(env);
    expect(result).toMatchObject({ status: 'SUCCEEDED', calls: { PrepareFile: 1 } });
    expect(await getCheckpoint(env.deps, 4)).toBeUndefined();
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 5, type: 'update' });
  });
});

describe('the report of a file', () => {
  it('names every unusable row once, with member, record and reason, however many slices read it', async () => {
    // Tiny slices: every slice reads the whole file; a row with a bad number belongs to none of them.
    const env = await createTestEnvironment({ KBO_SYNC_SLICE_BYTES: '60' });
    await importFullExtract(env.deps, fullPath);
    const place = enterprise.seat!.place;
    await dropUpdate(env, {
      extractNumber: 2,
      snapshotDate: snapshot(1),
      rows: {
        'enterprise_insert.csv': ['"0412.345.61X","AC","000","2","610",,03-02-2014\n'],
        'address_delete.csv': [csvLine([text(establishment.number)])],
        'address_insert.csv': [csvLine(addressFields(establishment.number, 'BAET', place, '9', null))],
      },
    });
    expect(await runSync(env)).toMatchObject({ status: 'SUCCEEDED' });
    const checkpoint = (await getCheckpoint(env.deps, 2))!;
    expect(checkpoint.sliceCount).toBeGreaterThan(1);
    expect(checkpoint.counts.invalidRows).toBe(1);
    const report = (await getReport(env.deps, 2))!;
    expect(report.rejectedRows).toEqual([{ member: 'enterprise_insert.csv', record: 1, reason: expect.stringContaining('0412.345.61X') }]);
    expect(report.rowsPerMember).toMatchObject({ 'address_delete.csv': 1, 'address_insert.csv': 1 });
    // The establishment has no recognition: a change nobody needs to decide.
    expect(report.changes).toMatchObject({ records: [], withoutRecognitions: 1, byKind: { addressChanged: 0 } });
    expect(report.empty).toBe(false);
  });

  it('is empty for a file that changes nothing anybody must decide and rejects nothing', async () => {
    const env = await importedEnvironment();
    await dropUpdate(env, { extractNumber: 2, snapshotDate: snapshot(1) });
    expect(await runSync(env)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await getReport(env.deps, 2)).toMatchObject({ extractNumber: 2, rejectedRows: [], changes: { records: [], withoutRecognitions: 0 }, empty: true });
  });

  it('of a Full import: rows per member and rejected rows; it compares nothing', async () => {
    const env = await createTestEnvironment();
    let printed: { location: string } | undefined;
    await importFullExtract(env.deps, fullPath, { onReport: (_report, location) => void (printed = { location }) });
    const report = (await getReport(env.deps, 1))!;
    expect(printed!.location).toBe(`s3://${env.config.KBO_INBOX_BUCKET}/reports/${fullFileName(base).replace('.zip', '')}.json`);
    expect(report).toMatchObject({ extractType: 'full', changes: null, rejectedRows: [], empty: true });
    expect(report.rowsPerMember['enterprise.csv']).toBe(base.enterprises);
  });
});
