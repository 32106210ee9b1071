// The notifications consumer against the emulators (DynamoDB Local, fauxqs SQS): a requested e-mail goes
// through the real queue and becomes one .eml file; redeliveries are sent once; malformed messages and
// failed sends are batch item failures, the first ending in the dead-letter queue, the second sent on retry.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { captureLogs } from '../../infra/local/testing/logs.ts';
import { pollOnce, toSqsEvent } from '../../infra/local/queues.ts';
import type { LocalQueue } from '../../infra/local/emulators.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { createMailTransport, type MailTransport } from '../../shared/adapters/mail-transport.ts';
import { mail } from '../../shared/data/keys.ts';
import { logger } from '../../shared/logger.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { megaWorld, putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';
import { createNotificationConsumer, handler, sendingLockSeconds, sentMarkerDays } from './consumer.ts';

let env: TestEnvironment;
let queue: LocalQueue;
let queueArn: string;
const context = { awsRequestId: 'test-request', functionName: 'consumer-notifications' } as Context;
const clockStart = '2026-11-12T09:00:00.000Z';

beforeAll(async () => {
  env = await createTestEnvironment();
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, megaWorld);
  queue = env.queues.find((q) => q.definition.id === 'notifications')!;
  queueArn = queue.dlqArn.replace(/-dlq$/, '');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  logger.setLogLevel('WARN');
});

// --- helpers ---------------------------------------------------------------------------------------------

/** A fresh mailbox (the local file transport in its own temp directory). */
function mailbox(): { directory: string; transport: MailTransport; emls(): string[]; index(): Record<string, unknown>[] } {
  const directory = mkdtempSync(join(tmpdir(), 'werkplekduaal-mail-'));
  return {
    directory,
    transport: createMailTransport({ ...env.config, MAIL_TRANSPORT: 'file', MAIL_DIRECTORY: directory }),
    emls: () =>
      readdirSync(directory)
        .filter((f) => f.endsWith('.eml'))
        .sort(),
    index: () => {
      try {
        return readFileSync(join(directory, 'index.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line));
      } catch {
        return [];
      }
    },
  };
}

const newId = (what: string) => `test-${what}-${ulid()}`;

const fileOf = (programmeId: string) => ({ applicationId: ulid(), enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.791', programmeId });

const testMessage = (id: string, text = 'Hallo vanuit de test'): NotificationRequest => ({
  id,
  to: ['partnerschap@handel.test'],
  template: 'test-message',
  data: { text },
});

async function receive(expected: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let i = 0; i < 10 && messages.length < expected; i++) {
    const result = await env.deps.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
    );
    messages.push(...(result.Messages ?? []));
  }
  return messages;
}

const deleteMessages = (messages: Message[]) =>
  Promise.all(messages.map((m) => env.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle! }))));

/** SQS records built by hand, for bodies a producer could not send (requestNotification validates). */
const eventOf = (...bodies: { sqsMessageId: string; body: string }[]): SQSEvent =>
  toSqsEvent(
    bodies.map((b) => ({ MessageId: b.sqsMessageId, ReceiptHandle: `rh-${b.sqsMessageId}`, Body: b.body })),
    queueArn,
  );

const record = (message: unknown, sqsMessageId = `sqs-${ulid()}`) => ({ sqsMessageId, body: JSON.stringify(message) });

const marker = async (id: string) =>
  (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: mail.sent(id), ConsistentRead: true }))).Item;

/** The headers and the text part of a captured .eml, decoded (RFC 2047 encoded words, quoted-printable). */
function readEml(raw: string): { headers: Record<string, string>; text: string } {
  const latin1ToUtf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
  const qp = (s: string) => latin1ToUtf8(s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  const [head = '', ...rest] = raw.split('\n\n');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    const value = line
      .slice(colon + 1)
      .trim()
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, word: string) => qp(word.replace(/_/g, ' ')))
      .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, word: string) => Buffer.from(word, 'base64').toString('utf8'));
    headers[line.slice(0, colon).toLowerCase()] = value;
  }
  const body = rest.join('\n\n');
  const part = /Content-Type: text\/plain; charset=utf-8\nContent-Transfer-Encoding: ([\w-]+)\n\n([\s\S]*?)\n----/.exec(body);
  if (!part) throw new Error('no text/plain part in the .eml');
  const [, encoding, content = ''] = part;
  const text = encoding === 'quoted-printable' ? qp(content) : encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
  return { headers, text };
}

// --- tests -----------------------------------------------------------------------------------------------

