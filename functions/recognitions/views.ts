// What each reader sees of a recognition, of an application file, of a sanction and of an appeal, declared once
// (GDPR data minimisation): the schema of each view is also its documented response (routes.ts).
// Recognitions: mentors' birth dates, the enterprise's contact addresses, pending mentors and the grounds of a
// revocation are for the enterprise itself, the competent partnership and the department; a counsellor choosing
// a workplace sees the mentors' names; anyone else sees the recognition, not the people.
// Application files: the mentors' national numbers in full only for the competent partnership (which checks the
// mentors) and the department; the enterprise and its counsellor see them masked.
import * as z from 'zod';
import { appealStatuses } from '../../shared/domain/appeals.ts';
import { freePlaces } from '../../shared/domain/agreements.ts';
import { kboDigits, maskNationalNumber } from '../../shared/domain/identifiers.ts';
import { mandateStatuses, mandateStatusLabels, type Mandate } from '../../shared/domain/mandates.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import {
  applicationStatuses,
  mentorValid,
  recognitionPathId,
  reviewClock,
  statusLabels,
  type Application,
  type ApplicationAudience,
  type Recognition,
} from '../../shared/domain/recognitions.ts';

export type RecognitionAudience = 'enterprise' | 'competentPartnership' | 'department' | 'provider' | 'otherPartnership';

/** Who the acting organisation is to this recognition; undefined: it may not read it at all. */
export function recognitionAudience(
  recognition: Pick<Recognition, 'enterpriseNumber' | 'partnershipId'>,
  acting: ActingOrganisation | undefined,
): RecognitionAudience | undefined {
  if (!acting) return undefined;
  if (acting.type === 'enterprise') return acting.id === kboDigits(recognition.enterpriseNumber) ? 'enterprise' : undefined;
  if (acting.type === 'partnership') return acting.id === recognition.partnershipId ? 'competentPartnership' : 'otherPartnership';
  if (acting.type === 'department') return 'department';
  return 'provider';
}

const summary = {
  id: z.string().describe('Het id van de erkenning, ongewijzigd bruikbaar in paden: GET /v1/recognitions/{id}, bv. E-20261112-000001'),
  number: z.string().describe('Het officiële erkenningsnummer zoals op de beslissing, bv. E/20261112/000001; niet bruikbaar in een pad (gebruik id)'),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  partnershipId: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  status: z.enum(['active', 'revoked', 'expired']),
  placeAvailable: z.boolean(),
  workplace: z.strictObject({
    name: z.string().nullable(),
    postcode: z.string().nullable(),
    municipality: z.string().nullable(),
    sector: z.string(),
    programmeName: z.string(),
  }),
};

/** Another partnership: that the workplace is recognised, by whom and until when; no people. */
export const recognitionSummaryView = z.strictObject(summary);

/** A counsellor choosing a workplace and mentor for an agreement: the mentors' names and whether they count today. */
export const recognitionForProviderView = z.strictObject({
  ...summary,
  mentors: z.array(
    z.strictObject({ id: z.string(), name: z.string(), valid: z.boolean().describe('Actief en met geldige mentoropleiding (of nog binnen de termijn)') }),
  ),
});

const fullMentor = z.strictObject({
  id: z.string(),
  name: z.string(),
  birthDate: z.string().nullable(),
  active: z.boolean(),
  withdrawn: z.boolean(),
  trainingDeadline: z.string().nullable(),
  trainingCompletedOn: z.string().nullable(),
  trainingExempted: z.boolean(),
});

const nullableString = z.string().nullable();

/** Who did a step of the file, with the names and roles at the time of the act. */
export const historyActorView = z
  .strictObject({
    userId: z.string(),
    name: z.string().describe('Naam van de gebruiker op het moment van de handeling'),
    organisationKey: nullableString.describe('De organisatie waarvoor de gebruiker handelde (`<soort>:<id>`); null: het loket zelf'),
    organisationName: nullableString.describe('Naam van die organisatie op het moment van de handeling; null als ze niet gekend is'),
    roles: z.array(z.string()).describe('De rollen van de gebruiker in die organisatie op dat moment'),
  })
  .describe('Wie de stap zette; het loket zelf (herinnering, termijn verstreken, bewaartermijn) als userId "system" of "retention"');

