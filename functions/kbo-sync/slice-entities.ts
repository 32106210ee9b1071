// Step 3 of a slice: what the delta rows make of each entity, against its stored item. Pure: from the rows and
// the stored items to the items to write and the changes to report.
//
// An entity's new state is "old rows of tables not in a delete file" plus "its insert rows", all in its one item
// (record, names, addresses). Stopped entities keep their item (names, address) with status stopped: the change
// review and the enterprise profile still show what the entity was. A new establishment of a known enterprise is
// kept (the enterprise may apply for it); a new enterprise is not.
//
// An enterprise's item lists its establishments (the sync routes an enterprise's change to them from it). An
// Update changes that list when an establishment is added or moves to another enterprise: the establishment's
// rows say so, and its slice writes the enterprises whose list changes (read with the chunk's other items), as a
// change of those enterprises. A stopped establishment stays listed (its item stays, stopped). A reconciling
// reload gives every enterprise of the Full its whole list (its establishments in the Full, and those it had
// that left KBO), so there no slice writes another slice's enterprise: the parts of a reload run in parallel.
import type { StoredItem } from '../../shared/data/batch-get.ts';
import {
  addressesOf,
  addressOfType,
  enterpriseItem,
  establishmentItem,
  establishmentList,
  establishmentsOfItem,
  namesOf,
  sameItem,
  type EntityAddress,
  type EntityName,
  type KboItem,
} from '../../shared/data/kbo.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import {
  describeName,
  displayName,
  mainAddressType,
  presentAddress,
  toAddressRecord,
  toEnterpriseRecord,
  toEstablishmentRecord,
  type AddressRecord,
  type DenominationRow,
  type EnterpriseRecord,
  type EstablishmentRecord,
} from '../../shared/domain/kbo.ts';
import { detectChanges, type DetectedChange, type EntityState, type RoutedChange } from '../../shared/domain/kbo-changes.ts';
import type { TouchedEntity } from './slice-rows.ts';

/** What the earlier steps found out: the stored item of each known entity, and the known owners of new establishments. */
export type KnownFacts = {
  extractNumber: number;
  /** The stored item of each touched entity the table knows, by its digits. */
  stored: ReadonlyMap<string, StoredItem>;
  /**
   * The stored items of the enterprises that establishments of the chunk join or leave and that the chunk does
   * not touch itself (ownersToRead): whether a new establishment's enterprise is known, and their lists.
   */
  owners: ReadonlyMap<string, StoredItem>;
  stoppingEnterprises: ReadonlySet<number>;
  /** Establishments deleted without an insert, of every slice: in a reload, those that left KBO. */
  stoppingEstablishments?: ReadonlySet<number> | undefined;
  /** Per enterprise of the slice, the establishments the rows place there (SliceRows.listedEstablishments). */
  listedEstablishments?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** A reconciling Full reload: the Full's enterprises, which are added when the table does not know them. */
  reloadEnterprises?: ReadonlySet<number> | undefined;
};

/** A detected change of one entity; an enterprise's is routed to its establishments (routeChanges) once they are read. */
export type FoundChange = { change: DetectedChange; kind: 'enterprise' | 'establishment'; digits: string };

/** The outcome of the rows of some entities: at most one write per entity, the changes found and counts. */
export type EntityOutcome = {
  puts: KboItem[];
  changes: FoundChange[];
  entitiesApplied: number;
  unknownEntities: number;
  itemsUnchanged: number;
};

const nothing = (): EntityOutcome => ({ puts: [], changes: [], entitiesApplied: 0, unknownEntities: 0, itemsUnchanged: 0 });

