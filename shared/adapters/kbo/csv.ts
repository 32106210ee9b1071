// The CSV dialect of KBO Open Data (../../../../shared/kbo-open-data.md, section 2): UTF-8 with or without
// BOM, comma, RFC 4180 quoting with doubled quotes, LF or CRLF, a header row, and NULL written either as an
// empty unquoted field or as `""`. Rows are parsed one by one from a stream: a file is never held in memory.
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/** A data row keyed by column name; empty and `""` both read as null. */
export type CsvRecord = Record<string, string | null>;

/** Where in an extract a format error is: the zip, the member, the data record (1 is the row after the header). */
export type FormatErrorPlace = { file?: string | undefined; member?: string | undefined; record?: number | undefined };

/**
 * The file does not follow the format: a missing member, a wrong header, a broken record, a corrupt zip. Named,
 * because the kbo-sync state machine retries transient errors by name and fails a file at once on this one; the
 * message (the execution's Cause) names the file, the member, the record and the reason.
 */
export class KboFormatError extends Error {
  override name = 'KboFormatError';

  constructor(
    readonly place: FormatErrorPlace,
    readonly reason: string,
  ) {
    const where = [place.file, place.member, place.record === undefined ? undefined : `record ${place.record}`].filter(Boolean).join(' ');
    super(where ? `${where}: ${reason}` : reason);
  }
}

/**
 * Whether an error while reading a member is the file's fault: the CSV parser's (a broken record), zlib's (corrupt
 * deflate data) or yauzl's (a broken zip structure: plain Errors without a code). An error of the source (an S3
 * GET, a network reset: named, or with a system code) is not: it is worth a retry.
 */
export function isFileFault(error: unknown): boolean {
  if (error instanceof CsvError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) return true;
  return error.name === 'Error' && code === undefined && !('$metadata' in error);
}

/**
 * Streams the records of one CSV file. `columns` are the columns the caller needs: the header must hold them
 * (compared case-insensitively, returned in the spelling given here); extra columns are kept as they are, so a
 * new column in a future version of the format does not stop an import.
 */
export async function* csvRecords(
  stream: Readable,
  options: { columns?: readonly string[]; member?: string; file?: string; onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<CsvRecord> {
  const place = { file: options.file, member: options.member ?? 'CSV' };
  const wanted = options.columns ?? [];
  const parser = parse({
    bom: true,
    // The header row names the columns; csv-parse then yields one object per row.
    columns: (header: string[]) => {
      const byLowerCase = new Map(wanted.map((c) => [c.toLowerCase(), c]));
      const names = header.map((h) => byLowerCase.get(h.trim().toLowerCase()) ?? h.trim());
      const missing = wanted.filter((c) => !names.includes(c));
      if (missing.length) throw new KboFormatError(place, `the header lacks ${missing.join(', ')} (found ${header.join(', ')})`);
      return names;
    },
    skip_empty_lines: true,
    // The header is seen by cast too; only data fields map the two spellings of NULL to null.
    cast: (value, context) => (!context.header && value === '' ? null : value),
  });
  // pipe() does not pass errors on: a broken zip stream must fail the parser instead of leaving it waiting.
  const onError = (error: Error) => parser.destroy(error);
  stream.on('error', onError);
  // A second 'data' listener next to pipe() only counts: pipe's pause() still holds the stream back.
  const onData = (chunk: Buffer) => options.onBytes?.(chunk.length);
  if (options.onBytes) stream.on('data', onData);
  stream.pipe(parser);
  let record = 0;
  try {
    // An error of the consumer does not come through here (a generator is closed, not thrown into, when its
    // consumer fails): what is caught is the parser's or the stream's.
    try {
      for await (const values of parser) {
        record += 1;
        yield values as CsvRecord;
      }
    } catch (error) {
      if (error instanceof KboFormatError || !isFileFault(error)) throw error;
      // The parser counts the records it parsed before the broken one (the loop may not have seen them all yet);
      // a stream error comes after the records the loop saw.
      const at = error instanceof CsvError ? Number(error.records) + 1 : record + 1;
      throw new KboFormatError({ ...place, record: at }, (error as Error).message);
    }
  } finally {
    // Also when the caller stops early: release the zip stream instead of leaving it paused. The error
    // listener stays, so a late error of the destroyed stream cannot crash the process.
    stream.off('data', onData);
    stream.unpipe(parser);
    stream.destroy();
  }
}

/** `dd-mm-yyyy` to `YYYY-MM-DD`; null stays null; anything else (or an impossible date) returns undefined. */
export function kboDate(value: string | null): string | null | undefined {
  if (value === null) return null;
  // The cookbook writes `dd-mm-yyyyy` for DateStrikingOff; a zero-padded five-digit year is read as well.
  const match = /^(\d{2})-(\d{2})-0?(\d{4})$/.exec(value.trim());
  if (!match) return undefined;
  const [, day, month, year] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return `${year}-${month}-${day}`;
}

/** meta.csv's ExtractTimestamp `dd-mm-yyyy HH:MM:SS` to `YYYY-MM-DDTHH:MM:SS` (Belgian local time, as written). */
export function kboTimestamp(value: string | null): string | undefined {
  const match = /^(\d{2}-\d{2}-\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec((value ?? '').trim());
  if (!match) return undefined;
  const date = kboDate(match[1]!);
  if (!date || Number(match[2]) > 23 || Number(match[3]) > 59 || Number(match[4]) > 59) return undefined;
  return `${date}T${match[2]}:${match[3]}:${match[4]}`;
}
