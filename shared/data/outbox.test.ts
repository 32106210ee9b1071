// The outbox against the emulators: an event recorded in a transaction is sent to the domain-events queue once
// and leaves the outbox index; recording the same event twice is refused by its key.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import revoked from '../../events/examples/recognition-revoked.json' with { type: 'json' };
import { domainEventSchema, type DomainEvent } from '../../events/domain-event.ts';
import { createTestEnvironment, drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { dispatchOutbox, outboxPut } from './outbox.ts';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await drainQueue(env.deps, env.config.DOMAIN_EVENTS_QUEUE_URL);
});

const event = (n: number): DomainEvent => domainEventSchema.parse({ ...revoked, eventId: `${revoked.eventId}-outbox-${n}` });
const record = (e: DomainEvent) =>
  env.deps.db.send(new TransactWriteCommand({ TransactItems: [outboxPut(env.config.TABLE_NAME, e, new Date().toISOString())] }));

describe('the outbox', () => {
  it('sends each recorded event once, oldest first, and records an event once', async () => {
    await record(event(1));
    await record(event(2));
    await expect(record(event(1))).rejects.toThrow();

    expect(await dispatchOutbox(env.deps)).toBe(2);
    const sent = await drainQueue<DomainEvent>(env.deps, env.config.DOMAIN_EVENTS_QUEUE_URL);
    expect(sent.map((e) => e.eventId)).toEqual([event(1).eventId, event(2).eventId]);
    expect(sent.every((e) => domainEventSchema.safeParse(e).success)).toBe(true);

    expect(await dispatchOutbox(env.deps)).toBe(0);
    expect(await drainQueue(env.deps, env.config.DOMAIN_EVENTS_QUEUE_URL)).toEqual([]);
  });
});
