// Mandates: an enterprise's signed authorisation for a training provider's counsellors to act for it. At most
// one per enterprise and provider, in the enterprise's item collection, and in the provider's list on gsi1
// (keys: keys.ts `mandate`). The statuses and what each allows are in shared/domain/mandates.ts.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { mandateScope, mandateTransitions, replaceableStatuses, type Mandate, type MandateAction, type MandateScope } from '../domain/mandates.ts';
import * as keys from './keys.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

export type { Mandate } from '../domain/mandates.ts';

/** The mandate of a stored item (as read by a Get, a Query or another repository's BatchGet). */
export function mandateFromItem(item: Record<string, unknown>): Mandate {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...mandate } = item;
  return mandate as Mandate;
}

/** Registers a pending mandate; one that no longer counts (rejected, revoked) is replaced, a live one is not. */
export async function registerMandate(deps: Dependencies, mandate: Mandate): Promise<{ ok: true } | { ok: false; conflict: 'mandate-exists' }> {
  const enterprise = kboDigits(mandate.enterpriseNumber);
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: {
          ...keys.mandate.key(enterprise, mandate.providerId),
          gsi1pk: keys.mandate.providerIndex(mandate.providerId),
          gsi1sk: keys.mandate.providerIndexSk(enterprise),
          ...mandate,
        },
        ConditionExpression: `attribute_not_exists(pk) OR #status IN (${replaceableStatuses.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: Object.fromEntries(replaceableStatuses.map((s, i) => [`:s${i}`, s])),
      }),
    );
    return { ok: true };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { ok: false, conflict: 'mandate-exists' };
    throw error;
  }
}

export async function getMandate(deps: Dependencies, enterpriseDigits: string, providerId: string): Promise<Mandate | undefined> {
  const result = await deps.db.send(
    new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.mandate.key(enterpriseDigits, providerId), ConsistentRead: true }),
  );
  return result.Item ? mandateFromItem(result.Item) : undefined;
}

/** What the provider's counsellors may do for the enterprise (one GetItem). */
export async function mandateScopeOf(deps: Dependencies, enterpriseDigits: string, providerId: string): Promise<MandateScope> {
  return mandateScope(await getMandate(deps, enterpriseDigits, providerId));
}

export type MandateChange =
  | { action: 'confirm'; by: string }
  | { action: 'revoke'; by: string }
  | { action: 'reject'; by: string; partnershipId: string; reasons: string };

/**
 * The conditional update of one change, for an UpdateCommand or a transaction: the status moves only if it
 * allows that action, so two concurrent changes cannot both win.
 */
export function mandateChangeUpdate(table: string, enterpriseDigits: string, providerId: string, change: MandateChange, now: string) {
  const { from, to } = mandateTransitions[change.action satisfies MandateAction];
  const set: Record<string, unknown> = { ':to': to, ':one': 1 };
  const assignments = ['#status = :to', 'version = version + :one'];
  const field = (name: string, value: unknown) => {
    set[`:${name}`] = value;
    assignments.push(`${name} = :${name}`);
  };
  if (change.action === 'confirm') {
    field('confirmedBy', change.by);
    field('confirmedAt', now);
  }
  if (change.action === 'revoke') {
    field('revokedBy', change.by);
    field('revokedAt', now);
  }
  if (change.action === 'reject') field('rejection', { partnershipId: change.partnershipId, reasons: change.reasons, by: change.by, at: now });
  return {
    TableName: table,
    Key: keys.mandate.key(enterpriseDigits, providerId),
    UpdateExpression: `SET ${assignments.join(', ')}`,
    ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ...set, ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])) },
  };
}

/**
 * Confirms or revokes the mandate if it is still at `expectedVersion` (the If-Match of the enterprise's request)
 * and its status allows that action. Returns the changed mandate, or why not: a stale version first, since the
 * caller must read the mandate again before anything else it says is worth answering.
 */
export async function changeMandate(
  deps: Dependencies,
  key: { enterpriseDigits: string; providerId: string; expectedVersion: number },
  change: MandateChange,
): Promise<{ ok: true; mandate: Mandate } | { ok: false; conflict: 'mandate-not-found' | 'mandate-status' | 'version-conflict' }> {
  const { enterpriseDigits, providerId, expectedVersion } = key;
  const update = mandateChangeUpdate(deps.config.TABLE_NAME, enterpriseDigits, providerId, change, deps.clock.now().toISOString());
  try {
    const result = await deps.db.send(
      new UpdateCommand({
        ...update,
        ConditionExpression: `(${update.ConditionExpression}) AND version = :expected`,
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':expected': expectedVersion },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { ok: true, mandate: mandateFromItem(result.Attributes!) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = await getMandate(deps, enterpriseDigits, providerId);
    if (!current) return { ok: false, conflict: 'mandate-not-found' };
    return { ok: false, conflict: current.version === expectedVersion ? 'mandate-status' : 'version-conflict' };
  }
}

export async function listMandates(
  deps: Dependencies,
  owner: { enterpriseDigits: string } | { providerId: string },
  page: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: Mandate[]; cursor: string | null }> {
  const byEnterprise = 'enterpriseDigits' in owner;
  const partition = byEnterprise
    ? { attribute: 'pk', value: keys.enterprise.pk(owner.enterpriseDigits) }
    : { attribute: 'gsi1pk', value: keys.mandate.providerIndex(owner.providerId) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      ...(byEnterprise ? {} : { IndexName: 'gsi1' }),
      KeyConditionExpression: `${partition.attribute} = :pk AND begins_with(${byEnterprise ? 'sk' : 'gsi1sk'}, :prefix)`,
      ExpressionAttributeValues: { ':pk': partition.value, ':prefix': keys.mandate.skPrefix },
      ExclusiveStartKey: decodeCursor(page.cursor, partition),
      Limit: page.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(mandateFromItem), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/**
 * The enterprises (10 digits, in order) whose mandate of this provider is confirmed: every page of the provider's
 * mandates on gsi1 (a provider holds tens, not thousands).
 */
export async function confirmedMandateEnterprises(deps: Dependencies, providerId: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMandates(deps, { providerId }, { cursor, limit: 100 });
    found.push(...page.items.filter((m) => m.status === 'confirmed').map((m) => kboDigits(m.enterpriseNumber)));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return found.sort();
}
