// The local stage's mail viewer: what the notifications consumer "sent" (the file transport's .eml files), as a
// person reads it. `/_local/mail` in a browser lists the messages, newest first (scripts and tests get the same
// list as JSON); `/_local/mail/<file>.html` shows one: its headers, the HTML part rendered in a sandboxed iframe
// (no scripts, no navigation of this page) and the text part. The .eml is parsed with mailparser, so the viewer
// shows what went over the wire, not what a template meant to send.
import { Eta } from 'eta/core';
import { simpleParser } from 'mailparser';

/** A line of the file transport's index.jsonl (shared/adapters/mail-transport.ts). */
export type MailIndexEntry = { id: string; sentAt: string; from: string; to: string[]; subject: string; file: string };

const eta = new Eta({ autoEscape: true, cache: true });

const style = `<style>
body{font-family:Arial,Helvetica,sans-serif;margin:24px;color:#1f1f1f}
table{border-collapse:collapse}td,th{text-align:left;padding:4px 12px 4px 0;vertical-align:top}
iframe{width:100%;height:640px;border:1px solid #cccccc;background:#ffffff}
pre{white-space:pre-wrap;background:#f4f4f4;padding:12px;border:1px solid #cccccc}
</style>`;

eta.loadTemplate(
  '@index',
  `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Verstuurde e-mail (lokaal)</title>${style}</head><body>
<h1>Verstuurde e-mail</h1>
<p><%= it.messages.length %> bericht(en), het nieuwste eerst. Als JSON: <code>curl <%= it.jsonUrl %></code></p>
<table><tr><th>Verstuurd</th><th>Aan</th><th>Onderwerp</th></tr>
<% it.messages.forEach((m) => { %><tr><td><%= m.sentAt %></td><td><%= m.to.join(', ') %></td><td><a href="/_local/mail/<%= m.file.replace(/\\.eml$/, '.html') %>"><%= m.subject %></a></td></tr>
<% }) %></table>
</body></html>`,
);

eta.loadTemplate(
  '@message',
  `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title><%= it.subject %></title>${style}</head><body>
<p><a href="/_local/mail">Alle berichten</a> · <a href="/_local/mail/<%= it.file %>">.eml</a></p>
<table>
<tr><th>Van</th><td><%= it.from %></td></tr>
<tr><th>Aan</th><td><%= it.to %></td></tr>
<tr><th>Onderwerp</th><td><%= it.subject %></td></tr>
<tr><th>Datum</th><td><%= it.date %></td></tr>
<tr><th>Message-ID</th><td><%= it.messageId %></td></tr>
</table>
<h2>HTML</h2>
<% if (it.html) { %><iframe title="HTML-weergave" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="<%= it.html %>"></iframe><% } else { %><p>Geen HTML-deel.</p><% } %>
<h2>Tekst</h2>
<pre><%= it.text %></pre>
</body></html>`,
);

/** The page that lists the messages, newest first. */
export const mailIndexPage = (messages: readonly MailIndexEntry[], jsonUrl: string): string =>
  eta.render('@index', { messages: [...messages].reverse(), jsonUrl });

/** The page of one message, from its raw .eml. */
export async function mailMessagePage(file: string, raw: Buffer): Promise<string> {
  const parsed = await simpleParser(raw);
  const addresses = (value: typeof parsed.to) => (value === undefined ? '' : (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', '));
  return eta.render('@message', {
    file,
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    date: parsed.date?.toISOString() ?? '',
    messageId: parsed.messageId ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    text: parsed.text ?? '',
  });
}

/**
 * The viewer's pages may show nothing but themselves and the mail in its frame: no scripts anywhere, styles
 * inline (e-mail HTML has nothing else), images only inline. A srcdoc frame falls under this policy too.
 */
export const mailViewerHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'",
};
