// The kbo-full-import state machine's tasks (state-machines/kbo-full-import.asl.json), the deployed path of
// `kbo:import`:
//   PrepareFull  checks the Full (meta, every member with its header), decides load, reconcile or refuse as
//                importOrReconcile does (fullImportStep), splits it into parts in S3 (full-parts.ts) and writes
//                the manifest the Distributed Map reads; a run started again reuses the parts of the first;
//   ApplyPart    one part per invocation (the map's items run in parallel): load writes its items with the
//                import's writer (applyFullRows), reconcile applies it as slice `index` of the reload through the
//                sync's applySlice (change records and partnership messages included); then its marker, so a
//                resumed run skips it;
//   FinishFull   checks that every part has its marker, writes the file's report and records the extract.
// Every task can run again with the same input and changes nothing twice.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, type ReadOptions, type RowIssue } from '../../shared/adapters/kbo/extract.ts';
import { s3ZipSource } from '../../shared/adapters/kbo/s3-source.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { addCounts, emptyCounts, fullImportStep, sliceCountFor, type SyncCounts } from '../../shared/domain/kbo-changes.ts';
import { fullReport, updateReport, type KboFileReport, type RejectedRow, type SliceReportPart } from '../../shared/domain/kbo-report.ts';
import { forgetExtractsAfter, getLatestExtract, knownEntityDigits, recordExtract } from '../../shared/data/kbo.ts';
import {
  clearPartMarkers,
  finishFullImportRun,
  getFullImportRun,
  getPartMarker,
  listPartMarkers,
  markPartApplied,
  putFullImportRun,
  type FullImportRun,
  type FullImportStepKind,
} from '../../shared/data/kbo-full-import.ts';
import { getSliceParts, putReport, putSlicePart } from '../../shared/data/kbo-reports.ts';
import { logger } from '../../shared/logger.ts';
import { applySlice } from '../kbo-sync/apply-slice.ts';
import type { DeltaSource } from '../kbo-sync/slice-rows.ts';
import { applyFullRows, FullNotNewer, type ImportCounts } from './full-import.ts';
import { elsewhereMember, goneMembers, sourceRecordColumn, splitFull, type FullPart } from './full-parts.ts';
import { FullAsUpdate } from './reconcile.ts';

/** How ops starts it: the zip's key in the KBO inbox bucket; `force` rebuilds from a Full not newer than the table's. */
export type FullImportInput = { key: string; force?: boolean };

/** PrepareFull's output, the state the map and FinishFull read. */
export type PreparedFull = {
  key: string;
  fileName: string;
  extractNumber: number;
  step: FullImportStepKind;
  partCount: number;
  manifest: { bucket: string; key: string };
  /** The Distributed Map's MaxConcurrencyPath (KBO_FULL_IMPORT_CONCURRENCY). */
  maxConcurrency: number;
};

/** One item of the map: the prepared file and one part of the manifest. */
export type PartInput = { file: PreparedFull; part: FullPart };
export type PartOutput = { part: number; skipped: boolean };
export type FinishedFull = { extractNumber: number; step: FullImportStepKind; report: string; empty: boolean; counts: Record<string, unknown> };

/** The file is not a Full extract: fails the execution at once (not retried). */
export class NotAFullExtract extends Error {
  override name = 'NotAFullExtract';
}

/** FinishFull found parts without a marker: the map cannot have succeeded; start the execution again. */
export class FullPartsMissing extends Error {
  override name = 'FullPartsMissing';
}

const members = ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv'];

export type FullImportTaskOptions = {
  /** Opens a zip by its key in the inbox bucket (S3 by default; the tests' fault injection replaces it). */
  openZip?: (key: string) => Promise<ZipSource>;
  /** Where PrepareFull stages the part files (the system's temporary folder by default: a Lambda's /tmp). */
  stagingDirectory?: string;
};

