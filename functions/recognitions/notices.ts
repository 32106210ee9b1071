// The e-mails of the recognitions context: who is told what at each step. Each e-mail's id names what it is
// about, so a retried step still sends it once (events/notification-requested.ts).
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { allReference } from '../../shared/data/reference.ts';
import type { Mandate } from '../../shared/domain/mandates.ts';
import type { Appeal, AppealEffect, AppealFacts } from '../../shared/domain/appeals.ts';
import type { RunningAgreement } from '../../shared/domain/agreements.ts';
import { completionDueOn, type Application, type Recognition } from '../../shared/domain/recognitions.ts';
import type { Sanction } from '../../shared/domain/sanctions.ts';
import type { Partnership } from '../../shared/domain/reference.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';

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
    data: {
      ...fileRefs(application),
      partnershipId: application.partnershipId,
      message,
      dueOn: application.completionRequest ? completionDueOn(application.completionRequest) : null,
    },
  });

/** The enterprise (and the filing counsellor) get an acknowledgement of every (re)submission: to whom it went, and by when it is decided. */
export const submissionReceived = (deps: Dependencies, application: Application, round: number, deadlineOn: string | null) =>
  requestNotification(deps, {
    id: `${application.id}-r${round}-received`,
    to: application.contactEmails,
    template: 'application-received',
    data: { ...fileRefs(application), partnershipId: application.partnershipId, round, deadlineOn },
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
    template: 'mandate-rejected',
    data: {
      applicationId: application.id,
      enterpriseNumber: application.enterpriseNumber,
      providerId: mandate.providerId,
      partnershipId: mandate.rejection?.partnershipId ?? application.partnershipId,
      reasons,
    },
  });
}

/**
 * The enterprise is told of a sanction at the addresses of the recognitions it concerns. An exclusion names the
 * recognitions it revoked but is sent to the addresses of every recognition it found (`addressesFrom`): an
 * enterprise whose recognitions had all ended already is excluded all the same, and must hear it.
 */
export async function sanctionNotice(deps: Dependencies, sanction: Sanction, recognitions: Recognition[], addressesFrom: Recognition[] = recognitions) {
  const to = [...new Set(addressesFrom.flatMap((r) => r.contactEmails))].slice(0, 20);
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
      recognitions: recognitionRefs(recognitions),
      until: sanction.until,
    },
  });
}

/**
 * A sanction on a mentor person reaches every enterprise naming them: each is told of its own recognitions only, at
 * their addresses (the sanctioned recognition's enterprise under the sanction's usual mail id).
 */
export async function personSanctionNotices(deps: Dependencies, sanction: Sanction, recognitions: Recognition[]) {
  const byEnterprise = new Map<string, Recognition[]>();
  for (const r of recognitions) byEnterprise.set(kboDigits(r.enterpriseNumber), [...(byEnterprise.get(kboDigits(r.enterpriseNumber)) ?? []), r]);
  for (const [digits, own] of byEnterprise) {
    const to = [...new Set(own.flatMap((r) => r.contactEmails))].slice(0, 20);
    if (!to.length) continue;
    const sanctioned = digits === kboDigits(sanction.enterpriseNumber);
    await requestNotification(deps, {
      id: sanctioned ? `${sanction.id}-sanction` : `${sanction.id}-sanction-${digits}`,
      to,
      template: 'sanction',
      data: {
        sanctionId: sanction.id,
        kind: sanction.kind,
        enterpriseNumber: own[0]!.enterpriseNumber,
        partnershipId: sanction.partnershipId,
        reasons: sanction.reasons,
        recognitions: recognitionRefs(own),
        until: sanction.until,
      },
    });
  }
}

const recognitionRefs = (recognitions: readonly Recognition[]) =>
  recognitions.map((r) => ({ id: r.id, establishmentNumber: r.establishmentNumber, programmeId: r.programmeId }));

/** Across partnerships, each partnership whose recognitions the department's exclusion revoked hears it too. */
export async function exclusionByDepartmentNotice(deps: Dependencies, sanction: Sanction, revoked: Recognition[]) {
  const concerned = new Set(revoked.map((r) => r.partnershipId));
  if (!concerned.size) return;
  const partnerships = (await allReference<Partnership>(deps, 'partnerships')).filter((p) => concerned.has(p.id));
  for (const partnership of partnerships) {
    if (!partnership.notificationEmails.length) continue;
    await requestNotification(deps, {
      id: `${sanction.id}-${partnership.id}`,
      to: partnership.notificationEmails,
      template: 'department-exclusion',
      data: {
        sanctionId: sanction.id,
        kind: sanction.kind === 'excludeEstablishment' ? 'excludeEstablishment' : 'excludeEnterprise',
        enterpriseNumber: sanction.enterpriseNumber,
        establishmentNumber: sanction.kind === 'excludeEstablishment' ? sanction.subject : null,
        partnershipId: partnership.id,
        reasons: sanction.reasons,
        recognitions: recognitionRefs(revoked.filter((r) => r.partnershipId === partnership.id)),
        until: sanction.until,
      },
    });
  }
}

