// The local HTTP API: turns each Node request into an API Gateway HTTP API v2 event and hands it to the
// context's middy handler, exactly as API Gateway would with the `$default` stage. Also serves the
// OpenAPI document, the API reference page, the local issuer and the captured e-mail.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiHandler, ApiResult } from '../../shared/http/api.ts';
import { matchRoute, pathPattern, type RouteDefinition } from '../../shared/http/route.ts';

export type LocalRoute = { route: RouteDefinition; context: string; pattern: RegExp };
export type ExtraHandler = (
  request: IncomingMessage,
  body: Buffer,
  url: URL,
) => Promise<{ status: number; headers?: Record<string, string>; body?: string | Buffer } | undefined>;

export function compileRoutes(contexts: { name: string; routes: RouteDefinition[] }[]): LocalRoute[] {
  return contexts.flatMap((context) =>
    context.routes.map((route) => ({
      route,
      context: context.name,
      pattern: pathPattern(route.path),
    })),
  );
}

const lambdaContext = (name: string): Context =>
  ({
    functionName: `api-${name}`,
    // Lambda's request ids are UUIDs; randomUUID is also far cheaper than a ULID (16 random draws) per request.
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 29_000,
    callbackWaitsForEmptyEventLoop: false,
  }) as unknown as Context;

export function toApiEvent(request: IncomingMessage, body: Buffer, url: URL, routeKey: string, pathParameters: Record<string, string> | undefined): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const text = body.length ? body.toString('utf8') : undefined;
  const isText = text !== undefined && Buffer.from(text, 'utf8').equals(body);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters,
    body: text === undefined ? undefined : isText ? text : body.toString('base64'),
    isBase64Encoded: text !== undefined && !isText,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'localhost',
      stage: '$default',
      requestId: randomUUID(),
      routeKey,
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
    },
  } as ApiEvent;
}

export function startHttpServer(options: {
  port: number;
  routes: LocalRoute[];
  handlers: Record<string, ApiHandler>;
  extra: ExtraHandler;
  /** Until the stage has loaded its functions, every request is a 503 with Retry-After, never a 500. */
  isReady?: () => boolean;
  maxBodyBytes?: number;
}): Promise<Server> {
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > maxBody) {
          // API Gateway refuses payloads over 10 MB before any function runs.
          response.writeHead(413, { 'Content-Type': 'application/problem+json' }).end(
            JSON.stringify({
              type: 'https://werkplekduaal.be/problems/payload-too-large',
              title: 'Aanvraag te groot',
              status: 413,
              detail: 'De aanvraag is groter dan 10 MB.',
              code: 'payload-too-large',
            }),
          );
          return;
        }
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
      if (options.isReady && !options.isReady()) {
        response.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '1' }).end(
          JSON.stringify({
            type: 'https://werkplekduaal.be/problems/starting',
            title: 'Tijdelijk niet beschikbaar',
            status: 503,
            detail: 'De lokale omgeving start nog. Probeer het over een seconde opnieuw.',
            code: 'starting',
          }),
        );
        return;
      }

      const extra = await options.extra(request, body, url);
      if (extra) {
        response.writeHead(extra.status, extra.headers ?? {}).end(extra.body);
        return;
      }

      // API Gateway picks the route (and so the function) by method and path template; the function's
      // own http-router then matches again. An unknown path still reaches a function, as with $default.
      const method = (request.method ?? 'GET').toUpperCase();
      const route = matchRoute(
        options.routes.map((r) => r.route),
        method,
        url.pathname,
      );
      // A CORS preflight goes to the function of any route on the path.
      const match = route
        ? options.routes.find((r) => r.route === route)
        : method === 'OPTIONS'
          ? options.routes.find((r) => r.pattern.test(url.pathname))
          : undefined;
      const contextName = match?.context ?? options.routes[0]!.context;
      const params = match ? (match.pattern.exec(url.pathname)?.groups ?? {}) : undefined;
      const decoded = params ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, safeDecode(v)])) : undefined;
      const routeKey = match ? `${match.route.method} ${match.route.path}` : '$default';
      const event = toApiEvent(request, body, url, routeKey, decoded);
      const result: ApiResult = await options.handlers[contextName]!(event, lambdaContext(contextName));
      const payload = result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      // API Gateway drops headers without a value (http-security-headers leaves `Server` undefined).
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).filter(([, value]) => value !== undefined && value !== null));
      response.writeHead(result.statusCode, headers).end(payload);
    } catch (error) {
      // The handlers render their own errors; reaching this means the local stage itself failed.
      console.error('local server error', error);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/problem+json' });
      response.end(
        JSON.stringify({
          type: 'https://werkplekduaal.be/problems/internal-error',
          title: 'Interne fout',
          status: 500,
          detail: 'De lokale omgeving faalde.',
          code: 'internal-error',
        }),
      );
    }
  });
  return new Promise((resolve) => server.listen(options.port, '127.0.0.1', () => resolve(server)));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