export function createFullImportTasks(deps: Dependencies, options: FullImportTaskOptions = {}) {
  const open = async (key: string) =>
    KboExtract.open(options.openZip ? await options.openZip(key) : await s3ZipSource(deps, deps.config.KBO_INBOX_BUCKET, key));
  return {
    prepareFull: (input: FullImportInput): Promise<PreparedFull> => prepareFull(deps, open, options, input),
    applyPart: (input: PartInput): Promise<PartOutput> => applyPart(deps, open, input),
    finishFull: (input: PreparedFull): Promise<FinishedFull> => finishFull(deps, input),
  };
}

export type FullImportTasks = ReturnType<typeof createFullImportTasks>;

type Open = (key: string) => Promise<KboExtract>;

async function prepareFull(deps: Dependencies, open: Open, options: FullImportTaskOptions, input: FullImportInput): Promise<PreparedFull> {
  const extract = await open(input.key);
  try {
    const meta = await extract.meta();
    if (meta.extractType !== 'full') throw new NotAFullExtract(`${input.key} is an ${meta.extractType} extract; the Full import needs a Full extract`);
    const prepared = (run: FullImportRun): PreparedFull => ({
      key: run.fileKey,
      fileName: run.fileName,
      extractNumber: run.extractNumber,
      step: run.step,
      partCount: run.partCount,
      manifest: { bucket: deps.config.KBO_INBOX_BUCKET, key: run.manifestKey },
      maxConcurrency: deps.config.KBO_FULL_IMPORT_CONCURRENCY,
    });
    // A run started again after a failed part: the same parts, the same decision (the extract is recorded only
    // at the end, so the table's extract still says what it said when the run began).
    const earlier = await getFullImportRun(deps, meta.extractNumber);
    if (earlier && earlier.finishedAt === null && earlier.fileKey === input.key) {
      logger.info('KBO Full import resumed', { extractNumber: meta.extractNumber, step: earlier.step, parts: earlier.partCount });
      return prepared(earlier);
    }
    const latest = await getLatestExtract(deps);
    const decision = fullImportStep(meta.extractNumber, latest?.extractNumber, input.force ?? false);
    if (decision.step === 'refuse') throw new FullNotNewer(`${extract.fileName}: ${decision.message}`);
    if (decision.message) logger.warn('KBO Full import', { message: decision.message });
    // Every member the format defines, with its header, before anything is written (records are checked as the
    // parts are applied: a Full is too big for a first pass of every record).
    await extract.checkFormat('full');
    const step: FullImportStepKind = decision.step;
    // A rebuild from an older Full: the extracts after it are applied again by the sync.
    if (step === 'load' && latest && meta.extractNumber <= latest.extractNumber) await forgetExtractsAfter(deps, meta.extractNumber);
    // Markers of an earlier import of the same extract (a rebuild) would make this one skip its parts.
    await clearPartMarkers(deps, meta.extractNumber);
    const bytes = members.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
    const partCount = sliceCountFor(bytes, deps.config.KBO_FULL_PART_BYTES);
    const known = step === 'reconcile' ? await knownEntityDigits(deps) : undefined;
    const started = performance.now();
    const split = await splitFull(deps, extract, {
      partCount,
      ...(known ? { known } : {}),
      ...(options.stagingDirectory ? { stagingDirectory: options.stagingDirectory } : {}),
    });
    logger.info('KBO Full split into parts', {
      extractNumber: meta.extractNumber,
      step,
      partCount,
      rows: split.rows,
      gone: split.gone,
      ms: Math.round(performance.now() - started),
    });
    const run: FullImportRun = {
      extractNumber: meta.extractNumber,
      fileKey: input.key,
      fileName: extract.fileName,
      step,
      partCount,
      manifestKey: split.manifestKey,
      snapshotDate: meta.snapshotDate,
      extractTimestamp: meta.extractTimestamp,
      startedAt: deps.clock.now().toISOString(),
      finishedAt: null,
    };
    await putFullImportRun(deps, run);
    return prepared(run);
  } finally {
    extract.close();
  }
}

