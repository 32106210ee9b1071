// Events one context publishes for others, through the table's outbox (shared/data/outbox.ts) and the
// `domain-events` queue. Consumers must be idempotent: an event may arrive more than once, and must ignore the
// types they do not act on (the feed's events, functions/events, travel on the same queue).
import * as z from 'zod';
import { agreementChangedSchema } from './agreement-changed.ts';
import { establishmentAddressChangedSchema } from './establishment-address-changed.ts';
import { kboChangeDecidedSchema } from './kbo-change-decided.ts';
import { mentorWithdrawnSchema } from './mentor-withdrawn.ts';
import { premiumRequestedSchema } from './premium-requested.ts';
import { recognitionChangedSchema } from './recognition-changed.ts';
import { recognitionRevokedSchema } from './recognition-revoked.ts';

export const domainEventSchema = z.discriminatedUnion('type', [
  recognitionRevokedSchema,
  establishmentAddressChangedSchema,
  premiumRequestedSchema,
  recognitionChangedSchema,
  mentorWithdrawnSchema,
  agreementChangedSchema,
  kboChangeDecidedSchema,
]);
export type DomainEvent = z.infer<typeof domainEventSchema>;
