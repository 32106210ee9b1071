// Step 4 of a slice: what the delta rows make of each entity, against its stored items. Pure: from the rows and
// the stored collections to the items to write and delete and the changes to report.
//
// An entity's new state is "old rows of tables not in a delete file" plus "its insert rows". Stopped entities
// keep their items (names, address) with status stopped: the change review and the enterprise profile still
// show what the entity was. A new establishment of a known enterprise is kept (the enterprise may apply for it);
// a new enterprise is not.
import { keyString, type StoredItem } from '../../shared/data/batch-get.ts';
import {
  addressItem,
  addressOfType,
  addressRecordOf,
  enterpriseItem,
  entityIn,
  establishmentHomeItem,
  establishmentItem,
  establishmentsIn,
  nameItem,
  nameRecordOf,
  readCollection,
  sameItem,
  type EnterpriseCollection,
  type ItemKey,
  type KboItem,
  type KboOwner,
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
  toNameRecord,
  type AddressRecord,
} from '../../shared/domain/kbo.ts';
import { detectChanges, type EntityState, type RoutedChange } from '../../shared/domain/kbo-changes.ts';
import type { TouchedEntity } from './slice-rows.ts';

/** What the earlier steps found out: where each known entity lives, and the collections of a chunk. */
export type KnownFacts = {
  extractNumber: number;
  /** Known entity digits -> the enterprise whose collection it lives in now. */
  homeOf: ReadonlyMap<string, string>;
  /** Known enterprises that new establishments belong to. */
  knownOwners: ReadonlySet<string>;
  collections: ReadonlyMap<string, EnterpriseCollection>;
  stoppingEnterprises: ReadonlySet<number>;
  /** A reconciling Full reload: the Full's enterprises, which are added when the table does not know them. */
  reloadEnterprises?: ReadonlySet<number> | undefined;
};

/** The outcome of the rows of some entities: writes, routed changes and counts. */
export type EntityOutcome = {
  puts: KboItem[];
  deletes: ItemKey[];
  changes: RoutedChange[];
  entitiesApplied: number;
  unknownEntities: number;
  itemsUnchanged: number;
};

const nothing = (): EntityOutcome => ({ puts: [], deletes: [], changes: [], entitiesApplied: 0, unknownEntities: 0, itemsUnchanged: 0 });

export function applyRows(entities: readonly TouchedEntity[], facts: KnownFacts): EntityOutcome {
  const total = nothing();
  for (const entity of entities) {
    const home = facts.homeOf.get(entity.digits);
    const outcome = home ? knownEntity(entity, home, facts) : newEntity(entity, facts);
    total.puts.push(...outcome.puts);
    total.deletes.push(...outcome.deletes);
    total.changes.push(...outcome.changes);
    total.entitiesApplied += outcome.entitiesApplied;
    total.unknownEntities += outcome.unknownEntities;
    total.itemsUnchanged += outcome.itemsUnchanged;
  }
  return total;
}

/**
 * An entity the table does not know: a new establishment of a known enterprise is added, the rest skipped. In a
 * Full reload every enterprise of the Full is added too, with its establishments.
 */
function newEntity(t: TouchedEntity, facts: KnownFacts): EntityOutcome {
  const outcome = nothing();
  if (t.kind === 'enterprise' && t.enterpriseRow && facts.reloadEnterprises?.has(Number(t.digits))) {
    const owner: KboOwner = { enterpriseDigits: t.digits, establishmentDigits: null };
    outcome.puts.push(
      enterpriseItem(toEnterpriseRecord(t.enterpriseRow, facts.extractNumber)),
      ...t.names.map((name) => nameItem(owner, toNameRecord(name))),
      ...t.addresses.map((address) => addressItem(owner, toAddressRecord(address))),
    );
    outcome.entitiesApplied = 1;
    return outcome;
  }
  const row = t.establishmentRow;
  const ownerKnown = (digits: string) => facts.knownOwners.has(digits) || (facts.reloadEnterprises?.has(Number(digits)) ?? false);
  if (t.kind !== 'establishment' || !row || !ownerKnown(kboDigits(row.enterpriseNumber))) {
    outcome.unknownEntities = 1;
    return outcome;
  }
  const owner: KboOwner = { enterpriseDigits: kboDigits(row.enterpriseNumber), establishmentDigits: t.digits };
  outcome.puts.push(
    establishmentItem(toEstablishmentRecord(row, facts.extractNumber)),
    establishmentHomeItem({ enterpriseDigits: owner.enterpriseDigits, establishmentDigits: t.digits }),
    ...t.names.map((name) => nameItem(owner, toNameRecord(name))),
    ...t.addresses.map((address) => addressItem(owner, toAddressRecord(address))),
  );
  outcome.entitiesApplied = 1;
  return outcome;
}

const nameOf = (items: readonly Record<string, unknown>[]) =>
  displayName(items.map((i) => describeName({ language: String(i.language ?? '0'), type: String(i.type ?? ''), denomination: String(i.denomination ?? '') })));
const addressOf = (item: Record<string, unknown> | undefined) => (item ? presentAddress(item as unknown as AddressRecord) : null);

const emptyCollection = readCollection([]);

