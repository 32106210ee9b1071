// The CSV and zip format of KBO Open Data extracts (../../../../shared/kbo-open-data.md), as the generator writes
// it: members at the zip root with header rows; text quoted with embedded quotes doubled; dates dd-mm-yyyy
// unquoted; NULL an empty unquoted field. Also meta.csv and the zip names.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { kboColumns } from '../../../shared/adapters/kbo/extract.ts';

// --- CSV fields ------------------------------------------------------------------------------------------

/** A text field (quoted), a date or number left bare, or NULL (empty, unquoted). */
export type Field = { text: string } | { bare: string } | null;
export const text = (value: string): Field => ({ text: value });
export const bare = (value: string): Field => ({ bare: value });
export const maybe = (value: string | null | undefined): Field => (value === null || value === undefined ? null : text(value));

export function csvLine(fields: readonly Field[]): string {
  return `${fields.map((f) => (f === null ? '' : 'text' in f ? `"${f.text.replace(/"/g, '""')}"` : f.bare)).join(',')}\n`;
}

/** The columns of every member (`X_insert.csv` has those of `X.csv`); from the reader, so both agree. */
export const columns = kboColumns;

// --- writing zips ----------------------------------------------------------------------------------------

export type Lines = () => Iterable<string> | AsyncIterable<string>;
export type ZipMember = { name: string; header: readonly string[]; lines: Lines };
/** Variations the real files may show: CRLF line ends, a BOM, capitalised member names (`Branch.CSV`). */
export type Dialect = { crlf?: boolean; bom?: boolean; capitalisedNames?: boolean };

// A fixed modification time keeps the zip byte-for-byte the same for the same seed.
const zipTime = new Date(Date.UTC(2026, 0, 1));
const chunkSize = 64 * 1024;

/** Streams members into a zip at `path` (folders are created); lines are grouped into 64 KB chunks. */
export async function writeZipMembers(path: string, members: readonly ZipMember[], dialect: Dialect = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  for (const member of members) {
    async function* chunks() {
      let buffer = (dialect.bom ? '\uFEFF' : '') + csvLine(member.header.map(text));
      for await (const line of member.lines()) {
        buffer += line;
        if (buffer.length >= chunkSize) {
          yield Buffer.from(dialect.crlf ? buffer.replace(/\n/g, '\r\n') : buffer, 'utf8');
          buffer = '';
        }
      }
      yield Buffer.from(dialect.crlf ? buffer.replace(/\n/g, '\r\n') : buffer, 'utf8');
    }
    const name = dialect.capitalisedNames ? `${member.name.charAt(0).toUpperCase() + member.name.slice(1, -4)}.CSV` : member.name;
    zip.addReadStream(Readable.from(chunks(), { objectMode: false }), name, { mtime: zipTime });
  }
  zip.end();
  await finished(out);
}

type FullMember = keyof typeof columns;

/** Writes the members of a Full extract given as line generators (a member left out is not written). */
export async function writeZip(
  path: string,
  files: Partial<Record<FullMember, Lines>>,
  memberNames: Partial<Record<string, string>> = {},
  dialect: Dialect = {},
): Promise<void> {
  const members = (Object.entries(files) as [FullMember, Lines][]).map(([name, lines]) => ({
    name: memberNames[name] ?? `${name}.csv`,
    header: columns[name],
    lines,
  }));
  await writeZipMembers(path, members, dialect);
}

/** `KboOpenData_0147_2025_10_12_Update.zip` (the daily naming; the date is the creation date, `YYYY-MM-DD`). */
export const extractFileName = (extractNumber: number, type: 'full' | 'update', creationDate: string) =>
  `KboOpenData_${String(extractNumber).padStart(4, '0')}_${creationDate.replace(/-/g, '_')}_${type === 'full' ? 'Full' : 'Update'}.zip`;

// --- meta.csv --------------------------------------------------------------------------------------------

/** ISO `YYYY-MM-DD` to KBO's `dd-mm-yyyy`. */
export const kboDateText = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
/** ISO `YYYY-MM-DD` plus `days`. */
export const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const metaLines = (type: 'full' | 'update', extractNumber: number, snapshotDate: string, timestamp: string) =>
  function* () {
    yield csvLine([text('SnapshotDate'), text(snapshotDate)]);
    yield csvLine([text('ExtractTimestamp'), text(timestamp)]);
    yield csvLine([text('ExtractType'), text(type)]);
    yield csvLine([text('ExtractNumber'), text(String(extractNumber))]);
    yield csvLine([text('Version'), text('1.0.0')]);
  };

/** meta.csv of an extract whose data describes `snapshotDate` (ISO) and was made the next morning. */
export const metaFor = (type: 'full' | 'update', extractNumber: number, snapshotDate: string) =>
  metaLines(type, extractNumber, kboDateText(snapshotDate), `${kboDateText(addDays(snapshotDate, 1))} 07:40:18`);
