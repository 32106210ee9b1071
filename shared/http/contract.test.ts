// The contract check of the tests (infra/local/testing/contract.ts) fails on what the document does not promise:
// an undocumented status, a body off its schema, a wrong media type. Proven here with fake routes, through the
// checker itself and through createTestApi, so that a checker that lets everything pass fails this file.
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { checkAnswer, ContractViolation } from '../../infra/local/testing/contract.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment } from '../../infra/local/testing/environment.ts';
import { allRoutes } from '../../infra/topology.ts';
import { documentedResponses, generateOpenApi } from './openapi.ts';
import { defineRoute, matchRoute, type ApiResponse, type RouteDefinition } from './route.ts';

const thing = z.strictObject({ id: z.string(), count: z.number().int() });

/** A fake route that answers whatever the test puts in `answer`. */
let answer: ApiResponse = { status: 200, body: { id: 'a', count: 1 } };
const fakeRoutes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/things/{id}',
    operationId: 'get-thing',
    tags: ['Organisaties'],
    summary: 'Een ding',
    auth: { kind: 'signedIn' },
    request: { params: z.strictObject({ id: z.string().max(20) }) },
    responses: { 200: { description: 'Het ding', schema: thing }, 404: { description: 'Onbekend ding' } },
    handler: async () => answer,
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/things/{id}/document',
    operationId: 'get-thing-document',
    tags: ['Organisaties'],
    summary: 'Een ding als PDF',
    auth: { kind: 'signedIn' },
    request: { params: z.strictObject({ id: z.string().max(20) }) },
    responses: { 200: { description: 'Het ding als PDF', contentType: 'application/pdf' } },
    handler: async () => answer,
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/things/{id}/touch',
    operationId: 'touch-thing',
    tags: ['Organisaties'],
    summary: 'Een ding aanraken',
    auth: { kind: 'signedIn' },
    requiresIfMatch: true,
    request: { params: z.strictObject({ id: z.string().max(20) }) },
    responses: { 204: { description: 'Aangeraakt' } },
    handler: async () => answer,
  }),
];
const [getThing, getDocument, touchThing] = fakeRoutes as [RouteDefinition, RouteDefinition, RouteDefinition];

const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
const problem = (status: number, code = 'some-rule') => ({
  status,
  contentType: 'application/problem+json; charset=utf-8',
  body: JSON.stringify({ type: `https://werkplekduaal.be/problems/${code}`, title: 'Fout', status, detail: 'Uitleg', code }),
});
const request = { method: 'GET', path: '/v1/things/a' };

describe('the contract checker', () => {
  it('passes what the route documents, including what the shared layer answers on its own', () => {
    expect(() => checkAnswer(getThing, request, json(200, { id: 'a', count: 1 }))).not.toThrow();
    expect(() => checkAnswer(getThing, request, problem(404))).not.toThrow();
    expect(() => checkAnswer(getThing, request, problem(400))).not.toThrow();
    expect(() => checkAnswer(getThing, request, problem(401))).not.toThrow();
    expect(() => checkAnswer(touchThing, request, problem(428))).not.toThrow();
    expect(() => checkAnswer(touchThing, request, { status: 204, contentType: undefined, body: '' })).not.toThrow();
    expect(() => checkAnswer(getDocument, request, { status: 200, contentType: 'application/pdf', body: '%PDF-1.7' })).not.toThrow();
    expect(() => checkAnswer(undefined, request, problem(404, 'route-not-found'))).not.toThrow();
  });

  it('fails an undocumented status', () => {
    expect(() => checkAnswer(getThing, request, problem(409))).toThrow(/GET \/v1\/things\/\{id\} .*answered 409: status not documented/);
    expect(() => checkAnswer(getThing, request, problem(428))).toThrow(ContractViolation);
    expect(() => checkAnswer(getThing, request, json(201, { id: 'a', count: 1 }))).toThrow(/status not documented/);
    expect(() => checkAnswer(undefined, request, problem(400))).toThrow(/no route/);
  });

  it('fails a body outside its documented schema, naming the zod issue', () => {
    expect(() => checkAnswer(getThing, request, json(200, { id: 'a', count: 1, extra: true }))).toThrow(/outside its documented schema[\s\S]*extra/);
    expect(() => checkAnswer(getThing, request, json(200, { id: 'a', count: 'one' }))).toThrow(/count/);
    expect(() => checkAnswer(getThing, request, { ...problem(404), body: JSON.stringify({ message: 'Not found' }) })).toThrow(/outside its documented schema/);
    expect(() => checkAnswer(getThing, request, { ...problem(404), body: problem(403).body })).toThrow(/problem says status 403/);
    expect(() => checkAnswer(undefined, request, problem(404, 'not-found'))).toThrow(/route-not-found/);
    expect(() => checkAnswer(getThing, request, { ...json(200, {}), body: '{not json' })).toThrow(/not JSON/);
  });

  it('fails a wrong or missing content type, and a body where none is documented', () => {
    expect(() => checkAnswer(getDocument, request, json(200, { id: 'a', count: 1 }))).toThrow(/Content-Type application\/json where application\/pdf/);
    expect(() => checkAnswer(getDocument, request, { status: 200, contentType: 'application/pdf', body: '' })).toThrow(/empty body/);
    expect(() => checkAnswer(getThing, request, { ...json(200, { id: 'a', count: 1 }), contentType: 'text/plain' })).toThrow(/Content-Type text\/plain/);
    expect(() => checkAnswer(getThing, request, { ...problem(404), contentType: 'application/json' })).toThrow(/application\/problem\+json is documented/);
    expect(() => checkAnswer(touchThing, request, json(204, {}))).toThrow(/documents no body/);
  });

  it('finds the route as the router does: a static path before a template', () => {
    const routes = allRoutes().map((r) => r.route);
    expect(matchRoute(routes, 'GET', '/v1/reference/programmes/winkelbediende-duaal')?.operationId).toBe('get-programmes');
    expect(matchRoute(routes, 'POST', '/v1/applications/01JABCDEFGHJKMNPQRSTVWXYZ0/submit')?.operationId).toBe('submit-application');
    expect(matchRoute(routes, 'GET', '/v1/me/')?.operationId).toBe('get-me');
    expect(matchRoute(routes, 'DELETE', '/v1/me')).toBeUndefined();
  });
});

