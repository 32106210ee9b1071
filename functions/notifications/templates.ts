// The Dutch e-mails the system sends, as Eta templates (eta: small, written in TypeScript, escapes every
// `<%= %>` by default, layouts and named in-memory templates, no file system in the Lambda bundle).
//
// Every e-mail has one layout in two parts, HTML and plain text: the salutation, the body of its template, a call
// to action with a deep link into the portal (portal-links.ts), and the signature of the sender (the
// partnership that decided, or the department). Each template is three things:
// - `refs`: the ids whose names the e-mail says (the consumer reads them in one go: shared/data/mail-names.ts);
// - `view`: the data and those names turned into what the e-mail says: phrases, dates as `1 december 2026`;
// - `html` and `text`: the body of the two parts, reading only the view.
// The map is typed by the message schema (events/notification-requested.ts), so a template without a view or a
// view reading data its schema does not carry does not compile; templates.test.ts renders every one of them.
import { Eta } from 'eta/core';
import type { NotificationRequested, TemplateData, TemplateDataMap, TemplateName } from '../../events/notification-requested.ts';
import type { MailNames, NameRefs } from '../../shared/data/mail-names.ts';
import { kboDigits, redactPersonalNumbers } from '../../shared/domain/identifiers.ts';
import { formatDate } from './format.ts';
import { portalLink, portalPaths } from './portal-links.ts';
import { departmentName } from '../../shared/data/organisation-names.ts';

export type Rendered = { subject: string; text: string; html: string };

/** What rendering needs besides the message: where the portal is, and the names the consumer read. */
export type RenderContext = { portalUrl: string; names: MailNames };

/**
 * Who signs an e-mail that no partnership sends (reminders, digests, the department's own notices): the department
 * that recognises workplaces and handles appeals (DWSE in the seed texts), named as the portal names it.
 */
export const departmentSignature = departmentName;

/** What the layout needs from every view; the rest of a view is what its own template reads. */
type View = {
  subject: string;
  salutation: string;
  sender: string;
  action: { label: string; path: string } | null;
  [field: string]: unknown;
};

type Template<T extends TemplateName> = {
  refs: (data: TemplateDataMap[T]) => NameRefs;
  view: (data: TemplateDataMap[T], names: Names) => View;
  html: string;
  text: string;
};

// ---- names and phrases ------------------------------------------------------------------------------------

/** The phrases the templates use for what an e-mail is about, from the names found (numbers where none is). */
function namesOf(found: MailNames) {
  const enterpriseName = (number: string) => found.enterprises.get(kboDigits(number));
  return {
    programme: (id: string) => {
      const name = found.programmes.get(id);
      return name ? `de opleiding ${name}` : 'de gevraagde opleiding';
    },
    partnership: (id: string | null) => (id ? found.partnerships.get(id) : undefined) ?? 'het partnerschap',
    sender: (partnershipId: string | null) => (partnershipId ? found.partnerships.get(partnershipId) : undefined) ?? departmentSignature,
    provider: (id: string) => found.providers.get(id) ?? 'de opleidingsverstrekker',
    enterprise: (number: string) => {
      const name = enterpriseName(number);
      return name ? `${name} (ondernemingsnummer ${number})` : `de onderneming met ondernemingsnummer ${number}`;
    },
    establishment: (enterpriseNumber: string, establishmentNumber: string) => {
      const name = found.establishments.get(kboDigits(establishmentNumber)) ?? enterpriseName(enterpriseNumber);
      return name ? `${name} (vestigingsnummer ${establishmentNumber})` : `de vestiging met vestigingsnummer ${establishmentNumber}`;
    },
  };
}
type Names = ReturnType<typeof namesOf>;

const fileRefs = (d: { enterpriseNumber: string; establishmentNumber: string; programmeId: string }, partnershipIds: (string | null)[]) => ({
  programmeIds: [d.programmeId],
  partnershipIds: partnershipIds.filter((id): id is string => id !== null),
  enterpriseNumbers: [d.enterpriseNumber],
  establishments: [{ enterpriseNumber: d.enterpriseNumber, establishmentNumber: d.establishmentNumber }],
});

const fileNames = (d: { enterpriseNumber: string; establishmentNumber: string; programmeId: string }, names: Names) => ({
  programme: names.programme(d.programmeId),
  establishment: names.establishment(d.enterpriseNumber, d.establishmentNumber),
  enterprise: names.enterprise(d.enterpriseNumber),
});

type RecognitionRef = { id: string; establishmentNumber: string; programmeId: string };

const recognitionNameRefs = (enterpriseNumber: string, recognitions: readonly RecognitionRef[]) => ({
  programmeIds: recognitions.map((r) => r.programmeId),
  enterpriseNumbers: [enterpriseNumber],
  establishments: recognitions.map((r) => ({ enterpriseNumber, establishmentNumber: r.establishmentNumber })),
});

/** `erkenning E/20261112/000001: de opleiding Verkoper duaal in Mega World Heist (vestigingsnummer 2.123.456.791)` */
const recognitionLines = (names: Names, enterpriseNumber: string, recognitions: readonly RecognitionRef[]) =>
  recognitions.map((r) => `erkenning ${r.id}: ${names.programme(r.programmeId)} in ${names.establishment(enterpriseNumber, r.establishmentNumber)}`);

const deadline = (deadlineOn: string | null) => (deadlineOn ? formatDate(deadlineOn) : null);

const officialSalutation = 'Geachte heer, mevrouw,';
const partnershipSalutation = (names: Names, partnershipId: string | null) => `Beste medewerker van ${names.partnership(partnershipId)},`;

const appeal = 'U kunt binnen 10 dagen na ontvangst van deze kennisgeving beroep aantekenen bij de beroepscommissie van het Vlaams Partnerschap Duaal Leren.';

