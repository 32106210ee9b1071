// The webhooks in-process against DynamoDB Local and the SQS emulator, with real client-credentials and user tokens:
// who may manage subscriptions (scope webhooks:manage, administrators), another organisation's subscription (404),
// the secret shown once, SSRF refusals at subscribe time and at delivery, pause and resume with If-Match, the
// fan-out of an event (one delivery per event and subscription, none for a paused one), signed attempts with the
// same webhook-id on every retry, the failure after the last retry, and redelivery.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypePrefix, type CloudEvent } from '../../events/cloud-event.ts';
import { webhookDeliveryMessageSchema, type WebhookDeliveryMessage } from '../../events/webhook-delivery.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { getDelivery } from '../../shared/data/webhooks.ts';
import { deliveryIdFor } from '../../shared/domain/webhooks.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { captureLogs } from '../../infra/local/testing/logs.ts';
import { deliverOnce, DeliveryFailedError } from './delivery.ts';
import { enqueueWebhookDeliveries } from '../../shared/data/webhook-enqueue.ts';
import { generateOpenApi } from '../../shared/http/openapi.ts';
import { routes } from './routes.ts';

let deployed: { env: TestEnvironment; api: TestApi };
let local: { env: TestEnvironment; api: TestApi };

/** A receiver on the loopback that answers each request with the next status of `statuses` (then 200). */
type Receiver = { url: string; requests: { headers: IncomingMessage['headers']; body: string }[]; statuses: number[]; server: Server };
let receiver: Receiver;

async function startReceiver(): Promise<Receiver> {
  const found: Receiver = { url: '', requests: [], statuses: [], server: undefined as unknown as Server };
  found.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      found.requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = found.statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => found.server.listen(0, '127.0.0.1', resolve));
  found.url = `http://127.0.0.1:${(found.server.address() as AddressInfo).port}/hook`;
  return found;
}

beforeAll(async () => {
  const deployedEnv = await createTestEnvironment({ WEBHOOK_ALLOW_LOCAL_URLS: 'false', CLIENT_REQUESTS_PER_SECOND: '1000' });
  deployed = { env: deployedEnv, api: await createTestApi(routes, deployedEnv.deps) };
  const localEnv = await createTestEnvironment({
    WEBHOOK_ALLOW_LOCAL_URLS: 'true',
    WEBHOOK_RETRY_DELAYS_SECONDS: '1,1',
    WEBHOOK_TIMEOUT_MS: '1000',
    // One client makes many calls in a second here; the per-client limit is the verifications' test.
    CLIENT_REQUESTS_PER_SECOND: '1000',
  });
  local = { env: localEnv, api: await createTestApi(routes, localEnv.deps) };
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => receiver?.server.close(resolve));
});

const as = async (api: TestApi, client: string, method: string, path: string, body?: unknown, version?: number) =>
  api.call({
    method,
    path,
    token: await api.tokenForClient(client),
    ...(body !== undefined ? { body } : {}),
    ...(version ? { headers: { 'if-match': `"${version}"` } } : {}),
  });

const revokedEvent = (id: string): CloudEvent => ({
  specversion: '1.0',
  id,
  source: '/werkplekduaal/recognitions',
  type: `${eventTypePrefix}recognition.revoked`,
  time: '2026-12-02T08:00:00.000Z',
  subject: 'recognitions/E-20261112-000001',
  datacontenttype: 'application/json',
  data: { recognitionId: 'E/20261112/000001', partnershipId: 'handel' },
});

