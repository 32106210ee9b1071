// Every route of every context against its declared rule: anonymous callers get 401 (unless public),
// an organisation type or role the rule does not name gets 403, and one it names gets past authorisation.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { allRoutes } from '../../infra/topology.ts';
import { demoClients } from '../../infra/local/seed/clients.ts';
import { demoUsers } from '../../infra/local/seed/users.ts';
import { clientAccess, isAllowed, organisationKey } from '../domain/organisations.ts';

let api: TestApi;
const routes = allRoutes().map((r) => r.route);
const samplePath = (path: string) => path.replace('{enterpriseNumber}', '0412.345.614').replace(/\{[^}]+\}/g, 'bestaat-niet');

/** Each demo user with each organisation they hold, as (user, organisation key, acting organisation). */
const actors = Object.entries(demoUsers).flatMap(([user, demo]) =>
  demo.organisations.map((grant) => ({
    user,
    key: organisationKey(grant.type, grant.id),
    acting: { type: grant.type, id: grant.id, key: organisationKey(grant.type, grant.id), roles: [...grant.roles] },
  })),
);

beforeAll(async () => {
  const env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
});

describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
  it('refuses anonymous callers unless public', async () => {
    const res = await api.call({ method: route.method, path: samplePath(route.path) });
    if (route.auth.kind === 'public') expect(res.status).not.toBe(401);
    else expect(res.status).toBe(401);
  });

  it('allows exactly the organisation types and roles its rule names', async () => {
    for (const actor of actors) {
      const res = await api.call({
        method: route.method,
        path: samplePath(route.path),
        token: await api.tokenFor(actor.user),
        organisation: actor.key,
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      const allowed = isAllowed(route.auth, actor.acting);
      if (allowed) {
        // Past authorisation: the answer may still be a 400 (empty body) or a resource-level 403/404.
        expect(res.status, `${actor.user} as ${actor.key}: ${res.text}`).not.toBe(401);
        expect(res.body?.code, `${actor.user} as ${actor.key}`).not.toBe('role-not-allowed');
      } else {
        expect(res.status, `${actor.user} as ${actor.key}`).toBe(403);
        expect(res.body.code).toBe('role-not-allowed');
      }
    }
  });

  it('refuses every machine client unless the route accepts one of its scopes for its organisation type (default deny)', async () => {
    for (const [client, demo] of Object.entries(demoClients)) {
      const res = await api.call({
        method: route.method,
        path: samplePath(route.path),
        token: await api.tokenForClient(client),
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      if (route.auth.kind === 'public') {
        expect(res.status, client).not.toBe(403);
        continue;
      }
      const access = clientAccess(route.auth, demo, undefined);
      // A route that needs no input answers 200 with no problem code at all (GET /v1/events).
      if (access.ok) expect(res.body?.code ?? '', `${client}: ${res.text}`).not.toMatch(/^(scope-required|role-not-allowed)$/);
      else expect([res.status, res.body.code], client).toEqual([403, access.code]);
    }
    // Routes without scopes are for people only, whatever the client holds.
    if (route.auth.kind !== 'organisation' || !route.auth.scopes?.length) {
      const res = await api.call({ method: route.method, path: samplePath(route.path), token: await api.tokenForClient('campus-brugge-sis') });
      if (route.auth.kind !== 'public') expect([res.status, res.body.code]).toEqual([403, 'scope-required']);
    }
  });
});
