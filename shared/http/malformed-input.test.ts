// Property test over every route of every context: generated malformed paths, queries and bodies always
// get a 4xx application/problem+json answer, never a 5xx.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { allRoutes } from '../../infra/topology.ts';
import { demoUsers } from '../../infra/local/seed/users.ts';

let api: TestApi;
const routes = allRoutes().map((r) => r.route);
const users = Object.keys(demoUsers);

beforeAll(async () => {
  const env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
});

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('0417.390.703', '0417390704', '2.123.456.791', '..', '%00', '%E0%A4%A', 'null', '-1', '__proto__', 'a'.repeat(300)),
);
const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('-1', '0', '101', 'abc', 'bm9wZQ', '%%'));

function fillPath(template: string, values: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? 'x'));
}

describe('every route answers malformed input with a 4xx problem', () => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...users),
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        fc.dictionary(fc.constantFrom('cursor', 'limit', 'x', 'onDate', 'programme', ''), queryValue, { maxKeys: 3 }),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        fc.oneof(fc.constant(undefined), fc.constantFrom('{', '[1,', 'null', '"x"', '{"a":1}{', '\u0000')),
        fc.boolean(),
        async (user, values, query, body, raw, withOrganisationHeader) => {
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const path = `${fillPath(route.path, values)}${search ? `?${search}` : ''}`;
          const token = await api.tokenFor(user);
          const organisation = withOrganisationHeader ? `${demoUsers[user]!.organisations[0]!.type}:${demoUsers[user]!.organisations[0]!.id}` : undefined;
          const res = await api.call({
            method: route.method,
            path,
            token,
            ...(organisation ? { organisation } : {}),
            ...(raw !== undefined ? { rawBody: raw, headers: { 'content-type': 'application/json' } } : body !== undefined ? { body } : {}),
          });
          expect(res.status, `${route.method} ${path} -> ${res.text}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['Content-Type']).toMatch(/^application\/problem\+json/);
            expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), title: expect.any(String) });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
