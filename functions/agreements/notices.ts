// What the parties of an agreement are told, and which tasks an end closes. The model's parties are the learner
// (and a minor's legal representative), the enterprise and the training provider (article 12: "de drie partijen");
// the partnership is no party. The agreement holds no e-mail address of the learner, so the learner hears of it
// through the counsellor and the enterprise, who are mailed: the agreement's counsellor, and the enterprise's
// contacts on the recognition of the workplace (the addresses its applications gave).
import { closeAgreementTasks } from '../../shared/data/agreement-tasks.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { followUpSuspensionRef } from '../../shared/domain/agreement-tasks.ts';
import type { Agreement, Suspension } from '../../shared/domain/agreements.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';

const learnerName = (a: Agreement) => `${a.learner.firstName} ${a.learner.lastName}`;
/** The notifications envelope takes at most 20 addresses. */
const maximumRecipients = 20;

/** The addresses of the parties that have one: the counsellor first, then the enterprise's contacts. */
export async function partiesToMail(deps: Dependencies, agreement: Agreement): Promise<string[]> {
  const recognition = agreement.recognitionId ? await getRecognition(deps, agreement.recognitionId) : undefined;
  const all = [agreement.counsellor.email, ...(recognition?.contactEmails ?? [])].filter((e) => e !== '');
  return [...new Set(all)].slice(0, maximumRecipients);
}

/** Requests the e-mail when it has someone to go to (an agreement without any address is told through the portal only). */
export async function mailParties(deps: Dependencies, message: NotificationRequest): Promise<void> {
  if (message.to.length) await requestNotification(deps, message);
}

/** The end just recorded: an early end (at once or on a later day), or a normal end the counsellor recorded. */
export function endingMail(agreement: Agreement, to: string[], scheduled: boolean): NotificationRequest {
  const ending = agreement.ending!;
  if (ending.kind === 'early' || scheduled)
    return {
      id: `ended-early-${agreement.id}`,
      to,
      template: 'agreement-ended-early',
      data: { agreementId: agreement.id, learnerName: learnerName(agreement), endedOn: ending.date, reason: ending.reason, scheduled },
    };
  return endedMail(agreement, to);
}

/** The agreement has ended (the daily job, or a normal end recorded on its day). */
export function endedMail(agreement: Agreement, to: string[]): NotificationRequest {
  const ending = agreement.ending!;
  return {
    id: `ended-${agreement.id}`,
    to,
    template: 'agreement-ended',
    data: { agreementId: agreement.id, learnerName: learnerName(agreement), endedOn: agreement.endDate, early: ending.kind === 'early', reason: ending.reason },
  };
}

/** To the agreement's counsellor: a suspension to follow up. */
export function suspensionReportedMail(agreement: Agreement, suspension: Suspension): NotificationRequest {
  return {
    id: `suspension-${suspension.id}`,
    to: [agreement.counsellor.email].filter(Boolean),
    template: 'suspension-reported',
    data: {
      agreementId: agreement.id,
      learnerName: learnerName(agreement),
      from: suspension.from,
      to: suspension.to,
      reportedBy: suspension.reportedBy ?? 'provider',
    },
  };
}

/**
 * An ended agreement leaves nothing to follow up: the tasks of its unacknowledged suspensions close. An addendum
 * still to sign keeps its task: the seed keeps "Addendum afwerken" until the signed addendum is registered.
 */
export async function closeEndedAgreementTasks(deps: Dependencies, agreement: Agreement): Promise<number> {
  // An addendum of an ended agreement is signed by nobody any more (its counsellor's task stays: see the seed).
  await closeAgreementTasks(deps, agreement.id, ['signAddendum']);
  const open = agreement.suspensions.filter((s) => s.reported && !s.acknowledged);
  for (const s of open) {
    const ref = followUpSuspensionRef(agreement, s.id);
    await closeTask(deps, ref.organisationKey, ref.id);
  }
  return open.length;
}
