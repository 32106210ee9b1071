// The display names of the organisations a user acts for: an enterprise by its KBO names (one Query on its name
// items), a provider or partnership by its reference record, the department by its fixed name. The reference
// records are read in one BatchGet, together with any other items the caller needs at the same moment, and the
// enterprise Queries run beside it.
import type { Dependencies } from '../adapters/dependencies.ts';
import type { OrganisationType } from '../domain/organisations.ts';
import { batchGetItems, keyString, type StoredItem } from './batch-get.ts';
import { getEnterpriseName } from './kbo-lookups.ts';
import { reference, type TableKey } from './keys.ts';

export const departmentName = 'Departement Werk en Sociale Economie';

const referenceKinds = { provider: 'providers', partnership: 'partnerships' } as const;

type Named = { key: string; type: OrganisationType; id: string };

const parse = (key: string): Named => {
  const [type, id = ''] = key.split(':') as [OrganisationType, string];
  return { key, type, id };
};

/**
 * The names by organisation key (`<type>:<id>`; null when unknown), and the `alsoRead` items found, by
 * keyString. One BatchGet and one Query per enterprise, in parallel.
 */
export async function readOrganisationNames(
  deps: Dependencies,
  organisationKeys: readonly string[],
  alsoRead: readonly TableKey[] = [],
): Promise<{ names: Map<string, string | null>; items: Map<string, StoredItem> }> {
  const organisations = organisationKeys.map(parse);
  const referenceKey = (o: Named) => (o.type === 'provider' || o.type === 'partnership' ? reference.key(referenceKinds[o.type], o.id) : undefined);
  const batchKeys = [...alsoRead, ...organisations.flatMap((o) => referenceKey(o) ?? [])];
  const enterprises = organisations.filter((o) => o.type === 'enterprise');
  const [items, enterpriseNames] = await Promise.all([
    batchKeys.length ? batchGetItems(deps, batchKeys) : new Map<string, StoredItem>(),
    Promise.all(enterprises.map((o) => getEnterpriseName(deps, o.id))),
  ]);
  const names = new Map<string, string | null>();
  enterprises.forEach((o, i) => {
    names.set(o.key, enterpriseNames[i] ?? null);
  });
  for (const o of organisations) {
    if (o.type === 'department') names.set(o.key, departmentName);
    const key = referenceKey(o);
    if (key) names.set(o.key, (items.get(keyString(key))?.name as string | undefined) ?? null);
  }
  return { names, items };
}
