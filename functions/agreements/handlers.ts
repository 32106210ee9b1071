// Agreements: the counsellor drafts (every save returns the pre-flight check), attaches the annexes and registers;
// after registration the agreement is amended (with an addendum where the model says so), suspended and ended. The
// enterprise reads its agreements with the learner's national number masked. Each handler loads (the repository
// reads the facts), decides (shared/domain/agreements.ts), commits (one transaction) and answers a view (views.ts);
// conflicts.ts says what each refusal means.
import { readActor } from '../../shared/data/users.ts';
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { closeAgreementTasks, rememberAgreementTask } from '../../shared/data/agreement-tasks.ts';
import {
  amendAgreement,
  createAgreement,
  documentsOf,
  endAgreement,
  getAgreement,
  getAgreementHistory,
  listAgreements,
  readAmendmentFacts,
  readDraftFacts,
  readRegistrationFacts,
  registerAgreement,
  saveAgreement,
  suspendAgreement,
} from '../../shared/data/agreements.ts';
import { addDocumentReaders, getDocument } from '../../shared/data/documents.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import {
  type TaskRef,
  draftExpiringRef,
  finishAddendumRef,
  finishAddendumTask,
  followUpSuspensionRef,
  followUpSuspensionTask,
  signAddendumRef,
  signAddendumTask,
} from '../../shared/domain/agreement-tasks.ts';
import { closeEndedAgreementTasks, endingMail, mailParties, partiesToMail, suspensionReportedMail } from './notices.ts';
import { closeSigningTask, followSigning } from './signing.ts';
import {
  type Actor,
  type Agreement,
  addendumRegistration,
  amendment,
  attachment,
  draftExpired,
  ending,
  newDraft,
  recheckedDraft,
  redraft,
  registration,
  suspendedOn,
  suspension,
  suspensionAcknowledgement,
} from '../../shared/domain/agreements.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { problemFor, unwrap } from '../../shared/http/conflicts.ts';
import { forbidden } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import {
  access,
  addendumAnswers,
  amendmentAnswers,
  annexAnswers,
  decided,
  draftAnswers,
  endingAnswers,
  notAllowedForParty,
  registrationAnswers,
  suspensionAnswers,
} from './conflicts.ts';
import type { AmendmentBody, AnnexesBody, DraftBody, EndingBody, ListQuery, SuspensionBody } from './routes.ts';
import { type AgreementAudience, addendumView, agreementAudience, agreementView, withSuspension } from './views.ts';

const today = (deps: Dependencies) => brusselsDate(deps.clock.now());
const now = (deps: Dependencies) => deps.clock.now().toISOString();
const enterpriseOf = (agreement: Agreement) => organisationKey('enterprise', kboDigits(agreement.enterpriseNumber));
const closeTaskAt = (deps: Dependencies, ref: TaskRef | null) => (ref ? closeTask(deps, ref.organisationKey, ref.id) : Promise.resolve());
const counsellorAnswer = (saved: Agreement): ApiResponse => ({ status: 200, body: agreementView(saved, 'counsellor'), version: saved.version });

/** Who acts, as the history records it: the user, the organisation acted for and the role the action needs there. */
export async function actorOf(deps: Dependencies, principal: Principal, acting: ActingOrganisation, roles: readonly string[] = ['counsellor']): Promise<Actor> {
  // The role the step was done in (a counsellor's, or the enterprise's for a reported suspension).
  const held = acting.roles.filter((r) => roles.includes(r));
  return (await readActor(deps, principal, { key: acting.key, roles: held.length ? held : acting.roles })).actor;
}

/** The agreement for a party allowed here: 404 for anyone else (whether it exists is not theirs to know). */
function accessible(agreement: Agreement | undefined, acting: ActingOrganisation | undefined, allowed: AgreementAudience[]) {
  const audience = agreement ? agreementAudience(agreement, acting) : undefined;
  if (!agreement || !audience) throw problemFor('agreement-not-found', access);
  if (!allowed.includes(audience)) throw forbidden('not-allowed-for-party', notAllowedForParty);
  return { agreement, audience };
}

export async function load(id: string, acting: ActingOrganisation | undefined, deps: Dependencies, allowed: AgreementAudience[]) {
  return accessible(await getAgreement(deps, id, today(deps)), acting, allowed);
}

// --- drafting --------------------------------------------------------------------------------------------

export async function createDraft(body: DraftBody, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const facts = await readDraftFacts(deps, { fields: body, providerId: acting.id, today: today(deps) });
  const counsellor = { userId: principal.userId, name: principal.name, email: principal.email ?? '' };
  const context = { id: ulid(), providerId: acting.id, counsellor, now: now(deps), today: today(deps) };
  const draft = decided(newDraft(body, facts, context), draftAnswers);
  await createAgreement(deps, draft, await actorOf(deps, principal, acting));
  await followSigning(deps, undefined, draft);
  return { status: 201, body: agreementView(draft, 'counsellor'), version: 1, headers: { Location: `/v1/agreements/${draft.id}` } };
}

