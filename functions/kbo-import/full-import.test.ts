// The full import against DynamoDB Local: counts, the assembled profile, idempotency (a second run leaves the
// same items), the file-format variations, unusable rows, and that it streams (reads and writes overlap with
// a bounded number of items held).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, ScanCommand, type BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { generateFullExtract, writeZip, type GeneratedCounts } from '../../infra/local/kbo/generator.ts';
import { buildSeedZip, seedExtractFileName } from '../../infra/local/seed/kbo/seed.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract } from '../../shared/adapters/kbo/extract.ts';
import { establishmentsOfItem, getEnterpriseProfile, getEntityItems, getLatestExtract, recordExtract } from '../../shared/data/kbo.ts';
import * as keys from '../../shared/data/keys.ts';
import { searchEnterprisesByName } from '../../shared/data/verifications.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { importFullExtract, importOrReconcile, type ImportProgress } from './full-import.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-import-'));

/** Every item of a table, sorted by key (tests may Scan; request paths may not). */
async function allItems(env: TestEnvironment) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await env.deps.db.send(new ScanCommand({ TableName: env.config.TABLE_NAME, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (i: Record<string, unknown>) => `${i.pk}\u0000${i.sk}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

const getItem = async (env: TestEnvironment, key: keys.TableKey) =>
  (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: key }))).Item ?? {};

/** What the import must write for a generated extract. */
const expectedCounts = (g: GeneratedCounts) => ({
  enterprises: g.enterprises,
  establishments: g.establishments,
  names: g.rows.denomination - g.branchDenominations,
  addresses: g.rows.address - g.branchAddresses,
  duplicateRows: 0,
  skipped: { branchRows: g.branchDenominations + g.branchAddresses, unknownEntity: 0, invalid: 0 },
});

describe('KBO full import of the seed extract', () => {
  let env: TestEnvironment;
  const path = join(dir, seedExtractFileName);

  beforeAll(async () => {
    env = await createTestEnvironment();
    await buildSeedZip(path);
  });

  it('imports every enterprise, establishment, name and address', async () => {
    const counts = await importFullExtract(env.deps, path);
    // 6 enterprises (one a natural person: no seat), 11 establishments, each with one BAET.
    expect(counts).toEqual({
      enterprises: 6,
      establishments: 11,
      names: 23,
      addresses: 16,
      duplicateRows: 0,
      skipped: { branchRows: 0, unknownEntity: 0, invalid: 0 },
    });
    expect(await getLatestExtract(env.deps)).toMatchObject({
      extractNumber: 1,
      type: 'full',
      snapshotDate: '2026-10-31',
      extractTimestamp: '2026-11-01T07:40:18',
      fileName: seedExtractFileName,
      counts,
    });
  });

  it('assembles the profiles from the imported items', async () => {
    const acm = await getEnterpriseProfile(env.deps, '0417390703');
    expect(acm).toMatchObject({
      enterpriseNumber: '0417.390.703',
      name: 'ACM Economische Actor',
      status: 'active',
      typeOfEnterprise: 'legalPerson',
      juridicalForm: '014',
      juridicalSituation: { code: '000', class: 'normal' },
      startDate: '1978-06-20',
      kboExtractNumber: 1,
      seat: { postcode: '2220', municipality: 'Heist-op-den-Berg', street: 'Bergstraat', houseNumber: '12', box: null, country: null },
    });
    expect(acm!.names).toContainEqual({ language: 'fr', type: 'name', value: 'ACM Acteur Économique' });
    expect(acm!.establishments.map((e) => [e.establishmentNumber, e.name, e.address?.municipality, e.region])).toEqual([
      ['2.123.456.791', 'Mega World', 'Heist-op-den-Berg', 'flanders'],
      ['2.199.988.803', 'Mega World Namur', 'Namen', 'wallonia'],
      ['2.300.000.157', 'Mega World Brussel', 'Brussel', 'brussels'],
    ]);
    const bakery = await getEnterpriseProfile(env.deps, '0412345614');
    expect(bakery!.establishments.map((e) => e.name)).toEqual(['Peeters "Het Gouden Brood"', 'Boulangerie Peeters Liège']);
    expect(await getEnterpriseProfile(env.deps, '1098765421')).toMatchObject({
      typeOfEnterprise: 'naturalPerson',
      juridicalForm: null,
      seat: null,
      name: 'Janssens, An',
    });
    const bankrupt = await getEnterpriseProfile(env.deps, '0712345630');
    expect(bankrupt).toMatchObject({
      juridicalSituation: { code: '050', class: 'bankruptcy' },
      seat: { country: 'Frankrijk', municipality: 'Rijsel', postcode: '59000' },
    });
    expect(bankrupt!.establishments[0]!.region).toBe('flanders');
    expect(await getEnterpriseProfile(env.deps, '0403449823')).toBeUndefined();
  });

  it('indexes the names for the name search: main names at the seat, establishment names at their address, no natural person', async () => {
    const search = async (postcode: string, name: string) =>
      (await searchEnterprisesByName(env.deps, postcode, name, 20)).candidates.map((c) => [
        c.enterpriseNumber,
        c.establishments.map((e) => e.establishmentNumber),
      ]);
    expect(await search('2220', 'ACM econ')).toEqual([['0417.390.703', []]]);
    expect(await search('2220', 'mega')).toEqual([['0417.390.703', ['2.123.456.791']]]);
    expect(await search('2220', 'acm acteur')).toEqual([]);
    expect(await search('9000', 'peeters het')).toEqual([['0412.345.614', ['2.200.000.184']]]);
    expect(await search('9000', 'BAKKERIJ')).toEqual([['0412.345.614', []]]);
    expect(await search('1050', 'brasserie de kouter el')).toEqual([['0450.451.271', ['2.200.000.877']]]);
    // The sole trader's enterprise is not in the index; its establishment is, and is dropped when read.
    expect((await getItem(env, keys.enterprise.profile('1098765421'))).gsi3pk).toBeUndefined();
    expect((await getItem(env, keys.kbo.establishment('2200000679'))).gsi3pk).toBe(keys.kbo.nameIndex('2800'));
    expect(await search('2800', 'kapsalon')).toEqual([]);
    // A seat abroad has no Belgian postcode to be found at.
    expect((await getItem(env, keys.enterprise.profile('0712345630'))).gsi3pk).toBeUndefined();
  });

  it('is idempotent: a second run (forced, the same extract) leaves exactly the same items', async () => {
    const before = await allItems(env);
    await importFullExtract(env.deps, path, { force: true });
    expect(await allItems(env)).toEqual(before);
  });
});

describe('a Full onto a table that already holds KBO data', () => {
  const fullOf = async (extractNumber: number) => {
    const path = join(dir, `KboOpenData_${String(extractNumber).padStart(4, '0')}_2026_11_01_Full.zip`);
    await generateFullExtract({ enterprises: 5, seed: 21, extractNumber, path });
    return path;
  };

  it('refuses a Full older than or equal to the last applied extract, naming both numbers, and writes nothing', async () => {
    const env = await createTestEnvironment();
    await importFullExtract(env.deps, await fullOf(4));
    const before = await allItems(env);
    for (const older of [4, 3]) {
      await expect(importFullExtract(env.deps, await fullOf(older))).rejects.toMatchObject({
        name: 'FullNotNewer',
        message: expect.stringMatching(new RegExp(`Full extract ${older} .*last applied extract 4`)),
      });
    }
    expect(await allItems(env)).toEqual(before);
  });

  it('rebuilds on request (force) with a warning, and forgets the extracts after it so the sync applies them again', async () => {
    const env = await createTestEnvironment();
    await importFullExtract(env.deps, await fullOf(2));
    await recordExtract(env.deps, {
      extractNumber: 3,
      type: 'update',
      snapshotDate: '2026-11-02',
      extractTimestamp: '2026-11-03T07:40:18',
      fileName: 'u3',
      counts: {},
    });
    const warnings: string[] = [];
    await importFullExtract(env.deps, await fullOf(2), { force: true, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/Full extract 2 .*last applied extract 3.*3 applied again/)]);
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 2, type: 'full' });
  });

  it('does not load a newer Full over the table: kbo:import reconciles it (importOrReconcile)', async () => {
    const env = await createTestEnvironment();
    await importFullExtract(env.deps, await fullOf(2));
    await expect(importFullExtract(env.deps, await fullOf(6))).rejects.toThrow(/holds extract 2; a newer Full is reconciled/);
    const outcome = await importOrReconcile(env.deps, await fullOf(6));
    expect(outcome.step).toBe('reconcile');
    expect(await getLatestExtract(env.deps)).toMatchObject({ extractNumber: 6, type: 'full' });
  });
});

describe('KBO full import of generated extracts', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment();
  });

  it('accounts for every row, skipping branch rows, and reports progress per file', async () => {
    const path = join(dir, 'KboOpenData_0002_2026_11_01_Full.zip');
    const generated = await generateFullExtract({ enterprises: 1500, seed: 7, path, extractNumber: 2 });
    expect(generated.branches).toBeGreaterThan(0);
    const progress: ImportProgress[] = [];
    const counts = await importFullExtract(env.deps, path, { onProgress: (p) => progress.push(p) });
    expect(counts).toEqual(expectedCounts(generated));
    // A report at the end of each member, with that member's row count.
    const ends = new Map(progress.map((p) => [p.file, p]));
    expect(ends.get('enterprise.csv')!.fileRows).toBe(generated.rows.enterprise);
    expect(ends.get('establishment.csv')!.fileRows).toBe(generated.rows.establishment);
    expect(ends.get('denomination.csv')!.fileRows).toBe(generated.rows.denomination);
    expect(ends.get('address.csv')!.fileRows).toBe(generated.rows.address);
    const done = ends.get('done')!;
    expect(done.totalRows).toBe(generated.rows.enterprise + generated.rows.establishment + generated.rows.denomination + generated.rows.address);
    // One item per entity: its names and addresses are in it.
    expect(done.itemsWritten).toBe(counts.enterprises + counts.establishments);
    expect(done.rowsPerSecond).toBeGreaterThan(0);
  });

  it('reads CRLF, a BOM and capitalised member names the same way', async () => {
    const plain = join(dir, 'plain', 'KboOpenData_0003_2026_11_01_Full.zip');
    const quirky = join(dir, 'quirky', 'KboOpenData_0003_2026_11_01_Full.zip');
    const generated = await generateFullExtract({ enterprises: 200, seed: 11, path: plain, extractNumber: 3 });
    await generateFullExtract({ enterprises: 200, seed: 11, path: quirky, extractNumber: 3, dialect: { crlf: true, bom: true, capitalisedNames: true } });
    const a = await createTestEnvironment();
    const b = await createTestEnvironment();
    expect(await importFullExtract(a.deps, plain)).toEqual(expectedCounts(generated));
    expect(await importFullExtract(b.deps, quirky)).toEqual(expectedCounts(generated));
    const withoutDates = (items: Record<string, unknown>[]) => items.map(({ importedAt: _i, ...rest }) => rest);
    expect(withoutDates(await allItems(b))).toEqual(withoutDates(await allItems(a)));
  });

  it('skips rows it cannot use and counts them: bad numbers, unknown entities', async () => {
    const path = join(dir, 'KboOpenData_0004_2026_11_01_Full.zip');
    await writeZip(path, {
      meta: function* () {
        yield '"SnapshotDate","31-10-2026"\n"ExtractTimestamp","01-11-2026 07:40:18"\n"ExtractType","full"\n"ExtractNumber","4"\n"Version","1.0.0"\n';
      },
      enterprise: function* () {
        yield '"0412.345.614","AC","000","2","610",,03-02-2014\n';
        yield '"0412.345.615","AC","000","2","610",,03-02-2014\n'; // bad check digits
      },
      establishment: function* () {
        yield '"2.123.456.791",03-02-2014,"0412.345.614"\n';
        yield '"2.300.000.157",01-04-2024,"1098.765.421"\n'; // enterprise not in the extract
      },
      denomination: function* () {
        yield '"0412.345.614","2","001","Bakkerij Peeters"\n';
        yield '"2.123.456.791","2","003","Peeters Brussel"\n';
        yield '"2.300.000.157","2","003","Of an unknown enterprise"\n';
        yield '"0888.123.486","2","001","Not in enterprise.csv"\n';
        yield '"9.001.234.566","2","004","A branch"\n';
      },
      address: function* () {
        yield '"0412.345.614","REGO",,,"9000","Gent","Gand","Kouter","Kouter","12","","",\n';
        yield '"2.123.456.791","BAET",,,"1000","Brussel","Bruxelles","Wetstraat","Rue de la Loi","8","2","",31-13-2026\n'; // impossible date
      },
      // The members the import does not read are there all the same: the format defines them.
      code: function* () {},
      contact: function* () {},
      activity: function* () {},
      branch: function* () {},
    });
    const env4 = await createTestEnvironment();
    const issues: string[] = [];
    const counts = await importFullExtract(env4.deps, path, { onInvalidRow: (i) => issues.push(`${i.member}:${i.record}`) });
    expect(counts).toEqual({
      enterprises: 1,
      establishments: 1,
      names: 2,
      addresses: 1,
      duplicateRows: 0,
      skipped: { branchRows: 1, unknownEntity: 3, invalid: 2 },
    });
    expect(issues).toEqual(['enterprise.csv:2', 'address.csv:2']);
    expect((await getEnterpriseProfile(env4.deps, '0412345614'))!.establishments[0]).toMatchObject({ name: 'Peeters Brussel', address: null });
  });

  it("lists every establishment of a large enterprise on the enterprise's item, also those written in other passes, far under 400 KB", async () => {
    const path = join(dir, 'KboOpenData_0006_2026_11_01_Full.zip');
    const count = 6000;
    const numbers = Array.from({ length: count }, (_, i) => {
      const digits = `2${String(i).padStart(7, '0')}`;
      const check = String(97 - Number(BigInt(digits) % 97n)).padStart(2, '0');
      return `${digits[0]}.${digits.slice(1, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}${check}`;
    });
    await writeZip(path, {
      meta: function* () {
        yield '"SnapshotDate","31-10-2026"\n"ExtractTimestamp","01-11-2026 07:40:18"\n"ExtractType","full"\n"ExtractNumber","6"\n"Version","1.0.0"\n';
      },
      enterprise: function* () {
        yield '"0412.345.614","AC","000","2","610",,03-02-2014\n';
      },
      establishment: function* () {
        for (const number of numbers) yield `"${number}",03-02-2014,"0412.345.614"\n`;
      },
      denomination: function* () {
        yield '"0412.345.614","2","001","Bakkerij Peeters"\n';
      },
      address: function* () {},
      code: function* () {},
      contact: function* () {},
      activity: function* () {},
      branch: function* () {},
    });
    const big = await createTestEnvironment();
    // Small passes: most establishments are written in other passes than their enterprise.
    await importFullExtract(big.deps, path, { sliceBytes: 100_000 });
    const item = (await getEntityItems(big.deps, [{ kind: 'enterprise', digits: '0412345614' }])).get('0412345614')!;
    expect(establishmentsOfItem(item)).toEqual(numbers.map(kboDigits));
    // About 13 bytes an establishment: 20,000 of them would still fit DynamoDB's 400 KB.
    expect(JSON.stringify(establishmentsOfItem(item)).length / count).toBeLessThan(400_000 / 20_000);
  });

  it('refuses an Update extract', async () => {
    const path = join(dir, 'KboOpenData_0005_2026_11_02_Update.zip');
    await writeZip(path, {
      meta: function* () {
        yield '"SnapshotDate","01-11-2026"\n"ExtractTimestamp","02-11-2026 07:40:18"\n"ExtractType","update"\n"ExtractNumber","5"\n';
      },
    });
    await expect(importFullExtract(env.deps, path)).rejects.toThrow(/update extract/);
  });

  it('streams in passes: each pass writes its slice of entities before the next reads, and only a bounded number of items waits for DynamoDB', async () => {
    const path = join(dir, 'KboOpenData_0006_2026_11_01_Full.zip');
    const generated = await generateFullExtract({ enterprises: 3000, seed: 5, path, extractNumber: 6 });
    // An empty table of its own: onto the one the tests above filled, a newer Full is reconciled, not loaded.
    const empty = await createTestEnvironment();
    // A slow table (5 ms a request) makes any buffering of the whole extract visible.
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = {
      send: async (command: BatchWriteCommand) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return command.constructor.name === 'BatchWriteCommand' ? {} : empty.deps.db.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const deps: Dependencies = { ...empty.deps, db: slow };
    const progress: ImportProgress[] = [];
    // A quarter of the members per pass: memory holds a quarter of the entities at a time.
    const zip = await KboExtract.open(path);
    const bytes = ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv'].reduce((sum, m) => sum + (zip.size(m) ?? 0), 0);
    zip.close();
    const counts = await importFullExtract(deps, path, { onProgress: (p) => progress.push(p), writer: { parallel: 4 }, sliceBytes: Math.ceil(bytes / 4) });
    expect(counts).toEqual(expectedCounts(generated));
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(Math.max(...progress.map((p) => p.itemsPending))).toBeLessThanOrEqual(5 * 25);
    // Items of the first passes were written while later passes were still reading.
    const items = counts.enterprises + counts.establishments;
    expect(progress.some((p) => p.itemsWritten > 0 && p.itemsWritten < items && p.file !== 'done')).toBe(true);
    expect(progress.at(-1)!.itemsWritten).toBe(items);
  });
});
