// Cold starts: for each Lambda bundle, a fresh Node process loads it and answers one event, against the same for
// a minimal bundle that only makes one bare DynamoDB GetItem (cold-start-baseline.ts), all against the bench's
// local stage. Each function runs with the NODE_OPTIONS it has in AWS (--enable-source-maps and its V8 flags) and
// once more without --enable-source-maps, which design.md names as a known cold-start cost.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ulid } from 'ulid';
import type { RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { repositoryRoot } from '../paths.ts';
import { nodeOptionsFor, sourceMapsFlag } from '../../constructs/bundling.ts';
import { buildBundle, lambdaEntries } from './bundles.ts';
import { stats } from './measure.ts';

/** One process: Node's boot, loading the bundle, answering the first event (wall ms), and the CPU ms of the last two. */
export type Sample = { bootMs: number; loadMs: number; firstEventMs: number; cpuMs: number; outcome: string };
/** p50 over the samples of one function in one variant. */
export type Figure = { loadMs: number; firstEventMs: number; loadAndAnswerMs: number; processMs: number; cpuMs: number };
export type ColdStart = {
  name: string;
  /** With the function's NODE_OPTIONS as in AWS (--enable-source-maps and its V8 flags). */
  deployed: Figure;
  /** The same without --enable-source-maps. */
  withoutSourceMaps: Figure;
  /** The baseline's samples, taken right before this function's (a busy machine slows both alike). */
  baseline: Figure;
  /** p50 of the samples' ratios of load + first event to the baseline's, and of their CPU times. */
  ratio: number;
  cpuRatio: number;
  outcome: string;
};
export type ColdStartReport = { samples: number; functions: ColdStart[] };

const apiRequest = (path: string, token: string, organisation: string) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { authorization: `Bearer ${token}`, 'x-organisation': organisation },
  isBase64Encoded: false,
  requestContext: {
    requestId: ulid(),
    stage: '$default',
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
  },
});

const sqsEvent = (body: unknown) => ({
  Records: [
    {
      messageId: ulid(),
      receiptHandle: 'cold-start',
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:cold-start',
      awsRegion: 'eu-west-1',
    },
  ],
});

const example = (name: string) => JSON.parse(readFileSync(join(repositoryRoot, 'events', 'examples', `${name}.json`), 'utf8')) as Record<string, unknown>;

/**
 * The first event of each function: a request or message that makes it read the table, as its callers would
 * send it. The API routes are GETs that need a token (so the first request also fetches the issuer's keys).
 */
async function firstEvent(name: string, stage: RunningStage): Promise<unknown> {
  const token = (user: string) => stage.issuer.sign(demoUsers[user]!);
  switch (name) {
    case 'api-organisations':
      return apiRequest('/v1/me', await token('an.peeters'), 'enterprise:0412345614');
    case 'api-documents':
      return apiRequest(`/v1/documents/${ulid()}`, await token('an.peeters'), 'enterprise:0412345614');
    case 'api-recognitions':
      return apiRequest('/v1/applications', await token('an.peeters'), 'enterprise:0412345614');
    case 'api-tasks':
      return apiRequest('/v1/tasks', await token('an.peeters'), 'enterprise:0412345614');
    case 'api-agreements':
      return apiRequest('/v1/agreements', await token('sofie.trajectbegeleider'), 'provider:campus-brugge');
    case 'api-agreement-documents':
      return apiRequest(`/v1/agreements/${ulid()}/document`, await token('sofie.trajectbegeleider'), 'provider:campus-brugge');
    case 'api-kbo-changes':
      return apiRequest('/v1/kbo-changes', await token('karim.consulent'), 'partnership:handel');
    case 'consumer-notifications':
      // A new id each time: a notification already sent is skipped, which would be less work.
      return sqsEvent({ ...example('notification-requested'), id: `cold-start-${ulid()}` });
    case 'consumer-domain-events':
      return sqsEvent(example('recognition-revoked'));
    case 'consumer-kboChanges':
      return sqsEvent({ changeId: 'K000001-0000000001-stopped-cold-start', partnershipId: 'handel' });
    case 'recognition-review-NotifySubmittedFunction':
      return { applicationId: ulid(), round: 1 };
    default:
      // The scheduled jobs and the KBO sync's PlanRun take what the scheduler sends; they ignore it.
      return { scheduledAt: new Date().toISOString(), schedule: name };
  }
}

