// Agreements benchmarks: the pre-flight check (saving a work version) and registration through the local
// stage, each against the bare DynamoDB requests it makes (the same commands on the same partitions, the writes
// on fresh keys), and the number of DynamoDB requests per draft save and per registration, counted on an
// in-process handler whose client records every command (functions/agreements/requests.test.ts asserts them).
import { createLocalJWKSet } from 'jose';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { nationalNumberFor } from '../testing/national-numbers.ts';
import { createDependencies, type Dependencies } from '../../../shared/adapters/dependencies.ts';
import type { Recognition } from '../../../shared/data/recognitions.ts';
import { agreement, history, kbo, outbox, recognition, reference, type TableKey } from '../../../shared/data/keys.ts';
import { putRecognition } from '../testing/agreement-fixtures.ts';
import { createApiHandler, type ApiEvent } from '../../../shared/http/api.ts';
import { createTokenVerifier } from '../../../shared/http/auth.ts';
import { routes as agreementRoutes } from '../../../functions/agreements/routes.ts';
import { stats, type Stats } from './measure.ts';
import { brusselsDate } from '../../../shared/adapters/clock.ts';

const sofie = demoUsers['sofie.trajectbegeleider']!;
const organisation = 'provider:campus-brugge';
const recognitionId = 'E/20270101/900001';
const address = { street: 'Kerkstraat', houseNumber: '5', box: null, postcode: '8000', municipality: 'Brugge' };

function body(i: number, mentorId: string, startDate: string, endDate: string) {
  return {
    learner: {
      firstName: 'Bench',
      lastName: `Leerling ${i}`,
      nationalNumber: nationalNumberFor(`2008-${String(1 + (i % 12)).padStart(2, '0')}-15`, 1 + Math.floor(i / 12)),
      address,
      legalRepresentative: { name: 'Ouder', address },
      iban: 'BE71096123456769',
      premiumConsent: true,
      priorEducationTier: 1,
      firstTwoYearsSecondaryCompleted: true,
      paid: true,
    },
    enterpriseNumber: '0417390703',
    establishmentNumber: '2123456791',
    enterpriseRepresentative: 'Jan Van Mega',
    enterpriseBankAccount: { iban: 'BE68539007547034', consent: true },
    mentorId,
    programmeId: 'winkelbediende-duaal',
    trajectoryYear: 1,
    lessonLocationId: null,
    providerRepresentative: 'Directie',
    startDate,
    endDate,
    weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
  };
}

async function http(stage: RunningStage, method: string, path: string, payload?: unknown, version?: number) {
  const headers: Record<string, string> = { authorization: `Bearer ${await stage.issuer.sign(sofie)}`, 'x-organisation': organisation };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = `"${version}"`;
  const response = await fetch(`${stage.url}${path}`, { method, headers, ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}) });
  const parsed = (await response.json().catch(() => undefined)) as any;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

async function upload(stage: RunningStage, kind: string): Promise<string> {
  const created = await http(stage, 'POST', '/v1/documents', { kind, contentType: 'application/pdf', sizeBytes: 100, label: kind });
  const form = new FormData();
  for (const [name, value] of Object.entries(created.upload.fields as Record<string, string>)) form.append(name, value);
  form.append('file', new Blob([Buffer.from('%PDF-1.7\nbench\n%%EOF')], { type: 'application/pdf' }));
  await fetch(created.upload.url, { method: 'POST', body: form });
  await http(stage, 'POST', `/v1/documents/${created.document.id}/complete`);
  return created.document.id;
}

const benchProgramme = 'winkelbediende-duaal';
const benchEstablishment = '2123456791';

/** The reads of a workplace's facts, issued directly: the three Queries a draft save makes, in parallel. */
function bareWorkplaceQueries(deps: Dependencies, i: number) {
  const table = deps.config.TABLE_NAME;
  return Promise.all([
    deps.db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
        ExpressionAttributeValues: { ':pk': recognition.establishmentIndex(benchEstablishment), ':p': recognition.establishmentIndexSkPrefix(benchProgramme) },
      }),
    ),
    bareLearnerQuery(deps, i),
    deps.db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': reference.pk('allowances') } })),
  ]);
}

const bareLearnerQuery = (deps: Dependencies, i: number) =>
  deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': agreement.learnerPk(`bench-bare-${i}`) },
    }),
  );

