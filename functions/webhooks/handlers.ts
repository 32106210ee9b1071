// Subscriptions of an organisation's system to its events, and their delivery log: every read and write names the
// acting organisation, so another organisation's subscription is not found (404), never shown.
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { AddressRefusedError, resolveCheckedAddress } from '../../shared/adapters/webhook-http.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  sendDeliveryMessages,
  setSubscriptionStatus,
  startRedelivery,
} from '../../shared/data/webhooks.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { newSubscriptionSecret, subscriptionUrlProblem, type Subscription } from '../../shared/domain/webhooks.ts';
import { unwrap } from '../../shared/http/conflicts.ts';
import { unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { changeConflicts, readConflicts, redeliveryConflicts } from './conflicts.ts';
import type { CreateSubscriptionBody, ListQuery, SubscriptionChangeBody } from './schemas.ts';
import { deliveryOut, subscriptionOut } from './views.ts';

const urlRefused = (code: string, detail: string) =>
  unprocessable(code, `De webhook-URL wordt geweigerd: ${detail}`, [{ in: 'body', pointer: '/url', code, detail }]);

/** The URL's own problems, then what its host resolves to now (checked again at every delivery). */
async function checkUrl(url: string, deps: Dependencies): Promise<void> {
  const problem = subscriptionUrlProblem(url, deps.config.WEBHOOK_ALLOW_LOCAL_URLS);
  if (problem) throw urlRefused(problem.code, problem.detail);
  try {
    await resolveCheckedAddress(new URL(url).hostname, deps.config.WEBHOOK_ALLOW_LOCAL_URLS);
  } catch (error) {
    if (error instanceof AddressRefusedError) throw urlRefused('url-not-public', 'de host verwijst naar een adres dat niet publiek is.');
    // A name that does not resolve now may later (a receiver still being set up): its deliveries fail until then.
  }
}

export async function create(body: CreateSubscriptionBody, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  await checkUrl(body.url, deps);
  const now = deps.clock.now().toISOString();
  const subscription: Subscription = {
    id: ulid(),
    organisationKey: acting.key,
    url: body.url,
    eventTypes: body.eventTypes,
    description: body.description ?? null,
    status: 'active',
    secret: newSubscriptionSecret(),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await createSubscription(deps, subscription);
  return { status: 201, body: { ...subscriptionOut(subscription), secret: subscription.secret }, version: subscription.version };
}

export async function list(query: ListQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const page = await listSubscriptions(deps, acting.key, query);
  return { status: 200, body: { items: page.items.map(subscriptionOut), cursor: page.cursor } };
}

async function ownSubscription(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<Subscription> {
  const found = await getSubscription(deps, acting.key, id);
  return unwrap(found ? { ok: true, value: found } : { ok: false, conflict: 'not-found' as const }, readConflicts);
}

export async function read(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const subscription = await ownSubscription(id, acting, deps);
  return { status: 200, body: subscriptionOut(subscription), version: subscription.version };
}

export async function change(id: string, body: SubscriptionChangeBody, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const input = { organisationKey: acting.key, id, status: body.status, expectedVersion: ifMatch };
  const subscription = unwrap(await setSubscriptionStatus(deps, input), changeConflicts);
  return { status: 200, body: subscriptionOut(subscription), version: subscription.version };
}

export async function remove(id: string, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  unwrap(await deleteSubscription(deps, { organisationKey: acting.key, id, expectedVersion: ifMatch }), changeConflicts);
  return { status: 204 };
}

export async function deliveries(id: string, query: ListQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  await ownSubscription(id, acting, deps);
  const page = await listDeliveries(deps, id, query);
  return { status: 200, body: { items: page.items.map(deliveryOut), cursor: page.cursor } };
}

/** A new round of attempts at once, with the same webhook-id: the receiver recognises it as the same message. */
export async function redeliver(id: string, deliveryId: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const delivery = unwrap(await startRedelivery(deps, { organisationKey: acting.key, subscriptionId: id, deliveryId }), redeliveryConflicts);
  const message = { deliveryId: delivery.id, round: delivery.round, retry: 0, dueAt: deps.clock.now().toISOString() };
  await sendDeliveryMessages(deps, [{ message, delaySeconds: 0 }]);
  return { status: 202, body: deliveryOut(delivery) };
}
