// The real format's quirks: quoted commas and doubled quotes, empty = NULL, "" too, dd-mm-yyyy dates unquoted,
// UTF-8 accents, CRLF line ends, a BOM, the header row, both zip-name eras.
import { Readable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRows, KboZip, kboDate, parseExtractName } from './extract.ts';
import { writeZip } from '../../../infra/local/kbo/generator.ts';

const rows = async (text: string | Buffer) => {
  const found = [];
  for await (const row of csvRows(Readable.from([typeof text === 'string' ? Buffer.from(text, 'utf8') : text]))) found.push(row);
  return found;
};

describe('KBO CSV', () => {
  it('parses quoted text with commas and doubled quotes, unquoted dates and NULLs', async () => {
    const parsed = await rows('"EntityNumber","Language","TypeOfDenomination","Denomination"\n"0412.345.614","2","003","Peeters ""Het Gouden Brood"", Gent"\n');
    expect(parsed).toEqual([{ EntityNumber: '0412.345.614', Language: '2', TypeOfDenomination: '003', Denomination: 'Peeters "Het Gouden Brood", Gent' }]);
    const enterprise = await rows('"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm","JuridicalFormCAC","StartDate"\n"1098.765.421","AC","000","1",,,01-04-2024\n');
    expect(enterprise[0]).toEqual({ EnterpriseNumber: '1098.765.421', Status: 'AC', JuridicalSituation: '000', TypeOfEnterprise: '1', JuridicalForm: null, JuridicalFormCAC: null, StartDate: '01-04-2024' });
  });

  it('treats "" like an empty field, keeps accents, and accepts CRLF and a BOM', async () => {
    const text = '\uFEFF"EntityNumber","Box","MunicipalityFR"\r\n"2.123.456.791","","Liège"\r\n';
    expect(await rows(text)).toEqual([{ EntityNumber: '2.123.456.791', Box: null, MunicipalityFR: 'Liège' }]);
  });

  it('converts dd-mm-yyyy (and the cookbook\'s dd-mm-yyyyy misprint) to ISO dates', () => {
    expect(kboDate('03-02-2014')).toBe('2014-02-03');
    expect(kboDate('12-05-02026')).toBe('2026-05-12');
    expect(kboDate('15-06-2026 07:41:02')).toBe('2026-06-15');
    expect(kboDate(null)).toBeNull();
    expect(() => kboDate('2026-06-15')).toThrow();
  });

  it('recognises both naming eras of the zip files', () => {
    expect(parseExtractName('KboOpenData_0137_2025_07_Full.zip')).toEqual({ extractNumber: 137, year: 2025, month: 7, day: null, type: 'full' });
    expect(parseExtractName('inbox/KboOpenData_0147_2025_10_12_Update.zip')).toEqual({ extractNumber: 147, year: 2025, month: 10, day: 12, type: 'update' });
    expect(parseExtractName('KboOpenData_147_2025_10_12_Update.zip')).toBeUndefined();
  });

  it('reads members case-insensitively from a zip, with meta.csv', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kbo-zip-')), 'KboOpenData_0392_2026_06_15_Update.zip');
    await writeZip(path, {
      meta: function* () {
        yield '"SnapshotDate","14-06-2026"\n"ExtractTimestamp","15-06-2026 07:41:02"\n"ExtractType","update"\n"ExtractNumber","392"\n';
      },
      branch: function* () {
        yield '"9.001.234.566",01-01-2019,"0555.123.476"\n';
      },
    }, { branch: 'Branch.CSV' });
    const zip = await KboZip.open(path);
    expect(await zip.meta()).toEqual({ snapshotDate: '2026-06-14', extractTimestamp: '2026-06-15T07:41:02', extractType: 'update', extractNumber: 392 });
    expect(zip.has('branch.csv')).toBe(true);
    const branches = [];
    for await (const row of zip.rows('branch.csv')) branches.push(row);
    expect(branches).toEqual([{ Id: '9.001.234.566', StartDate: '01-01-2019', EnterpriseNumber: '0555.123.476' }]);
    expect(zip.has('enterprise.csv')).toBe(false);
    zip.close();
  });
});
