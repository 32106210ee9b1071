// Polls each SQS queue the way a Lambda event source mapping does: batches of up to `batchSize`, the
// consumer's partial batch response (`batchItemFailures`), deletion of the processed messages, and the
// queue's redrive policy moving a message to its dead-letter queue after `maxReceiveCount` receives.
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import type { LocalQueue } from './emulators.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export function toSqsEvent(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'eu-west-1',
    })),
  };
}

/** Runs one receive-process-delete cycle; returns how many messages it handled. */
export async function pollOnce(
  sqs: SQSClient,
  queue: LocalQueue,
  handler: SqsHandler,
  options: { waitSeconds: number; retryAfterSeconds: number },
): Promise<number> {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: Math.min(queue.definition.batchSize, 10),
      WaitTimeSeconds: options.waitSeconds,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const messages = received.Messages ?? [];
  if (messages.length === 0) return 0;
  const queueArn = queue.dlqArn.replace(/-dlq$/, '');
  let failedIds = new Set<string>();
  try {
    const result = await handler(toSqsEvent(messages, queueArn), { functionName: `consumer-${queue.definition.id}`, awsRequestId: ulid() } as Context);
    failedIds = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (error) {
    // A thrown handler fails the whole batch, as in Lambda.
    console.error(`[queue ${queue.definition.id}] consumer threw; the whole batch will be retried`, (error as Error).message);
    failedIds = new Set(messages.map((m) => m.MessageId!));
  }
  const done = messages.filter((m) => !failedIds.has(m.MessageId!));
  const failed = messages.filter((m) => failedIds.has(m.MessageId!));
  if (done.length) {
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  if (failed.length) {
    // Locally a failed message comes back after a few seconds instead of the full visibility timeout.
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue.url,
        Entries: failed.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: options.retryAfterSeconds })),
      }),
    );
  }
  return messages.length;
}

export function startQueuePollers(sqs: SQSClient, queues: { queue: LocalQueue; handler: SqsHandler }[], options = { waitSeconds: 1, retryAfterSeconds: 2 }) {
  // One loop per queue, so one batch at a time: always within the queue's maxConcurrency (at least 2), which is
  // a ceiling in AWS, not a target. More loops would only make the local runs and tests less repeatable.
  let running = true;
  const loops = queues.map(async ({ queue, handler }) => {
    while (running) {
      try {
        await pollOnce(sqs, queue, handler, options);
      } catch (error) {
        if (running) console.error(`[queue ${queue.definition.id}] poll failed`, (error as Error).message);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.allSettled(loops);
    },
  };
}
