// The kbo-sync state machine's tasks (state-machines/kbo-sync.asl.json):
//   PlanRun       lists the inbox, keeps the Update zips after the last applied extract, stops at a gap;
//   PrepareFile   checks the file's meta and creates its checkpoint (how many slices, the next one);
//   ApplySlice    applies the checkpoint's next slice and moves it on; after the last slice it records the
//                 extract as applied (KBO#EXTRACT), so a file is never applied twice.
// Every task can run again with the same input (a retry, a resumed run) and changes nothing twice.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, memberName, parseExtractName } from '../../shared/adapters/kbo/extract.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { planRun, sliceCountFor, type PendingFile } from '../../shared/domain/kbo-changes.ts';
import { getLatestExtract, recordExtract } from '../../shared/data/kbo.ts';
import { addCounts, advanceCheckpoint, emptyCounts, getCheckpoint, startCheckpoint, type SyncCounts } from '../../shared/data/kbo-changes.ts';
import { logger } from '../../shared/logger.ts';
import { s3ZipSource } from './s3-source.ts';
import { applySlice, type SliceResult } from './sync.ts';

export type RunPlan = { files: PendingFile[]; gap: { expected: number; found: number } | null; hasGap: boolean };
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
  /** Enterprise collections per chunk within a slice (applySlice's default otherwise). */
  collectionsPerChunk?: number;
};

export function createSyncTasks(deps: Dependencies, options: SyncTaskOptions = {}) {
  const open = async (key: string) =>
    KboExtract.open(options.openZip ? await options.openZip(key) : await s3ZipSource(deps, deps.config.KBO_INBOX_BUCKET, key));

  return {
    async planRun(): Promise<RunPlan> {
      const files: PendingFile[] = [];
      let token: string | undefined;
      do {
        const page = await deps.s3.send(new ListObjectsV2Command({ Bucket: deps.config.KBO_INBOX_BUCKET, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          const name = object.Key ? parseExtractName(object.Key) : undefined;
          if (name?.type === 'update') files.push({ key: object.Key!, extractNumber: name.extractNumber });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      const latest = await getLatestExtract(deps);
      const plan = planRun(files, latest?.extractNumber);
      if (plan.gap) logger.error('KBO extract gap: the sync stops before it', { gap: plan.gap, lastApplied: latest?.extractNumber ?? null });
      logger.info('KBO sync run planned', { files: plan.files.map((f) => f.extractNumber), lastApplied: latest?.extractNumber ?? null });
      return { ...plan, hasGap: plan.gap !== null };
    },

    async prepareFile(input: FileInput): Promise<FileState> {
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
    },

    async applySlice(input: FileInput): Promise<FileState> {
      const checkpoint = await getCheckpoint(deps, input.extractNumber);
      if (!checkpoint) throw new Error(`no checkpoint for extract ${input.extractNumber}: PrepareFile first`);
      if (checkpoint.finishedAt) return { ...input, done: true, nextSlice: checkpoint.nextSlice, sliceCount: checkpoint.sliceCount };
      const slice = checkpoint.nextSlice;
      const extract = await open(input.key);
      let counts: SyncCounts;
      try {
        const meta = await extract.meta();
        const started = performance.now();
        const result = await applySlice(deps, {
          extract,
          meta,
          fileName: extract.fileName,
          slice,
          sliceCount: checkpoint.sliceCount,
          collectionsPerChunk: options.collectionsPerChunk,
        });
        counts = addCounts(checkpoint.counts, result.counts);
        options.onSlice?.(result);
        logger.info('KBO sync slice applied', {
          extractNumber: input.extractNumber,
          slice,
          sliceCount: checkpoint.sliceCount,
          counts: result.counts,
          requests: result.requests,
          phases: result.phases,
          ms: Math.round(performance.now() - started),
        });
        const last = slice + 1 >= checkpoint.sliceCount;
        // The extract record first: once the checkpoint says finished, the file counts as applied.
        if (last)
          await recordExtract(deps, {
            extractNumber: meta.extractNumber,
            type: 'update',
            snapshotDate: meta.snapshotDate,
            extractTimestamp: meta.extractTimestamp,
            fileName: extract.fileName,
            counts,
          });
        await advanceCheckpoint(deps, input.extractNumber, slice, counts, last);
        return { ...input, done: last, nextSlice: slice + 1, sliceCount: checkpoint.sliceCount };
      } finally {
        extract.close();
      }
    },
  };
}

export type SyncTasks = ReturnType<typeof createSyncTasks>;
