// The decisions on an agreement, on their own: given the agreement and the facts its repository read, what is
// decided (or refused, with which field problems), and the tasks they give.
import { describe, expect, it } from 'vitest';
import {
  draftExpiringRef,
  draftExpiringTask,
  finishAddendumTask,
  followUpSuspensionTask,
  processAddressChangeTask,
  processRevocationTask,
  readyForSignatures,
  signAgreementTask,
  signingChange,
} from './agreement-tasks.ts';
import type { AgreementModel } from './agreement-model.ts';
import {
  type Agreement,
  addendumRegistration,
  amendment,
  attachment,
  checkAgreement,
  type DraftFacts,
  type DraftFields,
  draftExpiry,
  draftProblems,
  ending,
  endingReached,
  newDraft,
  type RecognitionFacts,
  recheckedDraft,
  recognitionOn,
  redraft,
  registration,
  type RegistrationFacts,
  suspension,
  suspensionAcknowledgement,
} from './agreements.ts';
import type { Partnership, Programme, Provider } from './reference.ts';

const today = '2027-08-20';
const now = '2027-08-20T08:00:00.000Z';
const rules: Partnership['rules'] = {
  capacityPerMentor: 2,
  capacityPerEstablishment: 3,
  capacityPerEstablishmentByProgramme: {},
  mentorTrainingDeadlineMonths: null,
  mentorMinimumAge: 25,
  mentorMinimumAgeWithProof: 23,
  mentorMinimumExperienceYears: 5,
  requiredDocumentKinds: ['criminalRecordExtract'],
};
const mentor = (id: string, name: string) => ({
  id,
  name,
  active: true,
  withdrawn: false,
  trainingDeadline: null,
  trainingCompletedOn: null,
  trainingExempted: false,
});
const recognition: RecognitionFacts = {
  id: 'E/20260101/000001',
  status: 'active',
  startDate: '2026-01-01',
  endDate: '2030-12-31',
  partnershipId: 'handel',
  mentors: [mentor('anna', 'Anna Verkoop'), mentor('bert', 'Bert Winkel')],
};
const address = { street: 'Kerkstraat', houseNumber: '5', box: null, postcode: '8000', municipality: 'Brugge' };
const fields: DraftFields = {
  learner: {
    firstName: 'Lena',
    lastName: 'Janssens',
    nationalNumber: { value: '10.03.15-001.52', birthDate: '2010-03-15' },
    address,
    legalRepresentative: { name: 'Marc Janssens', address },
    iban: 'BE71096123456769',
    premiumConsent: true,
    priorEducationTier: 2,
    firstTwoYearsSecondaryCompleted: true,
    paid: true,
  },
  enterpriseNumber: '0417390703',
  establishmentNumber: '2123456791',
  enterpriseRepresentative: 'Jan Van Mega',
  enterpriseBankAccount: { iban: 'BE68539007547034', consent: true },
  mentorId: 'anna',
  programmeId: 'verkoper-duaal',
  trajectoryYear: 1,
  lessonLocationId: null,
  providerRepresentative: 'Directeur',
  startDate: '2027-09-01',
  endDate: '2028-06-30',
  weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
};
const programme: Programme = {
  id: 'verkoper-duaal',
  name: 'Verkoper duaal',
  sector: 'handel',
  agreementType: 'OAO',
  educationLevel: 'secondary',
  schoolYears: 2,
};
const provider: Provider = {
  id: 'campus-brugge',
  name: 'Campus Brugge',
  kind: 'secondarySchool',
  mainSeat: address,
  lessonLocations: [{ id: 'campus-brugge-zuid', name: 'Zuid', address }],
  email: 'info@campus.test',
};
const workplace = { recognition, rules, mentorLoad: 0, establishmentLoad: 0, learnerAgreements: [], schoolYears: 2 };
const draftFacts: DraftFacts = {
  programme,
  provider,
  establishmentKnown: true,
  allowances: [{ id: 'tier2', tier: 2, validFrom: '2024-04-01', validTo: null, monthlyAmountCents: 64960, description: 'tier 2' }],
  workplace,
};
const counsellor = { userId: 'sofie', name: 'Sofie', email: 'sofie@campus.test' };

