// The kbo-sync state machine's tasks (state-machines/kbo-sync.asl.json):
//   PlanRun       lists the inbox, keeps the Update zips after the last applied extract, stops at a gap;
//   PrepareFile   checks the file's meta and format (every member, header and record) and creates its
//                 checkpoint (how many slices, the next one);
//   ApplySlice    applies the checkpoint's next slice and moves it on; after the last slice it records the
//                 extract as applied (its extract record), so a file is never applied twice.
// Every task can run again with the same input (a retry, a resumed run) and changes nothing twice.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, memberName, parseExtractName } from '../../shared/adapters/kbo/extract.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { listInbox, s3ZipSource } from '../../shared/adapters/kbo/s3-source.ts';
import { addCounts, describeGap, emptyCounts, planRun, sliceCountFor, type PendingFile } from '../../shared/domain/kbo-changes.ts';
import { getLatestExtract, recordExtract } from '../../shared/data/kbo.ts';
import { advanceCheckpoint, getCheckpoint, startCheckpoint } from '../../shared/data/kbo-changes.ts';
import { getSliceParts, putReport, putSlicePart } from '../../shared/data/kbo-reports.ts';
import { updateReport } from '../../shared/domain/kbo-report.ts';
import { logger } from '../../shared/logger.ts';
import { applySlice, type SliceResult } from './apply-slice.ts';

/** A gap: the numbers `expected` up to `found` are missing; `cause` says so with the file that waits (the ASL's Cause). */
export type ExtractGap = { expected: number; found: number; lastApplied: number | null; firstWaiting: string; cause: string };
export type RunPlan = { files: PendingFile[]; gap: ExtractGap | null; hasGap: boolean };
export type FileInput = PendingFile;
export type FileState = PendingFile & { done: boolean; nextSlice: number; sliceCount: number; skipped?: string };

/** The delta members the sync reads; their sizes decide the number of slices. */
const syncMembers = (['enterprise', 'establishment', 'denomination', 'address'] as const).flatMap((t) => [memberName(t, 'delete'), memberName(t, 'insert')]);

export class ExtractOutOfOrder extends Error {
  override name = 'ExtractOutOfOrder';
}

export type SyncTaskOptions = {
  openZip?: (key: string) => Promise<ZipSource>;
  /** Called with each applied slice's counts, requests and time per step (the bench reads them). */
  onSlice?: (result: SliceResult) => void;
  /** Entities per chunk within a slice (applySlice's default otherwise). */
  entitiesPerChunk?: number;
};

export function createSyncTasks(deps: Dependencies, options: SyncTaskOptions = {}) {
  const open = async (key: string) =>
    KboExtract.open(options.openZip ? await options.openZip(key) : await s3ZipSource(deps, deps.config.KBO_INBOX_BUCKET, key));
  return {
    planRun: (): Promise<RunPlan> => planFiles(deps),
    prepareFile: (input: FileInput): Promise<FileState> => prepareFile(deps, open, input),
    applySlice: (input: FileInput): Promise<FileState> => applyNextSlice(deps, open, options, input),
  };
}

export type SyncTasks = ReturnType<typeof createSyncTasks>;

type Open = (key: string) => Promise<KboExtract>;

async function planFiles(deps: Dependencies): Promise<RunPlan> {
  const files = (await listInbox(deps, deps.config.KBO_INBOX_BUCKET)).flatMap((key) => {
    const name = parseExtractName(key);
    return name?.type === 'update' ? [{ key, extractNumber: name.extractNumber }] : [];
  });
  const latest = await getLatestExtract(deps);
  const plan = planRun(files, latest?.extractNumber);
  let gap: ExtractGap | null = null;
  if (plan.gap) {
    const { expected, found } = plan.gap;
    const firstWaiting = files.find((f) => f.extractNumber === found)!.key;
    // The execution fails on the gap only after this run applied the files before it (a failing file fails it
    // first): by then the last applied extract is the one just before the gap.
    const lastApplied = latest ? expected - 1 : null;
    gap = { expected, found, lastApplied, firstWaiting, cause: describeGap(plan.gap, lastApplied ?? undefined, firstWaiting) };
    logger.error('KBO extract gap: the sync stops before it', { gap });
  }
  logger.info('KBO sync run planned', { files: plan.files.map((f) => f.extractNumber), lastApplied: latest?.extractNumber ?? null });
  return { files: plan.files, gap, hasGap: gap !== null };
}

