import { describe, expect, it } from 'vitest';
import revoked from './examples/recognition-revoked.json' with { type: 'json' };
import moved from './examples/establishment-address-changed.json' with { type: 'json' };
import { domainEventSchema } from './domain-event.ts';
import premium from './examples/premium-requested.json' with { type: 'json' };
import { recognitionRevokedSchema } from './recognition-revoked.ts';
import { notificationRequestedSchema } from './notification-requested.ts';
import notification from './examples/notification-requested.json' with { type: 'json' };
import delivery from './examples/webhook-delivery.json' with { type: 'json' };
import { webhookDeliveryMessageSchema } from './webhook-delivery.ts';

describe('event contracts', () => {
  it('the examples match their schemas', () => {
    expect(recognitionRevokedSchema.parse(revoked)).toEqual(revoked);
    expect(domainEventSchema.parse(moved)).toEqual(moved);
    expect(domainEventSchema.parse(premium)).toEqual(premium);
    expect(domainEventSchema.parse(revoked).type).toBe('recognition-revoked');
    expect(notificationRequestedSchema.safeParse({ id: 'x', to: [], template: 't', data: {} }).success).toBe(false);
    expect(notificationRequestedSchema.parse(notification)).toEqual(notification);
    expect(webhookDeliveryMessageSchema.parse(delivery)).toEqual(delivery);
  });
});
