// Who may act for which organisation, and with which roles. Pure; no AWS imports.
import * as z from 'zod';
import { kboDigits } from './identifiers.ts';

export const organisationTypes = ['enterprise', 'provider', 'partnership', 'department'] as const;
export type OrganisationType = (typeof organisationTypes)[number];

/** Roles per organisation type, as the government's access management grants them. */
export const rolesByType = {
  enterprise: ['legalRepresentative', 'user'],
  provider: ['counsellor', 'administrator'],
  partnership: ['consultant', 'votingMember', 'administrator'],
  department: ['administrator'],
} as const satisfies Record<OrganisationType, readonly string[]>;

export type Role = (typeof rolesByType)[OrganisationType][number];

/** Dutch role names for user-facing text. */
export const roleLabels: Record<Role, string> = {
  legalRepresentative: 'Wettelijk vertegenwoordiger',
  user: 'Werkplekduaal gebruiker',
  counsellor: 'Trajectbegeleider',
  administrator: 'Beheerder',
  consultant: 'Sectorconsulent',
  votingMember: 'Stemgerechtigde',
};

/**
 * An organisation a user may act for, as carried in the token's `organisations` claim.
 * `key` is `<type>:<id>` (e.g. `enterprise:0417390703`), the value of the `X-Organisation` header.
 * Enterprise ids are the 10 digits of the enterprise number.
 */
export const organisationGrantSchema = z
  .object({
    type: z.enum(organisationTypes),
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9-]+$/),
    roles: z.array(z.enum(['legalRepresentative', 'user', 'counsellor', 'administrator', 'consultant', 'votingMember'])).min(1),
  })
  .refine((g) => g.roles.every((r) => (rolesByType[g.type] as readonly string[]).includes(r)), {
    message: 'role does not exist for this organisation type',
    params: { code: 'role-not-of-type' },
  });
export type OrganisationGrant = z.infer<typeof organisationGrantSchema>;

export const organisationKey = (type: OrganisationType, id: string): string => `${type}:${id}`;

/** The verified identity of a caller: who they are and what they may act for. */
export type Principal = {
  userId: string;
  name: string;
  email: string | undefined;
  organisations: OrganisationGrant[];
};

/** The organisation a request acts for, with the caller's roles in it. */
export type ActingOrganisation = { type: OrganisationType; id: string; key: string; roles: Role[] };

export type AuthRule =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | { kind: 'organisation'; allow: { [T in OrganisationType]?: readonly (typeof rolesByType)[T][number][] } };

export type ActingResult = { ok: true; acting: ActingOrganisation | undefined } | { ok: false; status: 400 | 403; code: string; detail: string };

/**
 * Picks the organisation a request acts for ("wissel van organisatie"): the `X-Organisation` header,
 * which must be one of the principal's grants; without the header, the only grant if there is one. A route
 * that needs no organisation (`signedIn`, such as `GET /v1/me`) answers a user with several grants without
 * the header too, acting for none of them.
 */
export function resolveActingOrganisation(principal: Principal, header: string | undefined, rule?: AuthRule): ActingResult {
  const grants = principal.organisations;
  let grant: OrganisationGrant | undefined;
  if (header === undefined || header.trim() === '') {
    if (grants.length === 1) grant = grants[0];
    else if (grants.length === 0 || rule?.kind === 'signedIn') return { ok: true, acting: undefined };
    else return { ok: false, status: 400, code: 'organisation-required', detail: 'Kies met de header X-Organisation voor welke organisatie u handelt.' };
  } else {
    const wanted = normaliseOrganisationKey(header.trim());
    grant = grants.find((g) => organisationKey(g.type, g.id) === wanted);
    if (!grant) return { ok: false, status: 403, code: 'organisation-not-granted', detail: 'U hebt geen rechten voor de organisatie in X-Organisation.' };
  }
  if (!grant) return { ok: true, acting: undefined };
  return { ok: true, acting: { type: grant.type, id: grant.id, key: organisationKey(grant.type, grant.id), roles: [...grant.roles] } };
}

/** Accepts `enterprise:0417.390.703` as well as `enterprise:0417390703`. */
export function normaliseOrganisationKey(key: string): string {
  const [type, ...rest] = key.split(':');
  const id = rest.join(':');
  return type === 'enterprise' ? `${type}:${kboDigits(id)}` : `${type}:${id}`;
}

/** Whether the acting organisation satisfies a route's rule. Signed-in routes need no organisation. */
export function isAllowed(rule: AuthRule, acting: ActingOrganisation | undefined): boolean {
  if (rule.kind === 'public' || rule.kind === 'signedIn') return true;
  if (!acting) return false;
  const roles = rule.allow[acting.type] as readonly string[] | undefined;
  return roles !== undefined && acting.roles.some((r) => roles.includes(r));
}
