// Replaced by the feed's audiences at merge: until the event feed (functions/events) computes each dispatched
// event's CloudEvent and the organisations that may see it, this maps the one outbox event the webhook scenario
// needs, a revoked recognition, to a CloudEvent for its partnership, and hands it to the webhook deliveries.
import { eventTypePrefix, type CloudEvent } from '../../events/cloud-event.ts';
import type { DomainEvent } from '../../events/domain-event.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';
import { enqueueWebhookDeliveries, type WebhookEntry } from './enqueue.ts';

export function temporaryWebhookEntries(event: DomainEvent): WebhookEntry[] {
  if (event.type !== 'recognition-revoked') return [];
  const cloudEvent: CloudEvent = {
    specversion: '1.0',
    id: event.eventId,
    source: '/werkplekduaal/recognitions',
    type: `${eventTypePrefix}recognition.revoked`,
    time: event.revokedAt,
    // As in the API's paths: E-20261112-000001.
    subject: `recognitions/${recognitionPathId(event.recognitionId)}`,
    datacontenttype: 'application/json',
    data: {
      recognitionId: event.recognitionId,
      enterpriseNumber: event.enterpriseNumber,
      establishmentNumber: event.establishmentNumber,
      programmeId: event.programmeId,
      partnershipId: event.partnershipId,
      cause: event.cause,
      revokedAt: event.revokedAt,
    },
  };
  return [{ organisationKey: organisationKey('partnership', event.partnershipId), event: cloudEvent }];
}

export async function temporaryFeedHook(deps: Dependencies, events: DomainEvent[]): Promise<void> {
  await enqueueWebhookDeliveries(deps, events.flatMap(temporaryWebhookEntries));
}
