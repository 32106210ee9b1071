// The dashboard tasks of recognitions, one factory per task type: who gets it (organisation and roles), its
// title, subject, due date, link and actions. Ids are deterministic per file, round, pause, mentor or appeal, so
// opening one twice opens it once and the step that closes it names the same id (taskIds). Pure; no AWS imports.
import { kboDigits } from './identifiers.ts';
import type { Mandate } from './mandates.ts';
import { organisationKey } from './organisations.ts';
import type { Appeal } from './appeals.ts';
import {
  completionDueOn,
  mentorsToRemindOfTraining,
  recognitionPathId,
  renewalDaysRemaining,
  reviewClock,
  type Application,
  type Recognition,
  type RecognitionMentor,
} from './recognitions.ts';
import { taskTypes, type Task, type TaskType } from './tasks.ts';

const department = organisationKey('department', 'dwse');
const partnershipOf = (partnershipId: string) => organisationKey('partnership', partnershipId);
const enterpriseOf = (enterpriseNumber: string) => organisationKey('enterprise', kboDigits(enterpriseNumber));

/** The ids of the tasks, for the steps that close them. */
export const taskIds = {
  checkCompleteness: (a: Pick<Application, 'id' | 'reviewRound'>) => `completeness:${a.id}:r${a.reviewRound}`,
  /** A file re-opened by an upheld appeal is handled again: a task of its own, since the first one is done. */
  handleApplication: (a: Pick<Application, 'id' | 'reopenedByAppeal'>) =>
    a.reopenedByAppeal ? `handle:${a.id}:appeal:${a.reopenedByAppeal}` : `handle:${a.id}`,
  resumeApplication: (a: Pick<Application, 'id'>, pausedInVersion: number) => `resume:${a.id}:v${pausedInVersion}`,
  reviewOverdue: (a: Pick<Application, 'id'>) => `overdue:${a.id}`,
  checkMentors: (recognitionId: string, mentorId: string) => `mentors:${recognitionId}:${mentorId}`,
  recognitionWithoutMentor: (recognitionId: string) => `no-mentor:${recognitionId}`,
  finishMentorTraining: (recognitionId: string, mentorId: string) => `training:${recognitionId}:${mentorId}`,
  renewRecognition: (recognitionId: string) => `renewal:${recognitionId}`,
  confirmAppeal: (appealId: string) => `appeal-confirm:${appealId}`,
  decideAppeal: (appealId: string) => `appeal-decide:${appealId}`,
  confirmMandate: (m: Pick<Mandate, 'registrationId'>) => `mandate:${m.registrationId}`,
  completeApplication: (a: Pick<Application, 'id' | 'reviewRound'>) => `completion:${a.id}:r${a.reviewRound}`,
  setAvailability: (recognitionId: string) => `availability:${recognitionId}`,
};

/** The enterprise's roles: both its legal representative and its werkplekduaal users act on its files and recognitions. */
const enterpriseRoles = () => ['legalRepresentative', 'user'];

/**
 * Every review task an open file may have open now (the steps that close them each close their own): for a file
 * that ends without a decision, such as one a sanction closes.
 */
export const reviewTasksOf = (
  a: Pick<Application, 'id' | 'enterpriseNumber' | 'reviewRound' | 'partnershipId' | 'pausedInVersion' | 'reopenedByAppeal'>,
): { organisationKey: string; id: string }[] => {
  if (!a.partnershipId) return [];
  const partnership = partnershipOf(a.partnershipId);
  return [
    // The enterprise's own: the completion the partnership asked for.
    { organisationKey: organisationKey('enterprise', kboDigits(a.enterpriseNumber)), id: taskIds.completeApplication(a) },
    { organisationKey: partnership, id: taskIds.checkCompleteness(a) },
    { organisationKey: partnership, id: taskIds.handleApplication(a) },
    ...(a.pausedInVersion ? [{ organisationKey: partnership, id: taskIds.resumeApplication(a, a.pausedInVersion) }] : []),
    { organisationKey: partnership, id: taskIds.reviewOverdue(a) },
    { organisationKey: department, id: taskIds.reviewOverdue(a) },
  ];
};