/** One entry of a file's or a recognition's history: who, when, what, with the values before and after. */
export const historyEntryView = z.strictObject({
  at: z.string(),
  by: z.string(),
  actor: historyActorView.optional(),
  action: z.string(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
});

/** The enterprise itself, the competent partnership and the department. */
export const recognitionFullView = z.strictObject({
  ...summary,
  applicationId: z.string(),
  mentors: z.array(fullMentor),
  pendingMentors: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      nationalNumber: z.string(),
      birthDate: z.string().nullable(),
      yearsOfExperience: z.number(),
      requestedAt: z.string(),
    }),
  ),
  contactEmails: z.array(z.string()),
  revocation: z.strictObject({ sanctionId: z.string().nullable(), changeId: z.string().nullable(), reasons: z.string(), at: z.string() }).nullable(),
  decidedAt: z.string(),
  version: z.number().int(),
  // Only in the read of the one recognition: its decision, revocations, restorations, mentor changes.
  history: z.array(historyEntryView).optional().describe('Elke wijziging van de erkenning: wie (naam, organisatie, rol waar gekend), wanneer en wat'),
});

export type RecognitionView = z.infer<typeof recognitionFullView> | z.infer<typeof recognitionForProviderView> | z.infer<typeof recognitionSummaryView>;

const summaryOf = (r: Recognition) => ({
  id: recognitionPathId(r.id),
  number: r.id,
  enterpriseNumber: r.enterpriseNumber,
  establishmentNumber: r.establishmentNumber,
  programmeId: r.programmeId,
  partnershipId: r.partnershipId,
  startDate: r.startDate,
  endDate: r.endDate,
  status: r.status,
  placeAvailable: r.placeAvailable,
  workplace: r.workplace,
});

/** The view of `audience`; `today` decides whether a mentor counts (training deadline). */
export function recognitionView(r: Recognition, audience: RecognitionAudience, today: string): RecognitionView {
  if (audience === 'otherPartnership') return summaryOf(r);
  if (audience === 'provider') {
    return { ...summaryOf(r), mentors: r.mentors.filter((m) => !m.withdrawn).map((m) => ({ id: m.id, name: m.name, valid: mentorValid(m, today) })) };
  }
  return fullRecognitionView(r, audience);
}

/** The enterprise itself, the competent partnership and the department: the people too. */
export function fullRecognitionView(r: Recognition, audience: 'enterprise' | 'competentPartnership' | 'department'): z.infer<typeof recognitionFullView> {
  // The enterprise filed the pending mentors itself; it sees their numbers masked, as in its application.
  const fullNumbers = audience !== 'enterprise';
  return {
    ...summaryOf(r),
    applicationId: r.applicationId,
    mentors: r.mentors.map((m) => ({
      id: m.id,
      name: m.name,
      birthDate: m.birthDate ?? null,
      active: m.active,
      withdrawn: m.withdrawn,
      trainingDeadline: m.trainingDeadline,
      trainingCompletedOn: m.trainingCompletedOn,
      trainingExempted: m.trainingExempted,
    })),
    pendingMentors: r.pendingMentors.map((m) => ({
      id: m.id,
      name: m.name,
      nationalNumber: fullNumbers ? m.nationalNumber : maskNationalNumber(m.nationalNumber),
      birthDate: m.birthDate ?? null,
      yearsOfExperience: m.yearsOfExperience,
      requestedAt: m.requestedAt,
    })),
    contactEmails: r.contactEmails,
    revocation: r.revocation
      ? { sanctionId: r.revocation.sanctionId, changeId: r.revocation.changeId ?? null, reasons: r.revocation.reasons, at: r.revocation.at }
      : null,
    decidedAt: r.decidedAt,
    version: r.version,
  };
}

