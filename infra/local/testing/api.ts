// In-process calls to an API context's Lambda handler with real API Gateway v2 events and real tokens
// from a throwaway local issuer: the handler-level half of the test suite (the other half goes over HTTP).
import { createLocalJWKSet } from 'jose';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { createApiHandler, type ApiEvent, type ApiHandler } from '../../../shared/http/api.ts';
import { createTokenVerifier } from '../../../shared/http/auth.ts';
import type { RouteDefinition } from '../../../shared/http/route.ts';
import { checkAnswer } from './contract.ts';
import { createLocalIssuer, type LocalIssuer } from '../oidc.ts';
import { demoClients } from '../seed/clients.ts';
import { demoUsers } from '../seed/users.ts';
import { testAudience, testIssuer } from './environment.ts';

export type CallOptions = {
  method: string;
  path: string;
  token?: string;
  organisation?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
};
export type CallResult = { status: number; headers: Record<string, string>; body: any; text: string };

export type TestApi = {
  issuer: LocalIssuer;
  handler: ApiHandler;
  call(options: CallOptions): Promise<CallResult>;
  tokenFor(user: keyof typeof demoUsers | string): Promise<string>;
  /** A client-credentials token of a demo machine client (infra/local/seed/clients.ts). */
  tokenForClient(client: keyof typeof demoClients | string): Promise<string>;
};

/**
 * The context's handler, with every answer checked against what its route documents (contract.ts): a status,
 * media type or body the document does not promise fails the call, whatever the test was about. Tests that build
 * their own events call `handler` directly and are checked the same way.
 */
function checkedHandler(routes: RouteDefinition[], handler: ApiHandler): ApiHandler {
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  return async (event, context) => {
    const result = await handler(event, context);
    // api.ts sets the route key to the route it ran (as API Gateway does); `$default` means no route matched.
    const route = byKey.get(event.routeKey);
    const contentType = Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    checkAnswer(route, { method: event.requestContext.http.method, path: event.rawPath }, { status: result.statusCode, contentType, body: result.body ?? '' });
    return result;
  };
}

export async function createTestApi(routes: RouteDefinition[], deps: Dependencies): Promise<TestApi> {
  const issuer = await createLocalIssuer({ issuer: testIssuer, audience: testAudience });
  const handler = checkedHandler(
    routes,
    createApiHandler(routes, deps, {
      verifyToken: createTokenVerifier({ issuer: testIssuer, audience: testAudience, keys: createLocalJWKSet(issuer.jwks) }),
    }),
  );
  const call = async (options: CallOptions): Promise<CallResult> => {
    const url = new URL(options.path, 'http://localhost');
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.organisation) headers['x-organisation'] = options.organisation;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      body,
      isBase64Encoded: false,
      requestContext: {
        requestId: ulid(),
        stage: '$default',
        http: { method: options.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      },
    } as unknown as ApiEvent;
    const result = await handler(event, { awsRequestId: ulid() } as Context);
    const text = result.body ?? '';
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: result.statusCode, headers: result.headers ?? {}, body: parsed, text };
  };
  const tokenFor = async (user: string) => {
    const demo = demoUsers[user];
    if (!demo) throw new Error(`unknown demo user ${user}`);
    return issuer.sign(demo);
  };
  const tokenForClient = async (client: string) => {
    const demo = demoClients[client];
    if (!demo) throw new Error(`unknown demo client ${client}`);
    return issuer.signClient(demo);
  };
  return { issuer, handler, call, tokenFor, tokenForClient };
}
