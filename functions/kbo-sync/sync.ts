// Applies one slice of a KBO Open Data Update extract to the table and records what changed for the
// partnerships. The format's rule (shared/kbo-open-data.md, section 4): per table, the delete file removes
// ALL rows of the listed entities and the insert file holds each affected entity's complete current rows, so
// an entity's new state is "old rows of tables not in a delete file" plus "its insert rows".
//
// A slice is the entities whose number falls in it (sliceOf). It is applied in an order that survives a
// crash at any point: (1) read the slice's rows, (2) BatchGet which entities the table knows: an enterprise's
// PROFILE, an establishment's home (`EST#<d>` / `ENTERPRISE`, since its address and name rows do not name its
// enterprise); the rest is skipped, (3) Query the item collections of the known entities, (4) detect changes,
// (5) BatchGet the recognition links of the affected establishments (`EST#<d>` / `RECOGNITIONS`) and those
// recognitions, and store the change records (transactions of conditional puts on deterministic ids),
// (6) write the new items, (7) send the slice's stored change records to the changes queue. A re-run of a
// slice after a crash in (6) sees part of the new state, finds fewer changes, but the records of the first
// attempt are already stored and (7) sends all of them; consumers are idempotent.
//
// Stopped entities keep their items (names, address) with `status: 'stopped'`: the change review and the
// enterprise profile still show what the entity was.
import { isDeepStrictEqual } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems, keyString, type StoredItem } from '../../shared/data/batch-get.ts';
import { recognitionKey, recognitionLinksKey } from '../../shared/data/recognitions.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import type { KboExtract, RowIssue } from '../../shared/adapters/kbo/extract.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import {
  describeName,
  displayName,
  presentAddress,
  toAddressRecord,
  toEnterpriseRecord,
  toEstablishmentRecord,
  toNameRecord,
  type AddressRecord,
  type AddressRow,
  type DenominationRow,
  type EnterpriseRow,
  type EstablishmentRow,
  type KboMeta,
} from '../../shared/domain/kbo.ts';
import { changeId, detectChanges, sliceOf, type DetectedChange, type EntityState } from '../../shared/domain/kbo-changes.ts';
import {
  addressItem,
  BatchWriter,
  enterpriseItem,
  enterprisePk,
  establishmentHomeItem,
  establishmentHomeKey,
  establishmentItem,
  establishmentSk,
  nameItem,
  type ItemKey,
  type KboItem,
  type KboOwner,
} from '../../shared/data/kbo.ts';
import {
  changesOfSlice,
  emptyCounts,
  putChanges,
  sendChangeMessages,
  type AffectedRecognition,
  type KboChange,
  type SyncCounts,
} from '../../shared/data/kbo-changes.ts';

type Item = StoredItem;

/**
 * Whether a new item says what the stored one says. The extract number is left out (it is the extract that last
 * changed the item), and a missing attribute equals null (the document client drops undefined values).
 */
function sameItem(stored: Item, next: KboItem): boolean {
  for (const key of new Set([...Object.keys(stored), ...Object.keys(next)])) {
    if (key !== 'kboExtractNumber' && !isDeepStrictEqual(stored[key] ?? null, next[key] ?? null)) return false;
  }
  return true;
}

/** A stored item's record without its keys, to write it under another key. */
const withoutKeys = ({ pk: _a, sk: _b, kind: _c, gsi1pk: _d, gsi1sk: _e, ...record }: Item) => record;

/** Everything one slice's delta files say about one entity. */
type Touched = {
  kind: 'enterprise' | 'establishment';
  number: string;
  digits: string;
  /** Tables whose delete file lists this entity: `self` is enterprise.csv or establishment.csv. */
  deleted: Set<'self' | 'denomination' | 'address'>;
  enterpriseRow: EnterpriseRow | undefined;
  establishmentRow: EstablishmentRow | undefined;
  names: DenominationRow[];
  addresses: AddressRow[];
};

export type SliceInput = {
  extract: KboExtract;
  meta: KboMeta;
  fileName: string;
  slice: number;
  sliceCount: number;
  /** Enterprise collections per chunk of steps 3 to 6 (default 1000); tests make it small. */
  collectionsPerChunk?: number;
};
export type SliceResult = {
  counts: SyncCounts;
  requests: { reads: number; writes: number; messages: number };
  phases: Record<string, { ms: number; reads: number; writes: number }>;
};

const parallel = 16;

