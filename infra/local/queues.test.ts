// The local event source mapping: partial batch failures are retried, processed messages deleted, and a
// message that keeps failing moves to the dead-letter queue after maxReceiveCount receives.
import { beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createTestEnvironment, type TestEnvironment } from './testing/environment.ts';
import { pollOnce } from './queues.ts';

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});

const depth = async (url: string) =>
  Number(
    (
      await env.deps.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      )
    ).Attributes?.ApproximateNumberOfMessages ?? 0,
  );

describe('local queue polling', () => {
  it('deletes processed messages, retries failed ones and dead-letters a poison message', async () => {
    const queue = env.queues[0]!;
    await env.deps.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'good' }));
    await env.deps.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'poison' }));
    const seen: string[] = [];
    const handler = async (event: { Records: { messageId: string; body: string }[] }) => {
      seen.push(...event.Records.map((r) => r.body));
      return { batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) };
    };
    for (let i = 0; i < queue.definition.maxReceiveCount + 2; i++)
      await pollOnce(env.deps.sqs, queue, handler as never, { waitSeconds: 0, retryAfterSeconds: 0 });
    expect(seen.filter((b) => b === 'good')).toHaveLength(1);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(queue.definition.maxReceiveCount);
    expect(await depth(queue.url)).toBe(0);
    const dead = await env.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual(['poison']);
  });
});
