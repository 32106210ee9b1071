// The partnership's work lists as dashboard tasks, with the real counter's names: "Volledigheid erkenning
// controleren" while a (re)submitted file waits for the completeness check, "Erkenning behandelen" from a
// complete file to the decision, "Hervatten" while a file is paused, "Mentoren controleren" while a mentor
// added after the recognition waits for approval. Opened and closed right after the status change they follow:
// ids are deterministic per round, pause or mentor, and openTask/closeTask are idempotent, so a retried
// request (or one that failed between the save and the task) converges on the same tasks.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import type { Application } from '../../shared/data/applications.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { reviewClock } from '../../shared/domain/recognitions.ts';
import { taskTypes, type TaskType } from '../../shared/domain/tasks.ts';

export const completenessTaskId = (a: Pick<Application, 'id' | 'reviewRound'>) => `completeness:${a.id}:r${a.reviewRound}`;
export const handleTaskId = (a: Pick<Application, 'id'>) => `handle:${a.id}`;
export const resumeTaskId = (a: Pick<Application, 'id'>, pausedInVersion: number) => `resume:${a.id}:v${pausedInVersion}`;
export const mentorTaskId = (recognitionId: string, mentorId: string) => `mentors:${recognitionId}:${mentorId}`;

const partnershipOf = (a: Application) => organisationKey('partnership', a.partnershipId!);
const deadlineOf = (a: Application) => (a.clockStartedAt ? reviewClock(a.clockStartedAt.slice(0, 10)).deadlineOn : null);

async function openApplicationTask(deps: Dependencies, a: Application, id: string, type: TaskType, roles: string[], actions: string[]) {
  await openTask(deps, {
    id,
    type,
    title: taskTypes[type],
    organisationKey: partnershipOf(a),
    roles,
    subject: { kind: 'application', id: a.id, label: `${a.establishmentNumber} - ${a.programmeId}` },
    dueDate: deadlineOf(a),
    actions,
    link: `/v1/applications/${a.id}`,
    status: 'open',
    createdAt: deps.clock.now().toISOString(),
    closedAt: null,
  });
}

/** After a (re)submission: the consultant checks completeness before the 14-day deadline. */
export const onSubmitted = (deps: Dependencies, a: Application) =>
  openApplicationTask(deps, a, completenessTaskId(a), 'checkCompleteness', ['consultant'], ['request-completion', 'mark-complete']);

/** After a partnership transition: close what the action did, open what comes next. */
export async function onPartnershipTransition(
  deps: Dependencies,
  before: Application,
  after: Application,
  action: 'request-completion' | 'mark-complete' | 'start-review' | 'pause' | 'resume',
) {
  const partnership = partnershipOf(after);
  if (action === 'request-completion' || action === 'mark-complete') await closeTask(deps, partnership, completenessTaskId(before));
  // Checking and handling are the consultant's (start the review, propose); deciding is the voting member's.
  if (action === 'mark-complete')
    await openApplicationTask(deps, after, handleTaskId(after), 'handleApplication', ['consultant', 'votingMember'], ['start-review', 'propose', 'decide']);
  if (action === 'pause' && after.pausedInVersion)
    await openApplicationTask(deps, after, resumeTaskId(after, after.pausedInVersion), 'resumeApplication', ['consultant'], ['resume']);
  if (action === 'resume' && before.pausedInVersion) await closeTask(deps, partnership, resumeTaskId(before, before.pausedInVersion));
}

/** The decision closes the handling task (and a completeness task left open, for a file decided otherwise). */
export async function onDecided(deps: Dependencies, a: Application) {
  await closeTask(deps, partnershipOf(a), handleTaskId(a));
  await closeTask(deps, partnershipOf(a), completenessTaskId(a));
}

export const onMentorRequested = (
  deps: Dependencies,
  recognition: { id: string; partnershipId: string; establishmentNumber: string },
  mentor: { id: string; name: string },
  at: string,
) =>
  openTask(deps, {
    id: mentorTaskId(recognition.id, mentor.id),
    type: 'checkMentors',
    title: taskTypes.checkMentors,
    organisationKey: organisationKey('partnership', recognition.partnershipId),
    roles: ['consultant', 'administrator'],
    subject: { kind: 'recognition', id: recognition.id, label: `${recognition.id} - ${recognition.establishmentNumber}` },
    dueDate: null,
    actions: ['approve-mentor', 'reject-mentor'],
    link: `/v1/recognitions/${encodeURIComponent(recognition.id)}`,
    status: 'open',
    createdAt: at,
    closedAt: null,
  });

export const onMentorHandled = (deps: Dependencies, recognition: { id: string; partnershipId: string }, mentorId: string) =>
  closeTask(deps, organisationKey('partnership', recognition.partnershipId), mentorTaskId(recognition.id, mentorId));