export async function updateDraft(
  id: string,
  body: DraftBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const facts = await readDraftFacts(deps, { fields: body, providerId: acting.id, agreementId: id, today: today(deps) });
  const { agreement } = accessible(facts.agreement, acting, ['counsellor']);
  const { next, history } = decided(redraft(agreement, body, facts, { by: principal.userId, today: today(deps), now: now(deps) }), draftAnswers);
  const saved = unwrap(await saveAgreement(deps, next, ifMatch, history, await actorOf(deps, principal, acting)), draftAnswers);
  // The work version lives 90 days from this change: a warning about the old expiry date no longer applies.
  await closeTaskAt(deps, draftExpiringRef(agreement, today(deps)));
  await followSigning(deps, agreement, saved);
  return counsellorAnswer(saved);
}

/**
 * The agreement with its history. A work version's pre-flight check runs again on today's facts (not stored: a
 * read writes nothing), so the issues are those of now and `issuesCheckedAt` says so; a registered agreement shows
 * the check of its registration and when that ran.
 */
export async function readAgreement(id: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const { agreement, audience } = await load(id, acting, deps, ['counsellor', 'enterprise']);
  const [history, facts] = await Promise.all([
    getAgreementHistory(deps, id),
    agreement.status === 'draft' ? readRegistrationFacts(deps, agreement) : Promise.resolve(undefined),
  ]);
  const shown = facts ? recheckedDraft(agreement, facts, today(deps), now(deps)) : agreement;
  const body = { ...agreementView(shown, audience), history, suspendedNow: suspendedOn(agreement, today(deps)) };
  return { status: 200, body, version: agreement.version };
}

/** One addendum, for both parties, with the agreement's version as ETag (registering the signed addendum needs it). */
export async function readAddendum(id: string, number: number, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor', 'enterprise']);
  const addendum = agreement.addenda.find((a) => a.number === number);
  if (!addendum) throw problemFor('addendum-not-found', addendumAnswers);
  return { status: 200, body: addendumView(agreement, addendum), version: agreement.version };
}

export async function listForActing(query: ListQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const owner = acting.type === 'enterprise' ? { kind: 'enterprise' as const, digits: acting.id } : { kind: 'provider' as const, id: acting.id };
  const page = await listAgreements(deps, owner, query);
  const audience: AgreementAudience = acting.type === 'enterprise' ? 'enterprise' : 'counsellor';
  // Expired work versions are gone even before TTL removes them.
  const items = page.items.filter((a) => a.status !== 'draft' || !draftExpired(a.updatedAt, today(deps))).map((a) => agreementView(a, audience));
  return { status: 200, body: { items, cursor: page.cursor } };
}

// --- annexes and registration ----------------------------------------------------------------------------

/** Attaches annexes to a work version; the enterprise becomes a reader of the schedule and the training plan. */
export async function attachAnnexes(
  id: string,
  body: AnnexesBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  const documents = await documentsOf(deps, Object.values(body));
  const change = decided(attachment(agreement, body, documents, { ownerKey: acting.key, by: principal.userId, now: now(deps) }), annexAnswers);
  for (const documentId of change.shareWithEnterprise) await addDocumentReaders(deps, documentId, [enterpriseOf(agreement)]);
  const saved = unwrap(await saveAgreement(deps, change.next, ifMatch, change.history, await actorOf(deps, principal, acting)), annexAnswers);
  // The signed agreement attached: the enterprise has signed.
  await followSigning(deps, agreement, saved);
  return counsellorAnswer(saved);
}

/** Registration: the check again, then one transaction takes the slots, links the agreement and records the premiums. */
export async function register(id: string, ifMatch: number, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  const facts = await readRegistrationFacts(deps, agreement);
  const decision = decided(registration(agreement, facts, { today: today(deps), now: now(deps), by: principal.userId }), registrationAnswers);
  const saved = unwrap(await registerAgreement(deps, decision, ifMatch, await actorOf(deps, principal, acting)), registrationAnswers);
  await closeTaskAt(deps, draftExpiringRef(agreement, today(deps)));
  await closeSigningTask(deps, saved.id);
  await dispatchSoon(deps);
  return counsellorAnswer(saved);
}

// --- after registration ----------------------------------------------------------------------------------

