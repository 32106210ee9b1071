// Events one context publishes for others, through the table's outbox (shared/data/outbox.ts) and the
// `domain-events` queue. Consumers must be idempotent: an event may arrive more than once.
import * as z from 'zod';
import { establishmentAddressChangedSchema } from './establishment-address-changed.ts';
import { premiumRequestedSchema } from './premium-requested.ts';
import { recognitionRevokedSchema } from './recognition-revoked.ts';

export const domainEventSchema = z.discriminatedUnion('type', [recognitionRevokedSchema, establishmentAddressChangedSchema, premiumRequestedSchema]);
export type DomainEvent = z.infer<typeof domainEventSchema>;
