// What the organisations context answers, declared once: each schema is strict and is the route's documented
// response, and each view function builds exactly that shape from what the repositories return.
//   - who am I (`GET /v1/me`): the user and every organisation they may act for, for the user themselves;
//   - an enterprise's KBO profile: public KBO data, the same for every reader the route admits;
//   - reference records: public to everyone signed in, with their concurrency version and update time;
//   - mandates: the same view for the enterprise, the provider and the department (the partnership sees a
//     mandate in the file it reviews, recognitions context).
import * as z from 'zod';
import type { EnterpriseProfile } from '../../shared/data/kbo.ts';
import type { Mandate } from '../../shared/data/mandates.ts';
import type { Versioned } from '../../shared/data/reference.ts';
import { registeredAddressSchema } from '../../shared/domain/address.ts';
import { mandateScope, mandateStatuses, mandateStatusLabels } from '../../shared/domain/mandates.ts';
import {
  organisationKey,
  organisationTypes,
  roleLabels,
  type ActingOrganisation,
  type OrganisationGrant,
  type Principal,
} from '../../shared/domain/organisations.ts';
import { referenceKinds, type ReferenceKind } from '../../shared/domain/reference.ts';

/** A page of a list: its items and the cursor of the next page (null on the last). */
const page = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), cursor: z.string().nullable() });

// --- who am I --------------------------------------------------------------------------------------------

export const organisationView = z.strictObject({
  key: z.string().describe('Waarde voor de header X-Organisation'),
  type: z.enum(organisationTypes),
  id: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.strictObject({ role: z.string(), label: z.string() })),
});

export const meView = z.strictObject({
  user: z.strictObject({ id: z.string(), name: z.string(), email: z.string().nullable() }),
  acting: organisationView.nullable().describe('De organisatie van X-Organisation (of de enige); null wanneer u voor geen organisatie handelt'),
  organisations: z.array(organisationView),
});

const organisationOf = (grant: OrganisationGrant, names: ReadonlyMap<string, string | null>): z.output<typeof organisationView> => {
  const key = organisationKey(grant.type, grant.id);
  return { key, type: grant.type, id: grant.id, name: names.get(key) ?? null, roles: grant.roles.map((role) => ({ role, label: roleLabels[role] })) };
};

/** The user, the organisation acted for (null for none) and every organisation of the token, named. */
export function me(principal: Principal, acting: ActingOrganisation | undefined, names: ReadonlyMap<string, string | null>): z.output<typeof meView> {
  const organisations = principal.organisations.map((grant) => organisationOf(grant, names));
  return {
    user: { id: principal.userId, name: principal.name, email: principal.email ?? null },
    acting: organisations.find((o) => o.key === acting?.key) ?? null,
    organisations,
  };
}

// --- an enterprise's KBO profile ----------------------------------------------------------------------------

const kboName = z.strictObject({ language: z.string(), type: z.string(), value: z.string() });

/** An address in the KBO profile: as registered, with the KBO's extra information (ExtraAddressInfo). */
const profileAddress = registeredAddressSchema.extend({
  extraAddressInfo: z.string().nullable().describe('Bijkomende adresinformatie uit de KBO (ExtraAddressInfo), bv. een ingang of gebouw'),
});

export const enterpriseProfileView = z.strictObject({
  enterpriseNumber: z.string(),
  name: z.string().nullable(),
  names: z.array(kboName),
  status: z.enum(['active', 'stopped']),
  juridicalSituation: z.strictObject({ code: z.string(), class: z.string() }),
  juridicalForm: z.string().nullable(),
  typeOfEnterprise: z.enum(['naturalPerson', 'legalPerson', 'unknown']),
  startDate: z.string().nullable(),
  seat: profileAddress.nullable(),
  establishments: z.array(
    z.strictObject({
      establishmentNumber: z.string(),
      startDate: z.string().nullable(),
      status: z.enum(['active', 'stopped']),
      name: z.string().nullable(),
      names: z.array(kboName),
      address: profileAddress.nullable(),
      region: z.enum(['flanders', 'brussels', 'wallonia', 'abroad', 'unknown']),
    }),
  ),
  kboExtractNumber: z.number().nullable(),
});

