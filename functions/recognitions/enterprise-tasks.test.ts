// The enterprise's dashboard (`GET /v1/tasks` as the enterprise), in-process over every route table with real
// tokens (createTestApi; a scenario through the local stage would run the same calls much slower): each task
// appears at the step that asks for it and closes with the action that does it, and a user of another enterprise
// never sees one. "Vervolledig uw erkenningsaanvraag" from a completion request to the resubmission (and on the
// file, blockingProblems with the days left); "Vrije plaatsen instellen" from a recognition to the PUT
// availability, or its end; the renewal task until the renewal is submitted, or the recognition ends; a mentor's
// training task until the training is reported or the mentor withdrawn; "Addendum ondertekenen" until the signed
// addendum is registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftBody, registeredAgreement } from '../../infra/local/testing/agreement-fixtures.ts';
import type { TestApi } from '../../infra/local/testing/api.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import { drainDomainEvents } from '../../infra/local/testing/domain-events.ts';
import { drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type given } from '../../infra/local/testing/given.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import type { TaskType } from '../../shared/domain/tasks.ts';
import { createDailyJob } from './daily.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let sfn: TestStepFunctions;
let api: TestApi;
let g: ReturnType<typeof given>;
const mega = '0417390703';
const heist = '2.123.456.791';
const leuven = '2.200.000.382';

type DashboardTask = {
  id: string;
  type: TaskType;
  organisationKey: string;
  roles: string[];
  subject: { kind: string; id: string; label: string };
  dueDate: string | null;
  daysRemaining: number | null;
  link: string;
};

beforeAll(async () => {
  ({ env, sfn, api, g } = await createApiWorld(clock));
}, 60_000);

afterAll(async () => sfn?.close());

/** A werkplekduaal user (not the legal representative) of Mega World. */
async function megaUser() {
  const token = await api.issuer.sign({ sub: 'mega-user', name: 'Mega Medewerker', organisations: [{ type: 'enterprise', id: mega, roles: ['user'] }] });
  return { get: (path: string) => api.call({ method: 'GET', path, token, organisation: `enterprise:${mega}` }) };
}

const dashboard = async (actor: typeof demo.jan) => (await g.ok(200, actor, 'GET', '/v1/tasks?limit=100')).items as DashboardTask[];
const ofType = async (actor: typeof demo.jan, type: TaskType) => (await dashboard(actor)).filter((t) => t.type === type);

/** The file's remaining steps to a recognition, by the consultant and the voting member of Handel. */
async function recognise(file: { id: string; version: number }) {
  return (await g.decided(file, demo.karim, demo.els, 'recognised', '2026-11-15')).recognition as {
    id: string;
    number: string;
    version: number;
    endDate: string;
    mentors: { id: string; trainingDeadline: string | null }[];
  };
}

