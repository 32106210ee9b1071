// The KBO sync against DynamoDB Local and fauxqs: a generated Full extract imported, recognitions on some of
// its establishments, then a generated Update applied in several slices. Checked: the table follows KBO, the
// change records and queue messages are exactly the relevant changes, a second run creates nothing, a crash
// half-way resumes to the same end state, and the state machine applies the inbox in order and stops at a gap.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, ScanCommand, BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment, drainQueue } from '../../infra/local/testing/environment.ts';
import {
  bare,
  csvLine,
  extractFileName,
  fullFileName,
  generatedEnterprise,
  generateFullExtract,
  generateUpdateExtract,
  planUpdate,
  text,
  updateFileName,
  writeHandMadeUpdate,
  type BaseExtract,
  type UpdatePlan,
} from '../../infra/local/kbo/generator.ts';
import { createLocalStateMachine, loadDefinition } from '../../infra/local/state-machines.ts';
import { stateMachines } from '../../infra/topology.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { fileSource } from '../../shared/adapters/kbo/source.ts';
import { entityKey, establishmentsOfItem, getEnterpriseProfile, getEntityItems, getLatestExtract } from '../../shared/data/kbo.ts';
import { searchEnterprisesByName } from '../../shared/data/verifications.ts';
import { getReport } from '../../shared/data/kbo-reports.ts';
import { getCheckpoint, listChanges, type KboChange } from '../../shared/data/kbo-changes.ts';
import * as keys from '../../shared/data/keys.ts';
import type { Recognition } from '../../shared/data/recognitions.ts';
import { putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { endsActivity } from '../../shared/domain/kbo-changes.ts';
import { searchableName } from '../../shared/domain/kbo.ts';
import { importFullExtract, importOrReconcile } from '../kbo-import/full-import.ts';
import { createChangesConsumer } from '../kbo-changes/consumer.ts';
import { pollOnce } from '../../infra/local/queues.ts';
import { listOpenTasks } from '../../shared/data/tasks.ts';
import { createSyncTasks } from './sync-tasks.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-sync-'));
const base: BaseExtract = { enterprises: 80, seed: 11 };
const updateOptions = { addressMoves: 8, enterpriseStops: 2, establishmentStops: 2, situationChanges: 5, nameChanges: 3, restatements: 3, newEnterprises: 3 };
const fullPath = join(dir, fullFileName(base));
let plan: UpdatePlan;
let updatePath: string;

let counter = 0;
function recognitionOn(establishmentNumber: string, enterpriseNumber: string, partnershipId: string, over: Partial<Recognition> = {}): Recognition {
  counter += 1;
  return recognitionFixture(counter, { enterpriseNumber, establishmentNumber, partnershipId, ...over });
}

/** Recognitions on the entities the plan changes; the expected change per partnership follows from them. */
function recognitionsFor(p: UpdatePlan) {
  const recognitions: Recognition[] = [];
  const expected = new Set<string>();
  for (const move of p.addressMoves) {
    if (move.kind !== 'establishment') continue;
    recognitions.push(recognitionOn(move.entityNumber, move.enterpriseNumber, 'horeca'));
    expected.add(`addressChanged ${move.entityNumber} horeca`);
  }
  for (const stop of p.enterpriseStops) {
    recognitions.push(recognitionOn(stop.establishmentNumbers[0]!, stop.enterpriseNumber, 'bouw'));
    expected.add(`stopped ${stop.enterpriseNumber} bouw`);
  }
  for (const stop of p.establishmentStops) {
    recognitions.push(recognitionOn(stop.establishmentNumber, stop.enterpriseNumber, 'handel'));
    expected.add(`stopped ${stop.establishmentNumber} handel`);
  }
  // Re-stated addresses are no change for a partnership. A juridical situation is when it ends the activity
  // (bankruptcy 050, liquidation 012: the enterprise stops), not when it is a moratorium (091).
  for (const r of [...p.restatements.map((x) => x.entityNumber)]) recognitions.push(recognitionOn(r, '', 'handel'));
  for (const change of p.situationChanges) {
    const e = generatedEnterprise(base, change.enterpriseIndex);
    if (!e.establishments[0]) continue;
    recognitions.push(recognitionOn(e.establishments[0].number, e.number, 'handel'));
    if (!endsActivity(change.from) && endsActivity(change.to)) expected.add(`stopped ${e.number} handel`);
  }
  return { recognitions, expected };
}