/**
 * The parties of each file a sanction closed: the enterprise and the filing counsellor (the file's addresses) and
 * the partnership that was reviewing it. One e-mail per file, named by the sanction and the file.
 */
export async function filesClosedNotice(deps: Dependencies, sanction: Sanction, closed: Application[]) {
  if (!closed.length) return;
  const partnerships = new Map((await allReference<Partnership>(deps, 'partnerships')).map((p) => [p.id, p]));
  for (const application of closed) {
    const partnership = application.partnershipId ? partnerships.get(application.partnershipId) : undefined;
    const to = [...new Set([...application.contactEmails, ...(partnership?.notificationEmails ?? [])])].slice(0, 20);
    if (!to.length) continue;
    await requestNotification(deps, {
      id: `${sanction.id}-${application.id}-closed`,
      to,
      template: 'application-closed',
      data: {
        ...fileRefs(application),
        partnershipId: application.partnershipId,
        sanctionId: sanction.id,
        // Only a revocation or an exclusion closes files; a mentor's withdrawal leaves them open.
        kind: sanction.kind === 'withdrawMentor' ? 'revokeRecognition' : sanction.kind,
        decidedBy: sanction.partnershipId,
        reasons: sanction.reasons,
      },
    });
  }
}

export const appealReceived = (deps: Dependencies, appeal: Appeal) =>
  requestNotification(deps, {
    id: `${appeal.id}-received`,
    to: [deps.config.DEPARTMENT_EMAIL],
    template: 'appeal-received',
    data: { appealId: appeal.id, enterpriseNumber: appeal.enterpriseNumber, against: appeal.against.kind, confirmBy: appeal.confirmBy },
  });

export const appealConfirmed = (deps: Dependencies, appeal: Appeal) =>
  requestNotification(deps, {
    id: `${appeal.id}-confirmed`,
    to: [appeal.contactEmail],
    template: 'appeal-confirmed',
    data: {
      appealId: appeal.id,
      enterpriseNumber: appeal.enterpriseNumber,
      admissible: appeal.confirmation!.admissible,
      reasons: appeal.confirmation!.reasons,
    },
  });

const appealEffects = { none: 'none', restoreRecognitions: 'recognitionsRestored', restoreMentor: 'mentorRestored', reopenFile: 'fileReopened' } as const;

/**
 * The committee's outcome, to the enterprise (the appeal's address, and those of the recognitions or the file it
 * changed) and to the partnership whose decision or sanction it was, with what the outcome changed.
 */
export async function appealDecided(
  deps: Dependencies,
  appeal: Appeal,
  effect: AppealEffect,
  changed: { recognitions: Recognition[]; application: Application | undefined },
  facts: AppealFacts,
) {
  const partnershipId = (appeal.against.kind === 'decision' ? facts.application?.partnershipId : facts.sanction?.partnershipId) ?? null;
  const partnership = partnershipId ? (await allReference<Partnership>(deps, 'partnerships')).find((p) => p.id === partnershipId) : undefined;
  const to = [
    appeal.contactEmail,
    ...changed.recognitions.flatMap((r) => r.contactEmails),
    ...(changed.application?.contactEmails ?? []),
    ...(partnership?.notificationEmails ?? []),
  ];
  await requestNotification(deps, {
    id: `${appeal.id}-outcome`,
    to: [...new Set(to)].slice(0, 20),
    template: 'appeal-decided',
    data: {
      appealId: appeal.id,
      enterpriseNumber: appeal.enterpriseNumber,
      outcome: appeal.outcome!.outcome,
      reasons: appeal.outcome!.reasons,
      effect: appealEffects[effect.kind],
      partnershipId,
      recognitions: recognitionRefs(changed.recognitions),
      applicationId: changed.application?.id ?? null,
    },
  });
}

/** The counsellor of a running agreement on a restored recognition: the revocation's "Opheffing verwerken" no longer stands. */
export async function recognitionRestoredNotice(deps: Dependencies, appealId: string, link: RunningAgreement, recognition: Recognition) {
  if (!link.counsellor.email) return;
  await requestNotification(deps, {
    id: `${appealId}-restored-${link.agreementId}`,
    to: [link.counsellor.email],
    template: 'recognition-restored',
    data: { agreementId: link.agreementId, learnerName: link.learnerName, recognitionId: recognition.id },
  });
}
