// Webhook subscriptions and deliveries as rules: which URLs a subscription may name (server-side request forgery:
// only https to public hosts), which addresses a delivery may connect to, the delivery id that makes an event for a
// subscription one delivery, the secret's format and the retry schedule. No AWS, no HTTP.
import { createHash, randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { FeedEventType } from '../../events/cloud-event.ts';

export const subscriptionStatuses = ['active', 'paused'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export type Subscription = {
  id: string;
  organisationKey: string;
  url: string;
  eventTypes: FeedEventType[];
  description: string | null;
  status: SubscriptionStatus;
  /** `whsec_` + base64 of 32 random bytes: the Standard Webhooks form, shown to the subscriber once. */
  secret: string;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** One try of a delivery, as the log shows it. */
export type DeliveryAttempt = {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when there was no answer (refused address, timeout, connection failed). */
  responseStatus: number | null;
  error: DeliveryError | null;
  durationMs: number;
};

/** Why an attempt failed without an answer, or why a delivery stopped without one. */
export const deliveryErrors = ['address-refused', 'dns-failed', 'timeout', 'connection-failed', 'subscription-paused', 'subscription-deleted'] as const;
export type DeliveryError = (typeof deliveryErrors)[number];

/** The Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes (the scheme asks 24 to 64). */
export function newSubscriptionSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The id of the delivery of one event to one subscription: the same event for the same subscription is one delivery,
 * whoever enqueues it and however often. It is also the `webhook-id` the receiver sees on every attempt.
 */
export function deliveryIdFor(subscriptionId: string, eventId: string): string {
  return `msg_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('hex').slice(0, 32)}`;
}

export const deliveryIdPattern = /^msg_[0-9a-f]{32}$/;

/**
 * Whether a delivery may connect to this address: only ordinary public unicast. Refused: private (10/8, 172.16/12,
 * 192.168/16), loopback, link-local (169.254/16 with the cloud metadata endpoint, fe80::/10), unique-local (fc00::/7,
 * also AWS's fd00:ec2::254), carrier-grade NAT (100.64/10), multicast, unspecified, broadcast, reserved and the
 * translation ranges (NAT64, 6to4, Teredo) that could carry a private IPv4 address. An IPv4-mapped IPv6 address
 * (::ffff:127.0.0.1) is judged as the IPv4 address it carries. `allowLoopback` is the local stage's exception.
 */
export function refusedAddressRange(address: string, allowLoopback = false): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  // process() unwraps an IPv4-mapped IPv6 address into its IPv4 address.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (allowLoopback && range === 'loopback') return undefined;
  return range;
}

export type UrlProblem = { code: 'url-not-https' | 'url-not-public' | 'url-credentials'; detail: string };

/**
 * What is wrong with a subscription's URL before any DNS: https only (http for localhost when `allowLocal`), no
 * credentials in it, and a host that is no refused address literal nor a name for this machine or the local network.
 * A name that resolves to a refused address is caught at subscribe time after DNS and again at every delivery.
 */
export function subscriptionUrlProblem(value: string, allowLocal: boolean): UrlProblem | undefined {
  const url = URL.parse(value);
  if (!url) return { code: 'url-not-https', detail: 'Geen geldige URL.' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopbackHost = host === 'localhost' || (ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback');
  if (url.protocol !== 'https:' && !(allowLocal && url.protocol === 'http:' && loopbackHost))
    return { code: 'url-not-https', detail: 'Enkel https-adressen zijn toegelaten.' };
  if (url.username || url.password)
    return { code: 'url-credentials', detail: 'Een webhook-URL bevat geen gebruikersnaam of wachtwoord: controleer de handtekening.' };
  if (ipaddr.isValid(host)) {
    const refused = refusedAddressRange(host, allowLocal);
    if (refused) return { code: 'url-not-public', detail: `Het adres ${host} is geen publiek adres (${refused}).` };
    return undefined;
  }
  const localName = host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.');
  if (localName && !(allowLocal && host === 'localhost')) return { code: 'url-not-public', detail: `${host} is geen publieke hostnaam.` };
  return undefined;
}

/**
 * The wait in seconds before retry `retry` (0-based) of a failed attempt, or undefined when the schedule is done and
 * the delivery has failed. The schedule is the configuration's WEBHOOK_RETRY_DELAYS_SECONDS.
 */
export function retryDelaySeconds(retry: number, schedule: readonly number[]): number | undefined {
  return schedule[retry];
}

/** Whether a delivery may be sent again by hand: not while it is still being tried. */
export function canRedeliver(status: DeliveryStatus): boolean {
  return status !== 'pending';
}
