// Applies one slice of a KBO Open Data Update extract to the table and records what changed for the
// partnerships. A slice is the entities whose number falls in it (sliceOf). Each KBO entity is one item at a key
// its number gives (shared/data/kbo.ts), so a slice reads with BatchGets and writes each changed entity once. Its
// steps, in an order that survives a crash at any point:
//   1. rows      read the slice's delta rows, per entity (slice-rows.ts);
//   2. items     BatchGet the touched entities' items (100 computed keys per request);
//      owners    BatchGet the enterprises new and moved establishments join or leave, when not touched: whether
//                a new establishment's enterprise is known (the rest is skipped), and their lists;
//   3. detect    the new items and the detected changes (slice-entities.ts, pure);
//   4. route     an enterprise's change concerns its establishments: its item lists them (no request);
//   5. changes   BatchGet the active recognitions of the affected establishments and store the change records
//                (transactions of conditional puts on deterministic ids);
//   6. writes    write the changed items (BatchWrite, one put per changed entity);
//   7. messages  send the slice's stored change records to the changes queue.
// Steps 2 to 6 go through the entities a chunk at a time, each chunk in that order (its change records are stored
// before its items are written), so memory holds the slice's rows and one chunk's items. A re-run of a slice after
// a crash in step 6 sees part of the new state and finds fewer changes, but the records of the first attempt are
// already stored and step 7 sends all of them; consumers are idempotent.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { BatchWriter, getEntityItems, type KboItem } from '../../shared/data/kbo.ts';
import { activeRecognitionsOn, changesOfSlice, putChanges, sendChangeMessages } from '../../shared/data/kbo-changes.ts';
import type { KboMeta } from '../../shared/domain/kbo.ts';
import { changeRecords, emptyCounts, type ChangeSource, type RoutedChange, type SyncCounts } from '../../shared/domain/kbo-changes.ts';
import type { SliceReportPart } from '../../shared/domain/kbo-report.ts';
import { applyRows, ownersToRead, routeChanges, routingLists } from './slice-entities.ts';
import { readSliceRows, type DeltaSource, type TouchedEntity } from './slice-rows.ts';

export type SliceInput = {
  extract: DeltaSource;
  meta: KboMeta;
  fileName: string;
  slice: number;
  sliceCount: number;
  /** Entities per chunk of steps 2 to 6 (default 3200: 32 BatchGets, two rounds at the parallelism); tests make it small. */
  entitiesPerChunk?: number;
  /**
   * A reconciling Full reload (kbo-import/reconcile.ts): the enterprises of the Full. Entities the table does not
   * know are then added (the Full is the register), not skipped as an Update's new enterprises are.
   */
  reloadEnterprises?: ReadonlySet<number>;
};

export type StepFigures = { ms: number; reads: number; writes: number };

export type SliceResult = {
  counts: SyncCounts;
  /** The slice's part of the file's report. */
  report: SliceReportPart;
  requests: { reads: number; writes: number; messages: number };
  /** Per step, summed over the chunks: where a slice's time goes (the log and the bench read it). */
  phases: Record<string, StepFigures>;
};

/** Requests in flight per step. */
const parallel = 16;

