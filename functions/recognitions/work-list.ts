// The partnership's work lists as dashboard tasks, with the real counter's names: "Volledigheid erkenning
// controleren" while a (re)submitted file waits for the completeness check, "Erkenning behandelen" from a
// complete file to the decision, "Hervatten" while a file is paused, "Mentoren controleren" while a mentor
// added after the recognition waits for approval. Opened and closed right after the status change they follow:
// ids are deterministic per round, pause or mentor (shared/domain/recognition-tasks.ts), and openTask/closeTask
// are idempotent, so a retried request (or one that failed between the save and the task) converges on the
// same tasks.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { checkCompleteness, checkMentors, handleApplication, resumeApplication, taskIds } from '../../shared/domain/recognition-tasks.ts';
import type { Application, PartnershipAction, Recognition } from '../../shared/domain/recognitions.ts';

const partnershipOf = (a: Pick<Application, 'partnershipId'>) => organisationKey('partnership', a.partnershipId!);
const now = (deps: Dependencies) => deps.clock.now().toISOString();

/** After a (re)submission: the consultant checks completeness before the 14-day deadline. */
export const onSubmitted = (deps: Dependencies, a: Application) => openTask(deps, checkCompleteness(a, now(deps)));

/** After a partnership step: close what the step did, open what comes next. */
export async function onPartnershipTransition(deps: Dependencies, before: Application, after: Application, action: PartnershipAction) {
  const partnership = partnershipOf(after);
  if (action === 'request-completion' || action === 'mark-complete') await closeTask(deps, partnership, taskIds.checkCompleteness(before));
  if (action === 'mark-complete') await openTask(deps, handleApplication(after, now(deps)));
  if (action === 'pause' && after.pausedInVersion) await openTask(deps, resumeApplication(after, after.pausedInVersion, now(deps)));
  if (action === 'resume' && before.pausedInVersion) await closeTask(deps, partnership, taskIds.resumeApplication(before, before.pausedInVersion));
}

/**
 * The decision closes the handling task (and a completeness task left open, for a file decided otherwise), and
 * the overdue tasks of a file that went past its deadline.
 */
export async function onDecided(deps: Dependencies, a: Application) {
  await closeTask(deps, partnershipOf(a), taskIds.handleApplication(a));
  await closeTask(deps, partnershipOf(a), taskIds.checkCompleteness(a));
  if (a.overdue) {
    await closeTask(deps, partnershipOf(a), taskIds.reviewOverdue(a));
    await closeTask(deps, organisationKey('department', 'dwse'), taskIds.reviewOverdue(a));
  }
}

export const onMentorRequested = (deps: Dependencies, recognition: Recognition, mentor: { id: string; name: string }) =>
  openTask(deps, checkMentors(recognition, mentor, now(deps)));

export const onMentorHandled = (deps: Dependencies, recognition: Pick<Recognition, 'id' | 'partnershipId'>, mentorId: string) =>
  closeTask(deps, organisationKey('partnership', recognition.partnershipId), taskIds.checkMentors(recognition.id, mentorId));
