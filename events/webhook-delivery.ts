// One attempt of a webhook delivery on the `webhooks` queue (functions/webhooks/consumer.ts). The delivery itself
// (event, subscription, attempts) is in the table; the message only says which delivery, which round of it and
// which retry of that round, and when it is due. SQS delays a message 15 minutes at most, so a longer wait is
// served by sending the message on again until `dueAt`.
import * as z from 'zod';

export const webhookDeliveryMessageSchema = z.object({
  deliveryId: z.string(),
  /** The round of the delivery: 0 from the event, one more for every redelivery by hand; older rounds are dropped. */
  round: z.number().int().min(0),
  /** 0 for the first attempt of the round, n for its n-th retry. */
  retry: z.number().int().min(0),
  dueAt: z.string(),
});

export type WebhookDeliveryMessage = z.infer<typeof webhookDeliveryMessageSchema>;