async function applyPart(deps: Dependencies, open: Open, { file, part }: PartInput): Promise<PartOutput> {
  if (await getPartMarker(deps, file.extractNumber, part.index)) return { part: part.index, skipped: true };
  const extract = await open(part.key);
  try {
    const meta = await extract.meta();
    const rejected = new RejectedRows();
    const elsewhere = await numbersOf(extract, elsewhereMember, 'EnterpriseNumber');
    const started = performance.now();
    let counts: ImportCounts | SyncCounts;
    if (file.step === 'load') {
      const applied = await applyFullRows(deps, extract, file.extractNumber, { enterprisesElsewhere: elsewhere, onInvalidRow: rejected.add });
      counts = applied.counts;
      await putSlicePart(deps, file.fileName, {
        slice: part.index,
        rowsPerMember: applied.rowsPerMember,
        rejectedRows: rejected.rows,
        changes: [],
        changesWithoutRecognitions: 0,
        duplicateRows: applied.counts.duplicateRows,
        unknownEntities: applied.counts.skipped.unknownEntity,
      });
    } else {
      const gone = {
        enterprises: (await textsOf(extract, goneMembers.enterprise, 'EnterpriseNumber')) ?? [],
        establishments: (await textsOf(extract, goneMembers.establishment, 'EstablishmentNumber')) ?? [],
      };
      const inPart = new Set<number>();
      for await (const row of extract.enterprises('full', { onInvalid: () => undefined })) inPart.add(Number(kboDigits(row.enterpriseNumber)));
      const source = new RejectingSource(new FullAsUpdate(extract, gone), rejected.add);
      const result = await applySlice(deps, {
        extract: source,
        meta,
        fileName: file.fileName,
        slice: part.index,
        sliceCount: file.partCount,
        reloadEnterprises: new Set([...inPart, ...elsewhere]),
      });
      counts = { ...result.counts, invalidRows: rejected.rows.length };
      await putSlicePart(deps, file.fileName, { ...result.report, rejectedRows: rejected.rows });
    }
    await markPartApplied(deps, file.extractNumber, part.index, counts as unknown as Record<string, unknown>);
    logger.info('KBO Full part applied', {
      extractNumber: file.extractNumber,
      part: part.index,
      partCount: file.partCount,
      counts,
      ms: Math.round(performance.now() - started),
    });
    return { part: part.index, skipped: false };
  } finally {
    extract.close();
  }
}

async function finishFull(deps: Dependencies, file: PreparedFull): Promise<FinishedFull> {
  const run = await getFullImportRun(deps, file.extractNumber);
  if (!run) throw new FullPartsMissing(`${file.fileName}: no Full import run for extract ${file.extractNumber}: PrepareFull first`);
  const markers = await listPartMarkers(deps, file.extractNumber);
  const applied = new Set(markers.map((m) => m.part));
  const missing = Array.from({ length: file.partCount }, (_, i) => i).filter((i) => !applied.has(i));
  if (missing.length)
    throw new FullPartsMissing(`${file.fileName}: parts ${missing.join(', ')} of ${file.partCount} are not applied; start the execution again`);
  const parts = await getSliceParts(deps, file.fileName, file.partCount);
  const header = {
    fileName: file.fileName,
    extractNumber: file.extractNumber,
    extractType: 'full' as const,
    snapshotDate: run.snapshotDate,
    appliedAt: deps.clock.now().toISOString(),
  };
  let counts: Record<string, unknown>;
  let report: KboFileReport;
  if (file.step === 'load') {
    const sum = sumImportCounts(markers.map((m) => m.counts as unknown as ImportCounts));
    counts = sum as unknown as Record<string, unknown>;
    report = fullReport({ ...header, counts }, loadFigures(parts));
  } else {
    const sum = markers.reduce((total, m) => addCounts(total, m.counts as unknown as SyncCounts), emptyCounts());
    counts = sum as unknown as Record<string, unknown>;
    report = updateReport({ ...header, counts }, parts);
  }
  const location = await putReport(deps, report);
  await recordExtract(deps, {
    extractNumber: file.extractNumber,
    type: 'full',
    snapshotDate: run.snapshotDate,
    extractTimestamp: run.extractTimestamp,
    fileName: file.fileName,
    counts,
  });
  await finishFullImportRun(deps, file.extractNumber);
  logger.info('KBO Full import finished', {
    extractNumber: file.extractNumber,
    step: file.step,
    location,
    empty: report.empty,
    rejectedRows: report.rejectedRows.length,
  });
  return { extractNumber: file.extractNumber, step: file.step, report: location, empty: report.empty, counts };
}

