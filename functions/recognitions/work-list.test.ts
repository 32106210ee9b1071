// The partnership's work lists on the dashboard, and a renewal end to end: against the emulators, with the
// review state machine's ASL executed locally. Its own clock and data, so it does not depend on review.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { lockKey } from '../../shared/data/applications.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import type { TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { createReviewEnvironment } from '../../infra/local/testing/review-environment.ts';
import { demo, given, type Actor } from '../../infra/local/testing/given.ts';
import { routes as documentRoutes } from '../documents/routes.ts';
import { routes as taskRoutes } from '../tasks/routes.ts';
import { routes } from './routes.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;
let sfn: TestStepFunctions;

const { jan, karim, els, sofie } = demo;
let as: ReturnType<typeof given>['as'];
let verifiedDocument: ReturnType<typeof given>['verifiedDocument'];

beforeAll(async () => {
  ({ env, sfn } = await createReviewEnvironment(clock));
  api = await createTestApi([...routes, ...documentRoutes, ...taskRoutes], env.deps);
  ({ as, verifiedDocument } = given(api));
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, {
    number: '0417.390.703',
    name: 'Mega World',
    establishments: [
      { number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' },
      { number: '2.200.000.184', name: 'Mega World Gent', postcode: '9000', municipality: 'Gent' },
    ],
  });
});

afterAll(async () => sfn?.close());

async function fillIn(id: string, version: number) {
  const extract = await verifiedDocument(jan, 'criminalRecordExtract');
  const updated = await as(
    jan,
    'PUT',
    `/v1/applications/${id}`,
    {
      criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
      mentors: [
        {
          name: 'Mieke Mentor',
          nationalNumber: '80.01.01-001.07',
          yearsOfExperience: 12,
          proofDocumentId: null,
          // A fresh extract, on the day of the test's clock (a renewal years later needs one of its own).
          criminalRecordExtract: { documentId: extract, issuedOn: clock.now().toISOString().slice(0, 10) },
        },
      ],
      documents: [],
      bankAccount: null,
    },
    version,
  );
  expect(updated.status, updated.text).toBe(200);
  return updated.body;
}

