// The generator's invariants: every number passes mod 97, each establishment exactly one BAET address, legal
// persons one REGO and natural persons none, Status AC, the quoting of the real format, all nine members with
// their header, a mix of regions; deterministic for a seed. Updates follow the cookbook: applying the deletes
// and inserts of Update n to Full n-1 gives exactly Full n.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { KboExtract, kboColumns, kboTables, type KboTable } from '../../../shared/adapters/kbo/extract.ts';
import { csvRecords } from '../../../shared/adapters/kbo/csv.ts';
import { parseEnterpriseNumber, parseEstablishmentNumber } from '../../../shared/domain/identifiers.ts';
import { regionOf } from '../../../shared/domain/region.ts';
import {
  bare,
  csvLine,
  fullFileName,
  generateFullExtract,
  generateUpdateExtract,
  juridicalSituations,
  planUpdates,
  text,
  updateFileName,
  type UpdatePlan,
} from './generator.ts';
import { juridicalSituationClasses } from '../../../shared/domain/kbo.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-gen-'));
const base = { enterprises: 600, seed: 3 };

/** The raw lines of a member (to check the quoting itself, not what a parser makes of it). */
async function rawLines(path: string, member: string): Promise<string[]> {
  const zip = await yauzl.openPromise(path);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== member) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '');
    }
    throw new Error(`${path} has no ${member}`);
  } finally {
    zip.close();
  }
}

async function records(path: string, member: string) {
  const extract = await KboExtract.open(path);
  const all = [];
  for await (const r of extract.records(member)) all.push(r);
  extract.close();
  return all;
}

const valid = (n: string) => parseEnterpriseNumber(n).ok || parseEstablishmentNumber(n).ok;