/** The schema of each audience's view, for the tests and the OpenAPI document. */
export const recognitionViewSchemas: Record<RecognitionAudience, z.ZodType> = {
  enterprise: recognitionFullView,
  competentPartnership: recognitionFullView,
  department: recognitionFullView,
  provider: recognitionForProviderView,
  otherPartnership: recognitionSummaryView,
};

/** Each audience's view of a list of recognitions (an establishment's). */
export const recognitionListView = z.strictObject({ items: z.array(z.union([recognitionFullView, recognitionForProviderView, recognitionSummaryView])) });

/** `GET /v1/recognitions/{recognitionId}`: the enterprise itself, the competent partnership and the department; a counsellor. */
export const recognitionReadView = z.union([recognitionFullView, recognitionForProviderView]);

/**
 * The drafting picker (the enterprise itself, a counsellor): the workplace and what an agreement needs to choose a
 * mentor, with the free places; of the people only the mentors' names, as a counsellor sees them.
 */
export const recognitionChoiceView = z.strictObject({
  ...summary,
  freePlaces: z
    .number()
    .int()
    .nullable()
    .describe('Vrije plaatsen van de vestiging: het maximum van het partnerschap min de lopende overeenkomsten (alle opleidingen); null: geen maximum'),
  mentors: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      valid: z.boolean().describe('Actief en met geldige mentoropleiding (of nog binnen de termijn)'),
      freePlaces: z.number().int().describe('Vrije plaatsen van de mentor: het maximum per mentor min zijn lopende overeenkomsten (alle opleidingen)'),
    }),
  ),
});
export const recognitionChoicePageView = z.strictObject({ items: z.array(recognitionChoiceView), cursor: z.string().nullable() });
/** `GET /v1/recognitions`: an establishment's recognitions, or a page of the picker. */
export const recognitionSearchView = z.union([recognitionListView, recognitionChoicePageView]);

/** The free places of a recognition's mentors and establishment, as the picker counts them. */
export type ChoicePlaces = { mentorCapacity: number; establishmentCapacity: number | null; mentorUsed: (id: string) => number; establishmentUsed: number };

export function recognitionChoice(r: Recognition, places: ChoicePlaces, today: string): z.infer<typeof recognitionChoiceView> {
  return {
    ...summaryOf(r),
    freePlaces: freePlaces(places.establishmentCapacity, places.establishmentUsed),
    mentors: r.mentors
      .filter((m) => !m.withdrawn)
      .map((m) => ({ id: m.id, name: m.name, valid: mentorValid(m, today), freePlaces: freePlaces(places.mentorCapacity, places.mentorUsed(m.id)) ?? 0 })),
  };
}

// ---- The public workplace search ----------------------------------------------------------------------------

/** Anyone, without signing in: the workplace, never the people. */
export const workplaceView = z.strictObject({
  recognitionId: z.string().describe('Het id van de erkenning (zoals in paden), bv. E-20261112-000001'),
  programmeId: z.string(),
  programme: z.string(),
  sector: z.string(),
  establishmentNumber: z.string(),
  name: z.string().nullable(),
  postcode: z.string().nullable(),
  municipality: z.string().nullable(),
  validUntil: z.string(),
  distanceKm: z.number().optional().describe('Bij een zoekopdracht op afstand: km tot het midden van de postcode near'),
});
export const workplacePageView = z.strictObject({ items: z.array(workplaceView), cursor: z.string().nullable() });

export const workplaceOf = (r: Recognition): z.infer<typeof workplaceView> => ({
  recognitionId: recognitionPathId(r.id),
  programmeId: r.programmeId,
  programme: r.workplace.programmeName,
  sector: r.workplace.sector,
  establishmentNumber: r.establishmentNumber,
  name: r.workplace.name,
  postcode: r.workplace.postcode,
  municipality: r.workplace.municipality,
  validUntil: r.endDate,
});

// ---- Application files --------------------------------------------------------------------------------------

