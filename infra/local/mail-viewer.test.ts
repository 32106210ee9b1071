// The local mail viewer: a message the consumer's file transport wrote, shown as a person reads it.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMailTransport } from '../../shared/adapters/mail-transport.ts';
import type { Config } from '../../shared/config.ts';
import { noNames, renderTemplate } from '../../functions/notifications/templates.ts';
import { mailIndexPage, mailMessagePage, mailViewerHeaders, type MailIndexEntry } from './mail-viewer.ts';

const typed = '<script>alert("x")</script>';

async function sentMail() {
  const directory = mkdtempSync(join(tmpdir(), 'werkplekduaal-viewer-'));
  const transport = createMailTransport({ MAIL_TRANSPORT: 'file', MAIL_DIRECTORY: directory, MAIL_FROM: 'noreply@werkplekduaal.local' } as Config);
  const rendered = renderTemplate(
    'completion-requested',
    {
      applicationId: '01JDX3M6Q8S9T0V1W2X3Y4Z5A6',
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      partnershipId: 'handel',
      message: `Voeg het uittreksel toe. ${typed}`,
      dueOn: null,
    },
    { portalUrl: 'http://localhost:5173', names: { ...noNames, programmes: new Map([['verkoper-duaal', 'Verkoper duaal']]) } },
  );
  await transport.send({ messageId: 'viewer-test-0001', to: ['hr@megaworld.test'], ...rendered });
  const file = readdirSync(directory).find((f) => f.endsWith('.eml'))!;
  const index = readFileSync(join(directory, 'index.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MailIndexEntry);
  return { file, raw: readFileSync(join(directory, file)), index, rendered };
}

describe('local mail viewer', () => {
  it('shows the HTML part in a sandboxed frame without scripts, and the text part, from the .eml as sent', async () => {
    const { file, raw, rendered } = await sentMail();
    const page = await mailMessagePage(file, raw);

    const frame = /<iframe title="HTML-weergave" sandbox="([^"]*)" srcdoc="([^"]*)"><\/iframe>/.exec(page);
    expect(frame, 'a sandboxed frame').not.toBeNull();
    expect(frame![1]).not.toContain('allow-scripts');
    expect(frame![1]).not.toContain('allow-same-origin');
    // The frame's document is the HTML part, escaped once more for the attribute: nothing in it runs on this page.
    const srcdoc = frame![2]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
    expect(srcdoc).toContain('de opleiding Verkoper duaal');
    expect(srcdoc).toContain('&lt;script&gt;');
    expect(srcdoc).toContain('href="http://localhost:5173/aanvragen/01JDX3M6Q8S9T0V1W2X3Y4Z5A6"');
    expect(page).not.toContain('<script');

    const text = /<pre>([\s\S]*)<\/pre>/.exec(page)![1]!;
    expect(text).toContain('Geachte heer, mevrouw,');
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')).toBe(
      rendered.text,
    );
    expect(page).toContain(`<tr><th>Onderwerp</th><td>${rendered.subject}</td></tr>`);
    expect(page).toContain('<tr><th>Aan</th><td>hr@megaworld.test</td></tr>');
    expect(mailViewerHeaders['Content-Security-Policy']).toMatch(/default-src 'none'/);
  });

  it('lists the messages newest first, each linking to its page, with every value escaped', async () => {
    const { index } = await sentMail();
    const entries = [
      { ...index[0]!, subject: `Oud ${typed}` },
      { ...index[0]!, file: 'nieuw.eml', subject: 'Nieuw' },
    ];
    const page = mailIndexPage(entries, 'http://localhost:3000/_local/mail');
    expect(page).not.toContain('<script');
    expect(page).toContain('Oud &lt;script&gt;');
    expect(page.indexOf('Nieuw')).toBeLessThan(page.indexOf('Oud'));
    expect(page).toContain(`href="/_local/mail/${index[0]!.file.replace(/\.eml$/, '.html')}"`);
  });
});