function draft(): Agreement {
  const decided = newDraft(fields, draftFacts, { id: 'A1', providerId: 'campus-brugge', counsellor, now, today });
  if (!decided.ok) throw new Error(decided.refusal);
  return decided.value;
}
const withAnnexes = (a: Agreement): Agreement => ({
  ...a,
  annexes: {
    schedule: { documentId: 'D1', attachedAt: now },
    trainingPlan: { documentId: 'D2', attachedAt: now },
    learnerPremiumConsent: { documentId: 'D3', attachedAt: now },
    signedAgreement: { documentId: 'D4', attachedAt: now },
  },
});
const registrationFacts: RegistrationFacts = { ...workplace, establishmentAddress: { postcode: '2220', country: null } };

function registered(): Agreement {
  const decided = registration(withAnnexes(draft()), registrationFacts, { today, now, by: 'sofie' });
  if (!decided.ok) throw new Error(decided.refusal);
  return { ...decided.value.registered, version: 2 };
}

describe('drafting', () => {
  it('a new draft takes its type and allowance from the reference data and records the recognition and partnership found', () => {
    const a = draft();
    expect(a).toMatchObject({ status: 'draft', agreementType: 'OAO', enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.791' });
    expect(a).toMatchObject({ recognitionId: recognition.id, partnershipId: 'handel', issues: [] });
    expect(a.learningAllowance).toMatchObject({ tier: 2, monthlyAmountCents: 64960 });
  });

  it('names every field that does not match the reference data or KBO', () => {
    const problems = draftProblems(
      { ...fields, lessonLocationId: 'elders', trajectoryYear: 3 },
      { ...draftFacts, establishmentKnown: false, provider: { ...provider, lessonLocations: [] } },
    );
    expect(problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/establishmentNumber', 'establishment-not-of-enterprise'],
      ['/lessonLocationId', 'lesson-location-unknown'],
      ['/trajectoryYear', 'too-big'],
    ]);
    expect(draftProblems(fields, { ...draftFacts, provider: undefined })).toEqual([expect.objectContaining({ in: 'header', pointer: '/X-Organisation' })]);
  });

  it('a saved draft records what changed, the enterprise account by its last four digits only', () => {
    const saved = redraft(draft(), { ...fields, enterpriseBankAccount: { iban: 'BE62510007547061', consent: true } }, draftFacts, { by: 'sofie', today, now });
    expect(saved.ok && saved.value.history).toEqual({
      by: 'sofie',
      action: 'draft-updated',
      before: { enterpriseBankAccount: { iban: 'eindigt op 7034', consent: true } },
      after: { enterpriseBankAccount: { iban: 'eindigt op 7061', consent: true } },
    });
    expect(redraft(registered(), fields, draftFacts, { by: 'sofie', today, now })).toMatchObject({ ok: false, refusal: 'not-a-draft' });
  });

  it('the recognition on the start date is the first active one covering it', () => {
    const revoked = { ...recognition, id: 'R0', status: 'revoked' };
    const later = { ...recognition, id: 'R2', startDate: '2031-01-01', endDate: '2035-12-31' };
    expect(recognitionOn([revoked, recognition, later], { startDate: '2027-09-01' })?.id).toBe(recognition.id);
    expect(recognitionOn([revoked, later], { startDate: '2027-09-01' })).toBeNull();
  });
});

describe('the check on the facts', () => {
  it('counts the mentor and establishment slots against the partnership rules, without the agreement own slots', () => {
    const full = { ...workplace, mentorLoad: 2, establishmentLoad: 3 };
    expect(checkAgreement(draft(), full, today, false).issues.map((i) => i.code)).toEqual(['mentor-capacity-reached', 'establishment-capacity-reached']);
    // A running agreement holds one slot of each: its own is not counted against it.
    expect(checkAgreement(registered(), full, today, false).issues).toEqual([]);
    expect(checkAgreement(draft(), { ...workplace, recognition: null, rules: null }, today, false)).toMatchObject({
      mentorCapacity: 1,
      establishmentCapacity: null,
    });
  });
});

describe('annexes', () => {
  const documents = new Map([
    ['D1', { ownerKey: 'provider:campus-brugge', status: 'verified', kind: 'schedule' }],
    ['D2', { ownerKey: 'provider:campus-brugge', status: 'verified', kind: 'schedule' }],
    ['D3', { ownerKey: 'provider:other', status: 'verified', kind: 'schedule' }],
  ]);
  const context = { ownerKey: 'provider:campus-brugge', by: 'sofie', now };

  it('attaches verified documents of the right kind and shares the schedule with the enterprise', () => {
    const attached = attachment(draft(), { schedule: 'D1' }, documents, context);
    expect(attached.ok && attached.value.shareWithEnterprise).toEqual(['D1']);
    expect(attached.ok && attached.value.history).toMatchObject({ action: 'annexes-attached', before: { schedule: null }, after: { schedule: 'D1' } });
  });

  it('refuses another kind, another organisation document, and annexes after registration', () => {
    expect(attachment(draft(), { trainingPlan: 'D2' }, documents, context)).toMatchObject({
      refusal: 'document-wrong-kind',
      problems: [{ pointer: '/trainingPlan' }],
    });
    expect(attachment(draft(), { schedule: 'D3' }, documents, context)).toMatchObject({ refusal: 'document-not-yours' });
    expect(attachment(registered(), { schedule: 'D1' }, documents, context)).toMatchObject({ refusal: 'annexes-after-registration' });
  });
});

describe('registration', () => {
  it('lists every missing annex and every blocking issue at once', () => {
    const refused = registration(draft(), { ...registrationFacts, mentorLoad: 2 }, { today, now, by: 'sofie' });
    expect(refused.ok ? [] : refused.problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/annexes/schedule', 'annex-missing'],
      ['/annexes/trainingPlan', 'annex-missing'],
      ['/annexes/learnerPremiumConsent', 'annex-missing'],
      ['/annexes/signedAgreement', 'annex-missing'],
      ['/mentorId', 'mentor-capacity-reached'],
    ]);
  });

  it('registers with both premiums, an event per qualifying premium, and the slots maxima', () => {
    const decided = registration(withAnnexes(draft()), registrationFacts, { today, now, by: 'sofie' });
    expect(decided.ok).toBe(true);
    if (!decided.ok) return;
    expect(decided.value.registered).toMatchObject({ status: 'registered', slots: { mentor: 'anna', establishment: '2123456791' } });
    expect(decided.value.premiums.map((p) => [p.kind, p.qualifies])).toEqual([
      ['enterprise', true],
      ['learner', true],
    ]);
    expect(decided.value.events.map((e) => e.eventId)).toEqual(['premium-A1-enterprise', 'premium-A1-learner']);
    expect(decided.value.capacities).toEqual({ mentor: 2, establishment: 3 });
  });

  it('an establishment outside the Flemish Region gets no enterprise premium; registered twice is refused', () => {
    const decided = registration(
      withAnnexes(draft()),
      { ...registrationFacts, establishmentAddress: { postcode: '1000', country: null } },
      { today, now, by: 'sofie' },
    );
    expect(decided.ok && decided.value.premiums[0]!.reasons).toContain('De vestiging ligt niet in het Vlaamse Gewest.');
    expect(registration(registered(), registrationFacts, { today, now, by: 'sofie' })).toMatchObject({ ok: false, refusal: 'already-registered' });
  });
});

