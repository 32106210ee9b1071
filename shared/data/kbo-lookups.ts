// Small lookups on the KBO items of an enterprise (keys: keys.ts and README.md next to this file).
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { displayName, type AddressRecord } from '../domain/kbo.ts';
import type { StoredItem } from './batch-get.ts';
import { addressOfType, entityIn, readCollection } from './kbo.ts';
import * as keys from './keys.ts';

/** The enterprise's display name (domain rule `displayName`), from its name items only. */
export async function getEnterpriseName(deps: Dependencies, enterpriseDigits: string): Promise<string | null> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.enterprise.pk(enterpriseDigits), ':prefix': keys.kbo.nameSkPrefix(null) },
    }),
  );
  return displayName((result.Items ?? []).map((i) => ({ language: '', type: '', value: i.denomination, languageCode: i.language, typeCode: i.type })));
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

/** One establishment of one enterprise, with the address fields rules need: one Query on its item prefix. */
export async function getEstablishmentFacts(
  deps: Dependencies,
  enterpriseDigits: string,
  establishmentDigits: string,
): Promise<EstablishmentFacts | undefined> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.enterprise.pk(enterpriseDigits), ':prefix': keys.kbo.establishmentSkPrefix(establishmentDigits) },
    }),
  );
  const { self: establishment, names, addresses } = entityIn(readCollection((result.Items ?? []) as StoredItem[]), establishmentDigits);
  if (!establishment) return undefined;
  const address = addressOfType(addresses, 'BAET') as Partial<AddressRecord> | undefined;
  return {
    establishmentNumber: String(establishment.establishmentNumber),
    status: establishment.status === 'stopped' ? 'stopped' : 'active',
    postcode: address?.postcode ?? null,
    country: address?.country ?? null,
    municipality: address?.municipality?.nl ?? address?.municipality?.fr ?? null,
    name: names[0] ? String(names[0].denomination) : null,
  };
}

/** Every establishment KBO places at an enterprise, by its 10 digits (the enterprise's item collection). */
export async function establishmentsOf(deps: Dependencies, enterpriseDigits: string): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :establishments)',
        ExpressionAttributeValues: { ':pk': keys.enterprise.pk(enterpriseDigits), ':establishments': keys.enterprise.establishmentSkPrefix },
        ProjectionExpression: 'sk, establishmentNumber',
        ExclusiveStartKey: start,
      }),
    );
    // The collection also holds each establishment's names and address; only the establishment item itself counts.
    for (const item of page.Items ?? []) {
      const number = String(item.establishmentNumber ?? '');
      if (number && item.sk === keys.kbo.establishmentSk(number)) found.push(kboDigits(number));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
