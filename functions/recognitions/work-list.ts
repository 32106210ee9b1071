// The partnership's work lists as dashboard tasks, with the real counter's names: "Volledigheid erkenning
// controleren" while a (re)submitted file waits for the completeness check, "Erkenning behandelen" from a
// complete file to the decision, "Hervatten" while a file is paused, "Mentoren controleren" while a mentor
// added after the recognition waits for approval. And the enterprise's side of the same steps: "Vervolledig uw
// erkenningsaanvraag" from a completion request to the resubmission, "Vrije plaatsen instellen" from the
// recognition until it sets its availability, and closing its renewal task when the renewal is submitted.
// Opened and closed right after the status change they follow: ids are deterministic per round, pause or mentor
// (shared/domain/recognition-tasks.ts), and openTask/closeTask are idempotent, so a retried request (or one that
// failed between the save and the task) converges on the same tasks.
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { readMailNames } from '../../shared/data/mail-names.ts';
import { closeTask, moveTaskDueDate, openTask } from '../../shared/data/tasks.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import {
  reviewDueDates,
  checkCompleteness,
  checkMentors,
  completeApplication,
  endedRecognitionTasks,
  handleApplication,
  recognitionWithoutMentor,
  resumeApplication,
  setAvailability,
  taskIds,
  type FileNames,
} from '../../shared/domain/recognition-tasks.ts';
import { withoutValidMentor, type Application, type PartnershipAction, type Recognition } from '../../shared/domain/recognitions.ts';

const partnershipOf = (a: Pick<Application, 'partnershipId'>) => organisationKey('partnership', a.partnershipId!);
const enterpriseOf = (a: Pick<Application | Recognition, 'enterpriseNumber'>) => organisationKey('enterprise', kboDigits(a.enterpriseNumber));
const now = (deps: Dependencies) => deps.clock.now().toISOString();

/**
 * The programme's and the establishment's names for a file's task labels, read as the e-mails read them
 * (shared/data/mail-names.ts): a label is written once, when its task opens, so it is resolved here and not kept
 * on the file, where a KBO name change would leave a stale copy.
 */
export async function fileNames(deps: Dependencies, a: Application): Promise<FileNames> {
  const names = await readMailNames(deps, {
    programmeIds: [a.programmeId],
    establishments: [{ enterpriseNumber: a.enterpriseNumber, establishmentNumber: a.establishmentNumber }],
  });
  return { programme: names.programmes.get(a.programmeId), establishment: names.establishments.get(kboDigits(a.establishmentNumber)) };
}

/**
 * After a (re)submission: the consultant checks completeness before the 14-day deadline. The enterprise's
 * completion task of the previous round, and for a renewal its renewal task, are done.
 */
export async function onSubmitted(deps: Dependencies, a: Application) {
  await openTask(deps, checkCompleteness(a, await fileNames(deps, a), now(deps)));
  if (a.reviewRound > 1) await closeTask(deps, enterpriseOf(a), taskIds.completeApplication({ id: a.id, reviewRound: a.reviewRound - 1 }));
  if (a.renewsRecognitionId) await closeTask(deps, enterpriseOf(a), taskIds.renewRecognition(a.renewsRecognitionId));
}

/** After a partnership step: close what the step did, open what comes next. */
export async function onPartnershipTransition(deps: Dependencies, before: Application, after: Application, action: PartnershipAction) {
  const partnership = partnershipOf(after);
  if (action === 'request-completion' || action === 'mark-complete') await closeTask(deps, partnership, taskIds.checkCompleteness(before));
  if (action === 'mark-complete') await openTask(deps, handleApplication(after, await fileNames(deps, after), now(deps)));
  if (action === 'pause' && after.pausedInVersion)
    await openTask(deps, resumeApplication(after, after.pausedInVersion, await fileNames(deps, after), now(deps)));
  if (action === 'resume' && before.pausedInVersion) await closeTask(deps, partnership, taskIds.resumeApplication(before, before.pausedInVersion));
  if (action === 'resume') for (const t of reviewDueDates(after, now(deps))) await moveTaskDueDate(deps, t.organisationKey, t.id, t.dueDate);
  if (action === 'request-completion') await openTask(deps, completeApplication(after, await fileNames(deps, after), now(deps)));
}

/**
 * The decision closes the handling task (and a completeness task left open, for a file decided otherwise), and
 * the overdue tasks of a file that went past its deadline. A new recognition is not in the public search until
 * the enterprise sets its free places: that is the enterprise's task now.
 */
export async function onDecided(deps: Dependencies, a: Application, recognition: Recognition | null) {
  await closeTask(deps, partnershipOf(a), taskIds.handleApplication(a));
  await closeTask(deps, partnershipOf(a), taskIds.checkCompleteness(a));
  if (a.overdue) {
    await closeTask(deps, partnershipOf(a), taskIds.reviewOverdue(a));
    await closeTask(deps, organisationKey('department', 'dwse'), taskIds.reviewOverdue(a));
  }
  if (recognition && !recognition.placeAvailable) await openTask(deps, setAvailability(recognition, now(deps)));
}

/** A recognition that ended asks nothing more of the enterprise (shared/domain/recognition-tasks.ts endedRecognitionTasks). */
export async function onRecognitionEnded(deps: Dependencies, recognition: Pick<Recognition, 'id' | 'enterpriseNumber' | 'mentors'>) {
  for (const ref of endedRecognitionTasks(recognition)) await closeTask(deps, ref.organisationKey, ref.id);
}

export const onMentorRequested = (deps: Dependencies, recognition: Recognition, mentor: { id: string; name: string }) =>
  openTask(deps, checkMentors(recognition, mentor, now(deps)));

export const onMentorHandled = (deps: Dependencies, recognition: Pick<Recognition, 'id' | 'partnershipId'>, mentorId: string) =>
  closeTask(deps, organisationKey('partnership', recognition.partnershipId), taskIds.checkMentors(recognition.id, mentorId));

/**
 * "Erkenning zonder geldige mentor behandelen" for each recognition a change of mentors saved (a withdrawal, a
 * deactivation, an approval that aligned a person's deadline) that is left without a mentor who counts on the day
 * of `at`: the same rule (withoutValidMentor) as the `suspended` event saved with the change, so the partnership
 * gets the task exactly when the feed says suspended. The nightly job opens it when a training deadline passes.
 */
export async function onMentorsChanged(deps: Dependencies, saved: readonly Recognition[], at: string) {
  const today = brusselsDate(new Date(at));
  for (const r of saved) if (withoutValidMentor(r, today)) await openTask(deps, recognitionWithoutMentor(r, at));
}

/** After an approval: the approved mentor's recognition closes its task once a mentor counts there again. */
export async function onMentorApproved(deps: Dependencies, saved: readonly [Recognition, ...Recognition[]], at: string) {
  const [approved] = saved;
  if (!withoutValidMentor(approved, brusselsDate(new Date(at))))
    await closeTask(deps, organisationKey('partnership', approved.partnershipId), taskIds.recognitionWithoutMentor(approved.id));
  await onMentorsChanged(deps, saved, at);
}
