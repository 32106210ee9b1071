// The entry point of webhook deliveries: the event feed's dispatch step hands over each dispatched event with the
// organisations that may see it, and every active subscription of those organisations that asked for its type gets
// one delivery (deterministic id: handing the same event over twice delivers it once) and its first attempt on the
// webhooks queue. Paused subscriptions get nothing.
import { eventTypePrefix, type FeedEventType } from '../../events/cloud-event.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { allSubscriptions, createDelivery, sendDeliveryMessages } from './webhooks.ts';
import { deliveryIdFor, type Subscription } from '../domain/webhooks.ts';

import type { FeedEntry } from './feed.ts';

/** Returns how many first attempts it put on the queue. Throws when the table or the queue fails: call it again. */
export async function enqueueWebhookDeliveries(deps: Dependencies, entries: readonly FeedEntry[]): Promise<number> {
  const subscriptionsOf = new Map<string, Subscription[]>();
  const messages: Parameters<typeof sendDeliveryMessages>[1] = [];
  const now = deps.clock.now().toISOString();
  for (const { organisationKey, event } of entries) {
    const eventType = event.type.startsWith(eventTypePrefix) ? (event.type.slice(eventTypePrefix.length) as FeedEventType) : undefined;
    if (!eventType) continue;
    let subscriptions = subscriptionsOf.get(organisationKey);
    if (!subscriptions) {
      subscriptions = await allSubscriptions(deps, organisationKey);
      subscriptionsOf.set(organisationKey, subscriptions);
    }
    for (const subscription of subscriptions.filter((s) => s.status === 'active' && s.eventTypes.includes(eventType))) {
      const id = deliveryIdFor(subscription.id, event.id);
      const { unsent } = await createDelivery(deps, { id, subscription, event, eventType });
      if (unsent) messages.push({ message: { deliveryId: id, round: 0, retry: 0, dueAt: now }, delaySeconds: 0 });
    }
  }
  await sendDeliveryMessages(deps, messages);
  return messages.length;
}
