// The outbox: events for other contexts are written as items in the same transaction as the change that
// causes them (one item per event id, keys: `outbox` in keys.ts), so an event exists exactly when its change
// does. While not yet dispatched an event is in gsi1 under the outbox partition, oldest first (a sparse index); the
// dispatcher writes it to the event feeds of the organisations that may see it (feed.ts), sends it to the
// domain-events queue and removes it from the index. A conflict on the event's key
// means the same change was already recorded, so a retried change cannot publish twice.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { domainEventSchema, type DomainEvent } from '../../events/domain-event.ts';
import { brusselsDate } from '../adapters/clock.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { suspensionEvent } from '../domain/feed.ts';
import type { Recognition } from '../domain/recognitions.ts';
import { logger } from '../logger.ts';
import { feedEntriesOf, writeFeedEntries } from './feed.ts';
import { enqueueWebhookDeliveries } from './webhook-enqueue.ts';
import { outbox } from './keys.ts';

export const outboxPartition = outbox.index;

export function outboxItem(event: DomainEvent, createdAt: string) {
  return { ...outbox.key(event.eventId), gsi1pk: outbox.index, gsi1sk: outbox.indexSk(createdAt, event.eventId), createdAt, event };
}

/** A TransactWriteItems entry that records the event once. */
export function outboxPut(tableName: string, event: DomainEvent, createdAt: string) {
  return { Put: { TableName: tableName, Item: outboxItem(event, createdAt), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/**
 * The outbox entry `suspended` of a recognition a change saved without a mentor that counts on the day of `at`
 * (suspensionEvent), to write in that change's transaction; none when a mentor still counts.
 */
export function suspensionPuts(tableName: string, saved: Recognition, at: string) {
  const event = suspensionEvent(saved, brusselsDate(new Date(at)), at);
  return event ? [outboxPut(tableName, event, at)] : [];
}

/**
 * Sends the oldest undispatched events to the domain-events queue and takes them out of the index. At least
 * once: a crash between sending and marking sends the event again later, so consumers are idempotent.
 * Producers call this right after their transaction; the `outbox-dispatch` schedule catches what they missed.
 */
export async function dispatchOutbox(deps: Dependencies, limit = 100): Promise<number> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': outboxPartition },
      Limit: limit,
    }),
  );
  const items = result.Items ?? [];
  for (let i = 0; i < items.length; i += 10) {
    for (const item of items.slice(i, i + 10)) await publishToFeeds(deps, item.event);
    const chunk = items.slice(i, i + 10);
    const sent = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.config.DOMAIN_EVENTS_QUEUE_URL,
        Entries: chunk.map((item, n) => ({ Id: String(n), MessageBody: JSON.stringify(item.event) })),
      }),
    );
    const failed = new Set((sent.Failed ?? []).map((f) => Number(f.Id)));
    for (const [n, item] of chunk.entries()) if (!failed.has(n)) await markDispatched(deps, { pk: item.pk, sk: item.sk });
  }
  return items.length;
}

/**
 * The feeds of the organisations that may see the event get their entry before the event leaves the outbox, so
 * it is in every feed it belongs to, or still in the outbox and written again (once per feed) by the next run.
 */
async function publishToFeeds(deps: Dependencies, stored: unknown): Promise<void> {
  // An event of an older shape gets its defaults; one that does not parse is for the queue's consumers (and its
  // dead-letter queue) to judge, not a reason to block the outbox.
  const event = domainEventSchema.safeParse(stored);
  if (!event.success) {
    logger.warn('outbox event not fed: it does not match the domain-event schema');
    return;
  }
  const entries = await feedEntriesOf(deps, event.data);
  await writeFeedEntries(deps, entries);
  // The subscriptions of these organisations get their deliveries from the same entries; if this fails the event
  // stays in the outbox and comes again (feed entries and deliveries are idempotent).
  await enqueueWebhookDeliveries(deps, entries);
}

/** Takes a sent event out of the outbox index; it is kept a while for tracing. */
async function markDispatched(deps: Dependencies, key: { pk: string; sk: string }): Promise<void> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: key,
        UpdateExpression: 'SET dispatchedAt = :now, #ttl = :ttl REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(gsi1pk)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':now': deps.clock.now().toISOString(),
          ':ttl': Math.floor(deps.clock.now().getTime() / 1000) + dispatchedRetentionDays * 86_400,
        },
      }),
    );
  } catch (error) {
    // Another dispatcher marked it first: it was sent twice, which consumers tolerate.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Dispatched events are kept a year for tracing, then removed by TTL. */
export const dispatchedRetentionDays = 365;

/** Best effort after a producer's transaction: a failure here is caught up by the schedule, never a failed request. */
export async function dispatchSoon(deps: Dependencies): Promise<void> {
  try {
    await dispatchOutbox(deps);
  } catch (error) {
    logger.warn('outbox dispatch deferred to the schedule', { error: error instanceof Error ? error.name : 'unknown' });
  }
}
