// Verifies the bearer token (signature, issuer, audience, expiry, algorithm pinned) and turns its claims
// into a Principal. In AWS the HTTP API's JWT authorizer checks the same token first; this second check
// keeps the functions safe on any path that skips the authorizer, and is what the local stage relies on.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod';
import type { Config } from '../config.ts';
import { organisationGrantSchema, type Principal } from '../domain/organisations.ts';
import { unauthorized } from './problem.ts';

export const allowedAlgorithms = ['RS256'];

export const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  organisations: z.array(organisationGrantSchema).max(50).default([]),
});

export type TokenVerifier = (token: string) => Promise<Principal>;

export function createTokenVerifier(options: { issuer: string; audience: string; keys: JWTVerifyGetKey }): TokenVerifier {
  return async (token) => {
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
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthorized('Het aanmeldtoken bevat geen geldige gebruikersgegevens.');
    return {
      userId: claims.data.sub,
      name: claims.data.name ?? claims.data.sub,
      email: claims.data.email,
      organisations: claims.data.organisations,
    };
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
