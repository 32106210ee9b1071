// Recognition applications: the enterprise (or a mandated counsellor) drafts and submits; the competent
// partnership reviews and decides; every step is recorded in the file's history. Each handler loads (access.ts),
// decides (shared/domain/recognitions.ts), commits in one transaction (shared/data/applications.ts) and answers
// with the caller's view (views.ts); what a refusal means is in conflicts.ts.
import { ulid } from 'ulid';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import {
  createApplication,
  decideApplication,
  getApplication,
  getApplicationWithHistory,
  listApplicationsOfEnterprise,
  listApplicationsOfPartnership,
  readSubmissionFacts,
  rejectFiledMandate,
  saveApplication,
  submitApplication,
} from '../../shared/data/applications.ts';
import { getDocuments } from '../../shared/data/documents.ts';
import { getEstablishmentFacts } from '../../shared/data/kbo-lookups.ts';
import { getMandate } from '../../shared/data/mandates.ts';
import { readRecognitionFacts } from '../../shared/data/recognitions.ts';
import { getReference } from '../../shared/data/reference.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { readActor } from '../../shared/data/users.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { mandateScope } from '../../shared/domain/mandates.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { taskIds } from '../../shared/domain/recognition-tasks.ts';
import {
  activeRefusal,
  blockingProblems,
  completionProblems,
  contentRefusal,
  creation,
  decision,
  decisionRefusal,
  documentIdsOf,
  draftProblems,
  editable,
  filerOf,
  filerRefusal,
  foreignDocument,
  mandateRejection,
  contentMentors,
  newApplication,
  partnershipStep,
  proposal,
  renewalOf,
  renewalRefusal,
  stepTargets,
  submissionRefusal,
  submitted,
  withContent,
  type Application,
  type ApplicationAudience,
  type PartnershipAction,
} from '../../shared/domain/recognitions.ts';
import type { Programme } from '../../shared/domain/reference.ts';
import { problemFor, staleVersion, unwrap } from '../../shared/http/conflicts.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { authorise, loadApplication, loadRecognition } from './access.ts';
import {
  applicationConflicts,
  applicationIncomplete,
  documentNotYours,
  draftInvalid,
  maskedValuesUnknown,
  notAllowed,
  notSubmittable,
  refuseIf,
  renewalConflicts,
  transitionNotAllowed,
} from './conflicts.ts';
import { completionRequested, decisionNotice, mandateRejected } from './notices.ts';
import type { ContentBody, DecideBody, DraftBody, ListQuery, ProposeBody, StepBody } from './schemas.ts';
import { fileView, fullRecognitionView, mandateOfFile } from './views.ts';
import { onDecided, onPartnershipTransition, onSubmitted } from './work-list.ts';
import { startReviewRound } from './review-round.ts';

type Extras = Parameters<typeof fileView>[2];

/** Who does the step, with the names of the time, for the file's history. */
const actorOf = async (deps: Dependencies, principal: Principal, acting: ActingOrganisation) => (await readActor(deps, principal, acting)).actor;

/**
 * The file as the caller sees it, with its version as ETag; its review clock at `now`: a write answers at its own
 * instant (the saved file's `updatedAt`), a read at the request's.
 */
const answer = (
  application: Application,
  audience: ApplicationAudience,
  extras: Extras = {},
  status = 200,
  now = new Date(application.updatedAt),
): ApiResponse => ({
  status,
  body: fileView(application, audience, extras, now),
  version: application.version,
});
const created = (application: Application, audience: ApplicationAudience): ApiResponse => ({
  ...answer(application, audience, {}, 201),
  headers: { Location: `/v1/applications/${application.id}` },
});

/** A draft for one establishment and one programme, by the enterprise itself or a counsellor under its mandate. */
export async function createDraft(input: DraftBody, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const mandate = acting.type === 'provider' ? await getMandate(deps, input.enterpriseNumber, acting.id) : undefined;
  const refusal = filerRefusal(acting, input.enterpriseNumber, mandateScope(mandate));
  if (refusal) throw notAllowed(refusal);
  const enterpriseKey = organisationKey('enterprise', input.enterpriseNumber);
  const [establishment, programme, { actor, names }] = await Promise.all([
    getEstablishmentFacts(deps, input.enterpriseNumber, input.establishmentNumber),
    getReference<Programme>(deps, 'programmes', input.programmeId),
    readActor(deps, principal, acting, [enterpriseKey]),
  ]);
  const problems = draftProblems({ establishmentKnown: establishment !== undefined, programmeKnown: programme !== undefined });
  if (problems.length) throw draftInvalid(problems);
  const filedBy = filerOf(acting, principal.userId);
  const application = newApplication({
    id: ulid(),
    enterpriseDigits: input.enterpriseNumber,
    establishmentDigits: input.establishmentNumber,
    enterpriseName: names.get(enterpriseKey) ?? null,
    establishmentName: establishment?.name ?? null,
    programmeId: input.programmeId,
    jointCommittee: input.jointCommittee,
    contactEmails: [input.contactEmail, principal.email, mandate?.enterpriseEmail],
    filedBy,
    now: deps.clock.now().toISOString(),
  });
  await createApplication(deps, application, creation(application, actor));
  return created(application, filedBy.role);
}