async function submitted(establishmentNumber: string) {
  const draft = await as(jan, 'POST', '/v1/applications', {
    enterpriseNumber: '0417.390.703',
    establishmentNumber,
    programmeId: 'verkoper-duaal',
    jointCommittee: '311',
    contactEmail: 'hr@megaworld.test',
  });
  const filled = await fillIn(draft.body.id, draft.body.version);
  const res = await as(jan, 'POST', `/v1/applications/${filled.id}/submit`, undefined, filled.version);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function act(actor: Actor, id: string, action: string, version: number, body?: unknown) {
  const res = await as(actor, 'POST', `/v1/applications/${id}/${action}`, body, version);
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.body;
}

type ListedTask = { id: string; type: string; dueDate: string | null; daysRemaining: number | null; subject: { id: string } };
const tasksOf = async (actor: Actor, subjectId: string): Promise<ListedTask[]> =>
  (await as(actor, 'GET', '/v1/tasks?limit=100')).body.items.filter((t: ListedTask) => t.subject.id === subjectId);

describe('work lists as dashboard tasks', () => {
  it('checking completeness, handling, resuming and deciding open and close the right tasks for the right roles', async () => {
    const file = await submitted('2.200.000.184');
    expect((await tasksOf(karim, file.id)).map((t) => [t.type, t.dueDate, t.daysRemaining])).toEqual([['checkCompleteness', '2026-11-16', 14]]);
    expect(await tasksOf(els, file.id)).toEqual([]);

    clock.set('2026-11-04T08:00:00.000Z');
    let f = await act(karim, file.id, 'request-completion', file.version, { message: 'Graag het uittreksel opnieuw.' });
    expect(await tasksOf(karim, file.id)).toEqual([]);
    const resubmitted = await as(jan, 'POST', `/v1/applications/${file.id}/submit`, undefined, f.version);
    // The 14 days run on from the first submission (asked and resubmitted the same day: no day paused).
    expect((await tasksOf(karim, file.id)).map((t) => [t.id, t.dueDate])).toEqual([[`completeness:${file.id}:r2`, '2026-11-16']]);

    f = await act(karim, file.id, 'mark-complete', resubmitted.body.version);
    expect((await tasksOf(karim, file.id)).map((t) => t.type)).toEqual(['handleApplication']);
    expect((await tasksOf(els, file.id)).map((t) => t.type)).toEqual(['handleApplication']);

    f = await act(karim, file.id, 'start-review', f.version);
    f = await act(karim, file.id, 'pause', f.version, { reason: 'Bezoek ter plaatse gepland' });
    expect((await tasksOf(karim, file.id)).map((t) => t.type).sort()).toEqual(['handleApplication', 'resumeApplication']);
    // Five days paused: the file's deadline moves five days, and the handling task's due date (for both roles) with it.
    clock.set('2026-11-09T08:00:00.000Z');
    f = await act(karim, file.id, 'resume', f.version);
    expect(f.reviewClock.deadline.slice(0, 10)).toBe('2026-11-21');
    for (const actor of [karim, els])
      expect((await tasksOf(actor, file.id)).map((t) => [t.type, t.dueDate, t.daysRemaining])).toEqual([['handleApplication', '2026-11-21', 12]]);
    // A second pause is a new "Hervatten" task, not the closed first one.
    f = await act(karim, file.id, 'pause', f.version, { reason: 'Tweede bezoek' });
    expect((await tasksOf(karim, file.id)).map((t) => t.type).sort()).toEqual(['handleApplication', 'resumeApplication']);
    f = await act(karim, file.id, 'resume', f.version);

    f = await act(karim, file.id, 'propose', f.version, { decision: 'reject', reasons: 'Geen geschikte uitrusting' });
    const counts = (await as(els, 'GET', '/v1/tasks')).body.counts;
    expect(counts.handleApplication).toBeGreaterThanOrEqual(1);
    await act(els, file.id, 'decide', f.version, { decision: 'notRecognised', reasons: 'Geen geschikte uitrusting' });
    expect(await tasksOf(karim, file.id)).toEqual([]);
    expect(await tasksOf(els, file.id)).toEqual([]);
    expect((await as(els, 'GET', '/v1/tasks')).body.counts.handleApplication ?? 0).toBe(counts.handleApplication - 1);
  });
});

describe('renewal end to end', () => {
  it('a renewal takes the lock over while open, is recognised, and its recognition holds the lock after the old one', async () => {
    clock.set('2026-11-10T08:00:00.000Z');
    const first = await submitted('2.123.456.791');
    let f = await act(karim, first.id, 'mark-complete', first.version);
    f = await act(karim, first.id, 'start-review', f.version);
    f = await act(karim, first.id, 'propose', f.version, { decision: 'recognise', reasons: 'In orde' });
    const decided = await act(els, first.id, 'decide', f.version, { decision: 'recognised', reasons: 'In orde', startDate: '2026-11-15' });
    const old = decided.recognition;
    const lock = lockKey('2123456791', 'verkoper-duaal');
    const holder = async () => (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: lock, ConsistentRead: true }))).Item?.holder;
    // The lock holds the recognition's official number, as the table does; the API names it by its path id.
    expect(await holder()).toBe(old.number);

    // A renewal is asked from the day its task appears, 180 days before the end (2031-11-14).
    clock.set('2031-05-20T08:00:00.000Z');
    const renewed = await as(jan, 'POST', `/v1/recognitions/${old.id.replace(/\//g, '-')}/renew`, undefined, old.version);
    expect(renewed.status, renewed.text).toBe(201);
    const filled = await fillIn(renewed.body.id, renewed.body.version);
    // A new (non-renewal) application for the same workplace is still refused: the recognition holds the lock.
    const other = await as(jan, 'POST', '/v1/applications', {
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      contactEmail: 'hr@megaworld.test',
    });
    const otherFilled = await fillIn(other.body.id, other.body.version);
    expect((await as(jan, 'POST', `/v1/applications/${other.body.id}/submit`, undefined, otherFilled.version)).body.code).toBe('already-open-or-recognised');

    const renewal = await as(jan, 'POST', `/v1/applications/${filled.id}/submit`, undefined, filled.version);
    expect(renewal.status, renewal.text).toBe(200);
    expect(await holder()).toBe(filled.id);
    expect((await as(jan, 'POST', `/v1/applications/${other.body.id}/submit`, undefined, otherFilled.version)).status).toBe(409);

    f = await act(karim, filled.id, 'mark-complete', renewal.body.version);
    f = await act(karim, filled.id, 'start-review', f.version);
    f = await act(karim, filled.id, 'propose', f.version, { decision: 'recognise', reasons: 'Hernieuwing in orde' });
    const next = await act(els, filled.id, 'decide', f.version, { decision: 'recognised', reasons: 'Hernieuwing in orde', startDate: '2031-11-15' });
    expect(next.recognition).toMatchObject({ startDate: '2031-11-15', endDate: '2036-11-14', status: 'active' });
    expect(next.recognition.id).not.toBe(old.id);
    expect(await holder()).toBe(next.recognition.number);

    // Both periods are found on their dates, and the workplace stays locked for new applications.
    const on = async (date: string) =>
      (await as(sofie, 'GET', `/v1/recognitions?establishment=2123456791&programme=verkoper-duaal&onDate=${date}`)).body.items.map((r: { id: string }) => r.id);
    expect(await on('2027-01-10')).toEqual([old.id]);
    expect(await on('2032-01-10')).toEqual([next.recognition.id]);
    const later = await as(jan, 'POST', '/v1/applications', {
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      contactEmail: 'hr@megaworld.test',
    });
    const laterFilled = await fillIn(later.body.id, later.body.version);
    expect((await as(jan, 'POST', `/v1/applications/${later.body.id}/submit`, undefined, laterFilled.version)).status).toBe(409);
    expect(await tasksOf(karim, filled.id)).toEqual([]);
    // Back to the day the next test was written for.
    clock.set('2026-12-01T08:00:00.000Z');
  });
});

