// Reads a KBO Open Data extract (a Full or an Update zip) as streams of typed rows, one member at a time.
// Members are matched case-insensitively (the cookbook writes `Branch.CSV`); numbers are checked with the
// mod-97 rule (branch Ids excepted: they are not official numbers); dates become `YYYY-MM-DD`.
// The format: ../../../../shared/kbo-open-data.md.
import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { parseEnterpriseNumber, parseEstablishmentNumber } from '../../domain/identifiers.ts';
import {
  classifyEntityNumber,
  type AddressRow,
  type DenominationRow,
  type EnterpriseRow,
  type EntityRef,
  type EstablishmentRow,
  type ExtractType,
  type KboMeta,
} from '../../domain/kbo.ts';
import { csvRecords, isFileFault, KboFormatError, kboDate, kboTimestamp, type CsvRecord } from './csv.ts';
import { fileSource, type ZipSource } from './source.ts';

export { KboFormatError, kboDate, kboTimestamp } from './csv.ts';

// --- zip names -------------------------------------------------------------------------------------------

/** Both naming eras: monthly `KboOpenData_0137_2025_07_Full.zip`, daily `KboOpenData_0147_2025_10_12_Update.zip`. */
export const extractNamePattern = /^KboOpenData_(\d{4})_(\d{4})_(\d{2})(?:_(\d{2}))?_(Full|Update)\.zip$/;

export type ExtractName = { extractNumber: number; year: number; month: number; day: number | null; type: ExtractType };

/** Parses the file name of an extract (a path or S3 key is accepted: only the last segment counts). */
export function parseExtractName(fileName: string): ExtractName | undefined {
  const match = extractNamePattern.exec(fileName.split(/[/\\]/).pop() ?? '');
  if (!match) return undefined;
  return {
    extractNumber: Number(match[1]),
    year: Number(match[2]),
    month: Number(match[3]),
    day: match[4] === undefined ? null : Number(match[4]),
    type: match[5] === 'Full' ? 'full' : 'update',
  };
}

// --- columns ---------------------------------------------------------------------------------------------

/** The columns of each file, in order (a `X_insert.csv` has the columns of `X.csv`). */
export const kboColumns = {
  meta: ['Variable', 'Value'],
  code: ['Category', 'Code', 'Language', 'Description'],
  enterprise: ['EnterpriseNumber', 'Status', 'JuridicalSituation', 'TypeOfEnterprise', 'JuridicalForm', 'JuridicalFormCAC', 'StartDate'],
  establishment: ['EstablishmentNumber', 'StartDate', 'EnterpriseNumber'],
  denomination: ['EntityNumber', 'Language', 'TypeOfDenomination', 'Denomination'],
  address: [
    'EntityNumber',
    'TypeOfAddress',
    'CountryNL',
    'CountryFR',
    'Zipcode',
    'MunicipalityNL',
    'MunicipalityFR',
    'StreetNL',
    'StreetFR',
    'HouseNumber',
    'Box',
    'ExtraAddressInfo',
    'DateStrikingOff',
  ],
  contact: ['EntityNumber', 'EntityContact', 'ContactType', 'Value'],
  activity: ['EntityNumber', 'ActivityGroup', 'NaceVersion', 'NaceCode', 'Classification'],
  branch: ['Id', 'StartDate', 'EnterpriseNumber'],
} as const;

export type KboTable = Exclude<keyof typeof kboColumns, 'meta' | 'code'>;
export const kboTables: readonly KboTable[] = ['enterprise', 'establishment', 'denomination', 'address', 'contact', 'activity', 'branch'];

/** The one column of `X_delete.csv`: the key whose rows are all deleted. */
export const deleteKeyColumn: Record<KboTable, string> = {
  enterprise: 'EnterpriseNumber',
  establishment: 'EstablishmentNumber',
  denomination: 'EntityNumber',
  address: 'EntityNumber',
  contact: 'EntityNumber',
  activity: 'EntityNumber',
  branch: 'Id',
};

