// Recognition applications: the enterprise (or a mandated counsellor) drafts and submits; the competent
// partnership reviews and decides; every transition is recorded in the file's history.
import { StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { addDocumentReaders, getDocument } from '../../shared/data/documents.ts';
import { getEstablishmentFacts } from '../../shared/data/kbo-lookups.ts';
import { changeMandate, getMandate, type Mandate } from '../../shared/data/mandates.ts';
import { counsellorMayAct, mandateScope, mandateStatusLabels } from '../../shared/domain/mandates.ts';
import { recognitionAudience, recognitionView } from './views.ts';
import { allReference, getReference } from '../../shared/data/reference.ts';
import {
  createApplication,
  getApplication,
  getHistory,
  listApplicationsOfEnterprise,
  listApplicationsOfPartnership,
  lockKey,
  saveApplication,
  type Application,
} from '../../shared/data/applications.ts';
import {
  distanceKm,
  findRecognitions,
  getRecognition,
  nextRecognitionSequence,
  recognitionItem,
  recognitionLinkUpdate,
  saveRecognition,
  searchWorkplaces,
  type Recognition,
} from '../../shared/data/recognitions.ts';
import { formatEnterpriseNumber, formatEstablishmentNumber, maskNationalNumber, type NationalNumber } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import {
  canTransition,
  extractRetentionDays,
  isoDate,
  mentorTrainingDeadline,
  openStatuses,
  recognitionId,
  recognitionPeriod,
  statusLabels,
  submissionProblems,
  type ApplicationStatus,
  type Criteria,
  type Mentor,
} from '../../shared/domain/recognitions.ts';
import { addDays } from 'date-fns';
import { activeExclusion } from '../../shared/data/sanctions.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { onDecided, onPartnershipTransition, onSubmitted } from './work-list.ts';
import { competentPartnership, type Partnership, type Postcode, type Programme, type RoutingRule } from '../../shared/domain/reference.ts';
import { regionOf } from '../../shared/domain/region.ts';
import { badRequest, conflict, forbidden, notFound, unprocessable, type FieldError } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';

type Access = 'enterprise' | 'counsellor' | 'partnership' | 'department';

/**
 * Who may see this file, and as what. A partnership sees it only once it was routed there. A counsellor sees it
 * under the provider's mandate: a pending one only for the files it filed itself, a confirmed one for all.
 */
async function accessTo(application: Application, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<Access | undefined> {
  if (!acting) return undefined;
  const enterpriseDigits = application.enterpriseNumber.replace(/\./g, '');
  if (acting.type === 'enterprise' && acting.id === enterpriseDigits) return 'enterprise';
  if (acting.type === 'provider' && acting.roles.includes('counsellor')) {
    const scope = mandateScope(await getMandate(deps, enterpriseDigits, acting.id));
    return counsellorMayAct(scope, application, acting.id) ? 'counsellor' : undefined;
  }
  if (acting.type === 'partnership' && application.partnershipId === acting.id) return 'partnership';
  if (acting.type === 'department') return 'department';
  return undefined;
}

/** The mandate a counsellor filed this file under, as every party of the file sees it (null for the enterprise's own files). */
async function mandateOf(application: Application, deps: Dependencies) {
  if (application.filedBy.role !== 'counsellor' || !application.filedBy.providerId) return null;
  const mandate = await getMandate(deps, application.enterpriseNumber.replace(/\./g, ''), application.filedBy.providerId);
  if (!mandate) return null;
  return {
    providerId: mandate.providerId,
    status: mandate.status,
    statusLabel: mandateStatusLabels[mandate.status],
    documentId: mandate.documentId,
    registeredAt: mandate.registeredAt,
    confirmedAt: mandate.confirmedAt,
    rejection: mandate.rejection ? { partnershipId: mandate.rejection.partnershipId, reasons: mandate.rejection.reasons, at: mandate.rejection.at } : null,
  };
}

async function load(id: string, acting: ActingOrganisation | undefined, deps: Dependencies, allowed: Access[]) {
  const application = await getApplication(deps, id);
  const access = application ? await accessTo(application, acting, deps) : undefined;
  if (!application || !access) throw notFound('application-not-found', 'Deze erkenningsaanvraag bestaat niet of u hebt er geen toegang toe.');
  if (!allowed.includes(access)) throw forbidden('not-allowed-for-party', 'Deze actie is niet voorzien voor uw rol in dit dossier.');
  return { application, access };
}

/** What a party sees: national numbers only masked, except for the partnership that checks the mentors. */
function view(application: Application, access: Access, extra: Record<string, unknown> = {}) {
  return {
    ...application,
    statusLabel: statusLabels[application.status],
    mentors: application.mentors.map((m) => ({
      ...m,
      nationalNumber: access === 'partnership' || access === 'department' ? m.nationalNumber : maskNationalNumber(m.nationalNumber),
    })),
    ...extra,
  };
}

export type DraftInput = {
  enterpriseNumber: string;
  establishmentNumber: string;
  programmeId: string;
  jointCommittee?: string | null | undefined;
  contactEmail: string;
};

export async function createDraft(input: DraftInput, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const filedByCounsellor = acting.type === 'provider';
  if (acting.type === 'enterprise' && acting.id !== input.enterpriseNumber)
    throw forbidden('not-your-enterprise', 'U kunt alleen voor uw eigen onderneming een aanvraag indienen.');
  let mandate: Mandate | undefined;
  if (filedByCounsellor) {
    mandate = await getMandate(deps, input.enterpriseNumber, acting.id);
    if (mandateScope(mandate) === 'none')
      throw forbidden('mandate-required', 'Een trajectbegeleider heeft een geregistreerde machtiging van de onderneming nodig.');
  }
  const errors: FieldError[] = [];
  const establishment = await getEstablishmentFacts(deps, input.enterpriseNumber, input.establishmentNumber);
  if (!establishment)
    errors.push({
      in: 'body',
      pointer: '/establishmentNumber',
      code: 'establishment_not_of_enterprise',
      detail: 'Deze vestiging hoort volgens KBO niet bij deze onderneming.',
    });
  const programme = await getReference<Programme>(deps, 'programmes', input.programmeId);
  if (!programme) errors.push({ in: 'body', pointer: '/programmeId', code: 'programme_unknown', detail: 'Onbekende opleiding.' });
  if (errors.length) throw unprocessable('draft-invalid', 'De aanvraag kan niet aangemaakt worden.', errors);
  const now = deps.clock.now().toISOString();
  const application: Application = {
    id: ulid(),
    kind: 'new',
    renewsRecognitionId: null,
    enterpriseNumber: formatEnterpriseNumber(input.enterpriseNumber),
    establishmentNumber: formatEstablishmentNumber(input.establishmentNumber),
    programmeId: input.programmeId,
    jointCommittee: input.jointCommittee ?? null,
    // A file a counsellor files also reaches the enterprise itself, at the address of its mandate.
    contactEmails: [...new Set([input.contactEmail, ...(principal.email ? [principal.email] : []), ...(mandate ? [mandate.enterpriseEmail] : [])])],
    criteria: { financialCapacity: false, organisationAndEquipment: false, noConvictions: false, commitments: false },
    mentors: [],
    documents: [],
    bankAccount: null,
    filedBy: {
      organisationKey: acting.key,
      userId: principal.userId,
      role: filedByCounsellor ? 'counsellor' : 'enterprise',
      providerId: filedByCounsellor ? acting.id : null,
    },
    status: 'draft',
    partnershipId: null,
    reviewRound: 0,
    submittedAt: null,
    clockStartedAt: null,
    reminderSentAt: null,
    escalatedAt: null,
    overdue: false,
    completionRequest: null,
    pauseReason: null,
    proposal: null,
    decision: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await createApplication(deps, application);
  return {
    status: 201,
    body: view(application, filedByCounsellor ? 'counsellor' : 'enterprise'),
    version: 1,
    headers: { Location: `/v1/applications/${application.id}` },
  };
}

export type ContentInput = {
  jointCommittee?: string | null | undefined;
  criteria: Criteria;
  mentors: {
    id?: string | undefined;
    name: string;
    nationalNumber: NationalNumber;
    yearsOfExperience: number;
    proofDocumentId: string | null;
    criminalRecordExtract: { documentId: string; issuedOn: string } | null;
  }[];
  documents: { kind: string; documentId: string }[];
  bankAccount: { iban: string; premiumConsent: boolean } | null;
};

export async function updateContent(
  id: string,
  input: ContentInput,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, access } = await load(id, acting, deps, ['enterprise', 'counsellor']);
  if (application.status !== 'draft' && application.status !== 'incomplete')
    throw conflict('not-editable', 'Alleen een werkversie of een onvolledig dossier kan gewijzigd worden.');
  // Only documents of one's own organisation may be attached: no borrowing someone else's upload by id.
  const documentIds = [
    ...input.documents.map((d) => d.documentId),
    ...input.mentors.flatMap((m) => [m.proofDocumentId, m.criminalRecordExtract?.documentId]).filter((d): d is string => !!d),
  ];
  for (const documentId of new Set(documentIds)) {
    const document = await getDocument(deps, documentId);
    if (!document || (document.ownerKey !== acting.key && !document.readers.includes(acting.key))) {
      throw unprocessable('document-not-yours', 'Een gekoppeld document bestaat niet of is niet van uw organisatie.', [
        { in: 'body', pointer: '/documents', code: 'document_not_yours', detail: `Document ${documentId} is onbekend.` },
      ]);
    }
  }
  const mentors: Mentor[] = input.mentors.map((m) => ({
    id: m.id ?? ulid(),
    name: m.name,
    nationalNumber: m.nationalNumber.value,
    birthDate: m.nationalNumber.birthDate,
    yearsOfExperience: m.yearsOfExperience,
    proofDocumentId: m.proofDocumentId,
    criminalRecordExtract: m.criminalRecordExtract,
  }));
  const next: Application = {
    ...application,
    jointCommittee: input.jointCommittee ?? application.jointCommittee,
    criteria: input.criteria,
    mentors,
    documents: input.documents,
    bankAccount: input.bankAccount,
  };
  const saved = await saveApplication(deps, next, ifMatch, {
    by: principal.userId,
    action: 'updated',
    before: { mentors: application.mentors.length, documents: application.documents.length },
    after: { mentors: mentors.length, documents: input.documents.length },
  });
  return { status: 200, body: view(saved, access), version: saved.version };
}

async function problemsOf(application: Application, deps: Dependencies) {
  const [programmes, routing, partnerships] = await Promise.all([
    getReference<Programme>(deps, 'programmes', application.programmeId),
    allReference<RoutingRule>(deps, 'routing'),
    allReference<Partnership>(deps, 'partnerships'),
  ]);
  if (!programmes) throw new Error(`programme ${application.programmeId} disappeared from reference data`);
  const partnership = competentPartnership({ programme: programmes.record, jointCommittee: application.jointCommittee }, routing, partnerships);
  const establishment = await getEstablishmentFacts(deps, application.enterpriseNumber.replace(/\./g, ''), application.establishmentNumber.replace(/\./g, ''));
  const ids = [
    ...application.documents.map((d) => d.documentId),
    ...application.mentors.flatMap((m) => [m.proofDocumentId, m.criminalRecordExtract?.documentId]).filter((d): d is string => !!d),
  ];
  const documents = new Map<string, { kind: string; status: string }>();
  for (const documentId of new Set(ids)) {
    const document = await getDocument(deps, documentId);
    if (document) documents.set(documentId, { kind: document.kind, status: document.status });
  }
  const excluded = await activeExclusion(
    deps,
    {
      establishmentDigits: application.establishmentNumber.replace(/\./g, ''),
      enterpriseDigits: application.enterpriseNumber.replace(/\./g, ''),
      partnershipId: partnership.id,
    },
    brusselsDate(deps.clock.now()),
  );
  const mandate =
    application.filedBy.role === 'counsellor' && application.filedBy.providerId
      ? await getMandate(deps, application.enterpriseNumber.replace(/\./g, ''), application.filedBy.providerId)
      : undefined;
  const problems = submissionProblems(application, {
    today: brusselsDate(deps.clock.now()),
    filedBy: application.filedBy.role,
    establishment: establishment ? { region: regionOf(establishment), status: establishment.status } : undefined,
    partnership,
    documents,
  });
  if (excluded)
    problems.push({
      code: `${excluded}-excluded`,
      pointer: excluded === 'establishment' ? '/establishmentNumber' : '/enterpriseNumber',
      detail: `Deze ${excluded === 'establishment' ? 'vestiging' : 'onderneming'} is door een sanctie uitgesloten van erkenning.`,
    });
  if (application.filedBy.role === 'counsellor' && mandateScope(mandate) === 'none') {
    problems.push({
      code: 'mandate-missing',
      pointer: '/filedBy',
      detail: 'De machtiging van de onderneming voor deze opleidingsverstrekker is ingetrokken of geweigerd.',
    });
  }
  // The partnership checks the mandate document in the completeness check.
  return { problems, partnership, documentIds: [...documents.keys(), ...(mandate && mandateScope(mandate) !== 'none' ? [mandate.documentId] : [])] };
}

export async function readApplication(id: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const { application, access } = await load(id, acting, deps, ['enterprise', 'counsellor', 'partnership', 'department']);
  const history = await getHistory(deps, id);
  const blocking = application.status === 'draft' || application.status === 'incomplete' ? (await problemsOf(application, deps)).problems : [];
  return {
    status: 200,
    body: view(application, access, { history, blockingProblems: blocking, mandate: await mandateOf(application, deps) }),
    version: application.version,
  };
}

/**
 * Submit (or resubmit after a completion request): every blocking problem at once as a 422; otherwise, in one
 * transaction, the file moves to "submitted" and takes the lock on its establishment and programme, so two
 * parallel submits leave exactly one open application. Then the review round's execution starts.
 */
export async function submit(id: string, ifMatch: number, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { application, access } = await load(id, acting, deps, ['enterprise', 'counsellor']);
  if (!canTransition(application.status, 'submitted'))
    throw conflict('invalid-transition', `Een dossier met status "${statusLabels[application.status]}" kan niet ingediend worden.`);
  const { problems, partnership, documentIds } = await problemsOf(application, deps);
  if (problems.length) {
    throw unprocessable(
      'application-incomplete',
      'De aanvraag kan nog niet ingediend worden. Los eerst deze punten op.',
      problems.map((p) => ({ in: 'body', pointer: p.pointer, code: p.code, detail: p.detail })),
    );
  }
  const now = deps.clock.now().toISOString();
  const round = application.reviewRound + 1;
  const next: Application = {
    ...application,
    status: 'submitted',
    partnershipId: partnership.id,
    reviewRound: round,
    submittedAt: application.submittedAt ?? now,
    clockStartedAt: now,
    reminderSentAt: null,
    escalatedAt: null,
    overdue: false,
    completionRequest: null,
  };
  const lock = lockKey(application.establishmentNumber.replace(/\./g, ''), application.programmeId);
  const saved = await saveApplication(
    deps,
    next,
    ifMatch,
    {
      by: principal.userId,
      action: round === 1 ? 'submitted' : 'resubmitted',
      before: { status: application.status },
      after: { status: 'submitted', partnershipId: partnership.id, round },
    },
    [
      {
        Put: {
          TableName: deps.config.TABLE_NAME,
          Item: { ...lock, holder: application.id, holderKind: 'application' },
          // A renewal takes the lock over from the recognition it renews; anything else needs a free lock.
          ConditionExpression: 'attribute_not_exists(pk) OR holder = :self OR holder = :renews',
          ExpressionAttributeValues: { ':self': application.id, ':renews': application.renewsRecognitionId ?? '-' },
        },
      },
    ],
    () => conflict('already-open-or-recognised', 'Voor deze vestiging en opleiding loopt al een aanvraag of bestaat al een erkenning.'),
  );
  await onSubmitted(deps, saved);
  // The partnership may read the documents of the file it reviews.
  for (const documentId of documentIds) await addDocumentReaders(deps, documentId, [organisationKey('partnership', partnership.id)]);
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.config.RECOGNITION_REVIEW_ARN,
        name: `${application.id}-r${round}`,
        input: JSON.stringify({ applicationId: application.id, round }),
      }),
    );
  } catch (error) {
    // A retried submit never starts a round twice: the execution name is the application id and round.
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  return { status: 200, body: view(saved, access), version: saved.version };
}

