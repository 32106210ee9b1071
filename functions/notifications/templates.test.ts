// The message contract (events/notification-requested.ts) and the Dutch templates that render it.
import { describe, expect, it } from 'vitest';
import example from '../../events/examples/notification-requested.json' with { type: 'json' };
import { notificationRequestedSchema, templateNames, type NotificationRequest } from '../../events/notification-requested.ts';
import { renderNotification, renderTemplate, templates } from './templates.ts';

/** One valid message per template: a new template without an entry here fails the completeness test. */
const samples: { [T in NotificationRequest['template']]: Extract<NotificationRequest, { template: T }>['data'] } = {
  generic: { subject: 'Ontvangst van uw beroep', lines: ['Uw beroep werd ontvangen.', 'Het is ontvankelijk.'], link: 'https://werkplekduaal.test/beroepen/1' },
  'test-message': { text: 'Hallo vanuit de test' },
  'application-submitted': {
    applicationId: 'A1',
    enterpriseNumber: '0417.390.703',
    establishmentNumber: '2.123.456.791',
    programme: 'Verkoper duaal',
    deadlineOn: '2026-11-26',
    partnership: 'Partnerschap Handel',
    round: 1,
  },
  'review-reminder': { applicationId: 'A1', establishmentNumber: '2.123.456.791', programme: 'Verkoper duaal', deadlineOn: '2026-11-26' },
  'review-overdue': { applicationId: 'A1', establishmentNumber: '2.123.456.791', programme: 'Verkoper duaal', deadlineOn: '2026-11-26', partnership: null },
  'completion-requested': { applicationId: 'A1', establishmentNumber: '2.123.456.791', message: 'Voeg het uittreksel van de mentor toe.' },
  decision: {
    applicationId: 'A1',
    decision: 'recognised',
    reasons: 'In orde',
    recognitionId: 'E/20261112/000001',
    startDate: '2026-11-15',
    endDate: '2031-11-14',
    establishmentNumber: '2.123.456.791',
    programmeId: 'verkoper-duaal',
  },
  sanction: {
    sanctionId: 'S1',
    kind: 'excludeEstablishment',
    subject: '2.123.456.791',
    reasons: 'Herhaalde tekortkomingen',
    recognitions: ['E/20261112/000001'],
    until: '2028-01-01',
  },
  'task-digest': {
    organisation: 'Sectoraal Partnerschap Handel',
    date: '2026-11-20',
    newCount: 3,
    overdueCount: 1,
    newTasks: [
      { title: 'Volledigheid erkenning controleren', label: '2.123.456.791 - verkoper-duaal', dueDate: '2026-11-30', daysRemaining: 10 },
      { title: 'Mentoren controleren', label: 'E/20261112/000001', dueDate: null, daysRemaining: null },
    ],
    overdueTasks: [{ title: 'Erkenning behandelen', label: '2.200.000.184 - verkoper-duaal', dueDate: '2026-11-18', daysRemaining: -2 }],
  },
};
const message = (template: NotificationRequest['template'], data: unknown = samples[template]) => ({
  id: `test-${template}-0001`,
  to: ['hr@megaworld.test'],
  template,
  data,
});

