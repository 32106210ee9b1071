// The notifications consumer against the emulators: a message from the real queue becomes one .eml file;
// a redelivered message is not sent twice; a malformed message and a transport failure are batch item failures.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { toSqsEvent } from '../../infra/local/queues.ts';
import { createMailTransport, requestNotification, type MailTransport } from '../../shared/adapters/mail.ts';
import { createNotificationConsumer } from './send.ts';

let env: TestEnvironment;
let directory: string;
let transport: MailTransport;
const context = {} as Context;

beforeAll(async () => {
  env = await createTestEnvironment();
  directory = mkdtempSync(join(tmpdir(), 'mail-'));
  transport = createMailTransport({ ...env.config, MAIL_TRANSPORT: 'file', MAIL_DIRECTORY: directory });
});

async function receive() {
  const result = await env.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: env.config.NOTIFICATIONS_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return toSqsEvent(result.Messages ?? [], 'arn:aws:sqs:eu-west-1:000000000000:notifications');
}

describe('notifications consumer', () => {
  it('sends a requested e-mail once, even when the message is delivered twice', async () => {
    await requestNotification(env.deps, { id: 'test-decision-0001', to: ['hr@megaworld.test'], template: 'decision', data: { applicationId: 'A1', decision: 'recognised', reasons: 'In orde', recognitionId: 'E/20261112/000001', startDate: '2026-11-15', endDate: '2031-11-14', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' } });
    const event = await receive();
    expect(event.Records).toHaveLength(1);
    const consume = createNotificationConsumer(env.deps, transport);
    expect(await consume(event, context)).toEqual({ batchItemFailures: [] });
    expect(await consume(event, context)).toEqual({ batchItemFailures: [] });
    const files = readdirSync(directory).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(directory, files[0]!), 'utf8');
    expect(eml).toContain('To: hr@megaworld.test');
    expect(eml).toMatch(/Subject: =\?UTF-8\?|Subject: Offici/);
    expect(eml).toContain('E/20261112/000001');
    const index = readFileSync(join(directory, 'index.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(index).toEqual([expect.objectContaining({ id: 'test-decision-0001', to: ['hr@megaworld.test'] })]);
  });

  it('reports a malformed message or unknown template as a failed item, and keeps the others', async () => {
    const good = { messageId: 'm-good', receiptHandle: 'r', body: JSON.stringify({ id: 'test-message-0002', to: ['a@b.test'], template: 'test-message', data: { text: 'ok' } }) };
    const broken = { messageId: 'm-broken', receiptHandle: 'r', body: '{not json' };
    const unknown = { messageId: 'm-unknown', receiptHandle: 'r', body: JSON.stringify({ id: 'test-message-0003', to: ['a@b.test'], template: 'nope', data: {} }) };
    const event = { Records: [good, broken, unknown].map((r) => ({ ...toSqsEvent([], 'arn').Records[0], ...r, attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'eu-west-1' })) };
    const result = await createNotificationConsumer(env.deps, transport)(event as never, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-broken', 'm-unknown']);
  });

  it('retries a message whose sending failed, and then sends it once', async () => {
    let calls = 0;
    const flaky: MailTransport = { send: async (mail) => { calls += 1; if (calls === 1) throw new Error('SES throttled'); return transport.send(mail); } };
    const record = { messageId: 'm-flaky', receiptHandle: 'r', body: JSON.stringify({ id: 'test-message-0004', to: ['a@b.test'], template: 'test-message', data: { text: 'tweede poging' } }), attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'eu-west-1' };
    const consume = createNotificationConsumer(env.deps, flaky);
    expect((await consume({ Records: [record] } as never, context)).batchItemFailures).toEqual([{ itemIdentifier: 'm-flaky' }]);
    expect((await consume({ Records: [record] } as never, context)).batchItemFailures).toEqual([]);
    expect((await consume({ Records: [record] } as never, context)).batchItemFailures).toEqual([]);
    expect(calls).toBe(2);
  });
});
