// Reference data the department maintains: programmes, partnerships and their rules, the routing from
// joint committee / sector / programme to a partnership, learning-allowance amounts, training providers.
// Versioned as JSON files in reference-data/ and editable through the API. Pure; no AWS imports.
import * as z from 'zod';
import { addressSchema, postcodeField } from './address.ts';
import { agreementModelSchema } from './agreement-model.ts';
// Text fields typed by people are one line without control characters (see singleLine).
import { singleLine } from './text.ts';

/** The one address schema lives in address.ts; re-exported here, where the reference records use it. */
export { addressSchema };

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'kleine letters, cijfers en koppeltekens');
const date = z.iso.date();

export const agreementTypes = ['OAO', 'SAO', 'ODOS', 'ODO', 'DA'] as const;
export const documentKinds = ['criminalRecordExtract', 'declarationOnHonour', 'mandate', 'rszCertificate', 'diplomaOrPriorLearning'] as const;

export const programmeSchema = z.strictObject({
  id,
  name: singleLine({ min: 2, max: 200 }),
  sector: id,
  /** Fixed by the programme's standard trajectory; parties cannot choose another. */
  agreementType: z.enum(agreementTypes),
  educationLevel: z.enum(['secondary', 'adult']),
  schoolYears: z.number().int().min(1).max(6),
});

export const partnershipRulesSchema = z.strictObject({
  /** Learners (secondary + adult together) one mentor may train at the same time, across programmes. */
  capacityPerMentor: z.number().int().min(1).max(50),
  /** Learners one establishment may train at the same time; null when the partnership sets no maximum. */
  capacityPerEstablishment: z.number().int().min(1).max(1000).nullable(),
  /** Per-programme overrides of the establishment capacity. */
  capacityPerEstablishmentByProgramme: z.record(id, z.number().int().min(1).max(1000)).default({}),
  /** Months after recognition within which a mentor must finish mentor training; null = no training required. */
  mentorTrainingDeadlineMonths: z.number().int().min(1).max(36).nullable(),
  mentorMinimumAge: z.number().int().min(18).max(30).default(25),
  /** The lower age the partnership accepts with a matching diploma or prior-learning proof. */
  mentorMinimumAgeWithProof: z.number().int().min(18).max(30).default(23),
  mentorMinimumExperienceYears: z.number().int().min(0).max(20).default(5),
  requiredDocumentKinds: z.array(z.enum(documentKinds)).default(['criminalRecordExtract']),
});

export const partnershipSchema = z.strictObject({
  id,
  name: singleLine({ min: 2, max: 200 }),
  /** Addresses that receive new applications, reminders and escalations. */
  notificationEmails: z.array(z.email()).min(1).max(10),
  /** The Vlaams Partnerschap Duaal Leren: competent where no sector partnership is. */
  isDefault: z.boolean().default(false),
  rules: partnershipRulesSchema,
});

/** One routing rule; the most specific matching rule wins (programme, then joint committee, then sector). */
export const routingRuleSchema = z
  .strictObject({
    id,
    programmeId: id.nullable().default(null),
    jointCommittee: z
      .string()
      .regex(/^\d{3}(\.\d{2})?$/, 'paritair comité zoals 302 of 124.00')
      .nullable()
      .default(null),
    sector: id.nullable().default(null),
    partnershipId: id,
  })
  .refine((r) => r.programmeId !== null || r.jointCommittee !== null || r.sector !== null, {
    message: 'een routeringsregel noemt minstens een opleiding, een paritair comité of een sector',
    params: { code: 'routing-rule-empty' },
  });

export const allowanceSchema = z
  .strictObject({
    id,
    /** 1: first training year without the second grade; 2: second grade done or one training year done; 3: more. */
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    validFrom: date,
    validTo: date.nullable().default(null),
    monthlyAmountCents: z.number().int().min(0).max(1_000_000),
    description: z.string().max(500),
  })
  .refine((a) => a.validTo === null || a.validTo >= a.validFrom, {
    message: 'validTo ligt voor validFrom',
    path: ['validTo'],
    params: { code: 'end-before-start' },
  });