describe('createTestApi checks every answer', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await createTestApi(fakeRoutes, (await createTestEnvironment()).deps);
    token = await api.tokenFor('jan.mega');
  });
  const get = (path: string) => api.call({ method: 'GET', path, token });

  it('lets a documented answer through', async () => {
    answer = { status: 200, body: { id: 'a', count: 1 } };
    expect((await get('/v1/things/a')).body).toEqual({ id: 'a', count: 1 });
    // The shared layer's own answers are documented for every route: a path parameter out of its schema is a 400.
    expect((await get(`/v1/things/${'x'.repeat(30)}`)).status).toBe(400);
  });

  it('throws on an undocumented status', async () => {
    answer = { status: 202, body: { id: 'a', count: 1 } };
    await expect(get('/v1/things/a')).rejects.toThrow(/answered 202: status not documented/);
  });

  it('throws on a body off its schema', async () => {
    answer = { status: 200, body: { id: 'a' } };
    await expect(get('/v1/things/a')).rejects.toThrow(/outside its documented schema/);
  });

  it('throws on a wrong content type', async () => {
    answer = { status: 200, body: { id: 'a', count: 1 } };
    await expect(get('/v1/things/a/document')).rejects.toThrow(/Content-Type application\/json where application\/pdf/);
    answer = { status: 200, body: Buffer.from('%PDF-1.7'), contentType: 'application/pdf' };
    expect((await get('/v1/things/a/document')).status).toBe(200);
  });

  it('throws on a handler called directly, too', async () => {
    answer = { status: 202 };
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/things/a',
      rawQueryString: '',
      headers: { authorization: `Bearer ${token}` },
      isBase64Encoded: false,
      requestContext: {
        requestId: 'direct-call-1',
        stage: '$default',
        http: { method: 'GET', path: '/v1/things/a', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      },
    };
    await expect(api.handler(event as never, {} as never)).rejects.toThrow(ContractViolation);
  });
});

describe('the document and the checker', () => {
  it('list the same statuses for every route, from one function', () => {
    const routes = [...fakeRoutes, ...allRoutes().map((r) => r.route)];
    const document = generateOpenApi(routes) as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const route of routes) {
      const documented = Object.keys(document.paths[route.path]![route.method.toLowerCase()]!.responses);
      expect(documented, route.operationId).toEqual([...documentedResponses(route).keys()].map(String));
    }
    expect([...documentedResponses(touchThing).keys()]).toEqual([204, 400, 401, 403, 412, 415, 428, 500]);
    expect([...documentedResponses(getThing).keys()]).toEqual([200, 400, 401, 403, 404, 415, 500]);
  });
});
