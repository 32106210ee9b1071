// shared/adapters/mail.ts: the producer side (requestNotification on the real queue) and the two transports.
// There is no SES emulator, so the SES transport is checked with a stand-in client that records the command.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { createMailTransport, type SesClientLike } from '../../shared/adapters/mail-transport.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});

async function drain(): Promise<string[]> {
  const result = await env.deps.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: env.config.NOTIFICATIONS_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const messages = result.Messages ?? [];
  await Promise.all(
    messages.map((m) => env.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: env.config.NOTIFICATIONS_QUEUE_URL, ReceiptHandle: m.ReceiptHandle! }))),
  );
  return messages.map((m) => m.Body ?? '');
}

const mail = {
  messageId: '01JTEST:appeal-0001',
  to: ['hr@megaworld.test', 'jan@megaworld.test'],
  subject: 'Ontvangst van uw beroep',
  text: 'Uw beroep werd ontvangen.\n',
  html: '<p>Uw beroep werd ontvangen.</p>',
};

describe('requestNotification', () => {
  it('puts the validated message on the notifications queue as JSON', async () => {
    const message: NotificationRequest = {
      id: 'test-request-0001',
      to: ['duaal@handel.test'],
      template: 'review-reminder',
      data: {
        applicationId: '01JDX3M6Q8S9T0V1W2X3Y4Z5A6',
        enterpriseNumber: '0417.390.703',
        establishmentNumber: '2.123.456.791',
        programmeId: 'verkoper-duaal',
        partnershipId: 'handel',
        deadlineOn: '2026-11-26',
      },
    };
    await requestNotification(env.deps, message);
    expect((await drain()).map((body) => JSON.parse(body))).toEqual([message]);
  });

  it('drops fields the template does not know, so only what the e-mail needs travels', async () => {
    await requestNotification(env.deps, {
      id: 'test-request-0002',
      to: ['duaal@handel.test'],
      template: 'test-message',
      data: { text: 'ok', nationalNumber: '85.07.30-033.28' },
    } as NotificationRequest);
    const [body] = await drain();
    expect(JSON.parse(body!).data).toEqual({ text: 'ok' });
  });

  it('throws in the producer, and sends nothing, when the data does not fit the template', async () => {
    await expect(
      requestNotification(env.deps, { id: 'test-request-0003', to: ['duaal@handel.test'], template: 'decision', data: { text: 'ok' } } as never),
    ).rejects.toThrow();
    await expect(
      requestNotification(env.deps, { id: 'test-request-0004', to: ['geen-adres'], template: 'test-message', data: { text: 'ok' } }),
    ).rejects.toThrow();
    expect(await drain()).toEqual([]);
  });
});

describe('file transport', () => {
  it('writes one .eml per message and appends one summary line per message to index.jsonl', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'werkplekduaal-mail-')), 'not-yet-created');
    const transport = createMailTransport({ ...env.config, MAIL_TRANSPORT: 'file', MAIL_DIRECTORY: directory });

    const first = await transport.send(mail);
    await transport.send({ ...mail, messageId: 'test-second-0001', subject: 'Tweede bericht' });

    expect(first.messageId).toBe('<01JTEST:appeal-0001@werkplekduaal.local>');
    const files = readdirSync(directory)
      .filter((f) => f.endsWith('.eml'))
      .sort();
    // The id's `:` becomes `_`: the name must be valid on every file system.
    expect(files).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-01JTEST_appeal-0001\.eml$/),
      expect.stringMatching(/-test-second-0001\.eml$/),
    ]);
    const eml = readFileSync(join(directory, files[0]!), 'utf8');
    expect(eml).toContain('To: hr@megaworld.test, jan@megaworld.test');
    expect(eml).toContain('Subject: Ontvangst van uw beroep');
    expect(eml).toContain('Message-ID: <01JTEST:appeal-0001@werkplekduaal.local>');
    expect(eml).toMatch(/Content-Type: multipart\/alternative/);
    const index = readFileSync(join(directory, 'index.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(index).toEqual([
      expect.objectContaining({ id: '01JTEST:appeal-0001', to: mail.to, subject: 'Ontvangst van uw beroep', file: files[0] }),
      expect.objectContaining({ id: 'test-second-0001', subject: 'Tweede bericht', file: files[1] }),
    ]);
  });

  it('needs MAIL_DIRECTORY', () => {
    expect(() => createMailTransport({ ...env.config, MAIL_TRANSPORT: 'file', MAIL_DIRECTORY: undefined })).toThrow(/MAIL_DIRECTORY/);
  });
});

describe('SES transport', () => {
  it('sends the MIME message raw through SES v2 SendEmail and returns the Message-ID SES assigned', async () => {
    const commands: unknown[] = [];
    const sesClient = {
      config: { region: async () => 'eu-west-1' },
      send: async (command: unknown) => {
        commands.push(command);
        return { MessageId: '0102019a-ses-message-id', $metadata: {} };
      },
    } as unknown as SesClientLike;
    const transport = createMailTransport({ ...env.config, MAIL_TRANSPORT: 'ses', MAIL_FROM: 'noreply@werkplekduaal.be' }, { sesClient });

    const sent = await transport.send(mail);

    expect(sent.messageId).toBe('<0102019a-ses-message-id@eu-west-1.amazonses.com>');
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(SendEmailCommand);
    const input = (commands[0] as SendEmailCommand).input;
    expect(input.FromEmailAddress).toBe('noreply@werkplekduaal.be');
    expect(input.Destination?.ToAddresses).toEqual(mail.to);
    const raw = Buffer.from(input.Content?.Raw?.Data ?? new Uint8Array()).toString('utf8');
    expect(raw).toContain('Subject: Ontvangst van uw beroep');
    expect(raw).toContain('Message-ID: <01JTEST:appeal-0001@werkplekduaal.be>');
    expect(raw).toContain('Uw beroep werd ontvangen.');
    // Both bodies: a multipart/alternative message with the plain text and the HTML rendering.
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8/);
    expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8/);
    expect(raw).toContain('<p>Uw beroep werd ontvangen.</p>');
  });

  it('lets a failure of SES reach the consumer, which reports the message for a retry', async () => {
    const sesClient = {
      config: {},
      send: async () => Promise.reject(Object.assign(new Error('Daily message quota exceeded'), { name: 'LimitExceededException' })),
    } as unknown as SesClientLike;
    const transport = createMailTransport({ ...env.config, MAIL_TRANSPORT: 'ses' }, { sesClient });
    await expect(transport.send(mail)).rejects.toMatchObject({ name: 'LimitExceededException' });
  });
});
