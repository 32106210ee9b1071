// Agreements: the counsellor drafts (every save returns the pre-flight check), attaches the annexes and
// registers; after registration the agreement is amended (with an addendum where the model says so),
// suspended and ended. The enterprise reads its agreements with the learner's national number masked.
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import {
  createAgreement,
  establishmentSlotsKey,
  freeSlot,
  getAgreement,
  getAgreementHistory,
  learnerAgreements,
  learnerItem,
  learnerPk,
  type LearnerAgreement,
  listAgreements,
  mentorSlotsKey,
  premiumItem,
  runningLinkItem,
  runningLinkKey,
  saveAgreement,
  slotsUsed,
  takeSlot,
  type Address,
  type Addendum,
  type Agreement,
} from '../../shared/data/agreements.ts';
import { addDocumentReaders, getDocument } from '../../shared/data/documents.ts';
import { getEstablishmentFacts } from '../../shared/data/kbo-lookups.ts';
import { findRecognitions, getRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { getReference } from '../../shared/data/reference.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { dispatchSoon, outboxPut } from '../../shared/data/outbox.ts';
import { agreementModelOn, needsAddendum, type AgreementModel } from '../../shared/domain/agreement-model.ts';
import { closeAgreementTasks } from '../../shared/data/agreement-tasks.ts';
import {
  blocking,
  draftExpiresOn,
  draftWarningOn,
  latestEndDate,
  learningAllowance,
  preflight,
  premiums,
  runningStatuses,
  statusLabels,
  suspensionNeedsReport,
  amendmentKinds,
  type AmendmentKind,
  type Issue,
} from '../../shared/domain/agreements.ts';
import { formatEnterpriseNumber, formatEstablishmentNumber, maskNationalNumber, type NationalNumber } from '../../shared/domain/identifiers.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import { mentorValid } from '../../shared/domain/recognitions.ts';
import type { Allowance, Partnership, Programme, Provider } from '../../shared/domain/reference.ts';
import { regionOf, regionOfPostcode } from '../../shared/domain/region.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { conflict, forbidden, notFound, unprocessable, type FieldError } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { allReference } from '../../shared/data/reference.ts';

export type Access = 'counsellor' | 'enterprise';
const digits = (formatted: string) => formatted.replace(/\./g, '');
const today = (deps: Dependencies) => brusselsDate(deps.clock.now());

function accessTo(agreement: Agreement, acting: ActingOrganisation | undefined): Access | undefined {
  if (!acting) return undefined;
  if (acting.type === 'provider' && acting.id === agreement.providerId && acting.roles.includes('counsellor')) return 'counsellor';
  if (acting.type === 'enterprise' && acting.id === digits(agreement.enterpriseNumber)) return 'enterprise';
  return undefined;
}

export async function load(id: string, acting: ActingOrganisation | undefined, deps: Dependencies, allowed: Access[]) {
  const agreement = await getAgreement(deps, id, today(deps));
  const access = agreement ? accessTo(agreement, acting) : undefined;
  if (!agreement || !access) throw notFound('agreement-not-found', 'Deze overeenkomst bestaat niet (meer) of u hebt er geen toegang toe.');
  if (!allowed.includes(access)) throw forbidden('not-allowed-for-party', 'Deze actie is voorbehouden aan de trajectbegeleider van de opleidingsverstrekker.');
  return { agreement, access };
}

/**
 * What each party sees of the learner, in the JSON and in the PDF alike (README, "What each party sees of the
 * learner"). The counsellor prepares the copy the parties sign: the full national number, as the official
 * model asks, and the learner's account for the premium. The enterprise needs the agreement's content, not the
 * number (data minimisation): masked, and no learner account.
 */
export function learnerSeenBy(learner: Agreement['learner'], access: Access): Agreement['learner'] {
  if (access === 'counsellor') return learner;
  return { ...learner, nationalNumber: maskNationalNumber(learner.nationalNumber), iban: null };
}

export function view(agreement: Agreement, access: Access, extra: Record<string, unknown> = {}) {
  const learner = learnerSeenBy(agreement.learner, access);
  return {
    ...agreement,
    learner,
    statusLabel: statusLabels[agreement.status],
    ...(agreement.status === 'draft' ? { expiresOn: draftExpiresOn(agreement.updatedAt) } : {}),
    ...extra,
  };
}

// --- drafting --------------------------------------------------------------------------------------------

export type DraftInput = {
  learner: {
    firstName: string;
    lastName: string;
    nationalNumber: NationalNumber;
    address: Address;
    legalRepresentative: { name: string; address: Address | null } | null;
    iban: string | null;
    premiumConsent: boolean;
    priorEducationTier: 1 | 2 | 3;
    firstTwoYearsSecondaryCompleted: boolean;
    paid: boolean;
  };
  enterpriseNumber: string;
  establishmentNumber: string;
  enterpriseRepresentative: string;
  enterpriseBankAccount: { iban: string; consent: boolean } | null;
  mentorId: string;
  programmeId: string;
  trajectoryYear: number;
  lessonLocationId: string | null;
  providerRepresentative: string;
  startDate: string;
  endDate: string;
  weeklyHours: { enterpriseFullTime: number; school: number; workplace: number };
};

/** Reference data and KBO facts a draft must match; a mismatch is a 422 naming the field, not a saved draft. */
async function resolveDraft(input: DraftInput, acting: ActingOrganisation, deps: Dependencies) {
  const errors: FieldError[] = [];
  const [programme, provider, establishment] = await Promise.all([
    getReference<Programme>(deps, 'programmes', input.programmeId),
    getReference<Provider>(deps, 'providers', acting.id),
    getEstablishmentFacts(deps, input.enterpriseNumber, input.establishmentNumber),
  ]);
  if (!programme) errors.push({ in: 'body', pointer: '/programmeId', code: 'programme_unknown', detail: 'Onbekende opleiding.' });
  if (!provider)
    errors.push({
      in: 'header',
      pointer: '/X-Organisation',
      code: 'provider_unknown',
      detail: 'Deze opleidingsverstrekker is niet gekend in de referentiegegevens.',
    });
  if (!establishment)
    errors.push({
      in: 'body',
      pointer: '/establishmentNumber',
      code: 'establishment_not_of_enterprise',
      detail: 'Deze vestiging hoort volgens KBO niet bij deze onderneming.',
    });
  if (provider && input.lessonLocationId && !provider.record.lessonLocations.some((l) => l.id === input.lessonLocationId)) {
    errors.push({
      in: 'body',
      pointer: '/lessonLocationId',
      code: 'lesson_location_unknown',
      detail: 'Deze lesplaats hoort niet bij uw opleidingsverstrekker.',
    });
  }
  if (programme && input.trajectoryYear > programme.record.schoolYears) {
    errors.push({
      in: 'body',
      pointer: '/trajectoryYear',
      code: 'too_big',
      detail: `Deze opleiding duurt ${programme.record.schoolYears} schooljaar/schooljaren.`,
    });
  }
  if (errors.length) throw unprocessable('draft-invalid', 'De werkversie kan niet bewaard worden.', errors);
  return { programme: programme!.record, establishment: establishment! };
}

function contentOf(input: DraftInput, programme: Programme, allowances: Allowance[]) {
  return {
    agreementType: programme.agreementType,
    programmeId: programme.id,
    trajectoryYear: input.trajectoryYear,
    lessonLocationId: input.lessonLocationId,
    providerRepresentative: input.providerRepresentative,
    learner: {
      firstName: input.learner.firstName,
      lastName: input.learner.lastName,
      nationalNumber: input.learner.nationalNumber.value,
      birthDate: input.learner.nationalNumber.birthDate!,
      address: input.learner.address,
      legalRepresentative: input.learner.legalRepresentative,
      iban: input.learner.iban,
      premiumConsent: input.learner.premiumConsent,
      priorEducationTier: input.learner.priorEducationTier,
      firstTwoYearsSecondaryCompleted: input.learner.firstTwoYearsSecondaryCompleted,
      // An SAO is unpaid by definition.
      paid: programme.agreementType === 'SAO' ? false : input.learner.paid,
    },
    enterpriseNumber: formatEnterpriseNumber(input.enterpriseNumber),
    establishmentNumber: formatEstablishmentNumber(input.establishmentNumber),
    enterpriseRepresentative: input.enterpriseRepresentative,
    enterpriseBankAccount: input.enterpriseBankAccount,
    mentorId: input.mentorId,
    startDate: input.startDate,
    endDate: input.endDate,
    weeklyHours: input.weeklyHours,
    learningAllowance: learningAllowance(programme.agreementType, input.learner.priorEducationTier, allowances, input.startDate),
  } satisfies Partial<Agreement>;
}

/** The recognition of the workplace on the start date, and the capacity rules of its partnership. */
async function workplaceOf(agreement: Pick<Agreement, 'establishmentNumber' | 'programmeId' | 'startDate'>, deps: Dependencies) {
  const recognitions = await findRecognitions(deps, digits(agreement.establishmentNumber), agreement.programmeId);
  const recognition = recognitions.find((r) => r.status === 'active' && r.startDate <= agreement.startDate && agreement.startDate <= r.endDate) ?? null;
  const partnership = recognition ? (await getReference<Partnership>(deps, 'partnerships', recognition.partnershipId))?.record : undefined;
  const rules = partnership?.rules;
  return {
    recognition,
    mentorCapacity: rules?.capacityPerMentor ?? 1,
    establishmentCapacity: rules ? (rules.capacityPerEstablishmentByProgramme[agreement.programmeId] ?? rules.capacityPerEstablishment) : null,
  };
}

/** Runs the pre-flight check against the current recognitions, capacity and the learner's other agreements. */
export async function check(
  agreement: Agreement,
  deps: Dependencies,
  forRegistration: boolean,
  knownProgramme?: Programme,
): Promise<{
  issues: Issue[];
  recognition: Recognition | null;
  mentorCapacity: number;
  establishmentCapacity: number | null;
  learnerAgreements: LearnerAgreement[];
}> {
  const now = today(deps);
  const workplace = await workplaceOf(agreement, deps);
  const mentor = workplace.recognition?.mentors.find((m) => m.id === agreement.mentorId);
  const holds = agreement.slots !== null;
  const [mentorLoad, establishmentLoad, others] = await Promise.all([
    slotsUsed(deps, mentorSlotsKey(agreement.mentorId)),
    slotsUsed(deps, establishmentSlotsKey(agreement.establishmentNumber)),
    learnerAgreements(deps, agreement.learner.nationalNumber),
  ]);
  const issues = preflight(
    {
      agreementType: agreement.agreementType,
      programme: { schoolYears: knownProgramme?.schoolYears ?? (await schoolYearsOf(agreement.programmeId, deps)) },
      trajectoryYear: agreement.trajectoryYear,
      startDate: agreement.startDate,
      endDate: agreement.endDate,
      weeklyHours: agreement.weeklyHours,
      learner: {
        birthDate: agreement.learner.birthDate,
        priorEducationTier: agreement.learner.priorEducationTier,
        firstTwoYearsSecondaryCompleted: agreement.learner.firstTwoYearsSecondaryCompleted,
        hasLegalRepresentative: agreement.learner.legalRepresentative !== null,
      },
    },
    {
      today: now,
      recognition: workplace.recognition ? { id: workplace.recognition.id, endDate: workplace.recognition.endDate } : null,
      mentor: mentor ? { active: mentor.active && !mentor.withdrawn, valid: !mentor.withdrawn && mentorValid(mentor, now) } : null,
      mentorLoad: mentorLoad - (holds ? 1 : 0),
      mentorCapacity: workplace.mentorCapacity,
      establishmentLoad: establishmentLoad - (holds ? 1 : 0),
      establishmentCapacity: workplace.establishmentCapacity,
      learnerAgreements: others
        .filter((o) => o.agreementId !== agreement.id && runningStatuses.includes(o.status))
        .map((o) => ({ id: o.agreementId, startDate: o.startDate, endDate: o.endDate })),
      forRegistration,
    },
  );
  if (agreement.agreementType === 'OAO' && !agreement.learningAllowance) {
    issues.push({
      code: 'allowance-unknown',
      severity: 'blocking',
      pointer: '/learner/priorEducationTier',
      detail: 'Er is geen leervergoeding vastgelegd voor deze categorie op de begindatum.',
    });
  }
  return { issues, ...workplace, learnerAgreements: others };
}

async function schoolYearsOf(programmeId: string, deps: Dependencies): Promise<number> {
  return (await getReference<Programme>(deps, 'programmes', programmeId))?.record.schoolYears ?? 1;
}

const draftWarningTaskId = (agreement: Agreement) => `draft-expiring:${agreement.id}:${draftWarningOn(agreement.updatedAt)}`;

export async function createDraft(input: DraftInput, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { programme } = await resolveDraft(input, acting, deps);
  const allowances = await allReference<Allowance>(deps, 'allowances');
  const now = deps.clock.now().toISOString();
  const draft: Agreement = {
    id: ulid(),
    status: 'draft',
    ...contentOf(input, programme, allowances),
    providerId: acting.id,
    counsellor: { userId: principal.userId, name: principal.name, email: principal.email ?? '' },
    recognitionId: null,
    annexes: { schedule: null, trainingPlan: null, learnerPremiumConsent: null, signedAgreement: null },
    issues: [],
    registration: null,
    suspensions: [],
    ending: null,
    addenda: [],
    slots: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const checked = await check(draft, deps, false, programme);
  draft.issues = checked.issues;
  draft.recognitionId = checked.recognition?.id ?? null;
  await createAgreement(deps, draft, principal.userId);
  return { status: 201, body: view(draft, 'counsellor'), version: 1, headers: { Location: `/v1/agreements/${draft.id}` } };
}

export async function updateDraft(
  id: string,
  input: DraftInput,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (agreement.status !== 'draft')
    throw conflict('not-a-draft', 'Een geregistreerde overeenkomst wijzigt u met een wijziging (addendum), niet als werkversie.');
  const { programme } = await resolveDraft(input, acting, deps);
  const allowances = await allReference<Allowance>(deps, 'allowances');
  const next: Agreement = { ...agreement, ...contentOf(input, programme, allowances) };
  const checked = await check(next, deps, false, programme);
  next.issues = checked.issues;
  next.recognitionId = checked.recognition?.id ?? null;
  const changed = (Object.keys(input) as (keyof DraftInput)[]).filter(
    (k): k is Exclude<keyof DraftInput, 'learner'> =>
      k !== 'learner' && JSON.stringify((agreement as Record<string, unknown>)[k]) !== JSON.stringify((next as Record<string, unknown>)[k]),
  );
  const recorded = (a: Agreement) => Object.fromEntries(changed.map((k) => [k, historyValue(k, a)]));
  const saved = await saveAgreement(deps, next, ifMatch, { by: principal.userId, action: 'draft-updated', before: recorded(agreement), after: recorded(next) });
  // The work version lives 90 days from this change: a warning about the old expiry date no longer applies.
  await closeTask(deps, `provider:${agreement.providerId}`, draftWarningTaskId(agreement));
  return { status: 200, body: view(saved, 'counsellor'), version: saved.version };
}

/**
 * A changed draft field as the history records it. The learner's data is left out altogether (the history
 * is read by both parties); the enterprise's account only by its last four digits, so the entry shows that
 * it changed without holding an account number.
 */
function historyValue(key: Exclude<keyof DraftInput, 'learner'>, agreement: Agreement): unknown {
  if (key === 'enterpriseBankAccount') {
    const account = agreement.enterpriseBankAccount;
    return account ? { iban: `eindigt op ${account.iban.slice(-4)}`, consent: account.consent } : null;
  }
  return agreement[key];
}

export async function readAgreement(id: string, acting: ActingOrganisation | undefined, deps: Dependencies): Promise<ApiResponse> {
  const { agreement, access } = await load(id, acting, deps, ['counsellor', 'enterprise']);
  const history = await getAgreementHistory(deps, id);
  const now = today(deps);
  const suspendedNow = agreement.suspensions.some((s) => s.from <= now && now <= s.to);
  return { status: 200, body: view(agreement, access, { history, suspendedNow }), version: agreement.version };
}

export async function listForActing(
  query: { cursor?: string | undefined; limit?: number | undefined },
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const owner = acting.type === 'enterprise' ? { kind: 'enterprise' as const, digits: acting.id } : { kind: 'provider' as const, id: acting.id };
  const page = await listAgreements(deps, owner, query);
  const now = today(deps);
  const access: Access = acting.type === 'enterprise' ? 'enterprise' : 'counsellor';
  // Expired work versions are gone even before TTL removes them.
  const items = page.items.filter((a) => a.status !== 'draft' || now < draftExpiresOn(a.updatedAt)).map((a) => view(a, access));
  return { status: 200, body: { items, cursor: page.cursor } };
}

// --- annexes and registration ----------------------------------------------------------------------------

const annexKinds = {
  schedule: 'schedule',
  trainingPlan: 'trainingPlan',
  learnerPremiumConsent: 'learnerPremiumConsent',
  signedAgreement: 'signedAgreement',
} as const;
type AnnexName = keyof typeof annexKinds;
const annexesSharedWithEnterprise: AnnexName[] = ['schedule', 'trainingPlan'];

async function verifiedDocumentOf(documentId: string, kind: string, pointer: string, acting: ActingOrganisation, deps: Dependencies) {
  const document = await getDocument(deps, documentId);
  if (!document || document.ownerKey !== acting.key)
    throw unprocessable('document-not-yours', 'Dit document bestaat niet of is niet van uw organisatie.', [
      { in: 'body', pointer, code: 'document_not_yours', detail: `Document ${documentId} is onbekend.` },
    ]);
  if (document.status !== 'verified')
    throw unprocessable('document-not-verified', 'Dit document is nog niet opgeladen en gecontroleerd.', [
      { in: 'body', pointer, code: 'document_not_verified', detail: 'Laad het bestand op en bevestig de upload eerst.' },
    ]);
  if (document.kind !== kind)
    throw unprocessable('document-wrong-kind', 'Dit document is van een andere soort.', [
      { in: 'body', pointer, code: 'document_wrong_kind', detail: `Verwacht: ${kind}.` },
    ]);
  return document;
}

/** Attaches annexes to a work version; a new schedule replaces the previous one (one schedule per agreement). */
export async function attachAnnexes(
  id: string,
  input: Partial<Record<AnnexName, string>>,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (agreement.status !== 'draft') throw conflict('not-a-draft', 'Na registratie vervangt u het uurrooster met een wijziging (addendum).');
  const now = deps.clock.now().toISOString();
  const annexes = { ...agreement.annexes };
  for (const [name, documentId] of Object.entries(input) as [AnnexName, string][]) {
    await verifiedDocumentOf(documentId, annexKinds[name], `/${name}`, acting, deps);
    annexes[name] = { documentId, attachedAt: now };
  }
  // The enterprise is a party: it reads the annexes it works with. Not the signed agreement (it carries the
  // learner's full national number; the enterprise has its signed original on paper) nor the learner's premium
  // consent (the learner's account number): see learnerSeenBy.
  for (const name of annexesSharedWithEnterprise) {
    const documentId = input[name];
    if (documentId) await addDocumentReaders(deps, documentId, [`enterprise:${digits(agreement.enterpriseNumber)}`]);
  }
  const before = Object.fromEntries(Object.keys(input).map((k) => [k, agreement.annexes[k as AnnexName]?.documentId ?? null]));
  const saved = await saveAgreement(deps, { ...agreement, annexes }, ifMatch, { by: principal.userId, action: 'annexes-attached', before, after: input });
  return { status: 200, body: view(saved, 'counsellor'), version: saved.version };
}

export async function register(id: string, ifMatch: number, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (agreement.status !== 'draft') throw conflict('already-registered', 'Deze overeenkomst is al geregistreerd.');
  const missing: FieldError[] = (Object.keys(annexKinds) as AnnexName[])
    .filter((name) => !agreement.annexes[name])
    .map((name) => ({ in: 'body', pointer: `/annexes/${name}`, code: 'annex_missing', detail: annexLabels[name] }));
  const checked = await check(agreement, deps, true);
  const blockers = blocking(checked.issues).map((i): FieldError => ({ in: 'body', pointer: i.pointer, code: i.code.replace(/-/g, '_'), detail: i.detail }));
  if (missing.length || blockers.length) {
    throw unprocessable('registration-blocked', 'De overeenkomst kan nog niet geregistreerd worden: los eerst deze punten op.', [...missing, ...blockers]);
  }
  const recognition = checked.recognition!;
  const now = deps.clock.now().toISOString();
  const others = checked.learnerAgreements;
  const establishment = await getEstablishmentFacts(deps, digits(agreement.enterpriseNumber), digits(agreement.establishmentNumber));
  const decisions = premiums({
    agreementType: agreement.agreementType,
    startDate: agreement.startDate,
    endDate: agreement.endDate,
    registeredOn: today(deps),
    weeklyHours: agreement.weeklyHours,
    learnerPaid: agreement.learner.paid,
    establishmentInFlemishRegion: regionOf(establishment ?? null) === 'flanders',
    learnerLivesInFlemishRegion: regionOfPostcode(agreement.learner.address.postcode) === 'flanders',
    mentorAppointed: true,
    enterpriseBankAccount: agreement.enterpriseBankAccount,
    learnerBankAccount: { iban: agreement.learner.iban, consent: agreement.learner.premiumConsent && agreement.annexes.learnerPremiumConsent !== null },
    earlierEnterprisePremiums: others
      .filter((o) => o.agreementId !== agreement.id)
      .flatMap((o) => (o.enterprisePremiumSchoolYear ? [o.enterprisePremiumSchoolYear] : [])),
    earlierLearnerPremiums: others
      .filter((o) => o.agreementId !== agreement.id)
      .flatMap((o) => (o.learnerPremiumSchoolYear ? [o.learnerPremiumSchoolYear] : [])),
  });
  const table = deps.config.TABLE_NAME;
  const registered: Agreement = {
    ...agreement,
    status: 'registered',
    recognitionId: recognition.id,
    issues: checked.issues,
    registration: { at: now, by: principal.userId, premiums: decisions },
    slots: { mentor: agreement.mentorId, establishment: digits(agreement.establishmentNumber) },
  };
  const saved = await saveAgreement(
    deps,
    registered,
    ifMatch,
    {
      by: principal.userId,
      action: 'registered',
      before: { status: 'draft' },
      after: {
        status: 'registered',
        recognitionId: recognition.id,
        premiums: decisions.map((p) => `${p.kind}:${p.qualifies ? 'aangevraagd' : 'niet van toepassing'}`),
      },
    },
    [
      takeSlot(table, mentorSlotsKey(agreement.mentorId), checked.mentorCapacity),
      takeSlot(table, establishmentSlotsKey(agreement.establishmentNumber), checked.establishmentCapacity),
      { Put: { TableName: table, Item: runningLinkItem(recognition.id, registered) } },
      { Put: { TableName: table, Item: await learnerItem(deps, registered, decisions) } },
      ...decisions.map((p) => ({
        Put: { TableName: table, Item: premiumItem(agreement.id, p, now, agreement.enterpriseNumber), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...decisions
        .filter((p) => p.qualifies)
        .map((p) =>
          outboxPut(
            table,
            {
              type: 'premium-requested',
              eventId: `premium-${agreement.id}-${p.kind}`,
              agreementId: agreement.id,
              kind: p.kind,
              amountCents: p.amountCents,
              schoolYear: p.schoolYear,
              enterpriseNumber: agreement.enterpriseNumber,
              requestedAt: now,
            },
            now,
          ),
        ),
    ],
    (index) =>
      index === 0
        ? conflict('mentor-capacity-reached', 'De mentor heeft intussen geen vrije plaats meer.')
        : index === 1
          ? conflict('establishment-capacity-reached', 'De vestiging heeft intussen geen vrije plaats meer.')
          : conflict('already-registered', 'Deze overeenkomst is al geregistreerd.'),
  );
  await closeTask(deps, `provider:${agreement.providerId}`, draftWarningTaskId(agreement));
  await dispatchSoon(deps);
  return { status: 200, body: view(saved, 'counsellor'), version: saved.version };
}

const annexLabels: Record<AnnexName, string> = {
  schedule: 'Het uurrooster ontbreekt.',
  trainingPlan: 'Het opleidingsplan ontbreekt.',
  learnerPremiumConsent: 'De toestemming van de leerling voor de leerlingpremie ontbreekt.',
  signedAgreement: 'De ondertekende overeenkomst ontbreekt.',
};

// --- after registration ----------------------------------------------------------------------------------

export type AmendmentInput =
  | { kind: 'counsellor'; counsellor: { userId: string; name: string; email: string } }
  | { kind: 'mentor'; mentorId: string; effectiveDate: string }
  | { kind: 'endDate'; endDate: string }
  | { kind: 'schedule'; documentId: string; effectiveDate: string }
  | { kind: 'establishmentAddress'; effectiveDate: string };

const running = (a: Agreement) => runningStatuses.includes(a.status);

export async function amend(
  id: string,
  input: AmendmentInput,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (!running(agreement)) throw conflict('not-running', 'Alleen een lopende (geregistreerde) overeenkomst kan gewijzigd worden.');
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  let next: Agreement = agreement;
  let change: Addendum['changes'][number];
  const extra: Parameters<typeof saveAgreement>[4] = [];
  let effectiveDate = today(deps);

  switch (input.kind) {
    case 'counsellor':
      next = { ...agreement, counsellor: input.counsellor };
      change = { kind: 'counsellor', label: 'Trajectbegeleider', before: agreement.counsellor.name, after: input.counsellor.name };
      break;
    case 'mentor': {
      const recognition = agreement.recognitionId ? await getRecognition(deps, agreement.recognitionId) : undefined;
      const mentor = recognition?.mentors.find((m) => m.id === input.mentorId);
      const previous = recognition?.mentors.find((m) => m.id === agreement.mentorId);
      if (recognition?.status !== 'active' || !mentor || mentor.withdrawn || !mentorValid(mentor, today(deps))) {
        throw unprocessable('mentor-not-eligible', 'Kies een erkende, actieve mentor van deze vestiging.', [
          { in: 'body', pointer: '/mentorId', code: 'mentor_not_eligible', detail: 'Deze mentor hoort niet bij de erkenning of is niet geldig.' },
        ]);
      }
      if (input.mentorId === agreement.mentorId)
        throw unprocessable('mentor-unchanged', 'Dit is al de mentor van de overeenkomst.', [
          { in: 'body', pointer: '/mentorId', code: 'unchanged', detail: 'Kies een andere mentor.' },
        ]);
      const capacity = (await workplaceOf(agreement, deps)).mentorCapacity;
      next = { ...agreement, mentorId: input.mentorId, slots: agreement.slots ? { ...agreement.slots, mentor: input.mentorId } : null };
      extra.push(freeSlot(table, mentorSlotsKey(agreement.mentorId)), takeSlot(table, mentorSlotsKey(input.mentorId), capacity));
      change = { kind: 'mentor', label: 'Mentor', before: previous?.name ?? agreement.mentorId, after: mentor.name };
      effectiveDate = input.effectiveDate;
      break;
    }
    case 'endDate': {
      const latest = latestEndDate(agreement.startDate, await schoolYearsOf(agreement.programmeId, deps), agreement.trajectoryYear);
      const errors: FieldError[] = [];
      if (input.endDate < agreement.startDate)
        errors.push({ in: 'body', pointer: '/endDate', code: 'end_before_start', detail: 'De einddatum ligt voor de begindatum.' });
      if (input.endDate > latest)
        errors.push({ in: 'body', pointer: '/endDate', code: 'end_after_last_school_year', detail: `De einddatum mag ten laatste ${latest} zijn.` });
      if (errors.length) throw unprocessable('end-date-invalid', 'Deze einddatum is niet mogelijk.', errors);
      next = { ...agreement, endDate: input.endDate };
      change = { kind: 'endDate', label: 'Einddatum', before: agreement.endDate, after: input.endDate };
      break;
    }
    case 'schedule': {
      await verifiedDocumentOf(input.documentId, 'schedule', '/documentId', acting, deps);
      await addDocumentReaders(deps, input.documentId, [`enterprise:${digits(agreement.enterpriseNumber)}`]);
      next = { ...agreement, annexes: { ...agreement.annexes, schedule: { documentId: input.documentId, attachedAt: now } } };
      change = { kind: 'schedule', label: 'Uurrooster', before: agreement.annexes.schedule?.documentId ?? '-', after: input.documentId };
      effectiveDate = input.effectiveDate;
      break;
    }
    case 'establishmentAddress': {
      const establishment = await getEstablishmentFacts(deps, digits(agreement.enterpriseNumber), digits(agreement.establishmentNumber));
      change = {
        kind: 'establishmentAddress',
        label: 'Adres van de vestiging',
        before: 'vorig adres',
        after: establishment ? `${establishment.postcode ?? ''} ${establishment.municipality ?? ''}`.trim() : 'nieuw adres',
      };
      effectiveDate = input.effectiveDate;
      break;
    }
  }

  const needsAddendum = (await addendumRules(deps, agreement)).includes(input.kind as AmendmentKind);
  if (needsAddendum) {
    const addendum: Addendum = {
      number: agreement.addenda.length + 1,
      changes: [change],
      effectiveDate,
      status: 'toSign',
      signedDocumentId: null,
      createdAt: now,
      registeredAt: null,
    };
    next = { ...next, addenda: [...agreement.addenda, addendum] };
  }
  const saved = await saveAgreement(
    deps,
    next,
    ifMatch,
    {
      by: principal.userId,
      action: `amended-${input.kind}`,
      before: { [change.kind]: change.before },
      after: { [change.kind]: change.after, addendum: needsAddendum ? next.addenda.length : null },
    },
    extra,
    () => conflict('mentor-capacity-reached', 'De nieuwe mentor heeft geen vrije plaats meer.'),
  );
  if (needsAddendum) {
    const number = saved.addenda.length;
    const taskId = `addendum:${saved.id}:${number}`;
    await openTask(deps, {
      id: taskId,
      type: 'finishAddendum',
      title: taskTypes.finishAddendum,
      organisationKey: `provider:${saved.providerId}`,
      roles: ['counsellor'],
      subject: { kind: 'agreement', id: saved.id, label: `Addendum ${number} bij overeenkomst van ${saved.learner.firstName} ${saved.learner.lastName}` },
      dueDate: null,
      actions: ['download-addendum', 'register-addendum'],
      link: `/v1/agreements/${saved.id}/addenda/${number}`,
      status: 'open',
      createdAt: now,
      closedAt: null,
    });
  }
  if (input.kind === 'establishmentAddress') await closeAgreementTasks(deps, saved.id, ['processAddressChange']);
  return { status: 200, body: view(saved, 'counsellor'), version: saved.version };
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
  const addendum = agreement.addenda.find((a) => a.number === number);
  if (!addendum) throw notFound('addendum-not-found', 'Dit addendum bestaat niet.');
  if (addendum.status === 'registered') throw conflict('addendum-registered', 'Dit addendum is al geregistreerd.');
  // Not shared with the enterprise: the signed addendum carries the learner's full national number, and the
  // enterprise keeps its own signed original.
  await verifiedDocumentOf(signedDocumentId, 'addendum', '/signedDocumentId', acting, deps);
  const now = deps.clock.now().toISOString();
  const addenda = agreement.addenda.map((a) => (a.number === number ? { ...a, status: 'registered' as const, signedDocumentId, registeredAt: now } : a));
  const saved = await saveAgreement(deps, { ...agreement, addenda }, ifMatch, {
    by: principal.userId,
    action: 'addendum-registered',
    before: { addendum: number, status: 'toSign' },
    after: { addendum: number, status: 'registered' },
  });
  await closeTask(deps, `provider:${agreement.providerId}`, `addendum:${agreement.id}:${number}`);
  return { status: 200, body: view(saved, 'counsellor'), version: saved.version };
}

export async function suspend(
  id: string,
  input: { ground: string; from: string; to: string },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (!running(agreement)) throw conflict('not-running', 'Alleen een lopende overeenkomst kan geschorst worden.');
  const errors: FieldError[] = [];
  if (input.to < input.from) errors.push({ in: 'body', pointer: '/to', code: 'to_before_from', detail: 'De schorsing eindigt voor ze begint.' });
  if (input.from < agreement.startDate || input.to > agreement.endDate)
    errors.push({ in: 'body', pointer: '/from', code: 'outside_agreement', detail: 'De schorsing valt buiten de looptijd van de overeenkomst.' });
  if (errors.length) throw unprocessable('suspension-invalid', 'Deze schorsing is niet mogelijk.', errors);
  const now = deps.clock.now().toISOString();
  const suspension = {
    id: ulid(),
    ground: input.ground,
    from: input.from,
    to: input.to,
    reported: suspensionNeedsReport(input.from, input.to),
    recordedBy: principal.userId,
    at: now,
  };
  const saved = await saveAgreement(deps, { ...agreement, suspensions: [...agreement.suspensions, suspension] }, ifMatch, {
    by: principal.userId,
    action: 'suspended',
    before: {},
    after: { ground: input.ground, from: input.from, to: input.to },
  });
  if (suspension.reported) {
    await openTask(deps, {
      id: `suspension:${saved.id}:${suspension.id}`,
      type: 'followUpSuspension',
      title: taskTypes.followUpSuspension,
      organisationKey: `provider:${saved.providerId}`,
      roles: ['counsellor'],
      subject: {
        kind: 'agreement',
        id: saved.id,
        label: `Schorsing van ${saved.learner.firstName} ${saved.learner.lastName} van ${input.from} tot ${input.to}`,
      },
      dueDate: input.to,
      actions: ['acknowledge-suspension'],
      link: `/v1/agreements/${saved.id}/suspensions/${suspension.id}`,
      status: 'open',
      createdAt: now,
      closedAt: null,
    });
    await requestNotification(deps, {
      id: `suspension-${suspension.id}`,
      to: [saved.counsellor.email].filter(Boolean),
      template: 'generic',
      data: {
        subject: 'Schorsing van meer dan 14 dagen',
        lines: [
          `De overeenkomst van ${saved.learner.firstName} ${saved.learner.lastName} is geschorst van ${input.from} tot ${input.to}.`,
          'Volg de schorsing op in het Digitaal Loket Duaal Leren.',
        ],
      },
    });
  }
  return { status: 201, body: view(saved, 'counsellor', { suspension }), version: saved.version };
}

export async function acknowledgeSuspension(id: string, suspensionId: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (!agreement.suspensions.some((s) => s.id === suspensionId)) throw notFound('suspension-not-found', 'Deze schorsing bestaat niet.');
  await closeTask(deps, `provider:${agreement.providerId}`, `suspension:${agreement.id}:${suspensionId}`);
  return { status: 204 };
}

/** The model agreement in force today for the agreement's type; the department maintains it as reference data. */
export async function currentModel(deps: Dependencies, agreement: Pick<Agreement, 'agreementType'>): Promise<AgreementModel> {
  const models = await allReference<AgreementModel>(deps, 'agreementModels');
  const model = agreementModelOn(models, agreement.agreementType, brusselsDate(deps.clock.now()));
  if (!model) throw unprocessable('no-agreement-model', `Er is vandaag geen modelovereenkomst van kracht voor het type ${agreement.agreementType}.`);
  return model;
}

export async function end(
  id: string,
  input: { kind: 'normal' | 'early'; date: string; reason: string; by: string },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { agreement } = await load(id, acting, deps, ['counsellor']);
  if (!running(agreement)) throw conflict('not-running', 'Deze overeenkomst loopt niet (meer).');
  const errors: FieldError[] = [];
  if (input.date < agreement.startDate) errors.push({ in: 'body', pointer: '/date', code: 'before_start', detail: 'De einddatum ligt voor de begindatum.' });
  if (input.kind === 'early' && input.date >= agreement.endDate)
    errors.push({
      in: 'body',
      pointer: '/date',
      code: 'not_early',
      detail: `Een vroegtijdige beëindiging valt voor de geplande einddatum (${agreement.endDate}).`,
    });
  if (input.kind === 'normal' && input.date !== agreement.endDate)
    errors.push({
      in: 'body',
      pointer: '/date',
      code: 'not_planned_end',
      detail: `Een normale beëindiging valt op de geplande einddatum (${agreement.endDate}).`,
    });
  if (errors.length) throw unprocessable('ending-invalid', 'Deze beëindiging is niet mogelijk.', errors);
  const saved = await closeAgreement(deps, agreement, input, principal.userId, ifMatch);
  // Ending is the action that KBO-driven tasks ask for: "Opheffing verwerken" and "Adreswijziging vestiging verwerken".
  await closeAgreementTasks(deps, saved.id, ['processRevocation', 'processAddressChange']);
  if (input.kind === 'early') {
    await requestNotification(deps, {
      id: `ended-early-${saved.id}`,
      to: [saved.counsellor.email].filter(Boolean),
      template: 'generic',
      data: {
        subject: 'Overeenkomst vroegtijdig beëindigd',
        lines: [`De overeenkomst van ${saved.learner.firstName} ${saved.learner.lastName} werd beëindigd op ${input.date}.`, `Reden: ${input.reason}`],
      },
    });
  }
  return { status: 200, body: view(saved, 'counsellor'), version: saved.version };
}

/** Which changes need an addendum signed by the parties: the model agreement in force says so (data, not code). */
async function addendumRules(deps: Dependencies, agreement: Agreement): Promise<AmendmentKind[]> {
  const model = await currentModel(deps, agreement);
  return amendmentKinds.filter((kind) => needsAddendum(model, kind));
}

/**
 * Ends a running agreement in one transaction: the agreement, its capacity slots freed, its link on the
 * recognition removed and the learner's index updated. Used by the counsellor and by the daily job.
 */
export async function closeAgreement(
  deps: Dependencies,
  agreement: Agreement,
  input: { kind: 'normal' | 'early'; date: string; reason: string; by: string },
  recordedBy: string,
  expectedVersion: number,
): Promise<Agreement> {
  const table = deps.config.TABLE_NAME;
  const now = deps.clock.now().toISOString();
  const ended: Agreement = {
    ...agreement,
    status: 'ended',
    ending: { ...input, recordedBy: recordedBy, at: now },
    slots: null,
    endDate: input.kind === 'early' ? input.date : agreement.endDate,
  };
  const extra = [
    ...(agreement.slots
      ? [freeSlot(table, mentorSlotsKey(agreement.slots.mentor)), freeSlot(table, establishmentSlotsKey(agreement.slots.establishment))]
      : []),
    ...(agreement.recognitionId ? [{ Delete: { TableName: table, Key: runningLinkKey(agreement.recognitionId, agreement.id) } }] : []),
    {
      Update: {
        TableName: table,
        Key: { pk: await learnerPk(deps, agreement.learner.nationalNumber), sk: `AGR#${agreement.id}` },
        UpdateExpression: 'SET #status = :ended, endDate = :end',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':ended': 'ended', ':end': ended.endDate },
      },
    },
  ];
  const saved = await saveAgreement(
    deps,
    ended,
    expectedVersion,
    {
      by: recordedBy,
      action: input.kind === 'early' ? 'ended-early' : 'ended',
      before: { status: agreement.status, endDate: agreement.endDate },
      after: { status: 'ended', endDate: ended.endDate, reason: input.reason, by: input.by },
    },
    extra,
  );
  return saved;
}