export async function applySlice(deps: Dependencies, input: SliceInput): Promise<SliceResult> {
  const steps = new StepLog();
  const counts = emptyCounts();
  const { extractNumber } = input.meta;

  const rows = await readSliceRows(input.extract, input.slice, input.sliceCount);
  counts.rows = rows.rows;
  counts.invalidRows = rows.invalidRows;
  counts.duplicateRows = rows.duplicateRows;
  steps.end('rows');

  const source = { extractNumber, snapshotDate: input.meta.snapshotDate, fileName: input.fileName, slice: input.slice };
  const entities = [...rows.entities.values()];
  const perChunk = input.entitiesPerChunk ?? 3200;
  for (let i = 0; i < entities.length; i += perChunk) {
    const chunk = entities.slice(i, i + perChunk);
    const known = await readKnownEntities(deps, chunk, steps, input.reloadEnterprises);

    const outcome = applyRows(chunk, {
      ...known,
      extractNumber,
      stoppingEnterprises: rows.stoppingEnterprises,
      stoppingEstablishments: rows.stoppingEstablishments,
      listedEstablishments: rows.listedEstablishments,
      reloadEnterprises: input.reloadEnterprises,
    });
    counts.entitiesApplied += outcome.entitiesApplied;
    counts.unknownEntities += outcome.unknownEntities;
    counts.itemsUnchanged += outcome.itemsUnchanged;
    steps.end('detect');

    const routed = routeChanges(outcome.changes, routingLists(outcome.changes, known.stored));
    steps.end('route');

    const stored = await storeChangeRecords(deps, routed, { ...source, detectedAt: deps.clock.now().toISOString() }, steps);
    counts.changes += stored.created;
    counts.changesWithoutRecognitions += stored.withoutRecognitions;
    steps.end('changes');

    counts.itemsWritten += await writeSliceItems(deps, outcome.puts, steps);
    steps.end('writes');
  }

  // Also when this attempt found nothing: an earlier, crashed attempt may have stored records and not sent them.
  const stored = await sendSliceMessages(deps, extractNumber, input.slice, steps);
  steps.end('messages');
  const report: SliceReportPart = {
    slice: input.slice,
    rowsPerMember: rows.rowsPerMember,
    rejectedRows: rows.rejectedRows,
    changes: stored,
    changesWithoutRecognitions: counts.changesWithoutRecognitions,
    duplicateRows: counts.duplicateRows,
    unknownEntities: counts.unknownEntities,
  };
  return { counts, report, requests: steps.requests, phases: steps.phases };
}

/**
 * Step 2: the stored item of every entity of the chunk the table knows (one BatchGet per 100), and those of the
 * enterprises new and moved establishments join or leave (few).
 */
async function readKnownEntities(deps: Dependencies, entities: readonly TouchedEntity[], steps: StepLog, reloadEnterprises?: ReadonlySet<number>) {
  const options = { parallel, onRequest: steps.read };
  const stored = await getEntityItems(deps, entities, options);
  steps.end('items');
  // A new establishment of a known enterprise is kept (the enterprise may apply for it); a new enterprise is not.
  const owners = await getEntityItems(
    deps,
    ownersToRead(entities, stored, reloadEnterprises).map((digits) => ({ kind: 'enterprise' as const, digits })),
    options,
  );
  steps.end('owners');
  return { stored, owners };
}

/** Step 5: the recognitions on the affected establishments decide who gets a record; the new records are stored. */
async function storeChangeRecords(deps: Dependencies, changes: readonly RoutedChange[], source: ChangeSource, steps: StepLog) {
  const affected = [...new Set(changes.flatMap((c) => c.establishments))];
  const recognitions = await activeRecognitionsOn(deps, affected, { parallel, onRequest: steps.read });
  const { records, withoutRecognitions } = changeRecords(changes, (digits) => recognitions.get(digits) ?? [], source);
  const created = await putChanges(deps, records, () => steps.wrote());
  return { created, withoutRecognitions };
}

/** Step 6: the changed items, in overlapping BatchWrites; returns how many DynamoDB accepted. */
async function writeSliceItems(deps: Dependencies, puts: readonly KboItem[], steps: StepLog): Promise<number> {
  const writer = new BatchWriter(deps, { parallel });
  for (const item of puts) await writer.put(item);
  await writer.flush();
  steps.wrote(Math.ceil(puts.length / 25));
  return writer.written;
}

/** Step 7: every stored record of the slice, also those of an earlier attempt, to the partnerships' queue. */
async function sendSliceMessages(deps: Dependencies, extractNumber: number, slice: number, steps: StepLog) {
  const stored = await changesOfSlice(deps, extractNumber, slice, steps.read);
  steps.requests.messages += await sendChangeMessages(deps, stored);
  return stored;
}

/** Time and DynamoDB requests per step, summed over the chunks. */
class StepLog {
  readonly requests = { reads: 0, writes: 0, messages: 0 };
  readonly phases: Record<string, StepFigures> = {};
  private since = { at: performance.now(), reads: 0, writes: 0 };

  readonly read = () => void (this.requests.reads += 1);
  readonly wrote = (requests = 1) => void (this.requests.writes += requests);

  /** Books the time and requests since the previous step's end on `step`. */
  end(step: string): void {
    const now = { at: performance.now(), reads: this.requests.reads, writes: this.requests.writes };
    const sum = (this.phases[step] ??= { ms: 0, reads: 0, writes: 0 });
    sum.ms += Math.round(now.at - this.since.at);
    sum.reads += now.reads - this.since.reads;
    sum.writes += now.writes - this.since.writes;
    this.since = now;
  }
}
