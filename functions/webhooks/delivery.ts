// One attempt of a webhook delivery, for the webhooks queue's consumer. The CloudEvent goes as JSON, signed with the
// Standard Webhooks scheme (webhook-id: the delivery id, the same on every attempt; webhook-timestamp: this attempt;
// webhook-signature: v1,HMAC-SHA256 of `id.timestamp.body` with the subscription's secret). A 2xx answer delivers it;
// anything else (another status, a refused address, a timeout of WEBHOOK_TIMEOUT_MS) is a failed attempt, retried
// after the next wait of WEBHOOK_RETRY_DELAYS_SECONDS by a new message with that delay. When the waits are used up
// the delivery is failed and its last message throws on every receive, so the queue moves it to its dead-letter
// queue (and the alarm goes off) after maxReceiveCount receives.
import { addSeconds } from 'date-fns';
import { Webhook } from 'standardwebhooks';
import type { WebhookDeliveryMessage } from '../../events/webhook-delivery.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { postWebhook } from '../../shared/adapters/webhook-http.ts';
import {
  getDelivery,
  getSubscription,
  maxDelaySeconds,
  recordAttempt,
  sendDeliveryMessages,
  type AttemptOutcome,
  type Delivery,
} from '../../shared/data/webhooks.ts';
import { retryDelaySeconds } from '../../shared/domain/webhooks.ts';
import { logger } from '../../shared/logger.ts';

/** The last attempt failed: the message goes to the dead-letter queue through the queue's redrive policy. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}

export async function deliverOnce(deps: Dependencies, message: WebhookDeliveryMessage): Promise<void> {
  const delivery = await getDelivery(deps, message.deliveryId);
  // Gone (TTL), or a message of an older round (a redelivery started a new one): nothing to do.
  if (!delivery || delivery.round !== message.round) return;
  if (delivery.status === 'failed' && delivery.deadLetteredRetry === message.retry)
    throw new DeliveryFailedError(`delivery ${delivery.id} failed all its attempts`);
  // Delivered or stopped, or a duplicate of an attempt already made: the message after it is on its way.
  if (delivery.status !== 'pending' || delivery.retry !== message.retry) return;
  const waitSeconds = (Date.parse(message.dueAt) - deps.clock.now().getTime()) / 1000;
  if (waitSeconds >= 1) {
    // A wait longer than SQS's longest delay: send the message on until it is due.
    await sendDeliveryMessages(deps, [{ message, delaySeconds: Math.min(maxDelaySeconds, waitSeconds) }]);
    return;
  }
  const subscription = await getSubscription(deps, delivery.organisationKey, delivery.subscriptionId);
  if (!subscription || subscription.status === 'paused') {
    // Paused subscriptions get no deliveries; a redelivery after resuming sends it.
    const error = subscription ? 'subscription-paused' : 'subscription-deleted';
    await recordAttempt(deps, delivery, { attempt: undefined, error, outcome: { status: 'failed', deadLetteredRetry: null } });
    return;
  }
  await attempt(deps, delivery, message, subscription.url, subscription.secret);
}

async function attempt(deps: Dependencies, delivery: Delivery, message: WebhookDeliveryMessage, url: string, secret: string): Promise<void> {
  const at = deps.clock.now();
  const body = JSON.stringify(delivery.event);
  const headers = {
    'webhook-id': delivery.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(delivery.id, at, body),
    'user-agent': 'werkplekduaal-webhooks/1',
  };
  const posted = await postWebhook({ url, body, headers, timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS, allowLoopback: deps.config.WEBHOOK_ALLOW_LOCAL_URLS });
  const wait = posted.ok ? undefined : retryDelaySeconds(message.retry, deps.config.WEBHOOK_RETRY_DELAYS_SECONDS);
  const dueAt = wait === undefined ? undefined : addSeconds(at, wait).toISOString();
  const outcome: AttemptOutcome = posted.ok
    ? { status: 'delivered' }
    : dueAt
      ? { status: 'pending', nextAttemptAt: dueAt }
      : { status: 'failed', deadLetteredRetry: message.retry };
  const error = posted.ok ? null : posted.error;
  const recorded = await recordAttempt(deps, delivery, {
    attempt: { at: at.toISOString(), responseStatus: posted.status, error, durationMs: posted.durationMs },
    error,
    outcome,
  });
  // A duplicate message of this attempt recorded first: it also sends what follows.
  if (!recorded) return;
  logger.info('webhook attempt', { deliveryId: delivery.id, attempt: delivery.attempts + 1, status: posted.status, error, outcome: outcome.status });
  if (dueAt) await sendDeliveryMessages(deps, [{ message: { ...message, retry: message.retry + 1, dueAt }, delaySeconds: Math.min(maxDelaySeconds, wait!) }]);
  else if (!posted.ok) throw new DeliveryFailedError(`delivery ${delivery.id} failed all its attempts`);
}