export function applyRows(entities: readonly TouchedEntity[], facts: KnownFacts): EntityOutcome {
  const total = nothing();
  const moves = facts.reloadEnterprises ? new Map<string, ListChange>() : listChanges(entities, facts);
  for (const entity of entities) {
    const stored = facts.stored.get(entity.digits);
    const outcome = stored ? knownEntity(entity, stored, facts, moves.get(entity.digits)) : newEntity(entity, facts);
    total.puts.push(...outcome.puts);
    total.changes.push(...outcome.changes);
    total.entitiesApplied += outcome.entitiesApplied;
    total.unknownEntities += outcome.unknownEntities;
    total.itemsUnchanged += outcome.itemsUnchanged;
  }
  // The enterprises the chunk does not touch whose list changes: one write each, a change of that enterprise.
  const touched = new Set(entities.map((e) => e.digits));
  for (const [digits, change] of moves) {
    const owner = facts.owners.get(digits) ?? facts.stored.get(digits);
    if (touched.has(digits) || !owner) continue;
    const list = changedList(owner, change);
    if (!list) continue;
    total.puts.push({ ...(owner as KboItem), establishmentNumbers: list, kboExtractNumber: facts.extractNumber });
    total.entitiesApplied += 1;
  }
  return total;
}

/** Establishments (digits) an enterprise's list gains and loses. */
type ListChange = { add: Set<string>; remove: Set<string> };

/** The enterprise a touched establishment's rows place it at, when it goes on (not a stop). */
const ownerByRows = (t: TouchedEntity): string | undefined =>
  t.kind === 'establishment' && t.establishmentRow ? kboDigits(t.establishmentRow.enterpriseNumber) : undefined;

/** An Update's changes of enterprises' lists: a new establishment joins its enterprise, a moved one leaves its old one. */
function listChanges(entities: readonly TouchedEntity[], facts: KnownFacts): Map<string, ListChange> {
  const changes = new Map<string, ListChange>();
  const of = (enterprise: string) => {
    let change = changes.get(enterprise);
    if (!change) changes.set(enterprise, (change = { add: new Set(), remove: new Set() }));
    return change;
  };
  for (const t of entities) {
    const to = ownerByRows(t);
    if (!to) continue;
    const stored = facts.stored.get(t.digits);
    const from = stored ? kboDigits(String(stored.enterpriseNumber)) : undefined;
    if (from === to) continue;
    if (!stored && (t.deleted.has('self') || !ownerKnown(to, facts))) continue;
    of(to).add.add(t.digits);
    if (from) of(from).remove.add(t.digits);
  }
  return changes;
}

/** The list of an enterprise item after a change; undefined when it stays the same. */
function changedList(item: Record<string, unknown>, change: ListChange): string[] | undefined {
  const before = establishmentsOfItem(item);
  const after = establishmentList([...before.filter((d) => !change.remove.has(d)), ...change.add]);
  return isSameList(before, after) ? undefined : after;
}

const isSameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Whether the table knows an enterprise (touched in the chunk or read as an owner), or a reload's Full has it. */
const ownerKnown = (digits: string, facts: KnownFacts) =>
  facts.stored.has(digits) || facts.owners.has(digits) || (facts.reloadEnterprises?.has(Number(digits)) ?? false);

/**
 * The enterprises whose items the chunk needs besides its own: those that new and moved establishments join or
 * leave; in a reload, the enterprises outside the Full that new establishments name (whether they are known).
 */
export function ownersToRead(entities: readonly TouchedEntity[], stored: ReadonlyMap<string, StoredItem>, reloadEnterprises?: ReadonlySet<number>): string[] {
  const owners = new Set<string>();
  for (const t of entities) {
    const to = ownerByRows(t);
    if (!to) continue;
    const before = stored.get(t.digits);
    const from = before ? kboDigits(String(before.enterpriseNumber)) : undefined;
    if (from === to || (!before && t.deleted.has('self'))) continue;
    // A reload writes no other enterprise's list: it only asks whether an enterprise outside the Full is known.
    if (reloadEnterprises) {
      if (!before && !reloadEnterprises.has(Number(to))) owners.add(to);
      continue;
    }
    owners.add(to);
    if (from) owners.add(from);
  }
  return [...owners].filter((d) => !stored.has(d));
}

