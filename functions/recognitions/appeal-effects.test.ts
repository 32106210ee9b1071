// Appeals against the emulators, in-process through every route: one open appeal per decision or sanction, and
// an outcome that takes effect. Upheld against a sanction: the revoked recognitions are active again (an
// exclusion lifted) or the withdrawn mentor counts again; upheld against a rejection: the file goes back to the
// partnership to decide again, with a task; rejected: nothing changes. The enterprise and the partnership are told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { readHistory as getHistory } from '../../shared/data/history.ts';
import * as keys from '../../shared/data/keys.ts';
import { drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type Actor, type given } from '../../infra/local/testing/given.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { drainDomainEvents } from '../../infra/local/testing/domain-events.ts';
import { draftBody, registeredAgreement } from '../../infra/local/testing/agreement-fixtures.ts';
import { createDailyJob } from './daily.ts';

const clock = fixedClock('2026-12-02T08:00:00.000Z');
let env: TestEnvironment;
let sfn: TestStepFunctions;
let g: ReturnType<typeof given>;
const mega = '0417390703';
const heist = '2.123.456.791';
const leuven = '2.200.000.382';
const hasselt = '2.200.000.481';
const reasons = 'Na begeleiding blijven de afspraken met de mentor onuitgevoerd.';
type Mail = { id: string; to: string[]; template: string; data: Record<string, unknown> };
type Named = { id: string; number: string; version: number; mentors: { id: string }[] };

beforeAll(async () => {
  ({ env, sfn, g } = await createApiWorld(clock));
}, 120_000);
afterAll(async () => sfn?.close());

async function recognisedByHandel(establishmentNumber: string, programmeId: string): Promise<Named> {
  const submitted = await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber, programmeId, jointCommittee: '311' });
  return (await g.decided(submitted, demo.karim, demo.els, 'recognised')).recognition;
}

const current = (r: Named) => g.ok(200, demo.els, 'GET', `/v1/recognitions/${r.id}`);
const lodge = (against: Record<string, string>, actor: Actor = demo.jan) =>
  g.as(actor, 'POST', '/v1/appeals', { against, grounds: 'De tekortkomingen werden rechtgezet.', contactEmail: 'beroep@megaworld.test' });

/** Lodged, confirmed admissible and decided by the committee: the answer of the outcome. */
async function decidedAppeal(against: Record<string, string>, outcome: 'upheld' | 'rejected') {
  const appeal = await lodge(against);
  expect(appeal.status, appeal.text).toBe(201);
  await g.ok(200, demo.dirk, 'POST', `/v1/appeals/${appeal.body.id}/confirm`, { admissible: true, reasons: 'Tijdig en ontvankelijk' }, 1);
  await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
  return g.as(demo.dirk, 'POST', `/v1/appeals/${appeal.body.id}/outcome`, { outcome, reasons: 'De beroepscommissie besliste.' }, 2);
}

/** The outbox event with this id as its transaction recorded it, or undefined. */
const outboxEvent = async (eventId: string) =>
  (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.outbox.key(eventId) }))).Item?.event;

/** The types (`recognition.granted`, ...) of the events about one recognition in the caller's feed, in order. */
const feedTypesOf = async (actor: Actor, recognitionId: string) =>
  ((await g.ok(200, actor, 'GET', '/v1/events?limit=100')).events as { type: string; subject: string }[])
    .filter((e) => e.subject === `recognitions/${recognitionId}`)
    .map((e) => e.type.split('.').slice(-2).join('.'));

const outcomeMail = async () => (await drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).filter((m) => m.template === 'appeal-decided');
/** Who did it, as every history entry names them (shared/domain/actors.ts). */
const els = { userId: 'demo-els', name: 'Els Wouters', organisationKey: 'partnership:handel', organisationName: 'Sectoraal Partnerschap Handel' };
const dirk = { userId: 'demo-dirk', organisationKey: 'department:dwse', roles: ['administrator'] };
const recognitionHistory = (r: Named) => getHistory(env.deps, keys.recognition.pk(r.number));