async function allChanges(deps: Dependencies): Promise<KboChange[]> {
  const found: KboChange[] = [];
  for (const partnership of ['horeca', 'bouw', 'handel', 'vpdl']) found.push(...(await listChanges(deps, partnership, { limit: 100 })).items);
  return found;
}

async function drain(env: TestEnvironment): Promise<{ changeId: string; partnershipId: string }[]> {
  return drainQueue<{ changeId: string; partnershipId: string }>(env.deps, env.config.KBO_CHANGES_QUEUE_URL);
}

/** The kinds of item the KBO sync writes: one per enterprise and one per establishment. */
const kboKind = new Set(['enterprise', 'establishment']);

/** The KBO items of the table (tests may Scan; request paths may not), for comparing end states. */
async function kboItems(env: TestEnvironment) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await env.deps.db.send(new ScanCommand({ TableName: env.config.TABLE_NAME, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).filter((i) => kboKind.has(String(i.kind))));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((i) => JSON.stringify(Object.fromEntries(Object.entries(i).sort(([a], [b]) => (a < b ? -1 : 1))))).sort();
}

/** The deps with a count of the gsi1 Queries sent through them (an enterprise's establishments were once listed so). */
function countingGsi1Queries(deps: Dependencies) {
  let queries = 0;
  const db = {
    send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      if (command instanceof QueryCommand && command.input.IndexName === 'gsi1') queries += 1;
      return deps.db.send(command);
    },
  } as unknown as DynamoDBDocumentClient;
  return { deps: { ...deps, db }, queries: () => queries };
}

async function applyFile(env: TestEnvironment, deps: Dependencies = env.deps, path = updatePath, extractNumber = plan.extractNumber) {
  // Small chunks: a slice goes through several chunks of entities, as a large one does.
  const tasks = createSyncTasks(deps, { openZip: async () => fileSource(path), entitiesPerChunk: 7 });
  let state = await tasks.prepareFile({ key: path, extractNumber });
  let invocations = 0;
  while (!state.done) {
    state = await tasks.applySlice({ key: path, extractNumber });
    invocations += 1;
  }
  return { state, invocations };
}

/** A table with the base imported and the recognitions in place, sliced small so a file takes several invocations. */
async function preparedEnvironment() {
  const env = await createTestEnvironment({ KBO_SYNC_SLICE_BYTES: '500' });
  await importFullExtract(env.deps, fullPath);
  await putRecognitions(
    env.deps,
    recognitionsFor(plan).recognitions.map((r) => ({ ...r })),
  );
  return env;
}

beforeAll(async () => {
  await generateFullExtract({ ...base, path: fullPath });
  plan = planUpdate(base, [], updateOptions);
  updatePath = join(dir, updateFileName(plan));
  await generateUpdateExtract({ base, ...updateOptions, path: updatePath });
});

