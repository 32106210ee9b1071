// The message on the notifications queue: an e-mail to send. `id` is chosen by the producer and makes a
// redelivered or re-sent message an e-mail sent once.
import { z } from 'zod';

export const notificationRequestedSchema = z.object({
  id: z.string().min(8).max(120).regex(/^[A-Za-z0-9._:-]+$/),
  to: z.array(z.email()).min(1).max(20),
  template: z.string().min(1).max(60),
  data: z.record(z.string(), z.unknown()),
});

export type NotificationRequested = z.infer<typeof notificationRequestedSchema>;
