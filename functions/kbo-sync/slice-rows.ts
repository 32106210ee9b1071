// Step 1 of a slice: the delta rows of the slice's entities, grouped per entity. The format's rule
// (shared/kbo-open-data.md, section 4): per table, the delete file removes ALL rows of the listed entities and
// the insert file holds each affected entity's complete current rows.
import { type KboExtract, memberName, type RowIssue } from '../../shared/adapters/kbo/extract.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import type { AddressRow, DenominationRow, EnterpriseRow, EstablishmentRow } from '../../shared/domain/kbo.ts';
import { sliceOf } from '../../shared/domain/kbo-changes.ts';
import type { RejectedRow } from '../../shared/domain/kbo-report.ts';

/** What a slice reads of an Update (or of a Full read as one: functions/kbo-import/reconcile.ts). */
export type DeltaSource = Pick<
  KboExtract,
  'deletedEnterprises' | 'enterprises' | 'deletedEstablishments' | 'establishments' | 'deletedEntities' | 'denominations' | 'addresses'
> & {
  /**
   * A part of a Full (full-parts.ts) holds only its own establishment rows: the establishments of its enterprises
   * that live in other parts, as (enterprise, establishment) numbers.
   */
  establishmentLinks?: () => AsyncIterable<{ enterpriseNumber: string; establishmentNumber: string }>;
};

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
  /** The same for establishments: deleted without an insert (of every slice). */
  stoppingEstablishments: Set<number>;
  /**
   * Per enterprise of the slice (digits), the establishments whose insert row (of any slice) places them there:
   * in a reconciling reload, every establishment the Full gives it.
   */
  listedEstablishments: Map<string, Set<string>>;
  /** Rows of the slice's own entities. */
  rows: number;
  /** The same, per member. */
  rowsPerMember: Record<string, number>;
  /**
   * Unusable rows of the file (their entity is unknown, so no slice owns them): slice 0 reports them, once;
   * the other slices report none.
   */
  invalidRows: number;
  rejectedRows: RejectedRow[];
  /** Rows that repeat an earlier row of the same entity and item: the last one is kept. */
  duplicateRows: number;
};

export async function readSliceRows(extract: DeltaSource, slice: number, sliceCount: number): Promise<SliceRows> {
  const rows = new SliceRowCollector(slice, sliceCount);
  const stopping = await readEntityRows(extract, rows);
  await readNameAndAddressRows(extract, rows);
  return {
    entities: rows.entities,
    stoppingEnterprises: stopping.enterprises,
    stoppingEstablishments: stopping.establishments,
    listedEstablishments: rows.listed,
    rows: rows.count,
    rowsPerMember: rows.perMember,
    invalidRows: rows.rejected.length,
    rejectedRows: rows.rejected,
    duplicateRows: rows.duplicates,
  };
}

/** The enterprise and establishment files; returns the enterprises and establishments that stop (of every slice). */
async function readEntityRows(extract: DeltaSource, rows: SliceRowCollector): Promise<{ enterprises: Set<number>; establishments: Set<number> }> {
  const enterprisesDeleted = new Set<number>();
  const enterprisesInserted = new Set<number>();
  for await (const number of extract.deletedEnterprises(rows.readOptions)) {
    enterprisesDeleted.add(Number(kboDigits(number)));
    rows.deleted(rows.touch('enterprise', number, memberName('enterprise', 'delete')), 'self');
  }
  for await (const row of extract.enterprises('insert', rows.readOptions)) {
    enterprisesInserted.add(Number(kboDigits(row.enterpriseNumber)));
    const entity = rows.touch('enterprise', row.enterpriseNumber, memberName('enterprise', 'insert'));
    if (entity) {
      if (entity.enterpriseRow) rows.duplicates += 1;
      entity.enterpriseRow = row;
    }
  }
  const establishmentsDeleted = new Set<number>();
  const establishmentsInserted = new Set<number>();
  for await (const number of extract.deletedEstablishments(rows.readOptions)) {
    establishmentsDeleted.add(Number(kboDigits(number)));
    rows.deleted(rows.touch('establishment', number, memberName('establishment', 'delete')), 'self');
  }
  for await (const row of extract.establishments('insert', rows.readOptions)) {
    establishmentsInserted.add(Number(kboDigits(row.establishmentNumber)));
    rows.listedAt(row.enterpriseNumber, row.establishmentNumber);
    const entity = rows.touch('establishment', row.establishmentNumber, memberName('establishment', 'insert'));
    if (entity) {
      if (entity.establishmentRow) rows.duplicates += 1;
      entity.establishmentRow = row;
    }
  }
  if (extract.establishmentLinks) for await (const link of extract.establishmentLinks()) rows.listedAt(link.enterpriseNumber, link.establishmentNumber);
  const stopping = (deleted: Set<number>, inserted: Set<number>) => new Set([...deleted].filter((n) => !inserted.has(n)));
  return { enterprises: stopping(enterprisesDeleted, enterprisesInserted), establishments: stopping(establishmentsDeleted, establishmentsInserted) };
}

