// The events school and partnership systems read (GET /v1/events) and receive (webhooks), as CloudEvents 1.0
// JSON. They are made from the outbox events of events/domain-event.ts, so none is invented and none is lost;
// the feed (functions/events) decides who may see each one, the webhooks (functions/webhooks) deliver them.
import * as z from 'zod';

/** Every event type a feed reader or a subscription may ask for; `type` of a CloudEvent is `eventTypePrefix` + one of these. */
export const feedEventTypes = [
  'recognition.granted',
  'recognition.renewed',
  'recognition.suspended',
  'recognition.revoked',
  'recognition.expired',
  'recognition.restored',
  'mentor.withdrawn',
  'agreement.registered',
  'agreement.amended',
  'agreement.suspended',
  'agreement.ended',
  'kbo-change.decided',
] as const;
export type FeedEventType = (typeof feedEventTypes)[number];

export const eventTypePrefix = 'be.vlaanderen.werkplekduaal.';

export const cloudEventSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string(),
    source: z.string(),
    type: z.string(),
    time: z.string(),
    subject: z.string(),
    datacontenttype: z.literal('application/json'),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type CloudEvent = z.infer<typeof cloudEventSchema>;
