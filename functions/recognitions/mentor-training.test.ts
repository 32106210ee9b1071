// The mentor training and a withdrawal follow the person, in-process against the emulators (createTestApi; no HTTP scenario:
// reaching a training deadline over HTTP needs two recognitions decided through the review workflow first, which
// the in-process world writes as fixtures). A person named on several recognitions of one enterprise: approved on
// another one, they get the earliest deadline set for them (or their training done); their training reported on
// one counts on each and closes each "Mentoropleiding afronden"; another enterprise naming them is not touched.
// Withdrawn by a sanction, the person is withdrawn wherever named, at the other enterprise too.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { mentorFixture, putRecognition, recognitionFixture } from '../../infra/local/testing/agreement-fixtures.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';
import { readHistory } from '../../shared/data/history.ts';
import * as keys from '../../shared/data/keys.ts';
import { demo, given } from '../../infra/local/testing/given.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { personKey } from '../../shared/adapters/keyring.ts';
import { getRecognition, personMentorItems, type Recognition, recognitionEndsItem, recognitionsNamingPerson } from '../../shared/data/recognitions.ts';
import { createDailyJob } from './daily.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { finishMentorTraining } from '../../shared/domain/recognition-tasks.ts';
import type { Task } from '../../shared/domain/tasks.ts';
import { routes as taskRoutes } from '../tasks/routes.ts';
import { routes } from './routes.ts';

const clock = fixedClock('2027-11-20T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;
let g: ReturnType<typeof given>;
const { jan, an, karim } = demo;
/** Mieke Mentor's national number: the person named on every recognition below. */
const mieke = '80.01.01-001.07';
const ids = { heist: ulid(), gent: ulid(), other: ulid(), hasselt: ulid(), pending: ulid() };
let person: string;

async function put(r: Recognition) {
  await putRecognition(env.deps, r);
  for (const Item of personMentorItems(r)) await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item }));
}
const mentorOf = async (recognitionId: string, mentorId: string) => (await getRecognition(env.deps, recognitionId))!.mentors.find((m) => m.id === mentorId)!;
const trainingTasks = async (actor: typeof jan) =>
  ((await g.ok(200, actor, 'GET', '/v1/tasks?limit=100')).items as Task[]).filter((t) => t.type === 'finishMentorTraining').map((t) => t.id);

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi([...routes, ...taskRoutes], env.deps);
  g = given(api);
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, {
    number: '0417.390.703',
    name: 'Mega World',
    establishments: [
      { number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' },
      { number: '2.200.000.184', name: 'Mega World Gent', postcode: '9000', municipality: 'Gent' },
    ],
  });
  person = personKey(await env.deps.keys.derive('person'), mieke.replace(/\D/g, ''));
  const named = (id: string, deadline: string) => ({ ...mentorFixture(id, 'Mieke Mentor'), personKey: person, trainingDeadline: deadline });
  await put(recognitionFixture({ id: 'E/20261201/000001', mentors: [named(ids.heist, '2027-12-15')] }));
  await put(
    recognitionFixture({
      id: 'E/20261201/000002',
      establishmentNumber: '2.200.000.184',
      programmeId: 'keukenmedewerker-duaal',
      partnershipId: 'horeca',
      mentors: [named(ids.gent, '2028-06-01'), { ...mentorFixture(ids.other, 'Omar Ander'), personKey: 'someone-else', trainingDeadline: '2027-12-15' }],
    }),
  );
  // Another enterprise names the same person: the sanction of loop 4 reaches it, the training here does not.
  await put(
    recognitionFixture({
      id: 'E/20261201/000003',
      enterpriseNumber: '0412.345.614',
      establishmentNumber: '2.200.000.481',
      mentors: [named(ids.hasselt, '2027-12-15')],
      contactEmails: ['info@anpeeters.test'],
    }),
  );
  // A recognition of Mega World with the person waiting for the partnership's approval.
  await put(
    recognitionFixture({
      id: 'E/20261201/000004',
      programmeId: 'winkelbediende-duaal',
      mentors: [],
      pendingMentors: [
        {
          id: ids.pending,
          name: 'Mieke Mentor',
          nationalNumber: mieke,
          birthDate: '1980-01-01',
          yearsOfExperience: 10,
          proofDocumentId: null,
          criminalRecordExtract: { documentId: ulid(), issuedOn: '2027-10-01' },
          requestedAt: '2027-11-01T08:00:00.000Z',
        },
      ],
    }),
  );
});

