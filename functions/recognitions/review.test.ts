// Recognition applications against the emulators, with the review state machine's ASL executed locally:
// draft, everything missing listed at once, submit, completion requested and resubmitted, decision; an overdue
// file with its day-10 reminder and day-14 escalation; parallel submits; who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import type { TestEnvironment } from '../../infra/local/testing/environment.ts';
import type { TestApi } from '../../infra/local/testing/api.ts';
import { createReviewWorld, until, type ReviewWorld } from './review.fixtures.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { demo } from '../../infra/local/testing/given.ts';
import { createDailyJob } from './daily.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;
let sfn: TestStepFunctions;

const { jan, karim, els, lotte, sofie, dirk, an } = demo;
let as: ReviewWorld['as'];
let verifiedDocument: ReviewWorld['verifiedDocument'];
let mails: ReviewWorld['mails'];
let filledDraft: ReviewWorld['filledDraft'];
const completeDraft = (establishmentNumber: string) => filledDraft(jan, establishmentNumber);

beforeAll(async () => {
  ({ env, sfn, api, as, verifiedDocument, mails, filledDraft } = await createReviewWorld(clock));
});

afterAll(async () => sfn?.close());

describe('recognition application review', () => {
  it('lists everything that blocks a submission at once', async () => {
    const draft = await as(jan, 'POST', '/v1/applications', {
      enterpriseNumber: '0417390703',
      establishmentNumber: '2.199.988.803',
      programmeId: 'verkoper-duaal',
      contactEmail: 'hr@megaworld.test',
    });
    expect(draft.status).toBe(201);
    const young = await as(
      jan,
      'PUT',
      `/v1/applications/${draft.body.id}`,
      {
        criteria: { financialCapacity: true, organisationAndEquipment: false, noConvictions: true, commitments: true },
        mentors: [{ name: 'Jonge Mentor', nationalNumber: '03.01.01-001.68', yearsOfExperience: 2, proofDocumentId: null, criminalRecordExtract: null }],
        documents: [],
        bankAccount: null,
      },
      1,
    );
    expect(young.status, young.text).toBe(200);
    expect(young.body.mentors[0].nationalNumber).toBe('03.01.01-***.**');
    const submitted = await as(jan, 'POST', `/v1/applications/${draft.body.id}/submit`, undefined, young.body.version);
    expect(submitted.status).toBe(422);
    expect(submitted.body.errors.map((e: { code: string }) => e.code).sort()).toEqual([
      'criterion-not-confirmed',
      'establishment-outside-region',
      'extract-missing',
      'mentor-experience-too-short',
      'mentor-too-young',
    ]);
  });

  it('runs a file through completion, resubmission and decision, with the partnership e-mailed and the enterprise notified', async () => {
    await mails();
    const draft = await completeDraft('2.123.456.791');
    const submitted = await as(jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version);
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', partnershipId: 'handel', reviewRound: 1 });
    // The partnership is told, and the enterprise (at the file's contact addresses) gets an acknowledgement.
    const first: Awaited<ReturnType<typeof mails>> = [];
    await until(
      async () => first.push(...(await mails())),
      () => first.length >= 2,
    );
    expect(first.map((m) => [m.template, m.to])).toEqual([
      ['application-submitted', ['duaal@handel.werkplekduaal.test']],
      ['application-received', submitted.body.contactEmails],
    ]);

    // Another partnership does not see the file; the competent one does, with the full national number.
    expect((await as(lotte, 'GET', `/v1/applications/${draft.id}`)).status).toBe(404);
    const seen = await as(karim, 'GET', `/v1/applications/${draft.id}`);
    expect(seen.body.mentors[0].nationalNumber).toBe('80.01.01-001.07');
    expect((await as(karim, 'GET', '/v1/applications?status=submitted')).body.items.map((a: { id: string }) => a.id)).toContain(draft.id);

    clock.set('2026-11-05T08:00:00.000Z');
    const incomplete = await as(
      karim,
      'POST',
      `/v1/applications/${draft.id}/request-completion`,
      { message: 'Graag het uittreksel van de tweede mentor.' },
      seen.body.version,
    );
    expect(incomplete.status, incomplete.text).toBe(200);
    expect((await mails()).map((m) => m.template)).toEqual(['completion-requested']);

    clock.set('2026-11-07T08:00:00.000Z');
    const resubmitted = await as(jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, incomplete.body.version);
    expect(resubmitted.body).toMatchObject({ status: 'submitted', reviewRound: 2, clockStartedAt: '2026-11-07T08:00:00.000Z' });

    // Round 1's clock would have reminded on 12 November; that round is over, so nothing is sent.
    clock.set('2026-11-12T09:00:00.000Z');
    await until(
      async () => sfn.machine.executions.get(`${draft.id}-r1`)?.status,
      (s) => s === 'SUCCEEDED',
    );
    let version = resubmitted.body.version;
    for (const action of ['mark-complete', 'start-review']) {
      const res = await as(karim, 'POST', `/v1/applications/${draft.id}/${action}`, undefined, version);
      expect(res.status, res.text).toBe(200);
      version = res.body.version;
    }
    expect((await as(els, 'POST', `/v1/applications/${draft.id}/decide`, { decision: 'recognised', reasons: 'In orde' }, version)).body.code).toBe(
      'proposal-required',
    );
    expect((await as(karim, 'POST', `/v1/applications/${draft.id}/decide`, { decision: 'recognised', reasons: 'In orde' }, version)).status).toBe(403);
    const proposed = await as(karim, 'POST', `/v1/applications/${draft.id}/propose`, { decision: 'recognise', reasons: 'Werkplek en mentor in orde' }, version);
    const decided = await as(
      els,
      'POST',
      `/v1/applications/${draft.id}/decide`,
      { decision: 'recognised', reasons: 'Werkplek en mentor in orde', startDate: '2026-11-15' },
      proposed.body.version,
    );
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.recognition).toMatchObject({
      id: expect.stringMatching(/^E-20261112-\d{6}$/),
      number: expect.stringMatching(/^E\/20261112\/\d{6}$/),
      startDate: '2026-11-15',
      endDate: '2031-11-14',
      status: 'active',
    });

    clock.set('2026-11-30T08:00:00.000Z');
    await until(
      async () => sfn.machine.executions.get(`${draft.id}-r2`)?.status,
      (s) => s === 'SUCCEEDED',
    );
    const sent = (await mails()).map((m) => m.template);
    expect(sent.filter((t) => t === 'application-submitted')).toHaveLength(1);
    // The resubmission (round 2) is acknowledged too.
    expect(sent.filter((t) => t === 'application-received')).toHaveLength(1);
    expect(sent).toContain('decision');
    expect(sent).not.toContain('review-reminder');

    const history = (await as(jan, 'GET', `/v1/applications/${draft.id}`)).body.history.map((h: { action: string }) => h.action);
    expect(history).toEqual(['created', 'updated', 'submitted', 'request-completion', 'resubmitted', 'mark-complete', 'start-review', 'proposed', 'decided']);

    const check = await as(sofie, 'GET', '/v1/recognitions?establishment=2123456791&programme=verkoper-duaal&onDate=2027-01-10');
    expect(check.body.items).toHaveLength(1);
    expect((await as(sofie, 'GET', '/v1/recognitions?establishment=2123456791&programme=verkoper-duaal&onDate=2031-11-15')).body.items).toHaveLength(0);

    // The enterprise marks a free place; anyone (no token) then finds the workplace, without personal data.
    const recognitionPath = `/v1/recognitions/${decided.body.recognition.id.replace(/\//g, '-')}/availability`;
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?programme=verkoper-duaal' })).body.items).toEqual([]);
    expect((await as(karim, 'PUT', recognitionPath, { placeAvailable: true }, 1)).status).toBe(403);
    const available = await as(jan, 'PUT', recognitionPath, { placeAvailable: true }, 1);
    expect(available.status, available.text).toBe(200);
    const found = await api.call({ method: 'GET', path: '/v1/workplaces?programme=verkoper-duaal&postcode=2220' });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      expect.objectContaining({
        establishmentNumber: '2.123.456.791',
        name: 'Mega World Heist',
        postcode: '2220',
        municipality: 'Heist-op-den-Berg',
        programme: 'Verkoper duaal',
      }),
    ]);
    expect(JSON.stringify(found.body)).not.toContain('Mieke');
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?sector=handel&postcode=2200&area=true' })).body.items).toHaveLength(1);
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?programme=verkoper-duaal&postcode=9000' })).body.items).toHaveLength(0);
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?postcode=2220' })).status).toBe(400);
    await as(jan, 'PUT', recognitionPath, { placeAvailable: false }, 2);
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?programme=verkoper-duaal' })).body.items).toEqual([]);

    // The establishment and programme now have an active recognition: a new application cannot be submitted.
    const again = await completeDraft('2.123.456.791');
    const refused = await as(jan, 'POST', `/v1/applications/${again.id}/submit`, undefined, again.version);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('already-open-or-recognised');
  });

  it('reminds the partnership on day 10 and escalates an overdue file on day 14', async () => {
    clock.set('2026-12-01T08:00:00.000Z');
    await mails();
    const draft = await completeDraft('2.300.000.157');
    await as(jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version);
    await until(mails, (m) => m.length > 0);
    clock.set('2026-12-11T08:00:00.000Z');
    const reminder = await until(mails, (m) => m.length > 0);
    expect(reminder.map((m) => m.template)).toEqual(['review-reminder']);
    clock.set('2026-12-15T08:00:00.000Z');
    const overdue = await until(mails, (m) => m.length > 0);
    expect(overdue).toEqual([
      expect.objectContaining({ template: 'review-overdue', to: ['duaal@handel.werkplekduaal.test', 'werkplekduaal@werkplekduaal.test'] }),
    ]);
    await until(
      async () => sfn.machine.executions.get(`${draft.id}-r1`)?.status,
      (s) => s === 'SUCCEEDED',
    );
    expect((await as(karim, 'GET', `/v1/applications/${draft.id}`)).body).toMatchObject({ overdue: true, escalatedAt: '2026-12-15T08:00:00.000Z' });
  });

  it('two parallel submits for the same establishment and programme leave exactly one open application', async () => {
    const [a, b] = await Promise.all([completeDraft('2.200.000.184'), completeDraft('2.200.000.184')]);
    const results = await Promise.all([
      as(jan, 'POST', `/v1/applications/${a.id}/submit`, undefined, a.version),
      as(jan, 'POST', `/v1/applications/${b.id}/submit`, undefined, b.version),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('a counsellor files only with a mandate; other enterprises and partnerships see nothing', async () => {
    const body = {
      enterpriseNumber: '0417390703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'winkelbediende-duaal',
      contactEmail: 'hr@megaworld.test',
    };
    const refused = await as(sofie, 'POST', '/v1/applications', body);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('mandate-required');
    const mandateDocument = await verifiedDocument(sofie, 'mandate');
    expect(
      (await as(sofie, 'POST', '/v1/mandates', { enterpriseNumber: '0417390703', documentId: mandateDocument, enterpriseEmail: 'info@megaworld.test' })).status,
    ).toBe(201);
    const filed = await as(sofie, 'POST', '/v1/applications', body);
    expect(filed.status).toBe(201);
    expect(filed.body.filedBy).toMatchObject({ role: 'counsellor', providerId: 'campus-brugge' });
    // The enterprise hears of every file filed in its name, at the address of the mandate.
    expect(filed.body.contactEmails).toContain('info@megaworld.test');
    expect((await as(an, 'GET', `/v1/applications/${filed.body.id}`)).status).toBe(404);
    expect((await as(karim, 'GET', `/v1/applications/${filed.body.id}`)).status).toBe(404);
    expect((await as(jan, 'GET', `/v1/applications/${filed.body.id}`)).status).toBe(200);
    const otherEnterprise = await as(an, 'POST', '/v1/applications', body);
    expect(otherEnterprise.status).toBe(403);
  });

  it('the daily job opens renewal tasks 180 days before the end, deletes extracts 60 days after the decision, and renewal reuses the file', async () => {
    const job = createDailyJob(env.deps);
    // The recognition of the first scenario runs until 2031-11-14.
    const [recognition] = (await as(sofie, 'GET', '/v1/recognitions?establishment=2123456791&programme=verkoper-duaal')).body.items;
    expect(recognition.endDate).toBe('2031-11-14');
    expect((await job({ today: '2031-05-16' })).renewalTasks).toBe(0);
    const run = await job({ today: '2031-05-18' });
    expect(run.renewalTasks).toBe(1);
    expect((await job({ today: '2031-05-18' })).renewalTasks).toBe(0);
    clock.set('2031-05-20T08:00:00.000Z');
    const renewal = (await as(jan, 'GET', '/v1/tasks')).body.items.find((t: { type: string }) => t.type === 'renewRecognition');
    expect(renewal).toMatchObject({
      title: 'Beslissen hernieuwing erkenning',
      daysRemaining: 178,
      subject: { id: recognition.id, label: expect.stringContaining(`Erkenning: ${recognition.number}`) },
    });

    const own = (await as(jan, 'GET', '/v1/recognitions?establishment=2123456791&programme=verkoper-duaal')).body.items[0];
    const renewed = await as(jan, 'POST', `/v1/recognitions/${recognition.id.replace(/\//g, '-')}/renew`, undefined, own.version);
    expect(renewed.status, renewed.text).toBe(201);
    expect(renewed.body).toMatchObject({ kind: 'renewal', renewsRecognitionId: recognition.id, status: 'draft', programmeId: 'verkoper-duaal' });
    expect(renewed.body.mentors[0]).toMatchObject({ name: 'Mieke Mentor', criminalRecordExtract: null });
    // A renewal draft renews nothing yet: the task stays until the renewal is submitted (enterprise-tasks.test.ts).
    expect((await as(jan, 'GET', '/v1/tasks')).body.items.map((t: { type: string }) => t.type)).toContain('renewRecognition');

    // Extracts of the first scenario's file (decided on 2026-11-12) are deleted on 2027-01-11.
    const application = (await as(jan, 'GET', `/v1/applications?limit=100`)).body.items.find(
      (a: { decision: { recognitionId: string } | null }) => a.decision?.recognitionId === recognition.id,
    );
    const extractId = (await as(karim, 'GET', `/v1/applications/${application.id}`)).body.mentors[0].criminalRecordExtract.documentId;
    expect((await job({ today: '2027-01-10' })).extractsDeleted).toBe(0);
    expect((await job({ today: '2027-01-11' })).extractsDeleted).toBeGreaterThanOrEqual(1);
    const after = await as(karim, 'GET', `/v1/applications/${application.id}`);
    // Retention: the extract is gone and even the partnership now sees the mentor's national number masked.
    expect(after.body.mentors[0]).toMatchObject({
      criminalRecordExtract: null,
      extractCheckedOn: '2026-11-12',
      nationalNumber: '80.01.01-***.**',
      nationalNumberErased: true,
    });
    expect((await as(jan, 'GET', `/v1/documents/${extractId}`)).status).toBe(404);
    expect((await job({ today: '2027-01-11' })).extractsDeleted).toBe(0);
    clock.set('2026-12-15T08:00:00.000Z');
  });

  it('mentors after the recognition: added with the same checks and approved, deactivated and reactivated, training tracked', async () => {
    const file = await decided('2.200.000.580', 'recognised');
    const recognition = file.recognition;
    const path = `/v1/recognitions/${recognition.id.replace(/\//g, '-')}`;
    expect(recognition.mentors[0].trainingDeadline).toBe('2027-12-15');
    const extract = await verifiedDocument(jan, 'criminalRecordExtract');
    const young = await as(
      jan,
      'POST',
      `${path}/mentors`,
      {
        name: 'Te Jong',
        nationalNumber: '03.01.01-001.68',
        yearsOfExperience: 1,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: extract, issuedOn: '2026-12-01' },
      },
      1,
    );
    expect(young.status).toBe(422);
    expect(young.body.errors.map((e: { code: string }) => e.code).sort()).toEqual(['mentor-experience-too-short', 'mentor-too-young']);
    const requested = await as(
      jan,
      'POST',
      `${path}/mentors`,
      {
        name: 'Tweede Mentor',
        // Another person than Mieke Mentor (80.01.01-001.07), who mentors at the enterprise's other recognitions:
        // the same number would make them one person, with one training and its earliest deadline.
        nationalNumber: '80.01.01-002.06',
        yearsOfExperience: 8,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: extract, issuedOn: '2026-12-01' },
      },
      1,
    );
    expect(requested.status, requested.text).toBe(202);
    const pendingId = requested.body.pendingMentors[0].id;
    expect((await as(jan, 'POST', `${path}/mentors/${pendingId}/approve`, undefined, 2)).status).toBe(403);
    const approved = await as(karim, 'POST', `${path}/mentors/${pendingId}/approve`, undefined, 2);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.mentors).toHaveLength(2);
    const off = await as(jan, 'POST', `${path}/mentors/${pendingId}/change`, { action: 'deactivate' }, 3);
    expect(off.body.mentors[1].active).toBe(false);
    const on = await as(jan, 'POST', `${path}/mentors/${pendingId}/change`, { action: 'reactivate' }, 4);
    expect(on.body.mentors[1].active).toBe(true);

    const job = createDailyJob(env.deps);
    const firstMentor = recognition.mentors[0].id;
    const trainingTasks = async () =>
      (await as(jan, 'GET', '/v1/tasks?limit=100')).body.items.filter(
        (t: { type: string; subject: { id: string } }) => t.type === 'finishMentorTraining' && t.subject.id === recognition.id,
      );
    await job({ today: '2027-11-14' });
    expect(await trainingTasks()).toHaveLength(0);
    await job({ today: '2027-11-15' });
    // Both mentors: the first from the recognition, the second approved the same day.
    expect((await trainingTasks()).map((t: { dueDate: string }) => t.dueDate)).toEqual(['2027-12-15', '2027-12-15']);
    const reported = await as(jan, 'POST', `${path}/mentors/${firstMentor}/change`, { action: 'training', completedOn: '2027-11-20', exempted: false }, 5);
    expect(reported.status, reported.text).toBe(200);
    expect((await trainingTasks()).filter((t: { link: string }) => t.link.includes(firstMentor))).toHaveLength(0);
    expect(await trainingTasks()).toHaveLength(1);
  });

  async function decided(establishmentNumber: string, decision: 'recognised' | 'notRecognised') {
    const draft = await completeDraft(establishmentNumber);
    let version = (await as(jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version)).body.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await as(karim, 'POST', `/v1/applications/${draft.id}/${action}`, undefined, version)).body.version;
    version = (
      await as(
        karim,
        'POST',
        `/v1/applications/${draft.id}/propose`,
        { decision: decision === 'recognised' ? 'recognise' : 'reject', reasons: 'Motivering van het voorstel' },
        version,
      )
    ).body.version;
    const res = await as(els, 'POST', `/v1/applications/${draft.id}/decide`, { decision, reasons: 'Motivering van de beslissing' }, version);
    expect(res.status, res.text).toBe(200);
    return res.body;
  }

  it('sanctions: a withdrawn last mentor becomes a partnership task; a revocation is recorded, e-mailed and ends the search listing', async () => {
    await mails();
    const file = await decided('2.200.000.382', 'recognised');
    const recognition = file.recognition;
    const path = recognition.id.replace(/\//g, '-');
    expect((await as(karim, 'POST', `/v1/recognitions/${path}/revoke`, { reasons: 'Geen consulent maar beheerder nodig' })).status).toBe(403);
    const withdrawn = await as(
      els,
      'POST',
      `/v1/recognitions/${path}/mentors/${recognition.mentors[0].id}/withdraw`,
      { reasons: 'Mentor voldoet niet meer' },
      1,
    );
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const tasks = await as(els, 'GET', '/v1/tasks');
    // Earlier files' tasks (the overdue one) are on this dashboard too.
    expect(tasks.body.items.map((t: { type: string }) => t.type)).toContain('reviewOverdue');
    expect(tasks.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'recognitionWithoutMentor',
          title: 'Erkenning zonder geldige mentor behandelen',
          subject: expect.objectContaining({ id: recognition.id }),
        }),
      ]),
    );
    expect((await as(lotte, 'GET', '/v1/tasks')).body.items).toEqual([]);

    const available = await as(jan, 'PUT', `/v1/recognitions/${path}/availability`, { placeAvailable: true }, withdrawn.body.recognition.version);
    expect(available.status).toBe(200);
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?programme=verkoper-duaal&postcode=3000' })).body.items).toHaveLength(1);
    // A revocation acts on the version the administrator read, like every change of a recognition.
    expect((await as(els, 'POST', `/v1/recognitions/${path}/revoke`, { reasons: 'Herhaalde tekortkomingen na begeleiding' })).status).toBe(428);
    const stale = await as(
      els,
      'POST',
      `/v1/recognitions/${path}/revoke`,
      { reasons: 'Herhaalde tekortkomingen na begeleiding' },
      withdrawn.body.recognition.version,
    );
    expect([stale.status, stale.body.code]).toEqual([412, 'version-conflict']);
    const revoked = await as(els, 'POST', `/v1/recognitions/${path}/revoke`, { reasons: 'Herhaalde tekortkomingen na begeleiding' }, available.body.version);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.recognition).toMatchObject({ status: 'revoked', placeAvailable: false });
    expect((await api.call({ method: 'GET', path: '/v1/workplaces?programme=verkoper-duaal&postcode=3000' })).body.items).toHaveLength(0);
    expect((await as(sofie, 'GET', `/v1/recognitions?establishment=2200000382&programme=verkoper-duaal&onDate=2026-12-20`)).body.items).toHaveLength(0);
    expect((await mails()).filter((m) => m.template === 'sanction')).toHaveLength(2);
    const again = await as(els, 'POST', `/v1/recognitions/${path}/revoke`, { reasons: 'Nog eens opheffen kan niet' }, revoked.body.recognition.version);
    expect([again.status, again.body.code]).toEqual([409, 'invalid-transition']);

    // The enterprise appeals the revocation within 10 days; the department confirms, from its dashboard.
    const appeal = await as(jan, 'POST', '/v1/appeals', {
      against: { kind: 'sanction', sanctionId: revoked.body.sanction.id },
      grounds: 'De tekortkomingen werden rechtgezet.',
      contactEmail: 'hr@megaworld.test',
    });
    expect(appeal.status, appeal.text).toBe(201);
    const departmentTasks = (await as(dirk, 'GET', '/v1/tasks')).body.items;
    expect(departmentTasks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'confirmAppeal', dueDate: '2026-12-25', daysRemaining: 10 })]));
    expect((await as(an, 'GET', `/v1/appeals/${appeal.body.id}`)).status).toBe(404);
    const confirmed = await as(dirk, 'POST', `/v1/appeals/${appeal.body.id}/confirm`, { admissible: true, reasons: 'Tijdig en ontvankelijk' }, 1);
    expect(confirmed.body.status).toBe('admissible');
    const after = (await as(dirk, 'GET', '/v1/tasks')).body.items.map((t: { type: string }) => t.type);
    expect(after).not.toContain('confirmAppeal');
    expect(after).toContain('decideAppeal');
    const outcome = await as(dirk, 'POST', `/v1/appeals/${appeal.body.id}/outcome`, { outcome: 'rejected', reasons: 'De opheffing blijft' }, 2);
    expect(outcome.body.status).toBe('rejected');
    expect((await as(dirk, 'GET', '/v1/tasks')).body.items.map((t: { type: string }) => t.type)).not.toContain('decideAppeal');
  });

  it('appeals against a rejection only within 10 days; an excluded enterprise cannot submit', async () => {
    const rejected = await decided('2.200.000.481', 'notRecognised');
    clock.set('2026-12-26T08:00:00.000Z');
    const late = await as(jan, 'POST', '/v1/appeals', {
      against: { kind: 'decision', applicationId: rejected.id },
      grounds: 'Wij zijn het niet eens.',
      contactEmail: 'hr@megaworld.test',
    });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('appeal-too-late');

    const excluded = await as(els, 'POST', '/v1/exclusions', {
      level: 'enterprise',
      enterpriseNumber: '0417390703',
      reasons: 'Ernstige inbreuken op de engagementen',
      until: null,
    });
    expect(excluded.status, excluded.text).toBe(200);
    expect(excluded.body.sanction.affectedRecognitions.length).toBeGreaterThanOrEqual(1);
    const draft = await completeDraft('2.200.000.481');
    const refused = await as(jan, 'POST', `/v1/applications/${draft.id}/submit`, undefined, draft.version);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toContain('enterprise-excluded');
  });
});