/** Per changed enterprise, the establishments its stored item lists: where routeChanges sends its change. */
export function routingLists(changes: readonly FoundChange[], stored: ReadonlyMap<string, StoredItem>): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const c of changes) if (c.kind === 'enterprise') lists.set(c.digits, establishmentsOfItem(stored.get(c.digits) ?? {}));
  return lists;
}

/** Each change with the establishments it concerns: its own, or all of its enterprise's (`establishmentsOf`). */
export function routeChanges(changes: readonly FoundChange[], establishmentsOf: ReadonlyMap<string, readonly string[]>): RoutedChange[] {
  return changes.map(({ change, kind, digits }) => ({
    change,
    establishments: kind === 'establishment' ? [digits] : [...(establishmentsOf.get(digits) ?? [])],
  }));
}

const nameOf = (row: DenominationRow): EntityName => ({ language: row.language, type: row.typeOfDenomination, denomination: row.denomination });

/**
 * An entity the table does not know: a new establishment of a known enterprise is added, the rest skipped. In a
 * Full reload every enterprise of the Full is added too (its establishments are new establishments of it).
 */
function newEntity(t: TouchedEntity, facts: KnownFacts): EntityOutcome {
  const outcome = nothing();
  const names = t.names.map(nameOf);
  const addresses = t.addresses.map(toAddressRecord);
  if (t.kind === 'enterprise' && t.enterpriseRow && facts.reloadEnterprises?.has(Number(t.digits))) {
    const establishments = facts.listedEstablishments?.get(t.digits) ?? [];
    outcome.puts.push(enterpriseItem(toEnterpriseRecord(t.enterpriseRow, facts.extractNumber), names, addresses, establishments));
    outcome.entitiesApplied = 1;
    return outcome;
  }
  const row = t.establishmentRow;
  if (t.kind !== 'establishment' || !row || !ownerKnown(kboDigits(row.enterpriseNumber), facts)) {
    outcome.unknownEntities = 1;
    return outcome;
  }
  outcome.puts.push(establishmentItem(toEstablishmentRecord(row, facts.extractNumber), names, addresses));
  outcome.entitiesApplied = 1;
  return outcome;
}

const addressOf = (item: Record<string, unknown>, kind: TouchedEntity['kind']) => {
  const address = addressOfType(addressesOf(item), mainAddressType(kind));
  return address ? presentAddress(address as AddressRecord) : null;
};

/** What the change detection compares of an entity, from its item. */
function entityState(kind: TouchedEntity['kind'], item: Record<string, unknown>): EntityState {
  return {
    kind,
    number: String(item[kind === 'enterprise' ? 'enterpriseNumber' : 'establishmentNumber']),
    enterpriseNumber: String(item.enterpriseNumber),
    status: item.status === 'stopped' ? 'stopped' : 'active',
    address: addressOf(item, kind),
    name: displayName(namesOf(item).map(describeName)),
    juridicalSituation: kind === 'enterprise' ? String(item.juridicalSituation ?? '') || null : null,
  };
}

/** A known entity: its new item (one write, none when the rows restate it), and the changes a partnership may need to decide on. */
function knownEntity(t: TouchedEntity, stored: StoredItem, facts: KnownFacts, listChange: ListChange | undefined): EntityOutcome {
  const outcome = nothing();
  outcome.entitiesApplied = 1;
  const before = entityState(t.kind, stored);
  let after: EntityState | undefined;
  if (t.deleted.has('self') && !(t.enterpriseRow ?? t.establishmentRow)) {
    // It stops. Already stopped (a re-run): nothing to write.
    const list = listChange && changedList(stored, listChange);
    if (stored.status !== 'stopped' || list)
      outcome.puts.push({ ...(stored as KboItem), status: 'stopped', ...(list ? { establishmentNumbers: list } : {}), kboExtractNumber: facts.extractNumber });
    else outcome.itemsUnchanged += 1;
    after = undefined;
  } else {
    const next = nextItem(t, stored, facts.extractNumber, establishmentsAfter(t, stored, facts, listChange));
    // KBO restates rows (delete + the same insert): an item that would be written as it is stored is skipped.
    if (sameItem(stored, next)) outcome.itemsUnchanged += 1;
    else outcome.puts.push(next);
    // Listed in the extract, so active; the juridical situation is the new row's, or what it was.
    const juridicalSituation = t.enterpriseRow?.juridicalSituation ?? before.juridicalSituation;
    after = { ...entityState(t.kind, next), number: before.number, status: 'active', juridicalSituation };
  }

  const enterprise = kboDigits(String(stored.enterpriseNumber));
  for (const change of detectChanges(before, after)) {
    // The stop of an enterprise covers its establishments: one change, not one per establishment.
    if (change.kind === 'stopped' && t.kind === 'establishment' && facts.stoppingEnterprises.has(Number(enterprise))) continue;
    outcome.changes.push({ change, kind: t.kind, digits: t.digits });
  }
  return outcome;
}