export const providerSchema = z.strictObject({
  id,
  name: singleLine({ min: 2, max: 200 }),
  kind: z.enum(['secondarySchool', 'adultEducation', 'syntra']),
  mainSeat: addressSchema,
  lessonLocations: z
    .array(z.strictObject({ id, name: singleLine({ min: 2, max: 200 }), address: addressSchema }))
    .max(50)
    .default([]),
  email: z.email(),
});

/**
 * A postcode with the approximate centre of its main municipality, for the distance search of workplaces. The
 * repository seeds a partial list (the main cities and the seed data's postcodes); ops loads the full
 * bpost/NGI table through the reference API.
 */
export const postcodeSchema = z
  .strictObject({
    id: postcodeField,
    postcode: postcodeField,
    municipality: singleLine({ min: 2, max: 100 }),
    // Belgium lies between these, with a margin.
    latitude: z.number().min(49.4).max(51.6),
    longitude: z.number().min(2.4).max(6.5),
  })
  .refine((p) => p.id === p.postcode, { message: 'id is de postcode', path: ['id'], params: { code: 'id-not-postcode' } });

export const referenceKinds = {
  programmes: { schema: programmeSchema, label: 'opleiding' },
  partnerships: { schema: partnershipSchema, label: 'partnerschap' },
  routing: { schema: routingRuleSchema, label: 'routeringsregel' },
  allowances: { schema: allowanceSchema, label: 'leervergoeding' },
  providers: { schema: providerSchema, label: 'opleidingsverstrekker' },
  agreementModels: { schema: agreementModelSchema, label: 'modelovereenkomst' },
  postcodes: { schema: postcodeSchema, label: 'postcode' },
} as const;

export type ReferenceKind = keyof typeof referenceKinds;
export type Programme = z.infer<typeof programmeSchema>;
export type Partnership = z.infer<typeof partnershipSchema>;
export type RoutingRule = z.infer<typeof routingRuleSchema>;
export type Allowance = z.infer<typeof allowanceSchema>;
export type Provider = z.infer<typeof providerSchema>;
export type Postcode = z.infer<typeof postcodeSchema>;

/**
 * The competent partnership for an application: the most specific routing rule that matches
 * (programme beats joint committee beats sector), else the default partnership (Vlaams Partnerschap Duaal Leren).
 */
export function competentPartnership(
  input: { programme: Programme; jointCommittee: string | null },
  rules: RoutingRule[],
  partnerships: Partnership[],
): Partnership {
  const score = (rule: RoutingRule): number => {
    if (rule.programmeId !== null && rule.programmeId !== input.programme.id) return -1;
    if (rule.jointCommittee !== null && rule.jointCommittee !== input.jointCommittee) return -1;
    if (rule.sector !== null && rule.sector !== input.programme.sector) return -1;
    return (rule.programmeId ? 4 : 0) + (rule.jointCommittee ? 2 : 0) + (rule.sector ? 1 : 0);
  };
  const best = rules
    .map((rule) => ({ rule, score: score(rule) }))
    .filter((r) => r.score >= 0)
    .sort((a, b) => b.score - a.score || a.rule.id.localeCompare(b.rule.id))[0];
  const chosen = best ? partnerships.find((p) => p.id === best.rule.partnershipId) : undefined;
  const fallback = partnerships.find((p) => p.isDefault);
  const result = chosen ?? fallback;
  if (!result) throw new Error('reference data has no default partnership');
  return result;
}

/** The learning allowance of a tier valid on a date; amounts are dated rows, so re-indexation is a data change. */
export function allowanceOn(allowances: Allowance[], tier: 1 | 2 | 3, onDate: string): Allowance | undefined {
  return allowances
    .filter((a) => a.tier === tier && a.validFrom <= onDate && (a.validTo === null || onDate <= a.validTo))
    .sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
}