describe('the mentor training of a person', () => {
  it('a person approved on another recognition gets the earliest deadline set for them, and the later one follows it', async () => {
    const r4 = await g.ok(200, karim, 'GET', '/v1/recognitions/E-20261201-000004');
    await g.ok(200, karim, 'POST', `/v1/recognitions/E-20261201-000004/mentors/${ids.pending}/approve`, undefined, r4.version);
    // Handel's rule alone would give 12 months from today (2028-11-20); the person's earliest is 15 December.
    expect(await mentorOf('E/20261201/000004', ids.pending)).toMatchObject({ personKey: person, trainingDeadline: '2027-12-15' });
    expect((await mentorOf('E/20261201/000002', ids.gent)).trainingDeadline).toBe('2027-12-15');
    expect((await mentorOf('E/20261201/000001', ids.heist)).trainingDeadline).toBe('2027-12-15');
    // Another person, and the person at another enterprise, keep theirs.
    expect((await mentorOf('E/20261201/000002', ids.other)).trainingDeadline).toBe('2027-12-15');
    expect((await mentorOf('E/20261201/000003', ids.hasselt)).trainingDeadline).toBe('2027-12-15');
  });

  it('reported on one recognition, the training counts on every recognition of the enterprise naming the person and closes each task', async () => {
    // 30 days before the deadline: a task per recognition naming a mentor whose training is due (the daily job's factory).
    for (const id of ['E/20261201/000001', 'E/20261201/000002', 'E/20261201/000003', 'E/20261201/000004']) {
      const r = (await getRecognition(env.deps, id))!;
      for (const m of r.mentors) await openTask(env.deps, finishMentorTraining(r, m, clock.now().toISOString()));
    }
    expect(await trainingTasks(jan)).toHaveLength(4);
    expect(await trainingTasks(an)).toHaveLength(1);
    const r1 = await g.ok(200, jan, 'GET', '/v1/recognitions/E-20261201-000001');
    const report = { action: 'training', completedOn: '2027-11-18', exempted: false };
    // Another enterprise may not report it, nor its partnership's staff of another sector.
    expect((await g.as(an, 'POST', `/v1/recognitions/E-20261201-000001/mentors/${ids.heist}/change`, report, r1.version)).status).toBe(404);
    expect((await g.as(demo.bart, 'POST', `/v1/recognitions/E-20261201-000001/mentors/${ids.heist}/change`, report, r1.version)).status).toBe(404);

    await g.ok(200, jan, 'POST', `/v1/recognitions/E-20261201-000001/mentors/${ids.heist}/change`, report, r1.version);
    for (const [id, mentorId] of [
      ['E/20261201/000001', ids.heist],
      ['E/20261201/000002', ids.gent],
      ['E/20261201/000004', ids.pending],
    ] as const)
      expect(await mentorOf(id, mentorId), id).toMatchObject({ trainingCompletedOn: '2027-11-18', trainingExempted: false });
    expect(await mentorOf('E/20261201/000002', ids.other)).toMatchObject({ trainingCompletedOn: null });
    expect(await mentorOf('E/20261201/000003', ids.hasselt)).toMatchObject({ trainingCompletedOn: null });
    // Only the other person's task is left at Mega World; the other enterprise keeps its own.
    expect(await trainingTasks(jan)).toEqual([expect.stringContaining(ids.other)]);
    expect(await trainingTasks(an)).toHaveLength(1);
  });
});