const sanctionEffects: Record<TemplateData<'sanction'>['kind'], (until: string | null) => string> = {
  withdrawMentor: () => 'Een mentor werd ingetrokken. Duid een nieuwe mentor aan; anders eindigen de lopende overeenkomsten vroegtijdig.',
  revokeRecognition: () => 'De erkenning werd opgeheven: er kunnen geen nieuwe overeenkomsten gesloten worden en lopende overeenkomsten eindigen vroegtijdig.',
  excludeEstablishment: (until) => `De vestiging werd uitgesloten${until ? ` tot ${until}` : ''}; al haar erkenningen werden opgeheven.`,
  excludeEnterprise: (until) => `De onderneming werd uitgesloten${until ? ` tot ${until}` : ''}; al haar erkenningen werden opgeheven.`,
};

/** What an appeal's outcome changed, as the e-mail says it. */
const appealEffects: Record<TemplateData<'appeal-decided'>['effect'], (partnership: string) => string> = {
  none: () => 'De beslissing of sanctie blijft ongewijzigd.',
  recognitionsRestored: () => 'De sanctie is ongedaan gemaakt: deze erkenningen zijn opnieuw actief.',
  mentorRestored: () => 'De intrekking van de mentor is ongedaan gemaakt: de mentor telt opnieuw mee voor deze erkenning.',
  fileReopened: (partnership) => `De afwijzing is ongedaan gemaakt: ${partnership} behandelt uw erkenningsaanvraag opnieuw en beslist opnieuw.`,
};

// ---- the layout -----------------------------------------------------------------------------------------------

const layoutHtml = `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title><%= it.subject %></title></head>
<body style="margin:0;padding:24px;background:#f4f4f4;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f1f1f">
<div style="max-width:600px;margin:0 auto;background:#ffffff;padding:24px">
<p><%= it.salutation %></p>
<%~ it.body %>
<% if (it.action) { %>
<p style="margin:24px 0"><a href="<%= it.actionUrl %>" style="background:#0055cc;color:#ffffff;padding:10px 16px;text-decoration:none;border-radius:3px"><%= it.action.label %></a></p>
<p style="font-size:13px;color:#555555">Werkt de knop niet? Open dan deze link: <%= it.actionUrl %></p>
<% } %>
<p>Met vriendelijke groeten,<br><%= it.sender %></p>
<p style="font-size:12px;color:#777777">Dit bericht werd automatisch verstuurd door het digitale loket duaal leren (werkplekduaal). Een antwoord op dit bericht wordt niet gelezen.</p>
</div>
</body>
</html>
`;

const layoutText = `<%= it.salutation %>

<%~ it.body %>

<% if (it.action) { %>
<%= it.action.label %>: <%= it.actionUrl %>

<% } %>
Met vriendelijke groeten,
<%= it.sender %>

-- 
Dit bericht werd automatisch verstuurd door het digitale loket duaal leren (werkplekduaal). Een antwoord op dit bericht wordt niet gelezen.
`;

// ---- the templates --------------------------------------------------------------------------------------------