describe('notification-requested contract', () => {
  it('the example matches the schema unchanged', () => {
    expect(notificationRequestedSchema.parse(example)).toEqual(example);
  });

  it('every template has a schema, a renderer and a sample', () => {
    expect([...templateNames].sort()).toEqual(Object.keys(templates).sort());
    expect(Object.keys(samples).sort()).toEqual(Object.keys(templates).sort());
    for (const name of templateNames) expect(notificationRequestedSchema.safeParse(message(name)).success, name).toBe(true);
  });

  it('validates the data against the schema of the named template', () => {
    // Valid test-message data under another template's name.
    expect(notificationRequestedSchema.safeParse(message('decision', { text: 'ok' })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('decision', { ...samples.decision, decision: 'maybe' })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('application-submitted', { ...samples['application-submitted'], round: 0 })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('generic', { subject: 'x', lines: [] })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('generic', { subject: 'x', lines: ['y'], link: 'javascript:alert(1)' })).success).toBe(false);
  });

  it('refuses unknown templates, missing or invalid addresses and unusable ids', () => {
    const base = message('test-message');
    expect(notificationRequestedSchema.safeParse({ ...base, template: 'nope' }).success).toBe(false);
    expect(notificationRequestedSchema.safeParse({ ...base, to: [] }).success).toBe(false);
    expect(notificationRequestedSchema.safeParse({ ...base, to: ['not-an-address'] }).success).toBe(false);
    expect(notificationRequestedSchema.safeParse({ ...base, to: Array.from({ length: 21 }, (_, i) => `p${i}@x.test`) }).success).toBe(false);
    expect(notificationRequestedSchema.safeParse({ ...base, id: 'short' }).success).toBe(false);
    expect(notificationRequestedSchema.safeParse({ ...base, id: 'has spaces in it' }).success).toBe(false);
    expect(notificationRequestedSchema.safeParse({ ...base, id: 'a/b/c/d/e/f' }).success).toBe(false);
  });
});

