// What the sync keeps of the rows of an Update: the extra address information (in the profile and the change
// records), an address struck off as its own change, and duplicate rows (last wins, counted, never an error).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addressFields,
  bare,
  csvLine,
  fullFileName,
  generatedEnterprise,
  generateFullExtract,
  handMadeUpdateName,
  text,
  writeHandMadeUpdate,
  writeZip,
  type BaseExtract,
  type GeneratedEnterprise,
  type GeneratedEstablishment,
  type HandMadeUpdate,
} from '../../infra/local/kbo/generator.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { fileSource } from '../../shared/adapters/kbo/source.ts';
import { getEnterpriseProfile } from '../../shared/data/kbo.ts';
import { getCheckpoint, listChanges } from '../../shared/data/kbo-changes.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { changeTask } from '../../shared/domain/kbo-tasks.ts';
import { importFullExtract } from '../kbo-import/full-import.ts';
import { changeView, kboChangeView } from '../kbo-changes/views.ts';
import { enterpriseProfile, enterpriseProfileView } from '../organisations/views.ts';
import { createSyncTasks } from './sync-tasks.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-rows-'));
const base: BaseExtract = { enterprises: 30, seed: 8 };
const fullPath = join(dir, fullFileName(base));

/** Legal persons with an establishment whose address has no extra information and is not struck off. */
const candidates: { enterprise: GeneratedEnterprise; establishment: GeneratedEstablishment }[] = Array.from({ length: base.enterprises }, (_, i) =>
  generatedEnterprise(base, i),
)
  .filter((e) => e.seat && !e.natural)
  .flatMap((e) => e.establishments.filter((s) => !s.address.extra && !s.address.struckOffOn).map((s) => ({ enterprise: e, establishment: s })))
  .filter((c, i, all) => all.findIndex((x) => x.enterprise.number === c.enterprise.number) === i);

beforeAll(async () => {
  await generateFullExtract({ ...base, path: fullPath });
  expect(candidates.length).toBeGreaterThanOrEqual(3);
});

/** A table with the base imported and a recognition of partnership horeca on each candidate establishment. */
async function preparedEnvironment(): Promise<TestEnvironment> {
  const env = await createTestEnvironment();
  await importFullExtract(env.deps, fullPath);
  await putRecognitions(
    env.deps,
    candidates.map((c, i) =>
      recognitionFixture(i + 1, { enterpriseNumber: c.enterprise.number, establishmentNumber: c.establishment.number, partnershipId: 'horeca' }),
    ),
  );
  return env;
}

async function apply(env: TestEnvironment, update: HandMadeUpdate) {
  const path = join(dir, `${env.stage}-${handMadeUpdateName(update)}`);
  await writeHandMadeUpdate(path, update);
  const tasks = createSyncTasks(env.deps, { openZip: async () => fileSource(path) });
  let state = await tasks.prepareFile({ key: path, extractNumber: update.extractNumber });
  while (!state.done) state = await tasks.applySlice({ key: path, extractNumber: update.extractNumber });
  return (await getCheckpoint(env.deps, update.extractNumber))!.counts;
}

/** The establishment's BAET row as the Full has it, with other house number, extra information or strike-off. */
const addressRow = (s: GeneratedEstablishment, over: { houseNumber?: string; extra?: string | null; struckOffOn?: string | null } = {}) =>
  csvLine(
    addressFields(s.number, 'BAET', s.address.place, over.houseNumber ?? s.address.houseNumber, s.address.box, over.struckOffOn ?? null, over.extra ?? null),
  );

const establishmentOf = async (env: TestEnvironment, c: (typeof candidates)[number]) =>
  (await getEnterpriseProfile(env.deps, kboDigits(c.enterprise.number)))!.establishments.find((e) => e.establishmentNumber === c.establishment.number)!;

describe('extra address information', () => {
  it('is kept in the profile (and its view) and in the change records (and their view)', async () => {
    const env = await preparedEnvironment();
    const c = candidates[0]!;
    const extra = 'Ingang via de Kerkstraat, gebouw B';
    await apply(env, {
      extractNumber: 2,
      snapshotDate: '2026-11-01',
      rows: { 'address_delete.csv': [csvLine([text(c.establishment.number)])], 'address_insert.csv': [addressRow(c.establishment, { extra })] },
    });
    const profile = (await getEnterpriseProfile(env.deps, kboDigits(c.enterprise.number)))!;
    expect((await establishmentOf(env, c)).address).toMatchObject({ extraAddressInfo: extra });
    const view = enterpriseProfileView.parse(enterpriseProfile(profile));
    expect(view.establishments.find((e) => e.establishmentNumber === c.establishment.number)!.address).toMatchObject({ extraAddressInfo: extra });

    const [change] = (await listChanges(env.deps, 'horeca', {})).items;
    expect(change).toMatchObject({ kind: 'addressChanged', oldAddress: { extraAddressInfo: null }, newAddress: { extraAddressInfo: extra } });
    expect(kboChangeView.parse(changeView(change!)).newAddress).toMatchObject({ extraAddressInfo: extra });
  });
});

