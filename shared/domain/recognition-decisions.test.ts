// The decisions of each step of a file, a recognition, a sanction and an appeal, on their own (no AWS):
// what the step produces, and the rule that refuses it.
import { describe, expect, it } from 'vitest';
import partnerships from '../../reference-data/partnerships.json' with { type: 'json' };
import type { Mandate } from './mandates.ts';
import { appealable, appealConfirmation, appealOutcome, newAppeal } from './appeals.ts';
import { partnershipSchema } from './reference.ts';
import { exclusionScope, newSanction, withdrawal } from './sanctions.ts';
import {
  applicationAudience,
  approvedMentor,
  blockingProblems,
  changedMentor,
  decision,
  decisionRefusal,
  filerOf,
  filerRefusal,
  newApplication,
  partnershipStep,
  proposal,
  rejectedMentor,
  renewalOf,
  submissionRefusal,
  submitted,
  withContent,
  type Actor,
  type Application,
  type Recognition,
  type SubmissionFacts,
} from './recognitions.ts';

const handel = partnershipSchema.parse(partnerships.find((p) => p.id === 'handel'));
const now = '2026-11-02T08:00:00.000Z';
const jan = { type: 'enterprise', id: '0417390703', key: 'enterprise:0417390703', roles: ['user'] };
const sofie = { type: 'provider', id: 'campus-brugge', key: 'provider:campus-brugge', roles: ['counsellor'] };
/** Who does a step, as a handler passes it (names of the time). */
const person = (userId: string): Actor => ({ userId, name: `Naam ${userId}`, organisationKey: null, organisationName: null, roles: [] });

const draft = (over: Partial<Application> = {}): Application => ({
  ...newApplication({
    id: 'A1',
    enterpriseDigits: '0417390703',
    establishmentDigits: '2123456791',
    enterpriseName: 'Mega World',
    establishmentName: 'Mega World Heist',
    programmeId: 'verkoper-duaal',
    contactEmails: ['hr@megaworld.test', undefined, 'hr@megaworld.test', 'jan@megaworld.test'],
    filedBy: filerOf(jan, 'jan'),
    now,
  }),
  criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
  mentors: [
    {
      id: 'M1',
      name: 'Mieke Mentor',
      nationalNumber: '80.01.01-001.07',
      birthDate: '1980-01-01',
      yearsOfExperience: 12,
      proofDocumentId: null,
      criminalRecordExtract: { documentId: 'D1', issuedOn: '2026-10-01' },
    },
  ],
  ...over,
});
const facts = (over: Partial<SubmissionFacts> = {}): SubmissionFacts => ({
  today: '2026-11-02',
  establishment: { region: 'flanders', status: 'active' },
  partnership: handel,
  documents: new Map([['D1', { kind: 'criminalRecordExtract', status: 'verified' }]]),
  exclusion: undefined,
  mandate: undefined,
  ...over,
});
const mandate = (status: Mandate['status']): Mandate => ({
  enterpriseNumber: '0417.390.703',
  providerId: 'campus-brugge',
  registrationId: 'R1',
  documentId: 'MD',
  status,
  enterpriseEmail: 'info@megaworld.test',
  registeredBy: 'sofie',
  registeredByEmail: 'sofie@campus.test',
  registeredAt: now,
  confirmedBy: null,
  confirmedAt: null,
  rejection: null,
  revokedBy: null,
  revokedAt: null,
  version: 1,
});
const underReview = () => draft({ status: 'underReview', partnershipId: 'handel', reviewRound: 1, submittedAt: now, clockStartedAt: now, version: 5 });

