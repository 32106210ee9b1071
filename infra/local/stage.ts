// The local stage: the whole system on one machine. Emulators, the same table/buckets/queues as CDK makes,
// the Lambda entry modules of every context loaded with the environment CDK would give them, the HTTP API,
// queue pollers, state machines, schedules on demand, captured e-mail, and demo data on first start.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig, type Config } from '../../shared/config.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { generateOpenApi } from '../../shared/http/openapi.ts';
import type { ApiHandler } from '../../shared/http/api.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { allRoutes, apiContexts, schedules, stateMachines, type FunctionEntry } from '../topology.ts';
import { ensureTable, localCredentials, localRegion, markStageTable, startAwsEmulator, startDynamo, type LocalQueue } from './emulators.ts';
import { localHmacKey, provisionLocalResources } from './environment.ts';
import { createLocalIssuer, discoveryDocument, type LocalIssuer } from './oidc.ts';
import { mailIndexPage, mailMessagePage, mailViewerHeaders, type MailIndexEntry } from './mail-viewer.ts';
import { runScheduleOn, ScheduleRunError } from './schedules.ts';
import { localAudience, localIssuer, localPaths, localPorts, localStage, repositoryRoot } from './paths.ts';
import { startQueuePollers, type SqsHandler } from './queues.ts';
import { persistBuckets, restoreBuckets } from './s3-persistence.ts';
import { compileRoutes, startHttpServer, type ExtraHandler } from './server.ts';
import { createLocalStateMachine, handleStepFunctions, loadDefinition, s3ObjectReader, type TaskFunction } from './state-machines.ts';
import { docsScriptPath, renderDocsPage, scalarBundle } from './docs-page.ts';
import { seedKbo } from './seed/kbo/seed.ts';
import * as keys from '../../shared/data/keys.ts';

export type StageOptions = {
  apiPort?: number;
  dynamoPort?: number;
  awsPort?: number;
  /** Folder for persisted state; undefined keeps DynamoDB in memory and S3 unpersisted (tests). */
  dataDir?: string;
  /** DynamoDB in memory even with a dataDir: the benches measure our code, not DynamoDB Local's disk writes. */
  dynamoInMemory?: boolean;
  seed?: boolean;
  log?: (line: string) => void;
};

export type RunningStage = {
  url: string;
  config: Config;
  deps: Dependencies;
  issuer: LocalIssuer;
  queues: LocalQueue[];
  mailDirectory: string;
  startExecution(stateMachine: string, input: unknown, name: string): Promise<unknown>;
  /** Runs a schedule's job now, or a daily job as of `on` (`YYYY-MM-DD`): its clock at the schedule's time that day. */
  runSchedule(name: string, options?: { on?: string }): Promise<unknown>;
  stop(): Promise<void>;
};

const json = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') => ({
  status,
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(body, null, 2),
});

async function importEntry<T>(entry: FunctionEntry): Promise<T> {
  const module = (await import(pathToFileURL(join(repositoryRoot, entry.entry)).href)) as Record<string, unknown>;
  const handler = module[entry.handler];
  if (typeof handler !== 'function') throw new Error(`${entry.entry} does not export a function ${entry.handler}`);
  return handler as T;
}

