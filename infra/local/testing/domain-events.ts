// The agreements context's consumer of domain events, run in a test until the queue is empty: what a deployed
// stage does shortly after a revocation or a moved establishment (its tasks for counsellors and the enterprise).
import { createDomainEventConsumer } from '../../../functions/agreements/events-consumer.ts';
import { pollOnce } from '../queues.ts';
import type { TestEnvironment } from './environment.ts';

export async function drainDomainEvents(env: TestEnvironment): Promise<void> {
  const queue = env.queues.find((q) => q.definition.id === 'domain-events')!;
  const consumer = createDomainEventConsumer(env.deps);
  while ((await pollOnce(env.deps.sqs, queue, consumer, { waitSeconds: 0, retryAfterSeconds: 0 })) > 0);
}
