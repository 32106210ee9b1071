// The department reads the report of an applied KBO file over the API; nobody else does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fullFileName, generateFullExtract } from '../../infra/local/kbo/generator.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { importFullExtract } from '../kbo-import/full-import.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;
const base = { enterprises: 8, seed: 5 };

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
  const path = join(mkdtempSync(join(tmpdir(), 'kbo-report-')), fullFileName(base));
  await generateFullExtract({ ...base, path });
  await importFullExtract(env.deps, path);
});

const get = async (path: string, user?: string, organisation?: string) =>
  api.call({ method: 'GET', path, ...(user ? { token: await api.tokenFor(user), organisation } : {}) });

describe('GET /v1/kbo-extracts/{extractNumber}/report', () => {
  it('gives the department the report of an applied file', async () => {
    const reply = await get('/v1/kbo-extracts/1/report', 'dirk.departement', 'department:dwse');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ fileName: fullFileName(base), extractNumber: 1, extractType: 'full', changes: null, empty: true });
    expect(reply.body.rowsPerMember['enterprise.csv']).toBe(base.enterprises);
  });

  it('is 404 for an extract that was not applied, 400 for what is no extract number', async () => {
    const unknown = await get('/v1/kbo-extracts/2/report', 'dirk.departement', 'department:dwse');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'report-not-found']);
    for (const bad of ['0', 'abc', '1.5', '1234567']) {
      const reply = await get(`/v1/kbo-extracts/${bad}/report`, 'dirk.departement', 'department:dwse');
      expect([reply.status, reply.body.errors?.[0]?.pointer ?? reply.body.code], bad).toEqual([400, expect.stringContaining('extractNumber')]);
    }
  });

  it('is not for partnerships, enterprises or anonymous callers', async () => {
    expect((await get('/v1/kbo-extracts/1/report')).status).toBe(401);
    const partnership = await get('/v1/kbo-extracts/1/report', 'bart.horeca', 'partnership:horeca');
    expect([partnership.status, partnership.body.code]).toEqual([403, 'role-not-allowed']);
  });
});
