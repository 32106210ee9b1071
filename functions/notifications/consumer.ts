// The notifications queue consumer: renders and sends the e-mails requested on the queue (Lambda SQS event
// source mapping with ReportBatchItemFailures; locally, infra/local/queues.ts polls the queue the same way).
//
// - Partial batch responses: a failed message is retried alone and moves to the dead-letter queue after the
//   queue's maxReceiveCount (infra/topology.ts); the others in its batch are done.
// - Once per notification id: a marker item (`mail.sent` in keys.ts) is claimed with a conditional PutItem
//   before sending and set to `sent` after, so a redelivered or re-sent message is skipped.
// - Names, not ids: before rendering, the names the e-mail says (programme, partnership, provider, enterprise,
//   establishment) are read in one BatchGet beside one Query per KBO name (shared/data/mail-names.ts).
// - Logs carry the notification id, the template and counts; never an address, a subject or a body.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { createMailTransport, type MailTransport } from '../../shared/adapters/mail-transport.ts';
import { createQueueConsumer } from '../../shared/adapters/queue-consumer.ts';
import { mail } from '../../shared/data/keys.ts';
import { readMailNames } from '../../shared/data/mail-names.ts';
import { logger } from '../../shared/logger.ts';
import { notificationRequestedSchema, type NotificationRequested } from '../../events/notification-requested.ts';
import { nameRefsOf, renderNotification } from './templates.ts';

export type NotificationConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Longer than the function's timeout (at most the queue's 60 s visibility timeout), so a marker is only taken
 * over from an invocation that is certainly gone: one that crashed between claiming and sending.
 */
export const sendingLockSeconds = 120;
/**
 * How long the `sent` marker is kept (DynamoDB TTL). Longer than a message can live in the queue and its
 * dead-letter queue (14 days each), so a redrive from the DLQ is still recognised as sent.
 */
export const sentMarkerDays = 30;

/**
 * The mail service refused a message. It carries only the service's error name: the service's own message may
 * quote the recipient's address, and the consumer pattern logs a failed record's error.
 */
export class NotificationSendError extends Error {
  override name = 'NotificationSendError';
}

/** Another invocation holds the marker (sending now, or crashed less than `sendingLockSeconds` ago). */
export class NotificationBusyError extends Error {
  override name = 'NotificationBusyError';
}

const nowSeconds = (deps: Dependencies) => Math.floor(deps.clock.now().getTime() / 1000);

/** Claims the marker; `alreadySent` when an earlier delivery sent this notification. */
async function claim(deps: Dependencies, message: NotificationRequested): Promise<'claimed' | 'alreadySent'> {
  const now = nowSeconds(deps);
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: {
          ...mail.sent(message.id),
          status: 'sending',
          template: message.template,
          lockedUntil: now + sendingLockSeconds,
          ttl: now + sentMarkerDays * 86_400,
        },
        // New, or left `sending` by an invocation that crashed before it could mark it sent or release it.
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':now': now },
      }),
    );
    return 'claimed';
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const existing = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: mail.sent(message.id), ConsistentRead: true }));
  if (existing.Item?.status === 'sent') return 'alreadySent';
  throw new NotificationBusyError(`notification ${message.id} is being sent by another invocation`);
}

/** After a failed send: gives the marker up so the retry of this message can claim it at once. */
async function release(deps: Dependencies, message: NotificationRequested): Promise<void> {
  try {
    await deps.db.send(
      new DeleteCommand({
        TableName: deps.config.TABLE_NAME,
        Key: mail.sent(message.id),
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    );
  } catch (error) {
    // The lock then simply expires after sendingLockSeconds; the send error is what the record reports.
    logger.warn('could not release the notification marker', { notificationId: message.id, errorName: (error as Error).name });
  }
}

async function markSent(deps: Dependencies, message: NotificationRequested, smtpMessageId: string): Promise<void> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.TABLE_NAME,
        Key: mail.sent(message.id),
        UpdateExpression: 'SET #status = :sent, smtpMessageId = :smtpMessageId, sentAt = :sentAt, #ttl = :ttl REMOVE lockedUntil',
        ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':smtpMessageId': smtpMessageId,
          ':sentAt': deps.clock.now().toISOString(),
          ':ttl': nowSeconds(deps) + sentMarkerDays * 86_400,
        },
      }),
    );
  } catch (error) {
    // The e-mail is out. Failing the record now would send it again on the retry once the lock expires;
    // reporting success keeps it at one e-mail, and the marker still blocks redeliveries while it is locked.
    logger.error('e-mail sent, but the marker could not be set to sent', {
      notificationId: message.id,
      template: message.template,
      errorName: (error as Error).name,
    });
  }
}

/** Renders and sends one notification, once per notification id. */
async function sendOnce(deps: Dependencies, transport: MailTransport, message: NotificationRequested): Promise<void> {
  const log = { notificationId: message.id, template: message.template, recipients: message.to.length };
  const names = await readMailNames(deps, nameRefsOf(message.template, message.data));
  const rendered = renderNotification(message, { portalUrl: deps.config.PORTAL_URL, names });
  if ((await claim(deps, message)) === 'alreadySent') {
    logger.info('notification already sent, skipped', log);
    return;
  }
  let smtpMessageId: string;
  try {
    ({ messageId: smtpMessageId } = await transport.send({ messageId: message.id, to: message.to, ...rendered }));
  } catch (error) {
    // Only the error's name: a mail service's message may quote the recipient's address.
    logger.warn('sending the notification failed; the message will be retried', { ...log, errorName: (error as Error).name });
    await release(deps, message);
    throw new NotificationSendError(`the mail service answered ${(error as Error).name}`);
  }
  await markSent(deps, message, smtpMessageId);
  logger.info('notification sent', log);
}

/**
 * The consumer pattern (shared/adapters/queue-consumer.ts) with the notification schema of events/: a message
 * that does not parse fails every receive and ends in the dead-letter queue, a failed send is retried alone.
 * Each refused message is logged once per receive by its SQS id, and each batch with its counts.
 */
export function createNotificationConsumer(deps: Dependencies, transport: MailTransport): NotificationConsumer {
  const consume = createQueueConsumer('notification', notificationRequestedSchema, (message) => sendOnce(deps, transport, message));
  return async (event, context) => {
    const response = await consume(event, context);
    logger.info('notification batch done', { requestId: context.awsRequestId, records: event.Records.length, failed: response.batchItemFailures.length });
    return response;
  };
}

/**
 * The Lambda entry: the table and the mail transport (SES), created on the first invocation and reused after
 * (shared/adapters/cold-start.ts).
 */
export const clients = { db: createDynamoDbClient };

const consumer = onColdStart(clients, (deps) => createNotificationConsumer(deps, createMailTransport(deps.config)));

export const handler: NotificationConsumer = (event, context) => consumer()(event, context);