const taskTypesOf = async (actor: Actor, subjectId: string) =>
  ((await g.ok(200, actor, 'GET', '/v1/tasks?limit=100')).items as { type: string; subject: { id: string } }[])
    .filter((t) => t.subject.id === subjectId)
    .map((t) => t.type);

describe('one open appeal per decision or sanction', () => {
  it('takes one of two concurrent appeals against the same sanction, and a new one once the first is closed', async () => {
    const recognition = await recognisedByHandel(heist, 'verkoper-duaal');
    const revoked = await g.ok(200, demo.els, 'POST', `/v1/recognitions/${recognition.id}/revoke`, { reasons }, (await current(recognition)).version);
    const against = { kind: 'sanction', sanctionId: revoked.sanction.id };
    const both = await Promise.all([lodge(against), lodge(against)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.code).toBe('appeal-already-open');
    // Another enterprise cannot appeal Mega World's sanction at all.
    expect((await lodge(against, demo.an)).body.code).toBe('decision-not-found');

    // Declared inadmissible, the first appeal no longer holds the sanction: a new one (still within 10 days) is taken.
    const first = both.find((r) => r.status === 201)!.body;
    await g.ok(200, demo.dirk, 'POST', `/v1/appeals/${first.id}/confirm`, { admissible: false, reasons: 'Geen motivering' }, 1);
    expect((await lodge(against)).status).toBe(201);
    expect((await lodge(against)).body.code).toBe('appeal-already-open');
  });
});

describe('the outcome takes effect', () => {
  it('upheld against a revocation: the recognition is active again, with its history, and every party told of the revocation is told', async () => {
    const recognition = await recognisedByHandel(leuven, 'verkoper-duaal');
    // A running agreement there: its counsellor is asked to end it on the revocation, and told of the restoration.
    const created = await registeredAgreement(g, demo.sofie, draftBody(recognition.mentors[0]!.id, { establishmentNumber: leuven }));
    // A second apart, as changes come: the outbox dispatches oldest first, and that is the feed's order.
    clock.set('2026-12-02T08:00:01.000Z');
    const revoked = await g.ok(200, demo.els, 'POST', `/v1/recognitions/${recognition.id}/revoke`, { reasons }, (await current(recognition)).version);
    await drainDomainEvents(env);
    expect(await taskTypesOf(demo.sofie, created.id)).toContain('processRevocation');
    clock.set('2026-12-02T08:00:02.000Z');
    const outcome = await decidedAppeal({ kind: 'sanction', sanctionId: revoked.sanction.id }, 'upheld');
    expect(outcome.status, outcome.text).toBe(200);
    expect(outcome.body.status).toBe('upheld');

    const restored = (await getRecognition(env.deps, recognition.number))!;
    expect([restored.status, restored.revocation]).toEqual(['active', null]);
    const history = await recognitionHistory(recognition);
    expect(history.find((e) => e.action === 'revoked')).toMatchObject({ by: 'demo-els', actor: { ...els, roles: ['votingMember', 'administrator'] } });
    expect(history.at(-1)).toMatchObject({
      action: 'restored-after-appeal',
      actor: dirk,
      before: { status: 'revoked', sanctionId: revoked.sanction.id },
      after: { status: 'active', appealId: outcome.body.id },
    });
    // The event feed: granted, revoked and restored, each recorded with its change, in that order in Handel's feed.
    expect(await outboxEvent(`${recognition.id}-granted`)).toMatchObject({ type: 'recognition-changed', change: 'granted', renewsRecognitionId: null });
    expect(await outboxEvent(`${outcome.body.id}-${recognition.id}-restored`)).toMatchObject({
      type: 'recognition-changed',
      change: 'restored',
      recognitionId: recognition.number,
      appealId: outcome.body.id,
    });
    // No dispatch run here: the decision, the revocation and the outcome each dispatched their event themselves.
    const feedTypes = (actor: Actor) => feedTypesOf(actor, recognition.id);
    expect(await feedTypes(demo.karim)).toEqual(['recognition.granted', 'recognition.revoked', 'recognition.restored']);
    // Another partnership, and a provider without learners there, see none of it.
    expect(await feedTypes(demo.bart)).toEqual([]);
    expect(await feedTypes(demo.pieter)).toEqual([]);
    // It holds its establishment and programme again: a new application for them cannot be submitted.
    const again = await g.filledApplication(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
    });
    expect((await g.as(demo.jan, 'POST', `/v1/applications/${again.id}/submit`, undefined, again.version)).status).toBe(409);
    expect(await taskTypesOf(demo.dirk, outcome.body.id)).toEqual([]);
    expect(await taskTypesOf(demo.sofie, created.id)).not.toContain('processRevocation');

    const sent = await drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    expect(sent.filter((m) => m.template === 'recognition-restored')).toEqual([
      expect.objectContaining({
        to: ['sofie.claes@campus-brugge.werkplekduaal.test'],
        data: { agreementId: created.id, learnerName: expect.stringContaining('Lena'), recognitionId: recognition.number },
      }),
    ]);
    const mail = sent.find((m) => m.template === 'appeal-decided');
    expect(mail!.to).toEqual(expect.arrayContaining(['beroep@megaworld.test', 'hr@onderneming.test', 'duaal@handel.werkplekduaal.test']));
    expect(mail!.data).toMatchObject({
      outcome: 'upheld',
      effect: 'recognitionsRestored',
      partnershipId: 'handel',
      recognitions: [{ id: recognition.number }],
    });
  });

  it('upheld against an exclusion: the recognitions are restored and the exclusion is lifted', async () => {
    const recognition = await recognisedByHandel(leuven, 'winkelbediende-duaal');
    const excluded = await g.ok(200, demo.els, 'POST', '/v1/exclusions', {
      level: 'establishment',
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      reasons,
      until: null,
    });
    expect(excluded.sanction.affectedRecognitions).toContain(recognition.id);
    expect((await recognitionHistory(recognition)).at(-1)).toMatchObject({ action: 'revoked', actor: els });
    const outcome = await decidedAppeal({ kind: 'sanction', sanctionId: excluded.sanction.id }, 'upheld');
    expect(outcome.status, outcome.text).toBe(200);
    for (const id of excluded.sanction.affectedRecognitions as string[])
      expect((await g.ok(200, demo.els, 'GET', `/v1/recognitions/${id}`)).status).toBe('active');
    // Handel takes new applications of the establishment again.
    const draft = await g.filledApplication(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'logistiek-medewerker-duaal',
      jointCommittee: '311',
    });
    const submitted = await g.as(demo.jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version);
    expect(submitted.body.errors?.map((e: { code: string }) => e.code) ?? []).not.toContain('establishment-excluded');
  });

  it('upheld against a mentor withdrawal: the mentor counts again and the "without mentor" task closes', async () => {
    const recognition = await recognisedByHandel(heist, 'winkelbediende-duaal');
    const mentorId = recognition.mentors[0]!.id;
    const withdrawn = await g.ok(
      200,
      demo.els,
      'POST',
      `/v1/recognitions/${recognition.id}/mentors/${mentorId}/withdraw`,
      { reasons },
      (await current(recognition)).version,
    );
    expect(await taskTypesOf(demo.karim, recognition.id)).toContain('recognitionWithoutMentor');
    expect(await outboxEvent(`${withdrawn.sanction.id}-${recognition.id}-${mentorId}`)).toMatchObject({
      type: 'mentor-withdrawn',
      recognitionId: recognition.number,
      mentorId,
      sanctionId: withdrawn.sanction.id,
      partnershipId: 'handel',
    });
    // Its only mentor withdrawn, the recognition is suspended: recorded with the withdrawal (the id the nightly job
    // would give this version) and in Handel's feed at once, without waiting for the night or the schedule.
    expect(withdrawn.recognition.mentors).toHaveLength(1);
    expect(await outboxEvent(`${recognition.id}-suspended-v${withdrawn.recognition.version}`)).toMatchObject({
      type: 'recognition-changed',
      change: 'suspended',
      recognitionId: recognition.number,
    });
    expect(await feedTypesOf(demo.karim, recognition.id)).toEqual(['recognition.granted', 'mentor.withdrawn', 'recognition.suspended']);
    const outcome = await decidedAppeal({ kind: 'sanction', sanctionId: withdrawn.sanction.id }, 'upheld');
    expect(outcome.status, outcome.text).toBe(200);
    expect((await getRecognition(env.deps, recognition.number))!.mentors.find((m) => m.id === mentorId)).toMatchObject({ active: true, withdrawn: false });
    const history = await recognitionHistory(recognition);
    expect(history.find((e) => e.action === 'mentor-withdrawn')).toMatchObject({ actor: els, after: { mentorId, sanctionId: withdrawn.sanction.id } });
    expect(history.at(-1)).toMatchObject({ action: 'restored-after-appeal', actor: dirk, after: { mentorId, active: true } });
    expect(await taskTypesOf(demo.karim, recognition.id)).not.toContain('recognitionWithoutMentor');
    const [mail] = await outcomeMail();
    expect(mail!.data).toMatchObject({ effect: 'mentorRestored', partnershipId: 'handel' });
  });

  it('upheld against a rejection: the file goes back to the partnership, which decides again', async () => {
    const submitted = await g.submitted(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: heist,
      programmeId: 'logistiek-medewerker-duaal',
      jointCommittee: '311',
    });
    const rejected = await g.decided(submitted, demo.karim, demo.els, 'notRecognised');
    const appeal = await lodge({ kind: 'decision', applicationId: rejected.id });
    expect(appeal.status, appeal.text).toBe(201);
    await g.ok(200, demo.dirk, 'POST', `/v1/appeals/${appeal.body.id}/confirm`, { admissible: true, reasons: 'Tijdig en ontvankelijk' }, 1);
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    // The committee decides a month later: the file's first 14-day term is long over.
    const decidedAt = clock.now().toISOString();
    clock.advance(30 * 86_400_000);
    const outcome = await g.as(demo.dirk, 'POST', `/v1/appeals/${appeal.body.id}/outcome`, { outcome: 'upheld', reasons: 'De beroepscommissie besliste.' }, 2);
    expect(outcome.status, outcome.text).toBe(200);
    const reopened = await g.ok(200, demo.karim, 'GET', `/v1/applications/${rejected.id}`);
    // A new term from the re-opening, on the file and on the partnership's task.
    expect(reopened.reviewClock).toMatchObject({ startedAt: clock.now().toISOString(), daysRemaining: 14, daysPaused: 0, paused: false });
    const handling = (await g.as(demo.karim, 'GET', '/v1/tasks?type=handleApplication')).body.items.find(
      (t: { subject: { id: string } }) => t.subject.id === rejected.id,
    );
    expect(handling).toMatchObject({ daysRemaining: 14, dueDate: reopened.reviewClock.deadline.slice(0, 10) });
    // The workflow's clock runs again: the re-opening's round of the review workflow waits for the day-10 reminder.
    expect(reopened.reviewRound).toBe(submitted.reviewRound + 1);
    const execution = sfn.machine.executions.get(`${rejected.id}-r${reopened.reviewRound}`);
    expect(execution?.status).toBe('RUNNING');
    clock.set(decidedAt);
    expect(reopened).toMatchObject({ status: 'underReview', decision: null, proposal: null, reopenedByAppeal: outcome.body.id });
    expect(reopened.history.at(-1)).toMatchObject({ action: 'reopened-after-appeal', before: { status: 'notRecognised' } });
    expect(await taskTypesOf(demo.karim, rejected.id)).toEqual(['handleApplication']);
    // Neither another partnership nor the enterprise may decide it.
    expect(
      (await g.as(demo.lotte, 'POST', `/v1/applications/${rejected.id}/propose`, { decision: 'recognise', reasons: 'Voorstel' }, reopened.version)).status,
    ).toBe(404);
    const [mail] = await outcomeMail();
    expect(mail!.to).toEqual(expect.arrayContaining(['beroep@megaworld.test', 'hr@onderneming.test', 'duaal@handel.werkplekduaal.test']));
    expect(mail!.data).toMatchObject({ effect: 'fileReopened', applicationId: rejected.id });

    // The partnership decides again: recognised, and the task closes.
    const proposed = await g.ok(
      200,
      demo.karim,
      'POST',
      `/v1/applications/${rejected.id}/propose`,
      { decision: 'recognise', reasons: 'Na beroep' },
      reopened.version,
    );
    const decided = await g.ok(
      200,
      demo.els,
      'POST',
      `/v1/applications/${rejected.id}/decide`,
      { decision: 'recognised', reasons: 'Na beroep' },
      proposed.version,
    );
    expect(decided.status).toBe('recognised');
    expect(await taskTypesOf(demo.karim, rejected.id)).toEqual([]);
  });

  it('rejected: nothing changes, and the enterprise and the partnership are told', async () => {
    const recognition = await recognisedByHandel(hasselt, 'verkoper-duaal');
    const revoked = await g.ok(200, demo.els, 'POST', `/v1/recognitions/${recognition.id}/revoke`, { reasons }, (await current(recognition)).version);
    const before = (await getRecognition(env.deps, recognition.number))!;
    const outcome = await decidedAppeal({ kind: 'sanction', sanctionId: revoked.sanction.id }, 'rejected');
    expect(outcome.body.status).toBe('rejected');
    expect(await getRecognition(env.deps, recognition.number)).toEqual(before);
    const [mail] = await outcomeMail();
    expect(mail!.to).toEqual(expect.arrayContaining(['beroep@megaworld.test', 'duaal@handel.werkplekduaal.test']));
    expect(mail!.data).toMatchObject({ outcome: 'rejected', effect: 'none', recognitions: [] });
  });
});

