// Imports a KBO Open Data Full extract: enterprises, establishments, names and addresses. Activity, contact
// and branches are not needed and are not read. The zip is streamed member by member and the rows go into
// overlapping BatchWrite requests, so memory holds only the establishment -> enterprise map and the set of
// enterprise numbers (numbers, not strings: ~1.9 M and ~1.7 M entries in a real extract).
//
// Idempotent: every item's key and value derive from its row and the extract number alone (no timestamps),
// so running the import twice leaves the same table; the extract record keeps its first importedAt.
// It does not delete what a previous extract had and this one lacks: the full import fills an empty table
// once, and the sync applies the updates after it.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, type RowIssue } from '../../shared/adapters/kbo/extract.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { toAddressRecord, toEnterpriseRecord, toEstablishmentRecord, toNameRecord, type EntityRef } from '../../shared/domain/kbo.ts';
import {
  addressItem,
  BatchWriter,
  enterpriseItem,
  establishmentHomeItem,
  establishmentItem,
  nameItem,
  recordExtract,
  type BatchWriterOptions,
  type KboOwner,
} from '../../shared/data/kbo.ts';

export type ImportCounts = {
  /** Items written, per kind. */
  enterprises: number;
  establishments: number;
  names: number;
  addresses: number;
  /** Rows read but not written, and why. */
  skipped: {
    /** Names and addresses of branches (their Id is not an enterprise or establishment). */
    branchRows: number;
    /** Establishments of an enterprise the extract lacks, and names and addresses of entities it lacks. */
    unknownEntity: number;
    /** Rows with a bad number, a missing key or an impossible date. */
    invalid: number;
  };
};

export type ImportProgress = {
  /** The member being read, `done` at the end. */
  file: string;
  /** Rows read from this member so far. */
  fileRows: number;
  /** Rows read from all members so far. */
  totalRows: number;
  rowsPerSecond: number;
  /** Uncompressed bytes read and the total of the four members, for a percentage. */
  bytesRead: number;
  totalBytes: number;
  /** Items DynamoDB has accepted so far, and items held in memory waiting for it (bounded by the writer). */
  itemsWritten: number;
  itemsPending: number;
};

export type ImportOptions = {
  onProgress?: (progress: ImportProgress) => void;
  /** Called for each unusable row (also counted in skipped.invalid). */
  onInvalidRow?: (issue: RowIssue) => void;
  writer?: BatchWriterOptions;
};

const members = ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv'];
const progressEveryMs = 250;

export async function importFullExtract(deps: Dependencies, zip: string | ZipSource, options: ImportOptions = {}): Promise<ImportCounts> {
  const extract = await KboExtract.open(zip);
  try {
    const meta = await extract.meta();
    if (meta.extractType !== 'full') throw new Error(`${extract.fileName} is an ${meta.extractType} extract; the full import needs a Full extract`);
    const missing = members.filter((m) => !extract.has(m));
    if (missing.length) throw new Error(`${extract.fileName} lacks ${missing.join(', ')}`);

    const counts: ImportCounts = { enterprises: 0, establishments: 0, names: 0, addresses: 0, skipped: { branchRows: 0, unknownEntity: 0, invalid: 0 } };
    const readOptions = {
      onInvalid: (issue: RowIssue) => {
        counts.skipped.invalid += 1;
        options.onInvalidRow?.(issue);
      },
    };
    const writer = new BatchWriter(deps, options.writer);

    // Progress: reported at most every 250 ms, and at the end of each member.
    const started = performance.now();
    const totalBytes = members.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
    let totalRows = 0;
    let fileRows = 0;
    let lastReport = 0;
    const report = (file: string, force = false) => {
      const now = performance.now();
      if (!options.onProgress || (!force && now - lastReport < progressEveryMs)) return;
      lastReport = now;
      const seconds = Math.max(0.001, (now - started) / 1000);
      options.onProgress({
        file,
        fileRows,
        totalRows,
        rowsPerSecond: totalRows / seconds,
        bytesRead: extract.bytesRead,
        totalBytes,
        itemsWritten: writer.written,
        itemsPending: writer.pending,
      });
    };
    const rowRead = (file: string) => {
      fileRows += 1;
      totalRows += 1;
      report(file);
    };
    const fileDone = (file: string) => {
      report(file, true);
      fileRows = 0;
    };

    // 1. Enterprises. Their numbers are kept to recognise names and addresses of entities the extract lacks.
    const enterprises = new Set<number>();
    for await (const row of extract.enterprises('full', readOptions)) {
      rowRead('enterprise.csv');
      enterprises.add(Number(kboDigits(row.enterpriseNumber)));
      await writer.put(enterpriseItem(toEnterpriseRecord(row, meta.extractNumber)));
      counts.enterprises += 1;
    }
    fileDone('enterprise.csv');

    // 2. Establishments. Their names and address rows carry only the establishment number, while the items
    //    live in the enterprise's collection: this map finds that enterprise.
    const enterpriseOf = new Map<number, number>();
    for await (const row of extract.establishments('full', readOptions)) {
      rowRead('establishment.csv');
      const enterprise = Number(kboDigits(row.enterpriseNumber));
      if (!enterprises.has(enterprise)) counts.skipped.unknownEntity += 1;
      else {
        enterpriseOf.set(Number(kboDigits(row.establishmentNumber)), enterprise);
        await writer.put(establishmentItem(toEstablishmentRecord(row, meta.extractNumber)));
        await writer.put(establishmentHomeItem({ enterpriseDigits: kboDigits(row.enterpriseNumber), establishmentDigits: kboDigits(row.establishmentNumber) }));
        counts.establishments += 1;
      }
    }
    fileDone('establishment.csv');

    /** The collection a name or address row belongs in; undefined for branches and unknown entities (counted). */
    const ownerOf = (entity: EntityRef): KboOwner | undefined => {
      if (entity.kind === 'branch') {
        counts.skipped.branchRows += 1;
        return undefined;
      }
      const digits = kboDigits(entity.number);
      if (entity.kind === 'enterprise') {
        if (enterprises.has(Number(digits))) return { enterpriseDigits: digits, establishmentDigits: null };
      } else {
        const enterprise = enterpriseOf.get(Number(digits));
        if (enterprise !== undefined) return { enterpriseDigits: String(enterprise).padStart(10, '0'), establishmentDigits: digits };
      }
      counts.skipped.unknownEntity += 1;
      return undefined;
    };

    // 3. Names.
    for await (const row of extract.denominations('full', readOptions)) {
      rowRead('denomination.csv');
      const owner = ownerOf(row.entity);
      if (!owner) continue;
      await writer.put(nameItem(owner, toNameRecord(row)));
      counts.names += 1;
    }
    fileDone('denomination.csv');

    // 4. Addresses: REGO of enterprises, BAET of establishments (and any other type KBO gives them).
    for await (const row of extract.addresses('full', readOptions)) {
      rowRead('address.csv');
      const owner = ownerOf(row.entity);
      if (!owner) continue;
      await writer.put(addressItem(owner, toAddressRecord(row)));
      counts.addresses += 1;
    }
    fileDone('address.csv');

    await writer.flush();
    await recordExtract(deps, {
      extractNumber: meta.extractNumber,
      type: 'full',
      snapshotDate: meta.snapshotDate,
      extractTimestamp: meta.extractTimestamp,
      fileName: extract.fileName,
      counts,
    });
    fileDone('done');
    return counts;
  } finally {
    extract.close();
  }
}
