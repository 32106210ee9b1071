// The loops of a work version on the enterprise's side and at its end, in-process against the emulators
// (createTestApi; the HTTP scenario of the same loop is infra/local/scenarios/agreement-signing.scenario.test.ts):
// - "Overeenkomst ondertekenen": the enterprise's legal representative gets a task, and its contacts a mail, when
//   a save makes the work version ready for signatures; who may read it and who may not; what closes it.
// - expiry: the daily job expires a work version on its day (history, the counsellor's warning and the
//   enterprise's signing task closed, the counsellor mailed), once, and not one saved again meanwhile.
import { beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import type { NotificationRequest } from '../../events/notification-requested.ts';
import { draftBody, mentorFixture, putRecognition, recognitionFixture } from '../../infra/local/testing/agreement-fixtures.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, given } from '../../infra/local/testing/given.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import { nationalNumberFor } from '../../infra/local/testing/national-numbers.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { getAgreementHistory } from '../../shared/data/agreements.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import type { Task } from '../../shared/domain/tasks.ts';
import { routes as documentRoutes } from '../documents/routes.ts';
import { routes as taskRoutes } from '../tasks/routes.ts';
import { createAgreementsDailyJob } from './daily.ts';
import { documentRoutes as agreementDocumentRoutes } from './document-routes.ts';
import { routes } from './routes.ts';

// After the real date: DynamoDB Local deletes items whose TTL (a work version's expiry) passed in real time.
const clock = fixedClock('2027-08-20T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;
let g: ReturnType<typeof given>;
const { sofie, pieter, jan, an } = demo;
const mega = '0417390703';
const anna = ulid();

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi([...routes, ...agreementDocumentRoutes, ...documentRoutes, ...taskRoutes], env.deps);
  g = given(api);
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, {
    number: '0417.390.703',
    name: 'Mega World',
    establishments: [{ number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' }],
  });
  await putRecognition(env.deps, recognitionFixture({ mentors: [mentorFixture(anna, 'Anna Verkoop')], contactEmails: ['hr@megaworld.test'] }));
});

const learner = (n: number) => ({ nationalNumber: nationalNumberFor('2010-03-15', n) });
/** 19 workplace hours of 35: no OAO, a blocking problem of the pre-flight check. */
const tooFewHours = { weeklyHours: { enterpriseFullTime: 35, school: 16, workplace: 19 } };

async function megaUser() {
  const token = await api.issuer.sign({ sub: 'mega-user', name: 'Mega Medewerker', organisations: [{ type: 'enterprise', id: mega, roles: ['user'] }] });
  return { get: (path: string) => api.call({ method: 'GET', path, token, organisation: `enterprise:${mega}` }) };
}
const tasksOf = async (actor: typeof jan, type: Task['type']) =>
  ((await g.ok(200, actor, 'GET', '/v1/tasks?limit=100')).items as Task[]).filter((t) => t.type === type);
const signingTasks = async (agreementId: string) => (await tasksOf(jan, 'signAgreement')).filter((t) => t.subject.id === agreementId);
const mails = () => drainQueue<NotificationRequest>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);

