// Latency of two everyday reads through the local stage (HTTP, event translation, JWT verification, validation,
// logging, the handler), each next to exactly the DynamoDB requests its handler makes, recorded on an in-process
// handler and issued bare the same way (requests.ts). The two are measured alternately, request by request, so
// a change in the machine's load affects both alike.
import { routes as organisationRoutes } from '../../../functions/organisations/routes.ts';
import { demoUsers } from '../seed/users.ts';
import type { RunningStage } from '../stage.ts';
import { stats, type Stats } from './measure.ts';
import { describeWaves, replay, requestRecorder } from './requests.ts';

export type Comparison = { api: Stats; bare: Stats; requests: string };

/** `count` timings of `a` and of `b`, taken alternately after `warmup` unmeasured rounds. */
export async function timeAlternately(a: () => Promise<unknown>, b: () => Promise<unknown>, count: number, warmup = 20): Promise<{ a: Stats; b: Stats }> {
  const samples: { a: number[]; b: number[] } = { a: [], b: [] };
  const once = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  for (let i = 0; i < warmup + count; i++) {
    const ta = await once(a);
    const tb = await once(b);
    if (i < warmup) continue;
    samples.a.push(ta);
    samples.b.push(tb);
  }
  return { a: stats(samples.a), b: stats(samples.b) };
}

export async function latencyBench(stage: RunningStage, count: number): Promise<Record<string, Comparison>> {
  const user = demoUsers['an.peeters']!;
  const headers = { authorization: `Bearer ${await stage.issuer.sign(user)}`, 'x-organisation': 'enterprise:0412345614' };
  const get = (path: string) => async () => {
    const response = await fetch(`${stage.url}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    await response.arrayBuffer();
  };
  // The first call records the user; the figure is of the usual call, which finds the profile unchanged.
  await get('/v1/me')();
  const recorder = requestRecorder(stage, organisationRoutes);
  const results: Record<string, Comparison> = {};
  for (const [route, path] of [
    ['GET /v1/me', '/v1/me'],
    ['GET /v1/enterprises/{enterpriseNumber}', '/v1/enterprises/0412345614'],
  ] as const) {
    const waves = await recorder.record(path, headers);
    const { a: api, b: bare } = await timeAlternately(get(path), () => replay(stage.deps, waves), count);
    results[route] = { api, bare, requests: describeWaves(waves) };
  }
  return results;
}