describe('drafts and their content', () => {
  it('a new draft has the official number forms, each contact address once, and nothing reviewed', () => {
    const a = newApplication({
      id: 'A1',
      enterpriseDigits: '0417390703',
      establishmentDigits: '2123456791',
      enterpriseName: null,
      establishmentName: null,
      programmeId: 'verkoper-duaal',
      contactEmails: ['hr@megaworld.test', undefined, 'hr@megaworld.test', null, 'info@megaworld.test'],
      filedBy: filerOf(sofie, 'sofie'),
      now,
    });
    expect(a).toMatchObject({ enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.791', status: 'draft', reviewRound: 0, version: 1 });
    expect(a.contactEmails).toEqual(['hr@megaworld.test', 'info@megaworld.test']);
    expect(a.filedBy).toEqual({ organisationKey: 'provider:campus-brugge', userId: 'sofie', role: 'counsellor', providerId: 'campus-brugge' });
  });

  it('files for its own enterprise only, and a counsellor only with a mandate', () => {
    expect(filerRefusal(jan, '0417390703', 'none')).toBeUndefined();
    expect(filerRefusal(jan, '0412345614', 'none')).toBe('not-your-enterprise');
    expect(filerRefusal(sofie, '0417390703', 'none')).toBe('mandate-required');
    expect(filerRefusal(sofie, '0417390703', 'ownFiles')).toBeUndefined();
  });

  it('shows a file to its enterprise, to a counsellor within the mandate, to the partnership it was routed to and the department', () => {
    const byCounsellor = draft({ filedBy: filerOf(sofie, 'sofie'), partnershipId: 'handel' });
    expect(applicationAudience(byCounsellor, jan, 'none')).toBe('enterprise');
    expect(applicationAudience(byCounsellor, { ...jan, id: '0412345614' }, 'none')).toBeUndefined();
    expect(applicationAudience(byCounsellor, sofie, 'ownFiles')).toBe('counsellor');
    expect(applicationAudience(draft(), sofie, 'ownFiles')).toBeUndefined();
    expect(applicationAudience(draft(), sofie, 'allFiles')).toBe('counsellor');
    expect(applicationAudience(byCounsellor, sofie, 'none')).toBeUndefined();
    expect(applicationAudience(byCounsellor, { type: 'partnership', id: 'handel', roles: ['consultant'] }, 'none')).toBe('partnership');
    expect(applicationAudience(draft(), { type: 'partnership', id: 'handel', roles: ['consultant'] }, 'none')).toBeUndefined();
    expect(applicationAudience(draft(), { type: 'department', id: 'dwse', roles: ['administrator'] }, 'none')).toBe('department');
  });

  it('records what the content changed', () => {
    const next = withContent(draft(), { ...draft(), mentors: [], documents: [{ kind: 'other', documentId: 'X' }], jointCommittee: undefined }, person('jan'));
    expect(next.change).toEqual({
      by: 'jan',
      actor: person('jan'),
      action: 'updated',
      before: { mentors: 1, documents: 0 },
      after: { mentors: 0, documents: 1 },
    });
    expect(next.application.jointCommittee).toBeNull();
  });
});

describe('submission', () => {
  it('moves a complete file to the competent partnership with a new round; the 14 days run on from the first submission', () => {
    const s = submitted(draft(), facts({ establishment: { region: 'flanders', status: 'active', name: 'Mega World Heist-Centrum' } }), person('jan'), now);
    expect(s.application).toMatchObject({ status: 'submitted', partnershipId: 'handel', reviewRound: 1, submittedAt: now, clockStartedAt: now });
    expect(s.application.establishmentName).toBe('Mega World Heist-Centrum');
    expect(s.change).toMatchObject({ action: 'submitted', actor: person('jan'), after: { status: 'submitted', partnershipId: 'handel', round: 1 } });
    expect(s.readableDocumentIds).toEqual(['D1']);
    const asked = partnershipStep(
      { ...s.application, reminderSentAt: '2026-11-03T08:00:00.000Z' },
      { action: 'request-completion', message: 'Graag het attest.' },
      person('karim'),
      '2026-11-03T08:00:00.000Z',
      2,
    );
    expect(asked.ok && asked.value.application.reviewPauses).toEqual([
      { kind: 'completionRequest', from: '2026-11-03T08:00:00.000Z', until: null, reason: 'Graag het attest.' },
    ]);
    const again = submitted(asked.ok ? asked.value.application : s.application, facts(), person('jan'), '2026-11-05T08:00:00.000Z');
    expect(again.application).toMatchObject({ reviewRound: 2, submittedAt: now, clockStartedAt: '2026-11-05T08:00:00.000Z' });
    // The completion request paused the clock until the resubmission; a reminder already sent is not sent again.
    expect(again.application.reviewPauses).toEqual([
      { kind: 'completionRequest', from: '2026-11-03T08:00:00.000Z', until: '2026-11-05T08:00:00.000Z', reason: 'Graag het attest.' },
    ]);
    expect(again.application.reminderSentAt).toBe('2026-11-03T08:00:00.000Z');
    expect(again.change.action).toBe('resubmitted');
  });

  it('lets the partnership read the mandate a counsellor filed under, while it counts', () => {
    const byCounsellor = draft({ filedBy: filerOf(sofie, 'sofie') });
    expect(submitted(byCounsellor, facts({ mandate: mandate('pending') }), person('sofie'), now).readableDocumentIds).toEqual(['D1', 'MD']);
    expect(submitted(byCounsellor, facts({ mandate: mandate('revoked') }), person('sofie'), now).readableDocumentIds).toEqual(['D1']);
  });

  it('is blocked by an exclusion and by a mandate that ended, next to the file’s own problems', () => {
    const byCounsellor = draft({ filedBy: filerOf(sofie, 'sofie') });
    const codes = blockingProblems(byCounsellor, facts({ exclusion: 'enterprise', mandate: mandate('revoked') })).map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['enterprise-excluded', 'mandate-missing', 'document-missing']));
    expect(blockingProblems(draft(), facts())).toEqual([]);
    expect(submissionRefusal(draft({ status: 'underReview' }))).toBe('not-submittable');
  });
});