const definitions: { [T in TemplateName]: Template<T> } = {
  'test-message': {
    refs: () => ({}),
    view: (d) => ({ subject: 'Testbericht van werkplekduaal', salutation: 'Beste,', sender: departmentSignature, action: null, text: d.text }),
    html: `<p>Dit is een testbericht van het digitale loket duaal leren.</p>
<p><%= it.text %></p>`,
    text: `Dit is een testbericht van het digitale loket duaal leren.

<%= it.text %>`,
  },

  'application-submitted': {
    refs: (d) => fileRefs(d, [d.partnershipId]),
    view: (d, names) => {
      const file = fileNames(d, names);
      return {
        subject: `${d.round > 1 ? 'Vervolledigde' : 'Nieuwe'} erkenningsaanvraag: ${file.programme} bij ${file.establishment}`,
        salutation: partnershipSalutation(names, d.partnershipId),
        sender: departmentSignature,
        action: { label: 'Open het dossier', path: portalPaths.application(d.applicationId) },
        ...file,
        again: d.round > 1,
        deadline: deadline(d.deadlineOn),
      };
    },
    html: `<p>Er werd <%= it.again ? 'opnieuw ' : '' %>een erkenningsaanvraag ingediend door <%= it.enterprise %> voor <%= it.programme %> in <%= it.establishment %>.</p>
<p><% if (it.deadline) { %>Beslis uiterlijk op <strong><%= it.deadline %></strong>.<% } else { %>De termijn van 14 dagen start zodra het dossier volledig is.<% } %></p>`,
    text: `Er werd <%= it.again ? 'opnieuw ' : '' %>een erkenningsaanvraag ingediend door <%= it.enterprise %> voor <%= it.programme %> in <%= it.establishment %>.

<% if (it.deadline) { %>Beslis uiterlijk op <%= it.deadline %>.<% } else { %>De termijn van 14 dagen start zodra het dossier volledig is.<% } %>`,
  },

  'review-reminder': {
    refs: (d) => fileRefs(d, [d.partnershipId]),
    view: (d, names) => {
      const file = fileNames(d, names);
      return {
        subject: `Herinnering: beslis over de erkenningsaanvraag van ${file.establishment}`,
        salutation: partnershipSalutation(names, d.partnershipId),
        sender: departmentSignature,
        action: { label: 'Behandel het dossier', path: portalPaths.application(d.applicationId) },
        ...file,
        deadline: deadline(d.deadlineOn) ?? 'de 14de dag na indiening',
      };
    },
    html: `<p>De erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> wacht al 10 dagen op een beslissing.</p>
<p>De termijn van 14 dagen loopt af op <strong><%= it.deadline %></strong>.</p>`,
    text: `De erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> wacht al 10 dagen op een beslissing.

De termijn van 14 dagen loopt af op <%= it.deadline %>.`,
  },

  'review-overdue': {
    refs: (d) => fileRefs(d, [d.partnershipId]),
    view: (d, names) => {
      const file = fileNames(d, names);
      return {
        subject: `Termijn overschreden: erkenningsaanvraag van ${file.establishment}`,
        salutation: partnershipSalutation(names, d.partnershipId),
        sender: departmentSignature,
        action: { label: 'Open het dossier', path: portalPaths.application(d.applicationId) },
        ...file,
        partnership: names.partnership(d.partnershipId),
        deadline: deadline(d.deadlineOn) ?? 'de 14de dag na indiening',
      };
    },
    html: `<p>Over de erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> werd niet beslist binnen de termijn van 14 dagen, die afliep op <%= it.deadline %>.</p>
<p>Het dossier staat als laattijdig op de takenlijsten van <%= it.partnership %> en van het departement tot er een beslissing is.</p>`,
    text: `Over de erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> werd niet beslist binnen de termijn van 14 dagen, die afliep op <%= it.deadline %>.

Het dossier staat als laattijdig op de takenlijsten van <%= it.partnership %> en van het departement tot er een beslissing is.`,
  },

  'completion-requested': {
    refs: (d) => fileRefs(d, [d.partnershipId]),
    view: (d, names) => {
      const file = fileNames(d, names);
      return {
        subject: `Uw erkenningsaanvraag voor ${file.establishment} is onvolledig`,
        salutation: officialSalutation,
        sender: names.sender(d.partnershipId),
        action: { label: 'Vul de aanvraag aan', path: portalPaths.application(d.applicationId) },
        ...file,
        partnership: names.partnership(d.partnershipId),
        message: d.message,
        dueOn: deadline(d.dueOn),
      };
    },
    html: `<p>Uw erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> is onvolledig. Dit vraagt <%= it.partnership %> u aan te vullen:</p>
<blockquote style="margin:0 0 16px 0;padding:8px 16px;border-left:4px solid #cccccc"><%= it.message %></blockquote>
<p>Vul de aanvraag aan in het digitale loket en dien ze opnieuw in<% if (it.dueOn) { %>, uiterlijk op <strong><%= it.dueOn %></strong><% } %>. De termijn van 14 dagen start opnieuw vanaf het volledige dossier.</p>`,
    text: `Uw erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> is onvolledig. Dit vraagt <%= it.partnership %> u aan te vullen:

<%= it.message %>

Vul de aanvraag aan in het digitale loket en dien ze opnieuw in<% if (it.dueOn) { %>, uiterlijk op <%= it.dueOn %><% } %>. De termijn van 14 dagen start opnieuw vanaf het volledige dossier.`,
  },

  'application-received': {
    refs: (d) => fileRefs(d, [d.partnershipId]),
    view: (d, names) => {
      const file = fileNames(d, names);
      return {
        subject: `Ontvangstbevestiging: uw ${d.round > 1 ? 'vervolledigde ' : ''}erkenningsaanvraag voor ${file.establishment}`,
        salutation: officialSalutation,
        sender: departmentSignature,
        action: { label: 'Volg uw aanvraag op', path: portalPaths.application(d.applicationId) },
        ...file,
        again: d.round > 1,
        partnership: names.partnership(d.partnershipId),
        deadline: deadline(d.deadlineOn),
      };
    },
    html: `<p>Wij ontvingen uw <%= it.again ? 'vervolledigde ' : '' %>erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %>. Ze werd bezorgd aan <%= it.partnership %>, dat de aanvraag behandelt.</p>
<p><% if (it.deadline) { %>U krijgt de beslissing uiterlijk op <strong><%= it.deadline %></strong>, tenzij het partnerschap u vraagt de aanvraag te vervolledigen.<% } else { %>U krijgt de beslissing binnen 14 dagen na het volledige dossier.<% } %></p>`,
    text: `Wij ontvingen uw <%= it.again ? 'vervolledigde ' : '' %>erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %>. Ze werd bezorgd aan <%= it.partnership %>, dat de aanvraag behandelt.

<% if (it.deadline) { %>U krijgt de beslissing uiterlijk op <%= it.deadline %>, tenzij het partnerschap u vraagt de aanvraag te vervolledigen.<% } else { %>U krijgt de beslissing binnen 14 dagen na het volledige dossier.<% } %>`,
  },

  decision: {
    refs: (d) => fileRefs(d, [d.partnershipId]),
    view: (d, names) => {
      const file = fileNames(d, names);
      const recognised = d.decision === 'recognised' && d.recognitionId !== null;
      return {
        subject: recognised
          ? `Officiële kennisgeving: ${file.establishment} is erkend als werkplek`
          : `Officiële kennisgeving: erkenningsaanvraag voor ${file.establishment} afgewezen`,
        salutation: officialSalutation,
        sender: names.sender(d.partnershipId),
        action: recognised
          ? { label: 'Bekijk de erkenning', path: portalPaths.recognition(d.recognitionId!) }
          : { label: 'Bekijk de beslissing', path: portalPaths.application(d.applicationId) },
        ...file,
        recognised,
        recognitionId: d.recognitionId ?? '',
        startDate: d.startDate ? formatDate(d.startDate) : '',
        endDate: d.endDate ? formatDate(d.endDate) : '',
        reasons: d.reasons,
        appeal,
      };
    },
    html: `<% if (it.recognised) { %><p>Met deze kennisgeving wordt <%= it.establishment %> erkend als werkplek voor <%= it.programme %> (erkenning <%= it.recognitionId %>).</p>
<p>De erkenning geldt van <strong><%= it.startDate %></strong> tot en met <strong><%= it.endDate %></strong>.</p>
<p>Motivering: <%= it.reasons %></p><% } else { %><p>Uw erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> werd niet goedgekeurd.</p>
<p>Motivering: <%= it.reasons %></p>
<p><%= it.appeal %></p><% } %>`,
    text: `<% if (it.recognised) { %>Met deze kennisgeving wordt <%= it.establishment %> erkend als werkplek voor <%= it.programme %> (erkenning <%= it.recognitionId %>).

De erkenning geldt van <%= it.startDate %> tot en met <%= it.endDate %>.

Motivering: <%= it.reasons %><% } else { %>Uw erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> werd niet goedgekeurd.

Motivering: <%= it.reasons %>

<%= it.appeal %><% } %>`,
  },

  sanction: {
    refs: (d) => ({ ...recognitionNameRefs(d.enterpriseNumber, d.recognitions), partnershipIds: d.partnershipId ? [d.partnershipId] : [] }),
    view: (d, names) => ({
      subject: `Officiële kennisgeving: sanctie voor ${names.enterprise(d.enterpriseNumber)}`,
      salutation: officialSalutation,
      sender: names.sender(d.partnershipId),
      action: { label: 'Bekijk uw erkenningen', path: portalPaths.recognitions() },
      effect: sanctionEffects[d.kind](d.until ? formatDate(d.until) : null),
      decidedBy: d.partnershipId ? names.partnership(d.partnershipId) : 'het departement',
      enterprise: names.enterprise(d.enterpriseNumber),
      recognitions: recognitionLines(names, d.enterpriseNumber, d.recognitions),
      reasons: d.reasons,
      appeal,
    }),
    html: `<p>Er werd een sanctie genomen tegen <%= it.enterprise %> door <%= it.decidedBy %>. <%= it.effect %></p>
<% if (it.recognitions.length) { %><p>Betrokken erkenningen:</p>
<ul><% it.recognitions.forEach((line) => { %><li><%= line %></li><% }) %></ul><% } %>
<p>Motivering: <%= it.reasons %></p>
<p><%= it.appeal %></p>`,
    text: `Er werd een sanctie genomen tegen <%= it.enterprise %> door <%= it.decidedBy %>. <%= it.effect %>

<% if (it.recognitions.length) { %>Betrokken erkenningen:
<% it.recognitions.forEach((line) => { %>- <%= line %>
<% }) %>
<% } %>Motivering: <%= it.reasons %>

<%= it.appeal %>`,
  },

  'department-exclusion': {
    refs: (d) => ({ ...recognitionNameRefs(d.enterpriseNumber, d.recognitions), partnershipIds: [d.partnershipId] }),
    view: (d, names) => {
      const excluded =
        d.kind === 'excludeEstablishment' && d.establishmentNumber
          ? names.establishment(d.enterpriseNumber, d.establishmentNumber)
          : names.enterprise(d.enterpriseNumber);
      return {
        subject: `Uitsluiting door het departement: ${names.enterprise(d.enterpriseNumber)}`,
        salutation: partnershipSalutation(names, d.partnershipId),
        sender: departmentSignature,
        action: { label: 'Bekijk de erkenningen', path: portalPaths.recognitions() },
        excluded,
        until: d.until ? formatDate(d.until) : '',
        recognitions: recognitionLines(names, d.enterpriseNumber, d.recognitions),
        reasons: d.reasons,
      };
    },
    html: `<p>Het departement sloot <%= it.excluded %> uit<%= it.until ? ' tot ' + it.until : '' %>. Daarmee werden deze erkenningen van uw partnerschap opgeheven:</p>
<ul><% it.recognitions.forEach((line) => { %><li><%= line %></li><% }) %></ul>
<p>Motivering: <%= it.reasons %></p>`,
    text: `Het departement sloot <%= it.excluded %> uit<%= it.until ? ' tot ' + it.until : '' %>. Daarmee werden deze erkenningen van uw partnerschap opgeheven:
<% it.recognitions.forEach((line) => { %>- <%= line %>
<% }) %>
Motivering: <%= it.reasons %>`,
  },

  'application-closed': {
    refs: (d) => fileRefs(d, [d.partnershipId, d.decidedBy]),
    view: (d, names) => ({
      subject: `Erkenningsaanvraag afgesloten door een sanctie: ${names.programme(d.programmeId)}`,
      salutation: officialSalutation,
      sender: names.sender(d.decidedBy),
      action: { label: 'Open het dossier', path: portalPaths.application(d.applicationId) },
      ...fileNames(d, names),
      decidedBy: d.decidedBy ? names.partnership(d.decidedBy) : 'het departement',
      cause: d.kind === 'revokeRecognition' ? 'de erkenning die ze hernieuwt werd opgeheven' : 'de werkplek werd uitgesloten van erkenning',
      reasons: d.reasons,
      appeal,
    }),
    html: `<p>De erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> werd afgesloten zonder beslissing: <%= it.decidedBy %> nam een sanctie en <%= it.cause %>. Het dossier wordt niet verder behandeld.</p>
<p>Motivering van de sanctie: <%= it.reasons %></p>
<p><%= it.appeal %></p>`,
    text: `De erkenningsaanvraag voor <%= it.programme %> in <%= it.establishment %> werd afgesloten zonder beslissing: <%= it.decidedBy %> nam een sanctie en <%= it.cause %>. Het dossier wordt niet verder behandeld.

Motivering van de sanctie: <%= it.reasons %>

<%= it.appeal %>`,
  },

  'mandate-registered': {
    refs: (d) => ({ providerIds: [d.providerId], enterpriseNumbers: [d.enterpriseNumber] }),
    view: (d, names) => ({
      subject: `Machtiging geregistreerd voor ${names.provider(d.providerId)}`,
      salutation: officialSalutation,
      sender: departmentSignature,
      action: { label: 'Bekijk de machtiging', path: portalPaths.mandate(d.enterpriseNumber, d.providerId) },
      counsellor: d.counsellorName,
      provider: names.provider(d.providerId),
      enterprise: names.enterprise(d.enterpriseNumber),
    }),
    html: `<p><%= it.counsellor %> van <%= it.provider %> registreerde een machtiging om in naam van <%= it.enterprise %> erkenningsaanvragen in te dienen.</p>
<p>Zolang u de machtiging niet bevestigt, kan de trajectbegeleider alleen de aanvragen zien en wijzigen die hij of zij zelf indiende. Uw eigen aanvragen blijven voor hem of haar afgeschermd.</p>
<p>Bevestigt de wettelijk vertegenwoordiger de machtiging, dan kan de opleidingsverstrekker ook uw andere erkenningsaanvragen raadplegen en wijzigen.</p>
<p>Herkent u deze machtiging niet, of wilt u ze beëindigen? Trek ze in bij de machtiging in het loket. Intrekken beëindigt meteen elke toegang van de opleidingsverstrekker.</p>`,
    text: `<%= it.counsellor %> van <%= it.provider %> registreerde een machtiging om in naam van <%= it.enterprise %> erkenningsaanvragen in te dienen.

Zolang u de machtiging niet bevestigt, kan de trajectbegeleider alleen de aanvragen zien en wijzigen die hij of zij zelf indiende. Uw eigen aanvragen blijven voor hem of haar afgeschermd.

Bevestigt de wettelijk vertegenwoordiger de machtiging, dan kan de opleidingsverstrekker ook uw andere erkenningsaanvragen raadplegen en wijzigen.

Herkent u deze machtiging niet, of wilt u ze beëindigen? Trek ze in bij de machtiging in het loket. Intrekken beëindigt meteen elke toegang van de opleidingsverstrekker.`,
  },

  'mandate-changed': {
    refs: (d) => ({ providerIds: [d.providerId], enterpriseNumbers: [d.enterpriseNumber] }),
    view: (d, names) => {
      const confirmed = d.status === 'confirmed';
      return {
        subject: `Machtiging van ${names.enterprise(d.enterpriseNumber)}: ${confirmed ? 'bevestigd' : 'ingetrokken'} door de onderneming`,
        salutation: 'Beste trajectbegeleider,',
        sender: departmentSignature,
        action: { label: 'Bekijk de machtiging', path: portalPaths.mandate(d.enterpriseNumber, d.providerId) },
        enterprise: names.enterprise(d.enterpriseNumber),
        provider: names.provider(d.providerId),
        confirmed,
      };
    },
    html: `<% if (it.confirmed) { %><p><%= it.enterprise %> bevestigde de machtiging van <%= it.provider %>: u kunt nu ook de andere erkenningsaanvragen van de onderneming raadplegen en wijzigen.</p><% } else { %><p><%= it.enterprise %> trok de machtiging van <%= it.provider %> in: u hebt geen toegang meer tot haar erkenningsaanvragen.</p><% } %>`,
    text: `<% if (it.confirmed) { %><%= it.enterprise %> bevestigde de machtiging van <%= it.provider %>: u kunt nu ook de andere erkenningsaanvragen van de onderneming raadplegen en wijzigen.<% } else { %><%= it.enterprise %> trok de machtiging van <%= it.provider %> in: u hebt geen toegang meer tot haar erkenningsaanvragen.<% } %>`,
  },

  'mandate-rejected': {
    refs: (d) => ({ providerIds: [d.providerId], partnershipIds: d.partnershipId ? [d.partnershipId] : [], enterpriseNumbers: [d.enterpriseNumber] }),
    view: (d, names) => ({
      subject: 'Machtiging geweigerd door het partnerschap',
      salutation: officialSalutation,
      sender: names.sender(d.partnershipId),
      action: { label: 'Open het dossier', path: portalPaths.application(d.applicationId) },
      partnership: names.partnership(d.partnershipId),
      provider: names.provider(d.providerId),
      enterprise: names.enterprise(d.enterpriseNumber),
      reasons: d.reasons,
    }),
    html: `<p>Bij de controle van een erkenningsaanvraag weigerde <%= it.partnership %> de machtiging van <%= it.provider %> voor <%= it.enterprise %>.</p>
<p>Motivering: <%= it.reasons %></p>
<p>De opleidingsverstrekker heeft geen toegang meer tot de erkenningsaanvragen van de onderneming. De onderneming kan het dossier zelf verder opvolgen in het loket.</p>`,
    text: `Bij de controle van een erkenningsaanvraag weigerde <%= it.partnership %> de machtiging van <%= it.provider %> voor <%= it.enterprise %>.

Motivering: <%= it.reasons %>

De opleidingsverstrekker heeft geen toegang meer tot de erkenningsaanvragen van de onderneming. De onderneming kan het dossier zelf verder opvolgen in het loket.`,
  },

  'appeal-received': {
    refs: (d) => ({ enterpriseNumbers: [d.enterpriseNumber] }),
    view: (d, names) => ({
      subject: `Nieuw beroep van ${names.enterprise(d.enterpriseNumber)}`,
      salutation: 'Beste collega van het departement,',
      sender: departmentSignature,
      action: { label: 'Open het beroep', path: portalPaths.appeal(d.appealId) },
      enterprise: names.enterprise(d.enterpriseNumber),
      against: d.against === 'decision' ? 'een afwijzing van een erkenningsaanvraag' : 'een sanctie',
      confirmBy: formatDate(d.confirmBy),
    }),
    html: `<p><%= it.enterprise %> tekende beroep aan tegen <%= it.against %>.</p>
<p>Bevestig de ontvangst en de ontvankelijkheid uiterlijk op <strong><%= it.confirmBy %></strong>.</p>`,
    text: `<%= it.enterprise %> tekende beroep aan tegen <%= it.against %>.

Bevestig de ontvangst en de ontvankelijkheid uiterlijk op <%= it.confirmBy %>.`,
  },

  'appeal-confirmed': {
    refs: (d) => ({ enterpriseNumbers: [d.enterpriseNumber] }),
    view: (d) => ({
      subject: 'Ontvangst van uw beroep',
      salutation: officialSalutation,
      sender: departmentSignature,
      action: { label: 'Bekijk uw beroep', path: portalPaths.appeal(d.appealId) },
      admissible: d.admissible ? 'ontvankelijk: de beroepscommissie behandelt het' : 'niet ontvankelijk',
      reasons: d.reasons,
    }),
    html: `<p>Uw beroep werd ontvangen en is <%= it.admissible %>.</p>
<p>Motivering: <%= it.reasons %></p>`,
    text: `Uw beroep werd ontvangen en is <%= it.admissible %>.

Motivering: <%= it.reasons %>`,
  },

  'appeal-decided': {
    refs: (d) => ({ ...recognitionNameRefs(d.enterpriseNumber, d.recognitions), partnershipIds: d.partnershipId ? [d.partnershipId] : [] }),
    view: (d, names) => ({
      subject: 'Beslissing over uw beroep',
      salutation: officialSalutation,
      sender: departmentSignature,
      action:
        d.effect === 'fileReopened' && d.applicationId
          ? { label: 'Open het dossier', path: portalPaths.application(d.applicationId) }
          : { label: 'Bekijk uw beroep', path: portalPaths.appeal(d.appealId) },
      outcome: d.outcome === 'upheld' ? 'gaf u gelijk' : 'wees uw beroep af',
      effect: appealEffects[d.effect](names.partnership(d.partnershipId)),
      recognitions: recognitionLines(names, d.enterpriseNumber, d.recognitions),
      reasons: d.reasons,
    }),
    html: `<p>De beroepscommissie van het Vlaams Partnerschap Duaal Leren <%= it.outcome %>. <%= it.effect %></p>
<% if (it.recognitions.length) { %><ul><% it.recognitions.forEach((line) => { %><li><%= line %></li><% }) %></ul><% } %>
<p>Motivering: <%= it.reasons %></p>`,
    text: `De beroepscommissie van het Vlaams Partnerschap Duaal Leren <%= it.outcome %>. <%= it.effect %>

<% if (it.recognitions.length) { %><% it.recognitions.forEach((line) => { %>- <%= line %>
<% }) %>
<% } %>Motivering: <%= it.reasons %>`,
  },

  'suspension-reported': {
    refs: () => ({}),
    view: (d) => ({
      subject: d.reportedBy === 'enterprise' ? 'Schorsing gemeld door de onderneming' : 'Schorsing van meer dan 14 dagen',
      salutation: 'Beste trajectbegeleider,',
      sender: departmentSignature,
      action: { label: 'Bekijk de overeenkomst', path: portalPaths.agreement(d.agreementId) },
      learner: d.learnerName,
      from: formatDate(d.from),
      to: formatDate(d.to),
      byEnterprise: d.reportedBy === 'enterprise',
    }),
    html: `<p><% if (it.byEnterprise) { %>De onderneming meldt dat de overeenkomst van <%= it.learner %> geschorst is<% } else { %>De overeenkomst van <%= it.learner %> is geschorst<% } %> van <%= it.from %> tot en met <%= it.to %>.</p>
<p><% if (it.byEnterprise) { %>Volg de schorsing op als trajectbegeleider<% } else { %>Een schorsing van meer dan 14 dagen volgt u op als trajectbegeleider<% } %>; de taak staat op uw takenlijst.</p>`,
    text: `<% if (it.byEnterprise) { %>De onderneming meldt dat de overeenkomst van <%= it.learner %> geschorst is<% } else { %>De overeenkomst van <%= it.learner %> is geschorst<% } %> van <%= it.from %> tot en met <%= it.to %>.

<% if (it.byEnterprise) { %>Volg de schorsing op als trajectbegeleider<% } else { %>Een schorsing van meer dan 14 dagen volgt u op als trajectbegeleider<% } %>; de taak staat op uw takenlijst.`,
  },

  'agreement-ended-early': {
    refs: () => ({}),
    view: (d) => ({
      subject: d.scheduled ? 'Vroegtijdige beëindiging van een overeenkomst geregistreerd' : 'Overeenkomst vroegtijdig beëindigd',
      salutation: 'Beste,',
      sender: departmentSignature,
      action: { label: 'Bekijk de overeenkomst', path: portalPaths.agreement(d.agreementId) },
      learner: d.learnerName,
      endedOn: formatDate(d.endedOn),
      verb: d.scheduled ? 'wordt vroegtijdig beëindigd op' : 'werd vroegtijdig beëindigd op',
      reason: d.reason,
    }),
    html: `<p>De overeenkomst van <%= it.learner %> <%= it.verb %> <%= it.endedOn %>.</p>
<p>Reden: <%= it.reason %></p>`,
    text: `De overeenkomst van <%= it.learner %> <%= it.verb %> <%= it.endedOn %>.

Reden: <%= it.reason %>`,
  },

  'recognition-restored': {
    refs: () => ({}),
    view: (d) => ({
      subject: 'Erkenning hersteld na beroep',
      salutation: 'Beste,',
      sender: departmentSignature,
      action: { label: 'Bekijk de overeenkomst', path: portalPaths.agreement(d.agreementId) },
      learner: d.learnerName,
      recognition: d.recognitionId,
    }),
    html: `<p>De beroepscommissie heeft de intrekking van erkenning <%= it.recognition %> ongedaan gemaakt: de erkenning is opnieuw actief.</p>
<p>De overeenkomst van <%= it.learner %> op deze werkplek loopt gewoon verder. De taak <em>Opheffing verwerken</em> is vervallen.</p>`,
    text: `De beroepscommissie heeft de intrekking van erkenning <%= it.recognition %> ongedaan gemaakt: de erkenning is opnieuw actief.

De overeenkomst van <%= it.learner %> op deze werkplek loopt gewoon verder. De taak "Opheffing verwerken" is vervallen.`,
  },

  'agreement-ended': {
    refs: () => ({}),
    view: (d) => ({
      subject: 'Overeenkomst beëindigd',
      salutation: 'Beste,',
      sender: departmentSignature,
      action: { label: 'Bekijk de overeenkomst', path: portalPaths.agreement(d.agreementId) },
      learner: d.learnerName,
      endedOn: formatDate(d.endedOn),
      how: d.early ? 'vroegtijdig, zoals geregistreerd' : 'op de geplande einddatum',
      reason: d.reason,
    }),
    html: `<p>De overeenkomst van <%= it.learner %> is beëindigd op <%= it.endedOn %> (<%= it.how %>).</p>
<p>Reden: <%= it.reason %></p>
<p>De plaatsen van de mentor en de vestiging zijn vrij voor een volgende overeenkomst.</p>`,
    text: `De overeenkomst van <%= it.learner %> is beëindigd op <%= it.endedOn %> (<%= it.how %>).

Reden: <%= it.reason %>

De plaatsen van de mentor en de vestiging zijn vrij voor een volgende overeenkomst.`,
  },

  'agreement-to-sign': {
    refs: (d) => ({
      programmeIds: [d.programmeId],
      providerIds: [d.providerId],
      enterpriseNumbers: [d.enterpriseNumber],
      establishments: [{ enterpriseNumber: d.enterpriseNumber, establishmentNumber: d.establishmentNumber }],
    }),
    view: (d, names) => ({
      subject: 'Overeenkomst duaal leren klaar om te ondertekenen',
      salutation: 'Beste,',
      sender: departmentSignature,
      action: { label: 'Bekijk de overeenkomst', path: portalPaths.agreement(d.agreementId) },
      provider: names.provider(d.providerId),
      programme: names.programme(d.programmeId),
      establishment: names.establishment(d.enterpriseNumber, d.establishmentNumber),
      startDate: formatDate(d.startDate),
      expiresOn: formatDate(d.expiresOn),
    }),
    html: `<p><%= it.provider %> heeft een overeenkomst duaal leren voor <%= it.programme %> in <%= it.establishment %> klaargemaakt om te ondertekenen. De overeenkomst start op <%= it.startDate %>.</p>
<p>Lees de overeenkomst in het loket na. De wettelijke vertegenwoordiger van de onderneming ondertekent ze samen met de leerling en de opleidingsverstrekker; de trajectbegeleider registreert daarna de ondertekende overeenkomst. De werkversie blijft bewaard tot <%= it.expiresOn %>.</p>`,
    text: `<%= it.provider %> heeft een overeenkomst duaal leren voor <%= it.programme %> in <%= it.establishment %> klaargemaakt om te ondertekenen. De overeenkomst start op <%= it.startDate %>.

Lees de overeenkomst in het loket na. De wettelijke vertegenwoordiger van de onderneming ondertekent ze samen met de leerling en de opleidingsverstrekker; de trajectbegeleider registreert daarna de ondertekende overeenkomst. De werkversie blijft bewaard tot <%= it.expiresOn %>.`,
  },

  'draft-expired': {
    refs: () => ({}),
    view: (d) => ({
      subject: 'Werkversie van een overeenkomst vervallen',
      salutation: 'Beste trajectbegeleider,',
      sender: departmentSignature,
      action: { label: 'Bekijk uw overeenkomsten', path: portalPaths.agreements() },
      learner: d.learnerName,
      expiredOn: formatDate(d.expiredOn),
      savedOn: formatDate(d.savedOn),
    }),
    html: `<p>De werkversie van de overeenkomst van <%= it.learner %> is vervallen op <%= it.expiredOn %>: ze werd het laatst bewaard op <%= it.savedOn %> en niet binnen 90 dagen geregistreerd.</p>
<p>Wilt u de overeenkomst toch sluiten, maak dan een nieuwe werkversie.</p>`,
    text: `De werkversie van de overeenkomst van <%= it.learner %> is vervallen op <%= it.expiredOn %>: ze werd het laatst bewaard op <%= it.savedOn %> en niet binnen 90 dagen geregistreerd.

Wilt u de overeenkomst toch sluiten, maak dan een nieuwe werkversie.`,
  },

  'kbo-change-decided': {
    refs: (d) => ({ ...recognitionNameRefs(d.enterpriseNumber, d.recognitions), partnershipIds: [d.partnershipId] }),
    view: (d, names) => {
      const revoked = d.decision === 'revoke';
      return {
        subject: revoked ? 'Erkenning opgeheven na een KBO-wijziging' : 'Erkenning behouden na een KBO-wijziging',
        salutation: officialSalutation,
        sender: names.sender(d.partnershipId),
        action: { label: 'Bekijk uw erkenningen', path: portalPaths.recognitions() },
        change: d.change,
        addressFrom: d.addressChange?.from ?? '',
        addressTo: d.addressChange?.to ?? '',
        partnership: names.partnership(d.partnershipId),
        revoked,
        recognitions: recognitionLines(names, d.enterpriseNumber, d.recognitions),
        reasons: d.reasons,
        appeal,
      };
    },
    html: `<p>De Kruispuntbank van Ondernemingen meldde een wijziging: <%= it.change %>.</p>
<% if (it.addressFrom) { %><p>Vorig adres: <%= it.addressFrom %>. Nieuw adres: <%= it.addressTo %>.</p><% } %>
<p><%= it.revoked ? 'Daarom heeft ' + it.partnership + ' deze erkenningen opgeheven; lopende overeenkomsten worden vroegtijdig beëindigd:' : it.partnership + ' behoudt deze erkenningen:' %></p>
<ul><% it.recognitions.forEach((line) => { %><li><%= line %></li><% }) %></ul>
<p>Motivering: <%= it.reasons %></p>
<% if (it.revoked) { %><p><%= it.appeal %></p><% } %>`,
    text: `De Kruispuntbank van Ondernemingen meldde een wijziging: <%= it.change %>.

<% if (it.addressFrom) { %>Vorig adres: <%= it.addressFrom %>. Nieuw adres: <%= it.addressTo %>.

<% } %><%= it.revoked ? 'Daarom heeft ' + it.partnership + ' deze erkenningen opgeheven; lopende overeenkomsten worden vroegtijdig beëindigd:' : it.partnership + ' behoudt deze erkenningen:' %>
<% it.recognitions.forEach((line) => { %>- <%= line %>
<% }) %>
Motivering: <%= it.reasons %>
<% if (it.revoked) { %>
<%= it.appeal %><% } %>`,
  },

  'task-digest': {
    refs: () => ({}),
    view: (d) => {
      const line = (t: TemplateData<'task-digest'>['newTasks'][number]) =>
        `${t.title}: ${t.label}${t.dueDate ? ` (uiterlijk ${formatDate(t.dueDate)}, dagen resterend: ${t.daysRemaining ?? ''})` : ''}`;
      const more = (shown: number, total: number) => (total > shown ? `... en nog ${total - shown} andere.` : '');
      return {
        subject: `Uw taken in het digitale loket op ${formatDate(d.date)}: ${d.newCount} nieuw, ${d.overdueCount} over termijn`,
        salutation: 'Beste gebruiker van het digitale loket,',
        sender: departmentSignature,
        action: { label: 'Open uw takenlijst', path: portalPaths.tasks() },
        organisation: d.organisation,
        newCount: d.newCount,
        overdueCount: d.overdueCount,
        newTasks: d.newTasks.map(line),
        overdueTasks: d.overdueTasks.map(line),
        moreNew: more(d.newTasks.length, d.newCount),
        moreOverdue: more(d.overdueTasks.length, d.overdueCount),
        preferencesPath: portalPaths.preferences(),
      };
    },
    html: `<p>Dit is het overzicht van de taken voor <%= it.organisation %>.</p>
<% if (it.newCount) { %><p><strong>Nieuwe taken sinds het vorige overzicht (<%= it.newCount %>):</strong></p>
<ul><% it.newTasks.forEach((line) => { %><li><%= line %></li><% }) %></ul>
<% if (it.moreNew) { %><p><%= it.moreNew %></p><% } %><% } %>
<% if (it.overdueCount) { %><p><strong>Taken over termijn (<%= it.overdueCount %>):</strong></p>
<ul><% it.overdueTasks.forEach((line) => { %><li><%= line %></li><% }) %></ul>
<% if (it.moreOverdue) { %><p><%= it.moreOverdue %></p><% } %><% } %>
<p>U ontvangt dit overzicht dagelijks. U kunt het uitzetten bij uw voorkeuren in het digitale loket.</p>`,
    text: `Dit is het overzicht van de taken voor <%= it.organisation %>.

<% if (it.newCount) { %>Nieuwe taken sinds het vorige overzicht (<%= it.newCount %>):
<% it.newTasks.forEach((line) => { %>- <%= line %>
<% }) %>
<% if (it.moreNew) { %><%= it.moreNew %>
<% } %>

<% } %>
<% if (it.overdueCount) { %>Taken over termijn (<%= it.overdueCount %>):
<% it.overdueTasks.forEach((line) => { %>- <%= line %>
<% }) %>
<% if (it.moreOverdue) { %><%= it.moreOverdue %>
<% } %>

<% } %>
U ontvangt dit overzicht dagelijks. U kunt het uitzetten bij uw voorkeuren in het digitale loket.`,
  },
};

