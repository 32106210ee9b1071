// The token verifier: a token verified once is not verified again until it expires; anything else is.
import { describe, expect, it } from 'vitest';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey } from 'jose';
import { createTokenVerifier } from './auth.ts';

const issuer = 'https://issuer.test';
const audience = 'werkplekduaal-test';

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
  let lookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    lookups += 1;
    return jwks(header, token);
  };
  const sign = (claims: Record<string, unknown>, expiresIn: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('u1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(expiresIn)
      .sign(privateKey);
  return { verify: createTokenVerifier({ issuer, audience, keys }), sign, lookups: () => lookups };
}

describe('the token verifier', () => {
  it('verifies a token once and remembers what it says until it expires', async () => {
    const { verify, sign, lookups } = await setup();
    const token = await sign({ name: 'An', organisations: [{ type: 'enterprise', id: '0412345614', roles: ['user'] }] }, '10m');
    const first = await verify(token);
    expect(first).toMatchObject({ userId: 'u1', name: 'An', organisations: [{ type: 'enterprise', id: '0412345614', roles: ['user'] }] });
    expect(await verify(token)).toBe(first);
    expect(lookups()).toBe(1);
    // What it says cannot be changed by a handler for the next request.
    expect(() => (first.organisations as unknown[]).push({})).toThrow();
  });

  it('verifies every other string in full: a tampered token is refused, an expired one too', async () => {
    const { verify, sign, lookups } = await setup();
    const token = await sign({ organisations: [] }, '10m');
    await verify(token);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: issuer, aud: audience, exp: 9_999_999_999 })).toString('base64url')}.${signature}`;
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
    await expect(verify(await sign({ organisations: [] }, '-5m'))).rejects.toMatchObject({ status: 401 });
    expect(lookups()).toBe(3);
  });
});