/** Consultant and voting-member actions that move the file through the partnership's work lists. */
export async function partnershipTransition(
  id: string,
  action: 'request-completion' | 'mark-complete' | 'start-review' | 'pause' | 'resume',
  input: { message?: string | undefined; reason?: string | undefined },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, access } = await load(id, acting, deps, ['partnership']);
  const target: Record<typeof action, ApplicationStatus> = {
    'request-completion': 'incomplete',
    'mark-complete': 'fileComplete',
    'start-review': 'underReview',
    pause: 'paused',
    resume: 'underReview',
  };
  const to = target[action];
  if (!canTransition(application.status, to) || (action === 'resume' && application.status !== 'paused')) {
    throw conflict('invalid-transition', `Van "${statusLabels[application.status]}" naar "${statusLabels[to]}" is niet mogelijk.`);
  }
  const now = deps.clock.now().toISOString();
  const next: Application = {
    ...application,
    status: to,
    ...(action === 'request-completion' ? { completionRequest: { message: input.message ?? '', at: now, by: principal.userId } } : {}),
    ...(action === 'pause' ? { pauseReason: input.reason ?? '', pausedInVersion: ifMatch + 1 } : {}),
    ...(action === 'resume' ? { pauseReason: null, pausedInVersion: null } : {}),
  };
  const saved = await saveApplication(deps, next, ifMatch, {
    by: principal.userId,
    action,
    before: { status: application.status },
    after: { status: to, ...(input.message ? { message: input.message } : {}), ...(input.reason ? { reason: input.reason } : {}) },
  });
  await onPartnershipTransition(deps, application, saved, action);
  if (action === 'request-completion') {
    await requestNotification(deps, {
      id: `${id}-r${application.reviewRound}-completion`,
      to: application.contactEmails,
      template: 'completion-requested',
      data: { applicationId: id, establishmentNumber: application.establishmentNumber, message: input.message ?? '' },
    });
  }
  return { status: 200, body: view(saved, access), version: saved.version };
}

