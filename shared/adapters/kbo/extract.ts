// Reads KBO Open Data zips as streams: members matched case-insensitively, each CSV parsed row by row
// (RFC 4180, UTF-8 with or without BOM, LF or CRLF, header row), never a whole file in memory.
// The format: ../shared/kbo-open-data.md.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

const namePattern = /^KboOpenData_(\d{4})_(\d{4})_(\d{2})(?:_(\d{2}))?_(Full|Update)\.zip$/;

export type ExtractName = { extractNumber: number; year: number; month: number; day: number | null; type: 'full' | 'update' };

/** Both naming eras: `KboOpenData_0137_2025_07_Full.zip` and `KboOpenData_0147_2025_10_12_Update.zip`. */
export function parseExtractName(fileName: string): ExtractName | undefined {
  const match = namePattern.exec(fileName.split('/').pop() ?? '');
  if (!match) return undefined;
  return { extractNumber: Number(match[1]), year: Number(match[2]), month: Number(match[3]), day: match[4] ? Number(match[4]) : null, type: match[5] === 'Full' ? 'full' : 'update' };
}

/** `dd-mm-yyyy` (also with a time) to `YYYY-MM-DD`; empty stays null. */
export function kboDate(value: string | null): string | null {
  if (!value) return null;
  const match = /^(\d{2})-(\d{2})-(\d{4,5})/.exec(value.trim());
  if (!match) throw new Error(`not a KBO date: ${value}`);
  return `${match[3]!.slice(-4)}-${match[2]}-${match[1]}`;
}

export type Row = Record<string, string | null>;

/** Parses CSV text from a stream; `""` and an empty field are both null. */
export function csvRows(stream: Readable): AsyncIterable<Row> {
  return stream.pipe(
    parse({
      bom: true,
      columns: true,
      skip_empty_lines: true,
      relax_column_count: false,
      cast: (value) => (value === '' ? null : value),
    }),
  ) as unknown as AsyncIterable<Row>;
}

export class KboZip {
  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
  ) {}

  static async open(path: string): Promise<KboZip> {
    const zip = await new Promise<ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) => (error ? reject(error) : resolve(file!))));
    const entries = new Map<string, Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        entries.set(entry.fileName.split('/').pop()!.toLowerCase(), entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    return new KboZip(zip, entries);
  }

  has(member: string): boolean {
    return this.entries.has(member.toLowerCase());
  }

  /** Rows of one member (e.g. `enterprise.csv`), or none when the zip does not have it. */
  async *rows(member: string): AsyncIterable<Row> {
    const entry = this.entries.get(member.toLowerCase());
    if (!entry) return;
    const stream = await new Promise<Readable>((resolve, reject) => this.zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s!))));
    yield* csvRows(stream);
  }

  async meta(): Promise<{ snapshotDate: string | null; extractTimestamp: string | null; extractType: string | null; extractNumber: number | null }> {
    const values = new Map<string, string | null>();
    for await (const row of this.rows('meta.csv')) values.set(String(row.Variable), row.Value ?? null);
    const timestamp = values.get('ExtractTimestamp') ?? null;
    const time = timestamp ? / (\d{2}:\d{2}:\d{2})$/.exec(timestamp)?.[1] : undefined;
    return {
      snapshotDate: kboDate(values.get('SnapshotDate') ?? null),
      extractTimestamp: timestamp ? `${kboDate(timestamp)}T${time ?? '00:00:00'}` : null,
      extractType: values.get('ExtractType') ?? null,
      extractNumber: values.has('ExtractNumber') ? Number(values.get('ExtractNumber')) : null,
    };
  }

  close(): void {
    this.zip.close();
  }
}
