// Every action route (`POST /v1/.../{id}/{verb}`) called with no body, an empty body and `{}`: one that needs
// no input takes all three alike (the request gets past its body to the handler), one with input refuses the
// missing input as a 400 naming the fields. And an action on a versioned resource without If-Match is a 428.
import { beforeAll, describe, expect, it } from 'vitest';
import { demoUsers } from '../../infra/local/seed/users.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type Actor } from '../../infra/local/testing/given.ts';
import { allRoutes } from '../../infra/topology.ts';
import { isAllowed, type ActingOrganisation } from '../domain/organisations.ts';
import { takesNoInput } from './api.ts';
import type { RouteDefinition } from './route.ts';

let api: TestApi;
const routes = allRoutes().map((r) => r.route);
const actions = routes.filter((r) => r.method === 'POST' && /\}\/[a-z-]+$/.test(r.path));

beforeAll(async () => {
  api = await createTestApi(routes, (await createTestEnvironment()).deps);
});

/** A well-formed value for each path parameter: the resource need not exist, the request must get past validation. */
function pathOf(route: RouteDefinition): string {
  const values: Record<string, string> = {
    id: route.path.startsWith('/v1/kbo-changes/') ? 'K000001-2123456791-addressChanged-handel' : '01JAAAAAAAAAAAAAAAAAAAAAAA',
    recognitionId: 'E-20260101-000001',
    mentorId: '01JBBBBBBBBBBBBBBBBBBBBBBB',
    suspensionId: '01JCCCCCCCCCCCCCCCCCCCCCCC',
    deliveryId: 'msg_3f1c0a5e9b7d4c2a8e6f1b0d9c7a5e3f',
    enterpriseNumber: '0417390703',
    providerId: 'campus-brugge',
    number: '1',
  };
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? `missing-${name}`);
}

const actingOf = (actor: Actor): ActingOrganisation => {
  const grant = demoUsers[actor.user]!.organisations.find((o) => `${o.type}:${o.id}` === actor.organisation)!;
  return { type: grant.type, id: grant.id, key: actor.organisation, roles: [...grant.roles] };
};
const callerOf = (route: RouteDefinition) => {
  const actor = Object.values(demo).find((a) => isAllowed(route.auth, actingOf(a)));
  if (!actor) throw new Error(`no demo user may call ${route.path}`);
  return actor;
};

/** The three ways to send nothing, and a body with a field. */
const bodies = { none: {}, empty: { rawBody: '', headers: { 'content-type': 'application/json' } }, '{}': { body: {} }, field: { body: { note: 'x' } } };

async function call(route: RouteDefinition, sent: keyof typeof bodies, ifMatch = true) {
  const actor = callerOf(route);
  const { headers = {}, ...body } = bodies[sent] as { headers?: Record<string, string>; body?: unknown; rawBody?: string };
  return api.call({
    method: route.method,
    path: pathOf(route),
    token: await api.tokenFor(actor.user),
    organisation: actor.organisation,
    ...body,
    headers: { ...headers, ...(ifMatch ? { 'if-match': '"1"' } : {}) },
  });
}

describe('action routes and their bodies', () => {
  it('finds the actions of every context', () => {
    expect(actions.length).toBeGreaterThan(25);
    expect(actions.filter(takesNoInput).map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/recognitions/{recognitionId}/renew', '/v1/recognitions/{recognitionId}/mentors/{mentorId}/approve']),
    );
  });

  it.each(actions.filter(takesNoInput).map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s takes no body, an empty body and {} alike',
    async (_name, route) => {
      for (const body of ['none', 'empty', '{}'] as const) {
        const reply = await call(route, body);
        expect([400, 415], `${body}: ${reply.status} ${reply.text}`).not.toContain(reply.status);
        expect(reply.status, `${body}: ${reply.text}`).toBeLessThan(500);
      }
      const withField = await call(route, 'field');
      expect(withField.status, withField.text).toBe(400);
      expect(withField.body.errors[0], withField.text).toMatchObject({ in: 'body' });
      const without = await call(route, 'none', false);
      if (route.requiresIfMatch) expect([without.status, without.body?.code], without.text).toEqual([428, 'if-match-required']);
      else expect(without.status, without.text).not.toBe(428);
    },
  );

  it.each(actions.filter((r) => !takesNoInput(r)).map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s refuses a missing input with a 400 naming the fields',
    async (_name, route) => {
      for (const body of ['none', '{}'] as const) {
        const reply = await call(route, body);
        expect([reply.status, reply.body.code], `${body}: ${reply.text}`).toEqual([400, 'validation-failed']);
        expect(reply.body.errors.length, reply.text).toBeGreaterThan(0);
        for (const error of reply.body.errors) expect(error, reply.text).toMatchObject({ in: 'body', code: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/) });
      }
    },
  );
});