// ---- rendering ------------------------------------------------------------------------------------------------

/**
 * Every interpolated value passes here before it is escaped: a value missing from a view (undefined, null, an
 * object, NaN) fails the rendering instead of mailing `undefined`, and a national number or an account number
 * typed into a reason or a message is masked, because e-mail leaves the system and is kept in mailboxes beyond
 * our retention rules.
 */
function strictFilter(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new Error(`a template read a value that its view does not have (${value === null ? 'null' : typeof value})`);
  return redactPersonalNumbers(value);
}

const etaOptions = { autoFilter: true, filterFunction: strictFilter, cache: true, useWith: false } as const;
/** The HTML part escapes every `<%= %>`; the text part is plain text and escapes nothing. */
const htmlEta = new Eta({ ...etaOptions, autoEscape: true });
const textEta = new Eta({ ...etaOptions, autoEscape: false, autoTrim: false });

htmlEta.loadTemplate('@layout', layoutHtml);
textEta.loadTemplate('@layout', layoutText);
for (const [name, definition] of Object.entries(definitions) as [TemplateName, Template<TemplateName>][]) {
  htmlEta.loadTemplate(`@${name}`, `<% layout('@layout') %>${definition.html}`);
  textEta.loadTemplate(`@${name}`, `<% layout('@layout') %>${definition.text}`);
}