async function prepareFile(deps: Dependencies, open: Open, input: FileInput): Promise<FileState> {
  const latest = await getLatestExtract(deps);
  if (latest && latest.extractNumber >= input.extractNumber) return { ...input, done: true, nextSlice: 0, sliceCount: 0, skipped: 'already applied' };
  const existing = await getCheckpoint(deps, input.extractNumber);
  if (existing) return { ...input, done: existing.finishedAt !== null, nextSlice: existing.nextSlice, sliceCount: existing.sliceCount };
  // Only on the previous extract: a diff applied on another base would corrupt the table.
  if (!latest || latest.extractNumber !== input.extractNumber - 1)
    throw new ExtractOutOfOrder(
      `extract ${input.extractNumber} needs ${input.extractNumber - 1} applied first (last applied: ${latest?.extractNumber ?? 'none'})`,
    );
  const extract = await open(input.key);
  try {
    const meta = await extract.meta();
    if (meta.extractType !== 'update' || meta.extractNumber !== input.extractNumber)
      throw new ExtractOutOfOrder(`${input.key}: meta.csv says ${meta.extractType} ${meta.extractNumber}`);
    // The first pass, before the checkpoint exists: every member there with its header and every record
    // parsed, writing nothing (an Update is small enough). A file that breaks the format fails here, whole,
    // instead of in a slice after others were applied and with a checkpoint a next run would resume from.
    await extract.checkFormat('update', { records: true });
    const bytes = syncMembers.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
    const checkpoint = await startCheckpoint(deps, {
      extractNumber: meta.extractNumber,
      fileKey: input.key,
      snapshotDate: meta.snapshotDate,
      extractTimestamp: meta.extractTimestamp,
      sliceCount: sliceCountFor(bytes, deps.config.KBO_SYNC_SLICE_BYTES),
      nextSlice: 0,
      counts: emptyCounts(),
      startedAt: deps.clock.now().toISOString(),
      finishedAt: null,
    });
    return { ...input, done: false, nextSlice: checkpoint.nextSlice, sliceCount: checkpoint.sliceCount };
  } finally {
    extract.close();
  }
}

async function applyNextSlice(deps: Dependencies, open: Open, options: SyncTaskOptions, input: FileInput): Promise<FileState> {
  const checkpoint = await getCheckpoint(deps, input.extractNumber);
  if (!checkpoint) throw new Error(`no checkpoint for extract ${input.extractNumber}: PrepareFile first`);
  if (checkpoint.finishedAt) return { ...input, done: true, nextSlice: checkpoint.nextSlice, sliceCount: checkpoint.sliceCount };
  const { nextSlice: slice, sliceCount } = checkpoint;
  const extract = await open(input.key);
  try {
    const meta = await extract.meta();
    const started = performance.now();
    const result = await applySlice(deps, { extract, meta, fileName: extract.fileName, slice, sliceCount, entitiesPerChunk: options.entitiesPerChunk });
    options.onSlice?.(result);
    const { counts, requests, phases } = result;
    logger.info('KBO sync slice applied', {
      extractNumber: input.extractNumber,
      slice,
      sliceCount,
      counts,
      requests,
      phases,
      ms: Math.round(performance.now() - started),
    });
    const fileCounts = addCounts(checkpoint.counts, counts);
    const last = slice + 1 >= sliceCount;
    await putSlicePart(deps, extract.fileName, result.report);
    // The report and the extract record first: once the checkpoint says finished, the file counts as applied.
    if (last) {
      const { extractNumber, snapshotDate, extractTimestamp } = meta;
      const header = { fileName: extract.fileName, extractNumber, extractType: 'update' as const, snapshotDate, appliedAt: deps.clock.now().toISOString() };
      const report = updateReport({ ...header, counts: fileCounts }, await getSliceParts(deps, extract.fileName, sliceCount));
      const location = await putReport(deps, report);
      logger.info('KBO sync file applied', { extractNumber, location, empty: report.empty, rejectedRows: report.rejectedRows.length });
      await recordExtract(deps, { extractNumber, type: 'update', snapshotDate, extractTimestamp, fileName: extract.fileName, counts: fileCounts });
    }
    await advanceCheckpoint(deps, input.extractNumber, slice, fileCounts, last);
    return { ...input, done: last, nextSlice: slice + 1, sliceCount };
  } finally {
    extract.close();
  }
}