/** What the change detection compares of an entity, from its own item, names and addresses. */
function entityState(
  kind: TouchedEntity['kind'],
  self: Record<string, unknown>,
  names: readonly Record<string, unknown>[],
  addresses: readonly Record<string, unknown>[],
): EntityState {
  return {
    kind,
    number: String(self[kind === 'enterprise' ? 'enterpriseNumber' : 'establishmentNumber']),
    enterpriseNumber: String(self.enterpriseNumber),
    status: self.status === 'stopped' ? 'stopped' : 'active',
    address: addressOf(addressOfType(addresses, mainAddressType(kind))),
    name: nameOf(names),
    juridicalSituation: kind === 'enterprise' ? String(self.juridicalSituation ?? '') || null : null,
  };
}

/** A known entity: its new items, the stored ones it no longer has, and the changes a partnership may need to decide on. */
function knownEntity(t: TouchedEntity, home: string, facts: KnownFacts): EntityOutcome {
  const outcome = nothing();
  outcome.entitiesApplied = 1;
  const collection = facts.collections.get(home) ?? emptyCollection;
  const stored = entityIn(collection, t.kind === 'enterprise' ? null : t.digits);
  const self = stored.self;
  if (!self) {
    outcome.unknownEntities = 1;
    return outcome;
  }
  const before = entityState(t.kind, self, stored.names, stored.addresses);
  let after: EntityState | undefined;
  if (t.deleted.has('self') && !(t.enterpriseRow ?? t.establishmentRow)) {
    // It stops. Already stopped (a re-run): nothing to write.
    if (self.status !== 'stopped') outcome.puts.push({ ...(self as KboItem), status: 'stopped', kboExtractNumber: facts.extractNumber });
    else outcome.itemsUnchanged += 1;
    after = undefined;
  } else {
    const next = nextItems(t, home, self, stored, facts.extractNumber);
    outcome.puts.push(...next.puts);
    outcome.deletes.push(...next.deletes);
    outcome.itemsUnchanged += next.itemsUnchanged;
    // Listed in the extract, so active; the juridical situation is the new row's, or what it was.
    const juridicalSituation = t.enterpriseRow?.juridicalSituation ?? before.juridicalSituation;
    after = { ...entityState(t.kind, next.self, next.names, next.addresses), number: before.number, status: 'active', juridicalSituation };
  }

  for (const change of detectChanges(before, after)) {
    // The stop of an enterprise covers its establishments: one change, not one per establishment.
    if (change.kind === 'stopped' && t.kind === 'establishment' && facts.stoppingEnterprises.has(Number(home))) continue;
    outcome.changes.push({ change, establishments: t.kind === 'establishment' ? [t.digits] : establishmentsIn(collection) });
  }
  return outcome;
}

/**
 * The items of an entity that goes on: its own item, names and addresses as the rows make them (in the new
 * enterprise's collection when an establishment changed enterprise), the writes that takes, and the stored
 * items it no longer has.
 */
function nextItems(t: TouchedEntity, home: string, self: StoredItem, stored: { names: StoredItem[]; addresses: StoredItem[] }, extractNumber: number) {
  const newSelf: KboItem = t.enterpriseRow
    ? enterpriseItem(toEnterpriseRecord(t.enterpriseRow, extractNumber))
    : t.establishmentRow
      ? establishmentItem(toEstablishmentRecord(t.establishmentRow, extractNumber))
      : (self as KboItem);
  const newHome = t.establishmentRow ? kboDigits(t.establishmentRow.enterpriseNumber) : home;
  const owner: KboOwner = { enterpriseDigits: newHome, establishmentDigits: t.kind === 'establishment' ? t.digits : null };
  const moved = newHome !== home;
  // Rows of a table in a delete file are replaced by the insert rows; the other tables keep their rows (moved
  // into the new collection when the establishment changed enterprise).
  const keepNames = !t.deleted.has('denomination');
  const keepAddresses = !t.deleted.has('address');
  const names: KboItem[] = [
    ...(keepNames ? stored.names.map((i) => nameItem(owner, nameRecordOf(i))) : []),
    ...t.names.map((row) => nameItem(owner, toNameRecord(row))),
  ];
  const addresses: KboItem[] = [
    ...(keepAddresses ? stored.addresses.map((i) => addressItem(owner, addressRecordOf(i))) : []),
    ...t.addresses.map((row) => addressItem(owner, toAddressRecord(row))),
  ];

  const storedItems = [self, ...stored.names, ...stored.addresses];
  const nextKeys = new Set([newSelf, ...names, ...addresses].map(keyString));
  const deletes: ItemKey[] = storedItems.filter((old) => !nextKeys.has(keyString(old))).map((old) => ({ pk: old.pk, sk: old.sk }));
  // KBO restates rows (delete + the same insert): an item that would be written as it is stored is skipped.
  const storedByKey = new Map(storedItems.map((i) => [keyString(i), i]));
  const puts: KboItem[] = [];
  let itemsUnchanged = 0;
  const put = (item: KboItem) => {
    const old = storedByKey.get(keyString(item));
    if (old && sameItem(old, item)) itemsUnchanged += 1;
    else puts.push(item);
  };
  if (t.enterpriseRow || t.establishmentRow || moved) put(newSelf);
  if (moved) puts.push(establishmentHomeItem({ enterpriseDigits: newHome, establishmentDigits: t.digits }));
  if (!keepNames || t.names.length || moved) names.forEach(put);
  if (!keepAddresses || t.addresses.length || moved) addresses.forEach(put);
  return { self: newSelf, names, addresses, puts, deletes, itemsUnchanged };
}
