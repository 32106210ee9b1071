// Verifies the bearer token (signature, issuer, audience, expiry, algorithm pinned) and turns its claims
// into a Principal. In AWS the HTTP API's JWT authorizer checks the same token first; this second check
// keeps the functions safe on any path that skips the authorizer, and is what the local stage relies on.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod';
import type { Config } from '../config.ts';
import { clientOrganisationTypes, clientScopes, type ClientScope, organisationGrantSchema, type Principal } from '../domain/organisations.ts';
import { unauthorized } from './problem.ts';

export const allowedAlgorithms = ['RS256'];

export const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  organisations: z.array(organisationGrantSchema).max(50).default([]),
});

/**
 * A client-credentials access token (RFC 9068) as the government's identity provider issues it to a registered
 * system: `sub` and `client_id` are the client, `scope` lists what it may do (space-separated), and `organisation` is
 * the one organisation the client was registered for. No user, so no name, e-mail or `organisations` grants.
 * Scopes of other APIs the same client may hold are ignored.
 */
export const clientClaimsSchema = z
  .object({
    sub: z.string().min(1).max(128),
    client_id: z.string().min(1).max(128),
    scope: z.string().max(1000).default(''),
    organisation: z.strictObject({
      type: z.enum(clientOrganisationTypes),
      id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9-]+$/),
    }),
  })
  .refine((claims) => claims.sub === claims.client_id, { message: 'a client-credentials token names its client in sub', params: { code: 'sub-not-client' } });

const knownScope = (scope: string): scope is ClientScope => (clientScopes as readonly string[]).includes(scope);

/** A token with the `organisation` claim is a machine client's; a user's token carries `organisations` instead, never both. */
function principalOf(payload: Record<string, unknown>): Principal | undefined {
  if ('organisation' in payload) {
    if ('organisations' in payload) return undefined;
    const claims = clientClaimsSchema.safeParse(payload);
    if (!claims.success) return undefined;
    const { client_id: clientId, scope, organisation } = claims.data;
    const scopes = [...new Set(scope.split(' ').filter(knownScope))];
    return Object.freeze({
      userId: clientId,
      name: clientId,
      email: undefined,
      organisations: Object.freeze([]) as never,
      client: Object.freeze({ clientId, scopes: Object.freeze(scopes), organisation: Object.freeze({ ...organisation }) }),
    }) as Principal;
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return undefined;
  // Frozen: the same principal serves every request with this token.
  return Object.freeze({
    userId: claims.data.sub,
    name: claims.data.name ?? claims.data.sub,
    email: claims.data.email,
    organisations: Object.freeze(claims.data.organisations.map((g) => Object.freeze({ ...g, roles: Object.freeze([...g.roles]) }))),
  }) as Principal;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** How many verified tokens a function keeps in memory: a few per user who called in the last minutes. */
const verifiedTokensKept = 500;

/**
 * A portal sends the same token with every request until it expires, and verifying its signature is the
 * costliest step of a request (an RSA verification off the main thread). A token verified once is therefore
 * remembered with what it says until its `exp`, exactly that string: an edited or re-signed token is another
 * string and is verified in full, an expired one is verified again (and refused).
 */
export function createTokenVerifier(options: { issuer: string; audience: string; keys: JWTVerifyGetKey }): TokenVerifier {
  const verify = fullTokenVerifier(options);
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known && Date.now() < known.expiresAt) return known.principal;
    verified.delete(token);
    const { principal, expiresAt } = await verify(token);
    // Oldest first out: a Map iterates in insertion order.
    if (verified.size >= verifiedTokensKept) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal, expiresAt });
    return principal;
  };
}

function fullTokenVerifier(options: { issuer: string; audience: string; keys: JWTVerifyGetKey }) {
  return async (token: string): Promise<{ principal: Principal; expiresAt: number }> => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: allowedAlgorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('Uw aanmelding is verlopen. Meld u opnieuw aan.');
      if (error instanceof errors.JOSEError) throw unauthorized('Het aanmeldtoken is ongeldig.');
      throw error;
    }
    const principal = principalOf(payload as Record<string, unknown>);
    if (!principal) throw unauthorized('Het aanmeldtoken bevat geen geldige gebruikers- of clientgegevens.');
    // `exp` is required (requiredClaims) and in seconds.
    return { principal, expiresAt: (payload as { exp: number }).exp * 1000 };
  };
}

/** The issuer's signing keys, fetched from its discovery document (or OIDC_JWKS_URL) and cached by jose. */
export function remoteKeys(config: Config): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  return async (header, token) => {
    if (!keys) {
      let jwksUrl = config.OIDC_JWKS_URL;
      if (!jwksUrl) {
        const response = await fetch(`${config.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`);
        if (!response.ok) throw new Error(`OIDC discovery failed with ${response.status}`);
        jwksUrl = z.object({ jwks_uri: z.url() }).parse(await response.json()).jwks_uri;
      }
      keys = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    }
    return keys(header, token);
  };
}

/** `Authorization: Bearer <token>`; anything else is no token. */
export function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  const value = headers.authorization;
  if (!value) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(value.trim());
  if (!match) throw unauthorized('De Authorization-header moet de vorm "Bearer <token>" hebben.');
  return match[1];
}
