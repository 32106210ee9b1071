// The review clock on the file, its history with names, the work list's names and the renewal window, against
// the emulators with the review state machine's ASL executed locally (in-process with createTestApi: a 14-day
// review with pauses in a few seconds). Its own clock and data, so it does not depend on the other files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import type { TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createReviewWorld, until, type ReviewMail, type ReviewWorld } from './review.fixtures.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { demo, type Actor } from '../../infra/local/testing/given.ts';
import { createReviewTasks } from './review-tasks.ts';
import { applicationForFilerView, applicationForReviewerView } from './views.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let sfn: TestStepFunctions;

const { jan, karim, els, lotte, sofie, dirk } = demo;
let as: ReviewWorld['as'];
let mails: ReviewWorld['mails'];
let filledDraft: ReviewWorld['filledDraft'];
let verifiedDocument: ReviewWorld['verifiedDocument'];

beforeAll(async () => {
  ({ env, sfn, as, mails, filledDraft, verifiedDocument } = await createReviewWorld(clock));
});

afterAll(async () => sfn?.close());

const at = (iso: string) => clock.set(iso);

async function act(actor: Actor, id: string, action: string, version: number, body?: unknown) {
  const res = await as(actor, 'POST', `/v1/applications/${id}/${action}`, body, version);
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res.body;
}

