// Sanctions by the partnership's administrator, after coaching: withdraw a mentor, revoke a recognition, or
// exclude an establishment or a whole enterprise (all its recognitions revoked, no new submissions). Each is
// recorded with what it does in one transaction (shared/data/sanctions.ts), then the enterprise is told.
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { openApplicationsOfEnterprise } from '../../shared/data/applications.ts';
import { readActor } from '../../shared/data/users.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { excludeWithRevocations, recognitionsToExclude, revokeRecognition, withdrawMentors } from '../../shared/data/sanctions.ts';
import { recognitionsNamingPerson } from '../../shared/data/recognitions.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { formatEnterpriseNumber, kboDigits } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { reviewTasksOf, taskIds } from '../../shared/domain/recognition-tasks.ts';
import { activeRefusal, type Application, type Recognition } from '../../shared/domain/recognitions.ts';
import { exclusionScope, filesToClose, newSanction, personWithdrawal, renewalsToClose, type Sanction } from '../../shared/domain/sanctions.ts';
import { staleVersion, unwrap } from '../../shared/http/conflicts.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { loadRecognition } from './access.ts';
import { exclusionConflicts, nothingToExclude, refuseIf, revocationConflicts, sanctionConflicts } from './conflicts.ts';
import { exclusionByDepartmentNotice, filesClosedNotice, personSanctionNotices, sanctionNotice } from './notices.ts';
import type { ExclusionBody } from './schemas.ts';
import { onMentorsChanged } from './work-list.ts';
import { fullRecognitionView, sanctionForView } from './views.ts';

/** A recognition the acting partnership decided: only those it may sanction. */
const ownRecognition = async (id: string, acting: ActingOrganisation, deps: Dependencies) =>
  (await loadRecognition(id, acting, deps, ['competentPartnership'], sanctionConflicts)).recognition;

/** The sanction and the recognition it changed, as the partnership that decided it sees them. */
const sanctioned = (sanction: Sanction, recognition: Recognition) => ({
  sanction: sanctionForView(sanction),
  recognition: fullRecognitionView(recognition, 'competentPartnership'),
});

const sanctionOf = (
  kind: Sanction['kind'],
  recognition: Recognition,
  subject: string,
  reasons: string,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
  closedApplications: Application[] = [],
) =>
  newSanction({
    id: ulid(),
    kind,
    enterpriseNumber: recognition.enterpriseNumber,
    subject,
    reasons,
    until: null,
    acting,
    by: principal.userId,
    now: deps.clock.now().toISOString(),
    affectedRecognitions: [recognition.id],
    closedApplications: closedApplications.map((a) => a.id),
  });

/**
 * After a sanction closed open files: their review tasks close (their review round's execution finishes at its
 * next Plan step, since the file is no longer under review) and their parties are told.
 */
async function afterFilesClosed(deps: Dependencies, sanction: Sanction, closed: Application[]) {
  for (const { organisationKey, id } of closed.flatMap(reviewTasksOf)) await closeTask(deps, organisationKey, id);
  await filesClosedNotice(deps, sanction, closed);
}

/** Revokes the recognition at the version the administrator read (If-Match), so a revocation never acts on a stale read. */
export async function revoke(
  id: string,
  reasons: string,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const recognition = await ownRecognition(id, acting, deps);
  refuseIf(activeRefusal(recognition), sanctionConflicts);
  refuseIf(staleVersion(recognition, ifMatch), revocationConflicts);
  const renewals = renewalsToClose(await openApplicationsOfEnterprise(deps, kboDigits(recognition.enterpriseNumber)), recognition);
  const sanction = sanctionOf('revokeRecognition', recognition, recognition.id, reasons, principal, acting, deps, renewals);
  const { revoked, closed } = unwrap(
    await revokeRecognition(deps, recognition, sanction, renewals, (await readActor(deps, principal, acting)).actor),
    revocationConflicts,
  );
  await sanctionNotice(deps, sanction, [recognition]);
  await afterFilesClosed(deps, sanction, closed);
  await dispatchSoon(deps);
  return { status: 200, body: sanctioned(sanction, revoked[0]!), version: revoked[0]!.version };
}

