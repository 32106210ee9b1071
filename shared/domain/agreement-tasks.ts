// The dashboard tasks about an agreement, one factory per task type: for the counsellors of the agreement's
// training provider, and an addendum to sign for the enterprise. Task ids are deterministic, so opening a task twice opens it once, and the action
// that closes a task finds it by the same id (taskRef). Pure; no AWS imports.
import { type Agreement, blocking, draftExpiresOn, draftWarningOn, type RunningAgreement, type Suspension } from './agreements.ts';
import { kboDigits } from './identifiers.ts';
import { organisationKey } from './organisations.ts';
import { type Task, type TaskType, taskTypes } from './tasks.ts';

/** Where a task is: the organisation whose dashboard holds it, and its id. */
export type TaskRef = { organisationKey: string; id: string };

const counsellorsOf = (providerId: string) => organisationKey('provider', providerId);
const learnerName = (agreement: Pick<Agreement, 'learner'>) => `${agreement.learner.firstName} ${agreement.learner.lastName}`;

function counsellorTask(
  type: TaskType,
  providerId: string,
  task: Pick<Task, 'id' | 'dueDate' | 'actions' | 'link'> & { agreementId: string; label: string },
  now: string,
): Task {
  return {
    id: task.id,
    type,
    title: taskTypes[type],
    organisationKey: counsellorsOf(providerId),
    roles: ['counsellor'],
    subject: { kind: 'agreement', id: task.agreementId, label: task.label },
    dueDate: task.dueDate,
    actions: task.actions,
    link: task.link,
    status: 'open',
    createdAt: now,
    closedAt: null,
  };
}

// --- Addendum afwerken: until the signed addendum is registered -------------------------------------------

export const finishAddendumRef = (agreement: Pick<Agreement, 'id' | 'providerId'>, number: number): TaskRef => ({
  organisationKey: counsellorsOf(agreement.providerId),
  id: `addendum:${agreement.id}:${number}`,
});

export function finishAddendumTask(agreement: Agreement, number: number, now: string): Task {
  return counsellorTask(
    'finishAddendum',
    agreement.providerId,
    {
      id: finishAddendumRef(agreement, number).id,
      agreementId: agreement.id,
      label: `Addendum ${number} bij overeenkomst van ${learnerName(agreement)}`,
      dueDate: null,
      actions: ['download-addendum', 'register-addendum'],
      // The addendum itself; its PDF to have signed (`.../document`) and registering it (`.../register`) are next to it.
      link: `/v1/agreements/${agreement.id}/addenda/${number}`,
    },
    now,
  );
}

// --- Addendum ondertekenen: the enterprise is a party to the addendum and signs it ------------------------

export const signAddendumRef = (agreement: Pick<Agreement, 'id' | 'enterpriseNumber'>, number: number): TaskRef => ({
  organisationKey: organisationKey('enterprise', kboDigits(agreement.enterpriseNumber)),
  id: `sign-addendum:${agreement.id}:${number}`,
});

/**
 * For the enterprise's legal representative, who signs for the enterprise: the addendum is signed on paper (its
 * PDF is `.../document` next to the link), so the counsellor registering the signed copy closes the task, and so
 * does the end of the agreement.
 */
export function signAddendumTask(agreement: Agreement, number: number, now: string): Task {
  const ref = signAddendumRef(agreement, number);
  return {
    id: ref.id,
    type: 'signAddendum',
    title: taskTypes.signAddendum,
    organisationKey: ref.organisationKey,
    roles: ['legalRepresentative'],
    subject: { kind: 'agreement', id: agreement.id, label: `Addendum ${number} bij overeenkomst van ${learnerName(agreement)}` },
    dueDate: null,
    actions: ['download-addendum'],
    link: `/v1/agreements/${agreement.id}/addenda/${number}`,
    status: 'open',
    createdAt: now,
    closedAt: null,
  };
}

// --- Overeenkomst ondertekenen: the enterprise signs the work version that is ready for signatures ---------

/**
 * When a work version is ready for signatures. The model agreement is signed on paper by the three parties (article
 * 12) and the signed copy is an annex of the registration; the copy to sign is the work version's PDF. It is worth
 * signing once the pre-flight check of its last save blocks nothing (a recognised workplace, a recognised mentor
 * with capacity, the hours and dates of the model), and until the signed agreement is attached: then it has been
 * signed.
 */
export const readyForSignatures = (a: Pick<Agreement, 'status' | 'issues' | 'annexes'>): boolean =>
  a.status === 'draft' && blocking(a.issues).length === 0 && a.annexes.signedAgreement === null;

/**
 * What a save of a work version does to the enterprise's signing task: open one when the version becomes ready (or
 * names another enterprise while ready), close the open one when it stops being ready or names another enterprise.
 * `before` is undefined for a new work version.
 */
export function signingChange(
  before: Pick<Agreement, 'status' | 'issues' | 'annexes' | 'enterpriseNumber'> | undefined,
  after: Pick<Agreement, 'status' | 'issues' | 'annexes' | 'enterpriseNumber'>,
): { close: boolean; open: boolean } {
  const wasReady = before !== undefined && readyForSignatures(before);
  const isReady = readyForSignatures(after);
  const sameEnterprise = before !== undefined && kboDigits(before.enterpriseNumber) === kboDigits(after.enterpriseNumber);
  return { close: wasReady && (!isReady || !sameEnterprise), open: isReady && (!wasReady || !sameEnterprise) };
}

