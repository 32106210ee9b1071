// The outbox: events for other contexts are written as items in the same transaction as the change that
// causes them (pk `EVENT#<event id>`, sk `EVENT`), so an event exists exactly when its change does. While not
// yet dispatched an event is in gsi1 under `OUTBOX` / `<created at>#<event id>` (a sparse index); the
// dispatcher sends it to the domain-events queue and removes it from the index. A conflict on the event's key
// means the same change was already recorded, so a retried change cannot publish twice.
import type { DomainEvent } from '../../events/domain-event.ts';

export const outboxPartition = 'OUTBOX';

export function outboxItem(event: DomainEvent, createdAt: string) {
  return { pk: `EVENT#${event.eventId}`, sk: 'EVENT', gsi1pk: outboxPartition, gsi1sk: `${createdAt}#${event.eventId}`, createdAt, event };
}

/** A TransactWriteItems entry that records the event once. */
export function outboxPut(tableName: string, event: DomainEvent, createdAt: string) {
  return { Put: { TableName: tableName, Item: outboxItem(event, createdAt), ConditionExpression: 'attribute_not_exists(pk)' } };
}