/** The organisations whose dashboards show a file's overdue task. */
export const overdueAudiences = { partnership: ['consultant', 'votingMember', 'administrator'], department: ['administrator'] } as const;

type Fields = {
  id: string;
  type: TaskType;
  organisationKey: string;
  roles: string[];
  subject: Task['subject'];
  dueDate: string | null;
  actions: string[];
  link: string;
};
const task = (fields: Fields, now: string): Task => ({ ...fields, title: taskTypes[fields.type], status: 'open', createdAt: now, closedAt: null });

// ---- The partnership's work lists ---------------------------------------------------------------------------

/** The file's review deadline when the task opens (reviewClock, as the file shows it and the workflow waits for it). */
const deadlineOf = (a: Application, now: string) => reviewClock(a, new Date(now))?.deadlineOn ?? null;
/**
 * The names a file's task label says instead of ids: the programme's and the establishment's, resolved where the
 * task is built (a task's label is written once, when it opens). An id whose name is unknown shows itself.
 */
export type FileNames = { programme?: string | undefined; establishment?: string | undefined };
export const fileLabel = (a: Pick<Application, 'programmeId' | 'establishmentNumber'>, names: FileNames) =>
  `${names.programme ?? a.programmeId}, vestiging ${names.establishment ? `${names.establishment} (${a.establishmentNumber})` : a.establishmentNumber}`;
const fileSubject = (a: Application, names: FileNames) => ({ kind: 'application' as const, id: a.id, label: fileLabel(a, names) });
const fileLink = (a: Pick<Application, 'id'>) => `/v1/applications/${a.id}`;

/** After a (re)submission: the consultant checks completeness before the 14-day deadline. */
export const checkCompleteness = (a: Application, names: FileNames, now: string): Task =>
  task(
    {
      id: taskIds.checkCompleteness(a),
      type: 'checkCompleteness',
      organisationKey: partnershipOf(a.partnershipId!),
      roles: ['consultant'],
      subject: fileSubject(a, names),
      dueDate: deadlineOf(a, now),
      actions: ['request-completion', 'mark-complete'],
      link: fileLink(a),
    },
    now,
  );

/** From a complete file to the decision: checking and handling are the consultant's, deciding the voting member's. */
export const handleApplication = (a: Application, names: FileNames, now: string): Task =>
  task(
    {
      id: taskIds.handleApplication(a),
      type: 'handleApplication',
      organisationKey: partnershipOf(a.partnershipId!),
      roles: ['consultant', 'votingMember'],
      subject: fileSubject(a, names),
      dueDate: deadlineOf(a, now),
      actions: ['start-review', 'propose', 'decide'],
      link: fileLink(a),
    },
    now,
  );

/** While a file is paused; each pause its own task (named by the version the pause saved). */
export const resumeApplication = (a: Application, pausedInVersion: number, names: FileNames, now: string): Task =>
  task(
    {
      id: taskIds.resumeApplication(a, pausedInVersion),
      type: 'resumeApplication',
      organisationKey: partnershipOf(a.partnershipId!),
      roles: ['consultant'],
      subject: fileSubject(a, names),
      dueDate: deadlineOf(a, now),
      actions: ['resume'],
      link: fileLink(a),
    },
    now,
  );

/**
 * The partnership's review tasks whose due date is the review deadline, each with that deadline as of `now`: a
 * resumed pause moves the deadline by the days paused, and these tasks with it.
 */
export const reviewDueDates = (a: Application, now: string): { organisationKey: string; id: string; dueDate: string | null }[] => [
  { organisationKey: partnershipOf(a.partnershipId!), id: taskIds.checkCompleteness(a), dueDate: deadlineOf(a, now) },
  { organisationKey: partnershipOf(a.partnershipId!), id: taskIds.handleApplication(a), dueDate: deadlineOf(a, now) },
];

/** Day 14 without a decision: the file shows as overdue for the partnership and the department until it is decided. */
export const reviewOverdue = (a: Application, names: FileNames, audience: keyof typeof overdueAudiences, now: string): Task =>
  task(
    {
      id: taskIds.reviewOverdue(a),
      type: 'reviewOverdue',
      organisationKey: audience === 'partnership' ? partnershipOf(a.partnershipId!) : department,
      roles: [...overdueAudiences[audience]],
      subject: fileSubject(a, names),
      dueDate: deadlineOf(a, now),
      actions: ['decide'],
      link: fileLink(a),
    },
    now,
  );

