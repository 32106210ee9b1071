// What each party sees of an agreement, declared once (README, "What each party sees of the learner"): the strict
// schema of each view is also the documented response of the routes. The counsellor prepares the copy the parties
// sign: the learner's full national number, as the official model asks, and the learner's account for the premium.
// The enterprise needs the agreement's content, not the number (data minimisation): masked, and no learner account.
// The PDF (document.ts) shows each party the same learner as its JSON (learnerSeenBy).
import * as z from 'zod';
import { type Agreement, agreementStatuses, draftExpiresOn, issuesCheckedAt, type Suspension, statusLabels } from '../../shared/domain/agreements.ts';
import { kboDigits, maskNationalNumber } from '../../shared/domain/identifiers.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { agreementTypes } from '../../shared/domain/reference.ts';

export type AgreementAudience = 'counsellor' | 'enterprise';

/** Who the acting organisation is to this agreement; undefined: it may not read it at all. */
export function agreementAudience(
  agreement: Pick<Agreement, 'providerId' | 'enterpriseNumber'>,
  acting: ActingOrganisation | undefined,
): AgreementAudience | undefined {
  if (!acting) return undefined;
  if (acting.type === 'provider' && acting.id === agreement.providerId && acting.roles.includes('counsellor')) return 'counsellor';
  if (acting.type === 'enterprise' && acting.id === kboDigits(agreement.enterpriseNumber)) return 'enterprise';
  return undefined;
}

/** The learner as each party sees it, in the JSON and in the PDF alike. */
export function learnerSeenBy(learner: Agreement['learner'], audience: AgreementAudience): Agreement['learner'] {
  if (audience === 'counsellor') return learner;
  return { ...learner, nationalNumber: maskNationalNumber(learner.nationalNumber), iban: null };
}

// The stored address: after retention its street and number are empty, so this is not the input's address schema.
const address = z.strictObject({ street: z.string(), houseNumber: z.string(), box: z.string().nullable(), postcode: z.string(), municipality: z.string() });
const documentRef = z.strictObject({ documentId: z.string(), attachedAt: z.string() }).nullable();

const learnerFields = {
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string().describe('Leeg nadat de bewaartermijn verstreek (dan staat enkel het geboortejaar er)'),
  address,
  legalRepresentative: z.strictObject({ name: z.string(), address: address.nullable() }).nullable(),
  dataErased: z.boolean().optional().describe('De persoonsgegevens werden gewist na de bewaartermijn'),
  birthYear: z.number().int().optional(),
  premiumConsent: z.boolean(),
  priorEducationTier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  firstTwoYearsSecondaryCompleted: z.boolean(),
  paid: z.boolean(),
};

const counsellorLearner = z.strictObject({
  ...learnerFields,
  nationalNumber: z.string().describe('Het volledige rijksregisternummer (gemaskeerd nadat de bewaartermijn verstreek)'),
  iban: z.string().nullable(),
});

const enterpriseLearner = z.strictObject({
  ...learnerFields,
  nationalNumber: z
    .string()
    .regex(/\*\*\*\.\*\*$/)
    .describe('Gemaskeerd, bv. 10.12.15-***.**'),
  iban: z.null().describe('Het rekeningnummer van de leerling is niet voor de onderneming'),
});

const change = z.strictObject({ kind: z.string(), label: z.string(), before: z.string(), after: z.string() });
const addendum = z.strictObject({
  number: z.number().int(),
  changes: z.array(change),
  effectiveDate: z.string(),
  status: z.enum(['toSign', 'registered']),
  signedDocumentId: z.string().nullable(),
  createdAt: z.string(),
  registeredAt: z.string().nullable(),
});
const suspension = z.strictObject({
  id: z.string(),
  ground: z.string(),
  from: z.string(),
  to: z.string(),
  reported: z.boolean().describe('De trajectbegeleider volgt ze op (taak "Schorsing opvolgen"): langer dan 14 dagen, of gemeld door de onderneming'),
  recordedBy: z.string(),
  at: z.string(),
  reportedBy: z.enum(['enterprise', 'provider']).optional().describe('Welke partij de schorsing meldde'),
  acknowledged: z
    .strictObject({ by: z.string(), name: z.string(), at: z.string() })
    .nullable()
    .optional()
    .describe('Wanneer en door wie de trajectbegeleider de melding opvolgde'),
});

