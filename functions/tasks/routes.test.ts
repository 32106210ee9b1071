// The dashboard against DynamoDB Local: role scoping, filters, counts kept by the open/close transactions,
// idempotent and concurrent open/close, pagination.
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { task as taskKeys } from '../../shared/data/keys.ts';
import { closeTask, countOpenTasks, countsItem, listOpenTasks, listTaskOrganisations, openTask, reopenTask } from '../../shared/data/tasks.ts';
import type { Task, TaskType } from '../../shared/domain/tasks.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { openTaskOf } from '../../infra/local/testing/given.ts';
import { routes } from './routes.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
const org = 'partnership:handel';
let env: TestEnvironment;
let api: TestApi;

const task = (id: string, type: TaskType, roles: string[], dueDate: string | null, kind: Task['subject']['kind'] = 'application'): Task =>
  openTaskOf({ id, type, organisationKey: org, roles, dueDate, createdAt: clock.now().toISOString(), subject: { kind } });

async function get(user: string, query = '') {
  return api.call({ method: 'GET', path: `/v1/tasks${query}`, token: await api.tokenFor(user), organisation: org });
}

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi(routes, env.deps);
  await openTask(env.deps, task('a1', 'checkCompleteness', ['consultant'], '2026-11-10'));
  await openTask(env.deps, task('a2', 'handleApplication', ['votingMember'], '2026-11-01'));
  await openTask(env.deps, task('a3', 'checkCompleteness', ['consultant'], '2026-10-30'));
  await openTask(env.deps, task('r1', 'renewRecognition', ['consultant', 'votingMember'], null, 'recognition'));
});

describe('GET /v1/tasks', () => {
  it('shows only the tasks for a role the caller holds, soonest due first, with days remaining and counts', async () => {
    const karim = await get('karim.consulent');
    expect(karim.status).toBe(200);
    expect(karim.body.items.map((t: Task) => t.id)).toEqual(['a3', 'a1', 'r1']);
    expect(karim.body.items.map((t: { daysRemaining: number | null }) => t.daysRemaining)).toEqual([-3, 8, null]);
    expect(karim.body.counts).toEqual({ checkCompleteness: 2, renewRecognition: 1 });
    const els = await get('els.stemgerechtigde');
    expect(els.body.items.map((t: Task) => t.id)).toEqual(['a2', 'r1']);
    expect(els.body.counts).toEqual({ handleApplication: 1, renewRecognition: 1 });
  });

  it('filters by type, overdue and subject kind', async () => {
    expect((await get('karim.consulent', '?type=checkCompleteness')).body.items.map((t: Task) => t.id)).toEqual(['a3', 'a1']);
    expect((await get('karim.consulent', '?overdue=true')).body.items.map((t: Task) => t.id)).toEqual(['a3']);
    expect((await get('karim.consulent', '?subject=recognition')).body.items.map((t: Task) => t.id)).toEqual(['r1']);
    expect((await get('karim.consulent', '?type=nope')).status).toBe(400);
  });

  it('pages with a cursor; a page read by one Query may be short when the filter drops items, never lose one', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await get('karim.consulent', `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((t: Task) => t.id));
      cursor = page.body.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['a3', 'a1', 'r1']);
    expect((await get('karim.consulent', '?cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('counts follow opening and closing exactly once', () => {
  it('opening an existing task or closing a closed one changes nothing, also when concurrent', async () => {
    const before = await countOpenTasks(env.deps, org);
    const opened = await Promise.all(Array.from({ length: 5 }, () => openTask(env.deps, task('c1', 'checkMentors', ['consultant'], null, 'recognition'))));
    expect(opened.filter(Boolean)).toHaveLength(1);
    expect(await openTask(env.deps, task('a1', 'checkCompleteness', ['consultant'], '2026-11-10'))).toBe(false);
    expect(await countOpenTasks(env.deps, org)).toEqual({ ...before, checkMentors: 1 });
    await Promise.all(Array.from({ length: 5 }, () => closeTask(env.deps, org, 'c1')));
    await closeTask(env.deps, org, 'c1');
    await closeTask(env.deps, org, 'absent');
    expect(await countOpenTasks(env.deps, org)).toEqual(before);
    // A closed task stays closed: opening it again under the same id does not bring it back.
    expect(await openTask(env.deps, task('c1', 'checkMentors', ['consultant'], null, 'recognition'))).toBe(false);
    expect(await countOpenTasks(env.deps, org)).toEqual(before);
    expect((await get('karim.consulent')).body.items.map((t: Task) => t.id)).not.toContain('c1');
    // Its label may name a person: the closed task goes a year after it was closed (DynamoDB TTL).
    const stored = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: taskKeys.key(org, 'c1') }));
    expect(stored.Item!.ttl).toBe(Math.floor(clock.now().getTime() / 1000) + 365 * 86_400);
  });

  it('reopens a closed task once, also when concurrent, and leaves an open one as it is', async () => {
    const before = await countOpenTasks(env.deps, org);
    const again = () => reopenTask(env.deps, task('c1', 'checkMentors', ['consultant'], '2026-11-20', 'recognition'));
    expect((await Promise.all(Array.from({ length: 5 }, again))).filter(Boolean)).toHaveLength(1);
    expect(await again()).toBe(false);
    expect(await countOpenTasks(env.deps, org)).toEqual({ ...before, checkMentors: 1 });
    expect((await get('karim.consulent')).body.items.find((t: Task) => t.id === 'c1')).toMatchObject({ status: 'open', dueDate: '2026-11-20' });
    // Open again, it is no longer due to be deleted.
    const stored = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: taskKeys.key(org, 'c1') }));
    expect(stored.Item!.ttl).toBeUndefined();
    await closeTask(env.deps, org, 'c1');
    expect(await countOpenTasks(env.deps, org)).toEqual(before);
  });

  it('keeps the counter item as countsItem builds it for a batch of tasks (the bench seeds with it)', async () => {
    const open = (await listOpenTasks(env.deps, org, { limit: 100 })).items;
    const stored = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: taskKeys.counts(org) }));
    const counters = Object.fromEntries(Object.entries(stored.Item!).filter(([name, value]) => !name.startsWith('n#') || value !== 0));
    expect(counters).toEqual(countsItem(org, open));
  });

  it('lists the organisations with tasks without a Scan', async () => {
    expect((await listTaskOrganisations(env.deps)).items.map((o) => o.organisationKey)).toEqual([org]);
  });
});

describe('a counter written before it was in the open-task index', () => {
  it('still gives the counts, and the first page still holds at most limit tasks and loses none', async () => {
    const expected = (await get('karim.consulent')).body;
    await env.deps.db.send(new UpdateCommand({ TableName: env.config.TABLE_NAME, Key: taskKeys.counts(org), UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }));
    const whole = await get('karim.consulent');
    expect(whole.body).toEqual(expected);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages === 0 || (cursor && pages < 10); pages++) {
      const page = await get('karim.consulent', `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      expect(page.body.counts).toEqual(expected.counts);
      seen.push(...page.body.items.map((t: Task) => t.id));
      cursor = page.body.cursor;
    }
    expect(seen).toEqual(expected.items.map((t: Task) => t.id));
  });
});