describe('applying an Update extract', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    counter = 0;
    env = await preparedEnvironment();
  });

  it('applies the file in slices, records it, and makes one change record per relevant change and partnership', async () => {
    // An enterprise's changes reach its establishments' recognitions through the list on its item: no Query.
    const counting = countingGsi1Queries(env.deps);
    const { invocations } = await applyFile(env, counting.deps);
    expect(counting.queries()).toBe(0);
    expect(invocations).toBeGreaterThan(1);
    const checkpoint = await getCheckpoint(env.deps, plan.extractNumber);
    expect(checkpoint).toMatchObject({ nextSlice: checkpoint!.sliceCount, finishedAt: expect.any(String) });
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: plan.extractNumber, type: 'update', counts: checkpoint!.counts });
    // New enterprises are not kept; their rows are skipped.
    expect(checkpoint!.counts.unknownEntities).toBeGreaterThan(0);
    // Restated rows (deleted and inserted the same) are not written again.
    expect(checkpoint!.counts.itemsUnchanged).toBeGreaterThan(0);

    const changes = await allChanges(env.deps);
    const seen = new Set(changes.filter((c) => c.kind !== 'nameChanged').map((c) => `${c.kind} ${c.entity.number} ${c.partnershipId}`));
    expect(seen).toEqual(recognitionsFor(plan).expected);
    // The plan has a bankruptcy or liquidation among its situation changes, and a moratorium or none: both ways are checked.
    expect(new Set(plan.situationChanges.map((c) => seen.has(`stopped ${c.enterpriseNumber} handel`)))).toEqual(new Set([false, true]));
    for (const c of changes)
      expect(c).toMatchObject({ status: 'open', extractNumber: plan.extractNumber, snapshotDate: plan.snapshotDate, recognitions: expect.any(Array) });
    const move = changes.find((c) => c.kind === 'addressChanged')!;
    const planned = plan.addressMoves.find((m) => m.entityNumber === move.entity.number)!;
    expect(move.newAddress).toMatchObject({
      postcode: planned.postcode,
      municipality: planned.municipality,
      street: planned.street,
      houseNumber: planned.houseNumber,
    });
    expect(move.oldAddress?.postcode).not.toBeUndefined();

    const messages = await drain(env);
    expect(new Set(messages.map((m) => m.changeId))).toEqual(new Set(changes.map((c) => c.id)));
  });

  it('leaves the table as KBO says: moved addresses, stopped entities kept as stopped, new names', async () => {
    const move = plan.addressMoves.find((m) => m.kind === 'establishment')!;
    const profile = await getEnterpriseProfile(env.deps, kboDigits(move.enterpriseNumber));
    expect(profile!.establishments.find((e) => e.establishmentNumber === move.entityNumber)!.address).toMatchObject({
      postcode: move.postcode,
      street: move.street,
      houseNumber: move.houseNumber,
    });
    const stop = plan.enterpriseStops[0]!;
    const stopped = await getEnterpriseProfile(env.deps, kboDigits(stop.enterpriseNumber));
    expect(stopped!.status).toBe('stopped');
    expect(stopped!.establishments.every((e) => e.status === 'stopped')).toBe(true);
    expect(stopped!.name).not.toBeNull();
    const establishmentStop = plan.establishmentStops[0]!;
    const owner = await getEnterpriseProfile(env.deps, kboDigits(establishmentStop.enterpriseNumber));
    expect(owner!.status).toBe('active');
    expect(owner!.establishments.find((e) => e.establishmentNumber === establishmentStop.establishmentNumber)!.status).toBe('stopped');
    const rename = plan.nameChanges[0]!;
    expect((await getEnterpriseProfile(env.deps, kboDigits(rename.enterpriseNumber)))!.names.map((n) => n.value)).toContain(rename.to);
    const situation = plan.situationChanges[0]!;
    expect((await getEnterpriseProfile(env.deps, kboDigits(situation.enterpriseNumber)))!.juridicalSituation.code).toBe(situation.to);
    for (const created of plan.newEnterprises) expect(await getEnterpriseProfile(env.deps, kboDigits(created.enterpriseNumber))).toBeUndefined();
  });

  it('keeps the name index with the items: a move changes the postcode entry, a new main name the sort key', async () => {
    const indexEntry = async (kind: 'enterprise' | 'establishment', number: string) => {
      const item = (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: entityKey(kind, kboDigits(number)) }))).Item ?? {};
      return { pk: item.gsi3pk as string | undefined, sk: item.gsi3sk as string | undefined };
    };
    const movedAndIndexed: { move: (typeof plan.addressMoves)[number]; sk: string }[] = [];
    for (const move of plan.addressMoves) {
      const entry = await indexEntry(move.kind === 'seat' ? 'enterprise' : 'establishment', move.entityNumber);
      if (entry.pk === undefined) continue;
      expect(entry.pk).toBe(keys.kbo.nameIndex(move.postcode));
      movedAndIndexed.push({ move, sk: entry.sk! });
    }
    expect(movedAndIndexed.length).toBeGreaterThan(0);
    const { move, sk } = movedAndIndexed[0]!;
    const atNewPostcode = await searchEnterprisesByName(env.deps, move.postcode, sk.slice(0, sk.lastIndexOf('#')), 20);
    expect(atNewPostcode.candidates.map((c) => c.enterpriseNumber)).toContain(move.enterpriseNumber);

    let renamedAndIndexed = 0;
    for (const rename of plan.nameChanges) {
      const entry = await indexEntry('enterprise', rename.enterpriseNumber);
      const profile = await getEnterpriseProfile(env.deps, kboDigits(rename.enterpriseNumber));
      if (entry.pk === undefined || profile!.name !== rename.to) continue;
      expect(entry.sk).toBe(keys.kbo.nameIndexSk(searchableName(rename.to), kboDigits(rename.enterpriseNumber)));
      renamedAndIndexed++;
    }
    expect(renamedAndIndexed).toBeGreaterThan(0);
  });

  it('stores a report next to the file: rows per member, every change record by kind, nothing rejected', async () => {
    const checkpoint = (await getCheckpoint(env.deps, plan.extractNumber))!;
    const report = (await getReport(env.deps, plan.extractNumber))!;
    expect(report).toMatchObject({ extractNumber: plan.extractNumber, extractType: 'update', snapshotDate: plan.snapshotDate, counts: checkpoint.counts });
    expect(report.fileName).toBe(updateFileName(plan));
    // Each slice counts only its own entities' rows: together, every row once.
    expect(Object.values(report.rowsPerMember).reduce((a, b) => a + b, 0)).toBe(checkpoint.counts.rows);
    expect(report.rowsPerMember['address_insert.csv']).toBeGreaterThan(0);
    const changes = await allChanges(env.deps);
    expect(report.changes!.records.map((c) => c.id).sort()).toEqual(changes.map((c) => c.id).sort());
    for (const kind of new Set(changes.map((c) => c.kind))) expect(report.changes!.byKind[kind]).toBe(changes.filter((c) => c.kind === kind).length);
    expect(report.changes!.withoutRecognitions).toBe(checkpoint.counts.changesWithoutRecognitions);
    expect(report).toMatchObject({ rejectedRows: [], empty: false, unknownEntities: checkpoint.counts.unknownEntities });
  });

  it('never applies a file twice, and a forced second run creates no new change record', async () => {
    expect(
      await createSyncTasks(env.deps, { openZip: async () => fileSource(updatePath) }).prepareFile({ key: updatePath, extractNumber: plan.extractNumber }),
    ).toMatchObject({ done: true, skipped: 'already applied' });
    const before = (await allChanges(env.deps)).map((c) => c.id).sort();
    const itemsBefore = await kboItems(env);
    // Forget that it ran: the same file again must change nothing.
    await env.deps.db.send(new DeleteCommand({ TableName: env.config.TABLE_NAME, Key: keys.kbo.extract(plan.extractNumber) }));
    await env.deps.db.send(new DeleteCommand({ TableName: env.config.TABLE_NAME, Key: keys.kbo.checkpoint(plan.extractNumber) }));
    await applyFile(env);
    expect((await getCheckpoint(env.deps, plan.extractNumber))!.counts.changes).toBe(0);
    expect((await allChanges(env.deps)).map((c) => c.id).sort()).toEqual(before);
    expect(await kboItems(env)).toEqual(itemsBefore);
    await drain(env);
  });
});

