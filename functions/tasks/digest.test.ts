// The daily digest against the emulators: users recorded by GET /v1/me, opt-out, role scoping, new since the
// last digest and overdue, once per organisation per day.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { openTask } from '../../shared/data/tasks.ts';
import type { Task, TaskType } from '../../shared/domain/tasks.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createTestEnvironment, type TestEnvironment, drainQueue } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { openTaskOf } from '../../infra/local/testing/given.ts';
import { routes as organisationRoutes } from '../organisations/routes.ts';
import { routes } from './routes.ts';
import { createDigestJob } from './digest.ts';

const clock = fixedClock('2026-11-20T05:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;
const org = 'partnership:handel';

const task = (id: string, type: TaskType, roles: string[], dueDate: string | null): Task =>
  openTaskOf({ id, type, organisationKey: org, roles, dueDate, createdAt: clock.now().toISOString(), subject: { label: `Dossier ${id}` } });

type Mail = {
  id: string;
  to: string[];
  template: string;
  data: {
    newTasks: { label: string; daysRemaining: number | null }[];
    overdueTasks: { label: string }[];
    newCount: number;
    overdueCount: number;
    organisation: string;
  };
};
async function mails(): Promise<Mail[]> {
  return drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
}

const call = async (user: string, method: string, path: string, body?: unknown) =>
  api.call({ method, path, token: await api.tokenFor(user), ...(body !== undefined ? { body } : {}) });

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi([...routes, ...organisationRoutes], env.deps);
  await seedReferenceFiles(env.deps, referenceFiles());
});

describe('daily task digest', () => {
  it('mails each user who did not opt out the new and overdue tasks for their roles, once a day', async () => {
    for (const user of ['karim.consulent', 'els.stemgerechtigde', 'jan.mega']) expect((await call(user, 'GET', '/v1/me')).status).toBe(200);
    // Calling again changes nothing (the write is conditional on what the token says).
    expect((await call('karim.consulent', 'GET', '/v1/me')).status).toBe(200);
    const optOut = await call('els.stemgerechtigde', 'PUT', '/v1/me/preferences', { dailyDigest: false });
    expect(optOut.status, optOut.text).toBe(200);
    expect(optOut.body).toEqual({ dailyDigest: false });
    expect((await call('els.stemgerechtigde', 'PUT', '/v1/me/preferences', { dailyDigest: 'no' })).status).toBe(400);

    await openTask(env.deps, task('late', 'checkCompleteness', ['consultant'], '2026-11-18'));
    await openTask(env.deps, task('soon', 'handleApplication', ['consultant', 'votingMember'], '2026-11-25'));
    await openTask(env.deps, task('vote', 'renewRecognition', ['votingMember'], null));
    await mails();

    const job = createDigestJob(env.deps);
    expect(await job()).toEqual({ organisations: 1, mails: 1 });
    const [first, ...others] = await mails();
    expect(others).toEqual([]);
    expect(first).toMatchObject({
      to: ['karim@handel.werkplekduaal.test'],
      template: 'task-digest',
      id: expect.stringMatching(/^digest:partnership:handel:2026-11-20:[0-9a-f]{16}$/),
    });
    expect(first!.data).toMatchObject({ organisation: expect.stringContaining('Handel'), newCount: 2, overdueCount: 1 });
    expect(first!.data.newTasks.map((t) => [t.label, t.daysRemaining])).toEqual([
      ['Dossier late', -2],
      ['Dossier soon', 5],
    ]);
    expect(JSON.stringify(first)).not.toContain('Dossier vote');

    // The same day again: nothing.
    expect(await job()).toEqual({ organisations: 0, mails: 0 });
    expect(await mails()).toEqual([]);

    // The next day only what is new since, plus what is still overdue; els opts back in.
    clock.set('2026-11-21T05:00:00.000Z');
    await call('els.stemgerechtigde', 'PUT', '/v1/me/preferences', { dailyDigest: true });
    await openTask(env.deps, task('fresh', 'checkMentors', ['consultant', 'administrator'], null));
    expect(await job()).toEqual({ organisations: 1, mails: 2 });
    const next = await mails();
    const karim = next.find((m) => m.to[0] === 'karim@handel.werkplekduaal.test')!;
    expect(karim.data.newTasks.map((t) => t.label)).toEqual(['Dossier fresh']);
    expect(karim.data.overdueTasks.map((t) => t.label)).toEqual(['Dossier late']);
    const els = next.find((m) => m.to[0] === 'els@handel.werkplekduaal.test')!;
    expect(els.data.newTasks.map((t) => t.label)).toEqual(['Dossier fresh']);
    expect(els.data.overdueCount).toBe(0);
  });
});
