// The Dutch e-mails the system sends: one plain function per template, from the template's data (validated by
// events/notification-requested.ts) to a subject, a plain-text body and a simple HTML body with the same
// paragraphs. The map below is typed by the message schema, so a template without a renderer, or a renderer
// reading data its schema does not carry, does not compile.
import type { NotificationRequested, TemplateData, TemplateDataMap, TemplateName } from '../../events/notification-requested.ts';
import { redactPersonalNumbers } from '../../shared/domain/identifiers.ts';

export type Rendered = { subject: string; text: string; html: string };

const signature = 'werkplekduaal, het digitale loket duaal leren';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * The one layout of every e-mail: paragraphs, an optional link, the signature. The text part is what most
 * clients and screen readers show; the HTML part says the same, with every value escaped. No e-mail carries a
 * national number or an account number: no template puts one in, and one typed into a reason or a message is
 * replaced here, because e-mail leaves the system and is kept in mailboxes beyond our retention rules.
 */
function layout(rawSubject: string, rawParagraphs: string[], link?: { url: string; label: string }): Rendered {
  const subject = redactPersonalNumbers(rawSubject);
  const paragraphs = rawParagraphs.map(redactPersonalNumbers);
  const textLink = link ? [`${link.label}: ${link.url}`] : [];
  const htmlLink = link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : [];
  return {
    subject,
    text: `${[...paragraphs, ...textLink].join('\n\n')}\n\n-- \n${signature}\n`,
    html:
      '<!doctype html><html lang="nl"><head><meta charset="utf-8"></head><body>' +
      paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
      htmlLink.join('') +
      `<p style="color:#666">${escapeHtml(signature)}</p></body></html>`,
  };
}

const appeal = 'U kunt binnen 10 dagen na ontvangst van deze kennisgeving beroep aantekenen bij de beroepscommissie van het Vlaams Partnerschap Duaal Leren';

const sanctionEffects = {
  withdrawMentor: () => 'Een mentor werd ingetrokken; duid een nieuwe mentor aan, anders eindigen lopende overeenkomsten vroegtijdig.',
  revokeRecognition: () => 'De erkenning werd opgeheven: er kunnen geen nieuwe overeenkomsten gesloten worden en lopende overeenkomsten eindigen vroegtijdig.',
  excludeEstablishment: (until: string | null) => `De vestiging werd uitgesloten${until ? ` tot ${until}` : ''}; al haar erkenningen werden opgeheven.`,
  excludeEnterprise: (until: string | null) => `De onderneming werd uitgesloten${until ? ` tot ${until}` : ''}; al haar erkenningen werden opgeheven.`,
} satisfies Record<TemplateData<'sanction'>['kind'], (until: string | null) => string>;