/**
 * The partnership asked for what is missing: the enterprise completes the file and resubmits it before the
 * completion term ends. Each request its own task (named by the round it was asked in); the resubmission closes it.
 */
export const completeApplication = (a: Application, names: FileNames, now: string): Task =>
  task(
    {
      id: taskIds.completeApplication(a),
      type: 'completeApplication',
      organisationKey: enterpriseOf(a.enterpriseNumber),
      roles: enterpriseRoles(),
      subject: fileSubject(a, names),
      dueDate: a.completionRequest ? completionDueOn(a.completionRequest) : null,
      actions: ['update-content', 'submit'],
      link: fileLink(a),
    },
    now,
  );

// ---- Running recognitions -----------------------------------------------------------------------------------

/**
 * The recognition itself (`GET /v1/recognitions/{id}`): every task about one links to it, and its actions name the
 * POSTs under it (renew, the mentor's change, approve or reject a mentor, revoke).
 */
const recognitionLink = (r: Pick<Recognition, 'id'>) => `/v1/recognitions/${recognitionPathId(r.id)}`;
/** The subject names the recognition by the id of its path; the label keeps the official number. */
const recognitionSubject = (r: Pick<Recognition, 'id'>, label: string) => ({ kind: 'recognition' as const, id: recognitionPathId(r.id), label });

/** A recognition by its names: programme, establishment (its name and number) and its official number. */
const recognitionLabel = (r: Recognition) =>
  `${r.workplace.programmeName}, vestiging ${r.workplace.name ? `${r.workplace.name} (${r.establishmentNumber})` : r.establishmentNumber}, erkenning ${r.id}`;

/**
 * A new recognition is not in the public search until the enterprise says a place is free: it sets the free
 * places (PUT availability), which closes the task; so does the end of the recognition.
 */
export const setAvailability = (r: Recognition, now: string): Task =>
  task(
    {
      id: taskIds.setAvailability(r.id),
      type: 'setAvailability',
      organisationKey: enterpriseOf(r.enterpriseNumber),
      roles: enterpriseRoles(),
      subject: recognitionSubject(r, recognitionLabel(r)),
      dueDate: null,
      actions: ['set-availability'],
      link: recognitionLink(r),
    },
    now,
  );

/** A mentor the enterprise added after the recognition waits for the partnership's approval. */
export const checkMentors = (r: Recognition, mentor: { id: string; name: string }, now: string): Task =>
  task(
    {
      id: taskIds.checkMentors(r.id, mentor.id),
      type: 'checkMentors',
      organisationKey: partnershipOf(r.partnershipId),
      roles: ['consultant', 'administrator'],
      subject: recognitionSubject(r, `Mentor ${mentor.name}, ${recognitionLabel(r)}`),
      dueDate: null,
      actions: ['approve-mentor', 'reject-mentor'],
      link: recognitionLink(r),
    },
    now,
  );

/** A recognition left without a valid mentor (withdrawn, inactive, or past the training deadline). */
export const recognitionWithoutMentor = (r: Recognition, now: string): Task =>
  task(
    {
      id: taskIds.recognitionWithoutMentor(r.id),
      type: 'recognitionWithoutMentor',
      organisationKey: partnershipOf(r.partnershipId),
      roles: ['administrator', 'consultant'],
      subject: recognitionSubject(r, `${r.id} (${r.workplace.name ?? r.establishmentNumber})`),
      dueDate: null,
      actions: ['add-mentor', 'revoke'],
      link: recognitionLink(r),
    },
    now,
  );

/** 30 days before a mentor's training deadline, the enterprise reports the training (or the exemption). */
export const finishMentorTraining = (r: Recognition, mentor: RecognitionMentor, now: string): Task =>
  task(
    {
      id: taskIds.finishMentorTraining(r.id, mentor.id),
      type: 'finishMentorTraining',
      organisationKey: enterpriseOf(r.enterpriseNumber),
      roles: enterpriseRoles(),
      subject: recognitionSubject(r, `Mentor ${mentor.name}, erkenning ${r.id}`),
      dueDate: mentor.trainingDeadline,
      actions: ['report-training'],
      link: recognitionLink(r),
    },
    now,
  );