/** Receives what the webhooks queue has (waiting for delayed messages) and runs each through deliverOnce, until it is quiet. */
async function runQueue(deps: Dependencies, quietSeconds = 2): Promise<{ failed: WebhookDeliveryMessage[] }> {
  const failed: WebhookDeliveryMessage[] = [];
  for (;;) {
    const received = await deps.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deps.config.WEBHOOKS_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: quietSeconds }),
    );
    if (!received.Messages?.length) return { failed };
    for (const m of received.Messages) {
      const message = webhookDeliveryMessageSchema.parse(JSON.parse(m.Body!));
      try {
        await deliverOnce(deps, message);
      } catch (error) {
        if (!(error instanceof DeliveryFailedError)) throw error;
        failed.push(message);
      }
      await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: deps.config.WEBHOOKS_QUEUE_URL, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

describe('managing subscriptions', () => {
  it('creates one with a Standard Webhooks secret that only the creating answer shows', async () => {
    const { api } = deployed;
    const created = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', {
      url: 'https://hooks.handel.example/werkplek',
      eventTypes: ['recognition.revoked', 'recognition.suspended'],
      description: 'Dossiersysteem',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', version: 1, eventTypes: ['recognition.revoked', 'recognition.suspended'] });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const read = await as(api, 'handel-webhooks', 'GET', `/v1/subscriptions/${created.body.id}`);
    const listed = await as(api, 'handel-webhooks', 'GET', '/v1/subscriptions');
    expect(read.status).toBe(200);
    expect(read.headers.ETag).toBe('"1"');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(created.body.id);
    for (const reply of [read, listed]) {
      expect(reply.text).not.toContain(created.body.secret);
      expect(reply.text).not.toContain('secret');
    }
  });

  it('is for systems with scope webhooks:manage and for administrators, not for other scopes or roles', async () => {
    const { api } = deployed;
    for (const client of ['handel-dossiers', 'campus-brugge-sis']) {
      const reply = await as(api, client, 'GET', '/v1/subscriptions');
      expect([reply.status, reply.body.code], client).toEqual([403, 'scope-required']);
    }
    const consultant = await api.call({
      method: 'GET',
      path: '/v1/subscriptions',
      token: await api.tokenFor('karim.consulent'),
      organisation: 'partnership:handel',
    });
    expect([consultant.status, consultant.body.code]).toEqual([403, 'role-not-allowed']);
    const administrator = await api.call({
      method: 'GET',
      path: '/v1/subscriptions',
      token: await api.tokenFor('els.stemgerechtigde'),
      organisation: 'partnership:handel',
    });
    expect(administrator.status).toBe(200);
  });

  it("answers 404 for another partnership's subscription, to every route, and changes nothing", async () => {
    const { api } = deployed;
    const created = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', {
      url: 'https://hooks.handel.example/a',
      eventTypes: ['recognition.revoked'],
    });
    const id = created.body.id;
    const deliveryId = deliveryIdFor(id, 'event-x');
    const attempts = [
      ['GET', `/v1/subscriptions/${id}`, undefined],
      ['PATCH', `/v1/subscriptions/${id}`, { status: 'paused' }],
      ['DELETE', `/v1/subscriptions/${id}`, undefined],
      ['GET', `/v1/subscriptions/${id}/deliveries`, undefined],
      ['POST', `/v1/subscriptions/${id}/deliveries/${deliveryId}/redeliver`, undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      const reply = await as(api, 'horeca-webhooks', method, path, body, 1);
      expect([reply.status, reply.body?.code], `${method} ${path}`).toEqual([404, 'subscription-not-found']);
    }
    const listed = await as(api, 'horeca-webhooks', 'GET', '/v1/subscriptions');
    expect(listed.body.items.map((s: { id: string }) => s.id)).not.toContain(id);
    const still = await as(api, 'handel-webhooks', 'GET', `/v1/subscriptions/${id}`);
    expect([still.status, still.body.status, still.body.version]).toEqual([200, 'active', 1]);
  });

  it.each([
    ['http://hooks.handel.example/', 'url-not-https'],
    ['https://127.0.0.1/hook', 'url-not-public'],
    ['https://[::ffff:127.0.0.1]/hook', 'url-not-public'],
    ['https://169.254.169.254/latest/meta-data/', 'url-not-public'],
    ['https://10.0.0.8/hook', 'url-not-public'],
    ['https://localhost/hook', 'url-not-public'],
    ['https://user:secret@hooks.handel.example/', 'url-credentials'],
  ])('refuses %s at subscribe time in a deployed stage (%s), naming url', async (url, code) => {
    const reply = await as(deployed.api, 'handel-webhooks', 'POST', '/v1/subscriptions', { url, eventTypes: ['recognition.revoked'] });
    expect([reply.status, reply.body.code], reply.text).toEqual([422, code]);
    expect(reply.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/url', code })]);
  });

  it('refuses an event type that is not in the feed, naming it', async () => {
    const reply = await as(deployed.api, 'handel-webhooks', 'POST', '/v1/subscriptions', {
      url: 'https://hooks.handel.example/',
      eventTypes: ['recognition.invented'],
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].pointer).toBe('/eventTypes/0');
  });

  it('pauses and resumes at the If-Match version, and deletes', async () => {
    const { api } = deployed;
    const created = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', {
      url: 'https://hooks.handel.example/p',
      eventTypes: ['recognition.revoked'],
    });
    const path = `/v1/subscriptions/${created.body.id}`;
    expect((await as(api, 'handel-webhooks', 'PATCH', path, { status: 'paused' })).status).toBe(428);
    expect((await as(api, 'handel-webhooks', 'PATCH', path, { status: 'paused' }, 7)).body.code).toBe('version-conflict');
    const paused = await as(api, 'handel-webhooks', 'PATCH', path, { status: 'paused' }, 1);
    expect([paused.status, paused.body.status, paused.body.version]).toEqual([200, 'paused', 2]);
    const resumed = await as(api, 'handel-webhooks', 'PATCH', path, { status: 'active' }, 2);
    expect([resumed.status, resumed.body.status, resumed.body.version]).toEqual([200, 'active', 3]);
    expect((await as(api, 'handel-webhooks', 'DELETE', path, undefined, 1)).body.code).toBe('version-conflict');
    expect((await as(api, 'handel-webhooks', 'DELETE', path, undefined, 3)).status).toBe(204);
    expect((await as(api, 'handel-webhooks', 'GET', path)).status).toBe(404);
  });
});

