// What each reader sees of a recognition, declared once (GDPR data minimisation): the schema of each view is
// also its documented response. Mentors' birth dates, the enterprise's contact addresses, pending mentors and
// the grounds of a revocation are for the enterprise itself, the competent partnership and the department;
// a counsellor choosing a workplace sees the mentors' names; anyone else sees the recognition, not the people.
import * as z from 'zod';
import type { Recognition } from '../../shared/data/recognitions.ts';
import { maskNationalNumber } from '../../shared/domain/identifiers.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import { mentorValid } from '../../shared/domain/recognitions.ts';

export type RecognitionAudience = 'enterprise' | 'competentPartnership' | 'department' | 'provider' | 'otherPartnership';

/** Who the acting organisation is to this recognition; undefined: it may not read it at all. */
export function recognitionAudience(
  recognition: Pick<Recognition, 'enterpriseNumber' | 'partnershipId'>,
  acting: ActingOrganisation | undefined,
): RecognitionAudience | undefined {
  if (!acting) return undefined;
  if (acting.type === 'enterprise') return acting.id === recognition.enterpriseNumber.replace(/\./g, '') ? 'enterprise' : undefined;
  if (acting.type === 'partnership') return acting.id === recognition.partnershipId ? 'competentPartnership' : 'otherPartnership';
  if (acting.type === 'department') return 'department';
  return 'provider';
}

const summary = {
  id: z.string().describe('Het erkenningsnummer, bv. E/20261112/000001'),
  pathId: z.string().describe('Het nummer zoals in paden, bv. E-20261112-000001'),
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
});

export type RecognitionView = z.infer<typeof recognitionFullView> | z.infer<typeof recognitionForProviderView> | z.infer<typeof recognitionSummaryView>;

const summaryOf = (r: Recognition) => ({
  id: r.id,
  pathId: r.id.replace(/\//g, '-'),
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
