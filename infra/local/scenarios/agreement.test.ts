// Scenario over HTTP through the local stage, as the portal would drive it: a workplace is recognised with two
// mentors; the counsellor drafts an agreement, fixes the problems the pre-flight check reports, renders the
// PDF (the enterprise's legal representative meanwhile has "Overeenkomst ondertekenen", until the signed copy is
// attached), uploads the annexes, registers; changes the mentor, which produces an addendum and its task; registers
// the signed addendum; and ends the agreement early.
import { addDays } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { actors, iso, useScenarioStage, type Actor } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('agreement');

const { jan, sofie } = actors;

describe('agreement scenario through the local stage', () => {
  it('goes from a work version to a registered agreement, an addendum and an early end', async () => {
    const { call, upload } = scenario.client;
    const { mentors } = await scenario.client.recogniseWorkplace({
      enterprise: jan,
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      counter: 101,
    });
    const valid = scenario.client.agreementBody({
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      mentorId: mentors[0]!.id,
      counter: 7,
    });

    // The first save reports everything at once: a minor without legal representative, and 19 h at the workplace.
    const draft = await call(sofie, 'POST', '/v1/agreements', {
      ...valid,
      learner: { ...valid.learner, legalRepresentative: null },
      weeklyHours: { enterpriseFullTime: 35, school: 16, workplace: 19 },
    });
    expect(draft.status, draft.text).toBe(201);
    expect(draft.body.issues.map((i: { code: string }) => i.code)).toEqual(['workplace-hours-below-20', 'legal-representative-required']);
    const signing = async () =>
      ((await call(jan, 'GET', '/v1/tasks?type=signAgreement')).body.items as { subject: { id: string }; link: string }[]).filter(
        (t) => t.subject.id === draft.body.id,
      );
    // Blocked by its check, the work version is not ready for signatures yet.
    expect(await signing()).toEqual([]);
    const fixed = await call(sofie, 'PUT', `/v1/agreements/${draft.body.id}`, valid, draft.body.version);
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body.issues).toEqual([]);
    const [toSign] = await signing();
    expect(toSign?.link).toBe(`/v1/agreements/${draft.body.id}`);
    expect((await call(jan, 'GET', `${toSign!.link}/document`)).status).toBe(200);
    expect(fixed.body.learningAllowance.monthlyAmountCents).toBe(58870);

    const pdf = await call(sofie, 'GET', `/v1/agreements/${draft.body.id}/document`);
    expect(pdf.status, pdf.text).toBe(200);
    expect(pdf.contentType).toContain('application/pdf');
    expect(Buffer.from(pdf.bytes!.slice(0, 5)).toString()).toBe('%PDF-');

    const annexes = {
      schedule: await upload(sofie, 'schedule'),
      trainingPlan: await upload(sofie, 'trainingPlan'),
      learnerPremiumConsent: await upload(sofie, 'learnerPremiumConsent'),
      signedAgreement: await upload(sofie, 'signedAgreement'),
    };
    const attached = await call(sofie, 'PUT', `/v1/agreements/${draft.body.id}/annexes`, annexes, fixed.body.version);
    expect(attached.status, attached.text).toBe(200);
    // The signed copy attached: the enterprise has signed, its task is closed.
    expect(await signing()).toEqual([]);
    const registered = await call(sofie, 'POST', `/v1/agreements/${draft.body.id}/register`, {}, attached.body.version);
    expect(registered.status, registered.text).toBe(200);
    expect(registered.body.registration.premiums.map((p: { kind: string; qualifies: boolean }) => [p.kind, p.qualifies])).toEqual([
      ['enterprise', true],
      ['learner', true],
    ]);

    // The enterprise sees its agreement, with the learner's national number masked.
    const seen = await call(jan, 'GET', `/v1/agreements/${draft.body.id}`);
    expect(seen.body.learner.nationalNumber).toMatch(/\*\*\*\.\*\*$/);

    const start = new Date(`${valid.startDate}T00:00:00Z`);
    const amended = await call(
      sofie,
      'POST',
      `/v1/agreements/${draft.body.id}/amendments`,
      { kind: 'mentor', mentorId: mentors[1]!.id, effectiveDate: iso(addDays(start, 30)) },
      registered.body.version,
    );
    expect(amended.status, amended.text).toBe(200);
    expect((await call(sofie, 'GET', '/v1/tasks')).body.items.map((t: { title: string }) => t.title)).toContain('Addendum afwerken');
    const addendumPdf = await call(sofie, 'GET', `/v1/agreements/${draft.body.id}/addenda/1/document`);
    expect(addendumPdf.status, addendumPdf.text).toBe(200);
    const signed = await upload(sofie, 'addendum');
    const addendum = await call(sofie, 'POST', `/v1/agreements/${draft.body.id}/addenda/1/register`, { signedDocumentId: signed }, amended.body.version);
    expect(addendum.status, addendum.text).toBe(200);
    expect((await call(sofie, 'GET', '/v1/tasks')).body.items.map((t: { title: string }) => t.title)).not.toContain('Addendum afwerken');

    const ended = await call(
      sofie,
      'POST',
      `/v1/agreements/${draft.body.id}/end`,
      { kind: 'early', date: iso(addDays(start, 60)), reason: 'Leerling kiest een andere opleiding', by: 'learner' },
      addendum.body.version,
    );
    expect(ended.status, ended.text).toBe(200);
    // Dated later: the agreement is ending until that day, when the daily job ends it (infra/local/schedules.test.ts).
    expect(ended.body).toMatchObject({ status: 'ending', endDate: iso(addDays(start, 60)) });
  });
});