const nameOf = (n: { language: string; type: string; value: string }) => ({ language: n.language, type: n.type, value: n.value });
const addressOf = (a: EnterpriseProfile['seat']) =>
  a
    ? {
        street: a.street,
        houseNumber: a.houseNumber,
        box: a.box,
        postcode: a.postcode,
        municipality: a.municipality,
        country: a.country,
        extraAddressInfo: a.extraAddressInfo,
        struckOffOn: a.struckOffOn,
      }
    : null;

export function enterpriseProfile(p: EnterpriseProfile): z.output<typeof enterpriseProfileView> {
  return {
    enterpriseNumber: p.enterpriseNumber,
    name: p.name,
    names: p.names.map(nameOf),
    status: p.status,
    juridicalSituation: { code: p.juridicalSituation.code, class: p.juridicalSituation.class },
    juridicalForm: p.juridicalForm,
    typeOfEnterprise: p.typeOfEnterprise,
    startDate: p.startDate,
    seat: addressOf(p.seat),
    establishments: p.establishments.map((e) => ({
      establishmentNumber: e.establishmentNumber,
      startDate: e.startDate,
      status: e.status,
      name: e.name,
      names: e.names.map(nameOf),
      address: addressOf(e.address),
      region: e.region,
    })),
    kboExtractNumber: p.kboExtractNumber,
  };
}

// --- reference records -----------------------------------------------------------------------------------

/**
 * A reference record as stored, with its concurrency version and update time. An agreement model has a field of
 * its own called version (the model's "2024.1"); that one is kept, and its concurrency version travels in the
 * ETag only.
 */
export function referenceRecordView(kind: ReferenceKind) {
  // The kinds' schemas differ; what is added is the same for each.
  const schema: z.ZodObject = referenceKinds[kind].schema;
  const updatedAt = z.string().describe('Tijdstip van de laatste wijziging');
  if ('version' in schema.shape) return schema.safeExtend({ updatedAt });
  return schema.safeExtend({ version: z.number().int().describe('De versie, ook als ETag'), updatedAt });
}

export const referenceRecordPage = (kind: ReferenceKind) => page(referenceRecordView(kind));

export function referenceRecord(item: Versioned<Record<string, unknown>>): Record<string, unknown> {
  return { ...item.record, ...('version' in item.record ? {} : { version: item.version }), updatedAt: item.updatedAt };
}

// --- mandates --------------------------------------------------------------------------------------------

export const mandateView = z.strictObject({
  enterpriseNumber: z.string(),
  providerId: z.string(),
  documentId: z.string(),
  status: z.enum(mandateStatuses),
  statusLabel: z.string(),
  allows: z.enum(['none', 'ownFiles', 'allFiles']).describe('ownFiles: alleen de eigen aanvragen; allFiles: alle aanvragen van de onderneming'),
  enterpriseEmail: z.string(),
  registeredAt: z.string(),
  confirmedAt: z.string().nullable(),
  rejection: z.strictObject({ partnershipId: z.string(), reasons: z.string(), at: z.string() }).nullable(),
  revokedAt: z.string().nullable(),
  version: z.number().int(),
});

export const mandatePage = page(mandateView);

/** What the enterprise, the provider and the department see of a mandate. */
export const mandate = (m: Mandate): z.output<typeof mandateView> => ({
  enterpriseNumber: m.enterpriseNumber,
  providerId: m.providerId,
  documentId: m.documentId,
  status: m.status,
  statusLabel: mandateStatusLabels[m.status],
  allows: mandateScope(m),
  enterpriseEmail: m.enterpriseEmail,
  registeredAt: m.registeredAt,
  confirmedAt: m.confirmedAt ?? null,
  rejection: m.rejection ? { partnershipId: m.rejection.partnershipId, reasons: m.rejection.reasons, at: m.rejection.at } : null,
  revokedAt: m.revokedAt ?? null,
  version: m.version,
});
