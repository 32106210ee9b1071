// Running the daily jobs as of a day (`npm run schedule -- <job> --on YYYY-MM-DD`): the day and the time of day
// the job's clock stands at, the CLI's arguments, and three jobs run through their Lambda entries against the
// emulators: the renewal task that appears 180 days before a recognition ends, the digest of a day on which
// a task is overdue, and the early end recorded for a later day that the agreements job carries out on that day.
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
import { ulid } from 'ulid';
import { getAgreement, mentorSlotsKey, runningAgreementsOn, slotsUsed } from '../../shared/data/agreements.ts';
import { routes as agreementRoutes } from '../../functions/agreements/routes.ts';
import { routes as documentRoutes } from '../../functions/documents/routes.ts';
import { routes as taskRoutes } from '../../functions/tasks/routes.ts';
import { draftBody, mentorFixture, putRecognition, recognitionFixture as workplaceRecognition, registeredAgreement } from './testing/agreement-fixtures.ts';
import { demo, given } from './testing/given.ts';
import { putEnterprise } from './testing/kbo-fixtures.ts';
import { nationalNumberFor } from './testing/national-numbers.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';

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

  it('agreements-daily on the day of a recorded early end ends the ending agreement: slots freed, follow-up closed, the parties mailed', async () => {
    // After the real date: DynamoDB Local removes a draft whose TTL has passed in real time.
    const clock = fixedClock('2027-08-20T08:00:00.000Z');
    const deps = { ...env.deps, clock };
    const api = await createTestApi([...agreementRoutes, ...documentRoutes, ...taskRoutes], deps);
    const g = given(api);
    const { sofie, jan } = demo;
    await putEnterprise(deps, {
      number: '0417.390.703',
      name: 'Mega World',
      establishments: [{ number: '2.200.000.184', name: 'Mega World Gent', postcode: '9000', municipality: 'Gent' }],
    });
    const mentorId = ulid();
    await putRecognition(
      deps,
      workplaceRecognition({ id: 'E/20260101/000021', establishmentNumber: '2.200.000.184', mentors: [mentorFixture(mentorId, 'Anna Verkoop')] }),
    );
    const body = draftBody(mentorId, { establishmentNumber: '2.200.000.184' }, { nationalNumber: nationalNumberFor('2009-05-01', 91) });
    const registered = await registeredAgreement(g, sofie, body);
    // The enterprise reports an illness: the counsellor's follow-up task, still open when the agreement ends.
    const suspended = await g.ok(
      201,
      jan,
      'POST',
      `/v1/agreements/${registered.id}/suspensions`,
      { ground: 'illness', from: '2027-10-04', to: '2027-10-06' },
      registered.version,
    );
    const ending = await g.ok(
      200,
      sofie,
      'POST',
      `/v1/agreements/${registered.id}/end`,
      { kind: 'early', date: '2027-10-29', reason: 'Opzegging door de leerling.', by: 'learner' },
      suspended.version,
    );
    expect(ending).toMatchObject({ status: 'ending', statusLabel: 'Wordt beëindigd', endDate: '2027-10-29' });
    expect(await slotsUsed(deps, mentorSlotsKey(mentorId))).toBe(1);
    const followUps = async () =>
      (await listOpenTasks(deps, 'provider:campus-brugge', { limit: 100 })).items.filter(
        (t) => t.type === 'followUpSuspension' && t.subject.id === registered.id,
      );
    expect(await followUps()).toHaveLength(1);
    const recorded = await drainQueue<NotificationRequest>(deps, env.config.NOTIFICATIONS_QUEUE_URL);
    expect(recorded.filter((m) => m.template === 'agreement-ended-early')).toEqual([
      expect.objectContaining({
        to: ['sofie.claes@campus-brugge.werkplekduaal.test', 'hr@megaworld.test'],
        data: expect.objectContaining({ scheduled: true }),
      }),
    ]);

    const dayBefore = await runScheduleOn(schedule('agreements-daily'), '2027-10-28', env.config);
    expect(dayBefore.result).toEqual(expect.objectContaining({ ended: 0 }));
    expect((await getAgreement(deps, registered.id, '2027-10-28'))?.status).toBe('ending');

    const onTheDay = await runScheduleOn(schedule('agreements-daily'), '2027-10-29', env.config);
    expect(onTheDay).toEqual({ at: '2027-10-29T00:45:00.000Z', result: expect.objectContaining({ ended: 1 }) });
    const ended = await getAgreement(deps, registered.id, '2027-10-29');
    expect(ended).toMatchObject({ status: 'ended', slots: null, endDate: '2027-10-29' });
    expect(await slotsUsed(deps, mentorSlotsKey(mentorId))).toBe(0);
    expect(await runningAgreementsOn(deps, 'E/20260101/000021')).toEqual([]);
    expect(await followUps()).toEqual([]);
    const mails = await drainQueue<NotificationRequest>(deps, env.config.NOTIFICATIONS_QUEUE_URL);
    expect(mails).toEqual([
      expect.objectContaining({
        template: 'agreement-ended',
        to: ['sofie.claes@campus-brugge.werkplekduaal.test', 'hr@megaworld.test'],
        data: expect.objectContaining({ agreementId: registered.id, endedOn: '2027-10-29', early: true }),
      }),
    ]);
    const history = (await g.ok(200, jan, 'GET', `/v1/agreements/${registered.id}`)).history;
    expect(history.at(-1)).toMatchObject({
      action: 'ended-early',
      by: 'system:agreements-daily',
      actor: { userId: 'system:agreements-daily', organisationKey: null },
      before: { status: 'ending' },
      after: { status: 'ended' },
    });
    // Run again the next day: nothing twice.
    expect((await runScheduleOn(schedule('agreements-daily'), '2027-10-30', env.config)).result).toEqual(expect.objectContaining({ ended: 0 }));
    expect(await drainQueue(deps, env.config.NOTIFICATIONS_QUEUE_URL)).toEqual([]);
  });
});