export async function startLocalStage(options: StageOptions = {}): Promise<RunningStage> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const dataDir = options.dataDir;
  const stopList: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stopList.reverse()) await fn().catch((e: Error) => console.error('stop failed', e.message));
    stopList.length = 0;
  };

  try {
    const dynamo = await startDynamo({
      port: options.dynamoPort ?? localPorts.dynamodb,
      ...(dataDir && !options.dynamoInMemory ? { dataPath: join(dataDir, 'dynamodb') } : {}),
    });
    stopList.push(dynamo.stop);
    log(`DynamoDB Local      ${dynamo.endpoint}`);
    const aws = await startAwsEmulator({ port: options.awsPort ?? localPorts.aws });
    stopList.push(aws.stop);
    log(`S3 + SQS emulator   ${aws.endpoint}`);

    const apiPort = options.apiPort ?? localPorts.api;
    const mailDirectory = join(dataDir ?? join(localPaths.root, 'test-mail', String(process.pid)), 'mail');
    mkdirSync(mailDirectory, { recursive: true });

    // Resources first, from the same definitions CDK uses.
    const tableName = `${localStage}-table`;
    const rawDynamo = new DynamoDBClient({ endpoint: dynamo.endpoint, region: localRegion, credentials: localCredentials });
    await ensureTable(rawDynamo, tableName);
    // What lets a command-line tool tell this table from any other DynamoDB's (infra/local/connect.ts).
    await markStageTable(rawDynamo, tableName);
    rawDynamo.destroy();
    // The HTTP server starts first (on its final port) so the issuer URL is known before functions load.
    let server: Server | undefined;
    const routes = compileRoutes(apiContexts);
    const handlers: Record<string, ApiHandler> = {};
    let extra: ExtraHandler = async () => undefined;
    let ready = false;
    server = await startHttpServer({ port: apiPort, routes, handlers, extra: (req, body, url) => extra(req, body, url), isReady: () => ready });
    stopList.push(() => new Promise<void>((resolve) => server!.close(() => resolve())));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : apiPort;
    const url = `http://localhost:${port}`;
    const issuerUrl = localIssuer(port);
    // The environment CDK gives every function; the Lambda entries read it on their first invocation, as on a cold start.
    const {
      environment: resourceEnvironment,
      queues,
      config,
      deps,
    } = await provisionLocalResources({
      stage: localStage,
      tableName,
      dynamoEndpoint: dynamo.endpoint,
      awsEndpoint: aws.endpoint,
      issuer: issuerUrl,
      audience: localAudience,
      sfnEndpoint: `${url}/_local/sfn`,
      // Kept in the data folder next to the data it protects: a restart reads the same key.
      hmacKey: localHmacKey(dataDir),
    });
    const environment: Record<string, string> = {
      ...resourceEnvironment,
      MAIL_TRANSPORT: 'file',
      MAIL_DIRECTORY: mailDirectory,
      ALLOWED_ORIGINS: 'http://localhost:5173,http://localhost:3001',
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    };
    Object.assign(process.env, environment);
    const bucketNames = { documents: config.DOCUMENTS_BUCKET, kboInbox: config.KBO_INBOX_BUCKET };

    const issuer = await createLocalIssuer({
      issuer: issuerUrl,
      audience: localAudience,
      ...(dataDir ? { keyPath: join(dataDir, 'oidc', 'signing-key.json') } : {}),
    });

    if (dataDir) {
      const restored = await restoreBuckets(deps.s3, Object.values(bucketNames), join(dataDir, 's3'));
      if (restored) log(`Restored ${restored} S3 objects from ${join(dataDir, 's3')}`);
      const timer = setInterval(() => void persistBuckets(deps.s3, Object.values(bucketNames), join(dataDir, 's3')).catch(() => undefined), 3000);
      stopList.push(async () => {
        clearInterval(timer);
        await persistBuckets(deps.s3, Object.values(bucketNames), join(dataDir, 's3'));
      });
    }

    for (const context of apiContexts) handlers[context.name] = await importEntry<ApiHandler>(context.function);

    // State machines: task functions in-process; StartExecution from handlers arrives at /_local/sfn.
    const machines = new Map<string, ReturnType<typeof createLocalStateMachine>>();
    for (const definition of stateMachines) {
      const functions: Record<string, TaskFunction> = {};
      for (const [substitution, entry] of Object.entries(definition.functions)) functions[substitution] = await importEntry<TaskFunction>(entry);
      machines.set(
        definition.name,
        createLocalStateMachine({ definition, machine: loadDefinition(definition), functions, readObject: s3ObjectReader(deps.s3) }),
      );
    }
    const startExecution = async (name: string, input: unknown, executionName: string) => {
      const machine = machines.get(name);
      if (!machine) throw new Error(`unknown state machine ${name}`);
      return machine.start(input as never, executionName);
    };

    const runSchedule = async (name: string, options: { on?: string } = {}) => {
      const schedule = schedules.find((s) => s.name === name);
      if (!schedule) throw new ScheduleRunError(`unknown schedule "${name}"; known: ${schedules.map((s) => s.name).join(', ') || 'none'}`, 404);
      if (options.on !== undefined) return runScheduleOn(schedule, options.on, loadConfig(environment));
      const input = { scheduledAt: new Date().toISOString(), schedule: name };
      if ('stateMachine' in schedule.target) return startExecution(schedule.target.stateMachine, input, `${name}-${Date.now()}`);
      const fn = await importEntry<(event: unknown) => Promise<unknown>>(schedule.target.function);
      return fn(input);
    };

    const openApi = generateOpenApi(
      allRoutes().map((r) => r.route),
      { serverUrl: url },
    );
    extra = async (request, body, requestUrl) => {
      const path = requestUrl.pathname;
      if (path === '/openapi.json') return json(200, openApi);
      if (path === '/docs' || path === '/docs/')
        return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: renderDocsPage(openApi.info.title) };
      if (path === docsScriptPath) {
        const headers: Record<string, string> = { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=3600' };
        return { status: 200, headers, body: scalarBundle() };
      }
      if (path === '/_local/health') return json(200, { status: 'ok' });
      if (path === '/_local/oidc/.well-known/openid-configuration') return json(200, discoveryDocument(issuerUrl));
      if (path === '/_local/oidc/.well-known/jwks.json') return json(200, issuer.jwks);
      if (path === '/_local/mail' && request.method === 'GET') {
        const messages = readMailIndex(mailDirectory) as MailIndexEntry[];
        // A browser gets the viewer, scripts and tests the JSON list.
        if (request.headers.accept?.includes('text/html'))
          return { status: 200, headers: mailViewerHeaders, body: mailIndexPage(messages, `${url}/_local/mail`) };
        return json(200, { messages });
      }
      const mailFile = /^\/_local\/mail\/([\w.:-]+)\.(eml|html)$/.exec(path);
      const emlPath = mailFile ? join(mailDirectory, `${mailFile[1]}.eml`) : undefined;
      if (mailFile && emlPath && existsSync(emlPath)) {
        if (mailFile[2] === 'eml') return { status: 200, headers: { 'Content-Type': 'message/rfc822' }, body: readFileSync(emlPath) };
        return { status: 200, headers: mailViewerHeaders, body: await mailMessagePage(`${mailFile[1]}.eml`, readFileSync(emlPath)) };
      }
      const schedule = /^\/_local\/schedules\/([\w-]+)$/.exec(path);
      if (schedule && request.method === 'POST') {
        const on = requestUrl.searchParams.get('on') ?? undefined;
        try {
          const result = await runSchedule(schedule[1]!, on === undefined ? {} : { on });
          return json(202, { started: schedule[1], ...(on === undefined ? { result: summarise(result) } : { on, ...(result as object) }) });
        } catch (error) {
          if (error instanceof ScheduleRunError) return json(error.status, { error: error.message });
          return json(500, { error: `${schedule[1]} failed: ${(error as Error).message}` });
        }
      }
      if ((path === '/_local/sfn' || path === '/_local/sfn/') && request.method === 'POST')
        return handleStepFunctions(request.headers['x-amz-target'], body, startExecution);
      return undefined;
    };

    const consumers: { queue: LocalQueue; handler: SqsHandler }[] = [];
    for (const queue of queues) consumers.push({ queue, handler: await importEntry<SqsHandler>(queue.definition.consumer) });
    const pollers = startQueuePollers(deps.sqs, consumers);
    stopList.push(pollers.stop);

    if (options.seed !== false) await seedOnce(deps, log);

    ready = true;
    log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { url, config, deps, issuer, queues, mailDirectory, startExecution, runSchedule, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function summarise(result: unknown): unknown {
  if (result && typeof result === 'object' && 'executionName' in result) return { executionName: (result as { executionName: string }).executionName };
  return result ?? null;
}

function readMailIndex(directory: string): unknown[] {
  const index = join(directory, 'index.jsonl');
  if (!existsSync(index)) return [];
  return readFileSync(index, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Demo data on first start only; a marker item remembers it, so restarts keep what users changed. */
async function seedOnce(deps: Dependencies, log: (line: string) => void) {
  const marker = keys.localStage.seeded;
  const existing = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: marker }));
  if (existing.Item) return;
  const created = await seedReferenceFiles(deps, referenceFiles());
  const kbo = await seedKbo(deps);
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: { ...marker, seededAt: new Date().toISOString() } }));
  log(`Seeded ${created} reference records and a KBO extract of ${kbo.enterprises} enterprises`);
}

export function resetLocalData(directory = localPaths.root) {
  rmSync(directory, { recursive: true, force: true });
}

export const writeStageFile = (info: Record<string, unknown>) => {
  mkdirSync(localPaths.root, { recursive: true });
  writeFileSync(localPaths.stageFile, JSON.stringify(info, null, 2));
};
