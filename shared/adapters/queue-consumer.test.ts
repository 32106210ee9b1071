// The consumer pattern: a valid message reaches the handler parsed; a malformed one, one that does not match
// its schema, and one whose handling fails are each reported as a batch item failure, alone.
import { describe, expect, it } from 'vitest';
import type { Context, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { createQueueConsumer } from './queue-consumer.ts';

const record = (messageId: string, body: string) => ({
  messageId,
  receiptHandle: messageId,
  body,
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q',
  awsRegion: 'eu-west-1',
  messageAttributes: {},
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
});

describe('the queue consumer pattern', () => {
  it('hands over parsed messages and fails only the bad ones', async () => {
    const seen: { n: number }[] = [];
    const consumer = createQueueConsumer('test', z.object({ n: z.number().int() }), async (message) => {
      if (message.n === 13) throw new Error('unlucky');
      seen.push(message);
    });
    const event = {
      Records: [record('a', '{"n":1}'), record('b', 'not json'), record('c', '{"n":"x"}'), record('d', '{"n":13}'), record('e', '{"n":2}')],
    } as SQSEvent;
    const result = await consumer(event, {} as Context);
    expect(seen.map((m) => m.n).sort()).toEqual([1, 2]);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['b', 'c', 'd']);
  });
});
