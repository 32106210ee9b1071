// The names an e-mail says instead of ids, read by the notifications consumer when it renders a message:
// programmes, partnerships and providers from the reference data (one BatchGet for all of them), enterprises and
// establishments from the names on their KBO items (the same BatchGet: each entity is one item at a key its
// number gives).
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import { displayNameOf } from './kbo.ts';
import * as keys from './keys.ts';

/** What one e-mail is about, by id. Numbers are the enterprise and establishment numbers, dotted or not. */
export type NameRefs = {
  programmeIds?: readonly string[];
  partnershipIds?: readonly string[];
  providerIds?: readonly string[];
  enterpriseNumbers?: readonly string[];
  establishments?: readonly { enterpriseNumber: string; establishmentNumber: string }[];
};

/** The names found, by id (enterprises and establishments by their 10 digits); an unknown id is absent. */
export type MailNames = {
  programmes: ReadonlyMap<string, string>;
  partnerships: ReadonlyMap<string, string>;
  providers: ReadonlyMap<string, string>;
  enterprises: ReadonlyMap<string, string>;
  establishments: ReadonlyMap<string, string>;
};

const referenceKinds = { programmes: 'programmes', partnerships: 'partnerships', providers: 'providers' } as const;

const unique = (values: readonly string[] | undefined) => [...new Set(values ?? [])].filter((v) => v !== '');

export async function readMailNames(deps: Dependencies, refs: NameRefs): Promise<MailNames> {
  const wanted = {
    programmes: unique(refs.programmeIds),
    partnerships: unique(refs.partnershipIds),
    providers: unique(refs.providerIds),
  };
  const referenceKeys = (Object.keys(wanted) as (keyof typeof wanted)[]).flatMap((kind) =>
    wanted[kind].map((id) => keys.reference.key(referenceKinds[kind], id)),
  );
  const enterprises = unique(refs.enterpriseNumbers?.map(kboDigits));
  const establishments = [...new Map((refs.establishments ?? []).map((e) => [kboDigits(e.establishmentNumber), kboDigits(e.enterpriseNumber)])).entries()];
  const kboKeys = [...enterprises.map((d) => keys.enterprise.profile(d)), ...establishments.map(([establishment]) => keys.kbo.establishment(establishment))];
  const all = [...referenceKeys, ...kboKeys];
  const items = all.length ? await batchGetItems(deps, all, { attributes: ['name', 'names', 'enterpriseNumber'] }) : new Map();
  const enterpriseNames = enterprises.map((digits) => {
    const item = items.get(keyString(keys.enterprise.profile(digits)));
    return item ? displayNameOf(item) : null;
  });
  // An establishment named with another enterprise than KBO's has no name here (as before: it is not that enterprise's).
  const establishmentNames = establishments.map(([establishment, enterprise]) => {
    const item = items.get(keyString(keys.kbo.establishment(establishment)));
    return item && kboDigits(String(item.enterpriseNumber)) === enterprise ? displayNameOf(item) : null;
  });
  const referenceNames = (kind: keyof typeof wanted) => {
    const names = new Map<string, string>();
    for (const id of wanted[kind]) {
      const name = items.get(keyString(keys.reference.key(referenceKinds[kind], id)))?.name;
      if (typeof name === 'string') names.set(id, name);
    }
    return names;
  };
  const found = <T>(ids: readonly T[], names: (string | null)[], idOf: (id: T) => string) =>
    new Map(ids.flatMap((id, i) => (names[i] ? [[idOf(id), names[i]] as [string, string]] : [])));
  return {
    programmes: referenceNames('programmes'),
    partnerships: referenceNames('partnerships'),
    providers: referenceNames('providers'),
    enterprises: found(enterprises, enterpriseNames, (d) => d),
    establishments: found(establishments, establishmentNames, ([establishment]) => establishment),
  };
}
