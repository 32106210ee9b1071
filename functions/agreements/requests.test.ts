// DynamoDB requests per operation, counted on the client the handlers use (deps.db.send wrapped): what a draft
// save and a registration cost does not depend on timing, so it is asserted here and reported by the bench. And
// every answer is exactly the documented view of its reader (the routes' response schemas are strict).
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { referenceFiles } from '../../reference-data/index.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { allAnnexes, draftBody, mentorFixture, putRecognition, recognitionFixture } from '../../infra/local/testing/agreement-fixtures.ts';
import { createTestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, given } from '../../infra/local/testing/given.ts';
import { megaWorld, putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import { nationalNumberFor } from '../../infra/local/testing/national-numbers.ts';
import { routes as documentRoutes } from '../documents/routes.ts';
import { routes } from './routes.ts';
import { counsellorAgreementView, enterpriseAgreementView } from './views.ts';

const clock = fixedClock('2027-08-20T08:00:00.000Z');
const reads = ['GetCommand', 'QueryCommand', 'BatchGetCommand'];
const mentorId = ulid();
let env: TestEnvironment;
let g: ReturnType<typeof given>;
let sent: string[] = [];

/** The DynamoDB commands `operation` sends, by name, in the order sent. */
async function requestsOf<T>(operation: () => Promise<T>): Promise<{ result: T; commands: string[]; reads: number; writes: number }> {
  sent = [];
  const result = await operation();
  const commands = [...sent];
  const readCount = commands.filter((c) => reads.includes(c)).length;
  return { result, commands, reads: readCount, writes: commands.length - readCount };
}

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  const api = await createTestApi([...routes, ...documentRoutes], env.deps);
  g = given(api);
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, megaWorld);
  await putRecognition(env.deps, recognitionFixture({ mentors: [mentorFixture(mentorId, 'Anna Verkoop')] }));
  const send = env.deps.db.send.bind(env.deps.db);
  env.deps.db.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    sent.push(command.constructor.name);
    return (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as typeof env.deps.db.send;
});

const responseSchema = (operationId: string, status: number) => routes.find((r) => r.operationId === operationId)!.responses[status]!.schema!;
let registeredId: string;

describe('DynamoDB requests per operation', () => {
  it('a draft save reads at most 5 times and writes once; a registration is one transaction after at most 4 reads (one of them: the name of the organisation the history names)', async () => {
    const body = draftBody(mentorId, {}, { nationalNumber: nationalNumberFor('2010-03-15', 7) });
    const created = await requestsOf(() => g.ok(201, demo.sofie, 'POST', '/v1/agreements', body));
    expect(created.result.issues).toEqual([]);
    const updated = await requestsOf(() => g.ok(200, demo.sofie, 'PUT', `/v1/agreements/${created.result.id}`, body, created.result.version));
    const annexes = await allAnnexes((kind) => g.verifiedDocument(demo.sofie, kind));
    const attached = await g.ok(200, demo.sofie, 'PUT', `/v1/agreements/${created.result.id}/annexes`, annexes, updated.result.version);
    const registered = await requestsOf(() => g.ok(200, demo.sofie, 'POST', `/v1/agreements/${created.result.id}/register`, {}, attached.version));
    expect(registered.result.status).toBe('registered');
    registeredId = created.result.id;
    for (const [operationId, status, answer] of [
      ['create-agreement', 201, created.result],
      ['update-agreement', 200, updated.result],
      ['attach-agreement-annexes', 200, attached],
      ['register-agreement', 200, registered.result],
    ] as const)
      expect(responseSchema(operationId, status).safeParse(answer).error, operationId).toBeUndefined();
    console.log(
      JSON.stringify({ draftCreate: created.commands, draftUpdate: updated.commands, registration: registered.commands }, null, 1).replace(/\n\s*/g, ' '),
    );

    // The fifth read is the acting organisation's name for the history's actor (shared/data/users.ts readActor).
    // This work version is ready for signatures when created, so after its transaction the enterprise's signing
    // task opens (shared/domain/agreement-tasks.ts readyForSignatures): the names of its label, the task's writes.
    const draftCommands = created.commands.slice(0, created.commands.indexOf('TransactWriteCommand') + 1);
    const signingTask = created.commands.slice(draftCommands.length);
    expect(draftCommands.filter((c) => reads.includes(c)).length).toBeLessThanOrEqual(5);
    expect(draftCommands.filter((c) => !reads.includes(c))).toEqual(['TransactWriteCommand']);
    expect(signingTask.filter((c) => reads.includes(c)).length).toBeLessThanOrEqual(2);
    expect(signingTask.filter((c) => !reads.includes(c)).length).toBeLessThanOrEqual(2);
    expect(updated.reads).toBeLessThanOrEqual(5);
    expect(updated.commands.filter((c) => !reads.includes(c))).toEqual(['TransactWriteCommand']);
    // Before its transaction; after it, one Query finds the enterprise's signing task of this work version to close.
    const beforeRegistration = registered.commands.slice(0, registered.commands.indexOf('TransactWriteCommand'));
    expect(beforeRegistration.length).toBeLessThanOrEqual(4);
    const registration = registered.commands.slice(0, beforeRegistration.length + 2);
    expect(registration.filter((c) => !reads.includes(c))).toEqual(['TransactWriteCommand']);
    expect(registration.at(-1)).toBe('QueryCommand');
    // Then the registration's events leave the outbox at once (shared/data/outbox.ts dispatchSoon): a Query of the
    // waiting events first, and only feed entries and marks are written.
    const dispatch = registered.commands.slice(registration.length);
    expect(dispatch[0]).toBe('QueryCommand');
    expect(dispatch.filter((c) => !reads.includes(c)).every((c) => c === 'TransactWriteCommand' || c === 'UpdateCommand')).toBe(true);
  });
});

describe('what each reader gets', () => {
  it('is exactly the view of its audience, as each route documents it', async () => {
    const forCounsellor = await g.ok(200, demo.sofie, 'GET', `/v1/agreements/${registeredId}`);
    const forEnterprise = await g.ok(200, demo.jan, 'GET', `/v1/agreements/${registeredId}`);
    expect(responseSchema('get-agreement', 200).safeParse(forCounsellor).error).toBeUndefined();
    expect(counsellorAgreementView.extend({ history: z.array(z.unknown()), suspendedNow: z.boolean() }).safeParse(forCounsellor).error).toBeUndefined();
    expect(enterpriseAgreementView.extend({ history: z.array(z.unknown()), suspendedNow: z.boolean() }).safeParse(forEnterprise).error).toBeUndefined();
    // The counsellor's answer holds what the enterprise may not see.
    expect(enterpriseAgreementView.extend({ history: z.array(z.unknown()), suspendedNow: z.boolean() }).safeParse(forCounsellor).success).toBe(false);
    for (const actor of [demo.sofie, demo.jan])
      expect(responseSchema('list-agreements', 200).safeParse(await g.ok(200, actor, 'GET', '/v1/agreements')).error).toBeUndefined();
    const suspended = await g.ok(
      201,
      demo.sofie,
      'POST',
      `/v1/agreements/${registeredId}/suspensions`,
      { ground: 'illness', from: '2027-10-05', to: '2027-10-08' },
      forCounsellor.version,
    );
    expect(responseSchema('suspend-agreement', 201).safeParse(suspended).error).toBeUndefined();
  });
});