describe('KBO Full extract generator', () => {
  const path = join(dir, fullFileName({ ...base }));
  let generated: Awaited<ReturnType<typeof generateFullExtract>>;
  beforeAll(async () => {
    generated = await generateFullExtract({ ...base, path });
  });

  it('writes the real quoting: text quoted with doubled quotes, dates bare, NULL empty', () => {
    expect(csvLine([text('Peeters "Het Gouden Brood"'), null, bare('03-02-2014'), text('')])).toBe('"Peeters ""Het Gouden Brood""",,03-02-2014,""\n');
  });

  it('names the zip in the daily style', () => {
    expect(path.endsWith('KboOpenData_0001_2026_11_01_Full.zip')).toBe(true);
  });

  it('has all nine members, each with its header row', async () => {
    const extract = await KboExtract.open(path);
    expect(extract.members().sort()).toEqual([
      'activity.csv',
      'address.csv',
      'branch.csv',
      'code.csv',
      'contact.csv',
      'denomination.csv',
      'enterprise.csv',
      'establishment.csv',
      'meta.csv',
    ]);
    extract.close();
    for (const member of ['meta', 'code', ...kboTables] as const) {
      expect((await rawLines(path, `${member}.csv`))[0]).toBe(kboColumns[member].map((c) => `"${c}"`).join(','));
    }
    expect(await records(path, 'meta.csv')).toEqual([
      { Variable: 'SnapshotDate', Value: '31-10-2026' },
      { Variable: 'ExtractTimestamp', Value: '01-11-2026 07:40:18' },
      { Variable: 'ExtractType', Value: 'full' },
      { Variable: 'ExtractNumber', Value: '1' },
      { Variable: 'Version', Value: '1.0.0' },
    ]);
  });

  it('lists all 40 juridical situations in code.csv, in Dutch and French', async () => {
    const codes = (await records(path, 'code.csv')).filter((r) => r.Category === 'JuridicalSituation');
    const all = Object.values(juridicalSituationClasses).flat().sort();
    expect(juridicalSituations.map(([c]) => c).sort()).toEqual(all);
    for (const language of ['NL', 'FR'])
      expect(
        codes
          .filter((r) => r.Language === language)
          .map((r) => r.Code)
          .sort(),
      ).toEqual(all);
  });

  it('quotes like KBO: dates bare, NULL empty, "" for an empty Box and ExtraAddressInfo', async () => {
    const enterprises = (await rawLines(path, 'enterprise.csv')).slice(1);
    for (const line of enterprises) expect(line).toMatch(/^"\d{4}\.\d{3}\.\d{3}","AC","\d{3}","[12]",("\d{3}")?,("\d{3}")?,\d{2}-\d{2}-\d{4}$/);
    expect(enterprises.some((l) => /"1",,,/.test(l))).toBe(true); // natural person: JuridicalForm NULL
    const addresses = (await rawLines(path, 'address.csv')).slice(1);
    for (const line of addresses) expect(line).toMatch(/^"[\d.]+","(REGO|BAET|ABBR)",(,,|"[^"]+","[^"]+",)"[^"]+",.*,"[^"]*","[^"]*",(\d{2}-\d{2}-\d{4})?$/);
    expect(addresses.some((l) => l.includes(',"","",'))).toBe(true);
    expect(addresses.some((l) => /,\d{2}-\d{2}-\d{4}$/.test(l))).toBe(true); // a struck-off address
  });

  it('has names with commas, doubled quotes and accents', async () => {
    const lines = (await rawLines(path, 'denomination.csv')).join('\n');
    expect(lines).toMatch(/"[^"\n]*, [^"\n]*"/);
    expect(lines).toContain('""Het Gouden Brood""');
    expect(lines).toMatch(/[éèëüöï]/);
  });

  it('keeps every invariant of a full extract', async () => {
    const extract = await KboExtract.open(path);
    const natural = new Set<string>();
    const legal = new Set<string>();
    for await (const row of extract.enterprises()) {
      expect(row.status).toBe('AC');
      (row.typeOfEnterprise === '1' ? natural : legal).add(row.enterpriseNumber);
      if (row.typeOfEnterprise === '1') expect(row.juridicalForm).toBeNull();
    }
    const establishments = new Set<string>();
    for await (const row of extract.establishments()) {
      expect(natural.has(row.enterpriseNumber) || legal.has(row.enterpriseNumber)).toBe(true);
      establishments.add(row.establishmentNumber);
    }
    const baet = new Map<string, number>();
    const rego = new Map<string, number>();
    const regions = new Set<string>();
    const branches = new Set((await records(path, 'branch.csv')).map((r) => r.Id));
    for await (const row of extract.addresses()) {
      const count = row.typeOfAddress === 'BAET' ? baet : row.typeOfAddress === 'REGO' ? rego : undefined;
      count?.set(row.entity.number, (count.get(row.entity.number) ?? 0) + 1);
      regions.add(regionOf({ postcode: row.zipcode, country: row.countryNL }));
      if (row.typeOfAddress === 'BAET') expect(row.countryNL).toBeNull();
      if (row.entity.kind === 'branch') expect(branches.has(row.entity.number)).toBe(true);
    }
    // The typed readers above already refused any number failing mod 97; the raw rows say the same.
    for (const member of ['denomination.csv', 'activity.csv', 'contact.csv']) {
      for (const r of await records(path, member)) expect(valid(r.EntityNumber!) || branches.has(r.EntityNumber!)).toBe(true);
    }
    expect(natural.size + legal.size).toBe(600);
    expect(natural.size).toBeGreaterThan(50);
    expect(establishments.size).toBe(generated.establishments);
    expect([...establishments].every((n) => baet.get(n) === 1)).toBe(true);
    expect(baet.size).toBe(establishments.size);
    expect([...legal].every((n) => rego.get(n) === 1)).toBe(true);
    expect([...natural].some((n) => rego.has(n))).toBe(false);
    expect(regions).toEqual(new Set(['flanders', 'brussels', 'wallonia', 'abroad']));
    expect(generated.branches).toBe(branches.size);
    extract.close();
  });

  it('is deterministic for a seed, down to the bytes', async () => {
    const again = join(dir, 'again', fullFileName(base));
    const other = join(dir, 'other', fullFileName(base));
    await generateFullExtract({ ...base, path: again });
    await generateFullExtract({ ...base, seed: 4, path: other });
    expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
    expect(readFileSync(other).equals(readFileSync(path))).toBe(false);
  });
});

/** A table as a multiset of raw rows, keyed the cookbook's way. */
type Table = Map<string, string[]>;
const keyColumn = (table: KboTable) => kboColumns[table][0];