/** Conditions, mentors, documents and account of a draft or an incomplete file; only one's own documents. */
export async function updateContent(
  id: string,
  input: ContentBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, audience } = await loadApplication(id, acting, deps, ['enterprise', 'counsellor']);
  refuseIf(contentRefusal(application), applicationConflicts);
  const mentors = contentMentors(input.mentors, application.mentors, ulid);
  if (!mentors.ok) throw maskedValuesUnknown(mentors.problems);
  const content = { ...input, mentors: mentors.mentors };
  const documentIds = documentIdsOf(content);
  const foreign = foreignDocument(documentIds, await getDocuments(deps, documentIds), acting.key);
  if (foreign) throw documentNotYours(foreign);
  const next = withContent(application, content, await actorOf(deps, principal, acting));
  const saved = unwrap(await saveApplication(deps, next.application, ifMatch, next.change), applicationConflicts);
  return answer(saved, audience);
}

/** The file with its history and, while it can still be changed, everything that blocks it: the completion request, then what blocks its submission. */
export async function readApplication(id: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const file = await getApplicationWithHistory(deps, id);
  const { application, audience } = await authorise(file?.application, acting, deps, ['enterprise', 'counsellor', 'partnership', 'department']);
  const today = brusselsDate(deps.clock.now());
  const facts = editable(application) ? await readSubmissionFacts(deps, application, today) : undefined;
  const mandate = facts ? facts.mandate : await filedMandate(deps, application);
  return answer(
    application,
    audience,
    {
      history: file!.history,
      // The partnership's completion request first: it is why an incomplete file waits, whatever else it lacks.
      blockingProblems: facts ? [...completionProblems(application, today), ...blockingProblems(application, facts)] : [],
      mandate: mandateOfFile(mandate),
    },
    200,
    deps.clock.now(),
  );
}

/** The mandate a counsellor filed the file under; none for the enterprise's own files. */
const filedMandate = async (deps: Dependencies, application: Application) =>
  application.filedBy.role === 'counsellor' && application.filedBy.providerId
    ? getMandate(deps, kboDigits(application.enterpriseNumber), application.filedBy.providerId)
    : undefined;

export async function listApplications(query: ListQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const page =
    acting.type === 'partnership'
      ? await listApplicationsOfPartnership(deps, acting.id, query.status, query)
      : await listApplicationsOfEnterprise(deps, acting.id, query);
  const audience = acting.type === 'partnership' ? 'partnership' : 'enterprise';
  const now = deps.clock.now();
  return { status: 200, body: { items: page.items.map((a) => fileView(a, audience, {}, now)), cursor: page.cursor } };
}

/**
 * Submit (or resubmit after a completion request): every blocking problem at once as a 422; otherwise, in one
 * transaction, the file moves to "submitted" and takes the lock on its establishment and programme, so two
 * parallel submits leave exactly one open application. Then the review round's execution starts.
 */
export async function submit(id: string, ifMatch: number, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { application, audience } = await loadApplication(id, acting, deps, ['enterprise', 'counsellor']);
  if (submissionRefusal(application)) throw notSubmittable(application);
  const now = deps.clock.now();
  const facts = await readSubmissionFacts(deps, application, brusselsDate(now));
  const problems = blockingProblems(application, facts);
  if (problems.length) throw applicationIncomplete(problems);
  const submission = submitted(application, facts, await actorOf(deps, principal, acting), now.toISOString());
  const saved = unwrap(await submitApplication(deps, submission, ifMatch), applicationConflicts);
  await onSubmitted(deps, saved);
  await startReviewRound(deps, saved);
  return answer(saved, audience);
}

/** Consultant steps that move the file through the partnership's work lists. */
export async function partnershipTransition(
  id: string,
  action: PartnershipAction,
  input: StepBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, audience } = await loadApplication(id, acting, deps, ['partnership']);
  const actor = await actorOf(deps, principal, acting);
  const step = partnershipStep(application, { action, ...input }, actor, deps.clock.now().toISOString(), ifMatch);
  if (!step.ok) throw transitionNotAllowed(application.status, stepTargets[action]);
  const saved = unwrap(await saveApplication(deps, step.value.application, ifMatch, step.value.change), applicationConflicts);
  await onPartnershipTransition(deps, application, saved, action);
  if (action === 'request-completion') await completionRequested(deps, saved, saved.completionRequest?.message ?? '');
  return answer(saved, audience);
}

