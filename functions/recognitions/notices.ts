// The e-mails of the recognitions context: who is told what at each step. Each e-mail's id names what it is
// about, so a retried step still sends it once (events/notification-requested.ts).
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { allReference } from '../../shared/data/reference.ts';
import type { Mandate } from '../../shared/domain/mandates.ts';
import type { Appeal } from '../../shared/domain/appeals.ts';
import type { Application, Recognition } from '../../shared/domain/recognitions.ts';
import type { Sanction } from '../../shared/domain/sanctions.ts';
import type { Partnership } from '../../shared/domain/reference.ts';

/** The file an e-mail is about, by id: the notifications consumer reads the names of programme, enterprise and establishment. */
const fileRefs = (application: Application) => ({
  applicationId: application.id,
  enterpriseNumber: application.enterpriseNumber,
  establishmentNumber: application.establishmentNumber,
  programmeId: application.programmeId,
});

/** The consultant asks for what is missing; the enterprise (and its counsellor) complete and resubmit. */
export const completionRequested = (deps: Dependencies, application: Application, message: string) =>
  requestNotification(deps, {
    id: `${application.id}-r${application.reviewRound}-completion`,
    to: application.contactEmails,
    template: 'completion-requested',
    data: { ...fileRefs(application), partnershipId: application.partnershipId, message },
  });

/** The official notification of the decision to the enterprise (and the filing counsellor). */
export const decisionNotice = (deps: Dependencies, application: Application, recognition: Recognition | null) =>
  requestNotification(deps, {
    id: `${application.id}-decision`,
    to: application.contactEmails,
    template: 'decision',
    data: {
      ...fileRefs(application),
      partnershipId: application.partnershipId,
      decision: application.decision!.decision,
      reasons: application.decision!.reasons,
      recognitionId: recognition?.id ?? null,
      startDate: recognition?.startDate ?? null,
      endDate: recognition?.endDate ?? null,
    },
  });

/** The enterprise and the counsellor hear that the partnership rejected the mandate the file was filed under. */
export function mandateRejected(deps: Dependencies, application: Application, mandate: Mandate, reasons: string) {
  const counsellor = mandate.registeredByEmail ? [mandate.registeredByEmail] : [];
  return requestNotification(deps, {
    id: `mandate-${mandate.registrationId}-rejected`,
    to: [...new Set([mandate.enterpriseEmail, ...application.contactEmails, ...counsellor])].slice(0, 20),
    template: 'generic',
    data: {
      subject: 'Machtiging geweigerd door het partnerschap',
      lines: [
        `Het partnerschap weigerde de machtiging van opleidingsverstrekker ${mandate.providerId} voor onderneming ${application.enterpriseNumber}.`,
        `Motivering: ${reasons}`,
        'De opleidingsverstrekker heeft geen toegang meer tot de erkenningsaanvragen van de onderneming. De onderneming kan het dossier zelf verder opvolgen in het loket.',
      ],
    },
  });
}

/** The enterprise is told of a sanction at the addresses of the recognitions it concerns. */
export async function sanctionNotice(deps: Dependencies, sanction: Sanction, recognitions: Recognition[]) {
  const to = [...new Set(recognitions.flatMap((r) => r.contactEmails))];
  if (!to.length) return;
  await requestNotification(deps, {
    id: `${sanction.id}-sanction`,
    to,
    template: 'sanction',
    data: {
      sanctionId: sanction.id,
      kind: sanction.kind,
      enterpriseNumber: sanction.enterpriseNumber,
      partnershipId: sanction.partnershipId,
      reasons: sanction.reasons,
      recognitions: recognitions.map((r) => ({ id: r.id, establishmentNumber: r.establishmentNumber, programmeId: r.programmeId })),
      until: sanction.until,
    },
  });
}

/** Across partnerships, each partnership whose recognitions the department's exclusion revoked hears it too. */
export async function exclusionByDepartmentNotice(deps: Dependencies, sanction: Sanction, excluded: string, revoked: Recognition[]) {
  const concerned = new Set(revoked.map((r) => r.partnershipId));
  if (!concerned.size) return;
  const partnerships = (await allReference<Partnership>(deps, 'partnerships')).filter((p) => concerned.has(p.id));
  for (const partnership of partnerships) {
    if (!partnership.notificationEmails.length) continue;
    await requestNotification(deps, {
      id: `${sanction.id}-${partnership.id}`,
      to: partnership.notificationEmails,
      template: 'generic',
      data: {
        subject: `Uitsluiting door het departement: onderneming ${sanction.enterpriseNumber}`,
        lines: [
          `Het departement sloot ${excluded} uit${sanction.until ? ` tot ${sanction.until}` : ''}.`,
          `Opgeheven erkenningen van uw partnerschap: ${revoked
            .filter((r) => r.partnershipId === partnership.id)
            .map((r) => r.id)
            .join(', ')}.`,
          `Motivering: ${sanction.reasons}`,
        ],
      },
    });
  }
}

export const appealReceived = (deps: Dependencies, appeal: Appeal) =>
  requestNotification(deps, {
    id: `${appeal.id}-received`,
    to: [deps.config.DEPARTMENT_EMAIL],
    template: 'generic',
    data: {
      subject: `Nieuw beroep van onderneming ${appeal.enterpriseNumber}`,
      lines: [
        `Beroep ${appeal.id} tegen ${appeal.against.kind === 'decision' ? 'een afwijzing' : 'een sanctie'}.`,
        `Bevestig ontvangst en ontvankelijkheid uiterlijk op ${appeal.confirmBy}.`,
      ],
    },
  });

export const appealConfirmed = (deps: Dependencies, appeal: Appeal) =>
  requestNotification(deps, {
    id: `${appeal.id}-confirmed`,
    to: [appeal.contactEmail],
    template: 'generic',
    data: {
      subject: 'Ontvangst van uw beroep',
      lines: [
        `Uw beroep ${appeal.id} werd ontvangen en is ${appeal.confirmation!.admissible ? 'ontvankelijk' : 'niet ontvankelijk'}.`,
        appeal.confirmation!.reasons,
      ],
    },
  });

export const appealDecided = (deps: Dependencies, appeal: Appeal) =>
  requestNotification(deps, {
    id: `${appeal.id}-outcome`,
    to: [appeal.contactEmail],
    template: 'generic',
    data: {
      subject: 'Beslissing over uw beroep',
      lines: [`De beroepscommissie ${appeal.outcome!.outcome === 'upheld' ? 'gaf u gelijk' : 'wees uw beroep af'}.`, appeal.outcome!.reasons],
    },
  });
