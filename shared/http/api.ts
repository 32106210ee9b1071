// Builds the Lambda handler of one API context: middy with http-router over the context's routes.
// Each request goes through the same explicit steps: authenticate, pick the acting organisation, check the
// route's rule, validate path, query and body, honour Idempotency-Key / If-Match, call the handler, respond.
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpRouterHandler from '@middy/http-router';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ulid } from 'ulid';
import type { Dependencies } from '../adapters/dependencies.ts';
import { clientAccess, isAllowed, type MachineClient, resolveActingOrganisation } from '../domain/organisations.ts';
import { takeClientRequest } from '../data/client-rates.ts';
import { logger } from '../logger.ts';
import { bearerToken, type TokenVerifier } from './auth.ts';
import { cursorScope, invalidCursor, openQueryCursor, sealResponseCursor } from './cursor.ts';
import { beginIdempotentRequest, completeIdempotentRequest, releaseIdempotentRequest, type IdempotencyConflict } from '../data/idempotency.ts';
import { InvalidCursorError } from '../data/pagination.ts';
import { type ConflictTable, unwrap } from './conflicts.ts';
import { badRequest, forbidden, notFound, Problem, unauthorized } from './problem.ts';
import type { ApiRequest, ApiResponse, RouteDefinition } from './route.ts';
import { parseOrThrow } from './validation.ts';
import { parseJsonBody } from './body.ts';

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResult = { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };
export type ApiHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

const correlationPattern = /^[A-Za-z0-9-]{8,64}$/;
const jsonType = 'application/json';
const problemType = 'application/problem+json';

export type ApiOptions = { verifyToken: TokenVerifier };

const idempotencyConflicts: ConflictTable<IdempotencyConflict> = {
  'idempotency-key-reused': { status: 422, detail: 'Deze Idempotency-Key werd al gebruikt voor een andere aanvraag.' },
  'idempotency-in-progress': { status: 409, detail: 'Een aanvraag met deze Idempotency-Key wordt nog verwerkt. Probeer het zo dadelijk opnieuw.' },
};

export function createApiHandler(routes: RouteDefinition[], deps: Dependencies, options: ApiOptions): ApiHandler {
  const router = httpRouterHandler({
    routes: routes.map((route) => ({
      method: route.method,
      path: route.path,
      handler: (event: ApiEvent) => runRoute(route, event, deps, options),
    })),
    notFoundResponse: () => {
      throw notFound('route-not-found', 'Deze URL of methode bestaat niet in de API.');
    },
  });
  return middy<ApiEvent, ApiResult>()
    .use(requestLog())
    .use(httpSecurityHeaders())
    .use(
      httpCors({
        origins: deps.config.ALLOWED_ORIGINS,
        headers: 'Authorization,Content-Type,X-Organisation,If-Match,Idempotency-Key,X-Correlation-Id',
        exposeHeaders: 'ETag,X-Correlation-Id,Location',
        methods: 'GET,POST,PUT,PATCH,DELETE',
      }),
    )
    .use(problemErrorHandler())
    .handler(router as unknown as (event: ApiEvent, context: Context) => Promise<ApiResult>) as unknown as ApiHandler;
}

function lowerCaseHeaders(event: ApiEvent): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

function parseBody(event: ApiEvent, headers: Record<string, string | undefined>): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== jsonType && !contentType.endsWith('+json')) {
    throw new Problem(415, 'unsupported-media-type', 'Stuur de inhoud als application/json.');
  }
  return parseJsonBody(event.body, event.isBase64Encoded === true);
}

function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,12})"$/.exec(value.trim());
  if (!match)
    throw badRequest('invalid-if-match', 'If-Match moet een ETag zijn zoals "3".', [
      { in: 'header', pointer: '/if-match', code: 'invalid-format', detail: 'Verwacht een ETag zoals "3".' },
    ]);
  return Number(match[1]);
}

type Caller = Pick<ApiRequest<unknown, unknown, unknown>, 'principal' | 'acting'>;

/**
 * 1. Who is calling: public routes accept a missing token but still refuse a bad one. 2. For which organisation,
 * and may that organisation (with these roles) use this route. A machine client gets in only where the route
 * accepts one of its scopes, and within its request limit.
 */