describe("the partnership's steps and the decision", () => {
  it('pauses with the version the pause saves, resumes only a paused file, and asks for completion with a message', () => {
    const paused = partnershipStep(underReview(), { action: 'pause', reason: 'Bezoek' }, person('karim'), now, 5);
    expect(paused.ok && paused.value.application).toMatchObject({ status: 'paused', pauseReason: 'Bezoek', pausedInVersion: 6 });
    expect(paused.ok && paused.value.application.reviewPauses).toEqual([{ kind: 'pause', from: now, until: null, reason: 'Bezoek' }]);
    if (!paused.ok) throw new Error('pause refused');
    const resumed = partnershipStep(paused.value.application, { action: 'resume' }, person('karim'), '2026-11-04T08:00:00.000Z', 6);
    expect(resumed.ok && resumed.value.application.reviewPauses).toEqual([{ kind: 'pause', from: now, until: '2026-11-04T08:00:00.000Z', reason: 'Bezoek' }]);
    expect(partnershipStep(underReview(), { action: 'resume' }, person('karim'), now, 5)).toEqual({ ok: false, conflict: 'transition-not-allowed' });
    const incomplete = partnershipStep(underReview(), { action: 'request-completion', message: 'Graag het uittreksel.' }, person('karim'), now, 5);
    expect(incomplete.ok && incomplete.value.application.completionRequest).toEqual({ message: 'Graag het uittreksel.', at: now, by: 'karim' });
    expect(partnershipStep(draft(), { action: 'mark-complete' }, person('karim'), now, 1).ok).toBe(false);
  });

  it('decides only a file under review with a proposal', () => {
    expect(decisionRefusal(draft(), 'recognised')).toBe('not-decidable');
    expect(decisionRefusal(underReview(), 'recognised')).toBe('proposal-required');
    expect(proposal(draft(), { decision: 'recognise', reasons: 'ok' }, person('karim'), now)).toEqual({ ok: false, conflict: 'not-under-review' });
    const proposed = proposal(underReview(), { decision: 'recognise', reasons: 'ok' }, person('karim'), now);
    expect(proposed.ok && decisionRefusal(proposed.value.application, 'recognised')).toBeUndefined();
  });

  it('recognises for 5 years with the training deadline of the partnership, or rejects; the extracts go 60 days later', () => {
    const recognised = decision(
      underReview(),
      { decision: 'recognised', reasons: 'In orde', startDate: '2026-11-15' },
      {
        id: 'E/20261102/000001',
        establishment: { name: 'Mega World Heist', postcode: '2220', municipality: 'Heist' },
        programme: { sector: 'handel', name: 'Verkoper duaal' },
        trainingMonths: 12,
      },
      person('els'),
      now,
      '2026-11-02',
    );
    expect(recognised.recognition).toMatchObject({
      id: 'E/20261102/000001',
      startDate: '2026-11-15',
      endDate: '2031-11-14',
      status: 'active',
      placeAvailable: false,
    });
    expect(recognised.recognition!.mentors).toEqual([expect.objectContaining({ id: 'M1', active: true, trainingDeadline: '2027-11-15' })]);
    expect(recognised.recognition!.workplace).toEqual({
      name: 'Mega World Heist',
      postcode: '2220',
      municipality: 'Heist',
      sector: 'handel',
      programmeName: 'Verkoper duaal',
    });
    expect(recognised.application.decision).toMatchObject({ decision: 'recognised', recognitionId: 'E/20261102/000001', by: 'els' });
    expect(recognised.retentionOn).toBe('2027-01-01');
    const rejected = decision(underReview(), { decision: 'notRecognised', reasons: 'Nee' }, undefined, person('els'), now, '2026-11-02');
    expect([rejected.recognition, rejected.application.status, rejected.change.after]).toEqual([
      null,
      'notRecognised',
      { status: 'notRecognised', recognitionId: null },
    ]);
  });
});

