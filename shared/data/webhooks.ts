// Webhook subscriptions and their deliveries (keys: `webhook` in keys.ts). A subscription lives in its
// organisation's partition, so every read and write names the organisation and another organisation's
// subscription is simply not found. A delivery is one event for one subscription under a deterministic id: it is
// created once (attribute_not_exists), and every attempt is recorded on it conditioned on the attempts counted so
// far, so a duplicate queue message cannot record an attempt twice.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudEvent } from '../../events/cloud-event.ts';
import type { WebhookDeliveryMessage } from '../../events/webhook-delivery.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { DeliveryAttempt, DeliveryError, DeliveryStatus, Subscription, SubscriptionStatus } from '../domain/webhooks.ts';
import { webhook } from './keys.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { ok, refused, type Result } from './result.ts';

export type Delivery = {
  id: string;
  subscriptionId: string;
  organisationKey: string;
  eventId: string;
  eventType: string;
  event: CloudEvent;
  status: DeliveryStatus;
  /** Attempts over every round. */
  attempts: number;
  round: number;
  /** Attempts in this round: the retry its next message must carry; a message with another one is a duplicate. */
  retry: number;
  lastResponseStatus: number | null;
  lastError: DeliveryError | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  /** The retry of the round whose failure ended it: its queue message is the one on its way to the dead-letter queue. */
  deadLetteredRetry: number | null;
  attemptLog: DeliveryAttempt[];
};

/** Deliveries are kept 30 days for the log (TTL), long after their last retry (about a day). */
export const deliveryRetentionDays = 30;
/** The log keeps the last attempts of a delivery; the counter keeps them all. */
const attemptLogLength = 20;

const subscriptionOf = (item: Record<string, unknown>): Subscription => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as Subscription;
};
const deliveryOf = (item: Record<string, unknown>): Delivery => {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ttl: _t, ...rest } = item;
  return rest as Delivery;
};

export async function createSubscription(deps: Dependencies, subscription: Subscription): Promise<void> {
  await deps.db.send(
    new PutCommand({
      TableName: deps.config.TABLE_NAME,
      Item: { ...webhook.subscription(subscription.organisationKey, subscription.id), ...subscription },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getSubscription(deps: Dependencies, organisationKey: string, id: string): Promise<Subscription | undefined> {
  const found = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: webhook.subscription(organisationKey, id), ConsistentRead: true }));
  return found.Item ? subscriptionOf(found.Item) : undefined;
}

/** One page of an organisation's subscriptions, oldest first (ids are ULIDs). */
export async function listSubscriptions(deps: Dependencies, organisationKey: string, query: { cursor?: string | undefined; limit?: number | undefined } = {}) {
  const partition = { attribute: 'pk', value: webhook.subscriptionsPk(organisationKey) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition.value, ':prefix': webhook.subscriptionSkPrefix },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      Limit: query.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(subscriptionOf), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** Every subscription of an organisation: the fan-out of one event reads them in one Query per page. */
export async function allSubscriptions(deps: Dependencies, organisationKey: string): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await listSubscriptions(deps, organisationKey, { cursor, limit: 100 });
    all.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return all;
}

export type SubscriptionConflict = 'not-found' | 'version-conflict';

/** After a refused condition: gone (or never this organisation's), or at another version. */
async function whyRefused(deps: Dependencies, organisationKey: string, id: string): Promise<SubscriptionConflict> {
  return (await getSubscription(deps, organisationKey, id)) ? 'version-conflict' : 'not-found';
}

/** Pauses or resumes at the If-Match version. Setting the status it has is a change all the same (a new version). */
export async function setSubscriptionStatus(
  deps: Dependencies,
  input: { organisationKey: string; id: string; status: SubscriptionStatus; expectedVersion: number },
): Promise<Result<Subscription, SubscriptionConflict>> {
  try {
    const updated = await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: webhook.subscription(input.organisationKey, input.id),
        UpdateExpression: 'SET #status = :status, version = version + :one, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': input.status, ':one': 1, ':now': deps.clock.now().toISOString(), ':expected': input.expectedVersion },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return ok(subscriptionOf(updated.Attributes!));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return refused(await whyRefused(deps, input.organisationKey, input.id));
  }
}

