// A generated Full extract: every enterprise of a base (or of a base with updates applied), member by member.
import { codeLines } from './code-tables.ts';
import { addDays, columns, extractFileName, metaFor, writeZipMembers, type Dialect, type ZipMember } from './csv-zip.ts';
import { defaultSnapshotDate, maxEnterprises, type BaseExtract } from './enterprise-model.ts';
import { addressesOf, namesOf, rowsOf, tables, type Table } from './enterprise-rows.ts';
import { ChainState, type UpdatePlan } from './update-plans.ts';

export type GeneratedCounts = {
  enterprises: number;
  naturalPersons: number;
  establishments: number;
  branches: number;
  /** Rows per member. */
  rows: Record<Table, number>;
  /** Names and addresses keyed by a branch Id (the import skips them). */
  branchDenominations: number;
  branchAddresses: number;
};

/**
 * A Full extract of `enterprises` enterprises (at most 2,000,000): about one in six a natural person (no
 * seat), 0 to 4 establishments each (about 0.9 on average, as in the real data), names with commas, quotes
 * and accents, addresses in Flanders, Brussels and Wallonia and a few seats abroad, some foreign entities with
 * a branch. Deterministic for a seed; streamed.
 *
 * With `updates`, it is the Full extract of the last update's day instead (same number and snapshot date):
 * the base with every plan applied, as KBO publishes a Full next to each Update.
 */
export async function generateFullExtract(
  options: BaseExtract & { path: string; dialect?: Dialect; updates?: readonly UpdatePlan[] },
): Promise<GeneratedCounts> {
  const { enterprises, path } = options;
  if (!Number.isInteger(enterprises) || enterprises < 0 || enterprises > maxEnterprises)
    throw new Error(`enterprises must be a whole number from 0 to ${maxEnterprises}`);
  const base: BaseExtract = {
    enterprises,
    seed: options.seed ?? 1,
    extractNumber: options.extractNumber ?? 1,
    snapshotDate: options.snapshotDate ?? defaultSnapshotDate,
  };
  const updates = options.updates ?? [];
  const state = new ChainState(base, updates);
  const last = updates.at(-1);
  const counts: GeneratedCounts = {
    enterprises: 0,
    naturalPersons: 0,
    establishments: 0,
    branches: 0,
    branchDenominations: 0,
    branchAddresses: 0,
    rows: { enterprise: 0, establishment: 0, denomination: 0, address: 0, contact: 0, activity: 0, branch: 0 },
  };
  const member = (table: Table): ZipMember => ({
    name: `${table}.csv`,
    header: columns[table],
    lines: function* () {
      for (let i = 0; i < state.total; i++) {
        const e = state.enterprise(i);
        if (!e) continue;
        const lines = rowsOf[table](e);
        counts.rows[table] += lines.length;
        if (table === 'enterprise') counts.enterprises += 1;
        if (table === 'enterprise' && e.natural) counts.naturalPersons += 1;
        if (table === 'establishment') counts.establishments += lines.length;
        if (table === 'branch') counts.branches += lines.length;
        if (e.branch && table === 'denomination') counts.branchDenominations += namesOf(e, e.branch.id).length;
        if (e.branch && table === 'address') counts.branchAddresses += addressesOf(e, e.branch.id).length;
        yield* lines;
      }
    },
  });
  await writeZipMembers(
    path,
    [
      { name: 'meta.csv', header: columns.meta, lines: metaFor('full', last?.extractNumber ?? base.extractNumber!, last?.snapshotDate ?? base.snapshotDate!) },
      { name: 'code.csv', header: columns.code, lines: codeLines },
      ...tables.map(member),
    ],
    options.dialect,
  );
  return counts;
}

/** The zip name of a base Full extract. */
export const fullFileName = (base: BaseExtract) => extractFileName(base.extractNumber ?? 1, 'full', addDays(base.snapshotDate ?? defaultSnapshotDate, 1));