describe('after registration', () => {
  const model = {
    agreementTypes: ['OAO'],
    version: '2024.1',
    validFrom: '2024-01-01',
    validTo: null,
    changesNeedingAddendum: ['mentor'],
  } as unknown as AgreementModel;
  const context = { today, now, by: 'sofie', ownerKey: 'provider:campus-brugge' };

  it('a new mentor moves the slot and gets an addendum where the model asks for one; the counsellor does not', () => {
    const changed = amendment(
      registered(),
      { kind: 'mentor', mentorId: 'bert', effectiveDate: '2027-10-01' },
      { models: [model], recognition, rules },
      context,
    );
    expect(changed.ok).toBe(true);
    if (!changed.ok) return;
    expect(changed.value.mentorMove).toEqual({ from: 'anna', to: 'bert', capacity: 2 });
    expect(changed.value.addendum).toMatchObject({ number: 1, effectiveDate: '2027-10-01', changes: [{ before: 'Anna Verkoop', after: 'Bert Winkel' }] });
    const other = amendment(
      registered(),
      { kind: 'counsellor', counsellor: { userId: 'tom', name: 'Tom', email: 'tom@campus.test' } },
      { models: [model] },
      context,
    );
    expect(other.ok && other.value.addendum).toBeNull();
  });

  it('refuses the same mentor, an end date past the last school year, a draft, and a type without a model', () => {
    expect(amendment(registered(), { kind: 'mentor', mentorId: 'anna', effectiveDate: today }, { models: [model], recognition, rules }, context)).toMatchObject(
      {
        refusal: 'mentor-unchanged',
      },
    );
    expect(amendment(registered(), { kind: 'endDate', endDate: '2029-07-31' }, { models: [model], schoolYears: 2 }, context)).toMatchObject({
      refusal: 'end-date-invalid',
      problems: [{ code: 'end-after-last-school-year' }],
    });
    expect(amendment(draft(), { kind: 'endDate', endDate: '2028-01-31' }, { models: [model] }, context)).toMatchObject({ refusal: 'not-running' });
    expect(amendment(registered(), { kind: 'endDate', endDate: '2028-01-31' }, { models: [], schoolYears: 2 }, context)).toMatchObject({
      refusal: 'no-agreement-model',
      detail: expect.stringContaining('OAO'),
    });
  });

  it('an addendum is registered once, with a signed document of the counsellor organisation', () => {
    const withAddendum = amendment(registered(), { kind: 'mentor', mentorId: 'bert', effectiveDate: today }, { models: [model], recognition, rules }, context);
    const amended = withAddendum.ok ? withAddendum.value.next : registered();
    const signed = { documentId: 'S1', document: { ownerKey: 'provider:campus-brugge', status: 'verified', kind: 'addendum' } };
    const done = addendumRegistration(amended, 1, signed, context);
    expect(done.ok && done.value.next.addenda[0]).toMatchObject({ status: 'registered', signedDocumentId: 'S1' });
    expect(addendumRegistration(done.ok ? done.value.next : amended, 1, signed, context)).toMatchObject({ refusal: 'addendum-registered' });
    expect(addendumRegistration(amended, 2, signed, context)).toMatchObject({ refusal: 'addendum-not-found' });
  });

  const byCounsellor = { by: 'sofie', now, reporter: 'provider' as const };
  const byEnterprise = { by: 'jan', now, reporter: 'enterprise' as const };

  it('a suspension lies within the term; one of more than 14 days is reported', () => {
    const long = suspension(registered(), { ground: 'illness', from: '2027-10-01', to: '2027-10-15' }, { id: 'S1', ...byCounsellor });
    expect(long.ok && long.value.suspension).toMatchObject({ reported: true, reportedBy: 'provider', acknowledged: null });
    const short = suspension(registered(), { ground: 'illness', from: '2027-10-01', to: '2027-10-14' }, { id: 'S1', ...byCounsellor });
    expect(short.ok && short.value.suspension.reported).toBe(false);
    expect(suspension(registered(), { ground: 'illness', from: '2027-10-15', to: '2027-10-01' }, { id: 'S2', ...byCounsellor })).toMatchObject({
      refusal: 'suspension-invalid',
      problems: [{ pointer: '/to' }],
    });
  });

  it('a suspension the enterprise reports is for the counsellor to follow up, however short', () => {
    const reported = suspension(registered(), { ground: 'forceMajeure', from: '2027-10-04', to: '2027-10-05' }, { id: 'S1', ...byEnterprise });
    expect(reported.ok && reported.value.suspension).toMatchObject({ reported: true, reportedBy: 'enterprise', recordedBy: 'jan' });
    expect(reported.ok && reported.value.history).toMatchObject({ action: 'suspended', after: { suspensionId: 'S1', reportedBy: 'enterprise' } });
  });

  it('refuses a suspension that shares a day with another, naming its dates', () => {
    const first = suspension(registered(), { ground: 'illness', from: '2027-10-01', to: '2027-10-20' }, { id: 'S1', ...byCounsellor });
    if (!first.ok) throw new Error(first.refusal);
    const withOne = first.value.next;
    for (const [from, to] of [
      ['2027-10-20', '2027-10-25'],
      ['2027-09-25', '2027-10-01'],
      ['2027-10-05', '2027-10-06'],
      ['2027-09-01', '2027-11-30'],
    ] as const) {
      expect(suspension(withOne, { ground: 'accident', from, to }, { id: 'S2', ...byEnterprise }), `${from}..${to}`).toMatchObject({
        ok: false,
        refusal: 'suspension-overlaps',
        detail: 'Deze schorsing overlapt met de schorsing van 2027-10-01 tot 2027-10-20.',
        problems: [{ pointer: '/from', code: 'suspension-overlaps' }],
      });
    }
    // The day after is free.
    expect(suspension(withOne, { ground: 'accident', from: '2027-10-21', to: '2027-10-22' }, { id: 'S2', ...byEnterprise }).ok).toBe(true);
  });

  it('a reported suspension is acknowledged once, with who and when; one not reported has nothing to acknowledge', () => {
    const reported = suspension(registered(), { ground: 'illness', from: '2027-10-04', to: '2027-10-05' }, { id: 'S1', ...byEnterprise });
    if (!reported.ok) throw new Error(reported.refusal);
    const done = suspensionAcknowledgement(reported.value.next, 'S1', { by: 'sofie', name: 'Sofie', now });
    expect(done.ok && done.value.suspension.acknowledged).toEqual({ by: 'sofie', name: 'Sofie', at: now });
    expect(done.ok && done.value.history).toMatchObject({ action: 'suspension-acknowledged', after: { suspensionId: 'S1', acknowledged: true } });
    expect(suspensionAcknowledgement(done.ok ? done.value.next : registered(), 'S1', { by: 'sofie', name: 'Sofie', now })).toMatchObject({
      refusal: 'already-acknowledged',
    });
    expect(suspensionAcknowledgement(registered(), 'S9', { by: 'sofie', name: 'Sofie', now })).toMatchObject({ refusal: 'suspension-not-found' });
    const short = suspension(registered(), { ground: 'illness', from: '2027-10-04', to: '2027-10-05' }, { id: 'S2', ...byCounsellor });
    expect(suspensionAcknowledgement(short.ok ? short.value.next : registered(), 'S2', { by: 'sofie', name: 'Sofie', now })).toMatchObject({
      refusal: 'not-reported',
    });
  });

  it('an early end dated today ends at once and frees the slots; a normal ending falls on the end date', () => {
    const onTheDay = '2027-10-15';
    const early = ending(registered(), { kind: 'early', date: onTheDay, reason: 'Stopt', by: 'learner' }, { by: 'sofie', now, today: onTheDay });
    expect(early.ok && early.value.next).toMatchObject({ status: 'ended', endDate: onTheDay, slots: null });
    expect(early.ok && early.value).toMatchObject({
      scheduled: false,
      freed: { mentor: 'anna', establishment: '2123456791' },
      history: { action: 'ended-early' },
    });
    expect(ending(registered(), { kind: 'normal', date: '2028-01-31', reason: 'Stopt', by: 'learner' }, { by: 'sofie', now, today })).toMatchObject({
      refusal: 'ending-invalid',
      problems: [{ code: 'not-planned-end' }],
    });
  });

  it('an early end dated later makes the agreement ending until that day, keeping its slots; the day itself ends it', () => {
    const later = ending(registered(), { kind: 'early', date: '2028-01-31', reason: 'Opzegging', by: 'learner' }, { by: 'sofie', now, today });
    if (!later.ok) throw new Error(later.refusal);
    expect(later.value).toMatchObject({ scheduled: true, freed: null, history: { action: 'early-end-recorded', after: { status: 'ending' } } });
    const pending = { ...later.value.next, version: 3 };
    expect(pending).toMatchObject({ status: 'ending', endDate: '2028-01-31', slots: { mentor: 'anna' }, ending: { date: '2028-01-31', kind: 'early' } });

    expect(endingReached(pending, { today: '2028-01-30', now })).toMatchObject({ ok: false, refusal: 'not-yet' });
    const reached = endingReached(pending, { today: '2028-01-31', now });
    expect(reached.ok && reached.value).toMatchObject({
      next: { status: 'ended', slots: null, endDate: '2028-01-31' },
      freed: { mentor: 'anna', establishment: '2123456791' },
      history: { by: 'system:agreements-daily', action: 'ended-early', before: { status: 'ending' }, after: { status: 'ended' } },
    });
    expect(endingReached(registered(), { today: '2028-01-31', now })).toMatchObject({ refusal: 'not-ending' });
  });

  it('while ending: a second end and amendments other than the counsellor are invalid; a suspension within the remaining term is not', () => {
    const later = ending(registered(), { kind: 'early', date: '2028-01-31', reason: 'Opzegging', by: 'learner' }, { by: 'sofie', now, today });
    if (!later.ok) throw new Error(later.refusal);
    const pending = later.value.next;
    for (const request of [
      { kind: 'early' as const, date: '2028-01-31', reason: 'Opnieuw', by: 'learner' },
      { kind: 'early' as const, date: '2028-02-15', reason: 'Later', by: 'learner' },
      { kind: 'normal' as const, date: '2028-06-30', reason: 'Toch tot het einde', by: 'mutual' },
    ])
      expect(ending(pending, request, { by: 'sofie', now, today }), request.date).toMatchObject({
        refusal: 'already-ending',
        detail: expect.stringContaining('2028-01-31'),
      });
    // An urgent reason ends it earlier: at once when dated today, or on the new, earlier day.
    const urgent = ending(pending, { kind: 'early', date: '2027-12-31', reason: 'Dringende reden', by: 'enterprise' }, { by: 'sofie', now, today });
    expect(urgent.ok && urgent.value.next).toMatchObject({ status: 'ending', endDate: '2027-12-31', ending: { date: '2027-12-31' } });
    for (const request of [
      { kind: 'mentor' as const, mentorId: 'bert', effectiveDate: '2027-10-01' },
      { kind: 'endDate' as const, endDate: '2028-03-31' },
      { kind: 'establishmentAddress' as const, effectiveDate: '2027-10-01' },
    ])
      expect(amendment(pending, request, { models: [model], recognition, rules, schoolYears: 2 }, context), request.kind).toMatchObject({ refusal: 'ending' });
    const counsellorChange = { kind: 'counsellor' as const, counsellor: { userId: 'tom', name: 'Tom', email: 'tom@campus.test' } };
    expect(amendment(pending, counsellorChange, { models: [model] }, context).ok).toBe(true);
    expect(suspension(pending, { ground: 'illness', from: '2027-12-01', to: '2027-12-20' }, { id: 'S1', ...byEnterprise }).ok).toBe(true);
    expect(suspension(pending, { ground: 'illness', from: '2028-01-20', to: '2028-02-10' }, { id: 'S1', ...byEnterprise })).toMatchObject({
      refusal: 'suspension-invalid',
      problems: [{ code: 'outside-agreement' }],
    });
  });
});

