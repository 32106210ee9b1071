// E-mail. Producers never send mail themselves: they put a message on the notifications queue
// (requestNotification), and the notifications consumer renders and sends it through a MailTransport
// (mail-transport.ts, kept apart so that no producer's bundle carries nodemailer and SES). So a slow or failing
// mail service never fails an API request, and a failed e-mail is retried on its own.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Dependencies } from './dependencies.ts';
import { notificationRequestedSchema, type NotificationRequest } from '../../events/notification-requested.ts';

/**
 * Validates the message and puts it on the notifications queue. A message that does not match its template's
 * schema throws here, in the producer, where the mistake is made, instead of failing later in the consumer.
 */
export async function requestNotification(deps: Pick<Dependencies, 'config' | 'sqs'>, message: NotificationRequest): Promise<void> {
  const valid = notificationRequestedSchema.parse(message);
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.config.NOTIFICATIONS_QUEUE_URL, MessageBody: JSON.stringify(valid) }));
}
