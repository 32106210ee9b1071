// The generator's invariants: every number passes mod 97, each establishment has exactly one BAET address,
// legal persons one REGO and natural persons none, status AC, and the quoting of the real format.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KboZip } from '../../../shared/adapters/kbo/extract.ts';
import { parseEnterpriseNumber, parseEstablishmentNumber } from '../../../shared/domain/identifiers.ts';
import { csvLine, bare, generateFullExtract, text } from './generator.ts';

describe('KBO extract generator', () => {
  it('writes the real quoting: text quoted with doubled quotes, dates bare, NULL empty', () => {
    expect(csvLine([text('Peeters "Het Gouden Brood"'), null, bare('03-02-2014'), text('')])).toBe('"Peeters ""Het Gouden Brood""",,03-02-2014,""\n');
  });

  it('keeps every invariant of a full extract', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kbo-gen-')), 'KboOpenData_0001_2026_11_01_Full.zip');
    const generated = await generateFullExtract({ enterprises: 500, seed: 3, path });
    const zip = await KboZip.open(path);
    const natural = new Set<string>();
    let enterprises = 0;
    for await (const row of zip.rows('enterprise.csv')) {
      enterprises += 1;
      expect(parseEnterpriseNumber(row.EnterpriseNumber!).ok).toBe(true);
      expect(row.Status).toBe('AC');
      expect(row.StartDate).toMatch(/^\d{2}-\d{2}-\d{4}$/);
      if (row.TypeOfEnterprise === '1') natural.add(row.EnterpriseNumber!);
    }
    const establishments = new Set<string>();
    for await (const row of zip.rows('establishment.csv')) {
      expect(parseEstablishmentNumber(row.EstablishmentNumber!).ok).toBe(true);
      establishments.add(row.EstablishmentNumber!);
    }
    const baet = new Map<string, number>();
    const rego = new Map<string, number>();
    for await (const row of zip.rows('address.csv')) {
      const map = row.TypeOfAddress === 'BAET' ? baet : rego;
      map.set(row.EntityNumber!, (map.get(row.EntityNumber!) ?? 0) + 1);
    }
    expect(enterprises).toBe(500);
    expect(establishments.size).toBe(generated.establishments);
    expect([...establishments].every((n) => baet.get(n) === 1)).toBe(true);
    expect(baet.size).toBe(establishments.size);
    for (const n of natural) expect(rego.has(n)).toBe(false);
    expect(rego.size).toBe(500 - natural.size);
    expect(natural.size).toBeGreaterThan(0);
    expect((await zip.meta()).extractType).toBe('full');
    zip.close();
    expect(readFileSync(path).length).toBeGreaterThan(1000);
  });

  it('is deterministic for a seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kbo-gen-'));
    await generateFullExtract({ enterprises: 50, seed: 9, path: join(dir, 'a.zip') });
    await generateFullExtract({ enterprises: 50, seed: 9, path: join(dir, 'b.zip') });
    const names = async (p: string) => { const z = await KboZip.open(p); const all = []; for await (const r of z.rows('denomination.csv')) all.push(r.Denomination); z.close(); return all; };
    expect(await names(join(dir, 'a.zip'))).toEqual(await names(join(dir, 'b.zip')));
  });
});
