// E-mail: producers put a message on the notifications queue; the notifications consumer renders and sends it.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { Dependencies } from './dependencies.ts';
import { notificationRequestedSchema, type NotificationRequested } from '../../events/notification-requested.ts';

export async function requestNotification(deps: Dependencies, message: NotificationRequested): Promise<void> {
  const valid = notificationRequestedSchema.parse(message);
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.config.NOTIFICATIONS_QUEUE_URL, MessageBody: JSON.stringify(valid) }));
}

export type OutgoingMail = { messageId: string; to: string[]; subject: string; text: string; html: string };
export type MailTransport = { send(mail: OutgoingMail): Promise<{ messageId: string }> };

/** SES v2 in AWS; locally each message becomes an `.eml` file plus a line in `index.jsonl`. */
export function createMailTransport(config: Config): MailTransport {
  const from = config.MAIL_FROM;
  if (config.MAIL_TRANSPORT === 'ses') {
    const transporter = nodemailer.createTransport({ SES: { sesClient: new SESv2Client({ region: config.AWS_REGION }), SendEmailCommand } } as never);
    return {
      send: async (mail) => {
        const info = await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.messageId}@werkplekduaal>` });
        return { messageId: info.messageId };
      },
    };
  }
  const directory = config.MAIL_DIRECTORY!;
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const info = await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.messageId}@werkplekduaal>` });
      mkdirSync(directory, { recursive: true });
      const sentAt = new Date().toISOString();
      const file = `${sentAt.replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^\w.-]/g, '_')}.eml`;
      writeFileSync(join(directory, file), info.message as Buffer);
      appendFileSync(join(directory, 'index.jsonl'), `${JSON.stringify({ id: mail.messageId, sentAt, to: mail.to, subject: mail.subject, file })}\n`);
      return { messageId: info.messageId };
    },
  };
}
