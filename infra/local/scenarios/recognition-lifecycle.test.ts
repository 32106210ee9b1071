// Scenario over HTTP through the local stage: a recognition's whole life as its users drive it, with the e-mails
// they get (`/_local/mail`) and every dashboard (`GET /v1/tasks`) read at each step. The enterprise submits (the
// partnership and the enterprise are mailed); the consultant asks for completion (the enterprise's task with the
// days left, the file's blockingProblems); the resubmission closes it; the clock on the file stands still while
// it waits and while it is paused, the same for every party; the history names who did what; the voting member
// recognises; the enterprise sets the free places (found by the public search from then on); adds a mentor whom
// the partnership approves; the daily job, run as of a day (`POST /_local/schedules/recognitions-daily?on=`),
// opens the renewal task 180 days before the end and not a day earlier, a renewal before that is refused; an
// older recognition is renewed from its prefilled file; and the recognition expires. At each step the users of
// another organisation of the same kind (Bakkerij Peeters, Horeca, Syntra Mechelen) have nothing.
import { addDays, addYears } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { observers } from '../testing/observers.ts';
import { actors, iso, useScenarioStage, type Actor, type ScenarioClient } from '../testing/scenario-client.ts';
import { nationalNumberFor } from '../testing/national-numbers.ts';

const scenario = useScenarioStage('recognition-lifecycle');
const call: ScenarioClient['call'] = (...args) => scenario.client.call(...args);

const { jan, karim, els, sofie } = actors;
/** A user of Mega World who is not its legal representative. */
const anAtMega: Actor = { user: 'an.peeters', organisation: 'enterprise:0417390703' };
/** Users of another organisation of the same kind as each party. */
const bakkerij: Actor = { user: 'an.peeters', organisation: 'enterprise:0412345614' };
const horeca: Actor = { user: 'bart.horeca', organisation: 'partnership:horeca' };
const syntra: Actor = { user: 'pieter.beheerder', organisation: 'provider:syntra-mechelen' };
const dirk: Actor = { user: 'dirk.departement', organisation: 'department:dwse' };
const everyone = { jan, anAtMega, bakkerij, karim, els, horeca, sofie, syntra, dirk };

const { tasksOf, expectDashboards, newMail } = observers(() => scenario.client, everyone);

async function schedule(name: string, on: string) {
  const run = await call(null, 'POST', `/_local/schedules/${name}?on=${on}`);
  expect(run.status, run.text).toBe(202);
  return run.body.result;
}

const mega = '0417.390.703';
const heist = '2.123.456.791';
const brussel = '2.300.000.157';
const megaHeist = 'Mega World (vestigingsnummer 2.123.456.791)';
const contact = 'hr@megaworld.test';
/** The file's contact and the legal representative who filed it. */
const megaContacts = [contact, 'jan@megaworld.werkplekduaal.test'];
const handelMail = 'duaal@handel.werkplekduaal.test';
const today = iso(new Date());
const day = (date: string, days: number) => iso(addDays(new Date(`${date}T12:00:00Z`), days));

const made = {} as {
  fileId: string;
  version: number;
  recognition: { id: string; number: string; endDate: string; version: number };
  older: { id: string; endDate: string };
};