/** A load's report figures from the parts (each row is in one part only, so the sums are the Full's). */
function loadFigures(parts: readonly SliceReportPart[]) {
  const rowsPerMember: Record<string, number> = {};
  for (const part of parts) for (const [member, rows] of Object.entries(part.rowsPerMember)) rowsPerMember[member] = (rowsPerMember[member] ?? 0) + rows;
  return {
    rowsPerMember,
    rejectedRows: parts.flatMap((p) => p.rejectedRows),
    duplicateRows: parts.reduce((sum, p) => sum + p.duplicateRows, 0),
    unknownEntities: parts.reduce((sum, p) => sum + p.unknownEntities, 0),
  };
}

function sumImportCounts(all: readonly ImportCounts[]): ImportCounts {
  const total: ImportCounts = {
    enterprises: 0,
    establishments: 0,
    names: 0,
    addresses: 0,
    duplicateRows: 0,
    skipped: { branchRows: 0, unknownEntity: 0, invalid: 0 },
  };
  for (const c of all) {
    total.enterprises += c.enterprises;
    total.establishments += c.establishments;
    total.names += c.names;
    total.addresses += c.addresses;
    total.duplicateRows += c.duplicateRows;
    total.skipped.branchRows += c.skipped.branchRows;
    total.skipped.unknownEntity += c.skipped.unknownEntity;
    total.skipped.invalid += c.skipped.invalid;
  }
  return total;
}

/** The rejected rows of a part, at their record numbers in the Full (the part rows carry them: sourceRecordColumn). */
class RejectedRows {
  readonly rows: RejectedRow[] = [];
  readonly add = (issue: RowIssue) => {
    const source = Number(issue.values[sourceRecordColumn]);
    this.rows.push({ member: issue.member, record: Number.isInteger(source) && source > 0 ? source : issue.record, reason: issue.reason });
  };
}

/**
 * The reload's delta of one part, with every unusable row of the part reported by `onInvalid`: the sync's slice
 * reports them in slice 0 only (each slice of an Update reads every row), but a part holds its own rows only.
 */
class RejectingSource implements DeltaSource {
  private readonly options: ReadOptions;

  constructor(
    private readonly source: FullAsUpdate,
    onInvalid: (issue: RowIssue) => void,
  ) {
    this.options = { onInvalid };
  }

  deletedEnterprises = (options?: ReadOptions) => this.source.deletedEnterprises(options);
  enterprises = (part?: unknown) => this.source.enterprises(part, this.options);
  deletedEstablishments = (options?: ReadOptions) => this.source.deletedEstablishments(options);
  establishments = (part?: unknown) => this.source.establishments(part, this.options);
  deletedEntities = (table: 'denomination' | 'address' | 'contact' | 'activity', options?: ReadOptions) => this.source.deletedEntities(table, options);
  denominations = (part?: unknown) => this.source.denominations(part, this.options);
  addresses = (part?: unknown) => this.source.addresses(part, this.options);
  establishmentLinks = () => this.source.establishmentLinks();
}

/** The formatted numbers of a one-column member of a part; undefined when the part lacks it. */
async function textsOf(extract: KboExtract, member: string, column: string): Promise<string[] | undefined> {
  if (!extract.has(member)) return undefined;
  const found: string[] = [];
  for await (const values of extract.records(member, { columns: [column] })) if (values[column]) found.push(values[column]);
  return found;
}

async function numbersOf(extract: KboExtract, member: string, column: string): Promise<Set<number>> {
  return new Set(((await textsOf(extract, member, column)) ?? []).map((text) => Number(kboDigits(text))));
}