describe('a work version read again', () => {
  it('runs the check on the facts of now: a mentor whose capacity filled since the save blocks, dated now', () => {
    const saved = draft();
    expect(saved.issues).toEqual([]);
    expect(saved.issuesCheckedAt).toBe(now);
    const later = '2027-08-25T10:00:00.000Z';
    const read = recheckedDraft(saved, { ...workplace, mentorLoad: 2 }, '2027-08-25', later);
    expect(read.issues).toEqual([expect.objectContaining({ code: 'mentor-capacity-reached', pointer: '/mentorId', severity: 'blocking' })]);
    expect(read.issuesCheckedAt).toBe(later);
    // A registered agreement keeps the check of its registration.
    expect(recheckedDraft(registered(), { ...workplace, mentorLoad: 5 }, '2027-08-25', later).issuesCheckedAt).toBe(now);
  });
});

describe('agreement tasks', () => {
  const agreement = registered();
  const link = {
    agreementId: 'A1',
    providerId: 'campus-brugge',
    counsellor,
    learnerName: 'Lena Janssens',
    establishmentNumber: '2.123.456.791',
    endDate: '2028-06-30',
  };
  const event = { eventId: 'E1', recognitionId: recognition.id };

  it('are for the counsellors of the provider, with deterministic ids and links to routes that exist', () => {
    const tasks = [
      finishAddendumTask(agreement, 1, now),
      draftExpiringTask(draft(), now),
      followUpSuspensionTask(
        agreement,
        { id: 'S1', ground: 'illness', from: '2027-10-01', to: '2027-10-20', reported: true, recordedBy: 'sofie', at: now },
        now,
      ),
      processRevocationTask(link, event, now),
      processAddressChangeTask(link, event, now),
    ];
    expect(tasks.map((t) => [t.type, t.id, t.link, t.dueDate])).toEqual([
      ['finishAddendum', 'addendum:A1:1', '/v1/agreements/A1/addenda/1', null],
      ['draftExpiring', 'draft-expiring:A1:2027-11-04', '/v1/agreements/A1', '2027-11-18'],
      ['followUpSuspension', 'suspension:A1:S1', '/v1/agreements/A1', '2027-10-20'],
      ['processRevocation', 'processRevocation:A1:E1', '/v1/agreements/A1', null],
      ['processAddressChange', 'processAddressChange:A1:E1', '/v1/agreements/A1', null],
    ]);
    for (const task of tasks) expect(task).toMatchObject({ organisationKey: 'provider:campus-brugge', roles: ['counsellor'], status: 'open' });
  });

  it('a draft has no expiry warning to close before its warning day', () => {
    expect(draftExpiringRef(draft(), '2027-11-03')).toBeNull();
    expect(draftExpiringRef(draft(), '2027-11-04')).toEqual({ organisationKey: 'provider:campus-brugge', id: 'draft-expiring:A1:2027-11-04' });
  });
});

