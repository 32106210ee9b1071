// The contract check of the tests: every answer the API gives, in-process (api.ts) or over HTTP through the local
// stage (scenario-client.ts), must be one its route documents (shared/http/openapi.ts documentedResponses, the same
// list the OpenAPI document is generated from): a documented status, the documented media type, and a JSON body
// that matches the documented schema. A mismatch throws, whatever the test was about.
import * as z from 'zod';
import { documentedResponses, problemSchema } from '../../../shared/http/openapi.ts';
import { matchRoute, type RouteDefinition } from '../../../shared/http/route.ts';

/** An answer as the caller saw it: status, the Content-Type header and the body (empty when there is none). */
export type ObservedAnswer = { status: number; contentType: string | undefined; body: string };

export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

const mediaTypeOf = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/**
 * Throws a ContractViolation when `answer` is not what `route` documents for its status. Without a route, the
 * request reached no route and the only right answer is the router's 404 problem (`route-not-found`).
 */
export function checkAnswer(route: RouteDefinition | undefined, request: { method: string; path: string }, answer: ObservedAnswer): void {
  const where = route ? `${route.method} ${route.path} (${request.method} ${request.path})` : `${request.method} ${request.path} (no route)`;
  function fail(what: string): never {
    throw new ContractViolation(`${where} answered ${answer.status}: ${what}`);
  }
  const documented = route
    ? documentedResponses(route).get(answer.status)
    : answer.status === 404
      ? { description: 'route-not-found', content: { mediaType: 'application/problem+json', schema: problemSchema } }
      : undefined;
  if (!documented) {
    const statuses = route ? [...documentedResponses(route).keys()].join(', ') : '404';
    fail(`status not documented (documented: ${statuses})`);
  }

  const mediaType = mediaTypeOf(answer.contentType);
  if (!documented.content) {
    if (answer.body !== '') fail(`documents no body, got ${mediaType || 'a body without Content-Type'}`);
    return;
  }
  if (mediaType !== documented.content.mediaType) fail(`Content-Type ${mediaType || '(none)'} where ${documented.content.mediaType} is documented`);
  if (answer.body === '') fail(`empty body where ${documented.content.mediaType} is documented`);
  if (!isJson(mediaType)) return;

  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    fail(`${mediaType} body is not JSON`);
  }
  const checked = documented.content.schema.safeParse(body);
  if (!checked.success) fail(`body outside its documented schema:\n${z.prettifyError(checked.error)}\n${JSON.stringify(checked.error.issues)}`);
  if (documented.content.schema === problemSchema) {
    const problem = body as z.output<typeof problemSchema>;
    if (problem.status !== answer.status) fail(`problem says status ${problem.status}`);
    if (!route && problem.code !== 'route-not-found') fail(`problem code ${problem.code} where route-not-found is the only answer without a route`);
  }
}

/**
 * `fetch` for the scenarios over HTTP: every answer of the API at `baseUrl` (the paths under /v1/) is checked as
 * `checkAnswer` does, on a copy of the response, before the caller reads it. The local stage's own pages
 * (/docs, /openapi.json, /_local/...) are outside the route table and pass unchecked.
 */
export function contractFetch(routes: RouteDefinition[], baseUrl: string, fetchImpl: typeof fetch = fetch): typeof fetch {
  const base = new URL(baseUrl);
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== base.origin || !url.pathname.startsWith('/v1/')) return response;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const bytes = Buffer.from(await response.clone().arrayBuffer());
    checkAnswer(
      matchRoute(routes, method, url.pathname),
      { method, path: url.pathname },
      {
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        body: bytes.toString('utf8'),
      },
    );
    return response;
  };
}
