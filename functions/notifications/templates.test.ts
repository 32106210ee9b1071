// The message contract (events/notification-requested.ts) and the Dutch templates that render it: every
// notification type renders, with realistic data, an e-mail a person can act on (names, Dutch dates, a link
// into the portal, salutation and signature), with nothing unfilled, no ids and everything users typed escaped.
import { describe, expect, it } from 'vitest';
import example from '../../events/examples/notification-requested.json' with { type: 'json' };
import { notificationRequestedSchema, templateNames, type TemplateData, type TemplateName } from '../../events/notification-requested.ts';
import type { MailNames } from '../../shared/data/mail-names.ts';
import { formatDate } from './format.ts';
import { departmentSignature, nameRefsOf, noNames, renderNotification, renderTemplate, templateNamesWithDefinitions, type RenderContext } from './templates.ts';

const portalUrl = 'https://app.werkplekduaal.be';
const applicationId = '01JDX3M6Q8S9T0V1W2X3Y4Z5A6';
const appealId = '01JDX4APPEA1000000000000AB';
const file = { applicationId, enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' };

/** The names the consumer would read for these samples (mail-names.ts), one of them typed with markup by a user. */
const names: MailNames = {
  programmes: new Map([
    ['verkoper-duaal', 'Verkoper duaal'],
    ['winkelbediende-duaal', 'Winkelbediende duaal'],
  ]),
  partnerships: new Map([['handel', 'Sectoraal Partnerschap Handel']]),
  providers: new Map([['campus-brugge', 'Campus Brugge']]),
  enterprises: new Map([['0417390703', 'Megaworld NV']]),
  establishments: new Map([['2123456791', 'Megaworld Heist']]),
};
const context: RenderContext = { portalUrl, names };

type Sample<T extends TemplateName> = {
  data: TemplateData<T>;
  /** Names and Dutch dates the e-mail must say. */
  says: string[];
  /** Where its call to action leads, if it has one. */
  link: string | null;
};

/**
 * Realistic data for every template, each variant its own sample: a notification type added to the schema
 * without samples here does not compile, and one without a template fails the completeness test.
 */
const samples: { [T in TemplateName]: Sample<T>[] } = {
  'test-message': [{ data: { text: 'Hallo vanuit de test' }, says: ['Hallo vanuit de test'], link: null }],
  'application-submitted': [
    {
      data: { ...file, partnershipId: 'handel', round: 1, deadlineOn: '2026-11-26' },
      says: ['Verkoper duaal', 'Megaworld Heist', 'Megaworld NV', 'Sectoraal Partnerschap Handel', '26 november 2026', 'Nieuwe erkenningsaanvraag'],
      link: `/aanvragen/${applicationId}`,
    },
    {
      data: { ...file, partnershipId: 'handel', round: 2, deadlineOn: null },
      says: ['Vervolledigde erkenningsaanvraag', 'De termijn van 14 dagen start zodra het dossier volledig is.'],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  'review-reminder': [
    {
      data: { ...file, partnershipId: 'handel', deadlineOn: '2026-12-01' },
      says: ['Verkoper duaal', 'Megaworld Heist', 'Sectoraal Partnerschap Handel', '1 december 2026'],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  'review-overdue': [
    {
      data: { ...file, partnershipId: 'handel', deadlineOn: '2026-12-01' },
      says: ['Verkoper duaal', 'Megaworld Heist', 'Sectoraal Partnerschap Handel', '1 december 2026'],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  'completion-requested': [
    {
      data: { ...file, partnershipId: 'handel', message: 'Voeg het uittreksel uit het strafregister van de mentor toe.', dueOn: '2026-11-26' },
      says: [
        'Verkoper duaal',
        'Megaworld Heist',
        'Sectoraal Partnerschap Handel',
        'Voeg het uittreksel uit het strafregister van de mentor toe.',
        '26 november 2026',
      ],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  'application-received': [
    {
      data: { ...file, partnershipId: 'handel', round: 1, deadlineOn: '2026-11-26' },
      says: ['Ontvangstbevestiging', 'Verkoper duaal', 'Megaworld Heist', 'Sectoraal Partnerschap Handel', '26 november 2026'],
      link: `/aanvragen/${applicationId}`,
    },
    {
      data: { ...file, partnershipId: 'handel', round: 2, deadlineOn: null },
      says: ['vervolledigde erkenningsaanvraag', 'Megaworld Heist', 'binnen 14 dagen na het volledige dossier'],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  decision: [
    {
      data: {
        ...file,
        partnershipId: 'handel',
        decision: 'recognised',
        reasons: 'Alle voorwaarden zijn vervuld.',
        recognitionId: 'E/20261112/000001',
        startDate: '2026-11-15',
        endDate: '2031-11-14',
      },
      says: ['Verkoper duaal', 'Megaworld Heist', 'Sectoraal Partnerschap Handel', '15 november 2026', '14 november 2031', 'E/20261112/000001'],
      link: '/erkenningen/E-20261112-000001',
    },
    {
      data: {
        ...file,
        partnershipId: 'handel',
        decision: 'notRecognised',
        reasons: 'De mentor is jonger dan 25 jaar.',
        recognitionId: null,
        startDate: null,
        endDate: null,
      },
      says: ['Verkoper duaal', 'Megaworld Heist', 'Sectoraal Partnerschap Handel', 'afgewezen', 'binnen 10 dagen'],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  sanction: [
    {
      data: {
        sanctionId: '01JDX5SANCT10N00000000000AB',
        kind: 'excludeEstablishment',
        enterpriseNumber: '0417.390.703',
        partnershipId: 'handel',
        reasons: 'Herhaalde tekortkomingen na coaching.',
        recognitions: [
          { id: 'E/20261112/000001', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' },
          { id: 'E/20261112/000002', establishmentNumber: '2.123.456.791', programmeId: 'winkelbediende-duaal' },
        ],
        until: '2028-01-01',
      },
      says: ['Megaworld NV', 'Megaworld Heist', 'Verkoper duaal', 'Winkelbediende duaal', 'Sectoraal Partnerschap Handel', '1 januari 2028'],
      link: '/erkenningen',
    },
    {
      data: {
        sanctionId: '01JDX5SANCT10N00000000000AC',
        kind: 'excludeEnterprise',
        enterpriseNumber: '0417.390.703',
        partnershipId: null,
        reasons: 'Veroordeling voor sociale fraude.',
        recognitions: [],
        until: null,
      },
      says: ['Megaworld NV', 'het departement', departmentSignature],
      link: '/erkenningen',
    },
  ],
  'application-closed': [
    {
      data: {
        applicationId,
        enterpriseNumber: '0417.390.703',
        establishmentNumber: '2.123.456.791',
        programmeId: 'verkoper-duaal',
        partnershipId: 'handel',
        sanctionId: '01JDX5SANCT10N00000000000AE',
        kind: 'excludeEstablishment',
        decidedBy: 'handel',
        reasons: 'Herhaalde tekortkomingen na coaching.',
      },
      says: ['Verkoper duaal', 'Megaworld Heist', 'Sectoraal Partnerschap Handel', 'uitgesloten', 'niet verder behandeld', 'binnen 10 dagen'],
      link: `/aanvragen/${applicationId}`,
    },
    {
      data: {
        applicationId,
        enterpriseNumber: '0417.390.703',
        establishmentNumber: '2.123.456.791',
        programmeId: 'verkoper-duaal',
        partnershipId: 'handel',
        sanctionId: '01JDX5SANCT10N00000000000AF',
        kind: 'revokeRecognition',
        decidedBy: null,
        reasons: 'Veroordeling voor sociale fraude.',
      },
      says: ['het departement', 'hernieuwt werd opgeheven', departmentSignature],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  'department-exclusion': [
    {
      data: {
        sanctionId: '01JDX5SANCT10N00000000000AD',
        kind: 'excludeEstablishment',
        enterpriseNumber: '0417.390.703',
        establishmentNumber: '2.123.456.791',
        partnershipId: 'handel',
        reasons: 'Veroordeling voor sociale fraude.',
        recognitions: [{ id: 'E/20261112/000001', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' }],
        until: '2029-06-30',
      },
      says: ['Megaworld NV', 'Megaworld Heist', 'Verkoper duaal', 'Sectoraal Partnerschap Handel', '30 juni 2029', departmentSignature],
      link: '/erkenningen',
    },
  ],
  'mandate-registered': [
    {
      data: { enterpriseNumber: '0417.390.703', providerId: 'campus-brugge', counsellorName: 'Sofie Claes' },
      says: ['Campus Brugge', 'Megaworld NV', 'Sofie Claes', 'Trek ze in'],
      link: '/machtigingen/0417390703/campus-brugge',
    },
  ],
  'mandate-changed': [
    {
      data: { enterpriseNumber: '0417.390.703', providerId: 'campus-brugge', status: 'confirmed' },
      says: ['Megaworld NV', 'Campus Brugge', 'bevestigd'],
      link: '/machtigingen/0417390703/campus-brugge',
    },
    {
      data: { enterpriseNumber: '0417.390.703', providerId: 'campus-brugge', status: 'revoked' },
      says: ['Megaworld NV', 'ingetrokken', 'geen toegang meer'],
      link: '/machtigingen/0417390703/campus-brugge',
    },
  ],
  'mandate-rejected': [
    {
      data: {
        applicationId,
        enterpriseNumber: '0417.390.703',
        providerId: 'campus-brugge',
        partnershipId: 'handel',
        reasons: 'Niet door de zaakvoerder ondertekend.',
      },
      says: ['Sectoraal Partnerschap Handel', 'Campus Brugge', 'Megaworld NV', 'Niet door de zaakvoerder ondertekend.'],
      link: `/aanvragen/${applicationId}`,
    },
  ],
  'appeal-received': [
    {
      data: { appealId, enterpriseNumber: '0417.390.703', against: 'decision', confirmBy: '2026-12-11' },
      says: ['Megaworld NV', 'een afwijzing', '11 december 2026'],
      link: `/beroepen/${appealId}`,
    },
  ],
  'appeal-confirmed': [
    {
      data: { appealId, enterpriseNumber: '0417.390.703', admissible: true, reasons: 'Tijdig en gemotiveerd ingediend.' },
      says: ['ontvankelijk', 'Tijdig en gemotiveerd ingediend.', departmentSignature],
      link: `/beroepen/${appealId}`,
    },
  ],
  'appeal-decided': [
    {
      data: {
        appealId,
        enterpriseNumber: '0417.390.703',
        outcome: 'upheld',
        reasons: 'De mentor voldoet aan de voorwaarden.',
        effect: 'mentorRestored',
        partnershipId: 'handel',
        recognitions: [{ id: 'E/20261112/000001', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' }],
        applicationId: null,
      },
      says: ['gaf u gelijk', 'De mentor voldoet aan de voorwaarden.', 'mentor telt opnieuw mee', 'Megaworld Heist', 'Verkoper duaal'],
      link: `/beroepen/${appealId}`,
    },
    {
      data: {
        appealId,
        enterpriseNumber: '0417.390.703',
        outcome: 'upheld',
        reasons: 'De opheffing was onvoldoende gemotiveerd.',
        effect: 'recognitionsRestored',
        partnershipId: 'handel',
        recognitions: [{ id: 'E/20261112/000001', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' }],
        applicationId: null,
      },
      says: ['gaf u gelijk', 'opnieuw actief', 'E/20261112/000001', 'Megaworld Heist'],
      link: `/beroepen/${appealId}`,
    },
    {
      data: {
        appealId,
        enterpriseNumber: '0417.390.703',
        outcome: 'upheld',
        reasons: 'De ervaring van de mentor werd niet correct beoordeeld.',
        effect: 'fileReopened',
        partnershipId: 'handel',
        recognitions: [],
        applicationId,
      },
      says: ['gaf u gelijk', 'Sectoraal Partnerschap Handel', 'opnieuw'],
      link: `/aanvragen/${applicationId}`,
    },
    {
      data: {
        appealId,
        enterpriseNumber: '0417.390.703',
        outcome: 'rejected',
        reasons: 'De tekortkomingen blijven bestaan.',
        effect: 'none',
        partnershipId: 'handel',
        recognitions: [],
        applicationId: null,
      },
      says: ['wees uw beroep af', 'blijft ongewijzigd', 'De tekortkomingen blijven bestaan.'],
      link: `/beroepen/${appealId}`,
    },
  ],
  'suspension-reported': [
    {
      data: { agreementId: '01JDX6AGREEMENT0000000000AB', learnerName: 'Lotte Peeters', from: '2027-01-04', to: '2027-01-29', reportedBy: 'provider' },
      says: ['Lotte Peeters', '4 januari 2027', '29 januari 2027', 'Schorsing van meer dan 14 dagen'],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
    {
      data: { agreementId: '01JDX6AGREEMENT0000000000AB', learnerName: 'Lotte Peeters', from: '2027-01-11', to: '2027-01-13', reportedBy: 'enterprise' },
      says: [
        'De onderneming meldt dat de overeenkomst van Lotte Peeters geschorst is',
        '11 januari 2027',
        '13 januari 2027',
        'Schorsing gemeld door de onderneming',
      ],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
  ],
  'agreement-ended-early': [
    {
      data: {
        agreementId: '01JDX6AGREEMENT0000000000AB',
        learnerName: 'Lotte Peeters',
        endedOn: '2027-02-15',
        reason: 'De leerling verhuist.',
        scheduled: false,
      },
      says: ['Lotte Peeters', '15 februari 2027', 'De leerling verhuist.', 'Overeenkomst vroegtijdig beëindigd'],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
    {
      data: {
        agreementId: '01JDX6AGREEMENT0000000000AB',
        learnerName: 'Lotte Peeters',
        endedOn: '2027-03-31',
        reason: 'Opzegging door de leerling.',
        scheduled: true,
      },
      says: [
        'Lotte Peeters wordt vroegtijdig beëindigd op 31 maart 2027',
        'Opzegging door de leerling.',
        'Vroegtijdige beëindiging van een overeenkomst geregistreerd',
      ],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
  ],
  'recognition-restored': [
    {
      data: { agreementId: '01JDX6AGREEMENT0000000000AB', learnerName: 'Lotte Peeters', recognitionId: 'E/20261112/000001' },
      says: ['erkenning E/20261112/000001 ongedaan gemaakt', 'De overeenkomst van Lotte Peeters', 'Opheffing verwerken', 'Erkenning hersteld na beroep'],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
  ],
  'agreement-ended': [
    {
      data: {
        agreementId: '01JDX6AGREEMENT0000000000AB',
        learnerName: 'Lotte Peeters',
        endedOn: '2027-03-31',
        early: true,
        reason: 'Opzegging door de leerling.',
      },
      says: ['Lotte Peeters is beëindigd op 31 maart 2027', 'vroegtijdig, zoals geregistreerd', 'Opzegging door de leerling.', 'Overeenkomst beëindigd'],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
    {
      data: { agreementId: '01JDX6AGREEMENT0000000000AB', learnerName: 'Lotte Peeters', endedOn: '2028-06-30', early: false, reason: 'Einddatum bereikt' },
      says: ['Lotte Peeters is beëindigd op 30 juni 2028', 'op de geplande einddatum'],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
  ],
  'agreement-to-sign': [
    {
      data: {
        agreementId: '01JDX6AGREEMENT0000000000AB',
        enterpriseNumber: '0417.390.703',
        establishmentNumber: '2.123.456.791',
        programmeId: 'verkoper-duaal',
        providerId: 'campus-brugge',
        startDate: '2027-09-01',
        expiresOn: '2027-11-18',
      },
      says: [
        'Campus Brugge heeft een overeenkomst duaal leren voor de opleiding Verkoper duaal in Megaworld Heist (vestigingsnummer 2.123.456.791)',
        '1 september 2027',
        '18 november 2027',
        'klaar om te ondertekenen',
      ],
      link: '/overeenkomsten/01JDX6AGREEMENT0000000000AB',
    },
  ],
  'draft-expired': [
    {
      data: { learnerName: 'Lotte Peeters', expiredOn: '2027-11-18', savedOn: '2027-08-20' },
      says: ['Lotte Peeters is vervallen op 18 november 2027', '20 augustus 2027', 'Beste trajectbegeleider', 'Werkversie van een overeenkomst vervallen'],
      link: '/overeenkomsten',
    },
  ],
  'kbo-change-decided': [
    {
      data: {
        changeId: '01JDX7KBOCHANGE00000000000A',
        enterpriseNumber: '0417.390.703',
        partnershipId: 'handel',
        change: 'Adreswijziging vestiging 2.123.456.791',
        addressChange: { from: 'Bergstraat 12, 2220 Heist-op-den-Berg', to: 'Kerkstraat 5, 2220 Heist-op-den-Berg' },
        decision: 'keep',
        reasons: 'De nieuwe werkplek is gelijkwaardig.',
        recognitions: [{ id: 'E/20261112/000001', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' }],
      },
      says: ['Kerkstraat 5', 'Sectoraal Partnerschap Handel behoudt', 'Verkoper duaal', 'Megaworld Heist', 'Erkenning behouden'],
      link: '/erkenningen',
    },
    {
      data: {
        changeId: '01JDX7KBOCHANGE00000000000B',
        enterpriseNumber: '0417.390.703',
        partnershipId: 'handel',
        change: 'Stopzetting vestiging 2.123.456.791 (faillissement)',
        addressChange: null,
        decision: 'revoke',
        reasons: 'De vestiging is stopgezet.',
        recognitions: [{ id: 'E/20261112/000001', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' }],
      },
      says: ['faillissement', 'opgeheven', 'binnen 10 dagen', 'Erkenning opgeheven'],
      link: '/erkenningen',
    },
  ],
  'task-digest': [
    {
      data: {
        organisation: 'Sectoraal Partnerschap Handel',
        date: '2026-11-20',
        newCount: 3,
        overdueCount: 1,
        newTasks: [
          { title: 'Volledigheid erkenning controleren', label: 'Verkoper duaal, vestiging 2.123.456.791', dueDate: '2026-11-30', daysRemaining: 10 },
          { title: 'Mentoren controleren', label: 'Erkenning E/20261112/000001', dueDate: null, daysRemaining: null },
        ],
        overdueTasks: [{ title: 'Erkenning behandelen', label: 'Verkoper duaal, vestiging 2.200.000.184', dueDate: '2026-11-18', daysRemaining: -2 }],
      },
      says: ['Sectoraal Partnerschap Handel', '20 november 2026', '30 november 2026', '18 november 2026', 'dagen resterend: -2', '... en nog 1 andere.'],
      link: '/taken',
    },
  ],
};

const allSamples = (Object.keys(samples) as TemplateName[]).flatMap((template) =>
  (samples[template] as Sample<TemplateName>[]).map((sample, i) => ({ template, variant: i, ...sample })),
);

const message = (template: TemplateName, data: unknown = samples[template][0]!.data) => ({
  id: `test-${template}-0001`,
  to: ['hr@megaworld.test'],
  template,
  data,
});

/** The parts a reader sees, without the links (which carry ids on purpose: the portal needs them). */
const readable = (part: string) => part.replaceAll(/https:\/\/app\.werkplekduaal\.be[^\s"<]*/g, '<link>');

describe('notification-requested contract', () => {
  it('the example matches the schema unchanged', () => {
    expect(notificationRequestedSchema.parse(example)).toEqual(example);
  });

  it('every notification type has a schema, a template and realistic samples', () => {
    expect([...templateNames].sort()).toEqual([...templateNamesWithDefinitions].sort());
    expect(Object.keys(samples).sort()).toEqual([...templateNames].sort());
    for (const { template, data } of allSamples) expect(notificationRequestedSchema.safeParse(message(template, data)).success, template).toBe(true);
  });

  it('validates the data against the schema of the named template', () => {
    expect(notificationRequestedSchema.safeParse(message('decision', { text: 'ok' })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('decision', { ...samples.decision[0]!.data, decision: 'maybe' })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('decision', { ...samples.decision[0]!.data, endDate: '14/11/2031' })).success).toBe(false);
    expect(notificationRequestedSchema.safeParse(message('application-submitted', { ...samples['application-submitted'][0]!.data, round: 0 })).success).toBe(
      false,
    );
    expect(
      notificationRequestedSchema.safeParse(message('suspension-reported', { ...samples['suspension-reported'][0]!.data, to: '29/01/2027' })).success,
    ).toBe(false);
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

describe('every template, rendered with realistic data', () => {
  it.each(allSamples.map((s) => [`${s.template} #${s.variant}`, s] as const))(
    '%s: salutation, body, link into the portal and signature in HTML and text; nothing unfilled, no ids',
    (_, { template, data, says, link }) => {
      const rendered = renderNotification(notificationRequestedSchema.parse(message(template, data)), context);
      const parts = { subject: rendered.subject, text: rendered.text, html: rendered.html };

      for (const [part, content] of Object.entries(parts)) {
        expect(content, part).not.toMatch(/\{\{|\}\}|<%|%>|undefined|null|NaN|\[object Object\]/);
        const visible = readable(content);
        expect(visible, `${part}: a ULID`).not.toMatch(/\b[0-9A-HJKMNP-TV-Z]{26}\b/);
        expect(visible, `${part}: an ISO date`).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
        // Reference ids are slugs (verkoper-duaal, campus-brugge) or single words (handel): none may show.
        for (const id of ['verkoper-duaal', 'winkelbediende-duaal', 'campus-brugge', 'handel', 'vpdl'])
          expect(visible, `${part}: ${id}`).not.toMatch(new RegExp(`\\b${id}\\b`));
      }
      for (const phrase of says) expect(`${rendered.subject}\n${rendered.text}`, template).toContain(phrase);
      for (const phrase of says) expect(rendered.html, template).toContain(phrase.replaceAll("'", '&#39;'));

      expect(rendered.html).toMatch(/^<!doctype html>\n<html lang="nl">/);
      expect(rendered.text).toMatch(/^(Geachte heer, mevrouw,|Beste( [^\n]+)?,)\n\n/);
      expect(rendered.text).toContain('Met vriendelijke groeten,\n');
      expect(rendered.html).toContain('Met vriendelijke groeten,<br>');
      const hrefs = [...rendered.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
      if (link) {
        expect(hrefs).toEqual([`${portalUrl}${link}`]);
        expect(rendered.text).toContain(`: ${portalUrl}${link}\n`);
      } else {
        expect(hrefs).toEqual([]);
        expect(rendered.text).not.toContain(portalUrl);
      }
    },
  );

  it('escapes what users typed (names in KBO, reasons, messages) in the HTML part, and leaves the text part as typed', () => {
    const typed = '<script>alert("x")</script> & <b>meer</b>';
    const hostile: RenderContext = {
      portalUrl,
      names: { ...names, enterprises: new Map([['0417390703', `Megaworld ${typed}`]]), establishments: new Map([['2123456791', `Heist ${typed}`]]) },
    };
    for (const { template, data } of allSamples) {
      const rendered = renderTemplate(template, data as never, hostile);
      expect(rendered.html, template).not.toMatch(/<script|<b>/);
    }
    const completion = renderTemplate('completion-requested', { ...samples['completion-requested'][0]!.data, message: typed }, hostile);
    expect(completion.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;meer&lt;/b&gt;');
    expect(completion.html).toContain('Heist &lt;script&gt;');
    expect(renderTemplate('sanction', samples.sanction[0]!.data, hostile).html).toContain('Megaworld &lt;script&gt;');
    expect(completion.text).toContain(typed);
  });

  it('says numbers and neutral words where a name is unknown, never the id', () => {
    const rendered = renderTemplate('decision', samples.decision[0]!.data, { portalUrl, names: noNames });
    expect(rendered.text).toContain('de vestiging met vestigingsnummer 2.123.456.791');
    expect(rendered.text).toContain('de gevraagde opleiding');
    expect(rendered.text).toContain(`Met vriendelijke groeten,\n${departmentSignature}\n`);
    expect(rendered.text).not.toContain('verkoper-duaal');
    // Without its own name an establishment is named after its enterprise.
    const enterpriseOnly = { ...names, establishments: new Map() };
    expect(renderTemplate('decision', samples.decision[0]!.data, { portalUrl, names: enterpriseOnly }).text).toContain(
      'Megaworld NV (vestigingsnummer 2.123.456.791)',
    );
  });

  it('asks the consumer for the names of what each e-mail is about', () => {
    expect(nameRefsOf('decision', samples.decision[0]!.data)).toEqual({
      programmeIds: ['verkoper-duaal'],
      partnershipIds: ['handel'],
      enterpriseNumbers: ['0417.390.703'],
      establishments: [{ enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.791' }],
    });
    expect(nameRefsOf('review-overdue', { ...samples['review-overdue'][0]!.data, partnershipId: null }).partnershipIds).toEqual([]);
    expect(nameRefsOf('sanction', samples.sanction[0]!.data).programmeIds).toEqual(['verkoper-duaal', 'winkelbediende-duaal']);
    expect(nameRefsOf('task-digest', samples['task-digest'][0]!.data)).toEqual({});
  });

  it('signs with the partnership that decided, or the department', () => {
    expect(renderTemplate('decision', samples.decision[0]!.data, context).text).toContain('Met vriendelijke groeten,\nSectoraal Partnerschap Handel\n');
    expect(renderTemplate('review-reminder', samples['review-reminder'][0]!.data, context).text).toContain(
      `Met vriendelijke groeten,\n${departmentSignature}\n`,
    );
    expect(renderTemplate('review-reminder', samples['review-reminder'][0]!.data, context).text).toMatch(
      /^Beste medewerker van Sectoraal Partnerschap Handel,/,
    );
  });

  it('links under a portal that lives on a path', () => {
    const rendered = renderTemplate('decision', samples.decision[1]!.data, { portalUrl: 'https://www.vlaanderen.be/werkplekduaal', names });
    expect(rendered.html).toContain(`href="https://www.vlaanderen.be/werkplekduaal/aanvragen/${applicationId}"`);
  });
});

describe('what the e-mails say', () => {
  it('announces a positive and a negative decision differently; only a refusal mentions the appeal', () => {
    const recognised = renderTemplate('decision', samples.decision[0]!.data, context);
    expect(recognised.subject).toBe('Officiële kennisgeving: Megaworld Heist (vestigingsnummer 2.123.456.791) is erkend als werkplek');
    expect(recognised.text).toContain(
      'Met deze kennisgeving wordt Megaworld Heist (vestigingsnummer 2.123.456.791) erkend als werkplek voor de opleiding Verkoper duaal (erkenning E/20261112/000001).',
    );
    expect(recognised.text).toContain('De erkenning geldt van 15 november 2026 tot en met 14 november 2031.');
    expect(recognised.text).not.toContain('beroep');
    const refused = renderTemplate('decision', samples.decision[1]!.data, context);
    expect(refused.subject).toContain('afgewezen');
    expect(refused.text).toContain('binnen 10 dagen');
  });

  it('says what each sanction does', () => {
    const sanction = samples.sanction[0]!.data;
    expect(renderTemplate('sanction', sanction, context).text).toContain('De vestiging werd uitgesloten tot 1 januari 2028');
    expect(renderTemplate('sanction', sanction, context).text).toContain(
      '- erkenning E/20261112/000002: de opleiding Winkelbediende duaal in Megaworld Heist (vestigingsnummer 2.123.456.791)\n',
    );
    expect(renderTemplate('sanction', { ...sanction, kind: 'excludeEnterprise', until: null }, context).text).toContain(
      'De onderneming werd uitgesloten; al haar',
    );
    expect(renderTemplate('sanction', { ...sanction, kind: 'revokeRecognition', recognitions: [] }, context).text).not.toContain('Betrokken erkenningen');
  });

  it('lists new and overdue tasks in the digest with the days remaining, says when a list was cut, and how to opt out', () => {
    const digest = samples['task-digest'][0]!.data;
    const rendered = renderTemplate('task-digest', digest, context);
    expect(rendered.subject).toBe('Uw taken in het digitale loket op 20 november 2026: 3 nieuw, 1 over termijn');
    expect(rendered.text).toContain(
      '- Volledigheid erkenning controleren: Verkoper duaal, vestiging 2.123.456.791 (uiterlijk 30 november 2026, dagen resterend: 10)\n- Mentoren controleren: Erkenning E/20261112/000001\n',
    );
    expect(rendered.text).toContain('... en nog 1 andere.');
    expect(rendered.text).toContain('Taken over termijn (1):');
    expect(rendered.text).toContain('uitzetten bij uw voorkeuren');
    expect(renderTemplate('task-digest', { ...digest, newTasks: [], newCount: 0 }, context).text).not.toContain('Nieuwe taken');
  });

  it('writes the text part as salutation, paragraphs, the link, the signature and the footer', () => {
    const rendered = renderTemplate('appeal-confirmed', samples['appeal-confirmed'][0]!.data, context);
    expect(rendered.subject).toBe('Ontvangst van uw beroep');
    expect(rendered.text).toBe(
      [
        'Geachte heer, mevrouw,',
        'Uw beroep werd ontvangen en is ontvankelijk: de beroepscommissie behandelt het.',
        'Motivering: Tijdig en gemotiveerd ingediend.',
        `Bekijk uw beroep: ${portalUrl}/beroepen/${appealId}`,
        `Met vriendelijke groeten,\n${departmentSignature}`,
        '-- \nDit bericht werd automatisch verstuurd door het digitale loket duaal leren (werkplekduaal). Een antwoord op dit bericht wordt niet gelezen.\n',
      ].join('\n\n'),
    );
    expect(rendered.html).toContain(
      '<p>Uw beroep werd ontvangen en is ontvankelijk: de beroepscommissie behandelt het.</p>\n<p>Motivering: Tijdig en gemotiveerd ingediend.</p>',
    );
  });

  it('tells the enterprise what a KBO decision keeps or revokes, with the addresses of a move', () => {
    const kept = renderTemplate('kbo-change-decided', samples['kbo-change-decided'][0]!.data, context);
    expect(kept.text).toContain('Vorig adres: Bergstraat 12, 2220 Heist-op-den-Berg. Nieuw adres: Kerkstraat 5, 2220 Heist-op-den-Berg.');
    expect(kept.text).toContain(
      'Sectoraal Partnerschap Handel behoudt deze erkenningen:\n- erkenning E/20261112/000001: de opleiding Verkoper duaal in Megaworld Heist (vestigingsnummer 2.123.456.791)\n',
    );
    expect(kept.text).not.toContain('beroep');
    const revoked = renderTemplate('kbo-change-decided', samples['kbo-change-decided'][1]!.data, context);
    expect(revoked.text).not.toContain('Vorig adres');
    expect(revoked.text).toContain('Daarom heeft Sectoraal Partnerschap Handel deze erkenningen opgeheven');
  });
});

describe('dates', () => {
  it('writes calendar dates the Belgian Dutch way, and refuses anything that is not one', () => {
    expect(formatDate('2026-12-01')).toBe('1 december 2026');
    expect(formatDate('2027-03-09')).toBe('9 maart 2027');
    for (const bad of ['2026-13-01', '01-12-2026', '2026-12-01T00:00:00Z', '']) expect(() => formatDate(bad), bad).toThrow(/not a calendar date/);
  });
});

describe('personal numbers', () => {
  /** A national number however it is written (11 digits, or yy.mm.dd-xxx.cc), and an IBAN. */
  const nationalNumberPattern = /\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}|(?<!\d)\d{11}(?!\d)/;
  const ibanPattern = /\b[A-Z]{2}\d{2} ?\d{4} ?\d{4} ?\d{4}/i;
  const typed = 'Mentor 85.07.30-033.28 (85073003328), rekening BE71 0961 2345 6769 of BE71096123456769';

  it('no template puts one in, and one typed into any free-text field is replaced, in subject, text and HTML', () => {
    // Every free-text field of every sample with the numbers added, as a careless user would type them. Ids,
    // numbers, dates, links and codes are made by the system and validated, never typed: those are left alone.
    const freeText = new Set(['text', 'message', 'reasons', 'reason', 'title', 'label', 'organisation', 'learnerName', 'counsellorName', 'change']);
    const withTyped = (value: unknown, key = ''): unknown =>
      typeof value === 'string' && freeText.has(key)
        ? `${value} ${typed}`
        : Array.isArray(value)
          ? value.map((v) => withTyped(v, key))
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTyped(v, k)]))
            : value;
    for (const { template, data } of allSamples) {
      for (const variant of [data, withTyped(data)]) {
        const rendered = renderTemplate(template, variant as never, context);
        for (const part of [rendered.subject, rendered.text, rendered.html]) {
          expect(part, template).not.toMatch(nationalNumberPattern);
          expect(part, template).not.toMatch(ibanPattern);
        }
      }
    }
    const reason = renderTemplate('agreement-ended-early', { ...samples['agreement-ended-early'][0]!.data, reason: typed }, context).text;
    expect(reason).toContain(
      'Reden: Mentor [rijksregisternummer afgeschermd] ([rijksregisternummer afgeschermd]), rekening [rekeningnummer afgeschermd] of [rekeningnummer afgeschermd]',
    );
  });

  it('keeps enterprise and establishment numbers, amounts and recognition ids', () => {
    const line = 'Onderneming 0417.390.703, vestiging 2.123.456.791, erkenning E/20261112/000001, € 1.234,50.';
    expect(renderTemplate('completion-requested', { ...samples['completion-requested'][0]!.data, message: line }, context).text).toContain(line);
  });
});
