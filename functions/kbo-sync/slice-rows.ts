// Step 1 of a slice: the delta rows of the slice's entities, grouped per entity. The format's rule
// (shared/kbo-open-data.md, section 4): per table, the delete file removes ALL rows of the listed entities and
// the insert file holds each affected entity's complete current rows.
import type { KboExtract } from '../../shared/adapters/kbo/extract.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import type { AddressRow, DenominationRow, EnterpriseRow, EstablishmentRow } from '../../shared/domain/kbo.ts';
import { sliceOf } from '../../shared/domain/kbo-changes.ts';

/** Everything one slice's delta files say about one entity. */
export type TouchedEntity = {
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

export type SliceRows = {
  /** By entity digits, in the order the files name them. */
  entities: Map<string, TouchedEntity>;
  /**
   * The enterprises this extract stops (deleted without an insert), of every slice: an establishment of a
   * stopping enterprise reports no stop of its own, whichever slice it falls in. Numbers, not rows.
   */
  stoppingEnterprises: Set<number>;
  /** Rows of the slice's own entities. */
  rows: number;
  invalidRows: number;
};

export async function readSliceRows(extract: KboExtract, slice: number, sliceCount: number): Promise<SliceRows> {
  const entities = new Map<string, TouchedEntity>();
  let rows = 0;
  let invalidRows = 0;
  const readOptions = { onInvalid: () => void (invalidRows += 1) };
  const mine = (digits: string) => sliceOf(digits, sliceCount) === slice;
  /** The entity's record, created on its first row; counts the row. */
  const touch = (kind: TouchedEntity['kind'], number: string): TouchedEntity => {
    rows += 1;
    const digits = kboDigits(number);
    let entity = entities.get(digits);
    if (!entity) {
      entity = { kind, number, digits, deleted: new Set(), enterpriseRow: undefined, establishmentRow: undefined, names: [], addresses: [] };
      entities.set(digits, entity);
    }
    return entity;
  };

  const enterprisesDeleted = new Set<number>();
  const enterprisesInserted = new Set<number>();
  for await (const number of extract.deletedEnterprises(readOptions)) {
    const digits = kboDigits(number);
    enterprisesDeleted.add(Number(digits));
    if (mine(digits)) touch('enterprise', number).deleted.add('self');
  }
  for await (const row of extract.enterprises('insert', readOptions)) {
    const digits = kboDigits(row.enterpriseNumber);
    enterprisesInserted.add(Number(digits));
    if (mine(digits)) touch('enterprise', row.enterpriseNumber).enterpriseRow = row;
  }
  for await (const number of extract.deletedEstablishments(readOptions)) {
    if (mine(kboDigits(number))) touch('establishment', number).deleted.add('self');
  }
  for await (const row of extract.establishments('insert', readOptions)) {
    if (mine(kboDigits(row.establishmentNumber))) touch('establishment', row.establishmentNumber).establishmentRow = row;
  }
  // Names and addresses of branches are not kept.
  for (const child of ['denomination', 'address'] as const) {
    for await (const entity of extract.deletedEntities(child, readOptions)) {
      if (entity.kind !== 'branch' && mine(kboDigits(entity.number))) touch(entity.kind, entity.number).deleted.add(child);
    }
  }
  for await (const row of extract.denominations('insert', readOptions)) {
    if (row.entity.kind !== 'branch' && mine(kboDigits(row.entity.number))) touch(row.entity.kind, row.entity.number).names.push(row);
  }
  for await (const row of extract.addresses('insert', readOptions)) {
    if (row.entity.kind !== 'branch' && mine(kboDigits(row.entity.number))) touch(row.entity.kind, row.entity.number).addresses.push(row);
  }
  const stoppingEnterprises = new Set([...enterprisesDeleted].filter((n) => !enterprisesInserted.has(n)));
  return { entities, stoppingEnterprises, rows, invalidRows };
}
