// From a change record to the partnership's task and its decision, against DynamoDB Local and fauxqs: the
// consumer is idempotent, retried after a failure, and sends poison to the dead-letter queue; a decision
// revokes (lock released, out of the search, outbox event) or keeps at the new address, once.
import { beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment, drainQueue } from '../../infra/local/testing/environment.ts';
import { recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { pollOnce, type SqsHandler } from '../../infra/local/queues.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { putChanges, sendChangeMessages, type KboChange } from '../../shared/data/kbo-changes.ts';
import * as keys from '../../shared/data/keys.ts';
import { getRecognition, recognitionItem, type Recognition } from '../../shared/data/recognitions.ts';
import { listOpenTasks } from '../../shared/data/tasks.ts';
import type { Address } from '../../shared/domain/kbo.ts';
import { changeId } from '../../shared/domain/kbo-changes.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import { Problem } from '../../shared/http/problem.ts';
import { createChangesConsumer } from './consumer.ts';
import * as handlers from './handlers.ts';
import { kboChangePage, kboChangeView } from './views.ts';

let env: TestEnvironment;
const horeca: ActingOrganisation = { type: 'partnership', id: 'horeca', key: 'partnership:horeca', roles: ['administrator'] };
const bouw: ActingOrganisation = { type: 'partnership', id: 'bouw', key: 'partnership:bouw', roles: ['administrator'] };
const principal: Principal = { userId: 'beheerder-horeca', name: 'Beheerder', email: undefined, organisations: [] };
const oldAddress: Address = {
  street: 'Kouter',
  houseNumber: '12',
  box: null,
  postcode: '9000',
  municipality: 'Gent',
  country: null,
  extraAddressInfo: null,
  struckOffOn: null,
};
const newAddress: Address = {
  street: 'Meir',
  houseNumber: '5',
  box: null,
  postcode: '2000',
  municipality: 'Antwerpen',
  country: null,
  extraAddressInfo: null,
  struckOffOn: null,
};

let n = 0;
async function recognition(establishmentNumber: string): Promise<Recognition> {
  n += 1;
  const r = recognitionFixture(n, {
    establishmentNumber,
    programmeId: 'kok-duaal',
    contactEmails: ['hr@peeters.test'],
    workplace: { name: 'Bakkerij Peeters', postcode: '9000', municipality: 'Gent', sector: 'horeca', programmeName: 'Kok' },
    decidedBy: 'x',
  });
  await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: recognitionItem(r) }));
  await env.deps.db.send(
    new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...keys.application.lock(establishmentNumber, r.programmeId), holder: r.id } }),
  );
  return r;
}

async function change(kind: KboChange['kind'], establishmentNumber: string, recognitions: Recognition[], extractNumber = 10): Promise<KboChange> {
  const c: KboChange = {
    id: changeId(extractNumber, { kind, entity: { kind: 'establishment', number: establishmentNumber } }, 'horeca'),
    kind,
    entity: { kind: 'establishment', number: establishmentNumber },
    enterpriseNumber: '0412.345.614',
    oldAddress,
    newAddress: kind === 'addressChanged' ? newAddress : null,
    oldName: 'Bakkerij Peeters',
    newName: kind === 'nameChanged' ? 'Brood & Co' : null,
    newEnterpriseNumber: null,
    lastJuridicalSituation: null,
    extractNumber,
    snapshotDate: '2026-06-14',
    fileName: 'KboOpenData_0010_2026_06_15_Update.zip',
    slice: 0,
    partnershipId: 'horeca',
    recognitions: recognitions.map((r) => ({ id: r.id, establishmentNumber: r.establishmentNumber, programmeId: r.programmeId })),
    status: 'open',
    decision: null,
    detectedAt: '2026-06-15T03:00:00.000Z',
    version: 1,
  };
  expect(await putChanges(env.deps, [c])).toBe(1);
  return c;
}

const queue = () => env.queues.find((q) => q.definition.id === 'kboChanges')!;
const openTasks = async () => (await listOpenTasks(env.deps, 'partnership:horeca', { limit: 100 })).items;

async function drainNotifications(): Promise<{ id: string; to: string[]; template: string; data: Record<string, unknown> }[]> {
  return drainQueue<{ id: string; to: string[]; template: string; data: Record<string, unknown> }>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
}

async function pollUntilEmpty(handler: SqsHandler) {
  while ((await pollOnce(env.deps.sqs, queue(), handler, { waitSeconds: 0, retryAfterSeconds: 0 })) > 0);
}

const problemOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Problem);
  return error as Problem;
};

beforeAll(async () => {
  env = await createTestEnvironment();
});

