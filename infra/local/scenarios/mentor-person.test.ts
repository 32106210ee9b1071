// Scenario over HTTP through the local stage: a mentor is a person, across recognitions. Mieke Mentor (one
// national number) is named on three recognitions: two programmes of Mega World Heist and one of Bakkerij Peeters
// Gent, another enterprise. Her training, reported once at Mega World, counts on both of its recognitions and not
// at Bakkerij; her learners count against Handel's maximum per mentor across all three (two counsellors of two
// providers); her withdrawal by sanction on one recognition withdraws her wherever she is named (the partnership's
// task where no mentor is left, each enterprise's notice of its own recognitions, nothing for the counsellors),
// and the upheld appeal restores her everywhere. Then a revocation of one recognition, upheld on appeal: `recognition-restored` goes to the
// counsellor of that recognition's agreement only, not to the counsellor of another provider with an agreement
// on another recognition of the same enterprise. Every dashboard is read at each step.
import { addDays } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { observers, type DashboardTask } from '../testing/observers.ts';
import { actors, iso, useScenarioStage, type Actor, type ScenarioClient } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('mentor-person');
const call: ScenarioClient['call'] = (...args) => scenario.client.call(...args);

const { jan, karim, els, sofie } = actors;
const bakkerij: Actor = { user: 'an.peeters', organisation: 'enterprise:0412345614' };
const horeca: Actor = { user: 'bart.horeca', organisation: 'partnership:horeca' };
const syntra: Actor = { user: 'pieter.beheerder', organisation: 'provider:syntra-mechelen' };
const dirk: Actor = { user: 'dirk.departement', organisation: 'department:dwse' };
const everyone = { jan, bakkerij, karim, els, horeca, sofie, syntra, dirk };
const { tasksOf, expectDashboards, newMail } = observers(() => scenario.client, everyone);

async function schedule(name: string, on: string) {
  const run = await call(null, 'POST', `/_local/schedules/${name}?on=${on}`);
  expect(run.status, run.text).toBe(202);
  return run.body.result;
}

