// Imports a KBO Open Data Full extract: enterprises, establishments, names and addresses. Activity, contact
// and branches are not needed and are not read. The zip is streamed member by member and the rows go into
// overlapping BatchWrite requests, so memory holds only the establishment -> enterprise map and the set of
// enterprise numbers (numbers, not strings: ~1.9 M and ~1.7 M entries in a real extract).
//
// Idempotent: every item's key and value derive from its row and the extract number alone (no timestamps),
// so running the import twice leaves the same table; the extract record keeps its first importedAt.
// It fills an empty table (or rebuilds one on purpose, forced); the sync applies the Updates after it (Full N
// contains Update N: the next one is N+1). A Full newer than the table's extract is reconciled instead
// (reconcile.ts: what left KBO is stopped, with change records); one not newer is refused (fullImportStep).
// importOrReconcile picks the one fullImportStep says.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, type RowIssue } from '../../shared/adapters/kbo/extract.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { toAddressRecord, toEnterpriseRecord, toEstablishmentRecord, toNameRecord, type EntityRef } from '../../shared/domain/kbo.ts';
import { fullImportStep } from '../../shared/domain/kbo-changes.ts';
import { fullReport, type KboFileReport, type RejectedRow } from '../../shared/domain/kbo-report.ts';
import { putReport } from '../../shared/data/kbo-reports.ts';
import { reconcileFullExtract, type ReconcileOptions, type ReconcileResult } from './reconcile.ts';
import {
  addressItem,
  BatchWriter,
  enterpriseItem,
  establishmentHomeItem,
  establishmentItem,
  nameItem,
  forgetExtractsAfter,
  getLatestExtract,
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
  /**
   * Rows that repeat an earlier row of the same entity and item (real files have them): written again, so the
   * last one wins, and not counted as an item above. Found among an entity's consecutive rows (KBO lists an
   * entity's rows together), and for enterprises and establishments anywhere in the file.
   */
  duplicateRows: number;
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
  /** Import a Full that is not newer than the last applied extract: a deliberate rebuild (see fullImportStep). */
  force?: boolean;
  /** Called with what the import cannot do right (fullImportStep's message) before it writes. */
  onWarning?: (message: string) => void;
  /** Called with the file's report once it is stored, and where (`s3://…`). */
  onReport?: (report: KboFileReport, location: string) => void;
};

/** A Full not newer than the last applied extract, without force: nothing is written. */
export class FullNotNewer extends Error {
  override name = 'FullNotNewer';
}

const members = ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv'];
const progressEveryMs = 250;

export async function importFullExtract(deps: Dependencies, zip: string | ZipSource, options: ImportOptions = {}): Promise<ImportCounts> {
  const extract = await KboExtract.open(zip);
  try {
    const meta = await extract.meta();
    if (meta.extractType !== 'full') throw new Error(`${extract.fileName} is an ${meta.extractType} extract; the full import needs a Full extract`);
    const latest = await getLatestExtract(deps);
    const step = fullImportStep(meta.extractNumber, latest?.extractNumber, options.force ?? false);
    if (step.step === 'refuse') throw new FullNotNewer(`${extract.fileName}: ${step.message}`);
    if (step.step === 'reconcile')
      throw new Error(`${extract.fileName}: the table holds extract ${latest!.extractNumber}; a newer Full is reconciled (importOrReconcile), not loaded`);
    // Every member the format defines, with its header, before anything is written; a broken record further
    // on fails the import there (a Full is too big for a first pass; the import is idempotent, run it again).
    await extract.checkFormat('full');

    if (step.message) options.onWarning?.(step.message);
    // A rebuild from an older Full: the extracts after it are applied again by the sync.
    if (latest && meta.extractNumber <= latest.extractNumber) await forgetExtractsAfter(deps, meta.extractNumber);
    const { counts, rowsPerMember, rejectedRows } = await applyFullRows(deps, extract, meta.extractNumber, options);
    const { extractNumber, snapshotDate, extractTimestamp } = meta;
    const header = { fileName: extract.fileName, extractNumber, extractType: 'full' as const, snapshotDate, appliedAt: deps.clock.now().toISOString(), counts };
    const figures = {
      rowsPerMember,
      rejectedRows,
      duplicateRows: counts.duplicateRows,
      unknownEntities: counts.skipped.unknownEntity,
    };
    const report = fullReport(header, figures);
    const location = await putReport(deps, report);
    await recordExtract(deps, { extractNumber, type: 'full', snapshotDate, extractTimestamp, fileName: extract.fileName, counts });
    options.onReport?.(report, location);
    return counts;
  } finally {
    extract.close();
  }
}

