// Mandates against the emulators: a provider registers the signed mandate, the enterprise sees and revokes
// it, and only while it is active may the provider read the enterprise's profile.
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { routes as documentRoutes } from '../documents/routes.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;
const sofie = { user: 'sofie.trajectbegeleider', organisation: 'provider:campus-brugge' };
const jan = { user: 'jan.mega', organisation: 'enterprise:0417390703' };

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi([...routes, ...documentRoutes], env.deps);
  await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { pk: 'ENT#0417390703', sk: 'PROFILE', kind: 'enterprise', enterpriseNumber: '0417.390.703', status: 'active', juridicalSituation: '000', typeOfEnterprise: '2', juridicalForm: '014', startDate: '1990-01-01', kboExtractNumber: 1 } }));
});

async function as(actor: { user: string; organisation: string }, method: string, path: string, body?: unknown) {
  return api.call({ method, path, token: await api.tokenFor(actor.user), organisation: actor.organisation, ...(body !== undefined ? { body } : {}) });
}

async function verifiedDocument(actor: { user: string; organisation: string }, kind: string): Promise<string> {
  const created = await as(actor, 'POST', '/v1/documents', { kind, contentType: 'application/pdf', sizeBytes: 1000, label: 'machtiging' });
  const form = new FormData();
  for (const [name, value] of Object.entries(created.body.upload.fields as Record<string, string>)) form.append(name, value);
  form.append('file', new Blob([Buffer.from('%PDF-1.7\nmachtiging\n%%EOF')], { type: 'application/pdf' }));
  await fetch(created.body.upload.url, { method: 'POST', body: form });
  const completed = await as(actor, 'POST', `/v1/documents/${created.body.document.id}/complete`);
  expect(completed.status).toBe(200);
  return created.body.document.id;
}

describe('mandates', () => {
  it('are registered by a provider with its own verified mandate document, seen and revoked by the enterprise', async () => {
    const before = await as(sofie, 'GET', '/v1/enterprises/0417390703');
    expect(before.status).toBe(403);

    const wrongKind = await verifiedDocument(sofie, 'other');
    const refused = await as(sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417.390.703', documentId: wrongKind });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('mandate-document-invalid');

    const documentId = await verifiedDocument(sofie, 'mandate');
    const registered = await as(sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417.390.703', documentId });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ enterpriseNumber: '0417.390.703', providerId: 'campus-brugge', status: 'active' });
    expect((await as(sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId })).status).toBe(409);

    const listed = await as(jan, 'GET', '/v1/mandates');
    expect(listed.body.items).toEqual([expect.objectContaining({ providerId: 'campus-brugge', status: 'active' })]);
    expect((await as(sofie, 'GET', '/v1/mandates')).body.items).toHaveLength(1);
    expect((await as(jan, 'GET', `/v1/documents/${documentId}`)).status).toBe(200);

    const profile = await as(sofie, 'GET', '/v1/enterprises/0417390703');
    expect(profile.status).not.toBe(403);

    expect((await as({ user: 'an.peeters', organisation: 'enterprise:0412345614' }, 'POST', '/v1/mandates/0417390703/campus-brugge/revoke')).status).toBe(403);
    expect((await as(sofie, 'POST', '/v1/mandates/0417390703/campus-brugge/revoke')).status).toBe(403);
    const revoked = await as(jan, 'POST', '/v1/mandates/0417.390.703/campus-brugge/revoke');
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await as(jan, 'POST', '/v1/mandates/0417.390.703/campus-brugge/revoke')).status).toBe(404);
    expect((await as(sofie, 'GET', '/v1/enterprises/0417390703')).status).toBe(403);

    // After a revocation the provider may register a new signed mandate.
    expect((await as(sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId })).status).toBe(201);
  });

  it('refuse an enterprise unknown in KBO and enterprise users registering one', async () => {
    const documentId = await verifiedDocument(sofie, 'mandate');
    const unknown = await as(sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0403.449.823', documentId });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].pointer).toBe('/enterpriseNumber');
    expect((await as(jan, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId })).status).toBe(403);
  });
});