/**
 * The item of an entity that goes on, as the rows make it: the new record when its table lists it (else the
 * stored one), the names and addresses of a table in a delete file replaced by the insert rows, the others kept
 * with the insert rows added. Written with this extract's number: the extract that last changed it. An
 * establishment that changed enterprise keeps its key; its gsi1 entry moves to the new enterprise.
 */
function nextItem(t: TouchedEntity, stored: StoredItem, extractNumber: number, establishments: readonly string[]): KboItem {
  const names: EntityName[] = [...(t.deleted.has('denomination') ? [] : namesOf(stored)), ...t.names.map(nameOf)];
  const addresses: EntityAddress[] = [...(t.deleted.has('address') ? [] : addressesOf(stored)), ...t.addresses.map(toAddressRecord)];
  if (t.kind === 'enterprise') {
    const record = t.enterpriseRow ? toEnterpriseRecord(t.enterpriseRow, extractNumber) : { ...enterpriseRecordOf(stored), kboExtractNumber: extractNumber };
    return enterpriseItem(record, names, addresses, establishments);
  }
  const record = t.establishmentRow
    ? toEstablishmentRecord(t.establishmentRow, extractNumber)
    : { ...establishmentRecordOf(stored), kboExtractNumber: extractNumber };
  return establishmentItem(record, names, addresses);
}

/**
 * A known enterprise's establishments after the rows: in a reload, those the Full places there and those it had
 * that left KBO (stopped, still its own); in an Update, the stored list with the chunk's changes.
 */
function establishmentsAfter(t: TouchedEntity, stored: StoredItem, facts: KnownFacts, listChange: ListChange | undefined): string[] {
  if (t.kind !== 'enterprise') return [];
  const before = establishmentsOfItem(stored);
  if (facts.reloadEnterprises) {
    const gone = before.filter((d) => facts.stoppingEstablishments?.has(Number(d)));
    return establishmentList([...(facts.listedEstablishments?.get(t.digits) ?? []), ...gone]);
  }
  return (listChange && changedList(stored, listChange)) ?? before;
}

const nullable = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The record a stored enterprise item holds. */
const enterpriseRecordOf = (item: StoredItem): EnterpriseRecord => ({
  enterpriseNumber: String(item.enterpriseNumber),
  status: item.status === 'stopped' ? 'stopped' : 'active',
  juridicalSituation: String(item.juridicalSituation ?? ''),
  typeOfEnterprise: String(item.typeOfEnterprise ?? ''),
  juridicalForm: nullable(item.juridicalForm),
  startDate: nullable(item.startDate),
  kboExtractNumber: Number(item.kboExtractNumber),
});

/** The record a stored establishment item holds. */
const establishmentRecordOf = (item: StoredItem): EstablishmentRecord => ({
  establishmentNumber: String(item.establishmentNumber),
  enterpriseNumber: String(item.enterpriseNumber),
  startDate: nullable(item.startDate),
  status: item.status === 'stopped' ? 'stopped' : 'active',
  kboExtractNumber: Number(item.kboExtractNumber),
});