/** From 180 days before a recognition ends, the enterprise decides on its renewal. */
export const renewRecognition = (r: Recognition, now: string): Task =>
  task(
    {
      id: taskIds.renewRecognition(r.id),
      type: 'renewRecognition',
      organisationKey: enterpriseOf(r.enterpriseNumber),
      roles: enterpriseRoles(),
      subject: recognitionSubject(r, `Erkenning: ${r.id} Vestiging: ${r.workplace.name ?? r.establishmentNumber} Opleiding: ${r.workplace.programmeName}`),
      dueDate: r.endDate,
      actions: ['renew'],
      link: recognitionLink(r),
    },
    now,
  );

/**
 * Where the tasks are that a recognition which ended (expired, revoked by a sanction or on a KBO change) no longer
 * asks of the enterprise: its free places, its renewal and its mentors' training.
 */
export const endedRecognitionTasks = (r: Pick<Recognition, 'id' | 'enterpriseNumber' | 'mentors'>): { organisationKey: string; id: string }[] => {
  const organisation = enterpriseOf(r.enterpriseNumber);
  return [taskIds.setAvailability(r.id), taskIds.renewRecognition(r.id), ...r.mentors.map((m) => taskIds.finishMentorTraining(r.id, m.id))].map((id) => ({
    organisationKey: organisation,
    id,
  }));
};

/**
 * What a recognition an upheld appeal restores asks of the enterprise again, as if it had never been revoked: its
 * free places (the revocation took them off the public search), its renewal within the last 180 days and the
 * training of its mentors due within 30 days (the revocation closed those tasks, and the daily job only opens
 * tasks that never existed). Those not due yet the daily job opens on their day.
 */
export const restoredRecognitionTasks = (r: Recognition, today: string, now: string): Task[] => [
  ...(r.placeAvailable ? [] : [setAvailability(r, now)]),
  ...(renewalDaysRemaining(r.endDate, today) !== undefined ? [renewRecognition(r, now)] : []),
  ...mentorsToRemindOfTraining(r, today).map((m) => finishMentorTraining(r, m, now)),
];

// ---- Appeals and mandates -----------------------------------------------------------------------------------

const appealSubject = (a: Appeal) => ({ kind: 'appeal' as const, id: a.id, label: `Beroep van ${a.enterpriseNumber}` });

/** The department confirms receipt and admissibility of a new appeal within 10 calendar days. */
export const confirmAppeal = (a: Appeal, now: string): Task =>
  task(
    {
      id: taskIds.confirmAppeal(a.id),
      type: 'confirmAppeal',
      organisationKey: department,
      roles: ['administrator'],
      subject: appealSubject(a),
      dueDate: a.confirmBy,
      actions: ['confirm'],
      link: `/v1/appeals/${a.id}`,
    },
    now,
  );

/** An admissible appeal waits for the appeal committee's outcome. */
export const decideAppeal = (a: Appeal, now: string): Task =>
  task(
    {
      id: taskIds.decideAppeal(a.id),
      type: 'decideAppeal',
      organisationKey: department,
      roles: ['administrator'],
      subject: appealSubject(a),
      dueDate: null,
      actions: ['record-outcome'],
      link: `/v1/appeals/${a.id}`,
    },
    now,
  );

/** The enterprise's legal representative confirms (or revokes) a mandate a counsellor registered in its name. */
export const confirmMandate = (m: Pick<Mandate, 'enterpriseNumber' | 'providerId' | 'registrationId' | 'registeredAt'>, providerName: string): Task =>
  task(
    {
      id: taskIds.confirmMandate(m),
      type: 'confirmMandate',
      organisationKey: enterpriseOf(m.enterpriseNumber),
      roles: ['legalRepresentative'],
      subject: { kind: 'mandate', id: `${kboDigits(m.enterpriseNumber)}/${m.providerId}`, label: `Machtiging voor ${providerName}` },
      dueDate: null,
      actions: ['confirm-mandate', 'revoke-mandate'],
      link: `/v1/mandates/${kboDigits(m.enterpriseNumber)}/${m.providerId}`,
    },
    m.registeredAt,
  );