const bareBatchGet = (deps: Dependencies, keys: TableKey[]) =>
  deps.db.send(new BatchGetCommand({ RequestItems: { [deps.config.TABLE_NAME]: { Keys: keys, ConsistentRead: true } } }));

const establishmentItem = kbo.establishment(benchEstablishment);

/** The requests a draft save makes, issued directly: three Queries, one BatchGet, the transaction (on fresh keys). */
async function bareDraftSave(deps: Dependencies, i: number) {
  const table = deps.config.TABLE_NAME;
  await bareWorkplaceQueries(deps, i);
  await bareBatchGet(deps, [
    reference.key('programmes', benchProgramme),
    reference.key('providers', 'campus-brugge'),
    establishmentItem,
    reference.key('partnerships', 'vpdl'),
    agreement.mentorSlots('bench-bare'),
    agreement.establishmentSlots(benchEstablishment),
  ]);
  const id = ulid();
  const at = new Date().toISOString();
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...agreement.key(id), n: i }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: table, Item: { pk: agreement.pk(id), sk: history.sk(at, ulid()), n: i } } },
        { Put: { TableName: table, Item: { ...agreement.marker('draftWarning', '2000-01-01', id), n: i } } },
      ],
      ClientRequestToken: ulid(),
    }),
  );
}

/** The requests a registration makes, issued directly: the agreement, one BatchGet next to the learner's Query, a transaction of the same size on fresh keys. */
async function bareRegistration(deps: Dependencies, i: number) {
  const table = deps.config.TABLE_NAME;
  const id = ulid();
  await deps.db.send(new GetCommand({ TableName: table, Key: agreement.key(id), ConsistentRead: true }));
  await Promise.all([
    bareBatchGet(deps, [
      recognition.key(recognitionId),
      reference.key('partnerships', 'vpdl'),
      reference.key('programmes', benchProgramme),
      establishmentItem,
      agreement.mentorSlots('bench-bare'),
      agreement.establishmentSlots(benchEstablishment),
    ]),
    bareLearnerQuery(deps, i),
  ]);
  const at = new Date().toISOString();
  const put = (key: TableKey) => ({ Put: { TableName: table, Item: { ...key, n: i } } });
  const slot = (key: TableKey) => ({
    Update: { TableName: table, Key: key, UpdateExpression: 'SET used = if_not_exists(used, :z) + :o', ExpressionAttributeValues: { ':z': 0, ':o': 1 } },
  });
  await deps.db.send(
    new TransactWriteCommand({
      ClientRequestToken: ulid(),
      TransactItems: [
        put(agreement.key(id)),
        slot(agreement.mentorSlots(`bench-bare-${i % 50}`)),
        slot(agreement.establishmentSlots(`bench-bare-${i % 50}`)),
        put(agreement.runningOn('bench-bare', id)),
        put(agreement.learner(`bench-bare-${i}`, id)),
        put(agreement.premium(id, 'enterprise')),
        put(agreement.premium(id, 'learner')),
        put(outbox.key(`bench-bare-${id}-enterprise`)),
        put(outbox.key(`bench-bare-${id}-learner`)),
        put({ pk: agreement.pk(id), sk: history.sk(at, ulid()) }),
        put(agreement.marker('endsOn', '2000-01-01', id)),
      ],
    }),
  );
}