export async function propose(
  id: string,
  input: ProposeBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, audience } = await loadApplication(id, acting, deps, ['partnership']);
  const proposed = unwrap(proposal(application, input, await actorOf(deps, principal, acting), deps.clock.now().toISOString()), applicationConflicts);
  const saved = unwrap(await saveApplication(deps, proposed.application, ifMatch, proposed.change), applicationConflicts);
  return answer(saved, audience);
}

/**
 * The voting member decides. Recognised: the recognition (5 years from the start date) is created and takes
 * over the lock, in the same transaction. Not recognised: the lock is released. The enterprise (and the
 * filing counsellor) get the official notification.
 */
export async function decide(
  id: string,
  input: DecideBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, audience } = await loadApplication(id, acting, deps, ['partnership']);
  refuseIf(decisionRefusal(application, input.decision), applicationConflicts);
  const now = deps.clock.now();
  const today = brusselsDate(now);
  const facts = input.decision === 'recognised' ? await readRecognitionFacts(deps, application, today) : undefined;
  const decided = decision(application, input, facts, await actorOf(deps, principal, acting), now.toISOString(), today);
  const saved = unwrap(await decideApplication(deps, decided, ifMatch), applicationConflicts);
  await onDecided(deps, saved, decided.recognition);
  await decisionNotice(deps, saved, decided.recognition);
  await dispatchSoon(deps);
  const recognition = decided.recognition && fullRecognitionView(decided.recognition, 'competentPartnership');
  return answer(saved, audience, { recognition });
}

/**
 * The competent partnership rejects the mandate a counsellor filed this file under (in the completeness check):
 * the provider's access to the enterprise's files ends, the counsellor no longer gets the file's notifications,
 * and the enterprise and the counsellor are told. The file stays with the partnership.
 */
export async function rejectMandate(
  id: string,
  reasons: string,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, audience } = await loadApplication(id, acting, deps, ['partnership']);
  if (application.filedBy.role !== 'counsellor') throw problemFor('no-mandate', applicationConflicts);
  const mandate = await filedMandate(deps, application);
  if (!mandate) throw problemFor('mandate-status', applicationConflicts);
  const next = mandateRejection(application, mandate, reasons, await actorOf(deps, principal, acting));
  const rejection = { by: principal.userId, partnershipId: acting.id, reasons };
  const saved = unwrap(
    await rejectFiledMandate(deps, { application: next.application, expectedVersion: ifMatch, change: next.change, mandate, rejection }),
    applicationConflicts,
  );
  await closeTask(deps, organisationKey('enterprise', kboDigits(application.enterpriseNumber)), taskIds.confirmMandate(mandate));
  await mandateRejected(deps, saved.application, saved.mandate, reasons);
  return answer(saved.application, audience, { mandate: mandateOfFile(saved.mandate) });
}

/**
 * Renewal, from the day its task appears (180 days before the end): a new application prefilled from the
 * recognition's file (mentors, the documents the enterprise may reuse, bank account) that goes through the same
 * review; on recognition it takes the lock over from the recognition it renews.
 */
export async function renew(id: string, ifMatch: number, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { recognition } = await loadRecognition(id, acting, deps, ['enterprise'], renewalConflicts);
  refuseIf(activeRefusal(recognition), renewalConflicts);
  refuseIf(staleVersion(recognition, ifMatch), renewalConflicts);
  refuseIf(renewalRefusal(recognition, brusselsDate(deps.clock.now())), renewalConflicts);
  const original = await getApplication(deps, recognition.applicationId);
  if (!original) throw new Error(`application ${recognition.applicationId} of ${recognition.id} not found`);
  const [documents, actor] = await Promise.all([getDocuments(deps, documentIdsOf(original)), actorOf(deps, principal, acting)]);
  const reusable = (documentId: string) => foreignDocument([documentId], documents, acting.key) === undefined;
  // A counsellor's file: the renewal lists the enterprise's own addresses, not the counsellor's.
  const mandate = original.filedBy.providerId ? await getMandate(deps, acting.id, original.filedBy.providerId) : undefined;
  const addresses = [principal.email, mandate?.enterpriseEmail];
  const application = renewalOf(recognition, original, filerOf(acting, principal.userId), ulid(), deps.clock.now().toISOString(), reusable, addresses);
  // The renewal task stays until the renewal is submitted (work-list.ts onSubmitted): a draft alone renews nothing.
  await createApplication(deps, application, creation(application, actor));
  return created(application, 'enterprise');
}