const clockOf = async (actor: Actor, id: string) => {
  const res = await as(actor, 'GET', `/v1/applications/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body.reviewClock;
};

const people = {
  jan: {
    userId: 'demo-jan-mega',
    name: 'Jan Van Mega',
    organisationKey: 'enterprise:0417390703',
    organisationName: 'Mega World',
    roles: ['legalRepresentative'],
  },
  karim: {
    userId: 'demo-karim',
    name: 'Karim El Amrani',
    organisationKey: 'partnership:handel',
    organisationName: 'Sectoraal Partnerschap Handel',
    roles: ['consultant'],
  },
  els: {
    userId: 'demo-els',
    name: 'Els Wouters',
    organisationKey: 'partnership:handel',
    organisationName: 'Sectoraal Partnerschap Handel',
    roles: ['votingMember', 'administrator'],
  },
  system: { userId: 'system', name: 'Digitaal loket werkplekduaal', organisationKey: null, organisationName: null, roles: [] },
};

/** The file the first scenario runs through its whole life cycle. */
let fileId: string;

describe('the review clock on the file', () => {
  it('runs 14 days from the first submission, stands still during the completion request and the pause, and the workflow waits for the same deadline', {
    timeout: 120_000,
  }, async () => {
    await mails();
    const draft = await filledDraft(jan, '2.123.456.791');
    expect(draft.reviewClock).toBeNull();
    const submitted = await act(jan, draft.id, 'submit', draft.version);
    fileId = submitted.id;
    expect(submitted.reviewClock).toEqual({
      startedAt: '2026-11-02T08:00:00.000Z',
      deadline: '2026-11-16T08:00:00.000Z',
      daysRemaining: 14,
      daysPaused: 0,
      paused: false,
      pauses: [],
    });

    at('2026-11-04T08:00:00.000Z');
    const asked = await act(karim, fileId, 'request-completion', submitted.version, { message: 'Graag het RSZ-attest.' });
    expect(asked.reviewClock).toMatchObject({ paused: true, pauses: [{ kind: 'completionRequest', from: '2026-11-04T08:00:00.000Z', until: null }] });

    at('2026-11-06T08:00:00.000Z');
    const resubmitted = await act(jan, fileId, 'submit', asked.version);
    const afterCompletion = {
      startedAt: '2026-11-02T08:00:00.000Z',
      deadline: '2026-11-18T08:00:00.000Z',
      daysRemaining: 12,
      daysPaused: 2,
      paused: false,
      pauses: [{ kind: 'completionRequest', from: '2026-11-04T08:00:00.000Z', until: '2026-11-06T08:00:00.000Z', reason: 'Graag het RSZ-attest.' }],
    };
    expect(resubmitted.reviewClock).toEqual(afterCompletion);
    // Every party of the file reads the same clock; a partnership the file was not routed to, or a provider
    // without a mandate, reads nothing.
    for (const party of [jan, karim, dirk]) expect(await clockOf(party, fileId)).toEqual(afterCompletion);
    expect((await as(lotte, 'GET', `/v1/applications/${fileId}`)).status).toBe(404);
    expect((await as(sofie, 'GET', `/v1/applications/${fileId}`)).status).toBe(404);
    const completeness = (await as(karim, 'GET', '/v1/tasks?type=checkCompleteness')).body.items.find(
      (t: { subject: { id: string } }) => t.subject.id === fileId,
    );
    expect(completeness).toMatchObject({ dueDate: '2026-11-18', daysRemaining: 12 });

    let version = (await act(karim, fileId, 'mark-complete', resubmitted.version)).version;
    version = (await act(karim, fileId, 'start-review', version)).version;
    at('2026-11-07T08:00:00.000Z');
    const paused = await act(karim, fileId, 'pause', version, { reason: 'Bezoek ter plaatse' });
    at('2026-11-09T08:00:00.000Z');
    // The open pause counts up to today: the deadline moves on by a day each day it lasts.
    const whilePaused = await clockOf(karim, fileId);
    expect(whilePaused).toMatchObject({ deadline: '2026-11-20T08:00:00.000Z', daysPaused: 4, paused: true, daysRemaining: 11 });
    expect(await clockOf(jan, fileId)).toEqual(whilePaused);
    // The state machine's Plan task (the Wait state's TimestampPath) follows the same function.
    const plan = await createReviewTasks(env.deps).planReview({ applicationId: fileId, round: 2 });
    expect(plan).toEqual({ applicationId: fileId, round: 2, action: 'wait', wakeAt: '2026-11-16T08:00:00.000Z', deadline: whilePaused.deadline });

    at('2026-11-10T08:00:00.000Z');
    const resumed = await act(karim, fileId, 'resume', paused.version);
    expect(resumed.reviewClock).toMatchObject({ deadline: '2026-11-21T08:00:00.000Z', daysPaused: 5, paused: false, daysRemaining: 11 });
    expect(resumed.reviewClock.pauses[1]).toEqual({
      kind: 'pause',
      from: '2026-11-07T08:00:00.000Z',
      until: '2026-11-10T08:00:00.000Z',
      reason: 'Bezoek ter plaatse',
    });
    expect((await as(karim, 'GET', '/v1/tasks?type=resumeApplication')).body.items).toEqual([]);

    // Day 10 counted from the submission, or from the resubmission, has passed: the reminder waits for running day 10.
    // (Each submission is also acknowledged to the enterprise: application-received.)
    expect((await until(mails, (m) => m.length >= 5)).map((m) => m.template).sort()).toEqual([
      'application-received',
      'application-received',
      'application-submitted',
      'application-submitted',
      'completion-requested',
    ]);
    at('2026-11-16T09:00:00.000Z');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mails()).toEqual([]);
    at('2026-11-17T08:00:00.000Z');
    const reminder = await until(mails, (m) => m.length > 0);
    expect(reminder).toEqual([expect.objectContaining({ template: 'review-reminder', data: expect.objectContaining({ deadlineOn: '2026-11-21' }) })]);
    at('2026-11-21T08:00:00.000Z');
    const overdue = await until(mails, (m) => m.length > 0);
    expect(overdue.map((m) => m.template)).toEqual(['review-overdue']);
    const file = await until(
      () => as(karim, 'GET', `/v1/applications/${fileId}`),
      (r) => r.body.overdue === true,
    );
    expect(file.body).toMatchObject({ escalatedAt: '2026-11-21T08:00:00.000Z', reviewClock: { daysRemaining: 0 } });
    expect(applicationForReviewerView.safeParse(file.body).success).toBe(true);
  });

  it('keeps every state change in the history with who (name, organisation, roles of the time), when and what', async () => {
    const before = (await as(karim, 'GET', `/v1/applications/${fileId}`)).body;
    at('2026-11-21T10:00:00.000Z');
    const proposed = await act(karim, fileId, 'propose', before.version, { decision: 'recognise', reasons: 'Werkplek en mentor in orde' });
    at('2026-11-22T09:00:00.000Z');
    const decided = await act(els, fileId, 'decide', proposed.version, { decision: 'recognised', reasons: 'In orde', startDate: '2026-12-01' });
    // The clock stops at the decision.
    expect(decided.reviewClock).toMatchObject({ deadline: '2026-11-21T08:00:00.000Z', daysRemaining: -1, paused: false });
    at('2026-12-20T09:00:00.000Z');
    expect((await clockOf(jan, fileId)).daysRemaining).toBe(-1);

    const read = await as(jan, 'GET', `/v1/applications/${fileId}`);
    expect(applicationForFilerView.safeParse(read.body).success).toBe(true);
    const history = read.body.history.map((h: { at: string; actor: unknown; action: string; after: Record<string, unknown> }) => [h.at, h.action, h.actor]);
    expect(history).toEqual([
      ['2026-11-02T08:00:00.000Z', 'created', people.jan],
      ['2026-11-02T08:00:00.000Z', 'updated', people.jan],
      ['2026-11-02T08:00:00.000Z', 'submitted', people.jan],
      ['2026-11-04T08:00:00.000Z', 'request-completion', people.karim],
      ['2026-11-06T08:00:00.000Z', 'resubmitted', people.jan],
      ['2026-11-06T08:00:00.000Z', 'mark-complete', people.karim],
      ['2026-11-06T08:00:00.000Z', 'start-review', people.karim],
      ['2026-11-07T08:00:00.000Z', 'pause', people.karim],
      ['2026-11-10T08:00:00.000Z', 'resume', people.karim],
      ['2026-11-17T08:00:00.000Z', 'review-reminder-sent', people.system],
      ['2026-11-21T08:00:00.000Z', 'review-overdue', people.system],
      ['2026-11-21T10:00:00.000Z', 'proposed', people.karim],
      ['2026-11-22T09:00:00.000Z', 'decided', people.els],
    ]);
    const entries = read.body.history as { by: string; action: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
    expect(entries[0]).toMatchObject({
      by: 'demo-jan-mega',
      before: {},
      after: { status: 'draft', kind: 'new', establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal' },
    });
    expect(entries[3]).toMatchObject({ before: { status: 'submitted' }, after: { status: 'incomplete', message: 'Graag het RSZ-attest.' } });
    expect(entries[7]).toMatchObject({ before: { status: 'underReview' }, after: { status: 'paused', reason: 'Bezoek ter plaatse' } });
    expect(entries[12]).toMatchObject({
      before: { status: 'underReview' },
      after: { status: 'recognised', recognitionId: expect.stringMatching(/^E\/20261122\/\d{6}$/) },
    });
    // Every status the file went through is in the history: each status change has its entry.
    const statuses = entries.flatMap((e) => (typeof e.after.status === 'string' ? [e.after.status] : []));
    expect(statuses).toEqual(['draft', 'submitted', 'incomplete', 'submitted', 'fileComplete', 'underReview', 'paused', 'underReview', 'recognised']);
  });
});

describe("the partnership's work list", () => {
  it('names the enterprise and the establishment, in one Query whatever the number of files', async () => {
    const requests: string[] = [];
    const send = env.deps.db.send.bind(env.deps.db);
    const counted = async (fn: () => Promise<{ body: { items: unknown[] } }>) => {
      requests.length = 0;
      env.deps.db.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
        requests.push(command.constructor.name);
        return (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      }) as typeof env.deps.db.send;
      try {
        const res = await fn();
        return { items: res.body.items, requests: [...requests] };
      } finally {
        env.deps.db.send = send;
      }
    };
    const one = await counted(() => as(karim, 'GET', '/v1/applications?status=recognised'));
    expect(one.items).toHaveLength(1);
    expect(one.items[0]).toMatchObject({ id: fileId, enterpriseName: 'Mega World', establishmentName: 'Mega World Heist' });
    expect(one.requests).toEqual(['QueryCommand']);

    await mails();
    for (const establishment of ['2.200.000.184', '2.200.000.382']) {
      const draft = await filledDraft(jan, establishment);
      await act(jan, draft.id, 'submit', draft.version);
    }
    // The review workflow of the new files reads them too (its e-mails, its plan): let it reach its wait first.
    const sent: ReviewMail[] = [];
    await until(
      async () => sent.push(...(await mails())),
      () => sent.filter((m) => m.template === 'application-submitted').length >= 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    const all = await counted(() => as(karim, 'GET', '/v1/applications'));
    expect(all.items.map((a) => (a as { establishmentName: string }).establishmentName).sort()).toEqual([
      'Mega World Gent',
      'Mega World Heist',
      'Mega World Leuven',
    ]);
    expect(all.items.every((a) => (a as { enterpriseName: string }).enterpriseName === 'Mega World')).toBe(true);
    expect(all.requests).toEqual(['QueryCommand']);
  });
});

describe('renewal', () => {
  it('is refused with 422 before the renewal task appears; the enterprise renews a file its counsellor filed and its first save succeeds', async () => {
    at('2026-12-20T09:00:00.000Z');
    const mandateDocument = await verifiedDocument(sofie, 'mandate');
    const mandate = await as(sofie, 'POST', '/v1/mandates', {
      enterpriseNumber: '0417390703',
      documentId: mandateDocument,
      enterpriseEmail: 'info@megaworld.test',
    });
    expect(mandate.status, mandate.text).toBe(201);
    // The Gent file of the previous test is open; a counsellor files for another programme there.
    const filled = await filledDraft(sofie, '2.123.456.791', {
      draft: { programmeId: 'winkelbediende-duaal', jointCommittee: undefined },
      content: { bankAccount: null },
    });
    let version = (await act(sofie, filled.id, 'submit', filled.version)).version;
    for (const action of ['mark-complete', 'start-review']) version = (await act(karim, filled.id, action, version)).version;
    version = (await act(karim, filled.id, 'propose', version, { decision: 'recognise', reasons: 'In orde' })).version;
    const decided = await act(els, filled.id, 'decide', version, { decision: 'recognised', reasons: 'In orde', startDate: '2027-01-01' });
    const recognitionId = decided.recognition.id;
    expect(decided.recognition.endDate).toBe('2031-12-31');

    // Day one of five years, and the day before the task appears (180 days before the end: 2031-07-04): 422.
    const path = `/v1/recognitions/${recognitionId}`;
    for (const day of ['2027-01-01T09:00:00.000Z', '2031-07-03T09:00:00.000Z']) {
      at(day);
      const own = await as(jan, 'GET', path);
      const early = await as(jan, 'POST', `${path}/renew`, undefined, own.body.version);
      expect(early.status, early.text).toBe(422);
      expect(early.body).toMatchObject({ code: 'renewal-too-early', status: 422 });
    }
    at('2031-07-04T09:00:00.000Z');
    const own = await as(jan, 'GET', path);
    const renewed = await as(jan, 'POST', `${path}/renew`, undefined, own.body.version);
    expect(renewed.status, renewed.text).toBe(201);
    // The counsellor's declaration on honour is not the enterprise's to attach: it stays behind.
    expect(renewed.body).toMatchObject({ kind: 'renewal', renewsRecognitionId: recognitionId, documents: [], filedBy: { role: 'enterprise' } });

    // The enterprise's first save sends back what it read: it passes.
    const { criteria, mentors, documents, bankAccount, jointCommittee } = renewed.body;
    const saved = await as(
      jan,
      'PUT',
      `/v1/applications/${renewed.body.id}`,
      { criteria, mentors, documents, bankAccount, jointCommittee },
      renewed.body.version,
    );
    expect(saved.status, saved.text).toBe(200);
    const history = (await as(jan, 'GET', `/v1/applications/${renewed.body.id}`)).body.history;
    expect(history.map((h: { action: string; actor: unknown }) => [h.action, h.actor])).toEqual([
      ['created', people.jan],
      ['updated', people.jan],
    ]);
    expect(history[0].after).toMatchObject({ kind: 'renewal', renewsRecognitionId: recognitionId });
  });
});