/** Waits until `actor` has `count` tasks of `type` (tasks made from outbox events arrive through a queue). */
async function eventually(actor: Actor, type: string, count = 1): Promise<DashboardTask[]> {
  for (let i = 0; i < 100; i++) {
    const found = (await tasksOf(actor)).filter((t) => t.type === type);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${count} ${type} task(s) for ${actor.user}`);
}

const mega = '0417.390.703';
const peeters = '0412.345.614';
const heist = '2.123.456.791';
const gent = '2.200.000.184';
const today = iso(new Date());
const day = (date: string, days: number) => iso(addDays(new Date(`${date}T12:00:00Z`), days));
/** Every file's contact (recogniseWorkplace) and the legal representative who filed it. */
const megaContacts = ['hr@werkplek.test', 'jan@megaworld.werkplekduaal.test'];
const peetersContacts = ['hr@werkplek.test', 'an.peeters@bakkerij.werkplekduaal.test'];
const handelMail = 'duaal@handel.werkplekduaal.test';
const sofieMail = 'sofie.claes@campus-brugge.werkplekduaal.test';
const megaName = 'ACM Economische Actor (ondernemingsnummer 0417.390.703)';
const departmentMail = 'werkplekduaal@werkplekduaal.test';
const reasons = 'Na begeleiding blijven de afspraken met de mentor onuitgevoerd.';
/** Mieke Mentor and Bart Begeleider are the persons of this counter on every recognition below. */
const counter = 61;

type Made = { id: string; mentors: { id: string; name: string }[] };
const made = {} as {
  /** Mega World Heist, Verkoper duaal: Mieke and Bart. */
  verkoper: Made;
  /** Mega World Heist, Winkelbediende duaal: Mieke only. */
  winkelbediende: Made;
  /** Bakkerij Peeters Gent, Verkoper duaal: Mieke and Bart. */
  bakkerij: Made;
  sofieAgreement: string;
  pieterAgreement: string;
  withdrawal: string;
};
const mieke = (r: Made) => r.mentors.find((m) => m.name === 'Mieke Mentor')!.id;
const bart = (r: Made) => r.mentors.find((m) => m.name === 'Bart Begeleider')!.id;
const recognition = async (actor: Actor, r: Made) => (await call(actor, 'GET', `/v1/recognitions/${r.id}`)).body;

describe('one person named as mentor on recognitions of two programmes and two enterprises, over HTTP', () => {
  it('recognises the three workplaces, each naming the same person with its own mentor id', async () => {
    const recognise = async (enterprise: Actor, enterpriseNumber: string, establishmentNumber: string, programmeId: string, mentors?: 'Mieke Mentor'[]) => {
      const r = await scenario.client.recogniseWorkplace({
        enterprise,
        enterpriseNumber,
        establishmentNumber,
        programmeId,
        jointCommittee: '311',
        counter,
        ...(mentors ? { mentors } : {}),
      });
      const read = await recognition(enterprise, r);
      // The free places are set: the availability tasks are out of the way of what this scenario looks at.
      const set = await call(enterprise, 'PUT', `/v1/recognitions/${r.id}/availability`, { placeAvailable: true }, read.version);
      expect(set.status, set.text).toBe(200);
      return { id: r.id, mentors: r.mentors };
    };
    made.verkoper = await recognise(jan, mega, heist, 'verkoper-duaal');
    made.winkelbediende = await recognise(jan, mega, heist, 'winkelbediende-duaal', ['Mieke Mentor']);
    made.bakkerij = await recognise(bakkerij, peeters, gent, 'verkoper-duaal');
    const miekeIds = [made.verkoper, made.winkelbediende, made.bakkerij].map(mieke);
    expect(new Set(miekeIds).size).toBe(3);
    // Per file: the submission to the partnership, its acknowledgement and the decision to the enterprise.
    const mail = await newMail(9);
    expect(mail.filter((m) => m.to.includes(handelMail))).toHaveLength(3);
    await expectDashboards('recognised', {});
  });

  it('counts a training reported once on every recognition of the enterprise naming the person, not at another enterprise', async () => {
    const deadline = (await recognition(jan, made.verkoper)).mentors[0].trainingDeadline as string;
    // 30 days before the deadline: a task per recognition naming a mentor whose training is due.
    expect((await schedule('recognitions-daily', day(deadline, -30))).mentorTasks).toBe(5);
    const training = ['finishMentorTraining', 'finishMentorTraining'];
    await expectDashboards('training due', { jan: [...training, 'finishMentorTraining'], bakkerij: training });
    // Another enterprise may not report it; the partnership of another sector does not see the recognition.
    const report = { action: 'training', completedOn: today, exempted: false };
    const { version } = await recognition(jan, made.verkoper);
    expect((await call(bakkerij, 'POST', `/v1/recognitions/${made.verkoper.id}/mentors/${mieke(made.verkoper)}/change`, report, version)).status).toBe(404);
    expect((await call(horeca, 'POST', `/v1/recognitions/${made.verkoper.id}/mentors/${mieke(made.verkoper)}/change`, report, version)).status).toBe(404);

    // Mega World reports Mieke's and Bart's training on Verkoper duaal: Mieke's counts on Winkelbediende duaal too.
    await scenario.client.reportTraining(jan, made.verkoper.id, [mieke(made.verkoper), bart(made.verkoper)], today, version);
    await expectDashboards('training reported at Mega World', { bakkerij: training });
    expect((await recognition(jan, made.winkelbediende)).mentors[0]).toMatchObject({ trainingCompletedOn: today, trainingExempted: false });
    // At Bakkerij Peeters the person's training is its own to report.
    expect((await recognition(bakkerij, made.bakkerij)).mentors.map((m: { trainingCompletedOn: string | null }) => m.trainingCompletedOn)).toEqual([
      null,
      null,
    ]);
    await scenario.client.reportTraining(bakkerij, made.bakkerij.id, [mieke(made.bakkerij), bart(made.bakkerij)], today);
    await expectDashboards('training reported at Bakkerij Peeters', {});
  });

  it("counts the person's learners across the recognitions and the providers against Handel's maximum of two", async () => {
    const input = (r: Made, mentorId: string, n: number) => ({
      enterpriseNumber: r === made.bakkerij ? peeters : mega,
      establishmentNumber: r === made.bakkerij ? gent : heist,
      programmeId: r === made.winkelbediende ? 'winkelbediende-duaal' : 'verkoper-duaal',
      mentorId,
      counter: n,
    });
    made.sofieAgreement = (await scenario.client.registerAgreement(input(made.verkoper, mieke(made.verkoper), 61))).id;
    const syntraBody = { lessonLocationId: null, providerRepresentative: 'Directeur Syntra Mechelen' };
    made.pieterAgreement = (await scenario.client.registerAgreement(input(made.winkelbediende, mieke(made.winkelbediende), 62), syntra, syntraBody)).id;
    // Two learners with Mieke at Mega World: a third, at Bakkerij Peeters under her other mentor id, is over her maximum.
    const third = await call(sofie, 'POST', '/v1/agreements', scenario.client.agreementBody(input(made.bakkerij, mieke(made.bakkerij), 63)));
    expect(third.status, third.text).toBe(201);
    expect(third.body.issues).toContainEqual(expect.objectContaining({ code: 'mentor-capacity-reached', severity: 'blocking' }));
    // Bart, another person at the same workplace, has room.
    const withBart = await call(sofie, 'POST', '/v1/agreements', scenario.client.agreementBody(input(made.bakkerij, bart(made.bakkerij), 64)));
    expect(withBart.status, withBart.text).toBe(201);
    expect(withBart.body.issues.map((i: { code: string }) => i.code)).not.toContain('mentor-capacity-reached');
    // Each work version ready to sign is sent to its enterprise; the blocked one is not.
    expect(await newMail(3)).toEqual([
      { subject: 'Overeenkomst duaal leren klaar om te ondertekenen', to: megaContacts },
      { subject: 'Overeenkomst duaal leren klaar om te ondertekenen', to: megaContacts },
      { subject: 'Overeenkomst duaal leren klaar om te ondertekenen', to: peetersContacts },
    ]);
    await expectDashboards('agreements', { bakkerij: ['signAgreement'] });
  });

  it('withdraws the person wherever they are named: the partnership tasked where no mentor is left, each enterprise told of its own', async () => {
    const r = made.verkoper;
    const mentorId = mieke(r);
    const { version } = await recognition(els, r);
    const path = `/v1/recognitions/${r.id}/mentors/${mentorId}/withdraw`;
    // Without If-Match nothing happens; another partnership does not see the recognition; a consultant is no administrator.
    expect((await call(els, 'POST', path, { reasons })).status).toBe(428);
    expect((await call(horeca, 'POST', path, { reasons }, version)).status).toBe(404);
    expect((await call(karim, 'POST', path, { reasons }, version)).status).toBe(403);
    expect((await call(jan, 'POST', path, { reasons }, version)).status).toBe(403);
    const withdrawn = await call(els, 'POST', path, { reasons }, version);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    made.withdrawal = withdrawn.body.sanction.id;
    const all = [made.verkoper, made.winkelbediende, made.bakkerij];
    expect([...withdrawn.body.sanction.affectedRecognitions].sort()).toEqual(all.map((x) => x.id).sort());
    for (const [enterprise, x] of [
      [jan, made.verkoper],
      [jan, made.winkelbediende],
      [bakkerij, made.bakkerij],
    ] as const) {
      const read = await recognition(enterprise, x);
      expect(
        read.mentors.find((m: { id: string }) => m.id === mieke(x)),
        x.id,
      ).toMatchObject({ active: false, withdrawn: true });
      expect(read.history.at(-1), x.id).toMatchObject({ action: 'mentor-withdrawn', by: 'demo-els' });
    }
    // The recognition left without a mentor is the partnership's task; the others keep Bart. The counsellors whose
    // agreements name the person get no task and no mail: the README has none for them.
    await expectDashboards('withdrawn', {
      bakkerij: ['signAgreement'],
      karim: ['recognitionWithoutMentor'],
      els: ['recognitionWithoutMentor'],
    });
    expect((await tasksOf(karim))[0]).toMatchObject({ title: 'Erkenning zonder geldige mentor behandelen', subject: { id: made.winkelbediende.id } });
    // Each enterprise is told of its own recognitions.
    expect(await newMail(2)).toEqual([
      { subject: 'Officiële kennisgeving: sanctie voor ACM Economische Actor (ondernemingsnummer 0417.390.703)', to: megaContacts },
      { subject: 'Officiële kennisgeving: sanctie voor Bakkerij Peeters (ondernemingsnummer 0412.345.614)', to: peetersContacts },
    ]);
    // A withdrawn mentor is no choice for a new agreement, under any of the person's mentor ids.
    const drafted = await call(
      sofie,
      'POST',
      '/v1/agreements',
      scenario.client.agreementBody({
        enterpriseNumber: peeters,
        establishmentNumber: gent,
        programmeId: 'verkoper-duaal',
        mentorId: mieke(made.bakkerij),
        counter: 65,
      }),
    );
    expect(drafted.body.issues.map((i: { code: string }) => i.code)).toEqual(['mentor-not-valid', 'mentor-capacity-reached']);
  });

  it('restores the person everywhere when the appeal against the withdrawal is upheld', async () => {
    const appeal = {
      against: { kind: 'sanction', sanctionId: made.withdrawal },
      grounds: 'De mentor is onberispelijk.',
      contactEmail: 'beroep@megaworld.test',
    };
    expect((await call(bakkerij, 'POST', '/v1/appeals', appeal)).status).toBe(404);
    const lodged = await call(jan, 'POST', '/v1/appeals', appeal);
    expect(lodged.status, lodged.text).toBe(201);
    const confirmed = await call(dirk, 'POST', `/v1/appeals/${lodged.body.id}/confirm`, { admissible: true, reasons: 'Tijdig' }, lodged.body.version);
    expect(confirmed.status, confirmed.text).toBe(200);
    const decided = await call(dirk, 'POST', `/v1/appeals/${lodged.body.id}/outcome`, { outcome: 'upheld', reasons: 'Gegrond' }, confirmed.body.version);
    expect(decided.status, decided.text).toBe(200);
    for (const [enterprise, x] of [
      [jan, made.verkoper],
      [jan, made.winkelbediende],
      [bakkerij, made.bakkerij],
    ] as const)
      expect(
        (await recognition(enterprise, x)).mentors.find((m: { id: string }) => m.id === mieke(x)),
        x.id,
      ).toMatchObject({ active: true, withdrawn: false });
    // The partnership's task closes; the appeal's address, the enterprises of the restored recognitions and the
    // partnership that sanctioned learn the outcome. No recognition was revoked: no counsellor is mailed.
    await expectDashboards('withdrawal upheld', { bakkerij: ['signAgreement'] });
    expect(await newMail(3)).toEqual([
      { subject: 'Beslissing over uw beroep', to: ['beroep@megaworld.test', ...megaContacts, peetersContacts[1], handelMail] },
      { subject: `Nieuw beroep van ${megaName}`, to: [departmentMail] },
      { subject: 'Ontvangst van uw beroep', to: ['beroep@megaworld.test'] },
    ]);
  });

  it('restores a revoked recognition on appeal: its counsellor is told, the counsellor of another recognition of the enterprise is not', async () => {
    const r = made.verkoper;
    const { version } = await recognition(els, r);
    const revoked = await call(els, 'POST', `/v1/recognitions/${r.id}/revoke`, { reasons }, version);
    expect(revoked.status, revoked.text).toBe(200);
    // The counsellor of the agreement on it must end it; Syntra's agreement on the other recognition runs on untouched.
    const [task] = await eventually(sofie, 'processRevocation');
    expect(task!.subject).toMatchObject({ kind: 'agreement', id: made.sofieAgreement });
    await expectDashboards('revoked', { bakkerij: ['signAgreement'], sofie: ['processRevocation'] });
    expect(await newMail(1)).toEqual([{ subject: `Officiële kennisgeving: sanctie voor ${megaName}`, to: megaContacts }]);
    expect((await call(syntra, 'GET', `/v1/agreements/${made.pieterAgreement}`)).body.status).toBe('registered');

    const appeal = {
      against: { kind: 'sanction', sanctionId: revoked.body.sanction.id },
      grounds: 'De afspraken werden nageleefd.',
      contactEmail: 'beroep@megaworld.test',
    };
    const lodged = await call(jan, 'POST', '/v1/appeals', appeal);
    expect(lodged.status, lodged.text).toBe(201);
    const confirmed = await call(dirk, 'POST', `/v1/appeals/${lodged.body.id}/confirm`, { admissible: true, reasons: 'Tijdig' }, lodged.body.version);
    expect(confirmed.status, confirmed.text).toBe(200);
    const decided = await call(dirk, 'POST', `/v1/appeals/${lodged.body.id}/outcome`, { outcome: 'upheld', reasons: 'Gegrond' }, confirmed.body.version);
    expect(decided.status, decided.text).toBe(200);
    // recognition-restored goes to the counsellor of the running agreement on the restored recognition, and to
    // no one else: not to Syntra's counsellor, whose agreement is on another recognition of the same enterprise,
    // nor to Bakkerij Peeters, whose recognition the revocation did not touch.
    expect(await newMail(4)).toEqual([
      { subject: 'Beslissing over uw beroep', to: ['beroep@megaworld.test', ...megaContacts, handelMail] },
      { subject: 'Erkenning hersteld na beroep', to: [sofieMail] },
      { subject: `Nieuw beroep van ${megaName}`, to: [departmentMail] },
      { subject: 'Ontvangst van uw beroep', to: ['beroep@megaworld.test'] },
    ]);
    // The counsellor's task is void; the enterprise is asked again for the free places the revocation took away.
    await expectDashboards('revocation upheld', { jan: ['setAvailability'], bakkerij: ['signAgreement'] });
    expect((await recognition(jan, r)).status).toBe('active');
    expect((await call(sofie, 'GET', `/v1/agreements/${made.sofieAgreement}`)).body.status).toBe('registered');
  });
});
