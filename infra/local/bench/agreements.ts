// Agreements benchmarks: the pre-flight check (saving a work version) and registration through the local
// stage, each against the bare DynamoDB requests it makes, and the number of DynamoDB requests per
// registration, counted on an in-process handler whose client records every command.
import { createLocalJWKSet } from 'jose';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { RunningStage } from '../stage.ts';
import { demoUsers } from '../seed/users.ts';
import { nationalNumberFor } from '../testing/national-numbers.ts';
import { createDependencies, type Dependencies } from '../../../shared/adapters/dependencies.ts';
import { recognitionItem, type Recognition } from '../../../shared/data/recognitions.ts';
import { createApiHandler, type ApiEvent } from '../../../shared/http/api.ts';
import { createTokenVerifier } from '../../../shared/http/auth.ts';
import { routes as agreementRoutes } from '../../../functions/agreements/routes.ts';
import { stats, type Stats } from './measure.ts';

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

/** The requests a draft save makes, issued directly: the reference and KBO reads, the check's reads, the write. */
async function bareDraftSave(deps: Dependencies, i: number) {
  const table = deps.config.TABLE_NAME;
  const get = (pk: string, sk: string) => deps.db.send(new GetCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }));
  const query = (pk: string, prefix?: string, index?: string) =>
    deps.db.send(
      new QueryCommand({
        TableName: table,
        ...(index ? { IndexName: index } : {}),
        KeyConditionExpression: prefix
          ? `${index ? 'gsi1pk' : 'pk'} = :pk AND begins_with(${index ? 'gsi1sk' : 'sk'}, :p)`
          : `${index ? 'gsi1pk' : 'pk'} = :pk`,
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':p': prefix } : {}) },
      }),
    );
  await Promise.all([get('REF#programmes', 'winkelbediende-duaal'), get('REF#providers', 'campus-brugge'), query('ENT#0417390703', 'EST#2123456791')]);
  await query('REF#allowances');
  await query('EST#2123456791', 'REC#winkelbediende-duaal#', 'gsi1');
  await get('REF#partnerships', 'vpdl');
  await Promise.all([get('SLOTS#MENTOR#bare', 'SLOTS'), get('SLOTS#EST#2123456791', 'SLOTS'), query(`LEARNER#bare-${i}`)]);
  const id = ulid();
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { pk: `BARE#${id}`, sk: 'AGR', n: i }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: table, Item: { pk: `BARE#${id}`, sk: 'HIST', n: i } } },
        { Put: { TableName: table, Item: { pk: `BAREMARK#${id}`, sk: 'AGR', n: i } } },
      ],
    }),
  );
}

/** The requests a registration makes, issued directly, with a transaction of the same size on fresh keys. */
async function bareRegistration(deps: Dependencies, i: number) {
  const table = deps.config.TABLE_NAME;
  const id = ulid();
  await deps.db.send(new GetCommand({ TableName: table, Key: { pk: `BARE#${id}`, sk: 'AGR' }, ConsistentRead: true }));
  await deps.db.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
      ExpressionAttributeValues: { ':pk': 'EST#2123456791', ':p': 'REC#winkelbediende-duaal#' },
    }),
  );
  await deps.db.send(new GetCommand({ TableName: table, Key: { pk: 'REF#partnerships', sk: 'vpdl' } }));
  await Promise.all([
    deps.db.send(new GetCommand({ TableName: table, Key: { pk: 'SLOTS#MENTOR#bare', sk: 'SLOTS' }, ConsistentRead: true })),
    deps.db.send(new GetCommand({ TableName: table, Key: { pk: 'SLOTS#EST#bare', sk: 'SLOTS' }, ConsistentRead: true })),
    deps.db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `LEARNER#bare-${i}` } })),
  ]);
  await deps.db.send(new GetCommand({ TableName: table, Key: { pk: 'REF#programmes', sk: 'winkelbediende-duaal' } }));
  await deps.db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': 'ENT#0417390703', ':p': 'EST#2123456791' },
    }),
  );
  const put = (pk: string, sk: string) => ({ Put: { TableName: table, Item: { pk, sk, n: i } } });
  await deps.db.send(
    new TransactWriteCommand({
      ClientRequestToken: ulid(),
      TransactItems: [
        { Put: { TableName: table, Item: { pk: `BARE#${id}`, sk: 'AGR', n: i } } },
        {
          Update: {
            TableName: table,
            Key: { pk: `BARESLOT#M#${i % 50}`, sk: 'SLOTS' },
            UpdateExpression: 'SET used = if_not_exists(used, :z) + :o',
            ExpressionAttributeValues: { ':z': 0, ':o': 1 },
          },
        },
        {
          Update: {
            TableName: table,
            Key: { pk: `BARESLOT#E#${i % 50}`, sk: 'SLOTS' },
            UpdateExpression: 'SET used = if_not_exists(used, :z) + :o',
            ExpressionAttributeValues: { ':z': 0, ':o': 1 },
          },
        },
        put(`BARE#${id}`, 'LINK'),
        put(`BARE#${id}`, 'LEARNER'),
        put(`BARE#${id}`, 'P1'),
        put(`BARE#${id}`, 'P2'),
        put(`BARE#${id}`, 'HIST'),
        put(`BARE#${id}`, 'MARK'),
      ],
    }),
  );
  await deps.db.send(new GetCommand({ TableName: table, Key: { pk: `BARE#${id}`, sk: 'AGR' } }));
  // The outbox dispatch right after the transaction: the premium-requested events to the domain-events queue.
  await deps.db.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'BAREOUTBOX' },
      Limit: 100,
    }),
  );
  await deps.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: deps.config.DOMAIN_EVENTS_QUEUE_URL,
      Entries: ['enterprise', 'learner'].map((kind, n) => ({
        Id: String(n),
        MessageBody: JSON.stringify({
          type: 'premium-requested',
          eventId: `bench-${id}-${kind}`,
          agreementId: id,
          kind,
          amountCents: 50_000,
          schoolYear: '2026-2027',
          enterpriseNumber: '0417.390.703',
          requestedAt: new Date().toISOString(),
        }),
      })),
    }),
  );
  for (const kind of ['P1', 'P2'])
    await deps.db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `BARE#${id}`, sk: kind },
        UpdateExpression: 'SET dispatchedAt = :now',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
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
  const startDate = new Date(today.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
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
  const recognition: Recognition = {
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
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: recognitionItem(recognition) }));
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
