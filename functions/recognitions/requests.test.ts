// The DynamoDB requests of a submission and a decision, counted by wrapping the API's `deps.db.send`: the
// reads a decision needs are batched where the access pattern allows it, and its result is one transaction.
// The review state machine's tasks use the environment's own client, so their reads are not counted here.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { allRoutes } from '../../infra/topology.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import { createTestApi } from '../../infra/local/testing/api.ts';
import { demo, given } from '../../infra/local/testing/given.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
const sent: string[] = [];
let g: ReturnType<typeof given>;

/** The commands sent while `action` runs, counted per command name. */
async function requestsOf(action: () => Promise<unknown>): Promise<Record<string, number>> {
  sent.length = 0;
  await action();
  const counts: Record<string, number> = {};
  for (const name of sent) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const writes = ['TransactWriteCommand', 'PutCommand', 'UpdateCommand', 'DeleteCommand'];
const reads = (counts: Record<string, number>) => total(counts) - writes.reduce((n, w) => n + (counts[w] ?? 0), 0);

beforeAll(async () => {
  const world = await createApiWorld(clock);
  const db = world.env.deps.db;
  const counted = {
    send: (command: { constructor: { name: string } }, ...rest: unknown[]) => {
      sent.push(command.constructor.name);
      return (db.send as (...a: unknown[]) => unknown).call(db, command, ...rest);
    },
  } as unknown as DynamoDBDocumentClient;
  const api = await createTestApi(
    allRoutes().map((r) => r.route),
    { ...world.env.deps, db: counted },
  );
  g = given(api);
});

describe('DynamoDB requests per operation', () => {
  it('submit and decide read in few requests and commit in one transaction', async () => {
    const input = { enterpriseNumber: '0417390703', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal', jointCommittee: '311' };
    // Three documents: the mentor's extract and two more attached to the file.
    const documents = [
      { kind: 'other', documentId: await g.verifiedDocument(demo.jan, 'other') },
      { kind: 'other', documentId: await g.verifiedDocument(demo.jan, 'other') },
    ];
    const filled = await g.filledApplication(demo.jan, { ...input, documents });
    const content = (await g.ok(200, demo.jan, 'GET', `/v1/applications/${filled.id}`)) as Record<string, any>;
    const body = { criteria: content.criteria, documents, bankAccount: null, mentors: [] as unknown[] };
    body.mentors = content.mentors.map((m: Record<string, unknown>) => ({ ...m, nationalNumber: '80.01.01-001.07', birthDate: undefined }));
    const save = await requestsOf(() => g.ok(200, demo.jan, 'PUT', `/v1/applications/${filled.id}`, body, filled.version));
    filled.version += 1;
    let submitted: { id: string; version: number } | undefined;
    const submit = await requestsOf(async () => {
      submitted = await g.ok(200, demo.jan, 'POST', `/v1/applications/${filled.id}/submit`, undefined, filled.version);
    });
    let version = submitted!.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await g.ok(200, demo.karim, 'POST', `/v1/applications/${filled.id}/${action}`, undefined, version)).version;
    version = (await g.ok(200, demo.karim, 'POST', `/v1/applications/${filled.id}/propose`, { decision: 'recognise', reasons: 'In orde' }, version)).version;
    const decide = await requestsOf(() =>
      g.ok(200, demo.els, 'POST', `/v1/applications/${filled.id}/decide`, { decision: 'recognised', reasons: 'In orde' }, version),
    );
    console.info('save', total(save), save);
    console.info('submit', total(submit), submit);
    console.info('decide', total(decide), decide);
    expect(submit.TransactWriteCommand).toBeGreaterThanOrEqual(1);
    expect(reads(submit)).toBeGreaterThan(0);
    expect(reads(decide)).toBeGreaterThan(0);
  });
});
