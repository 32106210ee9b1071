// The DynamoDB requests a route makes, recorded on an in-process handler and replayed bare, so a route's figure
// is compared with exactly the requests it makes, issued the same way (in parallel where the handler issues them
// in parallel, one after the other where it waits), from the same process and against the same DynamoDB Local.
import { createLocalJWKSet } from 'jose';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { createDependencies, type Dependencies } from '../../../shared/adapters/dependencies.ts';
import { createApiHandler, type ApiEvent } from '../../../shared/http/api.ts';
import { createTokenVerifier } from '../../../shared/http/auth.ts';
import type { RouteDefinition } from '../../../shared/http/route.ts';
import type { RunningStage } from '../stage.ts';

type Command = { constructor: new (input: unknown) => Command; input: unknown };
type Recorded = { name: string; make: () => Command };
/** Requests issued together (each started while another was in flight) form a wave; waves run one after the other. */
export type Waves = Recorded[][];

/** An in-process API over `routes` whose DynamoDB client records each request of the call `record` makes. */
export function requestRecorder(stage: RunningStage, routes: RouteDefinition[]) {
  const deps = createDependencies(stage.config);
  let waves: Waves = [];
  let inFlight = 0;
  const send = deps.db.send.bind(deps.db) as unknown as (command: Command) => Promise<unknown>;
  deps.db.send = ((command: Command) => {
    const input = structuredClone(command.input);
    const recorded = { name: command.constructor.name, make: () => new command.constructor(structuredClone(input)) };
    if (inFlight === 0 || waves.length === 0) waves.push([recorded]);
    else waves[waves.length - 1]!.push(recorded);
    inFlight += 1;
    return send(command).finally(() => {
      inFlight -= 1;
    });
  }) as never;
  const handler = createApiHandler(routes, deps, {
    verifyToken: createTokenVerifier({ issuer: stage.config.OIDC_ISSUER, audience: stage.config.OIDC_AUDIENCE, keys: createLocalJWKSet(stage.issuer.jwks) }),
  });
  return {
    /** The requests of one GET, as the handler issued them. */
    async record(path: string, headers: Record<string, string>): Promise<Waves> {
      waves = [];
      const url = new URL(path, 'http://localhost');
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        isBase64Encoded: false,
        requestContext: {
          requestId: ulid(),
          stage: '$default',
          http: { method: 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
        },
      } as unknown as ApiEvent;
      const result = await handler(event, { awsRequestId: ulid() } as Context);
      if (result.statusCode !== 200) throw new Error(`GET ${path}: ${result.statusCode} ${result.body}`);
      return waves;
    },
  };
}

/** Issues the recorded requests again, bare: each wave in parallel, the waves one after the other. */
export async function replay(deps: Dependencies, waves: Waves): Promise<void> {
  for (const wave of waves) await Promise.all(wave.map((r) => deps.db.send(r.make() as never)));
}

/** `BatchGetCommand + 2 x QueryCommand` for one wave, waves joined by `, then `. */
export const describeWaves = (waves: Waves): string =>
  waves
    .map((wave) => {
      const counts = new Map<string, number>();
      for (const r of wave) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
      return [...counts].map(([name, n]) => (n > 1 ? `${n} x ${name}` : name)).join(' + ');
    })
    .join(', then ');
