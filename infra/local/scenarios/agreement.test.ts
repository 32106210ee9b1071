// Scenario over HTTP through the local stage, as the portal would drive it: a workplace is recognised with two
// mentors; the counsellor drafts an agreement, fixes the problems the pre-flight check reports, renders the
// PDF (the enterprise's legal representative meanwhile has "Overeenkomst ondertekenen", until the signed copy is
// attached), uploads the annexes, registers; changes the mentor, which produces an addendum and its task; registers
// the signed addendum; and ends the agreement early.
import { addDays } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { actors, iso, useScenarioStage } from '../testing/scenario-client.ts';

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