/**
 * A withdrawn mentor no longer counts, wherever the same person (by person key) is named as a mentor, at this
 * enterprise or another (a sanction on the person): in one transaction, each recognition conditional on its version
 * with its history entry. Each recognition left without an active mentor becomes a task of its partnership, each
 * enterprise's training tasks for the person close, and each enterprise is told of its own recognitions.
 */
export async function withdrawMentor(
  id: string,
  mentorId: string,
  reasons: string,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const recognition = await ownRecognition(id, acting, deps);
  refuseIf(staleVersion(recognition, ifMatch), sanctionConflicts);
  const person = recognition.mentors.find((m) => m.id === mentorId)?.personKey;
  const others = person ? await recognitionsNamingPerson(deps, person, null) : [];
  const draft = sanctionOf('withdrawMentor', recognition, `${recognition.id}#${mentorId}`, reasons, principal, acting, deps);
  const { actor } = await readActor(deps, principal, acting);
  const withdrawals = unwrap(personWithdrawal(recognition, mentorId, others, draft, actor), sanctionConflicts);
  const sanction: Sanction = {
    ...draft,
    affectedRecognitions: withdrawals.map((w) => w.recognition.id),
    withdrawnMentors: withdrawals.map((w) => ({ recognitionId: w.recognition.id, mentorId: w.mentorId })),
  };
  const saved = unwrap(await withdrawMentors(deps, { withdrawals, sanction }), sanctionConflicts);
  await onMentorsChanged(deps, saved, sanction.decidedAt);
  // A withdrawn mentor is no longer trained for these recognitions: each enterprise's training tasks for them close.
  for (const w of withdrawals)
    await closeTask(deps, organisationKey('enterprise', kboDigits(w.recognition.enterpriseNumber)), taskIds.finishMentorTraining(w.recognition.id, w.mentorId));
  await personSanctionNotices(deps, sanction, saved);
  await dispatchSoon(deps);
  return { status: 200, body: sanctioned(sanction, saved[0]!), version: saved[0]!.version };
}

/**
 * Excludes an establishment or a whole enterprise, temporarily or for good. Its open files (a renewal, an
 * application) that the excluding partnership (or any, for the department) reviews close with it. A partnership excludes for its own
 * competence: the recognitions it decided there are revoked and new applications routed to it are refused; it
 * may only exclude where it recognised a workplace (active or not). The department excludes across
 * partnerships: every recognition there is revoked and no partnership takes a new application. Whole or not at
 * all: one transaction (excludeWithRevocations), and the enterprise and every partnership concerned are told.
 */
export async function exclude(input: ExclusionBody, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { level, enterpriseNumber, establishmentNumber } = input;
  const found = unwrap(
    await recognitionsToExclude(deps, { level, enterpriseDigits: enterpriseNumber, establishmentDigits: establishmentNumber }),
    exclusionConflicts,
  );
  const scope = exclusionScope(found, acting);
  if (!scope.ok) throw nothingToExclude(level);
  const files = filesToClose(await openApplicationsOfEnterprise(deps, enterpriseNumber), { level, establishmentDigits: establishmentNumber }, acting);
  const subject = level === 'enterprise' ? enterpriseNumber : establishmentNumber!;
  const sanction = newSanction({
    id: ulid(),
    kind: level === 'enterprise' ? 'excludeEnterprise' : 'excludeEstablishment',
    enterpriseNumber: formatEnterpriseNumber(enterpriseNumber),
    subject,
    reasons: input.reasons,
    until: input.until,
    acting,
    by: principal.userId,
    now: deps.clock.now().toISOString(),
    affectedRecognitions: scope.value.map((r) => r.id),
    closedApplications: files.map((a) => a.id),
  });
  const { actor } = await readActor(deps, principal, acting);
  const done = await excludeWithRevocations(deps, { sanction, level, subjectDigits: subject, recognitions: scope.value, files, actor });
  const { revoked, closed } = unwrap(done, exclusionConflicts);
  await sanctionNotice(deps, sanction, revoked, found);
  await afterFilesClosed(deps, sanction, closed);
  if (acting.type === 'department') await exclusionByDepartmentNotice(deps, sanction, revoked);
  await dispatchSoon(deps);
  return { status: 200, body: { sanction: sanctionForView(sanction) } };
}