describe('Overeenkomst ondertekenen', () => {
  it('opens for the legal representative once a save makes the work version ready, with a mail to the enterprise; only the parties read it', async () => {
    await mails();
    const created = await g.ok(201, sofie, 'POST', '/v1/agreements', draftBody(anna, tooFewHours, learner(1)));
    expect(created.issues.map((i: { severity: string }) => i.severity)).toContain('blocking');
    expect(await signingTasks(created.id)).toEqual([]);
    expect(await mails()).toEqual([]);

    const fixed = await g.ok(200, sofie, 'PUT', `/v1/agreements/${created.id}`, draftBody(anna, {}, learner(1)), created.version);
    expect(fixed.issues).toEqual([]);
    const [task] = await signingTasks(created.id);
    expect(task).toMatchObject({
      title: 'Overeenkomst ondertekenen',
      roles: ['legalRepresentative'],
      subject: {
        kind: 'agreement',
        id: created.id,
        label: 'Verkoper duaal, vestiging Mega World Heist (2.123.456.791), met Campus Duaal Brugge, start 2027-09-01',
      },
      dueDate: '2027-09-01',
      link: `/v1/agreements/${created.id}`,
    });
    expect(await mails()).toEqual([
      expect.objectContaining({
        id: `to-sign-${created.id}-${fixed.version}`,
        to: ['hr@megaworld.test'],
        template: 'agreement-to-sign',
        data: expect.objectContaining({ agreementId: created.id, providerId: 'campus-brugge', startDate: '2027-09-01', expiresOn: '2027-11-18' }),
      }),
    ]);

    // The link opens for the enterprise with what it needs of the learner: the number masked, no account.
    const read = await g.ok(200, jan, 'GET', task!.link);
    expect(read.status).toBe('draft');
    expect(read.learner.nationalNumber).toMatch(/\*\*\*\.\*\*$/);
    expect(read.learner.iban).toBeNull();
    expect((await g.as(jan, 'GET', `${task!.link}/document`)).status).toBe(200);
    // A user of the enterprise does not sign for it; another enterprise and another provider see nothing.
    expect(((await (await megaUser()).get('/v1/tasks')).body.items as Task[]).map((t) => t.type)).not.toContain('signAgreement');
    expect(await tasksOf(an, 'signAgreement')).toEqual([]);
    for (const outsider of [an, pieter]) expect((await g.as(outsider, 'GET', task!.link)).status).toBe(404);
    // Only the counsellor saves the work version.
    expect((await g.as(jan, 'PUT', task!.link, draftBody(anna, {}, learner(1)), fixed.version)).status).toBe(403);

    // Saved again while ready: still one task, no second mail.
    const again = await g.ok(
      200,
      sofie,
      'PUT',
      `/v1/agreements/${created.id}`,
      draftBody(anna, { enterpriseRepresentative: 'Jan Mega' }, learner(1)),
      fixed.version,
    );
    expect(await signingTasks(created.id)).toHaveLength(1);
    expect(await mails()).toEqual([]);

    // A save that blocks it closes the task; ready again, a new one opens and the enterprise is told again.
    const broken = await g.ok(200, sofie, 'PUT', `/v1/agreements/${created.id}`, draftBody(anna, tooFewHours, learner(1)), again.version);
    expect(await signingTasks(created.id)).toEqual([]);
    const readyAgain = await g.ok(200, sofie, 'PUT', `/v1/agreements/${created.id}`, draftBody(anna, {}, learner(1)), broken.version);
    expect((await signingTasks(created.id)).map((t) => t.id)).toEqual([`sign-agreement:${created.id}:${readyAgain.version}`]);
    expect((await mails()).map((m) => m.template)).toEqual(['agreement-to-sign']);
  });

  it('closes when the signed agreement is attached, and stays closed through the registration', async () => {
    const created = await g.ok(201, sofie, 'POST', '/v1/agreements', draftBody(anna, {}, learner(2)));
    expect(await signingTasks(created.id)).toHaveLength(1);
    const upload = (kind: string) => g.verifiedDocument(sofie, kind);
    const partly = await g.ok(
      200,
      sofie,
      'PUT',
      `/v1/agreements/${created.id}/annexes`,
      { schedule: await upload('schedule'), trainingPlan: await upload('trainingPlan'), learnerPremiumConsent: await upload('learnerPremiumConsent') },
      created.version,
    );
    // The annexes the enterprise does not sign leave its task open.
    expect(await signingTasks(created.id)).toHaveLength(1);
    const signed = await g.ok(200, sofie, 'PUT', `/v1/agreements/${created.id}/annexes`, { signedAgreement: await upload('signedAgreement') }, partly.version);
    expect(await signingTasks(created.id)).toEqual([]);
    await g.ok(200, sofie, 'POST', `/v1/agreements/${created.id}/register`, {}, signed.version);
    expect(await signingTasks(created.id)).toEqual([]);
    await mails();
  });

  it('stays open while the registration is refused for want of the signed agreement', async () => {
    const created = await g.ok(201, sofie, 'POST', '/v1/agreements', draftBody(anna, {}, learner(3)));
    const annexes = {
      schedule: await g.verifiedDocument(sofie, 'schedule'),
      trainingPlan: await g.verifiedDocument(sofie, 'trainingPlan'),
      learnerPremiumConsent: await g.verifiedDocument(sofie, 'learnerPremiumConsent'),
    };
    const attached = await g.ok(200, sofie, 'PUT', `/v1/agreements/${created.id}/annexes`, annexes, created.version);
    expect(await signingTasks(created.id)).toHaveLength(1);
    // The registration is refused without the signed agreement: the task stays.
    expect((await g.as(sofie, 'POST', `/v1/agreements/${created.id}/register`, {}, attached.version)).status).toBe(422);
    expect(await signingTasks(created.id)).toHaveLength(1);
    await mails();
  });
});