/** The denomination and address files; names and addresses of branches are not kept. */
async function readNameAndAddressRows(extract: DeltaSource, rows: SliceRowCollector): Promise<void> {
  for (const child of ['denomination', 'address'] as const) {
    for await (const entity of extract.deletedEntities(child, rows.readOptions)) {
      if (entity.kind !== 'branch') rows.deleted(rows.touch(entity.kind, entity.number, memberName(child, 'delete')), child);
    }
  }
  // A name is one item per type, language and text, an address one per type (the keys of their items).
  const sameName = (a: DenominationRow, b: DenominationRow) =>
    a.typeOfDenomination === b.typeOfDenomination && a.language === b.language && a.denomination === b.denomination;
  for await (const row of extract.denominations('insert', rows.readOptions)) {
    const entity = row.entity.kind === 'branch' ? undefined : rows.touch(row.entity.kind, row.entity.number, memberName('denomination', 'insert'));
    if (entity) rows.keepLast(entity.names, row, sameName);
  }
  for await (const row of extract.addresses('insert', rows.readOptions)) {
    const entity = row.entity.kind === 'branch' ? undefined : rows.touch(row.entity.kind, row.entity.number, memberName('address', 'insert'));
    if (entity) rows.keepLast(entity.addresses, row, (a, b) => a.typeOfAddress === b.typeOfAddress);
  }
}

/** Collects the rows of one slice's entities, and counts them and the unusable rows. */
class SliceRowCollector {
  readonly entities = new Map<string, TouchedEntity>();
  readonly listed = new Map<string, Set<string>>();
  count = 0;
  readonly perMember: Record<string, number> = {};
  readonly rejected: RejectedRow[] = [];
  duplicates = 0;
  // Every slice reads every row; an unusable one has no entity to place it in a slice, so slice 0 keeps it.
  readonly readOptions = {
    onInvalid: ({ member, record, reason }: RowIssue) => void (this.slice === 0 && this.rejected.push({ member, record, reason })),
  };

  constructor(
    private readonly slice: number,
    private readonly sliceCount: number,
  ) {}

  /** Notes an establishment's insert row under its enterprise, when the enterprise is in this slice. */
  listedAt(enterpriseNumber: string, establishmentNumber: string): void {
    const enterprise = kboDigits(enterpriseNumber);
    if (sliceOf(enterprise, this.sliceCount) !== this.slice) return;
    let listed = this.listed.get(enterprise);
    if (!listed) this.listed.set(enterprise, (listed = new Set()));
    listed.add(kboDigits(establishmentNumber));
  }

  /** Marks the entity (when in this slice) as listed in a delete file; listed twice is a duplicate row. */
  deleted(entity: TouchedEntity | undefined, table: 'self' | 'denomination' | 'address'): void {
    if (!entity) return;
    if (entity.deleted.has(table)) this.duplicates += 1;
    entity.deleted.add(table);
  }

  /** Adds a row to an entity's rows of one table; a row for the same item as an earlier one replaces it (last wins). */
  keepLast<T>(rows: T[], row: T, sameItem: (a: T, b: T) => boolean): void {
    const earlier = rows.findIndex((r) => sameItem(r, row));
    if (earlier === -1) rows.push(row);
    else {
      rows[earlier] = row;
      this.duplicates += 1;
    }
  }

  /** The entity's record (created on its first row) when it falls in this slice; undefined when it does not. */
  touch(kind: TouchedEntity['kind'], number: string, member: string): TouchedEntity | undefined {
    const digits = kboDigits(number);
    if (sliceOf(digits, this.sliceCount) !== this.slice) return undefined;
    this.count += 1;
    this.perMember[member] = (this.perMember[member] ?? 0) + 1;
    let entity = this.entities.get(digits);
    if (!entity) {
      entity = { kind, number, digits, deleted: new Set(), enterpriseRow: undefined, establishmentRow: undefined, names: [], addresses: [] };
      this.entities.set(digits, entity);
    }
    return entity;
  }
}