describe('mentors added after the recognition', () => {
  it('each waiting mentor is a "Mentoren controleren" task, closed by the approval or the rejection', async () => {
    const [recognition] = (await as(jan, 'GET', '/v1/recognitions?establishment=2123456791&programme=verkoper-duaal&onDate=2027-01-10')).body.items;
    const path = `/v1/recognitions/${recognition.id.replace(/\//g, '-')}`;
    let version = recognition.version as number;
    const ids: string[] = [];
    for (const name of ['Tweede Mentor', 'Derde Mentor']) {
      const extract = await verifiedDocument(jan, 'criminalRecordExtract');
      const requested = await as(
        jan,
        'POST',
        `${path}/mentors`,
        {
          name,
          nationalNumber: '80.01.01-001.07',
          yearsOfExperience: 8,
          proofDocumentId: null,
          criminalRecordExtract: { documentId: extract, issuedOn: '2026-11-20' },
        },
        version,
      );
      expect(requested.status, requested.text).toBe(202);
      version = requested.body.version;
      ids.push(requested.body.pendingMentors.at(-1).id);
    }
    expect((await tasksOf(karim, recognition.id)).map((t) => t.id).sort()).toEqual(ids.map((id) => `mentors:${recognition.number}:${id}`).sort());
    // The same roles that may approve see it: consultants and partnership administrators.
    expect(await tasksOf(els, recognition.id)).toHaveLength(2);
    const approved = await as(karim, 'POST', `${path}/mentors/${ids[0]}/approve`, undefined, version);
    expect(approved.status, approved.text).toBe(200);
    expect((await as(jan, 'POST', `${path}/mentors/${ids[1]}/reject`, undefined, approved.body.version)).status).toBe(403);
    const rejected = await as(karim, 'POST', `${path}/mentors/${ids[1]}/reject`, undefined, approved.body.version);
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.pendingMentors).toEqual([]);
    expect(rejected.body.mentors.map((m: { name: string }) => m.name)).toEqual(['Mieke Mentor', 'Tweede Mentor']);
    expect(await tasksOf(karim, recognition.id)).toEqual([]);
    expect((await as(karim, 'POST', `${path}/mentors/${ids[1]}/reject`, undefined, rejected.body.version)).status).toBe(404);
  });
});