describe('a recognition from its submission to its expiry, driven by every party over HTTP', () => {
  it('acknowledges the submission, asks for completion with a task and the days left, and the resubmission closes it', async () => {
    const draft = await call(jan, 'POST', '/v1/applications', {
      enterpriseNumber: mega,
      establishmentNumber: heist,
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      contactEmail: contact,
    });
    expect(draft.status, draft.text).toBe(201);
    made.fileId = draft.body.id;
    const extract = await scenario.client.upload(jan, 'criminalRecordExtract');
    const content = {
      criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
      mentors: [
        {
          name: 'Mieke Mentor',
          nationalNumber: nationalNumberFor('1980-01-01', 11).replace(/\D/g, ''),
          yearsOfExperience: 12,
          proofDocumentId: null,
          criminalRecordExtract: { documentId: extract, issuedOn: today },
        },
      ],
      documents: [],
      bankAccount: { iban: 'BE68539007547034', premiumConsent: true },
    };
    const filled = await call(jan, 'PUT', `/v1/applications/${made.fileId}`, content, draft.body.version);
    expect(filled.status, filled.text).toBe(200);
    const submitted = await call(jan, 'POST', `/v1/applications/${made.fileId}/submit`, undefined, filled.body.version);
    expect(submitted.status, submitted.text).toBe(200);
    const deadline = day(today, 14);

    // The partnership gets the file, the enterprise the acknowledgement; only the consultant has a task.
    expect(await newMail(2)).toEqual([
      { subject: `Nieuwe erkenningsaanvraag: de opleiding Verkoper duaal bij ${megaHeist}`, to: [handelMail] },
      { subject: `Ontvangstbevestiging: uw erkenningsaanvraag voor ${megaHeist}`, to: megaContacts },
    ]);
    await expectDashboards('submitted', { karim: ['checkCompleteness'] });
    const [check] = await tasksOf(karim);
    expect(check).toMatchObject({ title: 'Volledigheid erkenning controleren', dueDate: deadline, daysRemaining: 14, link: `/v1/applications/${made.fileId}` });
    expect(check!.subject.label).toBe('Verkoper duaal, vestiging Mega World (2.123.456.791)');

    const message = 'Bevestig het rekeningnummer van de onderneming.';
    const incomplete = await call(karim, 'POST', `/v1/applications/${made.fileId}/request-completion`, { message }, submitted.body.version);
    expect(incomplete.status, incomplete.text).toBe(200);
    expect(await newMail(1)).toEqual([{ subject: `Uw erkenningsaanvraag voor ${megaHeist} is onvolledig`, to: megaContacts }]);
    // Both users of the enterprise have it; the consultant's check is closed.
    await expectDashboards('completion requested', { jan: ['completeApplication'], anAtMega: ['completeApplication'] });
    const [complete] = await tasksOf(jan);
    expect(complete).toMatchObject({
      title: 'Vervolledig uw erkenningsaanvraag',
      subject: { kind: 'application', id: made.fileId },
      dueDate: day(today, 14),
      daysRemaining: 14,
      link: `/v1/applications/${made.fileId}`,
    });
    const file = await call(jan, 'GET', `/v1/applications/${made.fileId}`);
    expect(file.body.blockingProblems).toEqual([
      { code: 'completion-requested', pointer: '/completionRequest', detail: expect.stringContaining(message), dueDate: day(today, 14), daysRemaining: 14 },
    ]);
    // The clock stands still while the enterprise completes the file.
    expect(file.body.reviewClock).toMatchObject({
      paused: true,
      daysPaused: 0,
      daysRemaining: 14,
      pauses: [{ kind: 'completionRequest', until: null, reason: message }],
    });
    // Another enterprise does not even find the file.
    expect((await call(bakkerij, 'GET', `/v1/applications/${made.fileId}`)).status).toBe(404);

    const resubmitted = await call(anAtMega, 'POST', `/v1/applications/${made.fileId}/submit`, undefined, incomplete.body.version);
    expect(resubmitted.status, resubmitted.text).toBe(200);
    expect(resubmitted.body.reviewRound).toBe(2);
    expect(await newMail(2)).toEqual([
      { subject: `Ontvangstbevestiging: uw vervolledigde erkenningsaanvraag voor ${megaHeist}`, to: megaContacts },
      { subject: `Vervolledigde erkenningsaanvraag: de opleiding Verkoper duaal bij ${megaHeist}`, to: [handelMail] },
    ]);
    await expectDashboards('resubmitted', { karim: ['checkCompleteness'] });
    expect((await call(jan, 'GET', `/v1/applications/${made.fileId}`)).body.blockingProblems).toEqual([]);
    made.version = resubmitted.body.version;
  });

  it('shows the clock, the history with names and roles, and the work list with names to every party', async () => {
    let version = made.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await call(karim, 'POST', `/v1/applications/${made.fileId}/${action}`, undefined, version)).body.version;
    await expectDashboards('under review', { karim: ['handleApplication'], els: ['handleApplication'] });
    const paused = await call(karim, 'POST', `/v1/applications/${made.fileId}/pause`, { reason: 'Bezoek aan de werkplek gepland' }, version);
    expect(paused.status, paused.text).toBe(200);
    await expectDashboards('paused', { karim: ['handleApplication', 'resumeApplication'], els: ['handleApplication'] });
    const resumed = await call(karim, 'POST', `/v1/applications/${made.fileId}/resume`, undefined, paused.body.version);
    expect(resumed.status, resumed.text).toBe(200);
    await expectDashboards('resumed', { karim: ['handleApplication'], els: ['handleApplication'] });
    made.version = resumed.body.version;

    // One clock for every party that reads the file: 14 days from the first submission, two stand-stills.
    const clocks = [];
    for (const actor of [jan, anAtMega, karim, els, dirk]) {
      const read = await call(actor, 'GET', `/v1/applications/${made.fileId}`);
      expect(read.status, `${actor.user}: ${read.text}`).toBe(200);
      clocks.push(read.body.reviewClock);
    }
    expect(clocks[0]).toMatchObject({ daysRemaining: 14, daysPaused: 0, paused: false });
    expect(clocks[0].deadline.slice(0, 10)).toBe(day(today, 14));
    expect(clocks[0].pauses.map((p: { kind: string; reason: string }) => [p.kind, p.reason])).toEqual([
      ['completionRequest', 'Bevestig het rekeningnummer van de onderneming.'],
      ['pause', 'Bezoek aan de werkplek gepland'],
    ]);
    for (const clock of clocks) expect(clock).toEqual(clocks[0]);
    for (const outsider of [bakkerij, horeca, syntra]) expect((await call(outsider, 'GET', `/v1/applications/${made.fileId}`)).status).toBe(404);

    // The history from the creation on, each step with the user's name, organisation and role at the time.
    const history = (await call(karim, 'GET', `/v1/applications/${made.fileId}`)).body.history as {
      action: string;
      actor: { name: string; organisationKey: string; organisationName: string | null; roles: string[] };
    }[];
    expect(history.map((h) => [h.action, h.actor.name, h.actor.organisationKey, h.actor.roles.join()])).toEqual([
      ['created', 'Jan Van Mega', 'enterprise:0417390703', 'legalRepresentative'],
      ['updated', 'Jan Van Mega', 'enterprise:0417390703', 'legalRepresentative'],
      ['submitted', 'Jan Van Mega', 'enterprise:0417390703', 'legalRepresentative'],
      ['request-completion', 'Karim El Amrani', 'partnership:handel', 'consultant'],
      ['resubmitted', 'An Peeters', 'enterprise:0417390703', 'user'],
      ['mark-complete', 'Karim El Amrani', 'partnership:handel', 'consultant'],
      ['start-review', 'Karim El Amrani', 'partnership:handel', 'consultant'],
      ['pause', 'Karim El Amrani', 'partnership:handel', 'consultant'],
      ['resume', 'Karim El Amrani', 'partnership:handel', 'consultant'],
    ]);
    expect(history.find((h) => h.actor.organisationKey === 'partnership:handel')!.actor.organisationName).toBe('Sectoraal Partnerschap Handel');

    // The partnership's work list names the enterprise and the establishment.
    const list = await call(karim, 'GET', '/v1/applications?status=underReview');
    expect(list.status, list.text).toBe(200);
    expect(
      list.body.items.map((a: { id: string; enterpriseName: string; establishmentName: string }) => [a.id, a.enterpriseName, a.establishmentName]),
    ).toEqual([[made.fileId, 'ACM Economische Actor', 'Mega World']]);
    expect((await call(horeca, 'GET', '/v1/applications?status=underReview')).body.items).toEqual([]);
  });

  it('recognises the workplace: the enterprise sets the free places, and from then on the public search finds it', async () => {
    const proposed = await call(
      karim,
      'POST',
      `/v1/applications/${made.fileId}/propose`,
      { decision: 'recognise', reasons: 'Werkplek en mentor in orde' },
      made.version,
    );
    expect(proposed.status, proposed.text).toBe(200);
    // A consultant proposes; only a voting member decides.
    expect(
      (await call(karim, 'POST', `/v1/applications/${made.fileId}/decide`, { decision: 'recognised', reasons: 'In orde' }, proposed.body.version)).status,
    ).toBe(403);
    const decided = await call(
      els,
      'POST',
      `/v1/applications/${made.fileId}/decide`,
      { decision: 'recognised', reasons: 'Werkplek en mentor in orde' },
      proposed.body.version,
    );
    expect(decided.status, decided.text).toBe(200);
    const { id, number, endDate } = decided.body.recognition;
    expect(endDate).toBe(day(iso(addYears(new Date(`${today}T12:00:00Z`), 5)), -1));
    expect(await newMail(1)).toEqual([{ subject: `Officiële kennisgeving: ${megaHeist} is erkend als werkplek`, to: megaContacts }]);
    await expectDashboards('recognised', { jan: ['setAvailability'], anAtMega: ['setAvailability'] });
    const [availability] = await tasksOf(jan);
    expect(availability).toMatchObject({ title: 'Vrije plaatsen instellen', subject: { kind: 'recognition', id }, link: `/v1/recognitions/${id}` });
    expect(availability!.subject.label).toContain(`erkenning ${number}`);
    expect((await call(jan, 'GET', `/v1/applications/${made.fileId}`)).body.history.at(-1)).toMatchObject({
      action: 'decided',
      actor: { name: 'Els Wouters', roles: ['votingMember', 'administrator'] },
    });

    // Not in the public search while placeAvailable is false; another enterprise cannot set it.
    const search = async () => (await call(null, 'GET', '/v1/workplaces?programme=verkoper-duaal&postcode=2220')).body.items as { recognitionId: string }[];
    expect(await search()).toEqual([]);
    const recognition = await call(jan, 'GET', `/v1/recognitions/${id}`);
    expect(recognition.body.placeAvailable).toBe(false);
    expect((await call(bakkerij, 'PUT', `/v1/recognitions/${id}/availability`, { placeAvailable: true }, recognition.body.version)).status).toBe(404);
    await expectDashboards('refused availability of another enterprise', { jan: ['setAvailability'], anAtMega: ['setAvailability'] });
    const set = await call(jan, 'PUT', `/v1/recognitions/${id}/availability`, { placeAvailable: true }, recognition.body.version);
    expect(set.status, set.text).toBe(200);
    await expectDashboards('availability set', {});
    expect((await search()).map((w) => w.recognitionId)).toEqual([id]);
    made.recognition = { id, number, endDate, version: set.body.version };
  });

  it('adds a mentor, whom the partnership checks and approves', async () => {
    const r = made.recognition;
    const extract = await scenario.client.upload(jan, 'criminalRecordExtract');
    const mentor = {
      name: 'Piet Nieuw',
      nationalNumber: nationalNumberFor('1978-03-03', 12).replace(/\D/g, ''),
      yearsOfExperience: 9,
      proofDocumentId: null,
      criminalRecordExtract: { documentId: extract, issuedOn: today },
    };
    expect((await call(bakkerij, 'POST', `/v1/recognitions/${r.id}/mentors`, mentor, r.version)).status).toBe(404);
    const added = await call(jan, 'POST', `/v1/recognitions/${r.id}/mentors`, mentor, r.version);
    expect(added.status, added.text).toBe(202);
    // The consultant and the partnership's administrator check the mentor.
    await expectDashboards('mentor added', { karim: ['checkMentors'], els: ['checkMentors'] });
    expect((await tasksOf(karim))[0]).toMatchObject({ title: 'Mentoren controleren', subject: { kind: 'recognition', id: r.id } });
    const read = await call(karim, 'GET', `/v1/recognitions/${r.id}`);
    const pending = read.body.pendingMentors[0];
    expect(pending.name).toBe('Piet Nieuw');
    expect((await call(horeca, 'POST', `/v1/recognitions/${r.id}/mentors/${pending.id}/approve`, undefined, read.body.version)).status).toBe(404);
    const approved = await call(karim, 'POST', `/v1/recognitions/${r.id}/mentors/${pending.id}/approve`, undefined, read.body.version);
    expect(approved.status, approved.text).toBe(200);
    await expectDashboards('mentor approved', {});
    const after = await call(jan, 'GET', `/v1/recognitions/${r.id}`);
    expect(after.body.mentors.map((m: { name: string }) => m.name)).toEqual(['Mieke Mentor', 'Piet Nieuw']);
    expect(after.body.pendingMentors).toEqual([]);
    made.recognition.version = after.body.version;

    // 30 days before the training deadline (the daily job as of that day) the enterprise is asked to finish the
    // mentor training; reporting it closes the task.
    const deadline = after.body.mentors[0].trainingDeadline as string;
    expect(after.body.mentors.map((m: { trainingDeadline: string }) => m.trainingDeadline)).toEqual([deadline, deadline]);
    expect((await schedule('recognitions-daily', day(deadline, -31))).mentorTasks).toBe(0);
    expect((await schedule('recognitions-daily', day(deadline, -30))).mentorTasks).toBe(2);
    await expectDashboards('training deadline near', {
      jan: ['finishMentorTraining', 'finishMentorTraining'],
      anAtMega: ['finishMentorTraining', 'finishMentorTraining'],
    });
    expect((await tasksOf(jan)).map((t) => [t.title, t.dueDate])).toEqual([
      ['Mentoropleiding afronden', deadline],
      ['Mentoropleiding afronden', deadline],
    ]);
    const mentorIds = (after.body.mentors as { id: string }[]).map((m) => m.id);
    const version = await scenario.client.reportTraining(jan, r.id, mentorIds, today, after.body.version);
    await expectDashboards('training reported', {});
    made.recognition.version = version;
  });

  it('opens the renewal task 180 days before the end (the daily job as of that day), and refuses a renewal before it', async () => {
    const r = made.recognition;
    const early = await call(jan, 'POST', `/v1/recognitions/${r.id}/renew`, undefined, r.version);
    expect(early.status, early.text).toBe(422);
    expect(early.body.code).toBe('renewal-too-early');

    const opensOn = day(r.endDate, -180);
    expect((await schedule('recognitions-daily', day(opensOn, -1))).renewalTasks).toBe(0);
    const renewals = async (actor: Actor) => (await tasksOf(actor)).filter((t) => t.type === 'renewRecognition');
    expect(await renewals(jan)).toEqual([]);
    expect((await schedule('recognitions-daily', opensOn)).renewalTasks).toBe(1);
    const [renewal] = await renewals(jan);
    expect(renewal).toMatchObject({
      title: 'Beslissen hernieuwing erkenning',
      subject: { kind: 'recognition', id: r.id },
      dueDate: r.endDate,
      link: `/v1/recognitions/${r.id}`,
    });
    expect((await renewals(anAtMega)).map((t) => t.subject.id)).toEqual([r.id]);
    for (const outsider of [bakkerij, karim, els, horeca, sofie, syntra, dirk]) expect(await renewals(outsider)).toEqual([]);
  });

  it('renews a recognition that ends within 180 days from its prefilled file, which the enterprise saves and submits', async () => {
    // Decided with a start date long ago, so that it ends in 99 days: the renewal is open today.
    const start = day(iso(addYears(new Date(`${today}T12:00:00Z`), -5)), 100);
    const older = await scenario.client.recogniseWorkplace({
      enterprise: jan,
      enterpriseNumber: mega,
      establishmentNumber: brussel,
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      counter: 21,
      startDate: start,
    });
    expect(older.endDate).toBe(day(today, 99));
    made.older = older;
    await newMail(3); // its submission (2) and its decision
    // Its mentors were trained in time, as the enterprise reported.
    const version = await scenario.client.reportTraining(
      jan,
      older.id,
      older.mentors.map((m) => m.id),
      today,
    );
    expect((await schedule('recognitions-daily', today)).renewalTasks).toBe(1);
    const open = async () => (await tasksOf(jan)).filter((t) => t.subject.id === older.id).map((t) => [t.type, t.daysRemaining]);
    expect((await open()).sort()).toEqual([
      ['renewRecognition', 99],
      ['setAvailability', null],
    ]);

    const current = await call(jan, 'GET', `/v1/recognitions/${older.id}`);
    expect(current.body.version).toBe(version);
    const withoutIfMatch = await call(jan, 'POST', `/v1/recognitions/${older.id}/renew`);
    expect(withoutIfMatch.status).toBe(428);
    const renewed = await call(jan, 'POST', `/v1/recognitions/${older.id}/renew`, undefined, current.body.version);
    expect(renewed.status, renewed.text).toBe(201);
    expect(renewed.body).toMatchObject({ kind: 'renewal', renewsRecognitionId: older.id, status: 'draft' });
    // The prefilled file goes back as it was read: the enterprise's first save succeeds.
    const draft = (await call(jan, 'GET', `/v1/applications/${renewed.body.id}`)).body;
    expect(draft.mentors.map((m: { name: string }) => m.name)).toEqual(['Mieke Mentor', 'Bart Begeleider']);
    const prefill = { criteria: draft.criteria, mentors: draft.mentors, documents: draft.documents, bankAccount: draft.bankAccount };
    const saved = await call(jan, 'PUT', `/v1/applications/${renewed.body.id}`, prefill, draft.version);
    expect(saved.status, saved.text).toBe(200);
    // A draft renews nothing: the task stays until the renewal is submitted, with fresh extracts.
    expect((await open()).map(([type]) => type)).toContain('renewRecognition');
    const mentors = [];
    for (const m of saved.body.mentors as { id: string; name: string; nationalNumber: string; yearsOfExperience: number }[])
      mentors.push({
        id: m.id,
        name: m.name,
        nationalNumber: m.nationalNumber,
        yearsOfExperience: m.yearsOfExperience,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: await scenario.client.upload(jan, 'criminalRecordExtract'), issuedOn: today },
      });
    const withExtracts = await call(jan, 'PUT', `/v1/applications/${renewed.body.id}`, { ...prefill, mentors }, saved.body.version);
    expect(withExtracts.status, withExtracts.text).toBe(200);
    const submitted = await call(jan, 'POST', `/v1/applications/${renewed.body.id}/submit`, undefined, withExtracts.body.version);
    expect(submitted.status, submitted.text).toBe(200);
    expect((await open()).map(([type]) => type)).toEqual(['setAvailability']);
    expect((await tasksOf(karim)).map((t) => [t.type, t.subject.id])).toEqual([['checkCompleteness', renewed.body.id]]);
    expect(await newMail(2)).toEqual([
      { subject: 'Nieuwe erkenningsaanvraag: de opleiding Verkoper duaal bij Mega World Brussel (vestigingsnummer 2.300.000.157)', to: [handelMail] },
      {
        subject: 'Ontvangstbevestiging: uw erkenningsaanvraag voor Mega World Brussel (vestigingsnummer 2.300.000.157)',
        to: ['hr@werkplek.test', 'jan@megaworld.werkplekduaal.test'],
      },
    ]);
  });

  it('lets each recognition expire the day after its end: its tasks close and the public search no longer finds it', async () => {
    // The older one first (the daily job runs every day): its free-places task closes; its renewal file goes on,
    // and the other recognition's renewal task stays.
    const older = made.older;
    expect((await schedule('recognitions-daily', older.endDate)).expired).toBe(0);
    expect((await schedule('recognitions-daily', day(older.endDate, 1))).expired).toBe(1);
    expect((await call(jan, 'GET', `/v1/recognitions/${older.id}`)).body.status).toBe('expired');
    await expectDashboards('the older one expired', { jan: ['renewRecognition'], anAtMega: ['renewRecognition'], karim: ['checkCompleteness'] });

    const r = made.recognition;
    const search = async () => (await call(null, 'GET', '/v1/workplaces?programme=verkoper-duaal&postcode=2220')).body.items as { recognitionId: string }[];
    expect((await search()).map((w) => w.recognitionId)).toEqual([r.id]);
    expect((await schedule('recognitions-daily', r.endDate)).expired).toBe(0);
    const [renewal] = await tasksOf(jan);
    expect(renewal).toMatchObject({ type: 'renewRecognition', subject: { id: r.id } });
    expect((await schedule('recognitions-daily', day(r.endDate, 1))).expired).toBe(1);
    // The renewal task it still had closes.
    await expectDashboards('expired', { karim: ['checkCompleteness'] });
    expect((await call(jan, 'GET', `/v1/recognitions/${r.id}`)).body.status).toBe('expired');
    expect(await search()).toEqual([]);
  });
});
