// Step 3 of a slice: what the delta rows make of each entity, against its stored item. Pure: from the rows and
// the stored items to the items to write and the changes to report.
//
// An entity's new state is "old rows of tables not in a delete file" plus "its insert rows", all in its one item
// (record, names, addresses). Stopped entities keep their item (names, address) with status stopped: the change
// review and the enterprise profile still show what the entity was. A new establishment of a known enterprise is
// kept (the enterprise may apply for it); a new enterprise is not.
import type { StoredItem } from '../../shared/data/batch-get.ts';
import {
  addressesOf,
  addressOfType,
  enterpriseItem,
  establishmentItem,
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
  /** Known enterprises that new establishments belong to. */
  knownOwners: ReadonlySet<string>;
  stoppingEnterprises: ReadonlySet<number>;
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
  for (const entity of entities) {
    const stored = facts.stored.get(entity.digits);
    const outcome = stored ? knownEntity(entity, stored, facts) : newEntity(entity, facts);
    total.puts.push(...outcome.puts);
    total.changes.push(...outcome.changes);
    total.entitiesApplied += outcome.entitiesApplied;
    total.unknownEntities += outcome.unknownEntities;
    total.itemsUnchanged += outcome.itemsUnchanged;
  }
  return total;
}

/** The enterprises whose changes concern their establishments: the ones routeChanges needs the establishments of. */
export const enterprisesToRoute = (changes: readonly FoundChange[]): string[] => [
  ...new Set(changes.filter((c) => c.kind === 'enterprise').map((c) => c.digits)),
];

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
    outcome.puts.push(enterpriseItem(toEnterpriseRecord(t.enterpriseRow, facts.extractNumber), names, addresses));
    outcome.entitiesApplied = 1;
    return outcome;
  }
  const row = t.establishmentRow;
  const ownerKnown = (digits: string) => facts.knownOwners.has(digits) || (facts.reloadEnterprises?.has(Number(digits)) ?? false);
  if (t.kind !== 'establishment' || !row || !ownerKnown(kboDigits(row.enterpriseNumber))) {
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
function knownEntity(t: TouchedEntity, stored: StoredItem, facts: KnownFacts): EntityOutcome {
  const outcome = nothing();
  outcome.entitiesApplied = 1;
  const before = entityState(t.kind, stored);
  let after: EntityState | undefined;
  if (t.deleted.has('self') && !(t.enterpriseRow ?? t.establishmentRow)) {
    // It stops. Already stopped (a re-run): nothing to write.
    if (stored.status !== 'stopped') outcome.puts.push({ ...(stored as KboItem), status: 'stopped', kboExtractNumber: facts.extractNumber });
    else outcome.itemsUnchanged += 1;
    after = undefined;
  } else {
    const next = nextItem(t, stored, facts.extractNumber);
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
function nextItem(t: TouchedEntity, stored: StoredItem, extractNumber: number): KboItem {
  const names: EntityName[] = [...(t.deleted.has('denomination') ? [] : namesOf(stored)), ...t.names.map(nameOf)];
  const addresses: EntityAddress[] = [...(t.deleted.has('address') ? [] : addressesOf(stored)), ...t.addresses.map(toAddressRecord)];
  if (t.kind === 'enterprise') {
    const record = t.enterpriseRow ? toEnterpriseRecord(t.enterpriseRow, extractNumber) : { ...enterpriseRecordOf(stored), kboExtractNumber: extractNumber };
    return enterpriseItem(record, names, addresses);
  }
  const record = t.establishmentRow
    ? toEstablishmentRecord(t.establishmentRow, extractNumber)
    : { ...establishmentRecordOf(stored), kboExtractNumber: extractNumber };
  return establishmentItem(record, names, addresses);
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
