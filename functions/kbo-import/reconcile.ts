// A reconciling Full reload: Full N onto a table at extract M < N (after a gap, or to check the table). The Full
// is read as if it were one Update from M to N: every entity it lists has all its rows deleted and its rows of
// the Full inserted, and every entity the table knows that the Full lacks is deleted (it left KBO). The sync's
// slices then apply that delta unchanged (functions/kbo-sync/apply-slice.ts): the same change detection, the
// same change records and partnership tasks, names and addresses the Full no longer has removed, restated rows
// not written again, stopped entities kept as stopped. What the sync skips as new (an enterprise founded after
// M) is added: the Full is the register.
//
// Resumable like the sync: the checkpoint (KBO#SYNC / N) says which slice is next; a run again continues there.
// Each slice reads the whole Full and keeps its own entities (sliceOf), so the slices are large (sliceBytes).
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { KboExtract, type ReadOptions } from '../../shared/adapters/kbo/extract.ts';
import type { ZipSource } from '../../shared/adapters/kbo/source.ts';
import { getLatestExtract, knownEntityDigits, recordExtract } from '../../shared/data/kbo.ts';
import { advanceCheckpoint, startCheckpoint } from '../../shared/data/kbo-changes.ts';
import { getReport, getSliceParts, putReport, putSlicePart, reportKey } from '../../shared/data/kbo-reports.ts';
import { formatEnterpriseNumber, formatEstablishmentNumber, kboDigits } from '../../shared/domain/identifiers.ts';
import type { EntityRef, KboMeta } from '../../shared/domain/kbo.ts';
import { addCounts, emptyCounts, sliceCountFor, type SyncCounts } from '../../shared/domain/kbo-changes.ts';
import { updateReport, type KboFileReport } from '../../shared/domain/kbo-report.ts';
import { applySlice, type SliceResult } from '../kbo-sync/apply-slice.ts';
import type { DeltaSource } from '../kbo-sync/slice-rows.ts';
import { establishmentLinks } from './full-parts.ts';

export type ReconcileOptions = {
  /** Uncompressed bytes of the four members per slice (default 64 MiB): memory holds one slice's rows. */
  sliceBytes?: number;
  onSlice?: (result: SliceResult, slice: number, sliceCount: number) => void;
};

export type ReconcileResult = { counts: SyncCounts; report: KboFileReport; location: string; gone: { enterprises: number; establishments: number } };

const members = ['enterprise.csv', 'establishment.csv', 'denomination.csv', 'address.csv'];

/** Applies Full `zip` onto a table holding an older extract; the caller checked the order (fullImportStep). */
export async function reconcileFullExtract(deps: Dependencies, zip: string | ZipSource, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const extract = await KboExtract.open(zip);
  try {
    const meta = await extract.meta();
    if (meta.extractType !== 'full') throw new Error(`${extract.fileName} is an ${meta.extractType} extract; a reload needs a Full extract`);
    const latest = await getLatestExtract(deps);
    if (!latest || latest.extractNumber >= meta.extractNumber)
      throw new Error(`${extract.fileName}: a reload needs a table at an older extract (it is at ${latest?.extractNumber ?? 'none'})`);
    await extract.checkFormat('full');
    const inFull = await entitiesOf(extract);
    const known = await knownEntityDigits(deps);
    const gone = {
      enterprises: known.enterprises.filter((digits) => !inFull.enterprises.has(Number(digits))).map(formatEnterpriseNumber),
      establishments: known.establishments.filter((digits) => !inFull.establishments.has(Number(digits))).map(formatEstablishmentNumber),
    };
    const source = new FullAsUpdate(extract, gone);
    const bytes = members.reduce((sum, m) => sum + (extract.size(m) ?? 0), 0);
    const checkpoint = await startCheckpoint(deps, {
      extractNumber: meta.extractNumber,
      fileKey: extract.fileName,
      snapshotDate: meta.snapshotDate,
      extractTimestamp: meta.extractTimestamp,
      sliceCount: sliceCountFor(bytes, options.sliceBytes ?? 64 * 1024 * 1024),
      nextSlice: 0,
      counts: emptyCounts(),
      startedAt: deps.clock.now().toISOString(),
      finishedAt: null,
    });
    let counts = checkpoint.counts;
    for (let slice = checkpoint.nextSlice; slice < checkpoint.sliceCount; slice++) {
      const result = await applySlice(deps, {
        extract: source,
        meta,
        fileName: extract.fileName,
        slice,
        sliceCount: checkpoint.sliceCount,
        reloadEnterprises: inFull.enterprises,
      });
      options.onSlice?.(result, slice, checkpoint.sliceCount);
      counts = addCounts(counts, result.counts);
      await putSlicePart(deps, extract.fileName, result.report);
      const last = slice + 1 === checkpoint.sliceCount;
      if (last) await finish(deps, extract.fileName, meta, counts, checkpoint.sliceCount);
      await advanceCheckpoint(deps, meta.extractNumber, slice, counts, last);
    }
    // Stored by the last slice (this run's or, when resumed after it, an earlier run's).
    const report = (await getReport(deps, meta.extractNumber))!;
    return {
      counts: report.counts as SyncCounts,
      report,
      location: `s3://${deps.config.KBO_INBOX_BUCKET}/${reportKey(extract.fileName)}`,
      gone: { enterprises: gone.enterprises.length, establishments: gone.establishments.length },
    };
  } finally {
    extract.close();
  }
}