describe('a withdrawn mentor person', () => {
  it('is withdrawn wherever named, at another enterprise too, in one sanction; each partnership and enterprise hears of its own', async () => {
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    const r1 = await g.ok(200, demo.els, 'GET', '/v1/recognitions/E-20261201-000001');
    const path = `/v1/recognitions/E-20261201-000001/mentors/${ids.heist}/withdraw`;
    const body = { reasons: 'Na begeleiding blijven de tekortkomingen bestaan.' };
    // Not the enterprise, not another sector's partnership.
    expect((await g.as(jan, 'POST', path, body, r1.version)).status).toBe(403);
    expect((await g.as(demo.bart, 'POST', path, body, r1.version)).status).toBe(404);

    const withdrawn = await g.ok(200, demo.els, 'POST', path, body, r1.version);
    const all = ['E/20261201/000001', 'E/20261201/000002', 'E/20261201/000003', 'E/20261201/000004'];
    expect([...withdrawn.sanction.affectedRecognitions].sort()).toEqual(all.map((id) => id.replaceAll('/', '-')));
    for (const [id, mentorId] of [
      ['E/20261201/000001', ids.heist],
      ['E/20261201/000002', ids.gent],
      ['E/20261201/000003', ids.hasselt],
      ['E/20261201/000004', ids.pending],
    ] as const) {
      expect(await mentorOf(id, mentorId), id).toMatchObject({ active: false, withdrawn: true });
      expect((await readHistory(env.deps, keys.recognition.pk(id))).at(-1), id).toMatchObject({ action: 'mentor-withdrawn' });
    }
    expect(await mentorOf('E/20261201/000002', ids.other)).toMatchObject({ active: true, withdrawn: false });

    // Left without a valid mentor: the partnership's task, not where another mentor still counts (Gent).
    const withoutMentor = async (actor: typeof karim) =>
      ((await g.ok(200, actor, 'GET', '/v1/tasks?limit=100')).items as Task[])
        .filter((t) => t.type === 'recognitionWithoutMentor')
        .map((t) => t.subject.id)
        .sort();
    expect(await withoutMentor(karim)).toEqual(['E-20261201-000001', 'E-20261201-000003', 'E-20261201-000004']);
    expect(await withoutMentor(demo.bart)).toEqual([]);
    // The other enterprise's training task for the person closes with it.
    expect(await trainingTasks(an)).toEqual([]);

    const mails = (await drainQueue<NotificationRequest>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).filter((m) => m.template === 'sanction');
    expect(mails.map((m) => [m.to, m.template === 'sanction' ? m.data.recognitions.map((r) => r.id).sort() : []])).toEqual(
      expect.arrayContaining([
        [['hr@megaworld.test'], ['E/20261201/000001', 'E/20261201/000002', 'E/20261201/000004']],
        [['info@anpeeters.test'], ['E/20261201/000003']],
      ]),
    );
    expect(mails).toHaveLength(2);
  });
});

describe('mentors stored before the person key was kept', () => {
  it('get it from the daily job while their file still holds the national number in full, once', async () => {
    const applicationId = ulid();
    const [known, masked] = [ulid(), ulid()];
    const r = recognitionFixture({
      id: 'E/20261201/000005',
      applicationId,
      establishmentNumber: '2.200.000.184',
      mentors: [mentorFixture(known, 'Mieke Mentor'), mentorFixture(masked, 'Oud Mentor')],
    });
    await putRecognition(env.deps, r);
    await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: recognitionEndsItem(r) }));
    // The file as the decision left it: one number in full, one masked by retention.
    await env.deps.db.send(
      new PutCommand({
        TableName: env.config.TABLE_NAME,
        Item: {
          ...keys.application.key(applicationId),
          id: applicationId,
          mentors: [
            { id: known, name: 'Mieke Mentor', nationalNumber: mieke },
            { id: masked, name: 'Oud Mentor', nationalNumber: '75.05.05-***.**', nationalNumberErased: true },
          ],
        },
      }),
    );
    const job = createDailyJob(env.deps);
    expect(await job({ today: '2027-11-20' })).toMatchObject({ personsLinked: 1 });
    expect(await mentorOf('E/20261201/000005', known)).toMatchObject({ personKey: person });
    expect((await mentorOf('E/20261201/000005', masked)).personKey).toBeUndefined();
    // Found through the person's links from now on, as a sanction or a training report finds it.
    expect((await recognitionsNamingPerson(env.deps, person, null)).map((x) => x.id)).toContain('E/20261201/000005');
    expect(await job({ today: '2027-11-21' })).toMatchObject({ personsLinked: 0 });
  });
});