/**
 * The members the format defines (shared/kbo-open-data.md, sections 3 and 4) with the columns their header must
 * have: meta.csv and code.csv, then per table `X.csv` in a Full, `X_delete.csv` (its key) and `X_insert.csv` in
 * an Update. Files can hold just a header, but none may be left out: a missing delete or insert file cannot be
 * told from an empty one, and applying the one without the other loses data.
 */
export function formatMembers(type: ExtractType): { member: string; columns: readonly string[] }[] {
  return [
    { member: 'meta.csv', columns: kboColumns.meta },
    { member: 'code.csv', columns: kboColumns.code },
    ...kboTables.flatMap((table) =>
      type === 'full'
        ? [{ member: memberName(table), columns: kboColumns[table] }]
        : [
            { member: memberName(table, 'delete'), columns: [deleteKeyColumn[table]] },
            { member: memberName(table, 'insert'), columns: kboColumns[table] },
          ],
    ),
  ];
}

/** Which file of a table: the Full extract's `X.csv`, or an Update's `X_insert.csv`. */
export type TablePart = 'full' | 'insert';
export const memberName = (table: KboTable, part: TablePart | 'delete' = 'full') => (part === 'full' ? `${table}.csv` : `${table}_${part}.csv`);

// --- rows ------------------------------------------------------------------------------------------------

/** A row that cannot be used: a bad number, a missing key, an impossible date. */
export type RowIssue = { member: string; record: number; reason: string; values: CsvRecord };

export type ReadOptions = {
  /** Called for every unusable row, which is then skipped. Without it the first such row stops the read. */
  onInvalid?: (issue: RowIssue) => void;
};

/** Thrown by a row converter; the reader turns it into a RowIssue. */
class InvalidRow extends Error {}

const need = (values: CsvRecord, column: string): string => {
  const value = values[column];
  if (value === null || value === undefined) throw new InvalidRow(`${column} is empty`);
  return value;
};
const date = (values: CsvRecord, column: string): string | null => {
  const converted = kboDate(values[column] ?? null);
  if (converted === undefined) throw new InvalidRow(`${column} is not a dd-mm-yyyy date: ${values[column]}`);
  return converted;
};
const enterpriseNumber = (values: CsvRecord, column: string): string => {
  const parsed = parseEnterpriseNumber(need(values, column));
  if (!parsed.ok) throw new InvalidRow(`${column} ${values[column]}: ${parsed.reason}`);
  return parsed.value;
};
const establishmentNumber = (values: CsvRecord, column: string): string => {
  const parsed = parseEstablishmentNumber(need(values, column));
  if (!parsed.ok) throw new InvalidRow(`${column} ${values[column]}: ${parsed.reason}`);
  return parsed.value;
};
const entity = (values: CsvRecord, column: string): EntityRef => {
  const ref = classifyEntityNumber(need(values, column));
  if (ref.kind === 'invalid') throw new InvalidRow(`${column} ${values[column]}: ${ref.reason}`);
  return ref;
};

const toEnterpriseRow = (v: CsvRecord): EnterpriseRow => ({
  enterpriseNumber: enterpriseNumber(v, 'EnterpriseNumber'),
  status: need(v, 'Status'),
  juridicalSituation: need(v, 'JuridicalSituation'),
  typeOfEnterprise: need(v, 'TypeOfEnterprise'),
  juridicalForm: v.JuridicalForm ?? null,
  juridicalFormCac: v.JuridicalFormCAC ?? null,
  startDate: date(v, 'StartDate'),
});

const toEstablishmentRow = (v: CsvRecord): EstablishmentRow => ({
  establishmentNumber: establishmentNumber(v, 'EstablishmentNumber'),
  startDate: date(v, 'StartDate'),
  enterpriseNumber: enterpriseNumber(v, 'EnterpriseNumber'),
});

const toDenominationRow = (v: CsvRecord): DenominationRow => ({
  entity: entity(v, 'EntityNumber'),
  language: v.Language ?? '0',
  typeOfDenomination: need(v, 'TypeOfDenomination'),
  denomination: need(v, 'Denomination'),
});