describe('templates', () => {
  it.each(Object.keys(samples) as NotificationRequest['template'][])('%s renders a Dutch subject, a text and an HTML part with the signature', (name) => {
    const rendered = renderNotification(notificationRequestedSchema.parse(message(name)));
    expect(rendered.subject.length).toBeGreaterThan(5);
    expect(rendered.subject).not.toMatch(/undefined|null|\[object/);
    expect(rendered.text).not.toMatch(/undefined|null|\[object/);
    expect(rendered.text).toContain('werkplekduaal, het digitale loket duaal leren');
    expect(rendered.html).toMatch(/^<!doctype html><html lang="nl">/);
    expect(rendered.html).toContain('werkplekduaal, het digitale loket duaal leren');
  });

  it('writes the application-submitted e-mail in Dutch with the file details', () => {
    const rendered = renderTemplate('application-submitted', samples['application-submitted']);
    expect(rendered.subject).toBe('Nieuwe erkenningsaanvraag: Verkoper duaal (vestiging 2.123.456.791)');
    expect(rendered.text).toContain('Beste Partnerschap Handel,');
    expect(rendered.text).toContain('Beslis uiterlijk op 2026-11-26. Dossier: A1.');
    expect(renderTemplate('application-submitted', { ...samples['application-submitted'], round: 2 }).subject).toMatch(/^Vervolledigde erkenningsaanvraag/);
  });

  it('announces a positive and a negative decision differently; only a refusal mentions the appeal', () => {
    const recognised = renderTemplate('decision', samples.decision);
    expect(recognised.subject).toBe('Officiële kennisgeving: vestiging 2.123.456.791 is erkend als werkplek');
    expect(recognised.text).toContain('De erkenning geldt van 2026-11-15 tot en met 2031-11-14.');
    expect(recognised.text).not.toContain('beroep');
    const refused = renderTemplate('decision', { ...samples.decision, decision: 'notRecognised', recognitionId: null, startDate: null, endDate: null });
    expect(refused.subject).toContain('afgewezen');
    expect(refused.text).toContain('binnen 10 dagen');
  });

  it('says what each sanction does', () => {
    expect(renderTemplate('sanction', samples.sanction).text).toContain('De vestiging werd uitgesloten tot 2028-01-01');
    expect(renderTemplate('sanction', { ...samples.sanction, kind: 'excludeEnterprise', until: null }).text).toContain(
      'De onderneming werd uitgesloten; al haar',
    );
    expect(renderTemplate('sanction', { ...samples.sanction, kind: 'revokeRecognition', recognitions: [] }).text).toContain('Betrokken erkenningen: geen.');
  });

  it('renders the generic template: subject, one paragraph per line, the link last', () => {
    const rendered = renderTemplate('generic', samples.generic);
    expect(rendered.subject).toBe('Ontvangst van uw beroep');
    expect(rendered.text).toBe(
      'Uw beroep werd ontvangen.\n\nHet is ontvankelijk.\n\nBekijk het in het digitale loket: https://werkplekduaal.test/beroepen/1\n\n-- \nwerkplekduaal, het digitale loket duaal leren\n',
    );
    expect(rendered.html).toContain('<p>Uw beroep werd ontvangen.</p><p>Het is ontvankelijk.</p><p><a href="https://werkplekduaal.test/beroepen/1">');
    expect(renderTemplate('generic', { subject: 'Zonder link', lines: ['Een regel.'] }).html).not.toContain('<a ');
  });

  it('escapes values in the HTML part (they come from users: reasons, messages)', () => {
    const rendered = renderTemplate('completion-requested', { ...samples['completion-requested'], message: '<script>alert("x")</script> & <b>meer</b>' });
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;meer&lt;/b&gt;');
    expect(rendered.text).toContain('<script>alert("x")</script>');
  });
});

describe('personal numbers', () => {
  /** A national number however it is written (11 digits, or yy.mm.dd-xxx.cc), and an IBAN. */
  const nationalNumberPattern = /\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}|(?<!\d)\d{11}(?!\d)/;
  const ibanPattern = /\b[A-Z]{2}\d{2} ?\d{4} ?\d{4} ?\d{4}/i;
  const typed = 'Mentor 85.07.30-033.28 (85073003328), rekening BE71 0961 2345 6769 of BE71096123456769';

  it('no template puts one in, and one typed into any free-text field is replaced, in subject, text and HTML', () => {
    // Every sample with every string it carries replaced by text holding the numbers, as a careless user would type them.
    // Links are made by the system, never typed (the message schema only takes an https URL), and kind and
    // decision are codes that choose the text: those are left as they are.
    const untouched = new Set(['link', 'kind', 'decision']);
    const withTyped = (value: unknown): unknown =>
      typeof value === 'string'
        ? `${value} ${typed}`
        : Array.isArray(value)
          ? value.map(withTyped)
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untouched.has(k) ? v : withTyped(v)]))
            : value;
    for (const name of Object.keys(samples) as NotificationRequest['template'][]) {
      for (const data of [samples[name], withTyped(samples[name])]) {
        const rendered = renderTemplate(name, data as never);
        for (const part of [rendered.subject, rendered.text, rendered.html]) {
          expect(part, name).not.toMatch(nationalNumberPattern);
          expect(part, name).not.toMatch(ibanPattern);
        }
      }
    }
    const reason = renderTemplate('generic', { subject: 'Overeenkomst vroegtijdig beëindigd', lines: [`Reden: ${typed}`] }).text;
    expect(reason).toContain(
      'Reden: Mentor [rijksregisternummer afgeschermd] ([rijksregisternummer afgeschermd]), rekening [rekeningnummer afgeschermd] of [rekeningnummer afgeschermd]',
    );
  });

  it('keeps enterprise and establishment numbers, dates, amounts and ids', () => {
    const line =
      'Onderneming 0417.390.703, vestiging 2.123.456.791, erkenning E/20261112/000001, document 01JDSCHEDULE00000000000001, € 1.234,50 op 2026-11-20.';
    expect(renderTemplate('generic', { subject: 'Test', lines: [line] }).text).toContain(line);
  });
});

describe('task digest', () => {
  it('lists new and overdue tasks with the days remaining, says when a list was cut, and how to opt out', () => {
    const rendered = renderTemplate('task-digest', samples['task-digest']);
    expect(rendered.subject).toBe('Uw taken in het digitale loket op 2026-11-20: 3 nieuw, 1 over termijn');
    expect(rendered.text).toContain('- Volledigheid erkenning controleren: 2.123.456.791 - verkoper-duaal (uiterlijk 2026-11-30, dagen resterend: 10)');
    expect(rendered.text).toContain('- Mentoren controleren: E/20261112/000001\n');
    expect(rendered.text).toContain('... en nog 1 andere.');
    expect(rendered.text).toContain('Taken over termijn (1):');
    expect(rendered.text).toContain('dagen resterend: -2');
    expect(rendered.text).toContain('uitzetten bij uw voorkeuren');
    const onlyOverdue = renderTemplate('task-digest', { ...samples['task-digest'], newTasks: [], newCount: 0 });
    expect(onlyOverdue.text).not.toContain('Nieuwe taken');
  });
});
