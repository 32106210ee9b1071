// A generated Update extract: the delete and insert rows of a plan, in the cookbook's layout.
import { codeLines } from './code-tables.ts';
import { addDays, columns, csvLine, extractFileName, metaFor, text, writeZipMembers, type Dialect } from './csv-zip.ts';
import type { BaseExtract } from './enterprise-model.ts';
import { activitiesOf, addressesOf, contactsOf, enterpriseLine, entitiesOf, namesOf, rowsOf, tables, type Table } from './enterprise-rows.ts';
import { ChainState, planUpdate, type UpdateOptions, type UpdatePlan } from './update-plans.ts';

/**
 * The delete and insert rows of a plan, per the cookbook: a changed entity's key in X_delete and its complete
 * current set in X_insert; a stopped one in the deletes of every table where it had rows, with no insert.
 */
function deltaRows(base: BaseExtract, previous: readonly UpdatePlan[], plan: UpdatePlan) {
  const before = new ChainState(base, previous);
  const after = new ChainState(base, [...previous, plan]);
  const deletes: Record<Table, string[]> = { enterprise: [], establishment: [], denomination: [], address: [], contact: [], activity: [], branch: [] };
  const inserts: Record<Table, string[]> = { enterprise: [], establishment: [], denomination: [], address: [], contact: [], activity: [], branch: [] };
  const key = (value: string) => csvLine([text(value)]);

  for (const move of [...plan.addressMoves, ...plan.restatements]) {
    const e = after.enterprise(move.enterpriseIndex)!;
    deletes.address.push(key(move.entityNumber));
    inserts.address.push(...addressesOf(e, move.entityNumber));
  }
  for (const stop of plan.enterpriseStops) {
    const e = before.enterprise(stop.enterpriseIndex)!;
    deletes.enterprise.push(key(e.number));
    for (const s of e.establishments) deletes.establishment.push(key(s.number));
    if (e.branch) deletes.branch.push(key(e.branch.id));
    for (const entity of entitiesOf(e)) {
      if (namesOf(e, entity).length) deletes.denomination.push(key(entity));
      if (addressesOf(e, entity).length) deletes.address.push(key(entity));
      if (activitiesOf(e, entity).length) deletes.activity.push(key(entity));
      if (contactsOf(e, entity).length) deletes.contact.push(key(entity));
    }
  }
  for (const stop of plan.establishmentStops) {
    const e = before.enterprise(stop.enterpriseIndex)!;
    deletes.establishment.push(key(stop.establishmentNumber));
    deletes.address.push(key(stop.establishmentNumber));
    if (namesOf(e, stop.establishmentNumber).length) deletes.denomination.push(key(stop.establishmentNumber));
    if (activitiesOf(e, stop.establishmentNumber).length) deletes.activity.push(key(stop.establishmentNumber));
  }
  for (const change of plan.situationChanges) {
    const e = after.enterprise(change.enterpriseIndex)!;
    deletes.enterprise.push(key(e.number));
    inserts.enterprise.push(enterpriseLine(e));
  }
  for (const change of plan.nameChanges) {
    const e = after.enterprise(change.enterpriseIndex)!;
    deletes.denomination.push(key(e.number));
    inserts.denomination.push(...namesOf(e, e.number));
  }
  for (const created of plan.newEnterprises) {
    const e = after.enterprise(created.enterpriseIndex)!;
    for (const table of tables) inserts[table].push(...rowsOf[table](e));
  }
  return { deletes, inserts };
}

/** Writes an Update extract: meta.csv, the complete code.csv, and X_delete.csv / X_insert.csv for all seven tables. */
export async function generateUpdateExtract(
  options: UpdateOptions & { base: BaseExtract; previous?: readonly UpdatePlan[]; path: string; dialect?: Dialect },
): Promise<UpdatePlan> {
  const previous = options.previous ?? [];
  const plan = planUpdate(options.base, previous, options);
  const { deletes, inserts } = deltaRows(options.base, previous, plan);
  await writeZipMembers(
    options.path,
    [
      { name: 'meta.csv', header: columns.meta, lines: metaFor('update', plan.extractNumber, plan.snapshotDate) },
      { name: 'code.csv', header: columns.code, lines: codeLines },
      ...tables.flatMap((table) => [
        { name: `${table}_delete.csv`, header: [columns[table][0]], lines: () => deletes[table] },
        { name: `${table}_insert.csv`, header: columns[table], lines: () => inserts[table] },
      ]),
    ],
    options.dialect,
  );
  return plan;
}

/** The zip name of a plan's update (created the day after its snapshot). */
export const updateFileName = (plan: UpdatePlan) => extractFileName(plan.extractNumber, 'update', addDays(plan.snapshotDate, 1));

export type HandMadeUpdate = {
  extractNumber: number;
  /** ISO `YYYY-MM-DD`. */
  snapshotDate: string;
  /** CSV lines per member (`address_insert.csv`); every other member holds only its header. */
  rows?: Partial<Record<string, readonly string[]>>;
  /** Members to leave out of the zip, to test what a missing member does. */
  omit?: readonly string[];
  /** A member's header row instead of the format's. */
  headers?: Partial<Record<string, readonly string[]>>;
};

/** Every member an Update holds, in the format's order: meta.csv, code.csv, then each table's delete and insert file. */
export const updateMembers = (): { name: string; header: readonly string[] }[] => [
  { name: 'meta.csv', header: columns.meta },
  { name: 'code.csv', header: columns.code },
  ...tables.flatMap((table) => [
    { name: `${table}_delete.csv`, header: [columns[table][0]] },
    { name: `${table}_insert.csv`, header: columns[table] },
  ]),
];

/**
 * A hand-made Update with exactly these rows: the cases of the format tests (a missing member, a wrong header, a
 * broken record, duplicate rows) that the generator's plans do not make.
 */
export async function writeHandMadeUpdate(path: string, update: HandMadeUpdate): Promise<void> {
  const rows = update.rows ?? {};
  await writeZipMembers(
    path,
    updateMembers()
      .filter((m) => !update.omit?.includes(m.name))
      .map((m) => ({
        name: m.name,
        header: update.headers?.[m.name] ?? m.header,
        lines:
          m.name === 'meta.csv' ? metaFor('update', update.extractNumber, update.snapshotDate) : m.name === 'code.csv' ? codeLines : () => rows[m.name] ?? [],
      })),
  );
}

/** The zip name of a hand-made Update (created the day after its snapshot). */
export const handMadeUpdateName = (update: Pick<HandMadeUpdate, 'extractNumber' | 'snapshotDate'>) =>
  extractFileName(update.extractNumber, 'update', addDays(update.snapshotDate, 1));
