// Sends the e-mails requested on the notifications queue. SQS partial batch responses: a failed message is
// retried alone and ends in the dead-letter queue after maxReceiveCount. Idempotent: a marker item per message
// id means a redelivered message is sent once. Logs never carry addresses or bodies.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import type { MailTransport } from '../../shared/adapters/mail.ts';
import { logger } from '../../shared/logger.ts';
import { notificationRequestedSchema } from '../../events/notification-requested.ts';
import { renderTemplate } from './templates.ts';

const sentTtlDays = 30;
/** A send that crashed half-way leaves a "sending" marker; after this it may be tried again. */
const sendingLockSeconds = 120;

export function createNotificationConsumer(deps: Dependencies, transport: MailTransport) {
  const table = deps.config.TABLE_NAME;

  async function sendOnce(record: SQSRecord): Promise<void> {
    let parsed;
    try {
      parsed = notificationRequestedSchema.parse(JSON.parse(record.body));
    } catch {
      logger.error('malformed notification message', { messageId: record.messageId });
      throw new Error('malformed notification message');
    }
    const message = parsed;
    const rendered = renderTemplate(message.template, message.data);
    const key = { pk: `MAIL#${message.id}`, sk: 'MAIL' };
    const now = Math.floor(deps.clock.now().getTime() / 1000);
    try {
      await deps.db.send(
        new PutCommand({
          TableName: table,
          Item: { ...key, status: 'sending', template: message.template, lockedUntil: now + sendingLockSeconds, ttl: now + sentTtlDays * 86400 },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': now },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await deps.db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      if (existing.Item?.status === 'sent') {
        logger.info('notification already sent', { notificationId: message.id, template: message.template });
        return;
      }
      throw new Error('notification is being sent by another invocation');
    }
    try {
      const sent = await transport.send({ messageId: message.id, to: message.to, ...rendered });
      await deps.db.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET #status = :sent, smtpMessageId = :id REMOVE lockedUntil', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':sent': 'sent', ':id': sent.messageId } }));
      logger.info('notification sent', { notificationId: message.id, template: message.template, recipients: message.to.length });
    } catch (error) {
      await deps.db.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET lockedUntil = :past', ExpressionAttributeValues: { ':past': 0 } }));
      throw error;
    }
  }

  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processPartialResponse(event, sendOnce, processor, { context, throwOnFullBatchFailure: false });
}