/** The report, then the extract record: once recorded, Full N is the table's extract and the next Update is N+1. */
async function finish(deps: Dependencies, fileName: string, meta: KboMeta, counts: SyncCounts, sliceCount: number): Promise<void> {
  const { extractNumber, snapshotDate, extractTimestamp } = meta;
  const header = { fileName, extractNumber, extractType: 'full' as const, snapshotDate, appliedAt: deps.clock.now().toISOString(), counts };
  await putReport(deps, updateReport(header, await getSliceParts(deps, fileName, sliceCount)));
  await recordExtract(deps, { extractNumber, type: 'full', snapshotDate, extractTimestamp, fileName, counts });
}

/** The enterprise and establishment numbers the Full lists (numbers, not strings: millions in a real Full). */
async function entitiesOf(extract: KboExtract): Promise<{ enterprises: Set<number>; establishments: Set<number> }> {
  const quiet: ReadOptions = { onInvalid: () => undefined };
  const enterprises = new Set<number>();
  for await (const row of extract.enterprises('full', quiet)) enterprises.add(Number(kboDigits(row.enterpriseNumber)));
  const establishments = new Set<number>();
  for await (const row of extract.establishments('full', quiet)) establishments.add(Number(kboDigits(row.establishmentNumber)));
  return { enterprises, establishments };
}

/**
 * A Full as the delta from the table to it: every listed entity deleted from every table and inserted as the
 * Full has it, every gone entity deleted. The delete lists read the members without reporting unusable rows:
 * the insert pass reports each once.
 */
export class FullAsUpdate implements DeltaSource {
  constructor(
    private readonly full: KboExtract,
    private readonly gone: { enterprises: readonly string[]; establishments: readonly string[] },
  ) {}

  async *deletedEnterprises(_options: ReadOptions = {}): AsyncGenerator<string> {
    for await (const row of this.full.enterprises('full', { onInvalid: () => undefined })) yield row.enterpriseNumber;
    yield* this.gone.enterprises;
  }

  enterprises(_part?: unknown, options: ReadOptions = {}) {
    return this.full.enterprises('full', options);
  }

  async *deletedEstablishments(_options: ReadOptions = {}): AsyncGenerator<string> {
    for await (const row of this.full.establishments('full', { onInvalid: () => undefined })) yield row.establishmentNumber;
    yield* this.gone.establishments;
  }

  establishments(_part?: unknown, options: ReadOptions = {}) {
    return this.full.establishments('full', options);
  }

  /** Every listed entity's names and addresses are replaced by the Full's (none when it has none). */
  async *deletedEntities(_table: 'denomination' | 'address' | 'contact' | 'activity', _options: ReadOptions = {}): AsyncGenerator<EntityRef> {
    const quiet = { onInvalid: () => undefined };
    for await (const row of this.full.enterprises('full', quiet)) yield { kind: 'enterprise', number: row.enterpriseNumber };
    for await (const row of this.full.establishments('full', quiet)) yield { kind: 'establishment', number: row.establishmentNumber };
  }

  denominations(_part?: unknown, options: ReadOptions = {}) {
    return this.full.denominations('full', options);
  }

  addresses(_part?: unknown, options: ReadOptions = {}) {
    return this.full.addresses('full', options);
  }

  /** A part of the Full (full-parts.ts): the establishments of its enterprises in other parts. */
  establishmentLinks() {
    return establishmentLinks(this.full);
  }
}
