// Mentors after the recognition: the enterprise adds one (same documents and checks, then the partnership
// approves), deactivates and reactivates them, and reports mentor training; the partnership sees the deadline.
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { getDocument } from '../../shared/data/documents.ts';
import { getReference } from '../../shared/data/reference.ts';
import { getRecognition, saveRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { onMentorHandled, onMentorRequested } from './work-list.ts';
import { recognitionAudience, recognitionView } from './views.ts';
import type { NationalNumber } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation } from '../../shared/domain/organisations.ts';
import { mentorTrainingDeadline, submissionProblems, type Mentor } from '../../shared/domain/recognitions.ts';
import type { Partnership } from '../../shared/domain/reference.ts';
import { conflict, notFound, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';

async function load(deps: Dependencies, id: string, acting: ActingOrganisation): Promise<Recognition> {
  const recognition = await getRecognition(deps, id);
  const audience = recognition ? recognitionAudience(recognition, acting) : undefined;
  if (!recognition || (audience !== 'enterprise' && audience !== 'competentPartnership'))
    throw notFound('recognition-not-found', 'Deze erkenning bestaat niet of u hebt er geen toegang toe.');
  if (recognition.status !== 'active') throw conflict('recognition-not-active', 'Deze erkenning is niet actief.');
  return recognition;
}

/** The recognition as the enterprise or the competent partnership sees it (views.ts). */
const answer = (status: number, recognition: Recognition, acting: ActingOrganisation, deps: Dependencies): ApiResponse => ({
  status,
  body: recognitionView(recognition, recognitionAudience(recognition, acting)!, brusselsDate(deps.clock.now())),
  version: recognition.version,
});

export type MentorInput = {
  name: string;
  nationalNumber: NationalNumber;
  yearsOfExperience: number;
  proofDocumentId: string | null;
  criminalRecordExtract: { documentId: string; issuedOn: string } | null;
};

/** The same mentor checks as an application: age, experience or proof, a verified extract at most a year old. */
export async function requestMentor(id: string, input: MentorInput, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await load(deps, id, acting);
  const partnership = (await getReference<Partnership>(deps, 'partnerships', recognition.partnershipId))?.record;
  if (!partnership) throw new Error(`partnership ${recognition.partnershipId} missing`);
  const mentor: Mentor = {
    id: ulid(),
    name: input.name,
    nationalNumber: input.nationalNumber.value,
    birthDate: input.nationalNumber.birthDate,
    yearsOfExperience: input.yearsOfExperience,
    proofDocumentId: input.proofDocumentId,
    criminalRecordExtract: input.criminalRecordExtract,
  };
  const documents = new Map<string, { kind: string; status: string }>();
  for (const documentId of [mentor.proofDocumentId, mentor.criminalRecordExtract?.documentId]) {
    const document = documentId ? await getDocument(deps, documentId) : undefined;
    if (document && document.ownerKey === acting.key) documents.set(document.id, { kind: document.kind, status: document.status });
  }
  const problems = submissionProblems(
    { criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true }, mentors: [mentor], documents: [] },
    {
      today: brusselsDate(deps.clock.now()),
      filedBy: 'enterprise',
      establishment: { region: 'flanders', status: 'active' },
      partnership: { ...partnership, rules: { ...partnership.rules, requiredDocumentKinds: [] } },
      documents,
    },
  );
  if (problems.length)
    throw unprocessable(
      'mentor-invalid',
      'Deze mentor voldoet nog niet aan de voorwaarden.',
      problems.map((p) => ({ in: 'body' as const, pointer: p.pointer.replace('/mentors/0', ''), code: p.code, detail: p.detail })),
    );
  const saved = await saveRecognition(
    deps,
    { ...recognition, pendingMentors: [...recognition.pendingMentors, { ...mentor, requestedAt: deps.clock.now().toISOString() }] },
    ifMatch,
  );
  await onMentorRequested(deps, saved, mentor, deps.clock.now().toISOString());
  return answer(202, saved, acting, deps);
}

/** The partnership approves a new mentor; the training deadline runs from the approval. */
export async function approveMentor(id: string, mentorId: string, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await load(deps, id, acting);
  const pending = recognition.pendingMentors.find((m) => m.id === mentorId);
  if (!pending) throw notFound('mentor-not-found', 'Geen mentor met dit id wacht op goedkeuring.');
  const partnership = (await getReference<Partnership>(deps, 'partnerships', recognition.partnershipId))?.record;
  const today = brusselsDate(deps.clock.now());
  const saved = await saveRecognition(
    deps,
    {
      ...recognition,
      pendingMentors: recognition.pendingMentors.filter((m) => m.id !== mentorId),
      mentors: [
        ...recognition.mentors,
        {
          id: pending.id,
          name: pending.name,
          birthDate: pending.birthDate,
          active: true,
          withdrawn: false,
          trainingDeadline: mentorTrainingDeadline(today, partnership?.rules.mentorTrainingDeadlineMonths ?? null),
          trainingCompletedOn: null,
          trainingExempted: false,
        },
      ],
    },
    ifMatch,
  );
  await closeTask(deps, organisationKey('partnership', recognition.partnershipId), `no-mentor:${recognition.id}`);
  await onMentorHandled(deps, saved, mentorId);
  return answer(200, saved, acting, deps);
}

/** The partnership rejects a new mentor: the request is dropped and its "Mentoren controleren" task closed. */
export async function rejectMentor(id: string, mentorId: string, ifMatch: number, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await load(deps, id, acting);
  if (!recognition.pendingMentors.some((m) => m.id === mentorId)) throw notFound('mentor-not-found', 'Geen mentor met dit id wacht op goedkeuring.');
  const saved = await saveRecognition(deps, { ...recognition, pendingMentors: recognition.pendingMentors.filter((m) => m.id !== mentorId) }, ifMatch);
  await onMentorHandled(deps, saved, mentorId);
  return answer(200, saved, acting, deps);
}

/** Deactivate, reactivate (not after a withdrawal by sanction), or report training done / exempted. */
export async function changeMentor(
  id: string,
  mentorId: string,
  change: { action: 'deactivate' | 'reactivate' } | { action: 'training'; completedOn: string | null; exempted: boolean },
  ifMatch: number,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const recognition = await load(deps, id, acting);
  const mentor = recognition.mentors.find((m) => m.id === mentorId);
  if (!mentor) throw notFound('mentor-not-found', 'Deze mentor hoort niet bij deze erkenning.');
  if (change.action === 'reactivate' && mentor.withdrawn)
    throw conflict('mentor-withdrawn', 'Een door het partnerschap ingetrokken mentor kan niet opnieuw geactiveerd worden.');
  const next =
    change.action === 'training'
      ? { ...mentor, trainingCompletedOn: change.completedOn, trainingExempted: change.exempted }
      : { ...mentor, active: change.action === 'reactivate' };
  const saved = await saveRecognition(deps, { ...recognition, mentors: recognition.mentors.map((m) => (m.id === mentorId ? next : m)) }, ifMatch);
  if (change.action === 'training')
    await closeTask(deps, organisationKey('enterprise', recognition.enterpriseNumber.replace(/\./g, '')), `training:${recognition.id}:${mentorId}`);
  return answer(200, saved, acting, deps);
}