const masked = z.string().regex(/^\d{2}\.\d{2}\.\d{2}-\*{3}\.\*{2}$/, 'een gemaskeerd rijksregisternummer');
const fileMentor = (nationalNumber: z.ZodString) =>
  z.strictObject({
    id: z.string(),
    name: z.string(),
    nationalNumber,
    birthDate: z.string().optional(),
    yearsOfExperience: z.number(),
    proofDocumentId: z.string().nullable(),
    criminalRecordExtract: z.strictObject({ documentId: z.string(), issuedOn: z.string() }).nullable(),
    extractCheckedOn: z.string().optional(),
    nationalNumberErased: z.boolean().optional(),
  });

/** The mandate a counsellor filed the file under, as every party of the file sees it (null for the enterprise's own files). */
export const fileMandateView = z.strictObject({
  providerId: z.string(),
  status: z.enum(mandateStatuses),
  statusLabel: z.string(),
  documentId: z.string(),
  registeredAt: z.string(),
  confirmedAt: z.string().nullable(),
  rejection: z.strictObject({ partnershipId: z.string(), reasons: z.string(), at: z.string() }).nullable(),
});

export const mandateOfFile = (mandate: Mandate | undefined): z.infer<typeof fileMandateView> | null =>
  mandate
    ? {
        providerId: mandate.providerId,
        status: mandate.status,
        statusLabel: mandateStatusLabels[mandate.status],
        documentId: mandate.documentId,
        registeredAt: mandate.registeredAt,
        confirmedAt: mandate.confirmedAt,
        rejection: mandate.rejection ? { partnershipId: mandate.rejection.partnershipId, reasons: mandate.rejection.reasons, at: mandate.rejection.at } : null,
      }
    : null;

/** The 14-day review clock, as every party of the file sees it (shared/domain/recognitions.ts reviewClock). */
export const reviewClockView = z
  .strictObject({
    startedAt: z.string().describe('Eerste indiening: vanaf dan lopen de 14 dagen (een nieuwe indiening herstart ze niet)'),
    deadline: z.string().describe('Uiterste beslissingsmoment: de indiening plus 14 dagen plus de dagen gepauzeerd; de werkstroom wacht op dit tijdstip'),
    daysRemaining: z
      .number()
      .int()
      .describe('Kalenderdagen tot de uiterste beslisdatum (vandaag, of de beslissing, meegerekend tot die dag); negatief na de termijn'),
    daysPaused: z.number().int().describe('Kalenderdagen dat de termijn stilstond: tijdens een vraag tot vervollediging en tijdens een pauze'),
    paused: z.boolean().describe('De termijn staat nu stil (vervollediging gevraagd of behandeling gepauzeerd)'),
    pauses: z.array(
      z.strictObject({
        kind: z.enum(['completionRequest', 'pause']).describe('Vraag tot vervollediging (tot de nieuwe indiening) of pauze (tot het hervatten)'),
        from: z.string(),
        until: nullableString.describe('Einde van de stilstand; null zolang ze duurt'),
        reason: z.string().describe('Wat het partnerschap vroeg, of de reden van de pauze'),
      }),
    ),
  })
  .nullable()
  .describe('De beslistermijn van 14 dagen; null zolang het dossier niet ingediend werd');