const toAddressRow = (v: CsvRecord): AddressRow => ({
  entity: entity(v, 'EntityNumber'),
  typeOfAddress: need(v, 'TypeOfAddress'),
  countryNL: v.CountryNL ?? null,
  countryFR: v.CountryFR ?? null,
  zipcode: v.Zipcode ?? null,
  municipalityNL: v.MunicipalityNL ?? null,
  municipalityFR: v.MunicipalityFR ?? null,
  streetNL: v.StreetNL ?? null,
  streetFR: v.StreetFR ?? null,
  houseNumber: v.HouseNumber ?? null,
  box: v.Box ?? null,
  extraAddressInfo: v.ExtraAddressInfo ?? null,
  dateStrikingOff: date(v, 'DateStrikingOff'),
});

// --- the extract -----------------------------------------------------------------------------------------

export class KboExtract {
  /** Uncompressed bytes pulled from the zip so far, over all members (for progress, and to show streaming). */
  bytesRead = 0;

  private constructor(
    readonly fileName: string,
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** Opens a zip from a path or any ZipSource; only the central directory is read here. */
  static async open(source: ZipSource | string): Promise<KboExtract> {
    const from = typeof source === 'string' ? fileSource(source) : source;
    const unreadable = (error: unknown) =>
      isFileFault(error) ? new KboFormatError({ file: from.name }, `not a readable zip: ${(error as Error).message}`) : error;
    const zip = await from.open().catch((error: unknown) => {
      throw unreadable(error);
    });
    const entries = new Map<string, Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: Entry) => {
          // Members sit at the root; a folder, should one appear, is ignored. Names compare in lower case.
          if (!entry.fileName.endsWith('/')) entries.set(entry.fileName.split('/').pop()!.toLowerCase(), entry);
          zip.readEntry();
        });
        zip.once('end', () => resolve());
        zip.once('error', reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw unreadable(error);
    }
    return new KboExtract(from.name, zip, entries);
  }

  /** Member names in lower case. */
  members(): string[] {
    return [...this.entries.keys()];
  }

  has(member: string): boolean {
    return this.entries.has(member.toLowerCase());
  }

  /** Uncompressed size of a member in bytes, or undefined when the zip lacks it. */
  size(member: string): number | undefined {
    return this.entries.get(member.toLowerCase())?.uncompressedSize;
  }

  /**
   * The raw records of one member, streamed. A member the zip lacks yields nothing, or with `require` is an
   * error: the sync and the import check every member first (checkFormat), so they never read a missing one.
   */
  async *records(member: string, options: { columns?: readonly string[]; require?: boolean } = {}): AsyncGenerator<CsvRecord> {
    const entry = this.entries.get(member.toLowerCase());
    if (!entry) {
      if (options.require) throw new KboFormatError({ file: this.fileName, member }, 'the zip lacks this member');
      return;
    }
    const stream = await new Promise<Readable>((resolve, reject) => this.zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))));
    const onBytes = (bytes: number) => {
      this.bytesRead += bytes;
    };
    yield* csvRecords(stream, { member, file: this.fileName, onBytes, ...(options.columns ? { columns: options.columns } : {}) });
  }

  /**
   * Checks the members the format defines for this type of extract (formatMembers): each is there, with a
   * header that has its columns. With `records`, every record of every member is parsed as well (a broken
   * record, corrupt zip data), writing nothing: the first pass that lets a file fail before any of it is
   * applied. Throws a KboFormatError naming the file, the member(s) and, for a record, its number.
   */
  async checkFormat(type: ExtractType, options: { records?: boolean } = {}): Promise<void> {
    const expected = formatMembers(type);
    const missing = expected.filter((m) => !this.has(m.member)).map((m) => m.member);
    if (missing.length) throw new KboFormatError({ file: this.fileName, member: missing.join(', ') }, 'the zip lacks this member, which the format defines');
    for (const { member, columns } of expected) {
      for await (const _values of this.records(member, { columns, require: true })) if (!options.records) break;
    }
  }

  /** meta.csv, which every extract has. */
  async meta(): Promise<KboMeta> {
    const values = new Map<string, string | null>();
    for await (const row of this.records('meta.csv', { columns: kboColumns.meta, require: true })) values.set(String(row.Variable), row.Value ?? null);
    const snapshotDate = kboDate(values.get('SnapshotDate') ?? null);
    const extractTimestamp = kboTimestamp(values.get('ExtractTimestamp') ?? null);
    const extractType = values.get('ExtractType')?.toLowerCase();
    const extractNumber = Number(values.get('ExtractNumber'));
    const place = { file: this.fileName, member: 'meta.csv' };
    if (!snapshotDate) throw new KboFormatError(place, `SnapshotDate ${values.get('SnapshotDate')} is not dd-mm-yyyy`);
    if (!extractTimestamp) throw new KboFormatError(place, `ExtractTimestamp ${values.get('ExtractTimestamp')} is not dd-mm-yyyy HH:MM:SS`);
    if (extractType !== 'full' && extractType !== 'update')
      throw new KboFormatError(place, `ExtractType ${values.get('ExtractType')} is neither full nor update`);
    if (!Number.isInteger(extractNumber) || extractNumber < 1) throw new KboFormatError(place, `ExtractNumber ${values.get('ExtractNumber')} is not a number`);
    return { snapshotDate, extractTimestamp, extractType, extractNumber, version: values.get('Version') ?? null };
  }

  private async *typed<T>(member: string, columns: readonly string[], convert: (values: CsvRecord) => T, options: ReadOptions): AsyncGenerator<T> {
    let record = 0;
    for await (const values of this.records(member, { columns })) {
      record += 1;
      let row: T;
      try {
        row = convert(values);
      } catch (error) {
        if (!(error instanceof InvalidRow)) throw error;
        const issue: RowIssue = { member, record, reason: error.message, values };
        if (!options.onInvalid) throw new KboFormatError({ file: this.fileName, member, record }, error.message);
        options.onInvalid(issue);
        continue;
      }
      yield row;
    }
  }

  enterprises(part: TablePart = 'full', options: ReadOptions = {}): AsyncGenerator<EnterpriseRow> {
    return this.typed(memberName('enterprise', part), kboColumns.enterprise, toEnterpriseRow, options);
  }

  establishments(part: TablePart = 'full', options: ReadOptions = {}): AsyncGenerator<EstablishmentRow> {
    return this.typed(memberName('establishment', part), kboColumns.establishment, toEstablishmentRow, options);
  }

  denominations(part: TablePart = 'full', options: ReadOptions = {}): AsyncGenerator<DenominationRow> {
    return this.typed(memberName('denomination', part), kboColumns.denomination, toDenominationRow, options);
  }

  addresses(part: TablePart = 'full', options: ReadOptions = {}): AsyncGenerator<AddressRow> {
    return this.typed(memberName('address', part), kboColumns.address, toAddressRow, options);
  }

  /** enterprise_delete.csv: enterprises whose row is deleted (re-inserted when it changed, gone when it stopped). */
  deletedEnterprises(options: ReadOptions = {}): AsyncGenerator<string> {
    return this.typed(memberName('enterprise', 'delete'), [deleteKeyColumn.enterprise], (v) => enterpriseNumber(v, 'EnterpriseNumber'), options);
  }

  /** establishment_delete.csv. */
  deletedEstablishments(options: ReadOptions = {}): AsyncGenerator<string> {
    return this.typed(memberName('establishment', 'delete'), [deleteKeyColumn.establishment], (v) => establishmentNumber(v, 'EstablishmentNumber'), options);
  }

  /** X_delete.csv of a child table: every row of these entities in X is deleted (enterprise and establishment numbers mixed). */
  deletedEntities(table: 'denomination' | 'address' | 'contact' | 'activity', options: ReadOptions = {}): AsyncGenerator<EntityRef> {
    return this.typed(memberName(table, 'delete'), [deleteKeyColumn[table]], (v) => entity(v, 'EntityNumber'), options);
  }

  /** branch_delete.csv: branch Ids, not checked (not official numbers). */
  deletedBranches(options: ReadOptions = {}): AsyncGenerator<string> {
    return this.typed(memberName('branch', 'delete'), [deleteKeyColumn.branch], (v) => need(v, 'Id'), options);
  }

  close(): void {
    this.zip.close();
  }
}
