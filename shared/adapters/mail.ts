// Producer side of e-mail: a message on the notifications queue; the notifications consumer sends it.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Dependencies } from './dependencies.ts';
import { notificationRequestedSchema, type NotificationRequested } from '../../events/notification-requested.ts';

export async function requestNotification(deps: Dependencies, message: NotificationRequested): Promise<void> {
  const valid = notificationRequestedSchema.parse(message);
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.config.NOTIFICATIONS_QUEUE_URL, MessageBody: JSON.stringify(valid) }));
}