describe('the changes consumer', () => {
  it('opens one partnership task per change, however often the message comes', async () => {
    const c = await change('addressChanged', '2.123.456.791', [await recognition('2.123.456.791')]);
    await sendChangeMessages(env.deps, [c, c]);
    await sendChangeMessages(env.deps, [c]);
    await pollUntilEmpty(createChangesConsumer(env.deps));
    const tasks = (await openTasks()).filter((t) => t.subject.id === c.id);
    expect(tasks).toEqual([
      expect.objectContaining({
        id: `kbo-change:${c.id}`,
        type: 'processAddressChange',
        title: 'Adreswijziging vestiging verwerken',
        organisationKey: 'partnership:horeca',
        roles: ['consultant', 'administrator'],
        subject: { kind: 'kboChange', id: c.id, label: 'Adreswijziging vestiging 2.123.456.791' },
        dueDate: null,
        actions: ['decide:keep', 'decide:revoke'],
        link: `/v1/kbo-changes/${c.id}`,
        status: 'open',
      }),
    ]);
  });

  it('is retried after a failure and the task appears once', async () => {
    const c = await change('stopped', '2.300.000.157', [await recognition('2.300.000.157')]);
    await sendChangeMessages(env.deps, [c]);
    let failures = 0;
    const flaky: Dependencies = {
      ...env.deps,
      // The first write (the task and its counter, one transaction) fails once.
      db: {
        send: (command: unknown) =>
          (command instanceof PutCommand || command instanceof TransactWriteCommand) && failures++ === 0
            ? Promise.reject(new Error('DynamoDB unavailable'))
            : env.deps.db.send(command as never),
      } as unknown as Dependencies['db'],
    };
    const consumer = createChangesConsumer(flaky);
    expect(await pollOnce(env.deps.sqs, queue(), consumer, { waitSeconds: 0, retryAfterSeconds: 0 })).toBe(1);
    expect((await openTasks()).filter((t) => t.subject.id === c.id)).toEqual([]);
    await pollUntilEmpty(consumer);
    expect((await openTasks()).filter((t) => t.subject.id === c.id).map((t) => t.type)).toEqual(['processStop']);
  });

  it('moves a poison message to the dead-letter queue after the allowed receives', async () => {
    await env.deps.sqs.send(
      new SendMessageCommand({ QueueUrl: queue().url, MessageBody: '{"changeId":"K000001-0000000000-stopped-nope","partnershipId":"nope"}' }),
    );
    await env.deps.sqs.send(new SendMessageCommand({ QueueUrl: queue().url, MessageBody: 'not json' }));
    const consumer = createChangesConsumer(env.deps);
    for (let i = 0; i < queue().definition.maxReceiveCount + 2; i++) await pollOnce(env.deps.sqs, queue(), consumer, { waitSeconds: 0, retryAfterSeconds: 0 });
    const dead = await env.deps.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue().dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect((dead.Messages ?? []).map((m) => m.Body).sort()).toEqual(['not json', '{"changeId":"K000001-0000000000-stopped-nope","partnershipId":"nope"}']);
  });
});

