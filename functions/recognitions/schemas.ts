// The request schemas of the recognitions routes: routes.ts validates with them, and the handlers take their
// parsed output (`z.output`) as their input types, so a field exists in one place.
import * as z from 'zod';
import { applicationStatuses, type PartnershipAction } from '../../shared/domain/recognitions.ts';
import {
  calendarDate,
  enterpriseNumberDigits,
  establishmentNumberDigits,
  iban,
  maskableNationalNumber,
  nationalNumber,
  pageFields,
  postcode,
  singleLine,
  slugId,
  ulidId,
} from '../../shared/http/fields.ts';
import { appealStatuses } from '../../shared/domain/appeals.ts';

export const idParam = z.strictObject({ id: ulidId });
/** `E/20261112/000001` in paths as `E-20261112-000001`. */
export const recognitionIdParam = z
  .string()
  .regex(/^E-\d{8}-\d{6}$/, 'een erkenning zoals E-20261112-000001')
  .transform((v) => v.replace(/-/g, '/'));
export const recognitionParams = z.strictObject({ recognitionId: recognitionIdParam });
export const mentorParams = z.strictObject({ recognitionId: recognitionIdParam, mentorId: ulidId });

const jointCommittee = z.string().regex(/^\d{3}(\.\d{2})?$/, 'paritair comité zoals 302');
const reasons = (min: number) => z.string().trim().min(min).max(4000);

export const draftBody = z.strictObject({
  enterpriseNumber: enterpriseNumberDigits,
  establishmentNumber: establishmentNumberDigits,
  programmeId: slugId,
  jointCommittee: z
    .string()
    .regex(/^\d{3}(\.\d{2})?$/)
    .nullable()
    .optional(),
  contactEmail: z.email(),
});
export type DraftBody = z.output<typeof draftBody>;

/** One mentor, in a file's content or added to a running recognition. */
const mentorFields = {
  name: singleLine({ min: 2, max: 120 }),
  nationalNumber,
  yearsOfExperience: z.number().int().min(0).max(60),
  proofDocumentId: ulidId.nullable(),
  criminalRecordExtract: z.strictObject({ documentId: ulidId, issuedOn: calendarDate }).nullable(),
};

/**
 * A mentor of a file's content, as the file's read gives it back: with its id (a mentor without one is new), the
 * national number masked as read (it keeps the stored number of that mentor) or in full (it replaces it), and
 * the fields the read adds, which a save ignores (the birth date follows from the number; the rest is the
 * file's own record).
 */
const contentMentor = z.strictObject({
  id: ulidId.optional(),
  ...mentorFields,
  nationalNumber: maskableNationalNumber,
  birthDate: z.string().max(10).optional().describe('Alleen-lezen: volgt uit het rijksregisternummer, genegeerd bij bewaren'),
  extractCheckedOn: z.string().max(10).optional().describe('Alleen-lezen, genegeerd bij bewaren'),
  nationalNumberErased: z.boolean().optional().describe('Alleen-lezen, genegeerd bij bewaren'),
});

export const contentBody = z.strictObject({
  jointCommittee: jointCommittee.nullable().optional(),
  criteria: z.strictObject({ financialCapacity: z.boolean(), organisationAndEquipment: z.boolean(), noConvictions: z.boolean(), commitments: z.boolean() }),
  mentors: z.array(contentMentor).max(20),
  documents: z.array(z.strictObject({ kind: z.enum(['declarationOnHonour', 'mandate', 'rszCertificate', 'other']), documentId: ulidId })).max(20),
  bankAccount: z.strictObject({ iban, premiumConsent: z.boolean() }).nullable(),
});
export type ContentBody = z.output<typeof contentBody>;

export const emptyBody = z.strictObject({}).optional();

/** The body of each of the partnership's steps; the action itself is in the path. */
export const stepBodies = {
  'request-completion': z.strictObject({ message: z.string().trim().min(5).max(2000) }),
  'mark-complete': emptyBody,
  'start-review': emptyBody,
  pause: z.strictObject({ reason: z.string().trim().min(3).max(500) }),
  resume: emptyBody,
} satisfies Record<PartnershipAction, z.ZodType>;
export type StepBody = z.output<(typeof stepBodies)[keyof typeof stepBodies]>;