/** Deletes at the If-Match version; its deliveries stay in the log until their TTL, and pending ones stop. */
export async function deleteSubscription(
  deps: Dependencies,
  input: { organisationKey: string; id: string; expectedVersion: number },
): Promise<Result<null, SubscriptionConflict>> {
  try {
    await deps.db.send(
      new DeleteCommand({
        TableName: deps.config.TABLE_NAME,
        Key: webhook.subscription(input.organisationKey, input.id),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': input.expectedVersion },
      }),
    );
    return ok(null);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return refused(await whyRefused(deps, input.organisationKey, input.id));
  }
}

/**
 * Records the delivery of an event to a subscription once. `created` false: it existed already (the event was
 * enqueued before); `unsent` tells whether it may never have reached the queue (pending, not yet tried), so the
 * caller sends its first message again rather than lose it (a duplicate message is harmless, see recordAttempt).
 */
export async function createDelivery(
  deps: Dependencies,
  input: { id: string; subscription: Subscription; event: CloudEvent; eventType: string },
): Promise<{ created: boolean; unsent: boolean }> {
  const now = deps.clock.now();
  const delivery: Delivery = {
    id: input.id,
    subscriptionId: input.subscription.id,
    organisationKey: input.subscription.organisationKey,
    eventId: input.event.id,
    eventType: input.eventType,
    event: input.event,
    status: 'pending',
    attempts: 0,
    round: 0,
    retry: 0,
    lastResponseStatus: null,
    lastError: null,
    createdAt: now.toISOString(),
    lastAttemptAt: null,
    nextAttemptAt: now.toISOString(),
    deliveredAt: null,
    failedAt: null,
    deadLetteredRetry: null,
    attemptLog: [],
  };
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: {
          ...webhook.delivery(delivery.id),
          gsi1pk: webhook.deliveriesIndex(delivery.subscriptionId),
          gsi1sk: webhook.deliveriesIndexSk(delivery.createdAt, delivery.id),
          ttl: Math.floor(now.getTime() / 1000) + deliveryRetentionDays * 86_400,
          ...delivery,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, unsent: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = await getDelivery(deps, input.id);
    return { created: false, unsent: existing !== undefined && existing.status === 'pending' && existing.attempts === 0 && existing.round === 0 };
  }
}

export async function getDelivery(deps: Dependencies, id: string): Promise<Delivery | undefined> {
  const found = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: webhook.delivery(id), ConsistentRead: true }));
  return found.Item ? deliveryOf(found.Item) : undefined;
}

