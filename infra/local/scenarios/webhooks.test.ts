// Scenario over HTTP through the local stage: a partnership's system (client-credentials token, scope
// webhooks:manage) subscribes two receivers on the loopback to revocations; the partnership revokes a recognition;
// the local stage dispatches the outbox event, the event feed's dispatch hands it to the webhooks, and the webhooks
// queue's consumer posts it. One receiver fails once and gets it again with the same webhook-id (attempt 2 in the
// log); the other keeps failing until the delivery fails and its message lands in the dead-letter queue. The local
// stage retries after 1 s (WEBHOOK_RETRY_DELAYS_SECONDS=1,1,1: four attempts) instead of minutes and hours.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoClients } from '../seed/clients.ts';
import { recognitionPath } from '../testing/given.ts';
import { actors, useScenarioStage } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('webhooks');
const { jan, els } = actors;

type Received = { headers: IncomingHttpHeaders; body: string };
const received: Record<'once' | 'always', Received[]> = { once: [], always: [] };
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    const which = request.url === '/once' ? 'once' : 'always';
    received[which].push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    // `once` fails its first request only; `always` never answers 2xx.
    response.statusCode = which === 'once' && received.once.length > 1 ? 204 : 500;
    response.end();
  });
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((resolve) => server.close(resolve)));

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  for (let i = 0; i < seconds * 4; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhooks through the local stage', () => {
  it('delivers a revocation signed, retries it with the same webhook-id, and dead-letters what keeps failing', async () => {
    const { call } = scenario.client;
    const token = await scenario.stage.issuer.signClient(demoClients['handel-webhooks']!);
    const subscribe = async (path: string) => {
      const response = await fetch(`${scenario.stage.url}/v1/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${base}${path}`, eventTypes: ['recognition.revoked'], description: `ontvanger ${path}` }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; secret: string };
    };
    const once = await subscribe('/once');
    const always = await subscribe('/always');
    // The secret is shown once: the list (here as the partnership's administrator, through the portal client) has none.
    const listed = await call(els, 'GET', '/v1/subscriptions');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.text).not.toContain(once.secret);

    const recognition = await scenario.client.recogniseWorkplace({
      enterprise: jan,
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      counter: 301,
    });
    const path = `/v1/recognitions/${recognitionPath(recognition.id)}`;
    const current = await call(els, 'GET', path);
    const revoked = await call(els, 'POST', `${path}/revoke`, { reasons: 'Na begeleiding blijven de problemen bestaan.' }, current.body.version);
    expect(revoked.status, revoked.text).toBe(200);

    // The receiver that failed once has the event twice, both signed for its secret, with one webhook-id.
    await until('the retry', async () => (received.once.length >= 2 ? true : undefined));
    const hook = new Webhook(once.secret);
    const events = received.once.map((r) => hook.verify(r.body, r.headers as Record<string, string>) as { id: string; type: string; subject: string });
    expect(events[0]).toEqual(events[1]);
    expect(events[0]).toMatchObject({ type: 'be.vlaanderen.werkplekduaal.recognition.revoked', subject: `recognitions/${recognition.id}` });
    expect(new Set(received.once.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // Signed for this subscription only.
    expect(() => new Webhook(always.secret).verify(received.once[0]!.body, received.once[0]!.headers as Record<string, string>)).toThrow();

    const onceLog = await until('the delivered log entry', async () => {
      const log = await call(els, 'GET', `/v1/subscriptions/${once.id}/deliveries`);
      return log.body.items[0]?.status === 'delivered' ? log.body.items[0] : undefined;
    });
    expect(onceLog).toMatchObject({ eventType: 'recognition.revoked', attempts: 2, lastResponseStatus: 204, id: received.once[0]!.headers['webhook-id'] });
    expect(onceLog.attemptLog.map((a: { attempt: number; responseStatus: number }) => [a.attempt, a.responseStatus])).toEqual([
      [1, 500],
      [2, 204],
    ]);

    // The receiver that keeps failing: four attempts, then failed, and its last message in the dead-letter queue.
    const alwaysLog = await until('the failed log entry', async () => {
      const log = await call(els, 'GET', `/v1/subscriptions/${always.id}/deliveries`);
      return log.body.items[0]?.status === 'failed' ? log.body.items[0] : undefined;
    });
    expect(alwaysLog).toMatchObject({ attempts: 4, lastResponseStatus: 500 });
    expect(received.always).toHaveLength(4);
    expect(new Set(received.always.map((r) => r.headers['webhook-id']))).toEqual(new Set([alwaysLog.id]));
    const queue = scenario.stage.queues.find((q) => q.definition.id === 'webhooks')!;
    const deadLetter = await until('the dead letter', async () => {
      const found = await scenario.stage.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return found.Messages?.map((m) => JSON.parse(m.Body!) as { deliveryId: string }).find((m) => m.deliveryId === alwaysLog.id);
    });
    expect(deadLetter).toMatchObject({ deliveryId: alwaysLog.id, retry: 3 });

    // Redelivered by hand, it is tried again at once with the same webhook-id (and fails again here).
    const again = await call(els, 'POST', `/v1/subscriptions/${always.id}/deliveries/${alwaysLog.id}/redeliver`);
    expect([again.status, again.body.status], again.text).toEqual([202, 'pending']);
    await until('the redelivery', async () => (received.always.length >= 5 ? true : undefined));
    expect(received.always[4]!.headers['webhook-id']).toBe(alwaysLog.id);
  }, 180_000);
});