describe('a work version that is not registered within 90 days', () => {
  it('is expired by the daily job on its day: history, both tasks closed, the counsellor mailed; once', async () => {
    await mails();
    const created = await g.ok(201, sofie, 'POST', '/v1/agreements', draftBody(anna, {}, learner(4)));
    // Another one is saved again on 1 September: it expires 12 days later and is left alone until then.
    const kept = await g.ok(201, sofie, 'POST', '/v1/agreements', draftBody(anna, {}, learner(5)));
    clock.set('2027-09-01T08:00:00.000Z');
    const resaved = await g.ok(
      200,
      sofie,
      'PUT',
      `/v1/agreements/${kept.id}`,
      draftBody(anna, { enterpriseRepresentative: 'Jan Mega' }, learner(5)),
      kept.version,
    );
    expect(resaved.expiresOn).toBe('2027-11-30');
    await mails();

    const job = createAgreementsDailyJob(env.deps);
    clock.set('2027-11-04T03:00:00.000Z');
    expect(await job()).toMatchObject({ warned: 3, expired: 0 });
    const warning = async (id: string) => (await tasksOf(sofie, 'draftExpiring')).filter((t) => t.subject.id === id);
    expect(await warning(created.id)).toHaveLength(1);
    expect(await signingTasks(created.id)).toHaveLength(1);

    clock.set('2027-11-17T03:00:00.000Z');
    expect(await job()).toMatchObject({ expired: 0 });
    clock.set('2027-11-18T03:00:00.000Z');
    // This one and the two of the tests above that were never registered (learners 1 and 3).
    expect(await job()).toMatchObject({ expired: 3 });
    expect(await warning(created.id)).toEqual([]);
    expect(await signingTasks(created.id)).toEqual([]);
    expect(await signingTasks(kept.id)).toHaveLength(1);
    expect((await g.as(sofie, 'GET', `/v1/agreements/${created.id}`)).status).toBe(404);
    expect((await getAgreementHistory(env.deps, created.id)).at(-1)).toMatchObject({
      action: 'draft-expired',
      by: 'system:agreements-daily',
      after: { expiredOn: '2027-11-18', lastSavedOn: '2027-08-20' },
    });
    const sent = await mails();
    expect(sent.filter((m) => m.template === 'draft-expired')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: `draft-expired-${created.id}`,
          template: 'draft-expired',
          data: { learnerName: 'Lena Janssens', expiredOn: '2027-11-18', savedOn: '2027-08-20' },
        }),
      ]),
    );
    expect(sent.filter((m) => m.template === 'draft-expired')).toHaveLength(3);
    expect(sent.every((m) => m.template !== 'draft-expired' || m.to.every((to) => !to.includes('megaworld')))).toBe(true);
    // A second run, and the catch-up days after, expire nothing again.
    expect(await job()).toMatchObject({ expired: 0 });
    clock.set('2027-11-20T03:00:00.000Z');
    expect(await job()).toMatchObject({ expired: 0 });

    clock.set('2027-11-30T03:00:00.000Z');
    expect(await job()).toMatchObject({ expired: 1 });
    expect(await signingTasks(kept.id)).toEqual([]);
    clock.set('2027-08-20T08:00:00.000Z');
  });
});