async function tablesOf(path: string): Promise<Record<KboTable, Table>> {
  const result = {} as Record<KboTable, Table>;
  const extract = await KboExtract.open(path);
  for (const table of kboTables) {
    const rows: Table = new Map();
    for await (const r of extract.records(`${table}.csv`)) {
      const key = r[keyColumn(table)]!;
      rows.set(key, [...(rows.get(key) ?? []), JSON.stringify(r)]);
    }
    result[table] = rows;
  }
  extract.close();
  return result;
}

/** The cookbook's algorithm: DELETE WHERE key IN X_delete, then INSERT X_insert, per table. */
async function applyUpdate(tables: Record<KboTable, Table>, path: string) {
  const extract = await KboExtract.open(path);
  for (const table of kboTables) {
    for await (const r of extract.records(`${table}_delete.csv`, { require: true })) tables[table].delete(r[keyColumn(table)]!);
    for await (const r of extract.records(`${table}_insert.csv`, { require: true })) {
      const key = r[keyColumn(table)]!;
      tables[table].set(key, [...(tables[table].get(key) ?? []), JSON.stringify(r)]);
    }
  }
  extract.close();
}

const sorted = (tables: Record<KboTable, Table>) =>
  Object.fromEntries(
    kboTables.map((t) => [t, [...tables[t].entries()].map(([k, rows]) => [k, [...rows].sort()]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1))]),
  );