/** Blank lines that conditional blocks leave become one, trailing spaces go (except the signature's `-- `). */
const tidyText = (text: string) =>
  `${text
    .replace(/([^-]) +$/gm, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;

export const templateNamesWithDefinitions = Object.keys(definitions) as TemplateName[];

/** The ids whose names an e-mail of this template says. */
export function nameRefsOf<T extends TemplateName>(template: T, data: TemplateDataMap[T]): NameRefs {
  const definition = definitions[template] as Template<T>;
  return definition.refs(data);
}

/** Renders one template. Generic so the compiler pairs each template name with its own data. */
export function renderTemplate<T extends TemplateName>(template: T, data: TemplateDataMap[T], context: RenderContext): Rendered {
  const definition = definitions[template] as Template<T>;
  const view = definition.view(data, namesOf(context.names));
  const model = { ...view, actionUrl: view.action ? portalLink(context.portalUrl, view.action.path) : null };
  return {
    subject: redactPersonalNumbers(view.subject),
    html: htmlEta.render(`@${template}`, model),
    text: tidyText(textEta.render(`@${template}`, model)),
  };
}

/** Renders a parsed message. */
export const renderNotification = (message: NotificationRequested, context: RenderContext): Rendered => renderTemplate(message.template, message.data, context);

/** No names found: what rendering says when the consumer could read none (and what tests use without a table). */
export const noNames: MailNames = { programmes: new Map(), partnerships: new Map(), providers: new Map(), enterprises: new Map(), establishments: new Map() };