export async function propose(
  id: string,
  input: { decision: 'recognise' | 'reject'; reasons: string },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, access } = await load(id, acting, deps, ['partnership']);
  if (application.status !== 'underReview') throw conflict('invalid-transition', 'Een voorstel kan alleen voor een dossier in behandeling.');
  const proposal = { ...input, by: principal.userId, at: deps.clock.now().toISOString() };
  const saved = await saveApplication(deps, { ...application, proposal }, ifMatch, {
    by: principal.userId,
    action: 'proposed',
    before: { proposal: application.proposal },
    after: { proposal },
  });
  return { status: 200, body: view(saved, access), version: saved.version };
}

/**
 * The voting member decides. Recognised: the recognition (5 years from the start date) is created and takes
 * over the lock, in the same transaction. Not recognised: the lock is released. The enterprise (and the
 * filing counsellor) get the official notification.
 */
export async function decide(
  id: string,
  input: { decision: 'recognised' | 'notRecognised'; reasons: string; startDate?: string | undefined },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { application, access } = await load(id, acting, deps, ['partnership']);
  if (!canTransition(application.status, input.decision)) throw conflict('invalid-transition', 'Alleen over een dossier in behandeling kan beslist worden.');
  if (!application.proposal) throw unprocessable('proposal-required', 'De sectorconsulent moet eerst een voorstel van beslissing doen.');
  const today = brusselsDate(deps.clock.now());
  const lock = lockKey(application.establishmentNumber.replace(/\./g, ''), application.programmeId);
  let recognition: Recognition | null = null;
  const extra = [];
  if (input.decision === 'recognised') {
    const period = recognitionPeriod(input.startDate ?? today);
    const facts = await getEstablishmentFacts(deps, application.enterpriseNumber.replace(/\./g, ''), application.establishmentNumber.replace(/\./g, ''));
    const programme = (await getReference<Programme>(deps, 'programmes', application.programmeId))?.record;
    const partnership = (await getReference<Partnership>(deps, 'partnerships', application.partnershipId!))?.record;
    recognition = {
      id: recognitionId(today, await nextRecognitionSequence(deps)),
      applicationId: application.id,
      enterpriseNumber: application.enterpriseNumber,
      establishmentNumber: application.establishmentNumber,
      programmeId: application.programmeId,
      partnershipId: application.partnershipId!,
      ...period,
      status: 'active',
      mentors: application.mentors.map((m) => ({
        id: m.id,
        name: m.name,
        birthDate: m.birthDate,
        active: true,
        withdrawn: false,
        trainingDeadline: mentorTrainingDeadline(period.startDate, partnership?.rules.mentorTrainingDeadlineMonths ?? null),
        trainingCompletedOn: null,
        trainingExempted: false,
      })),
      pendingMentors: [],
      placeAvailable: false,
      contactEmails: application.contactEmails,
      revocation: null,
      workplace: {
        name: facts?.name ?? null,
        postcode: facts?.postcode ?? null,
        municipality: facts?.municipality ?? null,
        sector: programme?.sector ?? '',
        programmeName: programme?.name ?? application.programmeId,
      },
      decidedBy: principal.userId,
      decidedAt: deps.clock.now().toISOString(),
      version: 1,
    };
    extra.push({ Put: { TableName: deps.config.TABLE_NAME, Item: recognitionItem(recognition), ConditionExpression: 'attribute_not_exists(pk)' } });
    extra.push({ Update: recognitionLinkUpdate(deps.config.TABLE_NAME, recognition) });
    // Indexes for the daily job: renewal tasks from 180 days before the end.
    extra.push({
      Put: {
        TableName: deps.config.TABLE_NAME,
        Item: { pk: `RECENDS#${recognition.endDate.slice(0, 7)}`, sk: `${recognition.endDate}#${recognition.id}`, recognitionId: recognition.id },
      },
    });
    extra.push({
      Put: {
        TableName: deps.config.TABLE_NAME,
        Item: { ...lock, holder: recognition.id, holderKind: 'recognition' },
        ConditionExpression: 'holder = :self',
        ExpressionAttributeValues: { ':self': application.id },
      },
    });
  } else {
    extra.push({
      Delete: { TableName: deps.config.TABLE_NAME, Key: lock, ConditionExpression: 'holder = :self', ExpressionAttributeValues: { ':self': application.id } },
    });
  }
  const decision = {
    decision: input.decision,
    reasons: input.reasons,
    by: principal.userId,
    at: deps.clock.now().toISOString(),
    recognitionId: recognition?.id ?? null,
  };
  // The criminal-record extracts go 60 days after the final decision; the daily job reads this day's list.
  extra.push({
    Put: {
      TableName: deps.config.TABLE_NAME,
      Item: { pk: `RETENTION#${isoDate(addDays(new Date(`${today}T00:00:00Z`), extractRetentionDays))}`, sk: application.id, applicationId: application.id },
    },
  });
  const saved = await saveApplication(
    deps,
    { ...application, status: input.decision, decision },
    ifMatch,
    {
      by: principal.userId,
      action: 'decided',
      before: { status: application.status },
      after: { status: input.decision, recognitionId: decision.recognitionId },
    },
    extra,
  );
  await onDecided(deps, saved);
  if (application.overdue) {
    await closeTask(deps, organisationKey('partnership', application.partnershipId!), `overdue:${id}`);
    await closeTask(deps, organisationKey('department', 'dwse'), `overdue:${id}`);
  }
  await requestNotification(deps, {
    id: `${id}-decision`,
    to: application.contactEmails,
    template: 'decision',
    data: {
      applicationId: id,
      decision: input.decision,
      reasons: input.reasons,
      recognitionId: recognition?.id ?? null,
      startDate: recognition?.startDate ?? null,
      endDate: recognition?.endDate ?? null,
      establishmentNumber: application.establishmentNumber,
      programmeId: application.programmeId,
    },
  });
  return { status: 200, body: view(saved, access, { recognition }), version: saved.version };
}