export const listQuery = z.strictObject({
  status: z.enum(applicationStatuses).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type ListQuery = z.output<typeof listQuery>;

export const rejectMandateBody = z.strictObject({ reasons: z.string().trim().min(10).max(4000) });
export const proposeBody = z.strictObject({ decision: z.enum(['recognise', 'reject']), reasons: reasons(3) });
export type ProposeBody = z.output<typeof proposeBody>;
export const decideBody = z.strictObject({ decision: z.enum(['recognised', 'notRecognised']), reasons: reasons(3), startDate: calendarDate.optional() });
export type DecideBody = z.output<typeof decideBody>;

/**
 * Two forms: `establishment` (optionally one programme, valid on a date) checks one workplace; `programme` without
 * `establishment` is the drafting picker (the workplaces the acting organisation may use, with mentors and free
 * places, paged), optionally of one enterprise (`enterprise`).
 */
export const recognitionsQuery = z
  .strictObject({
    establishment: establishmentNumberDigits.optional(),
    programme: slugId.optional(),
    enterprise: enterpriseNumberDigits.optional(),
    onDate: calendarDate.optional(),
    ...pageFields,
  })
  .refine((q) => q.establishment !== undefined || q.programme !== undefined, {
    message: 'kies een vestiging (establishment) of een opleiding (programme)',
    path: ['programme'],
    params: { code: 'establishment-or-programme-required' },
  })
  .refine((q) => q.establishment === undefined || (q.enterprise === undefined && q.cursor === undefined && q.limit === undefined), {
    message: 'een vestiging zoekt u zonder enterprise, cursor of limit',
    path: ['establishment'],
    params: { code: 'establishment-without-paging' },
  });
export type RecognitionsQuery = z.output<typeof recognitionsQuery>;
/** The picker's form of the query: a programme, no establishment. */
export type RecognitionChoiceQuery = RecognitionsQuery & { programme: string };

export const appealsQuery = z.strictObject({ status: z.enum(appealStatuses).optional(), ...pageFields });
export type AppealsQuery = z.output<typeof appealsQuery>;
export const availabilityBody = z.strictObject({ placeAvailable: z.boolean() });

export const workplacesQuery = z
  .strictObject({
    programme: slugId.optional(),
    sector: slugId.optional(),
    postcode: postcode.optional(),
    area: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    municipality: singleLine({ min: 2, max: 100 }).optional(),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    near: postcode.optional(),
    distanceKm: z.coerce.number().int().min(1).max(100).optional(),
  })
  .refine((q) => q.programme || q.sector, {
    message: 'kies een opleiding of een sector',
    path: ['programme'],
    params: { code: 'programme-or-sector-required' },
  })
  .refine((q) => q.distanceKm === undefined || q.near !== undefined, {
    message: 'een afstand hoort bij near (de postcode van waar u zoekt)',
    path: ['distanceKm'],
    params: { code: 'distance-without-near' },
  })
  .refine((q) => q.near === undefined || (q.postcode === undefined && q.municipality === undefined), {
    message: 'zoek op afstand (near) of op postcode/gemeente, niet beide',
    path: ['near'],
    params: { code: 'near-with-postcode' },
  });
export type WorkplacesQuery = z.output<typeof workplacesQuery>;

export const sanctionReasonsBody = z.strictObject({ reasons: reasons(10) });
export const exclusionBody = z
  .strictObject({
    level: z.enum(['establishment', 'enterprise']),
    enterpriseNumber: enterpriseNumberDigits,
    establishmentNumber: establishmentNumberDigits.optional(),
    reasons: reasons(10),
    until: calendarDate.nullable(),
  })
  .refine((b) => b.level === 'enterprise' || b.establishmentNumber !== undefined, {
    message: 'een vestiging uitsluiten vraagt het vestigingsnummer',
    path: ['establishmentNumber'],
    params: { code: 'establishment-number-required' },
  });
export type ExclusionBody = z.output<typeof exclusionBody>;

export const appealBody = z.strictObject({
  against: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('decision'), applicationId: ulidId }),
    z.strictObject({ kind: z.literal('sanction'), sanctionId: ulidId }),
  ]),
  grounds: z.string().trim().min(10).max(8000),
  contactEmail: z.email(),
});
export type AppealBody = z.output<typeof appealBody>;
export const appealConfirmationBody = z.strictObject({ admissible: z.boolean(), reasons: reasons(3) });
export type AppealConfirmationBody = z.output<typeof appealConfirmationBody>;
export const appealOutcomeBody = z.strictObject({ outcome: z.enum(['upheld', 'rejected']), reasons: reasons(3) });
export type AppealOutcomeBody = z.output<typeof appealOutcomeBody>;

export const mentorBody = z.strictObject(mentorFields);
export type MentorBody = z.output<typeof mentorBody>;
export const mentorChangeBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('deactivate') }),
  z.strictObject({ action: z.literal('reactivate') }),
  z.strictObject({ action: z.literal('training'), completedOn: calendarDate.nullable(), exempted: z.boolean() }),
]);
export type MentorChangeBody = z.output<typeof mentorChangeBody>;
