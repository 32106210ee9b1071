// The one pattern of every SQS consumer: Powertools batch processing with its parser integration (the body is
// JSON and must match the message's zod schema from events/), records handled in parallel, and a partial batch
// response, so a failing message is retried alone and, after the queue's maxReceiveCount, ends in its
// dead-letter queue (with its alarm) while the rest of the batch is done. A message that does not parse fails
// every receive: it is logged once per receive by message id, never with its body.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from '../logger.ts';

export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A record whose body the parser turned into the message. */
export type ParsedRecord<M> = Omit<SQSRecord, 'body'> & { body: M };

export function createQueueConsumer<S extends z.ZodType>(
  name: string,
  schema: S,
  handle: (message: z.output<S>, record: ParsedRecord<z.output<S>>) => Promise<void>,
): QueueConsumer {
  const processor = new BatchProcessor(EventType.SQS, {
    parser,
    innerSchema: schema,
    transformer: 'json',
    // The parser's own log names the failing fields; ours adds which queue and which message.
    logger: {
      debug: () => undefined,
      warn: (...args: unknown[]) => logger.warn(`${name}: message refused`, { detail: String(args[0]) }),
      error: (...args: unknown[]) => logger.error(`${name}: message refused`, { detail: String(args[0]) }),
    },
  });
  const recordHandler = async (record: ParsedRecord<z.output<S>>) => {
    try {
      await handle(record.body, record);
    } catch (error) {
      logger.error(`${name}: message failed`, { sqsMessageId: record.messageId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      throw error;
    }
  };
  return async (event, context) =>
    processPartialResponse(event, recordHandler as unknown as (record: SQSRecord) => Promise<void>, processor, { context, throwOnFullBatchFailure: false });
}