export type AppliedRows = { counts: ImportCounts; rowsPerMember: Record<string, number>; rejectedRows: RejectedRow[] };

/**
 * Writes the items of a Full's rows: the whole Full (importFullExtract), or one part of it (the kbo-full-import
 * state machine's workers, full-import-tasks.ts), whose establishments may belong to enterprises of other parts:
 * `enterprisesElsewhere` are those of the Full, so their establishments are written, not skipped as unknown.
 */
export async function applyFullRows(
  deps: Dependencies,
  extract: KboExtract,
  extractNumber: number,
  options: ImportOptions & { enterprisesElsewhere?: ReadonlySet<number> } = {},
): Promise<AppliedRows> {
  const counts: ImportCounts = {
    enterprises: 0,
    establishments: 0,
    names: 0,
    addresses: 0,
    duplicateRows: 0,
    skipped: { branchRows: 0, unknownEntity: 0, invalid: 0 },
  };
  const writer = new BatchWriter(deps, options.writer);
  const rejectedRows: RejectedRow[] = [];
  const run: ImportRun = {
    extract,
    extractNumber,
    writer,
    counts,
    progress: new Progress(extract, writer, options.onProgress),
    readOptions: {
      onInvalid: (issue: RowIssue) => {
        counts.skipped.invalid += 1;
        rejectedRows.push({ member: issue.member, record: issue.record, reason: issue.reason });
        options.onInvalidRow?.(issue);
      },
    },
  };
  const inPart = await importEnterprises(run);
  const enterprises = options.enterprisesElsewhere ? new Set([...inPart, ...options.enterprisesElsewhere]) : inPart;
  const homes = await importEstablishments(run, enterprises);
  await importNamesAndAddresses(run, enterprises, homes);
  await writer.flush();
  run.progress.fileDone('done');
  return { counts, rowsPerMember: run.progress.rowsPerMember, rejectedRows };
}

/** What every step of one import works with. */
type ImportRun = {
  extract: KboExtract;
  extractNumber: number;
  writer: BatchWriter;
  counts: ImportCounts;
  progress: Progress;
  readOptions: { onInvalid: (issue: RowIssue) => void };
};

/** Step 1: the enterprises. Their numbers are kept to recognise names and addresses of entities the extract lacks. */
async function importEnterprises({ extract, extractNumber, writer, counts, progress, readOptions }: ImportRun): Promise<Set<number>> {
  const enterprises = new Set<number>();
  for await (const row of extract.enterprises('full', readOptions)) {
    progress.rowRead('enterprise.csv');
    const digits = Number(kboDigits(row.enterpriseNumber));
    if (enterprises.has(digits)) counts.duplicateRows += 1;
    else counts.enterprises += 1;
    enterprises.add(digits);
    await writer.put(enterpriseItem(toEnterpriseRecord(row, extractNumber)));
  }
  progress.fileDone('enterprise.csv');
  return enterprises;
}

/**
 * Step 2: the establishments of known enterprises. Their names and address rows carry only the establishment
 * number, while the items live in the enterprise's collection: the map returned finds that enterprise.
 */
async function importEstablishments({ extract, extractNumber, writer, counts, progress, readOptions }: ImportRun, enterprises: ReadonlySet<number>) {
  const enterpriseOf = new Map<number, number>();
  for await (const row of extract.establishments('full', readOptions)) {
    progress.rowRead('establishment.csv');
    const enterprise = Number(kboDigits(row.enterpriseNumber));
    if (!enterprises.has(enterprise)) counts.skipped.unknownEntity += 1;
    else {
      const digits = Number(kboDigits(row.establishmentNumber));
      if (enterpriseOf.has(digits)) counts.duplicateRows += 1;
      else counts.establishments += 1;
      enterpriseOf.set(digits, enterprise);
      await writer.put(establishmentItem(toEstablishmentRecord(row, extractNumber)));
      await writer.put(establishmentHomeItem({ enterpriseDigits: kboDigits(row.enterpriseNumber), establishmentDigits: kboDigits(row.establishmentNumber) }));
    }
  }
  progress.fileDone('establishment.csv');
  return enterpriseOf;
}

