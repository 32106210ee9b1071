// The full import against DynamoDB Local: counts, the assembled profile, idempotency, and the real format's quirks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { generateFullExtract } from '../../infra/local/kbo/generator.ts';
import { buildSeedZip } from '../../infra/local/seed/kbo-seed.ts';
import { getEnterpriseProfile } from '../../shared/data/kbo.ts';
import { importFullExtract } from './full-import.ts';

let env: TestEnvironment;
const dir = mkdtempSync(join(tmpdir(), 'kbo-import-'));

beforeAll(async () => {
  env = await createTestEnvironment();
});

const allItems = async (pk: string) => (await env.deps.db.send(new QueryCommand({ TableName: env.config.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))).Items ?? [];

describe('KBO full import', () => {
  it('imports the seed extract and assembles an enterprise profile from one item collection', async () => {
    const path = join(dir, 'KboOpenData_0001_2026_11_02_Full.zip');
    await buildSeedZip(path);
    const counts = await importFullExtract(env.deps, path);
    // 6 enterprises (one a natural person: no seat address) with 10 establishments, each with a name and an address.
    expect(counts).toEqual({ enterprises: 6, establishments: 10, names: 16, addresses: 15, skipped: 0 });
    const mega = await getEnterpriseProfile(env.deps, '0417390703');
    expect(mega).toMatchObject({ enterpriseNumber: '0417.390.703', name: 'Mega World', status: 'active', typeOfEnterprise: 'legalPerson', juridicalSituation: { code: '000', class: 'normal' }, seat: { postcode: '2220', municipality: 'Heist-op-den-Berg' } });
    expect(mega!.establishments.map((e) => [e.establishmentNumber, e.region])).toEqual([
      ['2.123.456.791', 'flanders'], ['2.199.988.803', 'wallonia'], ['2.300.000.157', 'brussels'],
    ]);
    const bakery = await getEnterpriseProfile(env.deps, '0412345614');
    expect(bakery!.establishments[0]!.name).toBe('Peeters "Het Gouden Brood"');
    const natural = await getEnterpriseProfile(env.deps, '1098765421');
    expect(natural).toMatchObject({ typeOfEnterprise: 'naturalPerson', seat: null, name: 'Janssens, An' });
    expect((await getEnterpriseProfile(env.deps, '0712345630'))!.juridicalSituation).toEqual({ code: '050', class: 'bankruptcy' });
    expect(await getEnterpriseProfile(env.deps, '0403449823')).toBeUndefined();
  });

  it('is idempotent: a second run leaves exactly the same items', async () => {
    const path = join(dir, 'KboOpenData_0001_2026_11_02_Full.zip');
    const before = await allItems('ENT#0417390703');
    await importFullExtract(env.deps, path);
    expect(await allItems('ENT#0417390703')).toEqual(before);
  });

  it('imports a generated extract with every row accounted for', async () => {
    const path = join(dir, 'KboOpenData_0002_2026_11_01_Full.zip');
    const generated = await generateFullExtract({ enterprises: 300, seed: 7, path });
    const started = Date.now();
    const counts = await importFullExtract(env.deps, path);
    console.log(`imported ${counts.enterprises + counts.establishments + counts.names + counts.addresses} rows in ${Date.now() - started} ms`);
    expect(counts.enterprises).toBe(300);
    expect(counts.establishments).toBe(generated.establishments);
    expect(counts.skipped).toBe(0);
  });
});