async function callerOf(route: RouteDefinition, headers: Record<string, string | undefined>, deps: Dependencies, options: ApiOptions): Promise<Caller> {
  const token = bearerToken(headers);
  const principal = token ? await options.verifyToken(token) : undefined;
  if (!principal && route.auth.kind !== 'public') throw unauthorized();
  if (!principal || route.auth.kind === 'public') return { principal, acting: undefined };
  if (principal.client) return { principal, acting: await clientCaller(route, principal.client, headers, deps) };
  const resolved = resolveActingOrganisation(principal, headers['x-organisation'], route.auth);
  if (!resolved.ok) throw new Problem(resolved.status, resolved.code, resolved.detail);
  if (!isAllowed(route.auth, resolved.acting)) throw forbidden('role-not-allowed', 'Uw rol in deze organisatie geeft geen toegang tot deze actie.');
  return { principal, acting: resolved.acting };
}

/** A machine client: the route must accept one of its scopes; then one request of its per-second limit is counted. */
async function clientCaller(route: RouteDefinition, client: MachineClient, headers: Record<string, string | undefined>, deps: Dependencies) {
  const access = clientAccess(route.auth, client, headers['x-organisation']);
  if (!access.ok) throw new Problem(access.status, access.code, access.detail);
  const taken = await takeClientRequest(deps, client.clientId, deps.config.CLIENT_REQUESTS_PER_SECOND);
  if (!taken.ok) {
    throw new Problem(429, 'too-many-requests', `Dit systeem doet meer dan ${deps.config.CLIENT_REQUESTS_PER_SECOND} aanvragen per seconde. Wacht even.`, {
      headers: { 'Retry-After': '1' },
    });
  }
  return access.acting;
}

/**
 * 3. The body, checked against the route's strict schema. One rule for every route that takes no input (no body
 * schema, or one that accepts none): no body, an empty body and `{}` are the same request, so the portal calls
 * every action alike; such a route refuses any other body.
 */
function bodyOf(route: RouteDefinition, event: ApiEvent, headers: Record<string, string | undefined>): unknown {
  const rawBody = parseBody(event, headers);
  const noInput = rawBody === undefined || isEmptyObject(rawBody);
  if (route.request.body) return parseOrThrow(route.request.body, noInput && takesNoInput(route) ? undefined : rawBody, 'body');
  if (noInput) return undefined;
  throw badRequest('unexpected-body', 'Deze aanvraag heeft geen inhoud.', [
    { in: 'body', pointer: '', code: 'unexpected-body', detail: 'Laat de inhoud leeg of stuur {}.' },
  ]);
}

const isEmptyObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

/** A route that needs no input: no body schema, or one that takes the absent body. */
export const takesNoInput = (route: Pick<RouteDefinition, 'request'>): boolean =>
  route.request.body === undefined || route.request.body.safeParse(undefined).success;

function ifMatchOf(route: RouteDefinition, headers: Record<string, string | undefined>): number | undefined {
  const ifMatch = parseIfMatch(headers['if-match']);
  if (route.requiresIfMatch && ifMatch === undefined) {
    throw new Problem(428, 'if-match-required', 'Stuur de versie die u wijzigt mee in If-Match (de ETag van de laatste lezing).');
  }
  return ifMatch;
}

async function runRoute(route: RouteDefinition, event: ApiEvent, deps: Dependencies, options: ApiOptions): Promise<ApiResult> {
  // API Gateway sets this in AWS; set it here too so logs name the route template, never the raw path.
  event.routeKey = `${route.method} ${route.path}`;
  const headers = lowerCaseHeaders(event);
  const correlationId = (event as ApiEvent & { correlationId?: string }).correlationId ?? ulid();
  const { principal, acting } = await callerOf(route, headers, deps, options);

  // 3. What was asked: path, query and body, each checked against the route's strict schemas.
  const params = route.request.params ? parseOrThrow(route.request.params, event.pathParameters ?? {}, 'path') : {};
  const validQuery = route.request.query ? parseOrThrow(route.request.query, event.queryStringParameters ?? {}, 'query') : {};
  // A list cursor is sealed to this route, caller, organisation and query (cursor.ts): the handler only ever sees
  // the inner cursor it issued, and the cursor it answers with goes out sealed the same way.
  const cursorBinding = cursorScope({
    operationId: route.operationId,
    userId: principal?.userId,
    organisationKey: acting?.key,
    query: validQuery as Record<string, unknown>,
  });
  const query = await openQueryCursor(deps.keys, cursorBinding, validQuery);
  const body = bodyOf(route, event, headers);
  const ifMatch = ifMatchOf(route, headers);

  const request: ApiRequest<unknown, unknown, unknown> = { params, query, body, headers, principal, acting, correlationId, ifMatch };
  const answer = async () => toResult(await sealResponseCursor(deps.keys, cursorBinding, await route.handler(request as never, deps)));
  const idempotencyKey = route.idempotent ? headers['idempotency-key'] : undefined;
  if (idempotencyKey === undefined) return answer();
  const scope = `${principal?.userId ?? 'anonymous'}|${acting?.key ?? '-'}|${route.operationId}|${idempotencyKey}`;
  return idempotently(deps, idempotencyKey, scope, { params, query, body }, answer);
}

