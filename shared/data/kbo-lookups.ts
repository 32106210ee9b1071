// Small lookups on the KBO items of an enterprise (keys: shared/data/README.md).
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';

/** NL name (type 001) first, then any 001, then a commercial name, then anything. */
export async function getEnterpriseName(deps: Dependencies, enterpriseDigits: string): Promise<string | null> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ENT#${enterpriseDigits}`, ':prefix': 'NAME#' },
    }),
  );
  const names = (result.Items ?? []) as { sk: string; denomination: string }[];
  const rank = (sk: string) => {
    const [, type, language] = sk.split('#');
    if (type === '001' && language === '2') return 0;
    if (type === '001') return 1;
    if (type === '003') return 2;
    return 3;
  };
  const best = names.sort((a, b) => rank(a.sk) - rank(b.sk))[0];
  return best?.denomination ?? null;
}

/** Whether KBO data for this enterprise is known (from the full import or the sync). */
export async function enterpriseExists(deps: Dependencies, enterpriseDigits: string): Promise<boolean> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: { pk: `ENT#${enterpriseDigits}`, sk: 'PROFILE' }, ProjectionExpression: 'pk' }));
  return result.Item !== undefined;
}

export type EstablishmentFacts = { establishmentNumber: string; status: 'active' | 'stopped'; postcode: string | null; country: string | null; municipality: string | null; name: string | null };

/** One establishment of one enterprise, with the address fields rules need: one Query on its item prefix. */
export async function getEstablishmentFacts(deps: Dependencies, enterpriseDigits: string, establishmentDigits: string): Promise<EstablishmentFacts | undefined> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ENT#${enterpriseDigits}`, ':prefix': `EST#${establishmentDigits}` },
    }),
  );
  const items = result.Items ?? [];
  const establishment = items.find((i) => i.sk === `EST#${establishmentDigits}`);
  if (!establishment) return undefined;
  const address = items.find((i) => String(i.sk).endsWith('#ADDR#BAET'));
  const name = items.find((i) => String(i.sk).includes('#NAME#'));
  return {
    establishmentNumber: establishment.establishmentNumber,
    status: establishment.status === 'stopped' ? 'stopped' : 'active',
    postcode: address?.postcode ?? null,
    country: address?.country ?? null,
    municipality: address?.municipality?.nl ?? address?.municipality?.fr ?? null,
    name: name?.denomination ?? null,
  };
}
