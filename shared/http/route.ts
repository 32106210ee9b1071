// The shape of one HTTP route. Each context's routes.ts lists its routes with defineRoute; the Lambda's
// http-router, the CDK HTTP API and the local stage all read those lists, so a route exists in one place.
import type * as z from 'zod';
import type { ActingOrganisation, AuthRule, Principal } from '../domain/organisations.ts';
import type { Dependencies } from '../adapters/dependencies.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ApiRequest<P, Q, B> = {
  params: P;
  query: Q;
  body: B;
  headers: Record<string, string | undefined>;
  /** Undefined only on public routes called without a token. */
  principal: Principal | undefined;
  acting: ActingOrganisation | undefined;
  correlationId: string;
  /** The `If-Match` version, parsed from the ETag form `"3"`; undefined when absent. */
  ifMatch: number | undefined;
};

export type ApiResponse = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sets a weak-free ETag `"<version>"` for optimistic concurrency. */
  version?: number;
  /** Non-JSON bodies (HTML, PDF) set this; `body` is then a string or Buffer. */
  contentType?: string;
};

/**
 * One documented answer of a route. A JSON answer names its view in `schema`; a non-JSON answer (a PDF) names its
 * media type in `contentType` and is documented as binary; an answer with neither has no body (204). Errors only
 * need a description: every error is problem+json (openapi.ts).
 */
export type ResponseSpec = { description: string; schema?: z.ZodType; contentType?: string };

export type RouteDefinition<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> = {
  method: HttpMethod;
  /** API Gateway style: `/v1/enterprises/{enterpriseNumber}`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  auth: AuthRule;
  request: { params?: P; query?: Q; body?: B };
  responses: Record<number, ResponseSpec>;
  /** Creating POSTs accept an `Idempotency-Key`; a retry with the same key gets the first answer. */
  idempotent?: boolean;
  /**
   * Every state-changing request on an existing versioned resource (its read answers an ETag) requires `If-Match`
   * with that version: without it 428 `if-match-required`, with another one 412 `version-conflict`.
   */
  requiresIfMatch?: boolean;
  handler: (request: ApiRequest<z.output<P>, z.output<Q>, z.output<B>>, deps: Dependencies) => Promise<ApiResponse>;
};

/** Identity function that keeps the schema types flowing into the handler. */
export function defineRoute<
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
>(route: RouteDefinition<P, Q, B>): RouteDefinition {
  return route as unknown as RouteDefinition;
}

const pathPatterns = new Map<string, RegExp>();

/** A path template as a pattern, its parameters as named groups; a trailing slash is allowed, as API Gateway allows it. */
export function pathPattern(template: string): RegExp {
  let pattern = pathPatterns.get(template);
  if (!pattern) {
    pattern = new RegExp(`^${template.replace(/\{([^/}]+)\}/g, '(?<$1>[^/]+)')}/?$`);
    pathPatterns.set(template, pattern);
  }
  return pattern;
}

/**
 * The route that answers `method path`, as API Gateway and @middy/http-router pick it: an exact path before a
 * template, then the first template that matches. Undefined: no route (the `$default` route's 404).
 */
export function matchRoute<R extends RouteDefinition>(routes: readonly R[], method: string, path: string): R | undefined {
  const candidates = routes.filter((route) => route.method === method.toUpperCase() && pathPattern(route.path).test(path));
  return candidates.find((route) => !route.path.includes('{')) ?? candidates[0];
}
