// The local stage is its own OpenID Connect issuer, for local use only: a signing key kept under .local/,
// a discovery document and a JWKS served by the local server, and tokens for the demo users.
// No such issuer exists in the deployed stacks; there the government's sign-in issues the tokens.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { MachineClient, OrganisationGrant } from '../../shared/domain/organisations.ts';

export type LocalIssuer = {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
  sign(user: { sub: string; name: string; email?: string; organisations: OrganisationGrant[] }, options?: { expiresIn?: string }): Promise<string>;
  /**
   * A client-credentials access token (RFC 9068) as the government's identity provider issues it to a registered
   * system: `sub` and `client_id` the client, `scope` space-separated, `organisation` the one it acts for.
   */
  signClient(client: Pick<MachineClient, 'clientId' | 'scopes' | 'organisation'>, options?: { expiresIn?: string }): Promise<string>;
};

export async function loadSigningKey(path: string | undefined): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  if (path && existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  if (path) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
  }
  return { privateJwk, publicJwk };
}

export async function createLocalIssuer(options: { issuer: string; audience: string; keyPath?: string }): Promise<LocalIssuer> {
  const { privateJwk, publicJwk } = await loadSigningKey(options.keyPath);
  const privateKey = await importJWK(privateJwk, 'RS256');
  return {
    issuer: options.issuer,
    audience: options.audience,
    jwks: { keys: [publicJwk] },
    sign: async (user, signOptions = {}) =>
      new SignJWT({ name: user.name, ...(user.email ? { email: user.email } : {}), organisations: user.organisations })
        .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid! })
        .setSubject(user.sub)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(signOptions.expiresIn ?? '12h')
        .sign(privateKey),
    // Client-credentials tokens are short-lived: a system asks for a new one when it expires.
    signClient: async (client, signOptions = {}) =>
      new SignJWT({ client_id: client.clientId, scope: client.scopes.join(' '), organisation: client.organisation })
        .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid!, typ: 'at+jwt' })
        .setSubject(client.clientId)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(signOptions.expiresIn ?? '1h')
        .sign(privateKey),
  };
}

export const discoveryDocument = (issuer: string) => ({
  issuer,
  jwks_uri: `${issuer}/.well-known/jwks.json`,
  id_token_signing_alg_values_supported: ['RS256'],
  subject_types_supported: ['public'],
  response_types_supported: ['code'],
});