/** Steps 3 and 4: names, then addresses (REGO of enterprises, BAET of establishments, and any other type KBO gives them). */
async function importNamesAndAddresses(run: ImportRun, enterprises: ReadonlySet<number>, enterpriseOf: ReadonlyMap<number, number>) {
  const { extract, writer, counts, progress, readOptions } = run;
  const owner = (entity: EntityRef) => ownerOf(entity, enterprises, enterpriseOf, counts.skipped);
  const names = new RepeatedRows();
  for await (const row of extract.denominations('full', readOptions)) {
    progress.rowRead('denomination.csv');
    const found = owner(row.entity);
    if (!found) continue;
    await writer.put(nameItem(found, toNameRecord(row)));
    if (names.seen(row.entity.number, `${row.typeOfDenomination}|${row.language}|${row.denomination}`)) counts.duplicateRows += 1;
    else counts.names += 1;
  }
  progress.fileDone('denomination.csv');
  const addresses = new RepeatedRows();
  for await (const row of extract.addresses('full', readOptions)) {
    progress.rowRead('address.csv');
    const found = owner(row.entity);
    if (!found) continue;
    await writer.put(addressItem(found, toAddressRecord(row)));
    if (addresses.seen(row.entity.number, row.typeOfAddress)) counts.duplicateRows += 1;
    else counts.addresses += 1;
  }
  progress.fileDone('address.csv');
}

/** The collection a name or address row belongs in; undefined for branches and unknown entities (counted as skipped). */
function ownerOf(
  entity: EntityRef,
  enterprises: ReadonlySet<number>,
  enterpriseOf: ReadonlyMap<number, number>,
  skipped: ImportCounts['skipped'],
): KboOwner | undefined {
  if (entity.kind === 'branch') {
    skipped.branchRows += 1;
    return undefined;
  }
  const digits = kboDigits(entity.number);
  if (entity.kind === 'enterprise') {
    if (enterprises.has(Number(digits))) return { enterpriseDigits: digits, establishmentDigits: null };
  } else {
    const enterprise = enterpriseOf.get(Number(digits));
    if (enterprise !== undefined) return { enterpriseDigits: String(enterprise).padStart(10, '0'), establishmentDigits: digits };
  }
  skipped.unknownEntity += 1;
  return undefined;
}

/** The items of the entity whose rows are being read: a row for one of them again is a duplicate. */
class RepeatedRows {
  private entity = '';
  private items = new Set<string>();

  /** Whether this entity's rows (the consecutive ones) had this item already; remembers it. */
  seen(entity: string, item: string): boolean {
    if (entity !== this.entity) {
      this.entity = entity;
      this.items = new Set();
    }
    const repeated = this.items.has(item);
    this.items.add(item);
    return repeated;
  }
}

/** Progress of an import: reported at most every 250 ms, and at the end of each member. */
class Progress {
  private readonly started = performance.now();
  private readonly totalBytes: number;
  private totalRows = 0;
  private fileRows = 0;
  /** Rows read per member, for the report. */
  readonly rowsPerMember: Record<string, number> = {};
  private lastReport = 0;

  constructor(
    private readonly extract: KboExtract,
    private readonly writer: BatchWriter,
    private readonly onProgress: ((progress: ImportProgress) => void) | undefined,
  ) {
    this.totalBytes = members.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
  }

  rowRead(file: string): void {
    this.fileRows += 1;
    this.totalRows += 1;
    this.report(file, false);
  }

  fileDone(file: string): void {
    if (file !== 'done') this.rowsPerMember[file] = this.fileRows;
    this.report(file, true);
    this.fileRows = 0;
  }

  private report(file: string, force: boolean): void {
    const now = performance.now();
    if (!this.onProgress || (!force && now - this.lastReport < progressEveryMs)) return;
    this.lastReport = now;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    this.onProgress({
      file,
      fileRows: this.fileRows,
      totalRows: this.totalRows,
      rowsPerSecond: this.totalRows / seconds,
      bytesRead: this.extract.bytesRead,
      totalBytes: this.totalBytes,
      itemsWritten: this.writer.written,
      itemsPending: this.writer.pending,
    });
  }
}

export type ImportOrReconcile = { step: 'load'; counts: ImportCounts } | { step: 'reconcile'; result: ReconcileResult };

/** What `kbo:import` does with a Full: load it onto an empty table (or rebuild, forced), or reconcile a newer one. */
export async function importOrReconcile(
  deps: Dependencies,
  zip: string,
  options: ImportOptions & { reconcile?: ReconcileOptions } = {},
): Promise<ImportOrReconcile> {
  const extract = await KboExtract.open(zip);
  let full: number;
  try {
    full = (await extract.meta()).extractNumber;
  } finally {
    extract.close();
  }
  const latest = await getLatestExtract(deps);
  if (fullImportStep(full, latest?.extractNumber, options.force ?? false).step !== 'reconcile')
    return { step: 'load', counts: await importFullExtract(deps, zip, options) };
  const result = await reconcileFullExtract(deps, zip, options.reconcile);
  options.onReport?.(result.report, result.location);
  return { step: 'reconcile', result };
}