const recognition = (over: Partial<Recognition> = {}): Recognition => ({
  id: 'E/20261102/000001',
  applicationId: 'A1',
  enterpriseNumber: '0417.390.703',
  establishmentNumber: '2.123.456.791',
  programmeId: 'verkoper-duaal',
  partnershipId: 'handel',
  startDate: '2026-11-15',
  endDate: '2031-11-14',
  status: 'active',
  mentors: [
    {
      id: 'M1',
      name: 'Mieke',
      birthDate: '1980-01-01',
      active: true,
      withdrawn: false,
      trainingDeadline: null,
      trainingCompletedOn: null,
      trainingExempted: false,
    },
    {
      id: 'M2',
      name: 'Jan',
      birthDate: '1981-01-01',
      active: false,
      withdrawn: false,
      trainingDeadline: null,
      trainingCompletedOn: null,
      trainingExempted: false,
    },
  ],
  pendingMentors: [],
  placeAvailable: false,
  contactEmails: ['hr@megaworld.test'],
  revocation: null,
  workplace: { name: 'Mega World Heist', postcode: '2220', municipality: 'Heist', sector: 'handel', programmeName: 'Verkoper duaal' },
  decidedBy: 'els',
  decidedAt: now,
  version: 1,
  ...over,
});

describe('recognitions after the decision', () => {
  it('renews with the active mentors only, each without an extract, as a new draft', () => {
    const renewal = renewalOf(recognition(), draft({ status: 'recognised', reviewRound: 2, version: 9 }), filerOf(jan, 'jan'), 'A2', now, () => true);
    expect(renewal).toMatchObject({ id: 'A2', kind: 'renewal', renewsRecognitionId: 'E/20261102/000001', status: 'draft', reviewRound: 0, version: 1 });
    expect(renewal.mentors.map((m) => [m.id, m.criminalRecordExtract])).toEqual([['M1', null]]);
    expect(renewal.reviewPauses).toEqual([]);
  });

  it('prefills only the documents the renewing filer may attach itself', () => {
    const byCounsellor = draft({
      status: 'recognised',
      filedBy: filerOf(sofie, 'sofie'),
      documents: [
        { kind: 'declarationOnHonour', documentId: 'COUNSELLORS' },
        { kind: 'rszCertificate', documentId: 'ENTERPRISES' },
      ],
      mentors: [{ ...draft().mentors[0]!, proofDocumentId: 'COUNSELLORS-PROOF' }],
    });
    const own = new Set(['ENTERPRISES']);
    const renewal = renewalOf(recognition(), byCounsellor, filerOf(jan, 'jan'), 'A2', now, (id) => own.has(id));
    expect(renewal.documents).toEqual([{ kind: 'rszCertificate', documentId: 'ENTERPRISES' }]);
    expect(renewal.mentors[0]).toMatchObject({ id: 'M1', proofDocumentId: null, criminalRecordExtract: null });
    expect(renewal.filedBy).toMatchObject({ role: 'enterprise' });
  });

  it("prefills the enterprise's own addresses, not the counsellor's, when a counsellor filed the first file", () => {
    const byCounsellor = draft({
      status: 'recognised',
      filedBy: filerOf(sofie, 'sofie'),
      contactEmails: ['hr@mega.test', 'sofie@campus.test', 'info@mega.test'],
    });
    const renewal = renewalOf(recognition(), byCounsellor, filerOf(jan, 'jan'), 'A2', now, () => true, ['jan@mega.test', 'info@mega.test', null]);
    expect(renewal.contactEmails).toEqual(['jan@mega.test', 'info@mega.test']);
    const byEnterprise = draft({ status: 'recognised', contactEmails: ['hr@mega.test'] });
    expect(renewalOf(recognition(), byEnterprise, filerOf(jan, 'jan'), 'A2', now, () => true, ['jan@mega.test']).contactEmails).toEqual(['hr@mega.test']);
  });

  it('approves or rejects only a waiting mentor, and never reactivates a withdrawn one', () => {
    const waiting = recognition({ pendingMentors: [{ ...draft().mentors[0]!, id: 'P1', requestedAt: now }] });
    const approved = approvedMentor(waiting, 'P1', '2027-01-10', 6);
    expect(approved.ok && approved.value.mentors.at(-1)).toMatchObject({ id: 'P1', active: true, trainingDeadline: '2027-07-10' });
    expect(approved.ok && approved.value.pendingMentors).toEqual([]);
    expect(approvedMentor(waiting, 'X', '2027-01-10', 6)).toEqual({ ok: false, conflict: 'mentor-not-pending' });
    expect(rejectedMentor(recognition(), 'P1')).toEqual({ ok: false, conflict: 'mentor-not-pending' });
    const withdrawn = recognition({ mentors: [{ ...recognition().mentors[0]!, active: false, withdrawn: true }] });
    expect(changedMentor(withdrawn, 'M1', { action: 'reactivate' })).toEqual({ ok: false, conflict: 'mentor-withdrawn' });
    expect(changedMentor(recognition(), 'X', { action: 'deactivate' })).toEqual({ ok: false, conflict: 'mentor-unknown' });
  });
});