describe('an establishment moved to another enterprise', () => {
  it('is reported for its recognitions, lives in its new enterprise, and a later address change still finds it', async () => {
    const env = await createTestEnvironment();
    await importFullExtract(env.deps, fullPath);
    const from = generatedEnterprise(base, 0);
    const to = generatedEnterprise(base, 1);
    const moving = from.establishments[0]!;
    const r = recognitionOn(moving.number, from.number, 'horeca', { id: 'E/20260101/900001' });
    await putRecognitions(env.deps, [r]);
    const movePath = join(dir, 'move', extractFileName(2, 'update', '2026-02-03'));
    await writeHandMadeUpdate(movePath, {
      extractNumber: 2,
      snapshotDate: '2026-02-02',
      rows: {
        'establishment_delete.csv': [csvLine([text(moving.number)])],
        'establishment_insert.csv': [csvLine([text(moving.number), bare('01-01-2020'), text(to.number)])],
      },
    });
    await applyFile(env, env.deps, movePath, 2);
    const moved = (await allChanges(env.deps)).filter((c) => c.kind === 'movedToEnterprise');
    expect(moved).toEqual([expect.objectContaining({ partnershipId: 'horeca', recognitions: [expect.objectContaining({ id: r.id })] })]);
    expect((await getEnterpriseProfile(env.deps, kboDigits(to.number)))!.establishments.map((e) => e.establishmentNumber)).toContain(moving.number);
    expect((await getEnterpriseProfile(env.deps, kboDigits(from.number)))!.establishments.map((e) => e.establishmentNumber)).not.toContain(moving.number);

    // The next Update only has address rows for it: they name the establishment, not its (new) enterprise.
    const addressPath = join(dir, 'move', extractFileName(3, 'update', '2026-02-04'));
    await writeHandMadeUpdate(addressPath, {
      extractNumber: 3,
      snapshotDate: '2026-02-03',
      rows: {
        'address_delete.csv': [csvLine([text(moving.number)])],
        'address_insert.csv': [
          csvLine([
            text(moving.number),
            text('BAET'),
            text('België'),
            text('Belgique'),
            text('3000'),
            text('Leuven'),
            text('Louvain'),
            text('Bondgenotenlaan'),
            text('Bondgenotenlaan'),
            text('1'),
            null,
            null,
            null,
          ]),
        ],
      },
    });
    await applyFile(env, env.deps, addressPath, 3);
    const addressChange = (await allChanges(env.deps)).find((c) => c.kind === 'addressChanged' && c.extractNumber === 3);
    expect(addressChange).toMatchObject({
      partnershipId: 'horeca',
      entity: { number: moving.number },
      newAddress: { postcode: '3000', municipality: 'Leuven' },
    });
    const profile = await getEnterpriseProfile(env.deps, kboDigits(to.number));
    expect(profile!.establishments.find((e) => e.establishmentNumber === moving.number)!.address).toMatchObject({
      postcode: '3000',
      street: 'Bondgenotenlaan',
    });

    // Both enterprises' items list their establishments as KBO now places them.
    const lists = await getEntityItems(
      env.deps,
      [from, to].map((e) => ({ kind: 'enterprise' as const, digits: kboDigits(e.number) })),
    );
    expect(establishmentsOfItem(lists.get(kboDigits(to.number))!)).toContain(kboDigits(moving.number));
    expect(establishmentsOfItem(lists.get(kboDigits(from.number))!)).not.toContain(kboDigits(moving.number));
    // Both stop: the recognition is reached through its new enterprise's list, and not through the old one's.
    const stopPath = join(dir, 'move', extractFileName(4, 'update', '2026-02-05'));
    await writeHandMadeUpdate(stopPath, {
      extractNumber: 4,
      snapshotDate: '2026-02-04',
      rows: { 'enterprise_delete.csv': [csvLine([text(from.number)]), csvLine([text(to.number)])] },
    });
    const counting = countingGsi1Queries(env.deps);
    await applyFile(env, counting.deps, stopPath, 4);
    expect(counting.queries()).toBe(0);
    const stops = (await allChanges(env.deps)).filter((c) => c.extractNumber === 4);
    expect(stops).toEqual([
      expect.objectContaining({
        kind: 'stopped',
        entity: expect.objectContaining({ number: to.number }),
        recognitions: [expect.objectContaining({ id: r.id })],
      }),
    ]);
  });
});

