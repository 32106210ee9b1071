// The seed extract keeps the invariants of a real one, and holds what the demo relies on.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KboExtract } from '../../../../shared/adapters/kbo/extract.ts';
import { parseExtractName } from '../../../../shared/adapters/kbo/extract.ts';
import { regionOf } from '../../../../shared/domain/region.ts';
import { buildSeedZip, seedExtractFileName } from './seed.ts';

const path = join(mkdtempSync(join(tmpdir(), 'kbo-seed-')), seedExtractFileName);
let extract: KboExtract;
beforeAll(async () => {
  await buildSeedZip(path);
  extract = await KboExtract.open(path);
  return () => extract.close();
});

const collect = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
};

describe('KBO seed extract', () => {
  it('is a Full extract whose name and meta agree', async () => {
    expect(parseExtractName(seedExtractFileName)).toMatchObject({ extractNumber: 1, type: 'full' });
    expect(await extract.meta()).toMatchObject({ extractNumber: 1, extractType: 'full', snapshotDate: '2026-10-31' });
    expect(extract.members()).toHaveLength(9);
  });

  it('has valid numbers only (the typed readers refuse any row failing mod 97)', async () => {
    const enterprises = await collect(extract.enterprises());
    const establishments = await collect(extract.establishments());
    await collect(extract.denominations());
    await collect(extract.addresses());
    expect(enterprises.map((e) => e.enterpriseNumber)).toEqual([
      '0412.345.614',
      '0417.390.703',
      '0450.451.271',
      '0460.552.337',
      '0712.345.630',
      '1098.765.421',
    ]);
    expect(establishments).toHaveLength(11);
  });

  it('gives each establishment one BAET address, each legal person one REGO and the natural person none', async () => {
    const enterprises = await collect(extract.enterprises());
    const establishments = await collect(extract.establishments());
    const addresses = await collect(extract.addresses());
    const count = (type: string, number: string) => addresses.filter((a) => a.typeOfAddress === type && a.entity.number === number).length;
    for (const e of establishments) expect(count('BAET', e.establishmentNumber)).toBe(1);
    for (const e of enterprises) expect(count('REGO', e.enterpriseNumber)).toBe(e.typeOfEnterprise === '2' ? 1 : 0);
    const regions = new Set(addresses.filter((a) => a.typeOfAddress === 'BAET').map((a) => regionOf({ postcode: a.zipcode, country: a.countryNL })));
    expect(regions).toEqual(new Set(['flanders', 'brussels', 'wallonia']));
  });

  it('has the demo enterprise with its Mega World establishment in Heist-op-den-Berg', async () => {
    const names = await collect(extract.denominations());
    expect(names.filter((n) => n.entity.number === '0417.390.703').map((n) => n.denomination)).toContain('ACM Economische Actor');
    expect(names.find((n) => n.entity.number === '2.123.456.791')?.denomination).toBe('Mega World');
    const address = (await collect(extract.addresses())).find((a) => a.entity.number === '2.123.456.791');
    expect(address).toMatchObject({ zipcode: '2220', municipalityNL: 'Heist-op-den-Berg' });
  });
});
