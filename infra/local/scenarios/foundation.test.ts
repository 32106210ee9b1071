// Scenario over HTTP through the whole local stage, as the portal front end would use it: a token for a
// demo user, who am I, switch organisation, the enterprise profile from the seeded KBO extract, the
// department edits reference data, the OpenAPI document and reference page, and an e-mail through the queue.
import { freePort } from '../free-port.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStage, type RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { requestNotification } from '../../../shared/adapters/mail.ts';
import { createPortalClient } from '../../../clients/portal/client.ts';
import { allRoutes } from '../../topology.ts';
import { contractFetch } from '../testing/contract.ts';

let stage: RunningStage;
let dataDir: string;
const routes = allRoutes().map((r) => r.route);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'werkplekduaal-scenario-'));
  stage = await startLocalStage({ apiPort: 0, dynamoPort: await freePort(), awsPort: 0, dataDir });
}, 90_000);

afterAll(async () => {
  await stage?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { user?: string; organisation?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.user) headers.authorization = `Bearer ${await stage.issuer.sign(demoUsers[options.user]!)}`;
  if (options.organisation) headers['x-organisation'] = options.organisation;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // Every answer of the API is checked against the document (contract.ts), whatever the scenario was about.
  const response = await contractFetch(routes, stage.url)(`${stage.url}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

describe('foundation scenario through the local stage', () => {
  it('serves the issuer discovery document and key set the API verifies tokens with', async () => {
    const discovery = await call('/_local/oidc/.well-known/openid-configuration');
    expect(discovery.body.issuer).toBe(stage.config.OIDC_ISSUER);
    const jwks = await call('/_local/oidc/.well-known/jwks.json');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it('a front-end developer signs in, sees her organisations and switches between them', async () => {
    expect((await call('/v1/me')).status).toBe(401);
    const me = await call('/v1/me', { user: 'an.peeters', organisation: 'enterprise:0412345614' });
    expect(me.status).toBe(200);
    expect(me.headers.get('x-correlation-id')).toBeTruthy();
    expect(me.body.organisations.map((o: { key: string }) => o.key)).toEqual(['enterprise:0412345614', 'enterprise:0417390703']);
    expect(me.body.organisations[0].name).toBeTruthy();
    expect(me.body.acting.key).toBe('enterprise:0412345614');

    const own = await call('/v1/enterprises/0412.345.614', { user: 'an.peeters', organisation: 'enterprise:0412345614' });
    expect(own.status).toBe(200);
    expect(own.body.enterpriseNumber).toBe('0412.345.614');
    expect(own.body.establishments.length).toBeGreaterThan(0);
    expect(own.body.establishments[0]).toMatchObject({ establishmentNumber: expect.stringMatching(/^\d\.\d{3}\.\d{3}\.\d{3}$/), region: expect.any(String) });

    const other = await call('/v1/enterprises/0412345614', { user: 'an.peeters', organisation: 'enterprise:0417390703' });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const badNumber = await call('/v1/enterprises/0412345615', { user: 'an.peeters', organisation: 'enterprise:0412345614' });
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.errors[0]).toMatchObject({ in: 'path', pointer: '/enterpriseNumber' });
  });

  it('the seeded KBO extract has establishments in Flanders, Brussels and Wallonia', async () => {
    const regions = new Set<string>();
    for (const enterprise of ['0412345614', '0417390703']) {
      const res = await call(`/v1/enterprises/${enterprise}`, { user: 'dirk.departement' });
      expect(res.status).toBe(200);
      for (const establishment of res.body.establishments) regions.add(establishment.region);
    }
    expect(regions.has('flanders')).toBe(true);
  });

  it('the department edits reference data; others read it', async () => {
    const read = await call('/v1/reference/partnerships/handel', { user: 'karim.consulent' });
    expect(read.status).toBe(200);
    const { version: _v, updatedAt: _u, ...record } = read.body;
    const refused = await call('/v1/reference/partnerships/handel', {
      user: 'karim.consulent',
      method: 'PUT',
      body: record,
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(refused.status).toBe(403);
    const updated = await call('/v1/reference/partnerships/handel', {
      user: 'dirk.departement',
      method: 'PUT',
      body: { ...record, rules: { ...record.rules, capacityPerMentor: 3 } },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.rules.capacityPerMentor).toBe(3);
  });

  it('publishes the OpenAPI document with every route and a readable reference page', async () => {
    const doc = await call('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/me', '/v1/enterprises/{enterpriseNumber}', '/v1/reference/programmes/{id}']));
    // The reference page loads Scalar from this stage, never from a CDN (docs-browser.test.ts renders it).
    const page = await fetch(`${stage.url}/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('src="/docs/scalar.js"');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${stage.url}/docs/scalar.js`);
    expect(script.status).toBe(200);
  });

  it('is called by the typed portal client generated from the document', async () => {
    const client = createPortalClient({
      baseUrl: stage.url,
      token: () => stage.issuer.sign(demoUsers['an.peeters']!),
      organisation: 'enterprise:0412345614',
      fetch: contractFetch(routes, stage.url),
    });
    const { data, response } = await client.GET('/v1/enterprises/{enterpriseNumber}', { params: { path: { enterpriseNumber: '0412.345.614' } } });
    expect(response.status).toBe(200);
    expect(data?.name).toBe('Bakkerij Peeters');
    const refused = await createPortalClient({ baseUrl: stage.url, fetch: contractFetch(routes, stage.url) }).GET('/v1/me');
    expect(refused.response.status).toBe(401);
  });

  it('delivers an e-mail requested on the notifications queue to the local mailbox', async () => {
    await requestNotification(stage.deps, {
      id: '01JSCENARIOMAIL000000000001',
      to: ['partnerschap@example.test'],
      template: 'test-message',
      data: { text: 'Hallo vanuit het scenario' },
    } as never);
    let messages: { subject: string; to: string[] }[] = [];
    for (let i = 0; i < 50 && messages.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      messages = (await call('/_local/mail')).body.messages;
    }
    expect(messages.length).toBe(1);
  });
});