/** One fresh process: node [options] runner bundle handler event. */
function runOnce(runner: string, bundle: string, handler: string, eventFile: string, nodeOptions: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, bundle, handler, eventFile], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('COLD-START '));
      if (code !== 0 || !line) reject(new Error(`${bundle} ${handler}: exit ${code}\n${output.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('COLD-START '.length)) as Sample);
    });
  });
}

const round = (v: number) => Math.round(v * 10) / 10;
const p50 = (values: number[]) => stats(values).p50;
const loadAndAnswer = (s: Sample) => s.loadMs + s.firstEventMs;

function figure(samples: Sample[]): Figure {
  return {
    loadMs: round(p50(samples.map((s) => s.loadMs))),
    firstEventMs: round(p50(samples.map((s) => s.firstEventMs))),
    loadAndAnswerMs: round(p50(samples.map(loadAndAnswer))),
    processMs: round(p50(samples.map((s) => s.bootMs + loadAndAnswer(s)))),
    cpuMs: round(p50(samples.map((s) => s.cpuMs))),
  };
}

export async function coldStarts(stage: RunningStage, directory: string, samples: number): Promise<ColdStartReport> {
  mkdirSync(directory, { recursive: true });
  const runner = join(directory, 'runner.mjs');
  await build({
    entryPoints: [join(repositoryRoot, 'infra/local/bench/cold-start-runner.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: runner,
    logLevel: 'silent',
  });
  let written = 0;
  const eventFile = async (name: string) => {
    const file = join(directory, `event-${written++}.json`);
    writeFileSync(file, JSON.stringify(await firstEvent(name, stage)));
    return file;
  };

  const baselineBundle = join(directory, 'baseline', 'index.mjs');
  await buildBundle('infra/local/bench/cold-start-baseline.ts', join(directory, 'baseline'));
  const baselineEvent = join(directory, 'baseline-event.json');
  writeFileSync(
    baselineEvent,
    JSON.stringify({ tableName: stage.config.TABLE_NAME, endpoint: stage.config.LOCAL_DYNAMODB_ENDPOINT, region: stage.config.AWS_REGION }),
  );

  const functions: ColdStart[] = [];
  for (const { name, fn } of lambdaEntries()) {
    const bundle = join(directory, name, 'index.mjs');
    await buildBundle(fn.entry, join(directory, name));
    const runs = { baseline: [] as Sample[], deployed: [] as Sample[], withoutSourceMaps: [] as Sample[] };
    // Interleaved, so that a burst of load on the machine falls on all three alike.
    for (let i = 0; i < samples; i++) {
      runs.baseline.push(await runOnce(runner, baselineBundle, 'handler', baselineEvent, sourceMapsFlag));
      runs.deployed.push(await runOnce(runner, bundle, fn.handler, await eventFile(name), nodeOptionsFor(fn)));
      runs.withoutSourceMaps.push(await runOnce(runner, bundle, fn.handler, await eventFile(name), fn.nodeOptions ?? ''));
    }
    functions.push({
      name,
      deployed: figure(runs.deployed),
      withoutSourceMaps: figure(runs.withoutSourceMaps),
      baseline: figure(runs.baseline),
      ratio: Math.round(p50(runs.deployed.map((s, i) => loadAndAnswer(s) / loadAndAnswer(runs.baseline[i]!))) * 100) / 100,
      cpuRatio: Math.round(p50(runs.deployed.map((s, i) => s.cpuMs / runs.baseline[i]!.cpuMs)) * 100) / 100,
      outcome: [...new Set(runs.deployed.map((s) => s.outcome))].join(', '),
    });
  }
  return { samples, functions };
}

export function coldStartReport(report: ColdStartReport): string[] {
  return [
    `## Cold start: a fresh Node process loads the bundle and answers its first event (ms, p50 of ${report.samples} processes)`,
    '',
    'The baseline is a bundle that only makes one bare DynamoDB GetItem, run right before each sample of each function; the ratio is the p50 of the per-sample ratios. Wall times on a busy machine vary a lot, CPU times far less.',
    '',
    '| function | load + first event (load, event) | ratio | CPU | CPU ratio | baseline: load + GetItem (load, GetItem), CPU | without --enable-source-maps: load + first event, CPU | from the process start | first event answered |',
    '|---|---|---|---|---|---|---|---|---|',
    ...report.functions.map((f) => {
      const split = (x: Figure) => `${x.loadAndAnswerMs} (${x.loadMs}, ${x.firstEventMs})`;
      return `| ${f.name} | ${split(f.deployed)} | ${f.ratio}x | ${f.deployed.cpuMs} | ${f.cpuRatio}x | ${split(f.baseline)}, ${f.baseline.cpuMs} | ${f.withoutSourceMaps.loadAndAnswerMs}, ${f.withoutSourceMaps.cpuMs} | ${f.deployed.processMs} | ${f.outcome} |`;
    }),
    '',
    "Every function runs with the NODE_OPTIONS it has in AWS (infra/constructs/bundling.ts), the baseline with --enable-source-maps too. An API function's first request also fetches the issuer's discovery document and key set, as in AWS.",
    '',
  ];
}
