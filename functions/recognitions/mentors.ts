// Mentors after the recognition: the enterprise adds one (same documents and checks, then the partnership
// approves), deactivates and reactivates them, and reports mentor training; the partnership sees the deadline.
import { ulid } from 'ulid';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { getDocuments } from '../../shared/data/documents.ts';
import { linkMentorPerson, mentorPersonKeys, recognitionsNamingPerson, saveRecognition, saveRecognitions } from '../../shared/data/recognitions.ts';
import { getReference } from '../../shared/data/reference.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation } from '../../shared/domain/organisations.ts';
import { taskIds } from '../../shared/domain/recognition-tasks.ts';
import {
  activeRefusal,
  alignedPersonTraining,
  approvedMentor,
  changedMentor,
  mentorFrom,
  mentorProblems,
  rejectedMentor,
  withPendingMentor,
  type Recognition,
} from '../../shared/domain/recognitions.ts';
import type { Partnership } from '../../shared/domain/reference.ts';
import { unwrap } from '../../shared/http/conflicts.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { loadRecognition } from './access.ts';
import { mentorInvalid, recognitionConflicts, refuseIf } from './conflicts.ts';
import type { MentorBody, MentorChangeBody } from './schemas.ts';
import { recognitionView, type RecognitionAudience } from './views.ts';
import { onMentorApproved, onMentorHandled, onMentorRequested, onMentorsChanged } from './work-list.ts';

/** A running recognition of the enterprise itself or of the competent partnership. */
async function load(id: string, acting: ActingOrganisation, deps: Dependencies) {
  const loaded = await loadRecognition(id, acting, deps, ['enterprise', 'competentPartnership'], recognitionConflicts);
  refuseIf(activeRefusal(loaded.recognition), recognitionConflicts);
  return loaded;
}

/** The recognition as the enterprise or the competent partnership sees it (views.ts). */
const answer = (status: number, recognition: Recognition, audience: RecognitionAudience, deps: Dependencies): ApiResponse => ({
  status,
  body: recognitionView(recognition, audience, brusselsDate(deps.clock.now())),
  version: recognition.version,
});

const partnershipOf = async (deps: Dependencies, recognition: Recognition) =>
  (await getReference<Partnership>(deps, 'partnerships', recognition.partnershipId))?.record;

/**
 * What to save when a mentor's training facts change (approved with a deadline, training reported): the recognition
 * changed here, at the caller's If-Match, and, when the mentor is a known person, every other running recognition of
 * the enterprise that names them, aligned (alignedPersonTraining: one training, the earliest deadline), each at the
 * version read. Saved in one transaction (saveRecognitions): all of them or none.
 */
async function withPersonTraining(deps: Dependencies, changed: Recognition, mentorId: string, ifMatch: number) {
  const person = changed.mentors.find((m) => m.id === mentorId)?.personKey;
  const named = person ? await recognitionsNamingPerson(deps, person, changed.enterpriseNumber) : [];
  const others = named.filter((r) => r.id !== changed.id && r.status === 'active');
  const aligned = new Map(person ? alignedPersonTraining([changed, ...others], person).map((r) => [r.id, r]) : []);
  return [
    { next: aligned.get(changed.id) ?? changed, expectedVersion: ifMatch },
    ...others.flatMap((r) => (aligned.has(r.id) ? [{ next: aligned.get(r.id)!, expectedVersion: r.version }] : [])),
  ];
}

/** The enterprise's "Mentoropleiding afronden" of the person on each recognition saved: the training counts on each. */
async function closeTrainingTasks(deps: Dependencies, saved: readonly Recognition[], mentorId: string) {
  const person = saved[0]!.mentors.find((m) => m.id === mentorId)?.personKey;
  // The report's own task closes as before; on the others the training now counts.
  for (const r of saved)
    for (const m of r.mentors.filter((m) => m.id === mentorId || (person !== undefined && m.personKey === person)))
      if ((r === saved[0] && m.id === mentorId) || m.trainingCompletedOn || m.trainingExempted)
        await closeTask(deps, organisationKey('enterprise', kboDigits(r.enterpriseNumber)), taskIds.finishMentorTraining(r.id, m.id));
}