describe('a sync that crashes half-way', () => {
  it('resumes at its checkpoint and ends like an uninterrupted run, with nothing lost or doubled', async () => {
    counter = 0;
    const clean = await preparedEnvironment();
    await applyFile(clean);
    const expectedChanges = (await allChanges(clean.deps)).map((c) => c.id).sort();
    const expectedItems = await kboItems(clean);

    counter = 0;
    const env = await preparedEnvironment();
    // The process dies during the item writes of some slice: every BatchWriteItem after the 3rd fails.
    let writes = 0;
    const crashing: Dependencies = {
      ...env.deps,
      db: {
        send: (command: unknown) => {
          if (command instanceof BatchWriteCommand && ++writes > 3) return Promise.reject(new Error('simulated crash'));
          return env.deps.db.send(command as never);
        },
      } as unknown as Dependencies['db'],
    };
    await expect(applyFile(env, crashing)).rejects.toThrow('simulated crash');
    const halfway = await getCheckpoint(env.deps, plan.extractNumber);
    expect(halfway!.finishedAt).toBeNull();
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 1 });

    await applyFile(env);
    expect((await allChanges(env.deps)).map((c) => c.id).sort()).toEqual(expectedChanges);
    expect(await kboItems(env)).toEqual(expectedItems);
    const messages = await drain(env);
    expect(new Set(messages.map((m) => m.changeId))).toEqual(new Set(expectedChanges));
  });
});