export async function listApplications(
  query: { status?: ApplicationStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const page =
    acting.type === 'partnership'
      ? await listApplicationsOfPartnership(deps, acting.id, query.status, query)
      : await listApplicationsOfEnterprise(deps, acting.id, query);
  const access: Access = acting.type === 'partnership' ? 'partnership' : 'enterprise';
  return { status: 200, body: { items: page.items.map((a) => view(a, access)), cursor: page.cursor } };
}

/**
 * The recognitions of an establishment, each in the view of the caller (views.ts): an enterprise sees only its
 * own; a counsellor the mentors' names to choose from; another partnership no people at all.
 */
export async function searchRecognitions(
  query: { establishment: string; programme?: string | undefined; onDate?: string | undefined },
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const found = await findRecognitions(deps, query.establishment, query.programme);
  const onDate = query.onDate;
  const today = brusselsDate(deps.clock.now());
  const items = found
    .filter((r) => !onDate || (r.status === 'active' && r.startDate <= onDate && onDate <= r.endDate))
    .flatMap((r) => {
      const audience = recognitionAudience(r, acting);
      return audience ? [recognitionView(r, audience, onDate ?? today)] : [];
    });
  return { status: 200, body: { items } };
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
  const { application, access } = await load(id, acting, deps, ['partnership']);
  if (application.filedBy.role !== 'counsellor' || !application.filedBy.providerId)
    throw unprocessable('no-mandate', 'Dit dossier werd door de onderneming zelf ingediend, niet onder een machtiging.');
  const enterpriseDigits = application.enterpriseNumber.replace(/\./g, '');
  const changed = await changeMandate(deps, enterpriseDigits, application.filedBy.providerId, {
    action: 'reject',
    by: principal.userId,
    partnershipId: acting.id,
    reasons,
  });
  if (!changed.ok) throw conflict('mandate-status', 'De machtiging is al beëindigd (ingetrokken of geweigerd).');
  const mandate = changed.mandate;
  const counsellorEmail = mandate.registeredByEmail;
  const contactEmails = application.contactEmails.filter((e) => e !== counsellorEmail);
  const saved = await saveApplication(deps, { ...application, contactEmails }, ifMatch, {
    by: principal.userId,
    action: 'mandate-rejected',
    before: { mandate: 'pending-or-confirmed' },
    after: { mandate: 'rejected', providerId: mandate.providerId, reasons },
  });
  await closeTask(deps, organisationKey('enterprise', enterpriseDigits), `mandate:${mandate.registrationId}`);
  await requestNotification(deps, {
    id: `mandate-${mandate.registrationId}-rejected`,
    to: [...new Set([mandate.enterpriseEmail, ...contactEmails, ...(counsellorEmail ? [counsellorEmail] : [])])].slice(0, 20),
    template: 'generic',
    data: {
      subject: 'Machtiging geweigerd door het partnerschap',
      lines: [
        `Het partnerschap weigerde de machtiging van opleidingsverstrekker ${mandate.providerId} voor onderneming ${application.enterpriseNumber}.`,
        `Motivering: ${reasons}`,
        'De opleidingsverstrekker heeft geen toegang meer tot de erkenningsaanvragen van de onderneming. De onderneming kan het dossier zelf verder opvolgen in het loket.',
      ],
    },
  });
  return { status: 200, body: view(saved, access, { mandate: await mandateOf(saved, deps) }), version: saved.version };
}

export const isOpen = (status: ApplicationStatus) => openStatuses.includes(status);

/** The enterprise marks per recognition whether it has a place for a learner; that drives the public search. */
export async function setAvailability(
  id: string,
  placeAvailable: boolean,
  ifMatch: number,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const recognition = await getRecognition(deps, id);
  if (!recognition || recognition.enterpriseNumber.replace(/\./g, '') !== acting.id)
    throw notFound('recognition-not-found', 'Deze erkenning bestaat niet of is niet van uw onderneming.');
  if (recognition.status !== 'active') throw conflict('recognition-not-active', 'Alleen voor een actieve erkenning kan u een vrije plaats aanduiden.');
  const saved = await saveRecognition(deps, { ...recognition, placeAvailable }, ifMatch);
  return { status: 200, body: recognitionView(saved, 'enterprise', brusselsDate(deps.clock.now())), version: saved.version };
}

/** The approximate location of a postcode (reference data `postcodes`), or null when the table lacks it. */
async function postcodeLocation(deps: Dependencies, postcode: string | null): Promise<{ latitude: number; longitude: number } | null> {
  if (!postcode || !/^\d{4}$/.test(postcode)) return null;
  const found = (await getReference<Postcode>(deps, 'postcodes', postcode))?.record;
  return found ? { latitude: found.latitude, longitude: found.longitude } : null;
}

/** Where a distance search resumes: the (postcode, programme) step and the Query cursor inside it. */
const distanceCursor = {
  encode: (near: string, radiusKm: number, step: number, inner: string | null) =>
    Buffer.from(JSON.stringify({ near, radiusKm, step, inner }), 'utf8').toString('base64url'),
  decode(cursor: string | undefined, near: string, radiusKm: number): { step: number; inner: string | undefined } {
    if (cursor === undefined) return { step: 0, inner: undefined };
    const invalid = () =>
      badRequest('invalid-cursor', 'De cursor is ongeldig of hoort bij een andere lijst.', [
        { in: 'query', pointer: '/cursor', code: 'invalid_cursor', detail: 'Gebruik de cursor uit het vorige antwoord.' },
      ]);
    let value: { near?: unknown; radiusKm?: unknown; step?: unknown; inner?: unknown };
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (
      value?.near !== near ||
      value.radiusKm !== radiusKm ||
      typeof value.step !== 'number' ||
      !Number.isInteger(value.step) ||
      value.step < 0 ||
      value.step > 100_000
    )
      throw invalid();
    if (value.inner !== null && typeof value.inner !== 'string') throw invalid();
    return { step: value.step, inner: value.inner ?? undefined };
  },
};

/** The postcode table, read once per container for five minutes: reference data that changes rarely. */
let postcodeCache: { at: number; table: string; rows: Postcode[] } | undefined;
async function allPostcodes(deps: Dependencies): Promise<Postcode[]> {
  if (!postcodeCache || postcodeCache.table !== deps.config.TABLE_NAME || Date.now() - postcodeCache.at > 300_000) {
    postcodeCache = { at: Date.now(), table: deps.config.TABLE_NAME, rows: await allReference<Postcode>(deps, 'postcodes') };
  }
  return postcodeCache.rows;
}

const publicWorkplace = (r: Recognition) => ({
  recognitionId: r.id,
  programmeId: r.programmeId,
  programme: r.workplace.programmeName,
  sector: r.workplace.sector,
  establishmentNumber: r.establishmentNumber,
  name: r.workplace.name,
  postcode: r.workplace.postcode,
  municipality: r.workplace.municipality,
  validUntil: r.endDate,
});

/**
 * Distance search: nearest first within `distanceKm` of the postcode's centre, over the chosen programmes. A
 * workplace is placed at its postcode's centre, so the distance is a property of the postcode: the postcodes
 * within the radius are sorted by distance (in memory, from the postcode table) and the postcode search index
 * is read postcode by postcode, nearest first, until the page is full. The work follows the page size and the
 * number of postcodes in the circle, never the number of recognitions in the table.
 */
async function findWorkplacesNear(
  near: string,
  radiusKm: number,
  programmeIds: string[],
  query: { cursor?: string | undefined; limit?: number | undefined },
  deps: Dependencies,
): Promise<ApiResponse> {
  const limit = query.limit ?? 25;
  let { step, inner } = distanceCursor.decode(query.cursor, near, radiusKm);
  const centre = await postcodeLocation(deps, near);
  if (!centre)
    throw unprocessable('unknown-postcode', 'Deze postcode kennen we niet.', [
      { in: 'query', pointer: '/near', code: 'unknown_postcode', detail: 'Geef een Belgische postcode uit de postcodelijst.' },
    ]);
  const rings = new Map<string, number>();
  for (const row of await allPostcodes(deps)) {
    const d = Math.round(distanceKm(centre, row) * 10) / 10;
    if (d <= radiusKm && d < (rings.get(row.postcode) ?? Infinity)) rings.set(row.postcode, d);
  }
  const steps = [...rings.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .flatMap(([postcode, distance]) => programmeIds.map((programmeId) => ({ postcode, distance, programmeId })));
  const items: (ReturnType<typeof publicWorkplace> & { distanceKm: number })[] = [];
  while (items.length < limit && step < steps.length) {
    const { postcode, distance, programmeId } = steps[step]!;
    const page = await searchWorkplaces(deps, { programmeId, postcodePrefix: `${postcode}#`, cursor: inner, limit: limit - items.length });
    items.push(...page.items.map((r) => ({ ...publicWorkplace(r), distanceKm: distance })));
    if (page.cursor) inner = page.cursor;
    else {
      step++;
      inner = undefined;
    }
  }
  return { status: 200, body: { items, cursor: step < steps.length ? distanceCursor.encode(near, radiusKm, step, inner ?? null) : null } };
}

/**
 * Where a search by programme or sector resumes: the programme it stopped in and that programme's Query cursor
 * (null: the programme was read to its end). The API seals it to the search (shared/http/cursor.ts).
 */
const programmeCursor = {
  encode: (programmeId: string, inner: string | null) => Buffer.from(JSON.stringify({ programmeId, inner }), 'utf8').toString('base64url'),
  decode(cursor: string | undefined, programmeIds: string[]): { step: number; inner: string | undefined } {
    if (cursor === undefined) return { step: 0, inner: undefined };
    const invalid = () =>
      badRequest('invalid-cursor', 'De cursor is ongeldig of hoort bij een andere lijst.', [
        { in: 'query', pointer: '/cursor', code: 'invalid_cursor', detail: 'Gebruik de cursor uit het vorige antwoord.' },
      ]);
    let value: { programmeId?: unknown; inner?: unknown };
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    // A programme that left the sector since the previous page ends the paging with a 400, not a wrong page.
    const step = typeof value?.programmeId === 'string' ? programmeIds.indexOf(value.programmeId) : -1;
    if (step < 0) throw invalid();
    if (value.inner !== null && typeof value.inner !== 'string') throw invalid();
    return { step, inner: value.inner ?? undefined };
  },
};

/** Queries one page may make: a municipality filter can leave Queries empty; the client follows the cursor. */
const maxQueriesPerPage = 10;

/**
 * Search by programme, or by sector over its programmes in id order: each programme is one Query on its own
 * partition of the postcode index. A page is filled programme after programme; when it ends inside one, its
 * cursor says which and where, so the next page continues there: every workplace once, none skipped.
 */
export async function findWorkplaces(
  query: {
    programme?: string | undefined;
    sector?: string | undefined;
    postcode?: string | undefined;
    area?: boolean | undefined;
    municipality?: string | undefined;
    near?: string | undefined;
    distanceKm?: number | undefined;
    cursor?: string | undefined;
    limit?: number | undefined;
  },
  deps: Dependencies,
): Promise<ApiResponse> {
  const limit = query.limit ?? 25;
  const postcodePrefix = query.postcode ? (query.area ? query.postcode.slice(0, 2) : query.postcode) : undefined;
  let programmeIds: string[];
  if (query.programme) programmeIds = [query.programme];
  else
    programmeIds = (await allReference<Programme>(deps, 'programmes'))
      .filter((p) => p.sector === query.sector)
      .map((p) => p.id)
      .sort();
  if (query.near) return findWorkplacesNear(query.near, query.distanceKm ?? 10, programmeIds, query, deps);
  let { step, inner } = programmeCursor.decode(query.cursor, programmeIds);
  const items: Recognition[] = [];
  for (let queries = 0; items.length < limit && step < programmeIds.length && queries < maxQueriesPerPage; queries++) {
    const page = await searchWorkplaces(deps, {
      programmeId: programmeIds[step]!,
      postcodePrefix,
      municipality: query.municipality,
      cursor: inner,
      limit: limit - items.length,
    });
    items.push(...page.items);
    if (page.cursor) inner = page.cursor;
    else {
      step++;
      inner = undefined;
    }
  }
  return {
    status: 200,
    body: {
      items: items.map(publicWorkplace),
      cursor: step < programmeIds.length ? programmeCursor.encode(programmeIds[step]!, inner ?? null) : null,
    },
  };
}

/**
 * Renewal: a new application prefilled from the recognition's file (mentors, documents, bank account) that
 * goes through the same review; on recognition it takes the lock over from the recognition it renews.
 */
export async function renew(id: string, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await getRecognition(deps, id);
  if (!recognition || recognition.enterpriseNumber.replace(/\./g, '') !== acting.id)
    throw notFound('recognition-not-found', 'Deze erkenning bestaat niet of is niet van uw onderneming.');
  if (recognition.status !== 'active') throw conflict('recognition-not-active', 'Alleen een actieve erkenning kan hernieuwd worden.');
  const original = await getApplication(deps, recognition.applicationId);
  if (!original) throw new Error(`application ${recognition.applicationId} of ${recognition.id} not found`);
  const now = deps.clock.now().toISOString();
  const activeMentors = new Set(recognition.mentors.filter((m) => m.active).map((m) => m.id));
  const application: Application = {
    ...original,
    id: ulid(),
    kind: 'renewal',
    renewsRecognitionId: recognition.id,
    // Extracts are at most a year old and deleted after the decision: each mentor needs a new one.
    mentors: original.mentors.filter((m) => activeMentors.has(m.id)).map((m) => ({ ...m, criminalRecordExtract: null })),
    filedBy: { organisationKey: acting.key, userId: principal.userId, role: 'enterprise', providerId: null },
    status: 'draft',
    partnershipId: null,
    reviewRound: 0,
    submittedAt: null,
    clockStartedAt: null,
    reminderSentAt: null,
    escalatedAt: null,
    overdue: false,
    completionRequest: null,
    pauseReason: null,
    proposal: null,
    decision: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await createApplication(deps, application);
  await closeTask(deps, acting.key, `renewal:${recognition.id}`);
  return { status: 201, body: view(application, 'enterprise'), version: 1, headers: { Location: `/v1/applications/${application.id}` } };
}
