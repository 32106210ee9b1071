// The reader against the real format's quirks: quoted commas and doubled quotes, empty = NULL and "" too,
// dd-mm-yyyy dates unquoted, UTF-8 accents (also split over chunks), CRLF, a BOM, the header row, member
// names in any case, both zip-name eras; and that it streams instead of loading a member.
import { createWriteStream, mkdtempSync, open as openFile, read as readFile, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import yauzl from 'yauzl';
import { csvRecords, KboFormatError, kboDate, kboTimestamp } from './csv.ts';
import { KboExtract, parseExtractName, type RowIssue } from './extract.ts';
import { fileSource, randomAccessSource } from './source.ts';

const dir = mkdtempSync(join(tmpdir(), 'kbo-extract-'));

const collect = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
};
const parseText = (content: string | Buffer | Buffer[], columns?: string[]) =>
  collect(
    csvRecords(
      Readable.from(Array.isArray(content) ? content : [typeof content === 'string' ? Buffer.from(content, 'utf8') : content]),
      columns ? { columns } : {},
    ),
  );

/** A zip with exactly these bytes per member (so BOM, CRLF and quoting are what the test says). */
async function zipOf(name: string, members: Record<string, string | Buffer | (() => AsyncIterable<Buffer>)>): Promise<string> {
  const path = join(dir, name);
  const zip = new yazl.ZipFile();
  for (const [member, content] of Object.entries(members)) {
    if (typeof content === 'function') zip.addReadStream(Readable.from(content()), member);
    else zip.addBuffer(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, member);
  }
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
  return path;
}

const meta =
  '"Variable","Value"\n"SnapshotDate","14-06-2026"\n"ExtractTimestamp","15-06-2026 07:41:02"\n"ExtractType","update"\n"ExtractNumber","392"\n"Version","1.0.0"\n';

describe('KBO CSV dialect', () => {
  it('parses quoted text with commas and doubled quotes, bare dates, and both spellings of NULL', async () => {
    const names = await parseText(
      '"EntityNumber","Language","TypeOfDenomination","Denomination"\n"0412.345.614","2","003","Peeters ""Het Gouden Brood"", Gent"\n',
    );
    expect(names).toEqual([{ EntityNumber: '0412.345.614', Language: '2', TypeOfDenomination: '003', Denomination: 'Peeters "Het Gouden Brood", Gent' }]);
    const enterprise = await parseText(
      '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm","JuridicalFormCAC","StartDate"\n"1098.765.421","AC","000","1",,,01-04-2024\n',
    );
    expect(enterprise).toEqual([
      {
        EnterpriseNumber: '1098.765.421',
        Status: 'AC',
        JuridicalSituation: '000',
        TypeOfEnterprise: '1',
        JuridicalForm: null,
        JuridicalFormCAC: null,
        StartDate: '01-04-2024',
      },
    ]);
    const address = await parseText('"EntityNumber","Box","ExtraAddressInfo","DateStrikingOff"\n"2.123.456.791","","",\n');
    expect(address).toEqual([{ EntityNumber: '2.123.456.791', Box: null, ExtraAddressInfo: null, DateStrikingOff: null }]);
  });

  it('accepts a BOM and CRLF, keeps UTF-8 accents, also when a character is split over two chunks', async () => {
    expect(await parseText('\uFEFF"EntityNumber","MunicipalityFR"\r\n"2.123.456.791","Liège"\r\n"2.200.000.283","Zoë"\r\n')).toEqual([
      { EntityNumber: '2.123.456.791', MunicipalityFR: 'Liège' },
      { EntityNumber: '2.200.000.283', MunicipalityFR: 'Zoë' },
    ]);
    const bytes = Buffer.from('"A","B"\n"Liège","Müller"\n', 'utf8');
    const split = bytes.indexOf(Buffer.from('è')) + 1; // in the middle of the two bytes of è
    expect(await parseText([bytes.subarray(0, split), bytes.subarray(split)])).toEqual([{ A: 'Liège', B: 'Müller' }]);
  });

  it('takes the columns from the header row, in any case, and refuses a header that lacks one', async () => {
    expect(await parseText('"entitynumber","DENOMINATION"\n"0412.345.614","X"\n', ['EntityNumber', 'Denomination'])).toEqual([
      { EntityNumber: '0412.345.614', Denomination: 'X' },
    ]);
    await expect(parseText('"EntityNumber"\n"0412.345.614"\n', ['EntityNumber', 'Denomination'])).rejects.toThrow(KboFormatError);
    // A broken record is a named format error with its record number, not the parser's own error.
    await expect(parseText('"A","B"\n"1","2"\n"3"\n')).rejects.toMatchObject({ name: 'KboFormatError', place: { record: 2 } });
    expect(await parseText('"EntityNumber","Denomination"\n')).toEqual([]);
  });

  it("converts dd-mm-yyyy (and the cookbook's dd-mm-yyyyy) and the meta timestamp", () => {
    expect(kboDate('03-02-2014')).toBe('2014-02-03');
    expect(kboDate('12-05-02026')).toBe('2026-05-12');
    expect(kboDate(null)).toBeNull();
    expect(kboDate('2026-06-15')).toBeUndefined();
    expect(kboDate('31-02-2026')).toBeUndefined();
    expect(kboTimestamp('15-06-2026 07:41:02')).toBe('2026-06-15T07:41:02');
    expect(kboTimestamp('15-06-2026')).toBeUndefined();
  });
});

