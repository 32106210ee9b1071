// The Dutch e-mails the system sends. Each template validates its own data, so a producer's mistake is a
// failed message in the dead-letter queue, not a broken e-mail.
import { z } from 'zod';

export type Rendered = { subject: string; text: string; html: string };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const render = (subject: string, lines: string[]): Rendered => ({
  subject,
  text: `${lines.join('\n\n')}\n\n-- \nwerkplekduaal, het digitale loket duaal leren\n`,
  html: `<!doctype html><html lang="nl"><body>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}<p style="color:#666">werkplekduaal, het digitale loket duaal leren</p></body></html>`,
});

const fileData = z.object({ applicationId: z.string(), enterpriseNumber: z.string().optional(), establishmentNumber: z.string(), programme: z.string().optional(), deadlineOn: z.string().nullable().optional() });

export const templates = {
  'test-message': {
    data: z.object({ text: z.string().max(2000) }),
    render: (d: { text: string }) => render('Testbericht van werkplekduaal', [d.text]),
  },
  generic: {
    data: z.object({ subject: z.string().max(200), lines: z.array(z.string().max(4000)).max(20), link: z.string().optional() }),
    render: (d: { subject: string; lines: string[]; link?: string | undefined }) => render(d.subject, [...d.lines, ...(d.link ? [d.link] : [])]),
  },
  'application-submitted': {
    data: fileData.extend({ partnership: z.string(), round: z.number().int() }),
    render: (d: z.infer<typeof fileData> & { partnership: string; round: number }) =>
      render(`${d.round > 1 ? 'Vervolledigde' : 'Nieuwe'} erkenningsaanvraag: ${d.programme ?? ''} (vestiging ${d.establishmentNumber})`, [
        `Beste ${d.partnership},`,
        `Er werd een erkenningsaanvraag ${d.round > 1 ? 'opnieuw ' : ''}ingediend voor de opleiding ${d.programme ?? ''} in vestiging ${d.establishmentNumber} (onderneming ${d.enterpriseNumber ?? ''}).`,
        `Beslis uiterlijk op ${d.deadlineOn ?? 'de 14de dag na indiening'}. Dossier: ${d.applicationId}.`,
      ]),
  },
  'review-reminder': {
    data: fileData,
    render: (d: z.infer<typeof fileData>) =>
      render(`Herinnering: beslissing erkenningsaanvraag vestiging ${d.establishmentNumber}`, [
        `De erkenningsaanvraag ${d.applicationId} voor ${d.programme ?? ''} in vestiging ${d.establishmentNumber} wacht al 10 dagen op een beslissing.`,
        `De termijn van 14 dagen loopt af op ${d.deadlineOn ?? ''}.`,
      ]),
  },
  'review-overdue': {
    data: fileData.extend({ partnership: z.string().nullable() }),
    render: (d: z.infer<typeof fileData> & { partnership: string | null }) =>
      render(`Termijn overschreden: erkenningsaanvraag vestiging ${d.establishmentNumber}`, [
        `Over de erkenningsaanvraag ${d.applicationId} voor ${d.programme ?? ''} in vestiging ${d.establishmentNumber} werd niet binnen 14 dagen beslist (${d.partnership ?? 'partnerschap onbekend'}).`,
        'Het dossier staat als laattijdig op de dashboards van het partnerschap en het departement.',
      ]),
  },
  'completion-requested': {
    data: z.object({ applicationId: z.string(), establishmentNumber: z.string(), message: z.string() }),
    render: (d: { applicationId: string; establishmentNumber: string; message: string }) =>
      render(`Uw erkenningsaanvraag voor vestiging ${d.establishmentNumber} is onvolledig`, [
        'Het partnerschap vraagt u uw erkenningsaanvraag aan te vullen:',
        d.message,
        'Vul de aanvraag aan in het digitale loket en dien ze opnieuw in. De termijn van 14 dagen start opnieuw vanaf het volledige dossier.',
      ]),
  },
  decision: {
    data: z.object({ applicationId: z.string(), decision: z.enum(['recognised', 'notRecognised']), reasons: z.string(), recognitionId: z.string().nullable(), startDate: z.string().nullable(), endDate: z.string().nullable(), establishmentNumber: z.string(), programmeId: z.string() }),
    render: (d: { decision: 'recognised' | 'notRecognised'; reasons: string; recognitionId: string | null; startDate: string | null; endDate: string | null; establishmentNumber: string; programmeId: string; applicationId: string }) =>
      d.decision === 'recognised'
        ? render(`Officiële kennisgeving: vestiging ${d.establishmentNumber} is erkend als werkplek`, [
            `Uw vestiging ${d.establishmentNumber} is erkend als werkplek voor de opleiding ${d.programmeId} (erkenning ${d.recognitionId}).`,
            `De erkenning geldt van ${d.startDate} tot en met ${d.endDate}.`,
            `Motivering: ${d.reasons}`,
          ])
        : render(`Officiële kennisgeving: erkenningsaanvraag voor vestiging ${d.establishmentNumber} afgewezen`, [
            `Uw erkenningsaanvraag ${d.applicationId} voor de opleiding ${d.programmeId} werd niet goedgekeurd.`,
            `Motivering: ${d.reasons}`,
            'U kunt binnen 10 dagen na ontvangst van deze kennisgeving beroep aantekenen bij de beroepscommissie van het Vlaams Partnerschap Duaal Leren.',
          ]),
  },
  sanction: {
    data: z.object({ sanctionId: z.string(), kind: z.enum(['withdrawMentor', 'revokeRecognition', 'excludeEstablishment', 'excludeEnterprise']), subject: z.string(), reasons: z.string(), recognitions: z.array(z.string()), until: z.string().nullable() }),
    render: (d: { sanctionId: string; kind: string; subject: string; reasons: string; recognitions: string[]; until: string | null }) => {
      const what: Record<string, string> = {
        withdrawMentor: 'Een mentor werd ingetrokken; duid een nieuwe mentor aan of lopende overeenkomsten eindigen vroegtijdig.',
        revokeRecognition: 'De erkenning werd opgeheven: er kunnen geen nieuwe overeenkomsten gesloten worden en lopende overeenkomsten eindigen vroegtijdig.',
        excludeEstablishment: `De vestiging werd uitgesloten${d.until ? ` tot ${d.until}` : ''}; al haar erkenningen werden opgeheven.`,
        excludeEnterprise: `De onderneming werd uitgesloten${d.until ? ` tot ${d.until}` : ''}; al haar erkenningen werden opgeheven.`,
      };
      return render('Officiële kennisgeving: sanctie van het partnerschap', [
        what[d.kind] ?? '', `Betrokken erkenningen: ${d.recognitions.join(', ') || 'geen'}.`, `Motivering: ${d.reasons}`,
        `U kunt binnen 10 dagen na ontvangst beroep aantekenen bij de beroepscommissie van het Vlaams Partnerschap Duaal Leren (sanctie ${d.sanctionId}).`,
      ]);
    },
  },
} as const;

export type TemplateName = keyof typeof templates;

export function renderTemplate(name: string, data: unknown): Rendered {
  const template = (templates as Record<string, { data: z.ZodType; render: (d: never) => Rendered }>)[name];
  if (!template) throw new Error(`unknown e-mail template "${name}"`);
  return template.render(template.data.parse(data) as never);
}
