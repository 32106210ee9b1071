// Mandates: an enterprise's signed authorisation for a training provider's counsellors to act for it.
// Item: pk `ENT#<enterprise>`, sk `MANDATE#<provider>` (at most one per pair; the enterprise's item collection),
// gsi1pk `PROVIDER#<provider>`, gsi1sk `MANDATE#<enterprise>` (the provider's list).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { conflict, notFound } from '../http/problem.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

export type Mandate = {
  enterpriseNumber: string;
  providerId: string;
  documentId: string;
  status: 'active' | 'revoked';
  registeredBy: string;
  registeredAt: string;
  revokedBy?: string;
  revokedAt?: string;
  version: number;
};

const key = (enterpriseDigits: string, providerId: string) => ({ pk: `ENT#${enterpriseDigits}`, sk: `MANDATE#${providerId}` });
const digits = (formatted: string) => formatted.replace(/\./g, '');

function fromItem(item: Record<string, unknown>): Mandate {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...mandate } = item;
  return mandate as Mandate;
}

/** Registers a mandate; a revoked one for the same pair may be replaced, an active one may not. */
export async function registerMandate(deps: Dependencies, mandate: Mandate): Promise<void> {
  const enterprise = digits(mandate.enterpriseNumber);
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { ...key(enterprise, mandate.providerId), gsi1pk: `PROVIDER#${mandate.providerId}`, gsi1sk: `MANDATE#${enterprise}`, ...mandate },
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :revoked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked' },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw conflict('mandate-exists', 'Deze opleidingsverstrekker heeft al een actieve machtiging van deze onderneming.');
    throw error;
  }
}

export async function getMandate(deps: Dependencies, enterpriseDigits: string, providerId: string): Promise<Mandate | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key(enterpriseDigits, providerId), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : undefined;
}

export async function hasActiveMandate(deps: Dependencies, enterpriseDigits: string, providerId: string): Promise<boolean> {
  return (await getMandate(deps, enterpriseDigits, providerId))?.status === 'active';
}

export async function revokeMandate(deps: Dependencies, enterpriseDigits: string, providerId: string, by: string): Promise<Mandate> {
  try {
    const result = await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: key(enterpriseDigits, providerId),
        UpdateExpression: 'SET #status = :revoked, revokedBy = :by, revokedAt = :now, version = version + :one',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':by': by, ':now': deps.clock.now().toISOString(), ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(result.Attributes!);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw notFound('mandate-not-found', 'Er is geen actieve machtiging voor deze opleidingsverstrekker.');
    throw error;
  }
}

export async function listMandates(
  deps: Dependencies,
  owner: { enterpriseDigits: string } | { providerId: string },
  page: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: Mandate[]; cursor: string | null }> {
  const byEnterprise = 'enterpriseDigits' in owner;
  const partition = byEnterprise ? { attribute: 'pk', value: `ENT#${owner.enterpriseDigits}` } : { attribute: 'gsi1pk', value: `PROVIDER#${owner.providerId}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      ...(byEnterprise ? {} : { IndexName: 'gsi1' }),
      KeyConditionExpression: `${partition.attribute} = :pk AND begins_with(${byEnterprise ? 'sk' : 'gsi1sk'}, :prefix)`,
      ExpressionAttributeValues: { ':pk': partition.value, ':prefix': 'MANDATE#' },
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(fromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}