describe('the enterprise signs a work version that is ready for signatures', () => {
  const blocked = (a: Agreement): Agreement => ({
    ...a,
    issues: [{ code: 'mentor-capacity-reached', severity: 'blocking', pointer: '/mentorId', detail: 'vol' }],
  });
  const warned = (a: Agreement): Agreement => ({
    ...a,
    issues: [{ code: 'ends-after-recognition', severity: 'warning', pointer: '/endDate', detail: 'later' }],
  });
  const signed = (a: Agreement): Agreement => ({ ...a, annexes: { ...a.annexes, signedAgreement: { documentId: 'D4', attachedAt: now } } });

  it('is ready when its check blocks nothing (warnings do not block) and until the signed agreement is attached', () => {
    expect(readyForSignatures(draft())).toBe(true);
    expect(readyForSignatures(warned(draft()))).toBe(true);
    expect(readyForSignatures(blocked(draft()))).toBe(false);
    expect(readyForSignatures(signed(draft()))).toBe(false);
    expect(readyForSignatures(registered())).toBe(false);
  });

  it('opens the task when a save makes the version ready, closes it when it stops being ready, and moves with the enterprise', () => {
    const ready = draft();
    expect(signingChange(undefined, ready)).toEqual({ close: false, open: true });
    expect(signingChange(undefined, blocked(ready))).toEqual({ close: false, open: false });
    expect(signingChange(blocked(ready), ready)).toEqual({ close: false, open: true });
    // Saved again while ready: the open task stays, nothing is opened twice.
    expect(signingChange(ready, warned(ready))).toEqual({ close: false, open: false });
    expect(signingChange(ready, blocked(ready))).toEqual({ close: true, open: false });
    expect(signingChange(ready, signed(ready))).toEqual({ close: true, open: false });
    // Another enterprise named: the first one's task closes and the new one's opens.
    expect(signingChange(ready, { ...ready, enterpriseNumber: '0412.345.614' })).toEqual({ close: true, open: true });
    expect(signingChange(blocked(ready), blocked({ ...ready, enterpriseNumber: '0412.345.614' }))).toEqual({ close: false, open: false });
  });

  it("is the legal representative's, labelled with the programme, establishment and provider and no learner, due on the start date", () => {
    const task = signAgreementTask(draft(), { programme: 'Verkoper duaal', establishment: 'Mega World Heist', provider: 'Campus Brugge' }, now);
    expect(task).toMatchObject({
      id: 'sign-agreement:A1:1',
      type: 'signAgreement',
      title: 'Overeenkomst ondertekenen',
      organisationKey: 'enterprise:0417390703',
      roles: ['legalRepresentative'],
      subject: { kind: 'agreement', id: 'A1', label: 'Verkoper duaal, vestiging Mega World Heist (2.123.456.791), met Campus Brugge, start 2027-09-01' },
      dueDate: '2027-09-01',
      link: '/v1/agreements/A1',
    });
    expect(task.subject.label).not.toMatch(/Lena|Janssens/);
    // A later version that is ready again opens a task of its own.
    expect(signAgreementTask({ ...draft(), version: 4 }, {}, now).id).toBe('sign-agreement:A1:4');
  });
});

describe('a work version expires on its day', () => {
  it('expires on its expiry day, not before, once, and only as a work version', () => {
    const a = draft();
    expect(draftExpiry(a, '2027-11-17')).toMatchObject({ ok: false, refusal: 'not-yet' });
    const expired = draftExpiry(a, '2027-11-18');
    expect(expired).toEqual({
      ok: true,
      value: {
        expiredOn: '2027-11-18',
        history: {
          by: 'system:agreements-daily',
          action: 'draft-expired',
          before: { status: 'draft' },
          after: { expiredOn: '2027-11-18', lastSavedOn: '2027-08-20' },
        },
      },
    });
    expect(draftExpiry({ ...a, expiredAt: '2027-11-18T03:00:00.000Z' }, '2027-11-19')).toMatchObject({ ok: false, refusal: 'already-expired' });
    expect(draftExpiry(registered(), '2028-01-01')).toMatchObject({ ok: false, refusal: 'not-a-draft' });
  });
});
