// Sending e-mail, for the notifications consumer only: nodemailer builds the MIME message, SES v2 sends it (a
// file per message locally). Producers put requests on the notifications queue instead (mail.ts).
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

/** A rendered e-mail. `messageId` is the notification id: it becomes the Message-ID and names the local file. */
export type OutgoingMail = { messageId: string; to: string[]; subject: string; text: string; html: string };
/** `messageId` is the Message-ID the mail service reports (for SES, the one SES assigned). */
export type MailTransport = { send(mail: OutgoingMail): Promise<{ messageId: string }> };

/** Only the parts of SESv2Client the transport uses, so a test can hand in a fake (there is no SES emulator). */
export type SesClientLike = Pick<SESv2Client, 'send' | 'config'>;

/**
 * `ses`: nodemailer builds the MIME message and sends it raw through SES v2 (SendEmail). `file`: the local
 * stage and tests get each message as `<ISO timestamp>-<id>.eml` in MAIL_DIRECTORY, plus one JSON line in
 * `index.jsonl` that the local stage lists at /_local/mail.
 */
export function createMailTransport(config: Config, options: { sesClient?: SesClientLike } = {}): MailTransport {
  const from = config.MAIL_FROM;
  // A Message-ID on our own domain, derived from the notification id, so a message can be traced to its request.
  const messageIdOf = (mail: OutgoingMail) => `<${mail.messageId}@${from.split('@')[1]}>`;
  const compose = (mail: OutgoingMail) => ({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: messageIdOf(mail) });

  if (config.MAIL_TRANSPORT === 'ses') {
    const sesClient = options.sesClient ?? new SESv2Client({ region: config.AWS_REGION });
    const transporter = nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } });
    return {
      send: async (mail) => {
        const info = await transporter.sendMail(compose(mail));
        return { messageId: info.messageId };
      },
    };
  }

  const directory = config.MAIL_DIRECTORY;
  if (!directory) throw new Error('MAIL_DIRECTORY is required when MAIL_TRANSPORT is file');
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (mail) => {
      const info = await transporter.sendMail(compose(mail));
      const sentAt = new Date().toISOString();
      // Colons are not allowed in Windows file names; the id may contain them too (the schema allows `:`).
      const file = `${sentAt.replace(/:/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`;
      await mkdir(directory, { recursive: true });
      await writeFile(join(directory, file), info.message as Buffer);
      await appendFile(
        join(directory, 'index.jsonl'),
        `${JSON.stringify({ id: mail.messageId, messageId: info.messageId, sentAt, from, to: mail.to, subject: mail.subject, file })}\n`,
      );
      return { messageId: info.messageId };
    },
  };
}