describe('sanctions', () => {
  const byHandel = { type: 'partnership', id: 'handel', key: 'partnership:handel' };
  const sanction = newSanction({
    id: 'S1',
    kind: 'withdrawMentor',
    enterpriseNumber: '0417.390.703',
    subject: 'x',
    reasons: 'r',
    until: null,
    acting: byHandel,
    by: 'els',
    now,
    affectedRecognitions: [],
  });

  it('is the partnership’s, or the department’s across partnerships', () => {
    expect(sanction).toMatchObject({ partnershipId: 'handel', organisationKey: 'partnership:handel', decidedAt: now });
    expect(
      newSanction({ ...sanction, acting: { type: 'department', id: 'dwse', key: 'department:dwse' }, by: 'dirk', now, id: 'S2' }).partnershipId,
    ).toBeNull();
  });

  it('withdraws an active mentor for good, with the history entry naming the sanction and who decided it', () => {
    const done = withdrawal(recognition(), 'M1', sanction, person('els'));
    expect(done.ok && done.value.recognition.mentors[0]).toMatchObject({ active: false, withdrawn: true });
    expect(done.ok && done.value.change).toMatchObject({ actor: person('els'), after: { mentorId: 'M1', active: false, sanctionId: 'S1' } });
    expect(withdrawal(recognition(), 'M2', sanction, person('els'))).toEqual({ ok: false, conflict: 'mentor-not-active' });
  });

  it('excludes where the partnership recognised a workplace, revoking its active recognitions; the department all of them', () => {
    const found = [recognition(), recognition({ id: 'E2', status: 'revoked' }), recognition({ id: 'E3', partnershipId: 'horeca' })];
    expect(exclusionScope(found, { type: 'partnership', id: 'handel' })).toEqual({ ok: true, value: [found[0]] });
    expect(exclusionScope(found, { type: 'partnership', id: 'vpdl' })).toEqual({ ok: false, conflict: 'no-recognitions-of-partnership' });
    expect(exclusionScope(found, { type: 'department', id: 'dwse' })).toEqual({ ok: true, value: [found[0], found[2]] });
  });
});

describe('appeals', () => {
  const rejection = { enterpriseNumber: '0417.390.703', decisionAt: '2026-11-02T08:00:00.000Z', appealable: true };

  it('only by the enterprise concerned, against a rejection or a sanction, within 10 days', () => {
    expect(appealable(rejection, '0417390703', '2026-11-12')).toEqual({
      ok: true,
      value: { enterpriseNumber: '0417.390.703', decisionAt: rejection.decisionAt },
    });
    expect(appealable(rejection, '0417390703', '2026-11-13')).toEqual({ ok: false, conflict: 'appeal-too-late' });
    expect(appealable(rejection, '0412345614', '2026-11-03')).toEqual({ ok: false, conflict: 'decision-not-found' });
    expect(appealable({ ...rejection, appealable: false }, '0417390703', '2026-11-03')).toEqual({ ok: false, conflict: 'not-appealable' });
    expect(appealable(undefined, '0417390703', '2026-11-03')).toEqual({ ok: false, conflict: 'decision-not-found' });
  });

  it('is confirmed once, within 10 days, and decided only when admissible', () => {
    const appeal = newAppeal(
      { against: { kind: 'decision', applicationId: 'A1' }, grounds: 'g', contactEmail: 'hr@megaworld.test' },
      rejection,
      'P1',
      now,
      '2026-11-03',
    );
    expect(appeal).toMatchObject({ status: 'received', confirmBy: '2026-11-13', version: 1 });
    const confirmed = appealConfirmation(appeal, { admissible: true, reasons: 'ok' }, 'dirk', now);
    expect(confirmed.ok && confirmed.value.status).toBe('admissible');
    expect(confirmed.ok && appealConfirmation(confirmed.value, { admissible: true, reasons: 'ok' }, 'dirk', now)).toEqual({
      ok: false,
      conflict: 'appeal-confirmed',
    });
    expect(appealOutcome(appeal, { outcome: 'upheld', reasons: 'r' }, 'dirk', now)).toEqual({ ok: false, conflict: 'appeal-not-admissible' });
    expect(confirmed.ok && appealOutcome(confirmed.value, { outcome: 'upheld', reasons: 'r' }, 'dirk', now)).toMatchObject({
      ok: true,
      value: { status: 'upheld' },
    });
  });
});
