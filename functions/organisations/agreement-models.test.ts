// The agreement models served as reference data: seeded from reference-data/agreement-models.json, readable
// by every signed-in user, and a model with a placeholder typo refused when the department saves it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { allReference, seedReference } from '../../shared/data/reference.ts';
import { agreementModelOn, type AgreementModel } from '../../shared/domain/agreement-model.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
  await seedReference(env.deps, 'agreementModels', referenceFiles().agreementModels);
});

describe('/v1/reference/agreementModels', () => {
  it('serves the seeded models with their version and addendum rules', async () => {
    const token = await api.tokenFor('pieter.beheerder');
    const list = await api.call({ method: 'GET', path: '/v1/reference/agreementModels', token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((m: { id: string }) => m.id).sort()).toEqual(['duaal-overige-2024-1', 'oao-sao-2024-1']);
    const one = await api.call({ method: 'GET', path: '/v1/reference/agreementModels/oao-sao-2024-1', token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ version: '2024.1', validFrom: '2024-09-01', agreementTypes: ['OAO', 'SAO'] });
    expect(one.headers.ETag).toBe('"1"');
    expect(one.body.changesNeedingAddendum).not.toContain('counsellor');
  });

  it("keeps the model version apart from the record's concurrency version in the table", async () => {
    const stored = await allReference<AgreementModel>(env.deps, 'agreementModels');
    expect(agreementModelOn(stored, 'SAO', '2025-09-01')?.version).toBe('2024.1');
  });

  it('lets the department add a new model version and refuses an unknown placeholder with the field named', async () => {
    const department = await api.tokenFor('dirk.departement');
    const current = (await api.call({ method: 'GET', path: '/v1/reference/agreementModels/oao-sao-2024-1', token: department })).body;
    const { updatedAt: _updatedAt, ...model } = current as Record<string, unknown>;
    const next = { ...model, id: 'oao-sao-2026-1', version: '2026.1', validFrom: '2026-09-01' };
    const created = await api.call({ method: 'POST', path: '/v1/reference/agreementModels', token: department, body: next });
    expect(created.status, created.text).toBe(201);
    expect(created.body.version).toBe('2026.1');

    const read = await api.call({ method: 'GET', path: '/v1/reference/agreementModels/oao-sao-2026-1', token: department });
    const { updatedAt: _u, ...again } = read.body;
    const replaced = await api.call({
      method: 'PUT',
      path: '/v1/reference/agreementModels/oao-sao-2026-1',
      token: department,
      body: { ...again, version: '2026.2' },
      headers: { 'if-match': read.headers.ETag! },
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.headers.ETag).toBe('"2"');
    expect(replaced.body.version).toBe('2026.2');

    const typo = { ...next, id: 'oao-sao-2026-2', version: '2026.2', signatureParties: 'Opgemaakt in {{signature.copiess}} exemplaren.' };
    const refused = await api.call({ method: 'POST', path: '/v1/reference/agreementModels', token: department, body: typo });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/signatureParties', detail: expect.stringContaining('signature.copiess') })]),
    );
  });
});