const applicationFields = (nationalNumber: z.ZodString) => ({
  id: z.string(),
  kind: z.enum(['new', 'renewal']),
  renewsRecognitionId: nullableString.describe('Het id van de erkenning die deze aanvraag hernieuwt (zoals in paden)'),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  enterpriseName: nullableString.describe('Naam van de onderneming in KBO bij het aanmaken; null als KBO er geen heeft'),
  establishmentName: nullableString.describe('Naam van de vestiging in KBO bij de laatste indiening (of het aanmaken); null als KBO er geen heeft'),
  programmeId: z.string(),
  jointCommittee: nullableString,
  contactEmails: z.array(z.string()),
  criteria: z.strictObject({ financialCapacity: z.boolean(), organisationAndEquipment: z.boolean(), noConvictions: z.boolean(), commitments: z.boolean() }),
  mentors: z.array(fileMentor(nationalNumber)),
  documents: z.array(z.strictObject({ kind: z.string(), documentId: z.string() })),
  bankAccount: z.strictObject({ iban: z.string(), premiumConsent: z.boolean() }).nullable(),
  filedBy: z.strictObject({ organisationKey: z.string(), userId: z.string(), role: z.enum(['enterprise', 'counsellor']), providerId: nullableString }),
  status: z.enum(applicationStatuses),
  statusLabel: z.string(),
  partnershipId: nullableString,
  reviewRound: z.number().int(),
  submittedAt: nullableString,
  clockStartedAt: nullableString.describe('Begin van de huidige beoordelingsronde (elke indiening); de termijn zelf staat in reviewClock'),
  reviewClock: reviewClockView,
  reminderSentAt: nullableString,
  escalatedAt: nullableString,
  overdue: z.boolean(),
  completionRequest: z.strictObject({ message: z.string(), at: z.string(), by: z.string() }).nullable(),
  pauseReason: nullableString,
  pausedInVersion: z.number().int().nullable().optional(),
  proposal: z.strictObject({ decision: z.enum(['recognise', 'reject']), reasons: z.string(), by: z.string(), at: z.string() }).nullable(),
  decision: z
    .strictObject({
      decision: z.enum(['recognised', 'notRecognised']),
      reasons: z.string(),
      by: z.string(),
      at: z.string(),
      recognitionId: nullableString.describe('Het id van de erkenning (zoals in paden)'),
    })
    .nullable(),
  closure: z
    .strictObject({ cause: z.enum(['sanction']), sanctionId: z.string(), reasons: z.string(), at: z.string() })
    .nullable()
    .optional()
    .describe('Waarom het open dossier zonder beslissing werd afgesloten (status withdrawn): een sanctie op de werkplek'),
  reopenedByAppeal: nullableString.optional().describe('Het beroep dat de beslissing ongedaan maakte: het partnerschap beslist opnieuw'),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  // Only in the answers that carry them: the file read whole, a mandate rejected, a decision.
  history: z.array(historyEntryView).optional(),
  blockingProblems: z
    .array(
      z.strictObject({
        code: z.string(),
        pointer: z.string(),
        detail: z.string(),
        dueDate: z.string().optional().describe('Bij een vraag om vervollediging: de datum waartegen'),
        daysRemaining: z.number().int().optional().describe('Bij een vraag om vervollediging: "Dagen resterend", negatief wanneer over termijn'),
      }),
    )
    .optional(),
  mandate: fileMandateView.nullable().optional(),
  recognition: recognitionFullView.nullable().optional(),
});

/** The enterprise and its counsellor: the mentors' national numbers masked. */
export const applicationForFilerView = z.strictObject(applicationFields(masked));
/** The competent partnership and the department: the national numbers in full (until retention masks them). */
export const applicationForReviewerView = z.strictObject(applicationFields(z.string()));
export const applicationView = z.union([applicationForFilerView, applicationForReviewerView]);
export const applicationPageView = z.strictObject({ items: z.array(applicationView), cursor: z.string().nullable() });

export const applicationViewSchemas: Record<ApplicationAudience, z.ZodType> = {
  enterprise: applicationForFilerView,
  counsellor: applicationForFilerView,
  partnership: applicationForReviewerView,
  department: applicationForReviewerView,
};

type ApplicationExtras = Partial<Pick<z.infer<typeof applicationForReviewerView>, 'history' | 'blockingProblems' | 'mandate' | 'recognition'>>;