/** Runs `fn` over items with at most `limit` at once. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

export async function applySlice(deps: Dependencies, input: SliceInput): Promise<SliceResult> {
  const { extract, meta, slice, sliceCount } = input;
  const counts = emptyCounts();
  const requests = { reads: 0, writes: 0, messages: 0 };
  const table = deps.config.TABLE_NAME;
  const readOptions = { onInvalid: (_issue: RowIssue) => void (counts.invalidRows += 1) };
  const mine = (digits: string) => sliceOf(digits, sliceCount) === slice;
  // Time and requests per step, for the log and the bench: where a slice's time goes.
  const phases: SliceResult['phases'] = {};
  let phaseStart = { at: performance.now(), reads: 0, writes: 0 };
  const endPhase = (name: string) => {
    const now = { at: performance.now(), reads: requests.reads, writes: requests.writes };
    const sum = (phases[name] ??= { ms: 0, reads: 0, writes: 0 });
    sum.ms += Math.round(now.at - phaseStart.at);
    sum.reads += now.reads - phaseStart.reads;
    sum.writes += now.writes - phaseStart.writes;
    phaseStart = now;
  };

  // --- 1. the slice's rows --------------------------------------------------------------------------------
  const touched = new Map<string, Touched>();
  const touch = (kind: Touched['kind'], number: string): Touched => {
    const digits = kboDigits(number);
    let t = touched.get(digits);
    if (!t)
      touched.set(digits, (t = { kind, number, digits, deleted: new Set(), enterpriseRow: undefined, establishmentRow: undefined, names: [], addresses: [] }));
    return t;
  };
  // Which enterprises stop is needed by every slice (an establishment of a stopping enterprise reports no stop
  // of its own): these two sets hold numbers, not rows.
  const enterprisesDeleted = new Set<number>();
  const enterprisesInserted = new Set<number>();
  for await (const number of extract.deletedEnterprises(readOptions)) {
    const digits = kboDigits(number);
    enterprisesDeleted.add(Number(digits));
    if (mine(digits)) {
      counts.rows += 1;
      touch('enterprise', number).deleted.add('self');
    }
  }
  for await (const row of extract.enterprises('insert', readOptions)) {
    const digits = kboDigits(row.enterpriseNumber);
    enterprisesInserted.add(Number(digits));
    if (mine(digits)) {
      counts.rows += 1;
      touch('enterprise', row.enterpriseNumber).enterpriseRow = row;
    }
  }
  for await (const number of extract.deletedEstablishments(readOptions)) {
    if (!mine(kboDigits(number))) continue;
    counts.rows += 1;
    touch('establishment', number).deleted.add('self');
  }
  for await (const row of extract.establishments('insert', readOptions)) {
    if (!mine(kboDigits(row.establishmentNumber))) continue;
    counts.rows += 1;
    touch('establishment', row.establishmentNumber).establishmentRow = row;
  }
  for (const child of ['denomination', 'address'] as const) {
    for await (const entity of extract.deletedEntities(child, readOptions)) {
      if (entity.kind === 'branch' || !mine(kboDigits(entity.number))) continue;
      counts.rows += 1;
      touch(entity.kind, entity.number).deleted.add(child);
    }
  }
  for await (const row of extract.denominations('insert', readOptions)) {
    if (row.entity.kind === 'branch' || !mine(kboDigits(row.entity.number))) continue;
    counts.rows += 1;
    touch(row.entity.kind, row.entity.number).names.push(row);
  }
  for await (const row of extract.addresses('insert', readOptions)) {
    if (row.entity.kind === 'branch' || !mine(kboDigits(row.entity.number))) continue;
    counts.rows += 1;
    touch(row.entity.kind, row.entity.number).addresses.push(row);
  }
  const stoppingEnterprises = new Set([...enterprisesDeleted].filter((n) => !enterprisesInserted.has(n)));
  enterprisesDeleted.clear();
  enterprisesInserted.clear();

  endPhase('rows');

  // --- 2. which entities the table knows: batched ---------------------------------------------------------
  const getItems = (keys: ItemKey[], attributes: string[]) => batchGetItems(deps, keys, { attributes, parallel, onRequest: () => void (requests.reads += 1) });

  const enterprises = [...touched.values()].filter((t) => t.kind === 'enterprise');
  const establishments = [...touched.values()].filter((t) => t.kind === 'establishment');
  const knownProfiles = await getItems(
    enterprises.map((t) => ({ pk: enterprisePk(t.digits), sk: 'PROFILE' })),
    [],
  );
  /** Known entity -> the enterprise collection it lives in now. */
  const homeOf = new Map<string, string>();
  for (const t of enterprises) if (knownProfiles.has(keyString({ pk: enterprisePk(t.digits), sk: 'PROFILE' }))) homeOf.set(t.digits, t.digits);

  // Where each establishment lives: its address and name rows do not say.
  const homeItems = await getItems(
    establishments.map((t) => establishmentHomeKey(t.digits)),
    ['enterpriseDigits'],
  );
  for (const t of establishments) {
    const home = homeItems.get(keyString(establishmentHomeKey(t.digits)))?.enterpriseDigits;
    if (typeof home === 'string') homeOf.set(t.digits, home);
  }

  // A new establishment of a known enterprise is kept (the enterprise may apply for it); a new enterprise is not.
  const newEstablishments = establishments.filter((t) => !homeOf.has(t.digits) && t.establishmentRow && !t.deleted.has('self'));
  const knownOwners = await getItems(
    [...new Set(newEstablishments.map((t) => kboDigits(t.establishmentRow!.enterpriseNumber)))].map((d) => ({ pk: enterprisePk(d), sk: 'PROFILE' })),
    [],
  );

  endPhase('known');

  // Steps 3 to 6 go through the entities a chunk of enterprise collections at a time: memory holds the slice's
  // rows and one chunk's collections, not every collection the slice touches. Each chunk keeps the crash order
  // above (its change records are stored before its items are written).
  const applyChunk = async (entities: Touched[], homes: string[]) => {
    // --- 3. the item collections of the chunk's entities ---------------------------------------------------
    const collections = new Map<string, Item[]>();
    await pool(homes, parallel, async (enterpriseDigits) => {
      const items: Item[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        requests.reads += 1;
        const page = await deps.db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': enterprisePk(enterpriseDigits) },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...((page.Items ?? []) as Item[]));
        start = page.LastEvaluatedKey;
      } while (start);
      collections.set(enterpriseDigits, items);
    });

    endPhase('collections');

    // --- 4. new items and detected changes ------------------------------------------------------------------
    const deletes: ItemKey[] = [];
    const puts: KboItem[] = [];
    const detected: { change: DetectedChange; establishments: string[] }[] = [];
    const names = (items: Item[]) =>
      displayName(
        items.map((i) => describeName({ language: String(i.language ?? '0'), type: String(i.type ?? ''), denomination: String(i.denomination ?? '') })),
      );
    const address = (item: Item | KboItem | undefined) => (item ? presentAddress(item as unknown as AddressRecord) : null);
    const mainAddressType = (kind: Touched['kind']) => (kind === 'enterprise' ? 'REGO' : 'BAET');

    for (const t of entities) {
      const home = homeOf.get(t.digits);
      if (!home) {
        if (
          t.kind === 'establishment' &&
          t.establishmentRow &&
          knownOwners.has(keyString({ pk: enterprisePk(kboDigits(t.establishmentRow.enterpriseNumber)), sk: 'PROFILE' }))
        ) {
          const owner: KboOwner = { enterpriseDigits: kboDigits(t.establishmentRow.enterpriseNumber), establishmentDigits: t.digits };
          puts.push(establishmentItem(toEstablishmentRecord(t.establishmentRow, meta.extractNumber)));
          puts.push(establishmentHomeItem({ enterpriseDigits: owner.enterpriseDigits, establishmentDigits: t.digits }));
          for (const row of t.names) puts.push(nameItem(owner, toNameRecord(row)));
          for (const row of t.addresses) puts.push(addressItem(owner, toAddressRecord(row)));
          counts.entitiesApplied += 1;
        } else counts.unknownEntities += 1;
        continue;
      }
      counts.entitiesApplied += 1;
      const collection = collections.get(home) ?? [];
      const prefix = t.kind === 'enterprise' ? '' : `${establishmentSk(t.digits)}#`;
      const selfSk = t.kind === 'enterprise' ? 'PROFILE' : establishmentSk(t.digits);
      const self = collection.find((i) => i.sk === selfSk);
      // An enterprise's own names and addresses start with NAME#/ADDR#; an establishment's with EST#<digits>#.
      const oldNames = collection.filter((i) => i.sk.startsWith(`${prefix}NAME#`));
      const oldAddresses = collection.filter((i) => i.sk.startsWith(`${prefix}ADDR#`));
      if (!self) {
        counts.unknownEntities += 1;
        continue;
      }
      const before: EntityState = {
        kind: t.kind,
        number: String(self[t.kind === 'enterprise' ? 'enterpriseNumber' : 'establishmentNumber']),
        enterpriseNumber: String(self.enterpriseNumber),
        status: self.status === 'stopped' ? 'stopped' : 'active',
        address: address(oldAddresses.find((i) => i.sk === `${prefix}ADDR#${mainAddressType(t.kind)}`)),
        name: names(oldNames),
        juridicalSituation: t.kind === 'enterprise' ? String(self.juridicalSituation ?? '') || null : null,
      };

      const stops = t.deleted.has('self') && !(t.enterpriseRow ?? t.establishmentRow);
      let after: EntityState | undefined;
      if (stops) {
        // Already stopped (a re-run): nothing to write.
        if (self.status !== 'stopped') puts.push({ ...(self as KboItem), status: 'stopped', kboExtractNumber: meta.extractNumber });
        else counts.itemsUnchanged += 1;
        after = undefined;
      } else {
        const newSelf: KboItem = t.enterpriseRow
          ? enterpriseItem(toEnterpriseRecord(t.enterpriseRow, meta.extractNumber))
          : t.establishmentRow
            ? establishmentItem(toEstablishmentRecord(t.establishmentRow, meta.extractNumber))
            : (self as KboItem);
        const newHome = t.establishmentRow ? kboDigits(t.establishmentRow.enterpriseNumber) : home;
        const owner: KboOwner = { enterpriseDigits: newHome, establishmentDigits: t.kind === 'establishment' ? t.digits : null };
        const moved = newHome !== home;
        // Rows of a table in a delete file are replaced by the insert rows; the other tables keep their rows
        // (moved into the new collection when the establishment changed enterprise).
        const keepNames = !t.deleted.has('denomination');
        const keepAddresses = !t.deleted.has('address');
        const nextNames: KboItem[] = [
          ...(keepNames
            ? oldNames.map((i) =>
                nameItem(owner, {
                  entityNumber: String(i.entityNumber),
                  language: String(i.language),
                  type: String(i.type),
                  denomination: String(i.denomination),
                }),
              )
            : []),
          ...t.names.map((row) => nameItem(owner, toNameRecord(row))),
        ];
        const nextAddresses: KboItem[] = [
          ...(keepAddresses ? oldAddresses.map((i) => addressItem(owner, withoutKeys(i) as unknown as AddressRecord)) : []),
          ...t.addresses.map((row) => addressItem(owner, toAddressRecord(row))),
        ];
        const nextKeys = new Set([newSelf, ...nextNames, ...nextAddresses].map(keyString));
        for (const old of [self, ...oldNames, ...oldAddresses]) if (!nextKeys.has(keyString(old))) deletes.push({ pk: old.pk, sk: old.sk });
        // KBO restates rows (delete + the same insert): an item that would be written as it is stored is skipped.
        const stored = new Map([self, ...oldNames, ...oldAddresses].map((i) => [keyString(i), i]));
        const put = (item: KboItem) => {
          const old = stored.get(keyString(item));
          if (old && sameItem(old, item)) counts.itemsUnchanged += 1;
          else puts.push(item);
        };
        if (t.enterpriseRow || t.establishmentRow || moved) put(newSelf);
        if (moved) puts.push(establishmentHomeItem({ enterpriseDigits: newHome, establishmentDigits: t.digits }));
        if (!keepNames || t.names.length || moved) nextNames.forEach(put);
        if (!keepAddresses || t.addresses.length || moved) nextAddresses.forEach(put);
        after = {
          kind: t.kind,
          number: before.number,
          enterpriseNumber: String(newSelf.enterpriseNumber),
          status: 'active',
          address: address(nextAddresses.find((i) => i.sk.endsWith(`ADDR#${mainAddressType(t.kind)}`))),
          name: names(nextNames as Item[]),
          juridicalSituation: t.enterpriseRow?.juridicalSituation ?? before.juridicalSituation,
        };
      }

      for (const change of detectChanges(before, after)) {
        // The stop of an enterprise covers its establishments: one change, not one per establishment.
        if (change.kind === 'stopped' && t.kind === 'establishment' && stoppingEnterprises.has(Number(home))) continue;
        const establishmentsAffected = t.kind === 'establishment' ? [t.digits] : collection.filter((i) => /^EST#\d{10}$/.test(i.sk)).map((i) => i.sk.slice(4));
        detected.push({ change, establishments: establishmentsAffected });
      }
    }

    endPhase('detect');

    // --- 5. route the changes and store their records -------------------------------------------------------
    // The recognitions on the affected establishments: their ids from the links, then their current state.
    const affected = [...new Set(detected.flatMap((d) => d.establishments))];
    const links = await getItems(affected.map(recognitionLinksKey), ['recognitionIds']);
    const recognitionIdsOf = new Map<string, string[]>();
    for (const digits of affected) {
      const ids = links.get(keyString(recognitionLinksKey(digits)))?.recognitionIds;
      recognitionIdsOf.set(digits, ids instanceof Set ? [...(ids as Set<string>)] : []);
    }
    const recognitionItems = await getItems(affected.flatMap((d) => recognitionIdsOf.get(d) ?? []).map(recognitionKey), [
      'id',
      'establishmentNumber',
      'programmeId',
      'partnershipId',
      'status',
    ]);
    const recognitionsOf = new Map<string, (AffectedRecognition & { partnershipId: string })[]>();
    for (const digits of affected) {
      const active = (recognitionIdsOf.get(digits) ?? [])
        .map((id) => recognitionItems.get(keyString(recognitionKey(id))))
        .filter((r): r is Item => r?.status === 'active');
      recognitionsOf.set(
        digits,
        active.map((r) => ({
          id: String(r.id),
          establishmentNumber: String(r.establishmentNumber),
          programmeId: String(r.programmeId),
          partnershipId: String(r.partnershipId),
        })),
      );
    }

    const now = deps.clock.now().toISOString();
    const records: KboChange[] = [];
    for (const { change, establishments: affected } of detected) {
      const byPartnership = new Map<string, AffectedRecognition[]>();
      for (const digits of affected) {
        for (const { partnershipId, ...recognition } of recognitionsOf.get(digits) ?? []) {
          byPartnership.set(partnershipId, [...(byPartnership.get(partnershipId) ?? []), recognition]);
        }
      }
      if (byPartnership.size === 0) counts.changesWithoutRecognitions += 1;
      for (const [partnershipId, recognitions] of byPartnership) {
        records.push({
          ...change,
          id: changeId(meta.extractNumber, change, partnershipId),
          extractNumber: meta.extractNumber,
          snapshotDate: meta.snapshotDate,
          fileName: input.fileName,
          slice,
          partnershipId,
          recognitions,
          status: 'open',
          decision: null,
          detectedAt: now,
          version: 1,
        });
      }
    }
    counts.changes += await putChanges(deps, [...new Map(records.map((r) => [r.id, r])).values()], () => void (requests.writes += 1));
    endPhase('changes');

    // --- 6. the new items -----------------------------------------------------------------------------------
    const writer = new BatchWriter(deps);
    for (const key of deletes) await writer.delete(key);
    for (const item of puts) await writer.put(item);
    await writer.flush();
    counts.itemsWritten += writer.written;
    requests.writes += Math.ceil((deletes.length + puts.length) / 25);

    endPhase('items');
  };

  const byHome = new Map<string, Touched[]>();
  const homeless: Touched[] = [];
  for (const t of touched.values()) {
    const home = homeOf.get(t.digits);
    if (!home) homeless.push(t);
    else if (byHome.has(home)) byHome.get(home)!.push(t);
    else byHome.set(home, [t]);
  }
  await applyChunk(homeless, []);
  const homes = [...byHome.keys()];
  // About ten items per collection: a chunk of 1000 is a few MB of heap.
  const collectionsPerChunk = input.collectionsPerChunk ?? 1000;
  for (let i = 0; i < homes.length; i += collectionsPerChunk) {
    const chunk = homes.slice(i, i + collectionsPerChunk);
    await applyChunk(
      chunk.flatMap((home) => byHome.get(home)!),
      chunk,
    );
  }

  // --- 7. the slice's change records to the partnerships' queue -------------------------------------------
  // Also when this attempt found nothing: an earlier, crashed attempt may have stored records and not sent them.
  const stored = await changesOfSlice(deps, meta.extractNumber, slice, () => void (requests.reads += 1));
  requests.messages += await sendChangeMessages(deps, stored);
  endPhase('messages');
  return { counts, requests, phases };
}