/** The delivery log of a subscription, newest first. */
export async function listDeliveries(deps: Dependencies, subscriptionId: string, query: { cursor?: string | undefined; limit?: number | undefined }) {
  const partition = { attribute: 'gsi1pk', value: webhook.deliveriesIndex(subscriptionId) };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition.value },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      ScanIndexForward: false,
      Limit: query.limit ?? 50,
    }),
  );
  return { items: (result.Items ?? []).map(deliveryOf), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

export type AttemptOutcome = { status: 'delivered' } | { status: 'pending'; nextAttemptAt: string } | { status: 'failed'; deadLetteredRetry: number | null };

/**
 * Records one attempt (or, without `attempt`, a stop without one: the subscription was paused or deleted) and what
 * follows from it. False: another message of the same delivery recorded first (a duplicate), so this one does nothing
 * more.
 */
export async function recordAttempt(
  deps: Dependencies,
  delivery: Delivery,
  input: { attempt: Omit<DeliveryAttempt, 'attempt'> | undefined; error: DeliveryError | null; outcome: AttemptOutcome },
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  const attempts = delivery.attempts + (input.attempt ? 1 : 0);
  const log = input.attempt ? [...delivery.attemptLog, { attempt: attempts, ...input.attempt }].slice(-attemptLogLength) : delivery.attemptLog;
  const { outcome } = input;
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: webhook.delivery(delivery.id),
        UpdateExpression:
          'SET #status = :status, attempts = :attempts, #retry = :retry, attemptLog = :log, lastResponseStatus = :response, lastError = :error, ' +
          'lastAttemptAt = :lastAttemptAt, nextAttemptAt = :next, deliveredAt = :deliveredAt, failedAt = :failedAt, deadLetteredRetry = :deadLettered',
        ConditionExpression: 'attempts = :before AND #round = :round AND #status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#round': 'round', '#retry': 'retry' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':attempts': attempts,
          ':retry': delivery.retry + (input.attempt ? 1 : 0),
          ':log': log,
          ':response': input.attempt ? input.attempt.responseStatus : delivery.lastResponseStatus,
          ':error': input.error,
          ':lastAttemptAt': input.attempt ? input.attempt.at : delivery.lastAttemptAt,
          ':next': outcome.status === 'pending' ? outcome.nextAttemptAt : null,
          ':deliveredAt': outcome.status === 'delivered' ? now : delivery.deliveredAt,
          ':failedAt': outcome.status === 'failed' ? now : null,
          ':deadLettered': outcome.status === 'failed' ? outcome.deadLetteredRetry : null,
          ':before': delivery.attempts,
          ':round': delivery.round,
          ':pending': 'pending',
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export type RedeliveryConflict = 'not-found' | 'delivery-not-found' | 'still-pending' | 'subscription-paused';

/**
 * Starts a new round of a delivery of this organisation's subscription: pending again, tried at once, retried on the
 * schedule. Refused while a round is still being tried, and for a paused subscription (it gets no deliveries).
 */
export async function startRedelivery(
  deps: Dependencies,
  input: { organisationKey: string; subscriptionId: string; deliveryId: string },
): Promise<Result<Delivery, RedeliveryConflict>> {
  const subscription = await getSubscription(deps, input.organisationKey, input.subscriptionId);
  if (!subscription) return refused('not-found');
  const delivery = await getDelivery(deps, input.deliveryId);
  if (!delivery || delivery.subscriptionId !== subscription.id || delivery.organisationKey !== input.organisationKey) return refused('delivery-not-found');
  if (subscription.status === 'paused') return refused('subscription-paused');
  if (delivery.status === 'pending') return refused('still-pending');
  const now = deps.clock.now().toISOString();
  try {
    const updated = await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: webhook.delivery(delivery.id),
        UpdateExpression:
          'SET #status = :pending, #round = :next, #retry = :zero, nextAttemptAt = :now, failedAt = :null, deadLetteredRetry = :null, lastError = :null',
        ConditionExpression: '#round = :round AND #status <> :pending',
        ExpressionAttributeNames: { '#status': 'status', '#round': 'round', '#retry': 'retry' },
        ExpressionAttributeValues: { ':pending': 'pending', ':zero': 0, ':next': delivery.round + 1, ':now': now, ':null': null, ':round': delivery.round },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return ok(deliveryOf(updated.Attributes!));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('still-pending');
    throw error;
  }
}

/** SQS delays a message 15 minutes at most; a longer wait is served in steps (the consumer sends it on). */
export const maxDelaySeconds = 900;

/** Puts attempts on the webhooks queue; throws when SQS refuses any, so the caller's retry sends them again. */
export async function sendDeliveryMessages(deps: Dependencies, messages: { message: WebhookDeliveryMessage; delaySeconds: number }[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    const sent = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.config.WEBHOOKS_QUEUE_URL,
        Entries: chunk.map(({ message, delaySeconds }, n) => ({
          Id: String(n),
          MessageBody: JSON.stringify(message),
          DelaySeconds: Math.max(0, Math.min(maxDelaySeconds, Math.ceil(delaySeconds))),
        })),
      }),
    );
    if ((sent.Failed ?? []).length > 0) throw new Error(`the webhooks queue refused ${sent.Failed!.length} of ${chunk.length} delivery messages`);
  }
}