const agreementFields = {
  id: z.string(),
  status: z.enum(agreementStatuses),
  statusLabel: z.string(),
  agreementType: z.enum(agreementTypes),
  programmeId: z.string(),
  trajectoryYear: z.number().int(),
  providerId: z.string(),
  lessonLocationId: z.string().nullable(),
  providerRepresentative: z.string(),
  counsellor: z.strictObject({ userId: z.string(), name: z.string(), email: z.string() }),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  enterpriseRepresentative: z.string(),
  enterpriseBankAccount: z.strictObject({ iban: z.string(), consent: z.boolean() }).nullable(),
  recognitionId: z.string().nullable().describe('Het id van de erkenning van de werkplek (zoals in paden: GET /v1/recognitions/{id})'),
  mentorId: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  weeklyHours: z.strictObject({ enterpriseFullTime: z.number(), school: z.number(), workplace: z.number() }),
  learningAllowance: z
    .strictObject({
      tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      monthlyAmountCents: z.number().int(),
      validFrom: z.string(),
      allowanceId: z.string(),
    })
    .nullable(),
  annexes: z.strictObject({ schedule: documentRef, trainingPlan: documentRef, learnerPremiumConsent: documentRef, signedAgreement: documentRef }),
  issues: z.array(z.strictObject({ code: z.string(), severity: z.enum(['blocking', 'warning']), pointer: z.string(), detail: z.string() })),
  issuesCheckedAt: z
    .string()
    .describe('Wanneer de controle vooraf liep: voor een werkversie bij deze lezing, anders bij de laatste bewaring of de registratie'),
  registration: z
    .strictObject({
      at: z.string(),
      by: z.string(),
      premiums: z.array(
        z.strictObject({
          kind: z.enum(['enterprise', 'learner']),
          qualifies: z.boolean(),
          amountCents: z.number().int(),
          schoolYear: z.string(),
          reasons: z.array(z.string()),
        }),
      ),
    })
    .nullable(),
  suspensions: z.array(suspension),
  ending: z
    .strictObject({ kind: z.enum(['normal', 'early']), date: z.string(), reason: z.string(), by: z.string(), recordedBy: z.string(), at: z.string() })
    .nullable(),
  addenda: z.array(addendum),
  slots: z.strictObject({ mentor: z.string(), establishment: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  expiresOn: z.string().optional().describe('Enkel voor een werkversie: de dag waarop ze vervalt'),
};

/** The counsellor of the agreement's training provider. */
export const counsellorAgreementView = z.strictObject({ ...agreementFields, learner: counsellorLearner });
/** The enterprise, a party to the agreement. */
export const enterpriseAgreementView = z.strictObject({ ...agreementFields, learner: enterpriseLearner });

export const agreementViewSchemas: Record<AgreementAudience, typeof counsellorAgreementView | typeof enterpriseAgreementView> = {
  counsellor: counsellorAgreementView,
  enterprise: enterpriseAgreementView,
};

export type AgreementView = z.infer<typeof counsellorAgreementView> | z.infer<typeof enterpriseAgreementView>;

/** The view of `audience`. */
export function agreementView(a: Agreement, audience: AgreementAudience): AgreementView {
  const learner = learnerSeenBy(a.learner, audience);
  return {
    id: a.id,
    status: a.status,
    statusLabel: statusLabels[a.status],
    agreementType: a.agreementType,
    programmeId: a.programmeId,
    trajectoryYear: a.trajectoryYear,
    providerId: a.providerId,
    lessonLocationId: a.lessonLocationId,
    providerRepresentative: a.providerRepresentative,
    counsellor: a.counsellor,
    learner: {
      firstName: learner.firstName,
      lastName: learner.lastName,
      nationalNumber: learner.nationalNumber,
      birthDate: learner.birthDate,
      address: learner.address,
      legalRepresentative: learner.legalRepresentative,
      iban: learner.iban,
      ...(learner.dataErased ? { dataErased: learner.dataErased, birthYear: learner.birthYear } : {}),
      premiumConsent: learner.premiumConsent,
      priorEducationTier: learner.priorEducationTier,
      firstTwoYearsSecondaryCompleted: learner.firstTwoYearsSecondaryCompleted,
      paid: learner.paid,
    },
    enterpriseNumber: a.enterpriseNumber,
    establishmentNumber: a.establishmentNumber,
    enterpriseRepresentative: a.enterpriseRepresentative,
    enterpriseBankAccount: a.enterpriseBankAccount,
    recognitionId: a.recognitionId && recognitionPathId(a.recognitionId),
    mentorId: a.mentorId,
    startDate: a.startDate,
    endDate: a.endDate,
    weeklyHours: a.weeklyHours,
    learningAllowance: a.learningAllowance,
    annexes: a.annexes,
    issues: a.issues,
    issuesCheckedAt: issuesCheckedAt(a),
    registration: a.registration,
    suspensions: a.suspensions,
    ending: a.ending,
    addenda: a.addenda,
    slots: a.slots,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
    ...(a.status === 'draft' ? { expiresOn: draftExpiresOn(a.updatedAt) } : {}),
  } as AgreementView;
}

// --- the responses of the routes --------------------------------------------------------------------------

const historyEntry = z.strictObject({
  at: z.string(),
  by: z.string(),
  action: z.string(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  actor: z
    .strictObject({
      userId: z.string(),
      name: z.string().describe('Naam van de gebruiker op het moment van de handeling'),
      organisationKey: z.string().nullable().describe('De organisatie waarvoor de gebruiker handelde; null voor de dagelijkse verwerking'),
      organisationName: z.string().nullable().describe('Naam van die organisatie op het moment van de handeling'),
      roles: z.array(z.string()).describe('De rol(len) waarin de gebruiker handelde'),
    })
    .optional()
    .describe('Wie: naam, organisatie en rol (afwezig bij oudere regels)'),
});
const withHistory = { history: z.array(historyEntry), suspendedNow: z.boolean() };

/** `GET /v1/agreements/{id}`: the party's view with the history and whether a suspension runs today. */
export const agreementWithHistoryResponse = z.union([counsellorAgreementView.extend(withHistory), enterpriseAgreementView.extend(withHistory)]);
/** `GET /v1/agreements`: a page of the provider's agreements (counsellor) or of the enterprise's. */
export const agreementPageResponse = z.strictObject({
  items: z.array(z.union([counsellorAgreementView, enterpriseAgreementView])),
  cursor: z.string().nullable(),
});
/** `GET /v1/agreements/{id}/addenda/{number}`: one addendum, the same for both parties (it names no learner data). */
export const addendumResponse = addendum.extend({ agreementId: z.string() });
export const addendumView = (agreement: Agreement, added: Agreement['addenda'][number]): z.infer<typeof addendumResponse> => ({
  agreementId: agreement.id,
  number: added.number,
  changes: added.changes,
  effectiveDate: added.effectiveDate,
  status: added.status,
  signedDocumentId: added.signedDocumentId,
  createdAt: added.createdAt,
  registeredAt: added.registeredAt,
});

/** `POST /v1/agreements/{id}/suspensions`: the agreement with the suspension just recorded. */
export const suspendedAgreementResponse = counsellorAgreementView.extend({ suspension });

export const withSuspension = (view: AgreementView, added: Suspension) => ({ ...view, suspension: added });
