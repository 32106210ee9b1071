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

/**
 * What a school's or partnership's system may do with a client-credentials token (OAuth 2.0 `scope`): verify
 * recognitions and enterprises, read the event feed, manage its webhooks. A route names the scopes it accepts
 * next to its roles; a route that names none refuses every machine token (default deny).
 */
export const clientScopes = ['verify', 'events:read', 'webhooks:manage'] as const;
export type ClientScope = (typeof clientScopes)[number];

/** Dutch scope descriptions for the API reference. */
export const scopeLabels: Record<ClientScope, string> = {
  verify: 'Erkenningen en ondernemingen controleren',
  'events:read': 'De gebeurtenissenstroom lezen',
  'webhooks:manage': 'Webhooks beheren',
};

/** The organisation types a machine client can act for: the systems of providers and partnerships (the issue), and the department's. */
export const clientOrganisationTypes = ['provider', 'partnership', 'department'] as const satisfies readonly OrganisationType[];

/**
 * A system calling with a client-credentials token: no user and no roles, exactly one organisation (fixed by the
 * identity provider when the client was registered, so no X-Organisation), and its scopes.
 */
export type MachineClient = {
  clientId: string;
  scopes: readonly ClientScope[];
  organisation: { type: (typeof clientOrganisationTypes)[number]; id: string };
};

/**
 * The verified identity of a caller: who they are and what they may act for. A machine client's principal has
 * `client` set, `userId` its client id and no organisation grants: only routes that accept its scopes let it in.
 */
export type Principal = {
  userId: string;
  name: string;
  email: string | undefined;
  organisations: OrganisationGrant[];
  client?: MachineClient;
};

/** The organisation a request acts for, with the caller's roles in it. */
export type ActingOrganisation = { type: OrganisationType; id: string; key: string; roles: Role[] };

export type AuthRule =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  | {
      kind: 'organisation';
      allow: { [T in OrganisationType]?: readonly (typeof rolesByType)[T][number][] };
      /**
       * The scopes with which a machine client may call this route, for an organisation type `allow` names (roles
       * are for people; a client has none). Absent or empty: people only.
       */
      scopes?: readonly ClientScope[];
    };

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

export type ClientAccess = { ok: true; acting: ActingOrganisation } | { ok: false; status: 403; code: string; detail: string };

/**
 * Whether a machine client may call a route, and for which organisation: the one its token names. An
 * `X-Organisation` header is not needed; when sent it must be that organisation. Public routes never get here.
 */
export function clientAccess(rule: AuthRule, client: MachineClient, header: string | undefined): ClientAccess {
  const key = organisationKey(client.organisation.type, client.organisation.id);
  if (header !== undefined && header.trim() !== '' && normaliseOrganisationKey(header.trim()) !== key) {
    return {
      ok: false,
      status: 403,
      code: 'organisation-not-granted',
      detail: 'Dit systeem handelt enkel voor de organisatie in zijn token, niet voor die in X-Organisation.',
    };
  }
  const accepted = rule.kind === 'organisation' ? (rule.scopes ?? []) : [];
  if (accepted.length === 0) {
    return {
      ok: false,
      status: 403,
      code: 'scope-required',
      detail: 'Deze actie is enkel voor aangemelde gebruikers, niet voor een systeem met een client-credentials-token.',
    };
  }
  if (!accepted.some((scope) => client.scopes.includes(scope))) {
    return { ok: false, status: 403, code: 'scope-required', detail: `Het token van dit systeem mist de scope voor deze actie: ${accepted.join(' of ')}.` };
  }
  if (rule.kind !== 'organisation' || rule.allow[client.organisation.type] === undefined) {
    return { ok: false, status: 403, code: 'role-not-allowed', detail: 'Systemen van dit soort organisatie hebben geen toegang tot deze actie.' };
  }
  return { ok: true, acting: { type: client.organisation.type, id: client.organisation.id, key, roles: [] } };
}