describe("the enterprise's dashboard", () => {
  const made = {} as { fileId: string; recognition: Awaited<ReturnType<typeof recognise>> };

  it('shows "Vervolledig uw erkenningsaanvraag" with the days left from the completion request to the resubmission', async () => {
    const submitted = await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber: heist, programmeId: 'verkoper-duaal', jointCommittee: '311' });
    made.fileId = submitted.id;
    expect(await ofType(demo.jan, 'completeApplication')).toEqual([]);
    // The partnership's completeness task names the programme and the establishment, not their ids.
    const [check] = (await dashboard(demo.karim)).filter((t) => t.type === 'checkCompleteness' && t.subject.id === submitted.id);
    expect(check!.subject.label).toMatch(/^Verkoper duaal, vestiging /);
    expect(check!.subject.label).not.toContain('verkoper-duaal');

    clock.set('2026-11-05T08:00:00.000Z');
    const message = 'Voeg het uittreksel uit het strafregister van de tweede mentor toe.';
    const incomplete = await g.ok(200, demo.karim, 'POST', `/v1/applications/${submitted.id}/request-completion`, { message }, submitted.version);
    const [task] = await ofType(demo.jan, 'completeApplication');
    expect(task).toMatchObject({
      organisationKey: `enterprise:${mega}`,
      roles: ['legalRepresentative', 'user'],
      subject: { kind: 'application', id: submitted.id },
      dueDate: '2026-11-19',
      daysRemaining: 14,
      link: `/v1/applications/${submitted.id}`,
    });
    expect(task!.subject.label).toMatch(/^Verkoper duaal, vestiging /);
    // Both enterprise roles see it; the partnership and another enterprise do not.
    expect(((await (await megaUser()).get('/v1/tasks')).body.items as DashboardTask[]).map((t) => t.type)).toContain('completeApplication');
    expect((await dashboard(demo.karim)).map((t) => t.type)).not.toContain('completeApplication');
    expect(await dashboard(demo.an)).toEqual([]);
    expect((await g.as(demo.an, 'GET', `/v1/applications/${submitted.id}`)).status).toBe(404);

    // The file says what blocks it: the completion request with its message and the days left.
    clock.set('2026-11-09T08:00:00.000Z');
    const file = await g.ok(200, demo.jan, 'GET', `/v1/applications/${submitted.id}`);
    expect(file.blockingProblems[0]).toEqual({
      code: 'completion-requested',
      pointer: '/completionRequest',
      detail: expect.stringContaining(message),
      dueDate: '2026-11-19',
      daysRemaining: 10,
    });
    expect(file.blockingProblems[0].detail).toContain('nog 10 dagen');

    // Resubmitting closes it; the resubmitted file has nothing blocking.
    const resubmitted = await g.ok(200, demo.jan, 'POST', `/v1/applications/${submitted.id}/submit`, undefined, incomplete.version);
    expect(await ofType(demo.jan, 'completeApplication')).toEqual([]);
    expect((await g.ok(200, demo.jan, 'GET', `/v1/applications/${submitted.id}`)).blockingProblems).toEqual([]);
    made.recognition = await recognise(resubmitted);
  }, 120_000);

  it('asks for the free places of a new recognition until the enterprise sets them', async () => {
    const r = made.recognition;
    const [task] = await ofType(demo.jan, 'setAvailability');
    expect(task).toMatchObject({
      id: `availability:${r.number}`,
      roles: ['legalRepresentative', 'user'],
      subject: { kind: 'recognition', id: r.id },
      link: `/v1/recognitions/${r.id}`,
    });
    expect(task!.subject.label).toContain(`erkenning ${r.number}`);
    expect(task!.subject.label).toMatch(/^Verkoper duaal, vestiging /);
    expect(await dashboard(demo.an)).toEqual([]);
    // Another enterprise cannot set them, and its attempt closes nothing.
    expect((await g.as(demo.an, 'PUT', `/v1/recognitions/${r.id}/availability`, { placeAvailable: true }, r.version)).status).toBeGreaterThanOrEqual(403);
    expect(await ofType(demo.jan, 'setAvailability')).toHaveLength(1);
    // "No place free" is an answer too: the task closes either way.
    const set = await g.ok(200, demo.jan, 'PUT', `/v1/recognitions/${r.id}/availability`, { placeAvailable: false }, r.version);
    expect(await ofType(demo.jan, 'setAvailability')).toEqual([]);
    made.recognition = { ...r, version: set.version };
  });

  it('asks the legal representative to sign an addendum until the signed addendum is registered', async () => {
    // Before the daily jobs below end the recognition.
    const r = made.recognition;
    const created = await registeredAgreement(g, demo.sofie, draftBody(r.mentors[0]!.id));
    let agreement = created;
    agreement = await g.ok(200, demo.sofie, 'POST', `/v1/agreements/${created.id}/amendments`, { kind: 'endDate', endDate: '2028-05-31' }, agreement.version);
    const [task] = await ofType(demo.jan, 'signAddendum');
    expect(task).toMatchObject({
      roles: ['legalRepresentative'],
      subject: { kind: 'agreement', id: created.id },
      link: `/v1/agreements/${created.id}/addenda/1`,
    });
    // The werkplekduaal user does not sign for the enterprise; another enterprise sees nothing.
    expect(((await (await megaUser()).get('/v1/tasks')).body.items as DashboardTask[]).map((t) => t.type)).not.toContain('signAddendum');
    expect(await dashboard(demo.an)).toEqual([]);
    const signed = await g.verifiedDocument(demo.sofie, 'addendum');
    await g.ok(200, demo.sofie, 'POST', `/v1/agreements/${created.id}/addenda/1/register`, { signedDocumentId: signed }, agreement.version);
    expect(await ofType(demo.jan, 'signAddendum')).toEqual([]);
  }, 120_000);

  it('keeps the renewal task until the renewal is submitted, and the training task until the training is reported', async () => {
    const r = made.recognition;
    const job = createDailyJob(env.deps);
    const mentor = r.mentors[0]!;
    expect(mentor.trainingDeadline).not.toBeNull();
    // 30 days before the training deadline, and in the last 180 days of the recognition.
    await job({ today: addDays(mentor.trainingDeadline!, -20) });
    expect(await ofType(demo.jan, 'finishMentorTraining')).toHaveLength(1);
    const current = await g.ok(200, demo.jan, 'GET', `/v1/recognitions/${r.id}`);
    await g.ok(
      200,
      demo.jan,
      'POST',
      `/v1/recognitions/${r.id}/mentors/${mentor.id}/change`,
      { action: 'training', completedOn: '2027-09-01', exempted: false },
      current.version,
    );
    expect(await ofType(demo.jan, 'finishMentorTraining')).toEqual([]);

    await job({ today: addDays(r.endDate, -100) });
    clock.set(`${addDays(r.endDate, -99)}T08:00:00.000Z`);
    expect(await ofType(demo.jan, 'renewRecognition')).toHaveLength(1);
    expect(await dashboard(demo.an)).toEqual([]);
    const own = await g.ok(200, demo.jan, 'GET', `/v1/recognitions/${r.id}`);
    const renewal = await g.ok(201, demo.jan, 'POST', `/v1/recognitions/${r.id}/renew`, undefined, own.version);
    // A draft renews nothing: the task stays until the renewal is submitted.
    expect(await ofType(demo.jan, 'renewRecognition')).toHaveLength(1);
    const extract = await g.verifiedDocument(demo.jan, 'criminalRecordExtract');
    const draft = await g.ok(200, demo.jan, 'GET', `/v1/applications/${renewal.id}`);
    const filled = await g.ok(
      200,
      demo.jan,
      'PUT',
      `/v1/applications/${renewal.id}`,
      {
        criteria: draft.criteria,
        mentors: draft.mentors.map((m: { name: string; yearsOfExperience: number }) => ({
          name: m.name,
          nationalNumber: '80.01.01-001.07',
          yearsOfExperience: m.yearsOfExperience,
          proofDocumentId: null,
          criminalRecordExtract: { documentId: extract, issuedOn: addDays(r.endDate, -120) },
        })),
        documents: draft.documents,
        bankAccount: draft.bankAccount,
      },
      draft.version,
    );
    await g.ok(200, demo.jan, 'POST', `/v1/applications/${renewal.id}/submit`, undefined, filled.version);
    expect(await ofType(demo.jan, 'renewRecognition')).toEqual([]);
  }, 120_000);

  it('closes the free places, renewal and training tasks of a recognition that is revoked or expires', async () => {
    clock.set('2026-11-20T08:00:00.000Z');
    const leuvenFile = await g.submitted(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
    });
    const revoked = await recognise(leuvenFile);
    const expiring = await recognise(await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber: leuven, programmeId: 'winkelbediende-duaal' }));
    const open = async (recognitionId: string) => (await dashboard(demo.jan)).filter((t) => t.subject.id === recognitionId).map((t) => t.type);
    expect(await open(revoked.id)).toEqual(['setAvailability']);
    // Revoked by the partnership: the revocation event closes what the recognition still asked of the enterprise.
    const current = await g.ok(200, demo.els, 'GET', `/v1/recognitions/${revoked.id}`);
    await g.ok(200, demo.els, 'POST', `/v1/recognitions/${revoked.id}/revoke`, { reasons: 'Na begeleiding blijven de problemen bestaan.' }, current.version);
    await drainDomainEvents(env);
    expect(await open(revoked.id)).toEqual([]);

    // Expired: the daily job past the end date closes the renewal and free-places tasks it had.
    const job = createDailyJob(env.deps);
    await job({ today: addDays(expiring.endDate, -10) });
    expect((await open(expiring.id)).sort()).toEqual(['renewRecognition', 'setAvailability']);
    expect((await job({ today: addDays(expiring.endDate, 1) })).expired).toBeGreaterThanOrEqual(1);
    expect(await open(expiring.id)).toEqual([]);
  }, 120_000);

  it("closes a mentor's training task when the partnership withdraws the mentor", async () => {
    clock.set('2026-11-25T08:00:00.000Z');
    const r = await recognise(await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber: heist, programmeId: 'winkelbediende-duaal' }));
    await createDailyJob(env.deps)({ today: addDays(r.mentors[0]!.trainingDeadline!, -20) });
    const training = (await ofType(demo.jan, 'finishMentorTraining')).filter((t) => t.subject.id === r.id);
    expect(training).toHaveLength(1);
    const current = await g.ok(200, demo.els, 'GET', `/v1/recognitions/${r.id}`);
    await g.ok(
      200,
      demo.els,
      'POST',
      `/v1/recognitions/${r.id}/mentors/${r.mentors[0]!.id}/withdraw`,
      { reasons: 'De mentor is niet meer bereikbaar.' },
      current.version,
    );
    expect((await ofType(demo.jan, 'finishMentorTraining')).filter((t) => t.subject.id === r.id)).toEqual([]);
  }, 120_000);

  it('e-mails the enterprise an acknowledgement of every submission', async () => {
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    const submitted = await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber: leuven, programmeId: 'kinderbegeleider-duaal' });
    const sent: { id: string; template: string; to: string[]; data: Record<string, unknown> }[] = [];
    for (let i = 0; i < 200 && !sent.some((m) => m.template === 'application-received'); i++) {
      sent.push(...(await drainQueue<(typeof sent)[number]>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const received = sent.find((m) => m.template === 'application-received');
    expect(received).toMatchObject({
      id: `${submitted.id}-r1-received`,
      to: submitted.contactEmails,
      data: { applicationId: submitted.id, partnershipId: submitted.partnershipId, round: 1 },
    });
  }, 60_000);
});

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
