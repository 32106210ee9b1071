// Splits a Full extract into parts for the kbo-full-import state machine: each part is a small zip with the
// Full's meta.csv and the four members the import reads, holding the rows of the entities whose number falls in
// the part (sliceOf: the entity's own number modulo the part count, as the sync slices an Update). So every
// row of one entity (an enterprise, or an establishment with its names and address) is in one part, and part p
// of a reconciling reload is exactly slice p of functions/kbo-import/reconcile.ts, with the same change
// records. An establishment's enterprise is usually in another part: each part lists those of them that the
// Full has (`enterprise_elsewhere.csv`), so the part's worker knows them without reading other parts; and each
// part lists the establishments of its enterprises that are in other parts (`enterprise_establishment.csv`), for
// the enterprise's item lists them all. For a reload, each part also lists what the table knows and the Full
// lacks (it left KBO), the same in every part: every such enterprise (`gone_enterprise.csv`) and establishment
// (`gone_establishment.csv`; an enterprise keeps such an establishment in its list, stopped).
//
// Streaming: the members are read one after another and each row is appended to its part's file in a folder
// on local disk (a Lambda's /tmp, sized for a real Full's ~750 MB of these four members); memory holds the
// Full's enterprise numbers (and, for a reload, its establishment numbers: numbers in Sets, ~2 M each), the
// links of establishments to enterprises of other parts (two numbers each, ~1.7 M) and a small buffer per part. Then each part is zipped and uploaded, and its files deleted.
import { appendFileSync, createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import yazl from 'yazl';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { kboColumns, type KboExtract } from '../../shared/adapters/kbo/extract.ts';
import type { CsvRecord } from '../../shared/adapters/kbo/csv.ts';
import {
  formatEnterpriseNumber,
  formatEstablishmentNumber,
  kboDigits,
  parseEnterpriseNumber,
  parseEstablishmentNumber,
} from '../../shared/domain/identifiers.ts';
import { classifyEntityNumber } from '../../shared/domain/kbo.ts';
import { sliceOf } from '../../shared/domain/kbo-changes.ts';
import { fullPartsPrefix } from './inbox-keys.ts';

/** One part: its number (0 to partCount - 1, the slice of a reload) and its zip's key in the KBO inbox bucket. */
export type FullPart = { index: number; key: string };

/**
 * The extra column of every part row: the row's record number in the Full's member, so that a rejected row is
 * reported where ops finds it in the Full (the part's own record numbers mean nothing outside it).
 */
export const sourceRecordColumn = 'SourceRecord';
export const elsewhereMember = 'enterprise_elsewhere.csv';
export const linksMember = 'enterprise_establishment.csv';
export const goneMembers = { enterprise: 'gone_enterprise.csv', establishment: 'gone_establishment.csv' } as const;

const tables = ['enterprise', 'establishment', 'denomination', 'address'] as const;
type Table = (typeof tables)[number];

const base = (fileName: string) => fileName.replace(/\.zip$/i, '');
/** The parts and the manifest of one Full, next to it in the KBO inbox bucket. */
export const partsPrefix = (fileName: string) => `${fullPartsPrefix}${base(fileName)}/`;
export const manifestKey = (fileName: string) => `${partsPrefix(fileName)}manifest.json`;
const partKey = (fileName: string, index: number) => `${partsPrefix(fileName)}part-${String(index).padStart(5, '0')}.zip`;

/** A CSV field as the Full writes text: quoted with doubled quotes; NULL an empty unquoted field. */
const field = (value: string | null | undefined) => (value === null || value === undefined ? '' : `"${value.replace(/"/g, '""')}"`);
const line = (values: readonly (string | null | undefined)[]) => `${values.map(field).join(',')}\n`;

/**
 * The part of a row: its entity's number modulo the part count. Rows without a usable number (and branch rows)
 * go to part 0, whose worker rejects or skips them as the CLI import does.
 */
function partOf(table: Table, values: CsvRecord, partCount: number): number {
  const digitsOf = (): string | undefined => {
    if (table === 'enterprise') {
      const parsed = parseEnterpriseNumber(values.EnterpriseNumber ?? '');
      return parsed.ok ? kboDigits(parsed.value) : undefined;
    }
    if (table === 'establishment') {
      const parsed = parseEstablishmentNumber(values.EstablishmentNumber ?? '');
      return parsed.ok ? kboDigits(parsed.value) : undefined;
    }
    const entity = classifyEntityNumber(values.EntityNumber ?? '');
    return entity.kind === 'enterprise' || entity.kind === 'establishment' ? kboDigits(entity.number) : undefined;
  };
  const digits = digitsOf();
  return digits === undefined ? 0 : sliceOf(digits, partCount);
}

const enterpriseDigits = (value: string | null | undefined): number | undefined => {
  const parsed = parseEnterpriseNumber(value ?? '');
  return parsed.ok ? Number(kboDigits(parsed.value)) : undefined;
};

export type SplitOptions = {
  partCount: number;
  /** A reload: the entities the table knows (digits); those the Full lacks go to their part's gone lists. */
  known?: { enterprises: readonly string[]; establishments: readonly string[] };
  /** Where the part files are staged (a fresh folder under the system's temporary folder by default). */
  stagingDirectory?: string;
};

export type SplitResult = { parts: FullPart[]; manifestKey: string; rows: number; gone: { enterprises: number; establishments: number } };

/** Splits `extract` (its format already checked) into `partCount` parts and writes them and the manifest to the KBO inbox bucket. */
export async function splitFull(deps: Dependencies, extract: KboExtract, options: SplitOptions): Promise<SplitResult> {
  const { partCount } = options;
  const staging = mkdtempSync(join(options.stagingDirectory ?? tmpdir(), 'kbo-full-parts-'));
  try {
    const files = new PartFiles(staging, partCount);
    const metaLines = [line(kboColumns.meta)];
    for await (const values of extract.records('meta.csv', { columns: kboColumns.meta, require: true }))
      metaLines.push(line(kboColumns.meta.map((c) => values[c])));

    const enterprises = new Set<number>();
    const establishments = new Set<number>();
    const elsewhere = Array.from({ length: partCount }, () => new Set<number>());
    // Per part, (enterprise, establishment) pairs flat: the establishments of its enterprises in other parts.
    const links = Array.from({ length: partCount }, (): number[] => []);
    let rows = 0;
    for (const table of tables) {
      const columns = kboColumns[table];
      files.startMember(`${table}.csv`, line([...columns, sourceRecordColumn]));
      let record = 0;
      for await (const values of extract.records(`${table}.csv`, { columns, require: true })) {
        record += 1;
        const part = partOf(table, values, partCount);
        files.append(part, line([...columns.map((c) => values[c]), String(record)]));
        if (table === 'enterprise') {
          const digits = enterpriseDigits(values.EnterpriseNumber);
          if (digits !== undefined) enterprises.add(digits);
        }
        if (table === 'establishment') {
          const owner = enterpriseDigits(values.EnterpriseNumber);
          const parsed = parseEstablishmentNumber(values.EstablishmentNumber ?? '');
          const ownerPart = owner === undefined ? part : sliceOf(String(owner), partCount);
          if (owner !== undefined && enterprises.has(owner) && ownerPart !== part) {
            elsewhere[part]!.add(owner);
            if (parsed.ok) links[ownerPart]!.push(owner, Number(kboDigits(parsed.value)));
          }
          if (options.known && parsed.ok) establishments.add(Number(kboDigits(parsed.value)));
        }
      }
      rows += record;
    }
    files.startMember(elsewhereMember, line(['EnterpriseNumber']));
    elsewhere.forEach((owners, part) => {
      for (const digits of owners) files.append(part, line([formatEnterpriseNumber(String(digits).padStart(10, '0'))]));
    });
    files.startMember(linksMember, line(['EnterpriseNumber', 'EstablishmentNumber']));
    links.forEach((pairs, part) => {
      for (let i = 0; i < pairs.length; i += 2)
        files.append(
          part,
          line([formatEnterpriseNumber(String(pairs[i]).padStart(10, '0')), formatEstablishmentNumber(String(pairs[i + 1]).padStart(10, '0'))]),
        );
      links[part] = [];
    });
    const gone = { enterprises: 0, establishments: 0 };
    if (options.known) {
      // Every part lists every enterprise that left: a slice tells an establishment that goes with its enterprise
      // (reported as the enterprise's stop) from one that stops on its own by the stopping enterprises of all
      // slices (slice-rows.ts), and an establishment's enterprise is usually in another part.
      files.startMember(goneMembers.enterprise, line(['EnterpriseNumber']));
      for (const digits of options.known.enterprises)
        if (!enterprises.has(Number(digits))) {
          gone.enterprises += 1;
          for (let part = 0; part < partCount; part++) files.append(part, line([formatEnterpriseNumber(digits)]));
        }
      files.startMember(goneMembers.establishment, line(['EstablishmentNumber']));
      for (const digits of options.known.establishments)
        if (!establishments.has(Number(digits))) {
          gone.establishments += 1;
          for (let part = 0; part < partCount; part++) files.append(part, line([formatEstablishmentNumber(digits)]));
        }
    }
    files.flush();

    const parts: FullPart[] = [];
    for (let index = 0; index < partCount; index++) {
      const key = partKey(extract.fileName, index);
      await uploadPart(deps, join(staging, `part-${index}.zip`), key, [{ name: 'meta.csv', text: metaLines.join('') }, ...files.membersOf(index)]);
      files.remove(index);
      parts.push({ index, key });
    }
    const manifest = manifestKey(extract.fileName);
    await deps.s3.send(
      new PutObjectCommand({ Bucket: deps.config.KBO_INBOX_BUCKET, Key: manifest, Body: JSON.stringify(parts), ContentType: 'application/json' }),
    );
    return { parts, manifestKey: manifest, rows, gone };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The links a part lists (linksMember): establishments of its enterprises in other parts. None in a whole Full. */
export async function* establishmentLinks(extract: KboExtract): AsyncGenerator<{ enterpriseNumber: string; establishmentNumber: string }> {
  if (!extract.has(linksMember)) return;
  for await (const values of extract.records(linksMember, { columns: ['EnterpriseNumber', 'EstablishmentNumber'] }))
    if (values.EnterpriseNumber && values.EstablishmentNumber)
      yield { enterpriseNumber: values.EnterpriseNumber, establishmentNumber: values.EstablishmentNumber };
}

/** The staged files of every part, one member at a time, appended in 256 KiB writes. */
class PartFiles {
  private member = '';
  private readonly members: string[] = [];
  private buffers: string[];

  constructor(
    private readonly directory: string,
    private readonly partCount: number,
  ) {
    this.buffers = Array.from({ length: partCount }, () => '');
  }

  private path(part: number, member: string): string {
    return join(this.directory, `${part}-${member}`);
  }

  startMember(member: string, header: string): void {
    this.flush();
    this.member = member;
    this.members.push(member);
    for (let part = 0; part < this.partCount; part++) writeFileSync(this.path(part, member), header);
  }

  append(part: number, text: string): void {
    this.buffers[part] += text;
    if (this.buffers[part]!.length >= 256 * 1024) this.flushPart(part);
  }

  flush(): void {
    for (let part = 0; part < this.partCount; part++) this.flushPart(part);
  }

  private flushPart(part: number): void {
    if (!this.buffers[part]) return;
    appendFileSync(this.path(part, this.member), this.buffers[part]!);
    this.buffers[part] = '';
  }

  membersOf(part: number): { name: string; path: string }[] {
    return this.members.map((name) => ({ name, path: this.path(part, name) }));
  }

  remove(part: number): void {
    for (const { path } of this.membersOf(part)) rmSync(path, { force: true });
  }
}

/** Zips one part's files to local disk and uploads the zip (a stream of known length: nothing of it in memory). */
async function uploadPart(deps: Dependencies, zipPath: string, key: string, members: ({ name: string; path: string } | { name: string; text: string })[]) {
  const zip = new yazl.ZipFile();
  const out = createWriteStream(zipPath);
  zip.outputStream.pipe(out);
  // A fixed time keeps the parts of the same Full byte-for-byte the same.
  const mtime = new Date(Date.UTC(2026, 0, 1));
  for (const member of members) {
    if ('path' in member) zip.addFile(member.path, member.name, { mtime });
    else zip.addBuffer(Buffer.from(member.text, 'utf8'), member.name, { mtime });
  }
  zip.end();
  await finished(out);
  try {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.config.KBO_INBOX_BUCKET,
        Key: key,
        Body: createReadStream(zipPath),
        ContentLength: statSync(zipPath).size,
        ContentType: 'application/zip',
      }),
    );
  } finally {
    rmSync(zipPath, { force: true });
  }
}