/** An in-process handler whose DynamoDB client counts commands by name. */
function countingApi(stage: RunningStage) {
  const counts: Record<string, number> = {};
  const deps = createDependencies(stage.config);
  deps.db.middlewareStack.add(
    (next, context) => async (args) => {
      counts[context.commandName ?? 'unknown'] = (counts[context.commandName ?? 'unknown'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCounter' },
  );
  const handler = createApiHandler(agreementRoutes, deps, {
    verifyToken: createTokenVerifier({ issuer: stage.config.OIDC_ISSUER, audience: stage.config.OIDC_AUDIENCE, keys: createLocalJWKSet(stage.issuer.jwks) }),
  });
  const call = async (method: string, path: string, payload: unknown, version?: number) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await stage.issuer.sign(sofie)}`,
      'x-organisation': organisation,
      'content-type': 'application/json',
      ...(version !== undefined ? { 'if-match': `"${version}"` } : {}),
    };
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers,
      body: JSON.stringify(payload),
      isBase64Encoded: false,
      requestContext: { requestId: ulid(), stage: '$default', http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
    } as unknown as ApiEvent;
    const result = await handler(event, { awsRequestId: ulid() } as Context);
    if (result.statusCode >= 300) throw new Error(`${method} ${path}: ${result.statusCode} ${result.body}`);
    return JSON.parse(result.body ?? '{}');
  };
  return {
    counts,
    call,
    reset: () => {
      for (const k of Object.keys(counts)) delete counts[k];
    },
  };
}

export type AgreementBench = {
  draftSave: { api: Stats; bare: Stats };
  registration: { api: Stats; bare: Stats };
  requestsPerDraftSave: Record<string, number>;
  requestsPerRegistration: Record<string, number>;
};

export async function agreementBench(stage: RunningStage, count: number): Promise<AgreementBench> {
  const deps = stage.deps;
  const today = new Date();
  const startDate = brusselsDate(new Date(today.getTime() + 14 * 86_400_000));
  const endYear = Number(startDate.slice(5, 7)) >= 9 ? Number(startDate.slice(0, 4)) + 1 : Number(startDate.slice(0, 4));
  const endDate = `${endYear}-06-30`;
  // A recognition with a mentor per two learners: VPDL allows two learners per mentor and sets no establishment maximum.
  const mentors = Array.from({ length: Math.ceil((count + 2) / 2) }, (_, i) => ({
    id: ulid(),
    name: `Mentor ${i}`,
    birthDate: '1980-01-01',
    active: true,
    withdrawn: false,
    trainingDeadline: null,
    trainingCompletedOn: null,
    trainingExempted: false,
  }));
  const workplace: Recognition = {
    id: recognitionId,
    applicationId: ulid(),
    enterpriseNumber: '0417.390.703',
    establishmentNumber: '2.123.456.791',
    programmeId: 'winkelbediende-duaal',
    partnershipId: 'vpdl',
    startDate: '2026-01-01',
    endDate: '2031-12-31',
    status: 'active',
    mentors,
    pendingMentors: [],
    placeAvailable: false,
    contactEmails: [],
    revocation: null,
    workplace: { name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg', sector: 'handel', programmeName: 'Winkelbediende duaal' },
    decidedBy: 'bench',
    decidedAt: new Date().toISOString(),
    version: 1,
  };
  await putRecognition(deps, workplace);
  const annexes = {
    schedule: await upload(stage, 'schedule'),
    trainingPlan: await upload(stage, 'trainingPlan'),
    learnerPremiumConsent: await upload(stage, 'learnerPremiumConsent'),
    signedAgreement: await upload(stage, 'signedAgreement'),
  };

  // Request counts, in process: one draft save and one registration (learner `count`, the last mentor).
  const counting = countingApi(stage);
  const counted = await counting.call('POST', '/v1/agreements', body(count, mentors.at(-1)!.id, startDate, endDate), undefined);
  const requestsPerDraftSave = { ...counting.counts };
  const withAnnexes = await counting.call('PUT', `/v1/agreements/${counted.id}/annexes`, annexes, counted.version);
  counting.reset();
  await counting.call('POST', `/v1/agreements/${withAnnexes.id}/register`, {}, withAnnexes.version);
  const requestsPerRegistration = { ...counting.counts };

  const saves: number[] = [];
  const drafts: { id: string; version: number }[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const created = await http(stage, 'POST', '/v1/agreements', body(i, mentors[Math.floor(i / 2)]!.id, startDate, endDate));
    saves.push(performance.now() - started);
    if (created.issues.some((issue: { severity: string }) => issue.severity === 'blocking'))
      throw new Error(`bench draft ${i} has problems: ${JSON.stringify(created.issues)}`);
    drafts.push({ id: created.id, version: created.version });
  }
  const bareSaves: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await bareDraftSave(deps, i);
    bareSaves.push(performance.now() - started);
  }
  for (const draft of drafts) draft.version = (await http(stage, 'PUT', `/v1/agreements/${draft.id}/annexes`, annexes, draft.version)).version;
  const registrations: number[] = [];
  for (const draft of drafts) {
    const started = performance.now();
    await http(stage, 'POST', `/v1/agreements/${draft.id}/register`, {}, draft.version);
    registrations.push(performance.now() - started);
  }
  const bareRegistrations: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await bareRegistration(deps, i);
    bareRegistrations.push(performance.now() - started);
  }
  return {
    draftSave: { api: stats(saves), bare: stats(bareSaves) },
    registration: { api: stats(registrations), bare: stats(bareRegistrations) },
    requestsPerDraftSave,
    requestsPerRegistration,
  };
}
