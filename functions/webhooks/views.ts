// What a subscriber sees of its subscriptions and deliveries. The secret is only in the answer that creates the
// subscription (createdSubscriptionView); every other view leaves it out. The schemas are also the documented responses.
import * as z from 'zod';
import { feedEventTypes } from '../../events/cloud-event.ts';
import type { Delivery } from '../../shared/data/webhooks.ts';
import { deliveryErrors, deliveryStatuses, subscriptionStatuses, type Subscription } from '../../shared/domain/webhooks.ts';

export const subscriptionView = z.strictObject({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.enum(feedEventTypes)),
  description: z.string().nullable(),
  status: z.enum(subscriptionStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const createdSubscriptionView = subscriptionView.extend({
  secret: z
    .string()
    .describe('whsec_ en base64 van 32 willekeurige bytes (Standard Webhooks): enkel in dit antwoord, bewaar het om handtekeningen te controleren'),
});

export const subscriptionPage = z.strictObject({ items: z.array(subscriptionView), cursor: z.string().nullable() });

const attemptView = z.strictObject({
  attempt: z.number().int(),
  at: z.string(),
  responseStatus: z.number().int().nullable().describe('De HTTP-status van uw ontvanger; null zonder antwoord'),
  error: z.enum(deliveryErrors).nullable(),
  durationMs: z.number().int(),
});

export const deliveryView = z.strictObject({
  id: z.string().describe('Ook de header webhook-id, dezelfde bij elke poging'),
  eventId: z.string(),
  eventType: z.enum(feedEventTypes),
  status: z.enum(deliveryStatuses),
  attempts: z.number().int(),
  lastResponseStatus: z.number().int().nullable(),
  lastError: z.enum(deliveryErrors).nullable(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  attemptLog: z.array(attemptView).describe('De laatste pogingen (hoogstens 20)'),
});

export const deliveryPage = z.strictObject({ items: z.array(deliveryView), cursor: z.string().nullable() });

export const subscriptionOut = (s: Subscription): z.output<typeof subscriptionView> => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  description: s.description,
  status: s.status,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  version: s.version,
});

export const deliveryOut = (d: Delivery): z.output<typeof deliveryView> => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType as z.output<typeof deliveryView>['eventType'],
  status: d.status,
  attempts: d.attempts,
  lastResponseStatus: d.lastResponseStatus,
  lastError: d.lastError,
  createdAt: d.createdAt,
  lastAttemptAt: d.lastAttemptAt,
  nextAttemptAt: d.nextAttemptAt,
  deliveredAt: d.deliveredAt,
  failedAt: d.failedAt,
  attemptLog: d.attemptLog,
});
