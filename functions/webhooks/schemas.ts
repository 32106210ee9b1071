// Request schemas of the webhooks context; they validate input, type the handlers and generate the OpenAPI document.
import * as z from 'zod';
import { feedEventTypes } from '../../events/cloud-event.ts';
import { deliveryIdPattern, subscriptionStatuses } from '../../shared/domain/webhooks.ts';

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const subscriptionIdParam = z.strictObject({ id: z.string().regex(ulidPattern, 'een abonnement-id zoals 01JD3M6Q8Z3V1K9X2C4B7N5T0R') });

export const deliveryParams = z.strictObject({
  id: z.string().regex(ulidPattern, 'een abonnement-id zoals 01JD3M6Q8Z3V1K9X2C4B7N5T0R'),
  deliveryId: z.string().regex(deliveryIdPattern, 'een levering-id zoals msg_3f1c0a5e9b7d4c2a8e6f1b0d9c7a5e3f'),
});

export const createSubscriptionBody = z.strictObject({
  url: z.string().max(2048).describe('https-adres van uw ontvanger, op een publieke host (geen privé-, loopback- of link-local-adressen)'),
  eventTypes: z
    .array(z.enum(feedEventTypes))
    .min(1)
    .max(feedEventTypes.length)
    .refine((types) => new Set(types).size === types.length, { message: 'elk type één keer', params: { code: 'duplicate-event-type' } }),
  description: z.string().trim().min(1).max(200).optional(),
});
export type CreateSubscriptionBody = z.output<typeof createSubscriptionBody>;

export const subscriptionChangeBody = z.strictObject({ status: z.enum(subscriptionStatuses).describe('paused: geen leveringen meer; active: weer leveren') });
export type SubscriptionChangeBody = z.output<typeof subscriptionChangeBody>;

export const listQuery = z.strictObject({ cursor: z.string().max(2048).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });
export type ListQuery = z.output<typeof listQuery>;
