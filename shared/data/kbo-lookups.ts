// Small lookups on the KBO items of an enterprise and its establishments (keys: keys.ts and README.md next to this file).
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { addressesOf, addressOfType, displayNameOf, getEstablishmentItem, namesOf } from './kbo.ts';
import * as keys from './keys.ts';

/** The enterprise's display name (domain rule `displayName`), from its item's names only. */
export async function getEnterpriseName(deps: Dependencies, enterpriseDigits: string): Promise<string | null> {
  const result = await deps.db.send(
    new GetCommand({
      TableName: deps.config.TABLE_NAME,
      Key: keys.enterprise.profile(enterpriseDigits),
      ProjectionExpression: '#names',
      ExpressionAttributeNames: { '#names': 'names' },
    }),
  );
  return result.Item ? displayNameOf(result.Item) : null;
}

/** Whether KBO data for this enterprise is known (from the full import or the sync). */
export async function enterpriseExists(deps: Dependencies, enterpriseDigits: string): Promise<boolean> {
  const result = await deps.db.send(
    new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.enterprise.profile(enterpriseDigits), ProjectionExpression: 'pk' }),
  );
  return result.Item !== undefined;
}

export type EstablishmentFacts = {
  establishmentNumber: string;
  status: 'active' | 'stopped';
  postcode: string | null;
  country: string | null;
  municipality: string | null;
  name: string | null;
};

/**
 * One establishment of one enterprise, with the address fields rules need: a GetItem of the establishment's item.
 * An establishment KBO places at another enterprise is not this enterprise's: undefined.
 */
export async function getEstablishmentFacts(
  deps: Dependencies,
  enterpriseDigits: string,
  establishmentDigits: string,
): Promise<EstablishmentFacts | undefined> {
  const establishment = await getEstablishmentItem(deps, establishmentDigits);
  if (!establishment || kboDigits(String(establishment.enterpriseNumber)) !== kboDigits(enterpriseDigits)) return undefined;
  const address = addressOfType(addressesOf(establishment), 'BAET');
  const names = namesOf(establishment);
  return {
    establishmentNumber: String(establishment.establishmentNumber),
    status: establishment.status === 'stopped' ? 'stopped' : 'active',
    postcode: address?.postcode ?? null,
    country: address?.country ?? null,
    municipality: address?.municipality?.nl ?? address?.municipality?.fr ?? null,
    name: names[0] ? names[0].denomination : null,
  };
}

/** Every establishment KBO places at an enterprise, by its 10 digits: a keys-only Query of gsi1 `ENT#<enterprise>` under `KBO#EST#`. */
export async function establishmentsOf(deps: Dependencies, enterpriseDigits: string): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :establishments)',
        ExpressionAttributeValues: { ':pk': keys.enterprise.index(enterpriseDigits), ':establishments': keys.kbo.establishmentsIndexSkPrefix },
        ProjectionExpression: 'establishmentNumber',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) found.push(kboDigits(String(item.establishmentNumber)));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