describe('KBO Update extract generator', () => {
  const chainBase = { enterprises: 400, seed: 21 };
  const counts = { addressMoves: 6, enterpriseStops: 3, establishmentStops: 2, situationChanges: 3, nameChanges: 2, restatements: 2, newEnterprises: 3 };
  const plans: UpdatePlan[] = planUpdates(chainBase, 2, counts);
  const fullPath = join(dir, 'chain', fullFileName(chainBase));
  const updatePaths = plans.map((plan) => join(dir, 'chain', updateFileName(plan)));

  beforeAll(async () => {
    await generateFullExtract({ ...chainBase, path: fullPath });
    for (const [i, plan] of plans.entries()) {
      const written = await generateUpdateExtract({
        base: chainBase,
        previous: plans.slice(0, i),
        extractNumber: plan.extractNumber,
        ...counts,
        path: updatePaths[i]!,
      });
      expect(written).toEqual(plan);
    }
  });

  it('numbers and dates the chain: 2 and 3, a day apart, daily names', () => {
    expect(plans.map((p) => [p.extractNumber, p.snapshotDate])).toEqual([
      [2, '2026-11-01'],
      [3, '2026-11-02'],
    ]);
    expect(updatePaths.map((p) => p.split('/').pop())).toEqual(['KboOpenData_0002_2026_11_02_Update.zip', 'KboOpenData_0003_2026_11_03_Update.zip']);
    expect(plans[0]!.addressMoves).toHaveLength(6);
    expect(plans[0]!.newEnterprises.every((n) => n.enterpriseNumber.startsWith('1'))).toBe(true);
  });

  it('has meta, the full code list and a delete and an insert file for each of the seven tables', async () => {
    const extract = await KboExtract.open(updatePaths[0]!);
    expect(extract.members().sort()).toEqual(['code.csv', 'meta.csv', ...kboTables.flatMap((t) => [`${t}_delete.csv`, `${t}_insert.csv`])].sort());
    expect(await extract.meta()).toMatchObject({ extractType: 'update', extractNumber: 2, snapshotDate: '2026-11-01' });
    extract.close();
    expect((await rawLines(updatePaths[0]!, 'enterprise_delete.csv'))[0]).toBe('"EnterpriseNumber"');
    expect((await rawLines(updatePaths[0]!, 'establishment_delete.csv'))[0]).toBe('"EstablishmentNumber"');
    expect((await rawLines(updatePaths[0]!, 'branch_delete.csv'))[0]).toBe('"Id"');
    expect((await rawLines(updatePaths[0]!, 'address_delete.csv'))[0]).toBe('"EntityNumber"');
    expect((await rawLines(updatePaths[0]!, 'code.csv')).length).toBe((await rawLines(fullPath, 'code.csv')).length);
  });

  it('shows each change the way the cookbook describes it', async () => {
    const plan = plans[0]!;
    const read = async (member: string) => (await records(updatePaths[0]!, member)).map((r) => Object.values(r)[0]);
    const enterpriseDeletes = await read('enterprise_delete.csv');
    const enterpriseInserts = await read('enterprise_insert.csv');
    const establishmentDeletes = await read('establishment_delete.csv');
    const addressDeletes = await read('address_delete.csv');
    const denominationDeletes = await read('denomination_delete.csv');
    // A stop: deletes without inserts, the establishments and their names and addresses with it.
    for (const stop of plan.enterpriseStops) {
      expect(enterpriseDeletes).toContain(stop.enterpriseNumber);
      expect(enterpriseInserts).not.toContain(stop.enterpriseNumber);
      for (const e of stop.establishmentNumbers) {
        expect(establishmentDeletes).toContain(e);
        expect(addressDeletes).toContain(e);
      }
      expect(denominationDeletes).toContain(stop.enterpriseNumber);
    }
    // A juridical-situation change: delete and insert of the enterprise row, with the new code.
    const inserted = await records(updatePaths[0]!, 'enterprise_insert.csv');
    for (const change of plan.situationChanges) {
      expect(enterpriseDeletes).toContain(change.enterpriseNumber);
      expect(inserted.find((r) => r.EnterpriseNumber === change.enterpriseNumber)?.JuridicalSituation).toBe(change.to);
    }
    // A move: address delete and insert only; the enterprise and establishment files are untouched.
    const addressInserts = await records(updatePaths[0]!, 'address_insert.csv');
    for (const move of plan.addressMoves) {
      expect(addressDeletes).toContain(move.entityNumber);
      expect(addressInserts.find((r) => r.EntityNumber === move.entityNumber)).toMatchObject({
        Zipcode: move.postcode,
        MunicipalityNL: move.municipality,
        HouseNumber: move.houseNumber,
      });
      expect(enterpriseDeletes).not.toContain(move.enterpriseNumber);
      expect(establishmentDeletes).not.toContain(move.entityNumber);
    }
    // New entities: inserts only, with valid numbers.
    const establishmentInserts = await read('establishment_insert.csv');
    for (const created of plan.newEnterprises) {
      expect(enterpriseInserts).toContain(created.enterpriseNumber);
      expect(enterpriseDeletes).not.toContain(created.enterpriseNumber);
      expect(valid(created.enterpriseNumber)).toBe(true);
      for (const e of created.establishmentNumbers) expect(establishmentInserts).toContain(e);
    }
  });

  it('chains: an update never touches an enterprise an earlier one stopped', () => {
    const stopped = new Set(plans[0]!.enterpriseStops.map((s) => s.enterpriseNumber));
    const touched = Object.values(plans[1]!).flatMap((v) => (Array.isArray(v) ? v.map((c: { enterpriseNumber: string }) => c.enterpriseNumber) : []));
    expect(touched.some((n) => stopped.has(n))).toBe(false);
  });

  it('applying Update n to Full n-1 the cookbook way gives exactly Full n', async () => {
    const tables = await tablesOf(fullPath);
    for (const [i, updatePath] of updatePaths.entries()) {
      await applyUpdate(tables, updatePath);
      const fullN = join(dir, 'chain', `full-${i + 2}.zip`);
      await generateFullExtract({ ...chainBase, path: fullN, updates: plans.slice(0, i + 1) });
      expect(sorted(tables)).toEqual(sorted(await tablesOf(fullN)));
    }
  });

  it('is deterministic', () => {
    expect(planUpdates(chainBase, 2, counts)).toEqual(plans);
  });
});

describe('csvRecords on generated lines', () => {
  it('reads back what csvLine writes', async () => {
    const { Readable } = await import('node:stream');
    const line = csvLine([text('Peeters, "Het Gouden Brood"'), null, bare('03-02-2014'), text('')]);
    const rows = [];
    for await (const r of csvRecords(Readable.from([Buffer.from(`"A","B","C","D"\n${line}`)]))) rows.push(r);
    expect(rows).toEqual([{ A: 'Peeters, "Het Gouden Brood"', B: null, C: '03-02-2014', D: null }]);
  });
});