describe('the kbo-sync state machine', () => {
  it('applies the inbox in extract-number order, skips what it applied, and fails on a gap after applying what came before', async () => {
    counter = 0;
    const env = await preparedEnvironment();
    const second = planUpdate(base, [plan], { ...updateOptions, extractNumber: plan.extractNumber + 1 });
    const secondPath = join(dir, updateFileName(second));
    await generateUpdateExtract({ base, previous: [plan], ...updateOptions, extractNumber: second.extractNumber, path: secondPath });
    const fourth = planUpdate(base, [plan, second], { ...updateOptions, extractNumber: plan.extractNumber + 3 });
    const fourthPath = join(dir, updateFileName(fourth));
    await generateUpdateExtract({ base, previous: [plan, second], ...updateOptions, extractNumber: fourth.extractNumber, path: fourthPath });
    // A Full in the inbox and an unrelated file are not Updates: ignored.
    for (const path of [secondPath, updatePath, fourthPath, fullPath]) {
      await env.deps.s3.send(new PutObjectCommand({ Bucket: env.config.KBO_INBOX_BUCKET, Key: path.split('/').pop(), Body: readFileSync(path) }));
    }
    await env.deps.s3.send(new PutObjectCommand({ Bucket: env.config.KBO_INBOX_BUCKET, Key: 'README.txt', Body: 'not a zip' }));

    const definition = stateMachines.find((m) => m.name === 'kbo-sync')!;
    const tasks = createSyncTasks(env.deps);
    const machine = createLocalStateMachine({
      definition,
      machine: loadDefinition(definition),
      waitOverrides: 0,
      functions: {
        PlanRunFunction: async () => (await tasks.planRun()) as never,
        PrepareFileFunction: async (input) => (await tasks.prepareFile(input as never)) as never,
        ApplySliceFunction: async (input) => (await tasks.applySlice(input as never)) as never,
      },
    });
    const run = machine.start({}, 'weekly-1');
    await expect(run.result).rejects.toThrow();
    expect(run.status).toBe('FAILED');
    // 2 and 3 applied (streamed from S3), 5 waits for the missing 4.
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: second.extractNumber, fileName: updateFileName(second) });

    // Ops drops the missing file; the next run applies only it and the one after.
    await drain(env);
    expect(await tasks.planRun()).toEqual({
      files: [],
      gap: {
        expected: second.extractNumber + 1,
        found: fourth.extractNumber,
        lastApplied: second.extractNumber,
        firstWaiting: updateFileName(fourth),
        cause: expect.stringContaining(`missing: ${second.extractNumber + 1}`),
      },
      hasGap: true,
    });
  });
});

