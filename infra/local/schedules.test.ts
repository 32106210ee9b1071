// Running the daily jobs as of a day (`npm run schedule -- <job> --on YYYY-MM-DD`): the day and the time of day
// the job's clock stands at, the CLI's arguments, and two jobs run through their Lambda entries against the
// emulators: the renewal task that appears 180 days before a recognition ends, and the digest of a day on which
// a task is overdue.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { recognitionEndsItem } from '../../shared/data/recognitions.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { listOpenTasks, openTask } from '../../shared/data/tasks.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { routes as organisationRoutes } from '../../functions/organisations/routes.ts';
import { schedules, type ScheduleDefinition } from '../topology.ts';
import { parseScheduleArgs } from './cli/schedule-args.ts';
import { dailyRunTime, parseDay, runInstant, runScheduleOn } from './schedules.ts';
import { createTestApi } from './testing/api.ts';
import { createTestEnvironment, drainQueue, type TestEnvironment } from './testing/environment.ts';
import { openTaskOf } from './testing/given.ts';
import { putRecognitions, recognitionFixture } from './testing/kbo-fixtures.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';

const schedule = (name: string): ScheduleDefinition => schedules.find((s) => s.name === name)!;

describe('the day a job runs as of', () => {
  it('takes a calendar date as YYYY-MM-DD and refuses anything else, saying how to write it', () => {
    expect(parseDay('2031-06-01')).toBe('2031-06-01');
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
    for (const bad of ['2031-6-1', '01-06-2031', '2031-02-30', '2031-13-01', '2031-06-01T06:00', 'morgen', ''])
      expect(() => parseDay(bad), bad).toThrow(`"${bad}" is not a calendar date: give the day as YYYY-MM-DD`);
  });

  it("stands the clock at the deployed schedule's time on that day in Brussels, summer and winter time", () => {
    expect(dailyRunTime(schedule('recognitions-daily'))).toEqual({ hour: 2, minute: 30 });
    expect(runInstant(schedule('recognitions-daily'), '2031-06-01').toISOString()).toBe('2031-06-01T00:30:00.000Z');
    expect(runInstant(schedule('tasks-digest'), '2031-12-01').toISOString()).toBe('2031-12-01T05:00:00.000Z');
    expect(runInstant(schedule('agreements-daily'), '2031-03-31').toISOString()).toBe('2031-03-31T00:45:00.000Z');
  });

  it('runs every daily job as of a day, and refuses the weekly and minutely ones', () => {
    const daily = schedules.filter((s) => dailyRunTime(s)).map((s) => s.name);
    expect(daily.sort()).toEqual(['agreements-daily', 'recognitions-daily', 'tasks-digest']);
    expect(() => runInstant(schedule('kbo-sync'), '2031-06-01')).toThrow(/kbo-sync does not run daily/);
    expect(() => runInstant(schedule('outbox-dispatch'), '2031-06-01')).toThrow(/outbox-dispatch does not run daily/);
  });
});

describe('npm run schedule -- <name> [--on YYYY-MM-DD]', () => {
  it('reads the name and the day; without --on the job runs now', () => {
    expect(parseScheduleArgs(['recognitions-daily', '--on', '2031-06-01'])).toEqual({ name: 'recognitions-daily', on: '2031-06-01' });
    expect(parseScheduleArgs(['tasks-digest', '--on=2031-06-01'])).toEqual({ name: 'tasks-digest', on: '2031-06-01' });
    expect(parseScheduleArgs(['tasks-digest'])).toEqual({ name: 'tasks-digest', on: undefined });
  });

  it('refuses a malformed day, a missing one, unknown arguments and a missing name, with the usage', () => {
    expect(() => parseScheduleArgs(['recognitions-daily', '--on', '1/6/2031'])).toThrow('"1/6/2031" is not a calendar date');
    expect(() => parseScheduleArgs(['recognitions-daily', '--on'])).toThrow(/--on needs a day/);
    expect(() => parseScheduleArgs(['recognitions-daily', '--day', '2031-06-01'])).toThrow(/unknown argument "--day"/);
    expect(() => parseScheduleArgs(['recognitions-daily', '--on', '2031-06-01', '--on', '2031-06-02'])).toThrow(/twice/);
    expect(() => parseScheduleArgs([])).toThrow(/Usage: npm run schedule -- <name> \[--on YYYY-MM-DD\]/);
  });
});

describe('daily jobs as of a day, through their Lambda entries', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment();
    await seedReferenceFiles(env.deps, referenceFiles());
  });

  it('recognitions-daily on the day 180 days before a recognition ends opens its renewal task, not a day earlier', async () => {
    const recognition = recognitionFixture(1, { enterpriseNumber: '0417.390.703', endDate: '2031-11-28' });
    await putRecognitions(env.deps, [recognition]);
    await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: recognitionEndsItem(recognition) }));
    const renewalTasks = async () => (await listOpenTasks(env.deps, 'enterprise:0417390703', { limit: 50 })).items.filter((t) => t.type === 'renewRecognition');

    const dayBefore = await runScheduleOn(schedule('recognitions-daily'), '2031-05-31', env.config);
    expect(dayBefore).toEqual({ at: '2031-05-31T00:30:00.000Z', result: expect.objectContaining({ today: '2031-05-31', renewalTasks: 0 }) });
    expect(await renewalTasks()).toEqual([]);

    const run = await runScheduleOn(schedule('recognitions-daily'), '2031-06-01', env.config);
    expect(run).toEqual({ at: '2031-06-01T00:30:00.000Z', result: expect.objectContaining({ today: '2031-06-01', renewalTasks: 1, expired: 0 }) });
    expect(await renewalTasks()).toEqual([
      expect.objectContaining({
        subject: expect.objectContaining({ id: recognitionPathId(recognition.id) }),
        dueDate: '2031-11-28',
        createdAt: '2031-06-01T00:30:00.000Z',
      }),
    ]);

    // The day after it ends, the same job lets it expire.
    const after = await runScheduleOn(schedule('recognitions-daily'), '2031-11-29', env.config);
    expect(after.result).toEqual(expect.objectContaining({ expired: 1 }));
  });

  it('tasks-digest on a day after a due date mails the task as overdue, dated that day', async () => {
    const clock = fixedClock('2026-11-20T05:00:00.000Z');
    const api = await createTestApi(organisationRoutes, { ...env.deps, clock });
    expect((await api.call({ method: 'GET', path: '/v1/me', token: await api.tokenFor('karim.consulent') })).status).toBe(200);
    await openTask(
      { ...env.deps, clock },
      openTaskOf({
        id: 'check-1',
        type: 'checkCompleteness',
        organisationKey: 'partnership:handel',
        roles: ['consultant'],
        dueDate: '2026-12-04',
        createdAt: clock.now().toISOString(),
        subject: { label: 'Verkoper duaal, vestiging 2.123.456.791' },
      }),
    );
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);

    const run = await runScheduleOn(schedule('tasks-digest'), '2026-12-07', env.config);
    // One mail: to the consultant who signed in (an organisation with tasks but no users is digested without one).
    expect(run).toEqual({ at: '2026-12-07T05:00:00.000Z', result: expect.objectContaining({ mails: 1 }) });
    const [digest, ...others] = await drainQueue<{ template: string; to: string[]; data: { date: string; overdueCount: number } }>(
      env.deps,
      env.config.NOTIFICATIONS_QUEUE_URL,
    );
    expect(others).toEqual([]);
    expect(digest).toMatchObject({ template: 'task-digest', to: ['karim@handel.werkplekduaal.test'], data: { date: '2026-12-07', overdueCount: 1 } });
  });
});
