// Personal data never reaches the logs: a national number sent in a body, a query and a path is absent from
// everything the functions write, on success, on a validation error and on an unexpected error.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { routes } from '../../functions/organisations/routes.ts';
import { logger } from '../logger.ts';
import { captureOutput } from '../../infra/local/testing/logs.ts';

const nationalNumber = '85.07.30-033.28';
const digits = '85073003328';
let env: TestEnvironment;
let api: TestApi;

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
});

beforeEach(() => logger.setLogLevel('INFO'));
afterEach(() => {
  vi.restoreAllMocks();
  logger.setLogLevel('WARN');
});

describe('logs', () => {
  it('carry one JSON line per request with route, status and correlation id, and no national number', async () => {
    const token = await api.tokenFor('dirk.departement');
    const written = captureOutput();
    const ok = await api.call({
      method: 'POST',
      path: '/v1/reference/allowances',
      token,
      headers: { 'x-correlation-id': 'corr-12345678' },
      body: { id: 'tier-9-test', tier: 1, validFrom: '2030-01-01', validTo: null, monthlyAmountCents: 1, description: `test ${nationalNumber}` },
    });
    const invalid = await api.call({ method: 'POST', path: '/v1/reference/allowances', token, body: { id: digits, nationalNumber, tier: 7 } });
    const inQuery = await api.call({ method: 'GET', path: `/v1/reference/allowances?cursor=${digits}&rrn=${nationalNumber}`, token });
    const inPath = await api.call({ method: 'GET', path: `/v1/enterprises/${digits}`, token });
    vi.restoreAllMocks();

    expect([ok.status, invalid.status, inQuery.status, inPath.status]).toEqual([201, 400, 400, 400]);
    expect(ok.headers['X-Correlation-Id']).toBe('corr-12345678');
    const output = written.join('\n');
    expect(output).toContain('corr-12345678');
    expect(output).not.toContain(digits);
    expect(output).not.toContain(nationalNumber);
    expect(output).not.toContain('85.07.30');
    const requestLine = written
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return undefined;
        }
      })
      .find((l) => l?.correlationId === 'corr-12345678');
    expect(requestLine).toMatchObject({ message: 'request', status: 201, level: 'INFO', route: 'POST /v1/reference/allowances' });
  });

  it('turn an unexpected failure into a 500 problem with a correlation id, still without request data', async () => {
    const token = await api.tokenFor('dirk.departement');
    const broken = await createTestApi(routes, {
      ...env.deps,
      db: {
        send: async () => {
          throw new Error('connection reset');
        },
      } as never,
    });
    const written = captureOutput();
    const res = await broken.call({
      method: 'POST',
      path: '/v1/reference/allowances',
      token: await broken.tokenFor('dirk.departement'),
      body: { id: 'tier-8-test', tier: 1, validFrom: '2030-01-01', validTo: null, monthlyAmountCents: 1, description: nationalNumber },
    });
    vi.restoreAllMocks();
    void token;
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal-error', correlationId: expect.any(String) });
    expect(written.join('\n')).toContain('connection reset');
    expect(written.join('\n')).not.toContain(digits);
    expect(written.join('\n')).not.toContain('85.07.30');
  });
});
