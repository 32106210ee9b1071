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

  it('reads a client-credentials token as a machine client: its client, its known scopes and its one organisation', async () => {
    const { verify, sign } = await setup();
    const machine = await verify(
      await sign({ client_id: 'u1', scope: 'verify openid other:api events:read verify', organisation: { type: 'provider', id: 'campus-brugge' } }, '10m'),
    );
    expect(machine).toMatchObject({
      userId: 'u1',
      organisations: [],
      client: { clientId: 'u1', scopes: ['verify', 'events:read'], organisation: { type: 'provider', id: 'campus-brugge' } },
    });
  });

  it('refuses a client token that is not one: another sub than client_id, an enterprise, both organisation claims, no organisation id', async () => {
    const { verify, sign } = await setup();
    const provider = { type: 'provider', id: 'campus-brugge' };
    for (const claims of [
      { client_id: 'someone-else', scope: 'verify', organisation: provider },
      { client_id: 'u1', scope: 'verify', organisation: { type: 'enterprise', id: '0412345614' } },
      { client_id: 'u1', scope: 'verify', organisation: provider, organisations: [{ type: 'provider', id: 'campus-brugge', roles: ['counsellor'] }] },
      { client_id: 'u1', scope: 'verify', organisation: { type: 'provider' } },
    ]) {
      await expect(verify(await sign(claims, '10m')), JSON.stringify(claims)).rejects.toMatchObject({ status: 401 });
    }
    // A user's token is not a client's because it names a client.
    expect((await verify(await sign({ client_id: 'portal', organisations: [] }, '10m'))).client).toBeUndefined();
  });
});
