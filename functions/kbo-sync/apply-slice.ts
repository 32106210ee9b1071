// Applies one slice of a KBO Open Data Update extract to the table and records what changed for the
// partnerships. A slice is the entities whose number falls in it (sliceOf). Its steps, in an order that
// survives a crash at any point:
//   1. rows         read the slice's delta rows, per entity (slice-rows.ts);
//   2. known        BatchGet which entities the table knows: an enterprise's profile, an establishment's home
//                   (its address and name rows do not name its enterprise); the rest is skipped;
//   3. collections  Query the item collections of the known entities;
//   4. detect       the new items and the detected changes (slice-entities.ts, pure);
//   5. changes      BatchGet the active recognitions of the affected establishments and store the change
//                   records (transactions of conditional puts on deterministic ids);
//   6. items        write the new items;
//   7. messages     send the slice's stored change records to the changes queue.
// Steps 3 to 6 go through the entities a chunk of enterprise collections at a time, each chunk in that order
// (its change records are stored before its items are written), so memory holds the slice's rows and one
// chunk's collections. A re-run of a slice after a crash in step 6 sees part of the new state and finds fewer
// changes, but the records of the first attempt are already stored and step 7 sends all of them; consumers
// are idempotent.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { BatchWriter, establishmentHomes, getCollections, knownEnterprises, type ItemKey, type KboItem } from '../../shared/data/kbo.ts';
import { activeRecognitionsOn, changesOfSlice, putChanges, sendChangeMessages } from '../../shared/data/kbo-changes.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import type { KboMeta } from '../../shared/domain/kbo.ts';
import { changeRecords, emptyCounts, type ChangeSource, type RoutedChange, type SyncCounts } from '../../shared/domain/kbo-changes.ts';
import type { SliceReportPart } from '../../shared/domain/kbo-report.ts';
import { applyRows } from './slice-entities.ts';
import { readSliceRows, type DeltaSource, type TouchedEntity } from './slice-rows.ts';

export type SliceInput = {
  extract: DeltaSource;
  meta: KboMeta;
  fileName: string;
  slice: number;
  sliceCount: number;
  /** Enterprise collections per chunk of steps 3 to 6 (default 1000); tests make it small. */
  collectionsPerChunk?: number;
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

  const known = await lookUpKnownEntities(deps, [...rows.entities.values()], steps);
  steps.end('known');

  const source = { extractNumber, snapshotDate: input.meta.snapshotDate, fileName: input.fileName, slice: input.slice };
  for (const chunk of chunks([...rows.entities.values()], known.homeOf, input.collectionsPerChunk ?? 1000)) {
    const collections = await getCollections(deps, chunk.homes, { parallel, onRequest: steps.read });
    steps.end('collections');

    const outcome = applyRows(chunk.entities, {
      ...known,
      extractNumber,
      collections,
      stoppingEnterprises: rows.stoppingEnterprises,
      reloadEnterprises: input.reloadEnterprises,
    });
    counts.entitiesApplied += outcome.entitiesApplied;
    counts.unknownEntities += outcome.unknownEntities;
    counts.itemsUnchanged += outcome.itemsUnchanged;
    steps.end('detect');

    const stored = await storeChangeRecords(deps, outcome.changes, { ...source, detectedAt: deps.clock.now().toISOString() }, steps);
    counts.changes += stored.created;
    counts.changesWithoutRecognitions += stored.withoutRecognitions;
    steps.end('changes');

    counts.itemsWritten += await writeSliceItems(deps, outcome.deletes, outcome.puts, steps);
    steps.end('items');
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

/** Step 2: where each known entity lives now, and which enterprises of new establishments are known. */
async function lookUpKnownEntities(deps: Dependencies, entities: readonly TouchedEntity[], steps: StepLog) {
  const options = { parallel, onRequest: steps.read };
  const enterprises = entities.filter((t) => t.kind === 'enterprise');
  const establishments = entities.filter((t) => t.kind === 'establishment');
  const known = await knownEnterprises(
    deps,
    enterprises.map((t) => t.digits),
    options,
  );
  const homeOf = new Map<string, string>();
  for (const t of enterprises) if (known.has(t.digits)) homeOf.set(t.digits, t.digits);
  const homes = await establishmentHomes(
    deps,
    establishments.map((t) => t.digits),
    options,
  );
  for (const t of establishments) {
    const home = homes.get(t.digits);
    if (home !== undefined) homeOf.set(t.digits, home);
  }
  // A new establishment of a known enterprise is kept (the enterprise may apply for it); a new enterprise is not.
  const newEstablishments = establishments.filter((t) => !homeOf.has(t.digits) && t.establishmentRow && !t.deleted.has('self'));
  const knownOwners = await knownEnterprises(deps, [...new Set(newEstablishments.map((t) => kboDigits(t.establishmentRow!.enterpriseNumber)))], options);
  return { homeOf, knownOwners };
}

/**
 * The chunks of steps 3 to 6: first the entities the table does not know (no collection to read), then the
 * known ones by the collection they live in, `perChunk` collections at a time (about ten items each: a chunk
 * of 1000 is a few MB of heap).
 */
function chunks(entities: readonly TouchedEntity[], homeOf: ReadonlyMap<string, string>, perChunk: number) {
  const byHome = new Map<string, TouchedEntity[]>();
  const homeless: TouchedEntity[] = [];
  for (const t of entities) {
    const home = homeOf.get(t.digits);
    if (!home) homeless.push(t);
    else if (byHome.has(home)) byHome.get(home)!.push(t);
    else byHome.set(home, [t]);
  }
  const homes = [...byHome.keys()];
  const result: { entities: TouchedEntity[]; homes: string[] }[] = [{ entities: homeless, homes: [] }];
  for (let i = 0; i < homes.length; i += perChunk) {
    const chunk = homes.slice(i, i + perChunk);
    result.push({ entities: chunk.flatMap((home) => byHome.get(home)!), homes: chunk });
  }
  return result;
}

/** Step 5: the recognitions on the affected establishments decide who gets a record; the new records are stored. */
async function storeChangeRecords(deps: Dependencies, changes: readonly RoutedChange[], source: ChangeSource, steps: StepLog) {
  const affected = [...new Set(changes.flatMap((c) => c.establishments))];
  const recognitions = await activeRecognitionsOn(deps, affected, { parallel, onRequest: steps.read });
  const { records, withoutRecognitions } = changeRecords(changes, (digits) => recognitions.get(digits) ?? [], source);
  const created = await putChanges(deps, records, () => steps.wrote());
  return { created, withoutRecognitions };
}

/** Step 6: deletes first, then puts, in overlapping BatchWrites; returns how many DynamoDB accepted. */
async function writeSliceItems(deps: Dependencies, deletes: readonly ItemKey[], puts: readonly KboItem[], steps: StepLog): Promise<number> {
  const writer = new BatchWriter(deps);
  for (const key of deletes) await writer.delete(key);
  for (const item of puts) await writer.put(item);
  await writer.flush();
  steps.wrote(Math.ceil((deletes.length + puts.length) / 25));
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
