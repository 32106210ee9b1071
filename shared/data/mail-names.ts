// The names an e-mail says instead of ids, read by the notifications consumer when it renders a message:
// programmes, partnerships and providers from the reference data (one BatchGet for all of them), enterprises and
// establishments from their KBO name items (one Query per enterprise and per establishment on the enterprise's
// item collection; a name item's key holds a hash of its text, so it cannot be got by key). All in parallel.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { displayName } from '../domain/kbo.ts';
import { batchGetItems, keyString } from './batch-get.ts';
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

/** The display name (domain rule `displayName`) of the enterprise (establishment null) or of one establishment. */
async function kboName(deps: Dependencies, enterpriseNumber: string, establishmentNumber: string | null): Promise<string | null> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.enterprise.pk(enterpriseNumber), ':prefix': keys.kbo.nameSkPrefix(establishmentNumber) },
      ProjectionExpression: 'denomination, #language, #type',
      ExpressionAttributeNames: { '#language': 'language', '#type': 'type' },
    }),
  );
  return displayName((result.Items ?? []).map((i) => ({ language: '', type: '', value: String(i.denomination), languageCode: i.language, typeCode: i.type })));
}

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
  const [items, enterpriseNames, establishmentNames] = await Promise.all([
    referenceKeys.length ? batchGetItems(deps, referenceKeys, { attributes: ['name'] }) : new Map(),
    Promise.all(enterprises.map((digits) => kboName(deps, digits, null))),
    Promise.all(establishments.map(([establishment, enterprise]) => kboName(deps, enterprise, establishment))),
  ]);
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