describe('deliveries', () => {
  it('delivers an event once per subscription, signed, retries with the same webhook-id, and none to a paused one', async () => {
    const { api, env } = local;
    const created = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', { url: receiver.url, eventTypes: ['recognition.revoked'] });
    expect(created.status, created.text).toBe(201);
    const other = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', { url: `${receiver.url}/paused`, eventTypes: ['recognition.revoked'] });
    await as(api, 'handel-webhooks', 'PATCH', `/v1/subscriptions/${other.body.id}`, { status: 'paused' }, 1);
    const unrelated = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', { url: `${receiver.url}/other`, eventTypes: ['agreement.ended'] });
    expect(unrelated.status).toBe(201);

    receiver.requests.length = 0;
    receiver.statuses.push(503);
    const event = revokedEvent('evt-retry-1');
    expect(await enqueueWebhookDeliveries(env.deps, [{ organisationKey: 'partnership:handel', event }])).toBe(1);
    // Handed over twice (a dispatch retried): still one delivery, and one attempt per retry.
    await enqueueWebhookDeliveries(env.deps, [{ organisationKey: 'partnership:handel', event }]);
    // And an organisation without subscriptions gets nothing.
    expect(await enqueueWebhookDeliveries(env.deps, [{ organisationKey: 'partnership:horeca', event }])).toBe(0);
    await runQueue(env.deps);

    expect(receiver.requests).toHaveLength(2);
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([deliveryIdFor(created.body.id, event.id), deliveryIdFor(created.body.id, event.id)]);
    const webhook = new Webhook(created.body.secret);
    for (const request of receiver.requests) {
      const verified = webhook.verify(request.body, request.headers as Record<string, string>);
      expect(verified).toEqual(event);
    }
    // Another subscription's secret does not verify it.
    expect(() => new Webhook(other.body.secret).verify(receiver.requests[0]!.body, receiver.requests[0]!.headers as Record<string, string>)).toThrow();

    const log = await as(api, 'handel-webhooks', 'GET', `/v1/subscriptions/${created.body.id}/deliveries`);
    expect(log.status, log.text).toBe(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ eventId: event.id, eventType: 'recognition.revoked', status: 'delivered', attempts: 2, lastResponseStatus: 200 });
    expect(log.body.items[0].attemptLog.map((a: { attempt: number; responseStatus: number }) => [a.attempt, a.responseStatus])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    const pausedLog = await as(api, 'handel-webhooks', 'GET', `/v1/subscriptions/${other.body.id}/deliveries`);
    expect(pausedLog.body.items).toEqual([]);
  }, 30_000);

  it('never shows or logs the secret after creation: not in the subscription, the list, the delivery log or the lines of a delivery', async () => {
    const { api, env } = local;
    const created = await as(api, 'handel-webhooks', 'POST', '/v1/subscriptions', { url: receiver.url, eventTypes: ['recognition.revoked'] });
    expect(created.status, created.text).toBe(201);
    const secret: string = created.body.secret;
    // A failed attempt (here or to Handel's other subscription) and its retry: every log line a delivery writes.
    receiver.statuses.push(503);
    const logs = await captureLogs(async () => {
      await enqueueWebhookDeliveries(env.deps, [{ organisationKey: 'partnership:handel', event: revokedEvent('evt-unshown-1') }]);
      await runQueue(env.deps);
    });
    expect(logs).toContain('webhook attempt');
    const read = await as(api, 'handel-webhooks', 'GET', `/v1/subscriptions/${created.body.id}`);
    const listed = await as(api, 'handel-webhooks', 'GET', '/v1/subscriptions');
    const deliveries = await as(api, 'handel-webhooks', 'GET', `/v1/subscriptions/${created.body.id}/deliveries`);
    expect(deliveries.body.items).toEqual([expect.objectContaining({ eventId: 'evt-unshown-1', status: 'delivered' })]);
    for (const text of [logs, read.text, listed.text, deliveries.text]) {
      // The secret, and its key without the prefix, as the signing library decodes it.
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice('whsec_'.length));
    }
    for (const reply of [read, listed, deliveries]) expect(reply.text).not.toContain('secret');
  }, 30_000);

  it('fails a delivery after its last retry, sends its message to the dead letter, and redelivers by hand', async () => {
    const { api, env } = local;
    const created = await as(api, 'horeca-webhooks', 'POST', '/v1/subscriptions', { url: receiver.url, eventTypes: ['recognition.revoked'] });
    receiver.requests.length = 0;
    receiver.statuses.push(500, 500, 500);
    const event = revokedEvent('evt-fails-1');
    await enqueueWebhookDeliveries(env.deps, [{ organisationKey: 'partnership:horeca', event }]);
    const { failed } = await runQueue(env.deps);
    // Three attempts (the schedule 1,1 has two retries), then the last message throws: the redrive takes it.
    expect(receiver.requests.filter((r) => r.body.includes('evt-fails-1'))).toHaveLength(3);
    expect(failed).toEqual([expect.objectContaining({ retry: 2 })]);
    const id = deliveryIdFor(created.body.id, event.id);
    // The same message received again (before the redrive moves it) still throws, every time.
    await expect(deliverOnce(env.deps, failed[0]!)).rejects.toThrow(DeliveryFailedError);
    const delivery = await getDelivery(env.deps, id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, lastResponseStatus: 500 });

    const path = `/v1/subscriptions/${created.body.id}/deliveries/${id}/redeliver`;
    const again = await as(api, 'horeca-webhooks', 'POST', path);
    expect([again.status, again.body.status], again.text).toEqual([202, 'pending']);
    expect((await as(api, 'horeca-webhooks', 'POST', path)).body.code).toBe('invalid-transition');
    await runQueue(env.deps);
    expect(await getDelivery(env.deps, id)).toMatchObject({ status: 'delivered', attempts: 4, lastResponseStatus: 200 });
    expect(receiver.requests.at(-1)!.headers['webhook-id']).toBe(id);
    const unknown = await as(api, 'horeca-webhooks', 'POST', `/v1/subscriptions/${created.body.id}/deliveries/${deliveryIdFor('x', 'y')}/redeliver`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'delivery-not-found']);
  }, 30_000);

  it('checks the address again at delivery: a subscription to the loopback is refused where local URLs are not allowed', async () => {
    const { api, env } = local;
    const created = await as(api, 'syntra-mechelen-sis', 'POST', '/v1/subscriptions', {
      url: receiver.url.replace('127.0.0.1', 'localhost'),
      eventTypes: ['recognition.revoked'],
    });
    receiver.requests.length = 0;
    // The same stage's table, but a function configured as in AWS: localhost resolves to 127.0.0.1, which it refuses.
    const strict: Dependencies = { ...env.deps, config: { ...env.config, WEBHOOK_ALLOW_LOCAL_URLS: false, WEBHOOK_RETRY_DELAYS_SECONDS: [] } };
    const event = revokedEvent('evt-ssrf-1');
    await enqueueWebhookDeliveries(strict, [{ organisationKey: 'provider:syntra-mechelen', event }]);
    await runQueue(strict);
    expect(receiver.requests).toEqual([]);
    const delivery = await getDelivery(env.deps, deliveryIdFor(created.body.id, event.id));
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'address-refused', lastResponseStatus: null });
  }, 30_000);
});

describe('the OpenAPI document', () => {
  it('names scope webhooks:manage on every webhooks route and states the retry schedule', () => {
    const document = generateOpenApi(routes) as unknown as {
      paths: Record<string, Record<string, { 'x-scopes': string[] }>>;
      tags: { name: string; description: string }[];
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method} ${path}`, op })),
    );
    expect(operations).toHaveLength(routes.length);
    for (const { name, op } of operations) expect(op['x-scopes'], name).toEqual(['webhooks:manage']);
    expect(document.tags.find((t) => t.name === 'Webhooks')?.description).toContain('8 pogingen over ongeveer 23 uur');
  });
});