describe('a restored recognition asks for its renewal again', () => {
  const renewalOf = async (r: Named) => (await taskTypesOf(demo.jan, r.id)).filter((t) => t === 'renewRecognition');
  const revokedAndRestored = async (r: Named) => {
    const revoked = await g.ok(200, demo.els, 'POST', `/v1/recognitions/${r.id}/revoke`, { reasons }, (await current(r)).version);
    // The revocation's event closes the enterprise's tasks of the recognition (functions/agreements/events-consumer.ts).
    await drainDomainEvents(env);
    expect(await renewalOf(r)).toEqual([]);
    const outcome = await decidedAppeal({ kind: 'sanction', sanctionId: revoked.sanction.id }, 'upheld');
    expect(outcome.status, outcome.text).toBe(200);
  };

  it('within its last 180 days at once, before them from the daily job on the first day of the window', async () => {
    const early = await recognisedByHandel(hasselt, 'winkelbediende-duaal');
    const late = await recognisedByHandel(hasselt, 'logistiek-medewerker-duaal');
    const { endDate } = (await getRecognition(env.deps, early.number))!;
    const before = clock.now().toISOString();

    // Revoked and restored long before the window: no renewal task yet, and the daily job opens it on its day.
    await revokedAndRestored(early);
    const windowOpens = isoDay(endDate, -180);
    clock.set(`${windowOpens}T05:00:00.000Z`);
    await createDailyJob(env.deps)({ today: windowOpens });
    expect(await renewalOf(early)).toEqual(['renewRecognition']);
    expect(await renewalOf(late)).toEqual(['renewRecognition']);

    // Revoked in the window (the revocation closes the task) and restored: the task is back at once.
    clock.set(`${isoDay(windowOpens, 10)}T08:00:00.000Z`);
    await revokedAndRestored(late);
    expect(await renewalOf(late)).toEqual(['renewRecognition']);
    clock.set(before);
  }, 120_000);
});

function isoDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