describe('KBO zip names', () => {
  it('recognises both naming eras', () => {
    expect(parseExtractName('KboOpenData_0137_2025_07_Full.zip')).toEqual({ extractNumber: 137, year: 2025, month: 7, day: null, type: 'full' });
    expect(parseExtractName('KboOpenData_0140_2025_10_05_Full.zip')).toEqual({ extractNumber: 140, year: 2025, month: 10, day: 5, type: 'full' });
    expect(parseExtractName('inbox/KboOpenData_0147_2025_10_12_Update.zip')).toEqual({ extractNumber: 147, year: 2025, month: 10, day: 12, type: 'update' });
  });

  it('refuses anything else', () => {
    for (const name of [
      'KboOpenData_147_2025_10_12_Update.zip',
      'KboOpenData_0147_2025_10_12_update.zip',
      'KboOpenData_0147_2025_10_12_Update.zip.part',
      'KboOpenData_0147_2025_1_Full.zip',
      'x.zip',
    ]) {
      expect(parseExtractName(name)).toBeUndefined();
    }
  });
});

describe('KboExtract', () => {
  it('reads meta.csv and typed rows, matching member names case-insensitively', async () => {
    const path = await zipOf('KboOpenData_0392_2026_06_15_Update.zip', {
      'meta.csv': meta,
      'Enterprise_Insert.CSV':
        '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm","JuridicalFormCAC","StartDate"\r\n"0712.345.630","AC","050","2","014",,17-09-1998\r\n',
      'enterprise_delete.csv': '"EnterpriseNumber"\n"0712.345.630"\n"0888.123.486"\n',
      'ADDRESS_DELETE.csv': '"EntityNumber"\n"2.123.456.791"\n"0888.123.486"\n"9.001.234.566"\n',
      'Branch.CSV': '"Id","StartDate","EnterpriseNumber"\n"9.001.234.566",01-01-2019,"0555.123.476"\n',
    });
    const extract = await KboExtract.open(path);
    expect(extract.fileName).toBe('KboOpenData_0392_2026_06_15_Update.zip');
    expect(await extract.meta()).toEqual({
      snapshotDate: '2026-06-14',
      extractTimestamp: '2026-06-15T07:41:02',
      extractType: 'update',
      extractNumber: 392,
      version: '1.0.0',
    });
    expect(extract.has('branch.csv')).toBe(true);
    expect(extract.has('enterprise.csv')).toBe(false);
    expect(await collect(extract.enterprises('insert'))).toEqual([
      {
        enterpriseNumber: '0712.345.630',
        status: 'AC',
        juridicalSituation: '050',
        typeOfEnterprise: '2',
        juridicalForm: '014',
        juridicalFormCac: null,
        startDate: '1998-09-17',
      },
    ]);
    expect(await collect(extract.deletedEnterprises())).toEqual(['0712.345.630', '0888.123.486']);
    expect(await collect(extract.deletedEntities('address'))).toEqual([
      { kind: 'establishment', number: '2.123.456.791' },
      { kind: 'enterprise', number: '0888.123.486' },
      { kind: 'branch', number: '9.001.234.566' },
    ]);
    expect(await collect(extract.records('branch.csv'))).toEqual([{ Id: '9.001.234.566', StartDate: '01-01-2019', EnterpriseNumber: '0555.123.476' }]);
    // A delta file the zip lacks reads as empty.
    expect(await collect(extract.establishments('insert'))).toEqual([]);
    extract.close();
  });

  it('checks numbers with mod 97 (not branch Ids) and reports unusable rows, or stops at the first without a handler', async () => {
    const path = await zipOf('KboOpenData_0001_2026_11_01_Full.zip', {
      'meta.csv': meta.replace('update', 'full'),
      'denomination.csv': [
        '"EntityNumber","Language","TypeOfDenomination","Denomination"',
        '"0412.345.614","2","001","Bakkerij Peeters"',
        '"0412.345.615","2","001","Wrong check digits"',
        '"2.123.456.791","1","003","Boulangerie"',
        '"9.000.006.626","2","004","Branch, not checked"',
        '"412345614","2","002","Old nine-digit form"',
        '"0412.345.614","2","003",',
        '',
      ].join('\n'),
      'address.csv':
        '"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR","StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"\n"2.123.456.791","BAET",,,"1000","Brussel","Bruxelles","Wetstraat","Rue de la Loi","8","2","",12-05-2026\n"2.300.000.157","BAET",,,"2000","Antwerpen","Anvers","Meir","Meir","5","","",2026-05-12\n',
    });
    const extract = await KboExtract.open(fileSource(path));
    const issues: RowIssue[] = [];
    const names = await collect(extract.denominations('full', { onInvalid: (issue) => issues.push(issue) }));
    expect(names.map((n) => [n.entity.kind, n.entity.number, n.denomination])).toEqual([
      ['enterprise', '0412.345.614', 'Bakkerij Peeters'],
      ['establishment', '2.123.456.791', 'Boulangerie'],
      ['branch', '9.000.006.626', 'Branch, not checked'],
      ['enterprise', '0412.345.614', 'Old nine-digit form'],
    ]);
    expect(issues.map((i) => [i.record, i.reason])).toEqual([
      [2, expect.stringContaining('controlegetal')],
      [6, 'Denomination is empty'],
    ]);
    await expect(collect(extract.denominations())).rejects.toThrow(/record 2: EntityNumber 0412.345.615/);

    const addresses = await collect(extract.addresses('full', { onInvalid: (issue) => issues.push(issue) }));
    expect(addresses).toEqual([
      {
        entity: { kind: 'establishment', number: '2.123.456.791' },
        typeOfAddress: 'BAET',
        countryNL: null,
        countryFR: null,
        zipcode: '1000',
        municipalityNL: 'Brussel',
        municipalityFR: 'Bruxelles',
        streetNL: 'Wetstraat',
        streetFR: 'Rue de la Loi',
        houseNumber: '8',
        box: '2',
        extraAddressInfo: null,
        dateStrikingOff: '2026-05-12',
      },
    ]);
    expect(issues.at(-1)!.reason).toMatch(/DateStrikingOff is not a dd-mm-yyyy date/);
    extract.close();
  });

  it('opens a zip through any random-access reader (the S3 seam)', async () => {
    const path = await zipOf('KboOpenData_0392_2026_06_15_Update.zip', { 'meta.csv': meta });
    // A reader serving byte ranges from a file descriptor, as an S3 reader would serve ranged GETs.
    const fd = await new Promise<number>((resolve, reject) => openFile(path, 'r', (e, f) => (e ? reject(e) : resolve(f))));
    const ranges: [number, number][] = [];
    class RangeReader extends yauzl.RandomAccessReader {
      override _readStreamForRange(start: number, end: number): Readable {
        ranges.push([start, end]);
        const buffer = Buffer.alloc(end - start);
        return Readable.from(
          (async function* () {
            await new Promise<void>((resolve, reject) => readFile(fd, buffer, 0, buffer.length, start, (e) => (e ? reject(e) : resolve())));
            yield buffer;
          })(),
        );
      }
    }
    const extract = await KboExtract.open(randomAccessSource('inbox/KboOpenData_0392_2026_06_15_Update.zip', new RangeReader(), statSync(path).size));
    expect(extract.fileName).toBe('KboOpenData_0392_2026_06_15_Update.zip');
    expect((await extract.meta()).extractNumber).toBe(392);
    expect(ranges.length).toBeGreaterThan(1);
    extract.close();
  });

  it('streams a member: reading its first rows pulls a small part of it', async () => {
    // ~24 MB of denominations, deflated to little; generated on the fly, never held whole here either.
    const rows = 300_000;
    const path = await zipOf('KboOpenData_0001_2026_11_01_Full.zip', {
      'meta.csv': meta.replace('update', 'full'),
      'denomination.csv': async function* () {
        yield Buffer.from('"EntityNumber","Language","TypeOfDenomination","Denomination"\n');
        for (let i = 0; i < rows; i += 1000) {
          yield Buffer.from('"0412.345.614","2","003","A rather long commercial name, repeated many times over"\n'.repeat(1000));
        }
      },
    });
    const extract = await KboExtract.open(path);
    const size = extract.size('denomination.csv')!;
    expect(size).toBeGreaterThan(20_000_000);
    let read = 0;
    for await (const _row of extract.denominations()) if (++read === 10) break;
    // The parser pulled a few chunks, not the member; breaking off released the stream.
    expect(extract.bytesRead).toBeLessThan(2_000_000);
    const before = extract.bytesRead;
    let all = 0;
    for await (const _row of extract.denominations()) all += 1;
    expect(all).toBe(rows);
    expect(extract.bytesRead - before).toBe(size);
    extract.close();
  });
});