describe('notifications consumer', () => {
  it('sends a requested e-mail from the queue as one .eml file with a line in index.jsonl, naming what it is about, and marks it sent', async () => {
    const clock = fixedClock(clockStart);
    const deps: Dependencies = { ...env.deps, clock };
    const box = mailbox();
    const id = newId('decision');
    const applicationId = ulid();
    await requestNotification(deps, {
      id,
      to: ['hr@megaworld.test'],
      template: 'decision',
      data: {
        applicationId,
        enterpriseNumber: megaWorld.number,
        establishmentNumber: '2.123.456.791',
        programmeId: 'verkoper-duaal',
        partnershipId: 'handel',
        decision: 'recognised',
        reasons: 'Alle voorwaarden zijn vervuld.',
        recognitionId: 'E/20261112/000001',
        startDate: '2026-11-15',
        endDate: '2031-11-14',
      },
    });
    const messages = await receive(1);
    expect(messages).toHaveLength(1);

    const response = await createNotificationConsumer(deps, box.transport)(toSqsEvent(messages, queueArn), context);
    await deleteMessages(messages);

    expect(response).toEqual({ batchItemFailures: [] });
    const files = box.emls();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}Z-${id}\\.eml$`));
    const raw = readFileSync(join(box.directory, files[0]!), 'utf8');
    const mail = readEml(raw);
    const subject = 'Officiële kennisgeving: Mega World Heist (vestigingsnummer 2.123.456.791) is erkend als werkplek';
    expect(mail.headers).toMatchObject({ from: 'noreply@werkplekduaal.local', to: 'hr@megaworld.test', subject, 'message-id': `<${id}@werkplekduaal.local>` });
    // The names come from the table: the programme and the partnership from the reference data, the establishment from KBO.
    expect(mail.text).toContain(
      'Met deze kennisgeving wordt Mega World Heist (vestigingsnummer 2.123.456.791) erkend als werkplek voor de opleiding Verkoper duaal (erkenning E/20261112/000001).',
    );
    expect(mail.text).toContain('De erkenning geldt van 15 november 2026 tot en met 14 november 2031.');
    expect(mail.text).toContain('Motivering: Alle voorwaarden zijn vervuld.');
    expect(mail.text).toContain(`Bekijk de erkenning: ${env.config.PORTAL_URL}/erkenningen/E-20261112-000001`);
    expect(mail.text).toContain('Met vriendelijke groeten,\nSectoraal Partnerschap Handel');
    // Both parts travel: multipart/alternative with the text and the HTML rendering.
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8/);

    expect(box.index()).toEqual([
      {
        id,
        messageId: `<${id}@werkplekduaal.local>`,
        sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        from: 'noreply@werkplekduaal.local',
        to: ['hr@megaworld.test'],
        subject,
        file: files[0],
      },
    ]);
    const sentAtSeconds = Date.parse(clockStart) / 1000;
    const item = await marker(id);
    expect(item).toMatchObject({
      status: 'sent',
      template: 'decision',
      smtpMessageId: `<${id}@werkplekduaal.local>`,
      sentAt: clockStart,
      ttl: sentAtSeconds + sentMarkerDays * 86_400,
    });
    expect(item).not.toHaveProperty('lockedUntil');
  });

  it('sends a message redelivered by SQS once', async () => {
    const box = mailbox();
    const consume = createNotificationConsumer(env.deps, box.transport);
    const id = newId('redelivered');
    await requestNotification(env.deps, testMessage(id));

    const first = await receive(1);
    expect(await consume(toSqsEvent(first, queueArn), context)).toEqual({ batchItemFailures: [] });
    // As if the function timed out after sending: the message is not deleted and comes back.
    await env.deps.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: first[0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const second = await receive(1);
    expect(second[0]?.MessageId).toBe(first[0]!.MessageId);
    expect(second[0]?.Attributes?.ApproximateReceiveCount).toBe('2');

    const logs = await captureLogs(() => consume(toSqsEvent(second, queueArn), context));
    await deleteMessages(second);

    expect(box.emls()).toHaveLength(1);
    expect(box.index()).toHaveLength(1);
    expect(logs).toContain('notification already sent, skipped');
  });

  it('sends a notification requested twice (a retried producer) once, also within one batch', async () => {
    const box = mailbox();
    const consume = createNotificationConsumer(env.deps, box.transport);
    const id = newId('twice');
    const event = eventOf(record(testMessage(id)), record(testMessage(id)));

    const firstRun = await consume(event, context);
    // Processed in parallel: the copy that loses the claim either sees `sent` (skipped) or `sending` (retried).
    expect(firstRun.batchItemFailures.length).toBeLessThanOrEqual(1);
    const retried = eventOf(
      ...event.Records.filter((r) => firstRun.batchItemFailures.some((f) => f.itemIdentifier === r.messageId)).map((r) => ({
        sqsMessageId: r.messageId,
        body: r.body,
      })),
    );
    expect(await consume(retried, context)).toEqual({ batchItemFailures: [] });

    expect(box.emls()).toHaveLength(1);
  });

  it('reports malformed messages as batch item failures, without their content in the logs, and sends the good one', async () => {
    const box = mailbox();
    const good = newId('good');
    const event = eventOf(
      record(testMessage(good), 'sqs-good'),
      { sqsMessageId: 'sqs-not-json', body: '{"to": ["geheim@adres.test"], "data": ' },
      record({ id: newId('unknown'), to: ['geheim@adres.test'], template: 'nope', data: { text: 'geheime inhoud' } }, 'sqs-unknown-template'),
      record({ id: newId('wrong-data'), to: ['geheim@adres.test'], template: 'decision', data: { text: 'geheime inhoud' } }, 'sqs-wrong-data'),
      record(
        {
          id: newId('wrong-date'),
          to: ['geheim@adres.test'],
          template: 'review-reminder',
          data: { ...fileOf('geheim'), partnershipId: 'handel', deadlineOn: '1/12' },
        },
        'sqs-wrong-date',
      ),
      record({ id: newId('bad-address'), to: ['geheim-adres.test'], template: 'test-message', data: { text: 'geheime inhoud' } }, 'sqs-bad-address'),
      record({ to: ['geheim@adres.test'], template: 'test-message', data: { text: 'geheime inhoud' } }, 'sqs-no-id'),
    );

    let response: Awaited<ReturnType<ReturnType<typeof createNotificationConsumer>>> | undefined;
    const logs = await captureLogs(async () => {
      response = await createNotificationConsumer(env.deps, box.transport)(event, context);
    });

    expect(response!.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'sqs-bad-address',
      'sqs-no-id',
      'sqs-not-json',
      'sqs-unknown-template',
      'sqs-wrong-data',
      'sqs-wrong-date',
    ]);
    expect(box.emls()).toHaveLength(1);
    expect(await marker(good)).toMatchObject({ status: 'sent' });
    // What is wrong is logged per message (its SQS id, the fields), never the addresses or the text.
    for (const id of ['sqs-not-json', 'sqs-unknown-template', 'sqs-wrong-data', 'sqs-wrong-date', 'sqs-bad-address', 'sqs-no-id']) expect(logs).toContain(id);
    expect(logs).toContain('malformed notification message');
    expect(logs).not.toContain('geheim');
    expect(logs).not.toContain('partnerschap@handel.test');
    expect(logs).not.toContain('Hallo vanuit de test');
    expect(logs).toContain('"records":7');
    expect(logs).toContain('"failed":6');
  });

  it('lets a malformed message fail on every receive until the queue moves it to the dead-letter queue', async () => {
    const box = mailbox();
    const consume = createNotificationConsumer(env.deps, box.transport);
    const body = JSON.stringify({ id: newId('poison'), to: ['a@b.test'], template: 'nope', data: {} });
    await env.deps.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));

    let attempts = 0;
    const counting = async (event: SQSEvent, ctx: Context) => {
      attempts += event.Records.length;
      return consume(event, ctx);
    };
    // The local poller behaves as the event source mapping: failed items become visible again (here at once).
    const logs = await captureLogs(async () => {
      for (let i = 0; i < queue.definition.maxReceiveCount + 3; i++) await pollOnce(env.deps.sqs, queue, counting, { waitSeconds: 0, retryAfterSeconds: 0 });
    });

    expect(attempts).toBe(queue.definition.maxReceiveCount);
    expect(logs.match(/malformed notification message/g)).toHaveLength(queue.definition.maxReceiveCount);
    const dead = await env.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual([body]);
    await Promise.all(
      (dead.Messages ?? []).map((m) => env.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.dlqUrl, ReceiptHandle: m.ReceiptHandle! }))),
    );
    expect(box.emls()).toHaveLength(0);
  });

  it('reports a failed send as a batch item failure; the retry sends it once', async () => {
    const box = mailbox();
    let calls = 0;
    const flaky: MailTransport = {
      send: async (mail) => {
        calls += 1;
        if (calls === 1)
          throw Object.assign(new Error('Throttling: Maximum sending rate exceeded for hr@megaworld.test'), { name: 'TooManyRequestsException' });
        return box.transport.send(mail);
      },
    };
    const consume = createNotificationConsumer(env.deps, flaky);
    const id = newId('flaky');
    const event = eventOf(record(testMessage(id, 'tweede poging'), 'sqs-flaky'));

    const logs = await captureLogs(async () => {
      expect(await consume(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-flaky' }] });
    });
    expect(logs).toContain('TooManyRequestsException');
    expect(logs).not.toContain('hr@megaworld.test');
    // The claim was given up, so the retry does not wait for the lock to expire.
    expect(await marker(id)).toBeUndefined();
    expect(box.emls()).toHaveLength(0);

    expect(await consume(event, context)).toEqual({ batchItemFailures: [] });
    expect(await consume(event, context)).toEqual({ batchItemFailures: [] });
    expect(calls).toBe(2);
    expect(box.emls()).toHaveLength(1);
    expect(readEml(readFileSync(join(box.directory, box.emls()[0]!), 'utf8')).text).toContain('tweede poging');
  });

  it('takes over the claim of an invocation that crashed while sending, but only after the lock expired', async () => {
    const clock = fixedClock(clockStart);
    const deps: Dependencies = { ...env.deps, clock };
    const box = mailbox();
    const consume = createNotificationConsumer(deps, box.transport);
    const id = newId('crashed');
    const now = Date.parse(clockStart) / 1000;
    await env.deps.db.send(
      new PutCommand({
        TableName: env.config.TABLE_NAME,
        Item: { ...mail.sent(id), status: 'sending', template: 'test-message', lockedUntil: now + sendingLockSeconds, ttl: now + 86_400 },
      }),
    );
    const event = eventOf(record(testMessage(id), 'sqs-crashed'));

    expect(await consume(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-crashed' }] });
    expect(box.emls()).toHaveLength(0);

    clock.advance((sendingLockSeconds + 1) * 1000);
    expect(await consume(event, context)).toEqual({ batchItemFailures: [] });
    expect(box.emls()).toHaveLength(1);
    expect(await marker(id)).toMatchObject({ status: 'sent' });
  });

  it('sends nothing when the claim cannot be written (DynamoDB throttling), and reports the item', async () => {
    // DynamoDB Local does not throttle: the fault is injected on a client of its own.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
    const dynamo = mockClient(db);
    dynamo.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} }));
    const box = mailbox();
    const send = vi.fn(box.transport.send);

    const response = await createNotificationConsumer({ ...env.deps, db }, { send })(
      eventOf(record(testMessage(newId('throttled')), 'sqs-throttled')),
      context,
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-throttled' }] });
    expect(send).not.toHaveBeenCalled();
    dynamo.restore();
  });

  it('reports success when the e-mail went out but the marker could not be set to sent (a retry would send it twice)', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
    const dynamo = mockClient(db);
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} }));
    const box = mailbox();

    const logs = await captureLogs(async () => {
      expect(await createNotificationConsumer({ ...env.deps, db }, box.transport)(eventOf(record(testMessage(newId('unmarked')))), context)).toEqual({
        batchItemFailures: [],
      });
    });

    expect(box.emls()).toHaveLength(1);
    expect(logs).toContain('e-mail sent, but the marker could not be set to sent');
    dynamo.restore();
  });

  it('never logs addresses, subjects or bodies of messages it sends', async () => {
    const box = mailbox();
    const id = newId('private');
    const logs = await captureLogs(() =>
      createNotificationConsumer(env.deps, box.transport)(
        eventOf(
          record({
            id,
            to: ['jan.peeters@megaworld.test'],
            template: 'completion-requested',
            data: { ...fileOf('verkoper-duaal'), partnershipId: 'handel', message: 'Vertrouwelijke inhoud' },
          }),
        ),
        context,
      ),
    );
    expect(box.emls()).toHaveLength(1);
    const lines = logs
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'notification sent', notificationId: id, template: 'completion-requested', recipients: 1 }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ message: 'notification batch done', requestId: 'test-request', records: 1, failed: 0 }));
    expect(logs).not.toContain('jan.peeters');
    expect(logs).not.toContain('Vertrouwelijk');
    expect(logs).not.toContain('Mega World');
  });
});

describe('Lambda entry', () => {
  const environmentOf = (config: TestEnvironment['config']): Record<string, string> =>
    Object.fromEntries(
      Object.entries(config)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
    );

  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  });

  it('builds its configuration, clients and transport from the environment on the first invocation, and keeps them', async () => {
    const box = mailbox();
    for (const [name, value] of Object.entries({ ...environmentOf(env.config), MAIL_TRANSPORT: 'file', MAIL_DIRECTORY: box.directory }))
      vi.stubEnv(name, value);

    expect(await handler(eventOf(record(testMessage(newId('entry-1')))), context)).toEqual({ batchItemFailures: [] });
    // A later change of the environment is not read again: the cold start's clients are reused.
    vi.stubEnv('TABLE_NAME', '');
    vi.stubEnv('MAIL_DIRECTORY', join(box.directory, 'elsewhere'));
    expect(await handler(eventOf(record(testMessage(newId('entry-2')))), context)).toEqual({ batchItemFailures: [] });

    expect(box.emls()).toHaveLength(2);
  });
});