describe('an address struck off', () => {
  it('is its own change kind and task ("Adres doorgehaald"), not an address change', async () => {
    const env = await preparedEnvironment();
    const c = candidates[1]!;
    await apply(env, {
      extractNumber: 2,
      snapshotDate: '2026-11-01',
      rows: {
        'address_delete.csv': [csvLine([text(c.establishment.number)])],
        'address_insert.csv': [addressRow(c.establishment, { struckOffOn: '12-05-2026' })],
      },
    });
    const changes = (await listChanges(env.deps, 'horeca', {})).items;
    expect(changes.map((x) => x.kind)).toEqual(['addressStruckOff']);
    expect(changes[0]).toMatchObject({ entity: { number: c.establishment.number }, newAddress: { struckOffOn: '2026-05-12' } });
    const task = changeTask(changes[0]!, '2026-11-02T08:00:00Z');
    expect(task).toMatchObject({ type: 'processAddressStrikeOff', title: 'Adres doorgehaald' });
    expect(task.subject.label).toBe(`Adres doorgehaald vestiging ${c.establishment.number}`);
    expect(kboChangeView.parse(changeView(changes[0]!))).toMatchObject({ kind: 'addressStruckOff', allowedDecisions: ['keep', 'revoke'] });
    expect((await establishmentOf(env, c)).address).toMatchObject({ struckOffOn: '2026-05-12' });
  });
});

describe('duplicate rows', () => {
  it('in an Update: the last wins, they are counted, and nothing fails', async () => {
    const env = await preparedEnvironment();
    const c = candidates[2]!;
    const e = c.enterprise;
    const enterpriseLine = csvLine([text(e.number), text('AC'), text('000'), text('2'), text(e.form ?? '610'), null, bare(e.startDate)]);
    const name = csvLine([text(e.number), text('2'), text('001'), text('Nieuwe Naam')]);
    const counts = await apply(env, {
      extractNumber: 2,
      snapshotDate: '2026-11-01',
      rows: {
        'enterprise_delete.csv': [csvLine([text(e.number)]), csvLine([text(e.number)])],
        'enterprise_insert.csv': [enterpriseLine, enterpriseLine],
        'denomination_delete.csv': [csvLine([text(e.number)])],
        'denomination_insert.csv': [name, name],
        'address_delete.csv': [csvLine([text(c.establishment.number)]), csvLine([text(c.establishment.number)])],
        'address_insert.csv': [addressRow(c.establishment, { houseNumber: '999Z' }), addressRow(c.establishment, { houseNumber: '999Z' })],
      },
    });
    expect(counts.duplicateRows).toBe(5);
    const profile = (await getEnterpriseProfile(env.deps, kboDigits(e.number)))!;
    expect(profile.names.map((n) => n.value)).toEqual(['Nieuwe Naam']);
    expect((await establishmentOf(env, c)).address).toMatchObject({ houseNumber: '999Z' });
    const kinds = (await listChanges(env.deps, 'horeca', {})).items.map((x) => `${x.kind} ${x.entity.number}`).sort();
    expect(kinds).toEqual([`addressChanged ${c.establishment.number}`, `nameChanged ${e.number}`].sort());
  });

  it('in a Full: the last wins, they are counted, and nothing fails', async () => {
    const env = await createTestEnvironment();
    const path = join(dir, 'KboOpenData_0009_2026_11_01_Full.zip');
    const address = (house: string) => `"0412.345.614","REGO",,,"9000","Gent","Gand","Kouter","Kouter","${house}","","",\n`;
    await writeZip(path, {
      meta: function* () {
        yield '"SnapshotDate","31-10-2026"\n"ExtractTimestamp","01-11-2026 07:40:18"\n"ExtractType","full"\n"ExtractNumber","9"\n"Version","1.0.0"\n';
      },
      code: function* () {},
      enterprise: function* () {
        yield '"0412.345.614","AC","000","2","610",,03-02-2014\n';
        yield '"0412.345.614","AC","000","2","610",,03-02-2014\n';
      },
      establishment: function* () {
        yield '"2.123.456.791",03-02-2014,"0412.345.614"\n';
        yield '"2.123.456.791",03-02-2014,"0412.345.614"\n';
      },
      denomination: function* () {
        yield '"0412.345.614","2","001","Bakkerij Peeters"\n';
        yield '"0412.345.614","2","001","Bakkerij Peeters"\n';
      },
      address: function* () {
        yield address('12');
        yield address('14');
      },
      contact: function* () {},
      activity: function* () {},
      branch: function* () {},
    });
    const counts = await importFullExtract(env.deps, path);
    expect(counts).toMatchObject({ enterprises: 1, establishments: 1, names: 1, addresses: 1, duplicateRows: 4 });
    expect((await getEnterpriseProfile(env.deps, '0412345614'))!.seat).toMatchObject({ houseNumber: '14' });
  });
});