/** 4. A retried creating POST with the same Idempotency-Key gets the first answer, and does nothing twice. */
async function idempotently(deps: Dependencies, key: string, scope: string, request: unknown, answer: () => Promise<ApiResult>): Promise<ApiResult> {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(key)) {
    throw badRequest('invalid-idempotency-key', 'Idempotency-Key moet 8 tot 128 letters, cijfers, - of _ bevatten.', [
      { in: 'header', pointer: '/idempotency-key', code: 'invalid-format', detail: '8 tot 128 tekens: letters, cijfers, - of _.' },
    ]);
  }
  const begun = unwrap(await beginIdempotentRequest(deps, scope, request), idempotencyConflicts);
  if (begun.replay) return { ...begun.replay, headers: { ...begun.replay.headers, 'Idempotent-Replayed': 'true' } };
  try {
    const result = await answer();
    await completeIdempotentRequest(deps, scope, result);
    return result;
  } catch (error) {
    await releaseIdempotentRequest(deps, scope);
    throw error;
  }
}

function toResult(response: ApiResponse): ApiResult {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (response.version !== undefined) headers.ETag = `"${response.version}"`;
  if (response.body === undefined) return { statusCode: response.status, headers };
  if (response.contentType) {
    headers['Content-Type'] = response.contentType;
    if (Buffer.isBuffer(response.body)) return { statusCode: response.status, headers, body: response.body.toString('base64'), isBase64Encoded: true };
    return { statusCode: response.status, headers, body: String(response.body) };
  }
  headers['Content-Type'] = `${jsonType}; charset=utf-8`;
  return { statusCode: response.status, headers, body: JSON.stringify(response.body) };
}

type Request = middy.Request<ApiEvent, ApiResult, Error, Context>;

/** Correlation id in, one log line per request out: route template, status, duration. Never a body or a raw path. */
function requestLog(): middy.MiddlewareObj<ApiEvent, ApiResult, Error, Context> {
  const started = new WeakMap<object, number>();
  const finish = (request: Request) => {
    const event = request.event as ApiEvent & { correlationId?: string };
    const status = request.response?.statusCode ?? 500;
    request.response = {
      statusCode: status,
      ...request.response,
      headers: { ...(request.response?.headers ?? {}), 'X-Correlation-Id': event.correlationId ?? '' },
    };
    logger.info('request', {
      correlationId: event.correlationId,
      method: event.requestContext?.http?.method,
      route: event.routeKey,
      status,
      durationMs: Date.now() - (started.get(request) ?? Date.now()),
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
      const event = request.event as ApiEvent & { correlationId?: string };
      const given = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'x-correlation-id')?.[1];
      event.correlationId = given && correlationPattern.test(given) ? given : (event.requestContext?.requestId ?? ulid());
    },
    after: finish,
    onError: (request) => {
      if (request.response) finish(request);
    },
  };
}

/** Renders every error as problem+json. Client errors are expected; anything else is a logged 500 without details. */
function problemErrorHandler(): middy.MiddlewareObj<ApiEvent, ApiResult, Error, Context> {
  return {
    onError: (request) => {
      const event = request.event as ApiEvent & { correlationId?: string };
      const error = request.error as Error & { statusCode?: number; expose?: boolean };
      let problem: Problem;
      if (error instanceof Problem) {
        problem = error;
      } else if (error instanceof InvalidCursorError) {
        problem = invalidCursor();
      } else if (typeof error?.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        problem = new Problem(error.statusCode, 'bad-request', 'De aanvraag kon niet verwerkt worden.');
      } else {
        logger.error('unhandled error', {
          correlationId: event.correlationId,
          route: event.routeKey,
          errorName: error?.name,
          errorMessage: error?.message,
          stack: error?.stack,
        });
        problem = new Problem(500, 'internal-error', 'Er liep iets mis. Probeer het later opnieuw of meld het met het correlatienummer.');
      }
      const body = problem.toBody({ correlationId: event.correlationId });
      request.response = {
        statusCode: problem.status,
        headers: { ...problem.headers, 'Content-Type': `${problemType}; charset=utf-8` },
        body: JSON.stringify(body),
      };
    },
  };
}