export const templates: { [T in TemplateName]: (data: TemplateDataMap[T]) => Rendered } = {
  generic: (d) => layout(d.subject, d.lines, d.link ? { url: d.link, label: 'Bekijk het in het digitale loket' } : undefined),

  'test-message': (d) => layout('Testbericht van werkplekduaal', ['Dit is een testbericht van het digitale loket duaal leren.', d.text]),

  'application-submitted': (d) => {
    const again = d.round > 1;
    return layout(`${again ? 'Vervolledigde' : 'Nieuwe'} erkenningsaanvraag: ${d.programme ?? ''} (vestiging ${d.establishmentNumber})`, [
      `Beste ${d.partnership},`,
      `Er werd een erkenningsaanvraag ${again ? 'opnieuw ' : ''}ingediend voor de opleiding ${d.programme ?? ''} in vestiging ${d.establishmentNumber}${d.enterpriseNumber ? ` (onderneming ${d.enterpriseNumber})` : ''}.`,
      `Beslis uiterlijk op ${d.deadlineOn ?? 'de 14de dag na indiening'}. Dossier: ${d.applicationId}.`,
    ]);
  },

  'review-reminder': (d) =>
    layout(`Herinnering: beslissing erkenningsaanvraag vestiging ${d.establishmentNumber}`, [
      `De erkenningsaanvraag ${d.applicationId} voor ${d.programme ?? ''} in vestiging ${d.establishmentNumber} wacht al 10 dagen op een beslissing.`,
      `De termijn van 14 dagen loopt af op ${d.deadlineOn ?? 'de 14de dag na indiening'}.`,
    ]),

  'review-overdue': (d) =>
    layout(`Termijn overschreden: erkenningsaanvraag vestiging ${d.establishmentNumber}`, [
      `Over de erkenningsaanvraag ${d.applicationId} voor ${d.programme ?? ''} in vestiging ${d.establishmentNumber} werd niet binnen 14 dagen beslist (${d.partnership ?? 'partnerschap onbekend'}).`,
      'Het dossier staat als laattijdig op de dashboards van het partnerschap en het departement.',
    ]),

  'completion-requested': (d) =>
    layout(`Uw erkenningsaanvraag voor vestiging ${d.establishmentNumber} is onvolledig`, [
      'Het partnerschap vraagt u uw erkenningsaanvraag aan te vullen:',
      d.message,
      'Vul de aanvraag aan in het digitale loket en dien ze opnieuw in. De termijn van 14 dagen start opnieuw vanaf het volledige dossier.',
    ]),

  decision: (d) =>
    d.decision === 'recognised'
      ? layout(`Officiële kennisgeving: vestiging ${d.establishmentNumber} is erkend als werkplek`, [
          `Uw vestiging ${d.establishmentNumber} is erkend als werkplek voor de opleiding ${d.programmeId} (erkenning ${d.recognitionId ?? ''}).`,
          `De erkenning geldt van ${d.startDate ?? ''} tot en met ${d.endDate ?? ''}.`,
          `Motivering: ${d.reasons}`,
        ])
      : layout(`Officiële kennisgeving: erkenningsaanvraag voor vestiging ${d.establishmentNumber} afgewezen`, [
          `Uw erkenningsaanvraag ${d.applicationId} voor de opleiding ${d.programmeId} werd niet goedgekeurd.`,
          `Motivering: ${d.reasons}`,
          `${appeal}.`,
        ]),

  'task-digest': (d) => {
    const line = (t: TemplateData<'task-digest'>['newTasks'][number]) =>
      `- ${t.title}: ${t.label}${t.dueDate ? ` (uiterlijk ${t.dueDate}, dagen resterend: ${t.daysRemaining ?? ''})` : ''}`;
    const more = (shown: number, total: number) => (total > shown ? [`... en nog ${total - shown} andere.`] : []);
    return layout(`Uw taken in het digitale loket op ${d.date}: ${d.newCount} nieuw, ${d.overdueCount} over termijn`, [
      `Overzicht van de taken voor ${d.organisation}.`,
      ...(d.newCount ? [`Nieuwe taken sinds het vorige overzicht (${d.newCount}):`, ...d.newTasks.map(line), ...more(d.newTasks.length, d.newCount)] : []),
      ...(d.overdueCount ? [`Taken over termijn (${d.overdueCount}):`, ...d.overdueTasks.map(line), ...more(d.overdueTasks.length, d.overdueCount)] : []),
      'U ontvangt dit overzicht dagelijks. U kunt het uitzetten bij uw voorkeuren in het digitale loket.',
    ]);
  },

  sanction: (d) =>
    layout('Officiële kennisgeving: sanctie van het partnerschap', [
      sanctionEffects[d.kind](d.until),
      `Betrokken erkenningen: ${d.recognitions.join(', ') || 'geen'}.`,
      `Motivering: ${d.reasons}`,
      `${appeal} (sanctie ${d.sanctionId}).`,
    ]),
};

/** Renders one template. Generic so the compiler pairs each template name with its own data. */
export function renderTemplate<T extends TemplateName>(template: T, data: TemplateDataMap[T]): Rendered {
  const render: (data: TemplateDataMap[T]) => Rendered = templates[template];
  return render(data);
}

/** Renders a parsed message. */
export const renderNotification = (message: NotificationRequested): Rendered => renderTemplate(message.template, message.data);
