// Handler tests of the organisations context against DynamoDB Local: auth, acting organisation,
// reference data reads and department writes with Idempotency-Key and If-Match.
import { beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { createTestEnvironment, testAudience, testIssuer, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { enterprise } from '../../shared/data/keys.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
  await seedReferenceFiles(env.deps, referenceFiles());
});

const programme = { id: 'bakker-duaal', name: 'Bakker duaal', sector: 'voeding', agreementType: 'OAO', educationLevel: 'secondary', schoolYears: 2 };

describe('authentication', () => {
  it('refuses a call without a token with 401 problem+json', async () => {
    const res = await api.call({ method: 'GET', path: '/v1/me' });
    expect(res.status).toBe(401);
    expect(res.headers['Content-Type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated', title: 'Niet aangemeld' });
    expect(res.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('refuses an expired token, a token for another audience or issuer, and one signed by another key', async () => {
    const user = { sub: 'x', name: 'X', organisations: [] };
    const expired = await api.issuer.sign(user, { expiresIn: '-5m' });
    expect((await api.call({ method: 'GET', path: '/v1/me', token: expired })).body.detail).toMatch(/verlopen/);
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ organisations: [] })
      .setProtectedHeader({ alg: 'RS256', kid: api.issuer.jwks.keys[0]!.kid! })
      .setSubject('x')
      .setIssuer(testIssuer)
      .setAudience(testAudience)
      .setExpirationTime('1h')
      .sign(privateKey);
    const otherAudience = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer(testIssuer)
      .setAudience('other')
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const token of [foreign, otherAudience, 'not.a.token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      const res = await api.call({ method: 'GET', path: '/v1/me', token });
      expect(res.status).toBe(401);
    }
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await api.call({ method: 'GET', path: '/v1/me', headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(res.status).toBe(401);
  });
});

describe('GET /v1/me', () => {
  it('lists the organisations the user may act for with their roles', async () => {
    const res = await api.call({ method: 'GET', path: '/v1/me', token: await api.tokenFor('pieter.beheerder') });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: 'demo-pieter', name: 'Pieter Maes' });
    expect(res.body.organisations).toEqual([
      {
        key: 'provider:syntra-mechelen',
        type: 'provider',
        id: 'syntra-mechelen',
        name: 'Syntra Mechelen',
        roles: [
          { role: 'administrator', label: 'Beheerder' },
          { role: 'counsellor', label: 'Trajectbegeleider' },
        ],
      },
    ]);
    expect(res.body.acting.key).toBe('provider:syntra-mechelen');
  });

  it('switches organisation with X-Organisation and refuses one the user has no rights for', async () => {
    const token = await api.tokenFor('an.peeters');
    const first = await api.call({ method: 'GET', path: '/v1/me', token, organisation: 'enterprise:0417.390.703' });
    expect(first.status).toBe(200);
    expect(first.body.acting).toMatchObject({ key: 'enterprise:0417390703', roles: [{ role: 'user', label: 'Werkplekduaal gebruiker' }] });
    const refused = await api.call({ method: 'GET', path: '/v1/me', token, organisation: 'enterprise:0403449823' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('organisation-not-granted');
  });

  it('answers a user with several organisations without X-Organisation: every organisation with its roles, acting for none', async () => {
    const res = await api.call({ method: 'GET', path: '/v1/me', token: await api.tokenFor('an.peeters') });
    expect(res.status).toBe(200);
    expect(res.body.acting).toBeNull();
    expect(res.body.organisations).toEqual([
      expect.objectContaining({ key: 'enterprise:0412345614', roles: [{ role: 'legalRepresentative', label: 'Wettelijk vertegenwoordiger' }] }),
      expect.objectContaining({ key: 'enterprise:0417390703', roles: [{ role: 'user', label: 'Werkplekduaal gebruiker' }] }),
    ]);
    // A route that acts for an organisation still needs to know which one.
    const profile = await api.call({ method: 'GET', path: '/v1/enterprises/0412345614', token: await api.tokenFor('an.peeters') });
    expect(profile.status).toBe(400);
    expect(profile.body.code).toBe('organisation-required');
  });
});

describe('reference data', () => {
  it('is readable by everyone signed in, paginated with an opaque cursor', async () => {
    const token = await api.tokenFor('sofie.trajectbegeleider');
    const page1 = await api.call({ method: 'GET', path: '/v1/reference/programmes?limit=3', token });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(3);
    expect(page1.body.cursor).toEqual(expect.any(String));
    const page2 = await api.call({ method: 'GET', path: `/v1/reference/programmes?limit=100&cursor=${page1.body.cursor}`, token });
    expect(page2.body.items.map((p: { id: string }) => p.id)).not.toContain(page1.body.items[0].id);
    const bad = await api.call({ method: 'GET', path: '/v1/reference/programmes?cursor=bm9wZQ', token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'query', pointer: '/cursor' });
    const foreign = Buffer.from(JSON.stringify(enterprise.profile('0417390703'))).toString('base64url');
    expect((await api.call({ method: 'GET', path: `/v1/reference/programmes?cursor=${foreign}`, token })).status).toBe(400);
  });

  it('returns one record with its version as ETag, and 404 for an unknown id', async () => {
    const token = await api.tokenFor('sofie.trajectbegeleider');
    const res = await api.call({ method: 'GET', path: '/v1/reference/partnerships/horeca', token });
    expect(res.status).toBe(200);
    expect(res.headers.ETag).toBe('"1"');
    expect(res.body.rules.requiredDocumentKinds).toContain('rszCertificate');
    expect((await api.call({ method: 'GET', path: '/v1/reference/partnerships/onbekend', token })).status).toBe(404);
  });

  it('lets only the department create, and answers a retried create with the same Idempotency-Key once', async () => {
    const department = await api.tokenFor('dirk.departement');
    const enterprise = await api.tokenFor('jan.mega');
    const refused = await api.call({ method: 'POST', path: '/v1/reference/programmes', token: enterprise, body: programme });
    expect(refused.status).toBe(403);
    const anonymous = await api.call({ method: 'POST', path: '/v1/reference/programmes', body: programme });
    expect(anonymous.status).toBe(401);

    const headers = { 'idempotency-key': 'create-bakker-0001' };
    const created = await api.call({ method: 'POST', path: '/v1/reference/programmes', token: department, body: programme, headers });
    expect(created.status).toBe(201);
    expect(created.headers.Location).toBe('/v1/reference/programmes/bakker-duaal');
    const replayed = await api.call({ method: 'POST', path: '/v1/reference/programmes', token: department, body: programme, headers });
    expect(replayed.status).toBe(201);
    expect(replayed.headers['Idempotent-Replayed']).toBe('true');
    expect(replayed.body).toEqual(created.body);

    const reused = await api.call({ method: 'POST', path: '/v1/reference/programmes', token: department, body: { ...programme, schoolYears: 3 }, headers });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
    const duplicate = await api.call({ method: 'POST', path: '/v1/reference/programmes', token: department, body: programme });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('already-exists');
  });

  it('updates only with the current version in If-Match', async () => {
    const department = await api.tokenFor('dirk.departement');
    const read = await api.call({ method: 'GET', path: '/v1/reference/programmes/ruwbouw-duaal', token: department });
    const { version: _v, updatedAt: _u, ...record } = read.body;
    const changed = { ...record, schoolYears: 2 };
    const missing = await api.call({ method: 'PUT', path: '/v1/reference/programmes/ruwbouw-duaal', token: department, body: changed });
    expect(missing.status).toBe(428);
    const ok = await api.call({
      method: 'PUT',
      path: '/v1/reference/programmes/ruwbouw-duaal',
      token: department,
      body: changed,
      headers: { 'if-match': read.headers.ETag! },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.ETag).toBe('"2"');
    const stale = await api.call({
      method: 'PUT',
      path: '/v1/reference/programmes/ruwbouw-duaal',
      token: department,
      body: changed,
      headers: { 'if-match': read.headers.ETag! },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version-conflict');
    const mismatch = await api.call({ method: 'PUT', path: '/v1/reference/programmes/kok', token: department, body: changed, headers: { 'if-match': '"2"' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0]).toMatchObject({ in: 'body', pointer: '/id' });
  });

  it('names every bad field and rule in a 400, unknown fields included', async () => {
    const department = await api.tokenFor('dirk.departement');
    const res = await api.call({
      method: 'POST',
      path: '/v1/reference/programmes',
      token: department,
      body: { ...programme, id: 'Bad Id', agreementType: 'XYZ', schoolYears: 0, colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation-failed');
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/agreementType', '/colour', '/id', '/schoolYears']);
    expect(res.body.errors.find((e: { pointer: string }) => e.pointer === '/colour').code).toBe('unknown-field');
  });

  it('answers malformed JSON with 400 and a wrong content type with 415', async () => {
    const department = await api.tokenFor('dirk.departement');
    const malformed = await api.call({
      method: 'POST',
      path: '/v1/reference/programmes',
      token: department,
      rawBody: '{"id":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed-json');
    const wrongType = await api.call({
      method: 'POST',
      path: '/v1/reference/programmes',
      token: department,
      rawBody: 'id=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await api.call({ method: 'GET', path: '/v1/nothing-here', token: await api.tokenFor('dirk.departement') });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route-not-found');
  });
});
