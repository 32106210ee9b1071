// The one pattern of every SQS consumer: Powertools batch processing (records in parallel, a partial batch
// response), each body parsed as JSON against the message's zod schema from events/. A failing message is
// retried alone and, after the queue's maxReceiveCount, ends in its dead-letter queue (with its alarm) while the
// rest of the batch is done. Logs name the message by its SQS id, the rules a refused body breaks (paths and
// codes, never values) and a failure's error name (never its message: an SES error quotes the address).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from '../logger.ts';

export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A body that is no message of the queue: it fails every receive, and so ends in the dead-letter queue. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

/** The message in a record's body, or why it is none (the rules it breaks, without the values). */
export function parseMessage<S extends z.ZodType>(schema: S, body: string): { ok: true; message: z.output<S> } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problems: ['body: not JSON'] };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, problems: parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.code}`) };
}

/** `message` names the message in the logs: 'notification' gives "malformed notification message". */
export function createQueueConsumer<S extends z.ZodType>(
  message: string,
  schema: S,
  handle: (message: z.output<S>, record: SQSRecord) => Promise<void>,
): QueueConsumer {
  const recordHandler = async (record: SQSRecord) => {
    const parsed = parseMessage(schema, record.body);
    if (!parsed.ok) {
      logger.error(`malformed ${message} message`, { sqsMessageId: record.messageId, problems: parsed.problems });
      throw new MalformedMessageError(`the ${message} message does not match its schema`);
    }
    try {
      await handle(parsed.message, record);
    } catch (error) {
      logger.error(`${message} message failed`, { sqsMessageId: record.messageId, errorName: (error as Error).name });
      throw error;
    }
  };
  return async (event, context) => {
    // One processor per batch: it keeps the batch's successes and failures, so concurrent batches must not share one.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  };
}