export async function amend(
  id: string,
  body: AmendmentBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  const facts = await readAmendmentFacts(deps, agreement, body);
  const context = { today: today(deps), now: now(deps), by: principal.userId, ownerKey: acting.key };
  const change = decided(amendment(agreement, body, facts, context), amendmentAnswers);
  for (const documentId of change.shareWithEnterprise) await addDocumentReaders(deps, documentId, [enterpriseOf(agreement)]);
  const saved = unwrap(await amendAgreement(deps, change, ifMatch, await actorOf(deps, principal, acting)), amendmentAnswers);
  if (change.addendum) await openAddendumTasks(deps, saved, change.addendum.number, context.now);
  // Recording the new address is the action "Adreswijziging vestiging verwerken" asks for.
  if (body.kind === 'establishmentAddress') await closeAgreementTasks(deps, saved.id, ['processAddressChange']);
  await dispatchSoon(deps);
  return counsellorAnswer(saved);
}

/**
 * The counsellor finishes the addendum, the enterprise signs it. The enterprise's task is remembered on the
 * agreement first, so that ending the agreement finds and closes it (closeAgreementTasks).
 */
async function openAddendumTasks(deps: Dependencies, agreement: Agreement, number: number, at: string) {
  await openTask(deps, finishAddendumTask(agreement, number, at));
  const sign = signAddendumTask(agreement, number, at);
  await rememberAgreementTask(deps, agreement.id, sign);
  await openTask(deps, sign);
}

export async function registerAddendum(
  id: string,
  number: number,
  signedDocumentId: string,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  const signed = { documentId: signedDocumentId, document: await getDocument(deps, signedDocumentId) };
  const change = decided(addendumRegistration(agreement, number, signed, { ownerKey: acting.key, by: principal.userId, now: now(deps) }), addendumAnswers);
  const saved = unwrap(await saveAgreement(deps, change.next, ifMatch, change.history, await actorOf(deps, principal, acting)), addendumAnswers);
  await closeTaskAt(deps, finishAddendumRef(agreement, number));
  await closeTaskAt(deps, signAddendumRef(agreement, number));
  return counsellorAnswer(saved);
}

/**
 * A suspension, reported by the enterprise or recorded by the counsellor (article 9 of the model: it is reported to
 * the counsellor). One the counsellor must follow up (longer than 14 days, or reported by the enterprise) gives the
 * counsellors a task and the agreement's counsellor an e-mail.
 */
export async function suspend(
  id: string,
  body: SuspensionBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement, audience } = await load(id, acting, deps, ['counsellor', 'enterprise']);
  const reporter = audience === 'enterprise' ? 'enterprise' : 'provider';
  const change = decided(suspension(agreement, body, { id: ulid(), by: principal.userId, now: now(deps), reporter }), suspensionAnswers);
  const actor = await actorOf(deps, principal, acting, ['counsellor', 'legalRepresentative', 'user']);
  const saved = unwrap(await suspendAgreement(deps, change.next, ifMatch, change.history, actor, change.suspension), suspensionAnswers);
  if (change.suspension.reported) {
    await openTask(deps, followUpSuspensionTask(saved, change.suspension, now(deps)));
    await mailParties(deps, suspensionReportedMail(saved, change.suspension));
  }
  await dispatchSoon(deps);
  return { status: 201, body: withSuspension(agreementView(saved, audience), change.suspension), version: saved.version };
}

/** Acknowledges a reported suspension: recorded in the history (who, when) and its follow-up task closed. */
export async function acknowledgeSuspension(
  id: string,
  suspensionId: string,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  const change = decided(suspensionAcknowledgement(agreement, suspensionId, { by: principal.userId, name: principal.name, now: now(deps) }), suspensionAnswers);
  const saved = unwrap(await saveAgreement(deps, change.next, ifMatch, change.history, await actorOf(deps, principal, acting)), suspensionAnswers);
  await closeTaskAt(deps, followUpSuspensionRef(agreement, suspensionId));
  return { status: 204, version: saved.version };
}

/**
 * Ends the agreement: at once when dated today or earlier, otherwise it is `ending` until that day and the daily
 * job ends it then (daily.ts). Either way the parties are told now: the counsellor and the enterprise's contacts.
 */
export async function end(
  id: string,
  body: EndingBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  const decision = decided(ending(agreement, body, { by: principal.userId, now: now(deps), today: today(deps) }), endingAnswers);
  const saved = unwrap(await endAgreement(deps, decision, ifMatch, await actorOf(deps, principal, acting)), endingAnswers);
  // Ending is the action that KBO-driven tasks ask for: "Opheffing verwerken" and "Adreswijziging vestiging verwerken".
  await closeAgreementTasks(deps, saved.id, ['processRevocation', 'processAddressChange']);
  if (!decision.scheduled) await closeEndedAgreementTasks(deps, saved);
  await mailParties(deps, endingMail(saved, await partiesToMail(deps, saved), decision.scheduled));
  await dispatchSoon(deps);
  return counsellorAnswer(saved);
}