describe('a reconciling Full reload (kbo:import of a newer Full)', () => {
  it('ends as the missed Updates would have: the same change records (a stop in the gap reaches its partnership), items and tasks, plus the new enterprises', async () => {
    // The reference: the Update applied by the sync.
    counter = 0;
    const synced = await preparedEnvironment();
    await applyFile(synced);
    const expectedIds = (await allChanges(synced.deps)).map((c) => c.id).sort();
    const newEnterprises = plan.newEnterprises.map((e) => kboDigits(e.enterpriseNumber));
    // Their items and their establishments' (all in gsi1 ENT#<enterprise>).
    const newPartitions = new Set(newEnterprises.map((digits) => keys.enterprise.index(digits)));
    const withoutNew = (items: string[]) => items.filter((json) => !newPartitions.has(String((JSON.parse(json) as Record<string, unknown>).gsi1pk)));
    const expectedItems = withoutNew(await kboItems(synced));
    await drain(synced);

    // The same table, but the Update never arrived: ops imports the Full of that day instead.
    counter = 0;
    const env = await preparedEnvironment();
    const reloadPath = join(dir, `KboOpenData_${String(plan.extractNumber).padStart(4, '0')}_2026_11_30_Full.zip`);
    await generateFullExtract({ ...base, path: reloadPath, updates: [plan] });
    const outcome = await importOrReconcile(env.deps, reloadPath, { reconcile: { sliceBytes: 20_000 } });
    expect(outcome.step).toBe('reconcile');
    if (outcome.step !== 'reconcile') return;
    expect(outcome.result.gone.enterprises).toBe(plan.enterpriseStops.length);

    const changes = await allChanges(env.deps);
    expect(changes.map((c) => c.id).sort()).toEqual(expectedIds);
    const seen = new Set(changes.filter((c) => c.kind !== 'nameChanged').map((c) => `${c.kind} ${c.entity.number} ${c.partnershipId}`));
    expect(seen).toEqual(recognitionsFor(plan).expected);
    const stop = plan.enterpriseStops[0]!;
    expect(seen).toContain(`stopped ${stop.enterpriseNumber} bouw`);
    expect(withoutNew(await kboItems(env))).toEqual(expectedItems);
    for (const created of plan.newEnterprises) expect(await getEnterpriseProfile(env.deps, kboDigits(created.enterpriseNumber))).toBeDefined();
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: plan.extractNumber, type: 'full' });

    // The messages reach the partnerships' dashboards: the stop is a task for bouw.
    const queue = env.queues.find((q) => q.definition.id === 'kboChanges')!;
    while ((await pollOnce(env.deps.sqs, queue, createChangesConsumer(env.deps), { waitSeconds: 0, retryAfterSeconds: 0 })) > 0);
    const stopChange = changes.find((c) => c.kind === 'stopped' && c.entity.number === stop.enterpriseNumber)!;
    const bouwTasks = (await listOpenTasks(env.deps, 'partnership:bouw', { limit: 100 })).items;
    expect(bouwTasks.map((t) => t.subject.id)).toContain(stopChange.id);

    const report = await getReport(env.deps, plan.extractNumber);
    expect(report).toMatchObject({ extractType: 'full', empty: false, rejectedRows: [] });
    expect(report!.changes!.records.map((c) => c.id).sort()).toEqual(expectedIds);

    // The next Update after the reload is N+1; the same Full again is refused.
    await expect(importOrReconcile(env.deps, reloadPath)).rejects.toMatchObject({ name: 'FullNotNewer' });
  });
});