describe('the partnership decides', () => {
  it('revokes: recognitions revoked and out of the search, locks released, outbox events, task closed, enterprise e-mailed; a retry answers the same', async () => {
    const r = await recognition('2.199.988.803');
    const c = await change('stopped', '2.199.988.803', [r], 11);
    await sendChangeMessages(env.deps, [c]);
    await pollUntilEmpty(createChangesConsumer(env.deps));
    await drainNotifications();

    const read = await handlers.read(c.id, horeca, env.deps);
    expect(read.body).toMatchObject({ status: 'open', allowedDecisions: ['revoke', 'keep'], description: 'Stopzetting vestiging 2.199.988.803' });
    // What the route documents is what it answers.
    expect(kboChangeView.parse(read.body)).toEqual(read.body);
    const decided = await handlers.decide(c.id, { decision: 'revoke', reasons: 'De vestiging is gestopt volgens KBO.' }, 1, principal, horeca, env.deps);
    expect(kboChangeView.parse(decided.body)).toEqual(decided.body);
    expect(decided).toMatchObject({
      status: 200,
      version: 2,
      body: { status: 'decided', decision: { decision: 'revoke', by: 'beheerder-horeca' }, allowedDecisions: [] },
    });

    const revoked = await getRecognition(env.deps, r.id);
    expect(revoked).toMatchObject({ status: 'revoked', placeAvailable: false, revocation: { sanctionId: null, changeId: c.id }, version: 2 });
    const stored = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.recognition.key(r.id) }));
    expect(stored.Item!.gsi2pk).toBeUndefined();
    expect(
      (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.application.lock('2.199.988.803', r.programmeId) }))).Item,
    ).toBeUndefined();
    const event = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.outbox.key(`${c.id}-${r.id.replace(/\//g, '-')}`) }));
    expect(event.Item).toMatchObject({
      dispatchedAt: expect.any(String),
      event: { type: 'recognition-revoked', cause: 'kboChange', sanctionId: null, changeId: c.id, recognitionId: r.id, partnershipId: 'horeca' },
    });
    // Dispatched to the domain-events queue right after the decision: out of the outbox index.
    expect(event.Item!.gsi1pk).toBeUndefined();
    // The decision itself, for the partnership's systems (the event feed): once per change, dispatched with the rest.
    const decidedEvent = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.outbox.key(`${c.id}-decided`) }));
    expect(decidedEvent.Item).toMatchObject({
      dispatchedAt: expect.any(String),
      event: { type: 'kbo-change-decided', changeId: c.id, partnershipId: 'horeca', kind: 'stopped', decision: 'revoke', recognitionIds: [r.id] },
    });
    expect(
      (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.feed.entry('partnership:horeca', 1) }))).Item?.event,
    ).toBeDefined();
    expect((await openTasks()).filter((t) => t.subject.id === c.id)).toEqual([]);
    const mails = await drainNotifications();
    expect(mails).toEqual([
      expect.objectContaining({
        id: `kbo-decision-${c.id}`,
        to: ['hr@peeters.test'],
        template: 'kbo-change-decided',
        data: expect.objectContaining({ decision: 'revoke', reasons: 'De vestiging is gestopt volgens KBO.', partnershipId: 'horeca' }),
      }),
    ]);

    // The same decision again, with the version read before it: same answer, nothing new; another decision: 409.
    expect(await handlers.decide(c.id, { decision: 'revoke', reasons: 'De vestiging is gestopt volgens KBO.' }, 1, principal, horeca, env.deps)).toMatchObject({
      status: 200,
      version: 2,
    });
    expect((await getRecognition(env.deps, r.id))!.version).toBe(2);
    expect(
      (await problemOf(handlers.decide(c.id, { decision: 'keep', reasons: 'Toch maar behouden na overleg.' }, 2, principal, horeca, env.deps))).status,
    ).toBe(409);
  });

  it('keeps at the new address: the workplace follows KBO and the agreements context gets an address-changed event', async () => {
    const r = await recognition('2.000.000.339');
    const c = await change('addressChanged', '2.000.000.339', [r], 12);
    expect(
      (await problemOf(handlers.decide(c.id, { decision: 'keep', reasons: 'Zelfde werkplek, ander adres.' }, 7, principal, horeca, env.deps))).status,
    ).toBe(412);
    await handlers.decide(c.id, { decision: 'keep', reasons: 'Zelfde werkplek, ander adres.' }, 1, principal, horeca, env.deps);
    expect(await getRecognition(env.deps, r.id)).toMatchObject({
      status: 'active',
      workplace: { postcode: '2000', municipality: 'Antwerpen', name: 'Bakkerij Peeters' },
      version: 2,
    });
    const event = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.outbox.key(`${c.id}-${r.id.replace(/\//g, '-')}`) }));
    expect(event.Item!.event).toMatchObject({
      type: 'establishment-address-changed',
      changeId: c.id,
      oldAddress: { postcode: '9000' },
      newAddress: { postcode: '2000', street: 'Meir' },
    });
    expect((await getRecognition(env.deps, r.id))!.status).toBe('active');
  });

  it('refuses what is not allowed: another partnership, a decision the change does not offer, a recognition changed meanwhile', async () => {
    const r = await recognition('2.000.000.438');
    const renamed = await change('nameChanged', '2.000.000.438', [r], 13);
    expect((await problemOf(handlers.read(renamed.id, bouw, env.deps))).status).toBe(404);
    expect(
      (await problemOf(handlers.decide(renamed.id, { decision: 'revoke', reasons: 'Nieuwe naam, geen erkenning.' }, 1, principal, horeca, env.deps))).status,
    ).toBe(422);
    const moved = await change('addressChanged', '2.000.000.438', [r], 14);
    // The recognition changes between the read and the transaction: the decision is refused, nothing half-done.
    const racing: Dependencies = {
      ...env.deps,
      db: {
        send: async (command: unknown) => {
          if ((command as { constructor: { name: string } }).constructor.name === 'TransactWriteCommand') {
            await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: recognitionItem({ ...r, placeAvailable: false, version: 2 }) }));
          }
          return env.deps.db.send(command as never);
        },
      } as unknown as Dependencies['db'],
    };
    expect(
      (await problemOf(handlers.decide(moved.id, { decision: 'keep', reasons: 'Zelfde werkplek, ander adres.' }, 1, principal, horeca, racing))).status,
    ).toBe(409);
    expect((await handlers.read(moved.id, horeca, env.deps)).body).toMatchObject({ status: 'open' });
    const listed = await handlers.list({ status: 'open' }, horeca, env.deps);
    expect(kboChangePage.parse(listed.body)).toEqual(listed.body);
    expect((listed.body as { items: { id: string }[] }).items.map((i) => i.id)).toContain(moved.id);
    expect((listed.body as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(`K000011-2199988803-stopped-horeca`);
  });
});