/** The same mentor checks as an application: age, experience or proof, a verified extract at most a year old. */
export async function requestMentor(id: string, input: MentorBody, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { recognition, audience } = await load(id, acting, deps);
  const mentor = mentorFrom(input, ulid);
  const documentIds = [mentor.proofDocumentId, mentor.criminalRecordExtract?.documentId].filter((d): d is string => !!d);
  const [partnership, documents] = await Promise.all([partnershipOf(deps, recognition), getDocuments(deps, documentIds)]);
  if (!partnership) throw new Error(`partnership ${recognition.partnershipId} missing`);
  // Only the enterprise's own uploads count for its mentor.
  const own = new Map([...documents.values()].filter((d) => d.ownerKey === acting.key).map((d) => [d.id, { kind: d.kind, status: d.status }]));
  const problems = mentorProblems(mentor, partnership, own, brusselsDate(deps.clock.now()));
  if (problems.length) throw mentorInvalid(problems);
  const requested = withPendingMentor(recognition, mentor, deps.clock.now().toISOString());
  const saved = unwrap(await saveRecognition(deps, requested, ifMatch), recognitionConflicts);
  await onMentorRequested(deps, saved, mentor);
  return answer(202, saved, audience, deps);
}

/** The partnership approves a new mentor; the training deadline runs from the approval. */
export async function approveMentor(id: string, mentorId: string, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { recognition, audience } = await load(id, acting, deps);
  const trainingMonths = (await partnershipOf(deps, recognition))?.rules.mentorTrainingDeadlineMonths ?? null;
  const pending = recognition.pendingMentors.filter((m) => m.id === mentorId);
  const person = (await mentorPersonKeys(deps, pending)).get(mentorId);
  const approved = unwrap(approvedMentor(recognition, mentorId, brusselsDate(deps.clock.now()), trainingMonths, person), recognitionConflicts);
  // A person who mentors elsewhere at the enterprise keeps one training: done there is done here, the earliest deadline.
  const all = unwrap(await saveRecognitions(deps, await withPersonTraining(deps, approved, mentorId, ifMatch)), recognitionConflicts) as [
    Recognition,
    ...Recognition[],
  ];
  const [saved] = all;
  await linkMentorPerson(deps, saved, mentorId);
  // An aligned (earlier) deadline may have left a recognition without a mentor that counts: its task, and its event.
  await onMentorApproved(deps, all, deps.clock.now().toISOString());
  await onMentorHandled(deps, saved, mentorId);
  await dispatchSoon(deps);
  return answer(200, saved, audience, deps);
}

/** The partnership rejects a new mentor: the request is dropped and its "Mentoren controleren" task closed. */
export async function rejectMentor(id: string, mentorId: string, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { recognition, audience } = await load(id, acting, deps);
  const rejected = unwrap(rejectedMentor(recognition, mentorId), recognitionConflicts);
  const saved = unwrap(await saveRecognition(deps, rejected, ifMatch), recognitionConflicts);
  await onMentorHandled(deps, saved, mentorId);
  return answer(200, saved, audience, deps);
}

/** Deactivate, reactivate (not after a withdrawal by sanction), or report training done / exempted. */
export async function changeMentor(
  id: string,
  mentorId: string,
  change: MentorChangeBody,
  ifMatch: number,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { recognition, audience } = await load(id, acting, deps);
  const changed = unwrap(changedMentor(recognition, mentorId, change), recognitionConflicts);
  if (change.action !== 'training') {
    // A deactivation may leave no mentor that counts: saveRecognitions records the `suspended` event with it.
    const [saved] = unwrap(await saveRecognitions(deps, [{ next: changed, expectedVersion: ifMatch }]), recognitionConflicts) as [Recognition];
    await onMentorsChanged(deps, [saved], deps.clock.now().toISOString());
    await dispatchSoon(deps);
    return answer(200, saved, audience, deps);
  }
  // The training is the person's: reported here, it counts on every recognition of the enterprise naming them.
  const saved = unwrap(await saveRecognitions(deps, await withPersonTraining(deps, changed, mentorId, ifMatch)), recognitionConflicts);
  await closeTrainingTasks(deps, saved, mentorId);
  await dispatchSoon(deps);
  return answer(200, saved[0]!, audience, deps);
}