// The agreement loops of every party over HTTP, each with its e-mails and the dashboards it touches: one mentor
// person named on two recognitions counts once across them, and a work version read later shows what its save did
// not know; the enterprise reports a suspension and the counsellor follows it up, an overlapping one is refused; an
// early end dated later keeps the agreement `ending` until the daily job, run as of that day, ends it.
describe('agreement loops through the local stage', () => {
  const bakkerij: Actor = { user: 'an.peeters', organisation: 'enterprise:0412345614' };
  const syntra: Actor = { user: 'pieter.beheerder', organisation: 'provider:syntra-mechelen' };
  const dirk: Actor = { user: 'dirk.departement', organisation: 'department:dwse' };
  const { karim, els } = actors;
  const everyone = { jan, bakkerij, sofie, syntra, karim, els, dirk };
  type Who = keyof typeof everyone;
  const brussel = '2.300.000.157';
  const made = {} as {
    verkoper: { id: string; mentors: { id: string }[] };
    first: { id: string; startDate: string };
    second: { id: string; startDate: string };
    draftId: string;
  };

  /** The open tasks about `subjects` on every dashboard are exactly as given (types, sorted); nobody else has one. */
  async function expectTasksAbout(step: string, subjects: string[], expected: Partial<Record<Who, string[]>>) {
    for (const [who, actor] of Object.entries(everyone) as [Who, Actor][]) {
      const reply = await scenario.client.call(actor, 'GET', '/v1/tasks?limit=100');
      expect(reply.status, reply.text).toBe(200);
      const types = (reply.body.items as { type: string; subject: { id: string } }[]).filter((t) => subjects.includes(t.subject.id)).map((t) => t.type);
      expect(types.sort(), `${step}: dashboard of ${who}`).toEqual([...(expected[who] ?? [])].sort());
    }
  }

  let mailSeen = 0;
  /** The e-mails sent since the last call, once there are `count` of them (and not one more after a moment). */
  async function newMail(count: number): Promise<{ subject: string; to: string[] }[]> {
    await scenario.client.mailbox(mailSeen + count);
    await new Promise((r) => setTimeout(r, 300));
    const settled: { subject: string; to: string[] }[] = (await scenario.client.call(null, 'GET', '/_local/mail')).body.messages;
    expect(settled.length, `new mail: ${settled.slice(mailSeen).map((m) => m.subject)}`).toBe(mailSeen + count);
    const fresh = settled.slice(mailSeen);
    mailSeen = settled.length;
    return fresh.map((m) => ({ subject: m.subject, to: m.to })).sort((a, b) => a.subject.localeCompare(b.subject));
  }

  it("counts a mentor person once across two recognitions, and a work version's read re-runs the check", async () => {
    const { call } = scenario.client;
    // The same two people are the mentors of both recognitions (same national numbers): Handel allows 2 learners each.
    const recognise = (programmeId: string) =>
      scenario.client.recogniseWorkplace({
        enterprise: jan,
        enterpriseNumber: '0417.390.703',
        establishmentNumber: brussel,
        programmeId,
        jointCommittee: '311',
        counter: 201,
      });
    const verkoper = await recognise('verkoper-duaal');
    const winkel = await recognise('winkelbediende-duaal');
    made.verkoper = verkoper;
    expect(winkel.mentors.map((m) => m.name)).toEqual(verkoper.mentors.map((m) => m.name));
    const body = (programmeId: string, mentorId: string, counter: number) =>
      scenario.client.agreementBody({ enterpriseNumber: '0417.390.703', establishmentNumber: brussel, programmeId, mentorId, counter });

    made.first = await scenario.client.registerAgreement({
      enterpriseNumber: '0417.390.703',
      establishmentNumber: brussel,
      programmeId: 'verkoper-duaal',
      mentorId: verkoper.mentors[0]!.id,
      counter: 41,
    });
    // A work version for Mieke's last free place, saved while it is free.
    const draft = await call(sofie, 'POST', '/v1/agreements', body('verkoper-duaal', verkoper.mentors[0]!.id, 43));
    expect(draft.status, draft.text).toBe(201);
    expect(draft.body.issues.filter((i: { severity: string }) => i.severity === 'blocking')).toEqual([]);
    made.draftId = draft.body.id;
    // Mieke's second learner, through the other recognition: the same person, so her places are full on both.
    made.second = await scenario.client.registerAgreement({
      enterpriseNumber: '0417.390.703',
      establishmentNumber: brussel,
      programmeId: 'winkelbediende-duaal',
      mentorId: winkel.mentors[0]!.id,
      counter: 42,
    });
    const picker = await call(sofie, 'GET', '/v1/recognitions?programme=verkoper-duaal&enterprise=0417390703');
    const mieke = picker.body.items.find((r: { id: string }) => r.id === verkoper.id).mentors.find((m: { id: string }) => m.id === verkoper.mentors[0]!.id);
    expect(mieke).toMatchObject({ name: 'Mieke Mentor', freePlaces: 0 });
    const third = await call(sofie, 'POST', '/v1/agreements', body('verkoper-duaal', verkoper.mentors[0]!.id, 44));
    expect(third.body.issues.map((i: { code: string }) => i.code)).toContain('mentor-capacity-reached');

    // The work version's read checks again on today's facts and says when; its save found nothing.
    const read = await call(sofie, 'GET', `/v1/agreements/${made.draftId}`);
    expect(read.status, read.text).toBe(200);
    expect(read.body.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'mentor-capacity-reached', severity: 'blocking', pointer: '/mentorId' })]),
    );
    expect(Date.now() - Date.parse(read.body.issuesCheckedAt)).toBeLessThan(60_000);
    expect((await call(syntra, 'GET', `/v1/agreements/${made.draftId}`)).status).toBe(404);
    mailSeen = (await call(null, 'GET', '/_local/mail')).body.messages.length;
  });

  it('lets the enterprise report a suspension that the counsellor follows up; an overlapping one is refused', async () => {
    const { call } = scenario.client;
    const { id, startDate } = made.second;
    const on = (days: number) => iso(addDays(new Date(`${startDate}T12:00:00Z`), days));
    const read = await call(jan, 'GET', `/v1/agreements/${id}`);
    const suspension = { ground: 'illness', from: on(5), to: on(8) };
    expect((await call(bakkerij, 'POST', `/v1/agreements/${id}/suspensions`, suspension, read.body.version)).status).toBe(404);
    expect((await call(syntra, 'POST', `/v1/agreements/${id}/suspensions`, suspension, read.body.version)).status).toBe(404);
    const reported = await call(jan, 'POST', `/v1/agreements/${id}/suspensions`, suspension, read.body.version);
    expect(reported.status, reported.text).toBe(201);
    expect(await newMail(1)).toEqual([{ subject: 'Schorsing gemeld door de onderneming', to: ['sofie.claes@campus-brugge.werkplekduaal.test'] }]);
    await expectTasksAbout('suspension reported', [id], { sofie: ['followUpSuspension'] });

    const current = await call(sofie, 'GET', `/v1/agreements/${id}`);
    const overlapping = await call(
      sofie,
      'POST',
      `/v1/agreements/${id}/suspensions`,
      { ground: 'forceMajeure', from: on(7), to: on(20) },
      current.body.version,
    );
    expect(overlapping.status, overlapping.text).toBe(422);
    expect(overlapping.body.code).toBe('suspension-overlaps');
    expect(overlapping.body.errors).toEqual([expect.objectContaining({ pointer: '/from', code: 'suspension-overlaps' })]);

    const [task] = (await call(sofie, 'GET', '/v1/tasks?type=followUpSuspension')).body.items as { title: string; link: string }[];
    expect(task).toMatchObject({ title: 'Schorsing opvolgen', link: `/v1/agreements/${id}` });
    const suspensionId = current.body.suspensions[0].id;
    expect((await call(syntra, 'POST', `/v1/agreements/${id}/suspensions/${suspensionId}/acknowledge`, undefined, current.body.version)).status).toBe(404);
    const acknowledged = await call(sofie, 'POST', `/v1/agreements/${id}/suspensions/${suspensionId}/acknowledge`, undefined, current.body.version);
    expect(acknowledged.status, acknowledged.text).toBe(204);
    await expectTasksAbout('suspension acknowledged', [id], {});
    const after = await call(sofie, 'GET', `/v1/agreements/${id}`);
    expect((await call(sofie, 'POST', `/v1/agreements/${id}/suspensions/${suspensionId}/acknowledge`, undefined, after.body.version)).body.code).toBe(
      'invalid-transition',
    );
    expect(after.body.history.map((h: { action: string; actor?: { name: string } }) => [h.action, h.actor?.name]).slice(-2)).toEqual([
      ['suspended', 'Jan Van Mega'],
      ['suspension-acknowledged', 'Sofie Claes'],
    ]);
  });

  it('keeps an early end dated later `ending` until the daily job ends it that day, and tells every party', async () => {
    const { call } = scenario.client;
    const { id, startDate } = made.first;
    const endOn = iso(addDays(new Date(`${startDate}T12:00:00Z`), 30));
    const current = await call(sofie, 'GET', `/v1/agreements/${id}`);
    expect(
      (await call(syntra, 'POST', `/v1/agreements/${id}/end`, { kind: 'early', date: endOn, reason: 'Leerling verhuist', by: 'learner' }, current.body.version))
        .status,
    ).toBe(404);
    const ended = await call(
      sofie,
      'POST',
      `/v1/agreements/${id}/end`,
      { kind: 'early', date: endOn, reason: 'Leerling verhuist', by: 'learner' },
      current.body.version,
    );
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ending', endDate: endOn });
    // The counsellor and the enterprise's contacts on the recognition (its file's contact and the legal representative who filed it).
    const parties = ['sofie.claes@campus-brugge.werkplekduaal.test', 'hr@werkplek.test', 'jan@megaworld.werkplekduaal.test'];
    expect(await newMail(1)).toEqual([{ subject: 'Vroegtijdige beëindiging van een overeenkomst geregistreerd', to: parties }]);
    expect((await call(jan, 'GET', `/v1/agreements/${id}`)).body.status).toBe('ending');
    // Until that day the learner still works there: Mieke's places stay taken.
    expect((await call(sofie, 'GET', `/v1/agreements/${made.draftId}`)).body.issues.map((i: { code: string }) => i.code)).toContain('mentor-capacity-reached');

    const dayBefore = await call(null, 'POST', `/_local/schedules/agreements-daily?on=${iso(addDays(new Date(`${endOn}T12:00:00Z`), -1))}`);
    expect(dayBefore.status, dayBefore.text).toBe(202);
    expect((await call(jan, 'GET', `/v1/agreements/${id}`)).body.status).toBe('ending');
    const run = await call(null, 'POST', `/_local/schedules/agreements-daily?on=${endOn}`);
    expect(run.status, run.text).toBe(202);
    const read = await call(jan, 'GET', `/v1/agreements/${id}`);
    expect(read.body).toMatchObject({ status: 'ended', endDate: endOn });
    expect(read.body.history.at(-1)).toMatchObject({ action: 'ended-early', by: 'system:agreements-daily' });
    expect(await newMail(1)).toEqual([{ subject: 'Overeenkomst beëindigd', to: parties }]);
    await expectTasksAbout('ended', [id], {});
    // Mieke's place is free again: the work version's read no longer finds her full.
    expect((await call(sofie, 'GET', `/v1/agreements/${made.draftId}`)).body.issues.map((i: { code: string }) => i.code)).not.toContain(
      'mentor-capacity-reached',
    );
  });
});