/** The names the label says: the programme, the establishment, the training provider (no learner: see below). */
export type SigningNames = { programme?: string | undefined; establishment?: string | undefined; provider?: string | undefined };

/**
 * For the enterprise's legal representative, who signs for the enterprise. The label names no learner (the
 * dashboard is seen by every legal representative; the agreement itself, masked for the enterprise, names them),
 * only the programme, the establishment, the provider and the start date. The id carries the version that became
 * ready, so a version that is ready again after a change opens a new task (a task id opens once). Its due date is
 * the start date: the parties sign before the learner starts.
 */
export function signAgreementTask(draft: Agreement, names: SigningNames, now: string): Task {
  const establishment = names.establishment ? `${names.establishment} (${draft.establishmentNumber})` : draft.establishmentNumber;
  return {
    id: `sign-agreement:${draft.id}:${draft.version}`,
    type: 'signAgreement',
    title: taskTypes.signAgreement,
    organisationKey: organisationKey('enterprise', kboDigits(draft.enterpriseNumber)),
    roles: ['legalRepresentative'],
    subject: {
      kind: 'agreement',
      id: draft.id,
      label: `${names.programme ?? draft.programmeId}, vestiging ${establishment}, met ${names.provider ?? draft.providerId}, start ${draft.startDate}`,
    },
    dueDate: draft.startDate,
    actions: ['download-agreement'],
    // The work version as the enterprise reads it; its PDF to sign is `.../document` next to it.
    link: `/v1/agreements/${draft.id}`,
    status: 'open',
    createdAt: now,
    closedAt: null,
  };
}

// --- Werkversie verloopt: 14 days before a work version expires, until it is saved again or registered -----

const draftExpiringId = (draft: Pick<Agreement, 'id' | 'updatedAt'>) => `draft-expiring:${draft.id}:${draftWarningOn(draft.updatedAt)}`;

/**
 * The warning task of this version of the draft, if it can exist: the daily job opens it on the warning day (or
 * catches up later), never before, so a draft saved or registered earlier has no task to close and costs no read.
 */
export function draftExpiringRef(draft: Pick<Agreement, 'id' | 'providerId' | 'updatedAt'>, today: string): TaskRef | null {
  if (today < draftWarningOn(draft.updatedAt)) return null;
  return { organisationKey: counsellorsOf(draft.providerId), id: draftExpiringId(draft) };
}

export function draftExpiringTask(draft: Agreement, now: string): Task {
  const expiresOn = draftExpiresOn(draft.updatedAt);
  return counsellorTask(
    'draftExpiring',
    draft.providerId,
    {
      id: draftExpiringId(draft),
      agreementId: draft.id,
      label: `Werkversie voor ${learnerName(draft)} verloopt op ${expiresOn}`,
      dueDate: expiresOn,
      actions: ['update-draft', 'register'],
      link: `/v1/agreements/${draft.id}`,
    },
    now,
  );
}

// --- Schorsing opvolgen: a suspension of more than 14 days, until the counsellor acknowledges it ------------

export const followUpSuspensionRef = (agreement: Pick<Agreement, 'id' | 'providerId'>, suspensionId: string): TaskRef => ({
  organisationKey: counsellorsOf(agreement.providerId),
  id: `suspension:${agreement.id}:${suspensionId}`,
});

export function followUpSuspensionTask(agreement: Agreement, suspension: Suspension, now: string): Task {
  return counsellorTask(
    'followUpSuspension',
    agreement.providerId,
    {
      id: followUpSuspensionRef(agreement, suspension.id).id,
      agreementId: agreement.id,
      label: `Schorsing van ${learnerName(agreement)} van ${suspension.from} tot ${suspension.to}`,
      dueDate: suspension.to,
      actions: ['acknowledge-suspension'],
      // The agreement lists its suspensions; acknowledging is the POST on the suspension.
      link: `/v1/agreements/${agreement.id}`,
    },
    now,
  );
}

// --- Opheffing verwerken / Adreswijziging vestiging verwerken: an event on the agreement's recognition ------

/** The event on the recognition: its id makes the task id, so a redelivered event opens nothing twice. */
type RecognitionEvent = { eventId: string; recognitionId: string };

function recognitionEventTask(type: 'processRevocation' | 'processAddressChange', link: RunningAgreement, event: RecognitionEvent, now: string): Task {
  return counsellorTask(
    type,
    link.providerId,
    {
      id: `${type}:${link.agreementId}:${event.eventId}`,
      agreementId: link.agreementId,
      label: `${link.learnerName}, vestiging ${link.establishmentNumber}, erkenning ${event.recognitionId}`,
      dueDate: null,
      actions: type === 'processRevocation' ? ['end-early'] : ['amend-establishment-address', 'end-early'],
      link: `/v1/agreements/${link.agreementId}`,
    },
    now,
  );
}

/** The recognition was lifted: the counsellor ends the agreement early. */
export const processRevocationTask = (link: RunningAgreement, event: RecognitionEvent, now: string): Task =>
  recognitionEventTask('processRevocation', link, event, now);

/** The establishment moved: the counsellor records the new address (amendment) or ends the agreement early. */
export const processAddressChangeTask = (link: RunningAgreement, event: RecognitionEvent, now: string): Task =>
  recognitionEventTask('processAddressChange', link, event, now);