/** The file as `audience` sees it, with the extras of the answer and its review clock at `now`. */
export function fileView(application: Application, audience: ApplicationAudience, extras: ApplicationExtras, now: Date) {
  const fullNumbers = audience === 'partnership' || audience === 'department';
  const { reviewPauses: _pauses, ...stored } = application;
  const clock = reviewClock(application, now);
  return {
    ...stored,
    enterpriseName: application.enterpriseName ?? null,
    establishmentName: application.establishmentName ?? null,
    reviewClock: clock && {
      startedAt: clock.startedAt,
      deadline: clock.deadline,
      daysRemaining: clock.daysRemaining,
      daysPaused: clock.daysPaused,
      paused: clock.paused,
      pauses: clock.pauses,
    },
    // Recognitions are named by the id of their path, as in their own view.
    renewsRecognitionId: application.renewsRecognitionId && recognitionPathId(application.renewsRecognitionId),
    decision: application.decision && {
      ...application.decision,
      recognitionId: application.decision.recognitionId && recognitionPathId(application.decision.recognitionId),
    },
    statusLabel: statusLabels[application.status],
    mentors: application.mentors.map((m) => ({ ...m, nationalNumber: fullNumbers ? m.nationalNumber : maskNationalNumber(m.nationalNumber) })),
    ...extras,
  };
}

// ---- Sanctions and appeals ----------------------------------------------------------------------------------

/** A sanction, as the partnership or the department that decided it sees it. */
export const sanctionView = z.strictObject({
  id: z.string(),
  kind: z.enum(['withdrawMentor', 'revokeRecognition', 'excludeEstablishment', 'excludeEnterprise']),
  enterpriseNumber: z.string(),
  subject: z.string(),
  partnershipId: nullableString,
  organisationKey: z.string(),
  reasons: z.string(),
  until: nullableString,
  affectedRecognitions: z.array(z.string()).describe('De ids van de opgeheven erkenningen (zoals in paden)'),
  closedApplications: z.array(z.string()).optional().describe('De open aanvragen (hernieuwingen) van de werkplek die de sanctie afsloot'),
  withdrawnMentors: z
    .array(z.strictObject({ recognitionId: z.string(), mentorId: z.string() }))
    .optional()
    .describe('Bij het intrekken van een mentor: die persoon als mentor op elke erkenning van de onderneming waar ze aangeduid is'),
  decidedBy: z.string(),
  decidedAt: z.string(),
});
export const sanctionWithRecognitionView = z.strictObject({ sanction: sanctionView, recognition: recognitionFullView });

/** The sanction as its view shows it: the recognitions by the id of their path. */
export const sanctionForView = <S extends { affectedRecognitions: string[]; withdrawnMentors?: { recognitionId: string; mentorId: string }[] }>(
  sanction: S,
): S => ({
  ...sanction,
  affectedRecognitions: sanction.affectedRecognitions.map(recognitionPathId),
  ...(sanction.withdrawnMentors
    ? { withdrawnMentors: sanction.withdrawnMentors.map((w) => ({ ...w, recognitionId: recognitionPathId(w.recognitionId) })) }
    : {}),
});
export const exclusionView = z.strictObject({ sanction: sanctionView });

/** An appeal: the enterprise that lodged it and the department see all of it. */
export const appealView = z.strictObject({
  id: z.string(),
  enterpriseNumber: z.string(),
  against: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('decision'), applicationId: z.string() }),
    z.strictObject({ kind: z.literal('sanction'), sanctionId: z.string() }),
  ]),
  decisionAt: z.string(),
  grounds: z.string(),
  contactEmail: z.string(),
  status: z.enum(appealStatuses),
  receivedAt: z.string(),
  confirmBy: z.string(),
  confirmation: z.strictObject({ admissible: z.boolean(), reasons: z.string(), by: z.string(), at: z.string() }).nullable(),
  outcome: z.strictObject({ outcome: z.enum(['upheld', 'rejected']), reasons: z.string(), by: z.string(), at: z.string() }).nullable(),
  version: z.number().int(),
});
/** A page of appeals: the enterprise's own, or all of them for the department. */
export const appealPageView = z.strictObject({ items: z.array(appealView), cursor: z.string().nullable() });
/** The appeals against one file's decision. */
export const appealListView = z.strictObject({ items: z.array(appealView) });
