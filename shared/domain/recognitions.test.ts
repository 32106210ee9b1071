import { describe, expect, it } from 'vitest';
import {
  alignedPersonTraining,
  type Recognition,
  type RecognitionMentor,
  retainedMentor,
  nextReviewStep,
  recognitionPeriod,
  renewalDaysRemaining,
  renewalOpensOn,
  renewalRefusal,
  reviewClock,
  submissionProblems,
  appealOpen,
  recognitionId,
  canTransition,
  type ApplicationContent,
  type SubmissionContext,
  withoutValidMentor,
} from './recognitions.ts';
import { suspensionEvent } from './feed.ts';
import partnerships from '../../reference-data/partnerships.json' with { type: 'json' };
import { partnershipSchema } from './reference.ts';

const vpdl = partnershipSchema.parse(partnerships.find((p) => p.id === 'vpdl'));
const horeca = partnershipSchema.parse(partnerships.find((p) => p.id === 'horeca'));

const documents = new Map([
  ['extract', { kind: 'criminalRecordExtract', status: 'verified' }],
  ['proof', { kind: 'diplomaOrPriorLearning', status: 'verified' }],
  ['declaration', { kind: 'declarationOnHonour', status: 'verified' }],
  ['rsz', { kind: 'rszCertificate', status: 'verified' }],
  ['pending', { kind: 'criminalRecordExtract', status: 'pendingUpload' }],
]);

const mentor = (overrides: Partial<ApplicationContent['mentors'][number]> = {}) => ({
  id: 'm1',
  name: 'Mentor',
  nationalNumber: '80.01.01-001.xx',
  birthDate: '1980-01-01',
  yearsOfExperience: 10,
  proofDocumentId: null,
  criminalRecordExtract: { documentId: 'extract', issuedOn: '2026-06-01' },
  ...overrides,
});
const application = (overrides: Partial<ApplicationContent> = {}): ApplicationContent => ({
  criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
  mentors: [mentor()],
  documents: [],
  ...overrides,
});
const context = (overrides: Partial<SubmissionContext> = {}): SubmissionContext => ({
  today: '2026-11-23',
  filedBy: 'enterprise',
  establishment: { region: 'flanders', status: 'active' },
  partnership: vpdl,
  documents,
  ...overrides,
});
const codes = (problems: { code: string }[]) => problems.map((p) => p.code).sort();

describe('submissionProblems', () => {
  it('accepts a complete application', () => {
    expect(submissionProblems(application(), context())).toEqual([]);
  });

  it('lists every problem at once', () => {
    const problems = submissionProblems(
      application({
        criteria: { financialCapacity: false, organisationAndEquipment: true, noConvictions: false, commitments: true },
        mentors: [mentor({ birthDate: '2005-01-01', yearsOfExperience: 2, criminalRecordExtract: null })],
      }),
      context({ establishment: { region: 'wallonia', status: 'stopped' } }),
    );
    expect(codes(problems)).toEqual([
      'criterion-not-confirmed',
      'criterion-not-confirmed',
      'establishment-outside-region',
      'establishment-stopped',
      'extract-missing',
      'mentor-experience-too-short',
      'mentor-too-young',
    ]);
    expect(problems.find((p) => p.code === 'mentor-too-young')?.pointer).toBe('/mentors/0/nationalNumber');
  });

  it('mentor age: 25 without proof, 23 with a verified proof, on the birthday boundary', () => {
    const turns25Today = mentor({ birthDate: '2001-11-23' });
    const turns25Tomorrow = mentor({ birthDate: '2001-11-24' });
    expect(submissionProblems(application({ mentors: [turns25Today] }), context())).toEqual([]);
    expect(codes(submissionProblems(application({ mentors: [turns25Tomorrow] }), context()))).toEqual(['mentor-too-young']);
    const age23WithProof = mentor({ birthDate: '2003-11-23', yearsOfExperience: 1, proofDocumentId: 'proof' });
    expect(submissionProblems(application({ mentors: [age23WithProof] }), context())).toEqual([]);
    const age22WithProof = mentor({ birthDate: '2003-11-24', proofDocumentId: 'proof' });
    expect(codes(submissionProblems(application({ mentors: [age22WithProof] }), context()))).toEqual(['mentor-too-young']);
  });

  it('experience: 5 years, or a proof instead', () => {
    expect(submissionProblems(application({ mentors: [mentor({ yearsOfExperience: 5 })] }), context())).toEqual([]);
    expect(codes(submissionProblems(application({ mentors: [mentor({ yearsOfExperience: 4 })] }), context()))).toEqual(['mentor-experience-too-short']);
    expect(submissionProblems(application({ mentors: [mentor({ yearsOfExperience: 0, proofDocumentId: 'proof' })] }), context())).toEqual([]);
  });

  it('the extract is at most one year old, verified, and not from the future', () => {
    const ok = mentor({ criminalRecordExtract: { documentId: 'extract', issuedOn: '2025-11-23' } });
    const old = mentor({ criminalRecordExtract: { documentId: 'extract', issuedOn: '2025-11-22' } });
    const future = mentor({ criminalRecordExtract: { documentId: 'extract', issuedOn: '2026-11-24' } });
    const pending = mentor({ criminalRecordExtract: { documentId: 'pending', issuedOn: '2026-11-01' } });
    expect(submissionProblems(application({ mentors: [ok] }), context())).toEqual([]);
    expect(codes(submissionProblems(application({ mentors: [old] }), context()))).toEqual(['extract-too-old']);
    expect(codes(submissionProblems(application({ mentors: [future] }), context()))).toEqual(['extract-date-in-future']);
    expect(codes(submissionProblems(application({ mentors: [pending] }), context()))).toEqual(['extract-missing']);
  });

  it('Brussels is allowed; a counsellor needs the declaration on honour; horeca needs an RSZ certificate', () => {
    expect(submissionProblems(application(), context({ establishment: { region: 'brussels', status: 'active' } }))).toEqual([]);
    expect(codes(submissionProblems(application(), context({ filedBy: 'counsellor' })))).toEqual(['document-missing']);
    expect(
      submissionProblems(application({ documents: [{ kind: 'declarationOnHonour', documentId: 'declaration' }] }), context({ filedBy: 'counsellor' })),
    ).toEqual([]);
    expect(codes(submissionProblems(application(), context({ partnership: horeca })))).toEqual(['document-missing']);
    expect(submissionProblems(application({ documents: [{ kind: 'rszCertificate', documentId: 'rsz' }] }), context({ partnership: horeca }))).toEqual([]);
  });
});

describe('review clock', () => {
  const submittedAt = '2026-11-01T09:00:00.000Z';
  const file = {
    status: 'fileComplete' as const,
    reviewRound: 1,
    submittedAt,
    reviewPauses: [],
    decision: null,
    reminderSentAt: null,
    escalatedAt: null,
  };
  it('waits until day 10, reminds, waits until day 14, escalates, then finishes', () => {
    expect(nextReviewStep(file, 1, new Date('2026-11-01T09:00:00Z'))).toEqual({ action: 'wait', wakeAt: '2026-11-11T09:00:00.000Z' });
    expect(nextReviewStep(file, 1, new Date('2026-11-11T09:00:00Z'))).toEqual({ action: 'remind' });
    const reminded = { ...file, reminderSentAt: '2026-11-11T09:00:00Z' };
    expect(nextReviewStep(reminded, 1, new Date('2026-11-11T09:00:01Z'))).toEqual({ action: 'wait', wakeAt: '2026-11-15T09:00:00.000Z' });
    expect(nextReviewStep(reminded, 1, new Date('2026-11-15T09:00:00Z'))).toEqual({ action: 'escalate' });
    expect(nextReviewStep({ ...reminded, escalatedAt: '2026-11-15T09:00:00Z' }, 1, new Date('2026-11-15T09:00:00Z'))).toEqual({ action: 'finish' });
  });
  it('finishes when decided, when sent back for completion or when a newer round runs', () => {
    expect(nextReviewStep({ ...file, status: 'recognised' }, 1, new Date('2026-11-02'))).toEqual({ action: 'finish' });
    expect(nextReviewStep({ ...file, status: 'incomplete' }, 1, new Date('2026-11-02'))).toEqual({ action: 'finish' });
    expect(nextReviewStep({ ...file, reviewRound: 2 }, 1, new Date('2026-11-02'))).toEqual({ action: 'finish' });
  });
  it('runs 14 days from the first submission, with the deadline and the days remaining', () => {
    expect(reviewClock({ ...file, submittedAt: null }, new Date())).toBeNull();
    expect(reviewClock(file, new Date('2026-11-03T12:00:00Z'))).toEqual({
      startedAt: submittedAt,
      remindAt: '2026-11-11T09:00:00.000Z',
      deadline: '2026-11-15T09:00:00.000Z',
      deadlineOn: '2026-11-15',
      daysRemaining: 12,
      daysPaused: 0,
      paused: false,
      pauses: [],
    });
    expect(reviewClock(file, new Date('2026-11-17T12:00:00Z'))?.daysRemaining).toBe(-2);
  });
  it('stands still during a completion request and a pause, in calendar days, and stops at the decision', () => {
    const pauses = [
      { kind: 'completionRequest' as const, from: '2026-11-03T10:00:00.000Z', until: '2026-11-06T08:00:00.000Z', reason: 'Attest' },
      // Starts and ends on the same day: no day paused.
      { kind: 'pause' as const, from: '2026-11-07T08:00:00.000Z', until: '2026-11-07T15:00:00.000Z', reason: 'Telefoon' },
      { kind: 'pause' as const, from: '2026-11-08T08:00:00.000Z', until: null, reason: 'Bezoek' },
    ];
    const paused = reviewClock({ ...file, reviewPauses: pauses }, new Date('2026-11-10T12:00:00Z'))!;
    // 3 days for the completion request, 2 so far for the open pause: the deadline moves on by a day each day it lasts.
    expect(paused).toMatchObject({
      daysPaused: 5,
      paused: true,
      deadline: '2026-11-20T09:00:00.000Z',
      remindAt: '2026-11-16T09:00:00.000Z',
      daysRemaining: 10,
    });
    expect(reviewClock({ ...file, reviewPauses: pauses }, new Date('2026-11-11T12:00:00Z'))!.deadline).toBe('2026-11-21T09:00:00.000Z');
    // While paused the workflow waits for that deadline and looks again; it never escalates a file paused in time.
    const state = { ...file, status: 'paused' as const, reviewPauses: pauses, reminderSentAt: '2026-11-11T09:00:00Z' };
    expect(nextReviewStep(state, 1, new Date('2026-11-15T09:00:00Z'))).toEqual({ action: 'wait', wakeAt: '2026-11-25T09:00:00.000Z' });
    const decided = {
      ...file,
      reviewPauses: pauses.slice(0, 2),
      decision: { decision: 'recognised' as const, reasons: '', by: 'els', at: '2026-11-12T10:00:00.000Z', recognitionId: null },
    };
    expect(reviewClock(decided, new Date('2027-03-01T00:00:00Z'))).toMatchObject({ daysPaused: 3, deadline: '2026-11-18T09:00:00.000Z', daysRemaining: 6 });
  });
  it('counts the days of a pause in Brussels: a pause over midnight there is one day', () => {
    const pauses = [{ kind: 'pause' as const, from: '2026-11-02T22:30:00.000Z', until: '2026-11-02T23:30:00.000Z', reason: 'Nacht' }];
    expect(reviewClock({ ...file, reviewPauses: pauses }, new Date('2026-11-03T12:00:00Z'))?.daysPaused).toBe(1);
  });
});

describe('recognition dates', () => {
  it('runs five years', () => expect(recognitionPeriod('2026-12-01')).toEqual({ startDate: '2026-12-01', endDate: '2031-11-30' }));
  it('shows the renewal from 180 days before the end', () => {
    expect(renewalDaysRemaining('2027-05-22', '2026-11-23')).toBe(180);
    expect(renewalDaysRemaining('2027-05-23', '2026-11-23')).toBeUndefined();
    expect(renewalDaysRemaining('2026-11-22', '2026-11-23')).toBeUndefined();
  });
  it('allows a renewal from the day its task appears, not before', () => {
    expect(renewalOpensOn('2027-05-22')).toBe('2026-11-23');
    expect(renewalRefusal({ endDate: '2027-05-22' }, '2026-11-23')).toBeUndefined();
    expect(renewalRefusal({ endDate: '2027-05-22' }, '2026-11-22')).toBe('renewal-too-early');
    expect(renewalRefusal({ endDate: '2031-11-30' }, '2026-12-01')).toBe('renewal-too-early');
    // The task and the renewal open on the same day.
    expect(renewalDaysRemaining('2027-05-22', renewalOpensOn('2027-05-22'))).toBe(180);
  });
  it('numbers recognitions like the counter', () => expect(recognitionId('2017-06-20', 11723)).toBe('E/20170620/011723'));
  it('allows an appeal within 10 days of the decision', () => {
    expect(appealOpen('2026-11-13T10:00:00Z', '2026-11-23')).toBe(true);
    expect(appealOpen('2026-11-12T10:00:00Z', '2026-11-23')).toBe(false);
  });
  it('knows the allowed transitions', () => {
    expect(canTransition('draft', 'submitted')).toBe(true);
    expect(canTransition('recognised', 'underReview')).toBe(false);
  });
});

describe("retention of a decided file's mentor data", () => {
  const mask = (n: string) => `${n.slice(0, 9)}***.**`;
  it('deletes the extract, keeps the national number only masked and the birth date, once', () => {
    const kept = retainedMentor(mentor({ nationalNumber: '80.01.01-001.07' }), '2026-11-12', mask);
    expect(kept).toMatchObject({
      nationalNumber: '80.01.01-***.**',
      nationalNumberErased: true,
      criminalRecordExtract: null,
      extractCheckedOn: '2026-11-12',
      birthDate: '1980-01-01',
    });
    expect(retainedMentor(kept, '2027-01-01', mask)).toEqual(kept);
  });
  it('asks the number again when an erased mentor is reused (a renewal)', () => {
    const kept = retainedMentor(mentor(), '2026-11-12', mask);
    expect(
      codes(submissionProblems(application({ mentors: [{ ...kept, criminalRecordExtract: { documentId: 'extract', issuedOn: '2026-06-01' } }] }), context())),
    ).toEqual(['mentor-national-number-missing']);
  });
});

describe("the mentor training is the person's", () => {
  const entry = (id: string, over: Partial<RecognitionMentor> = {}): RecognitionMentor => ({
    id,
    name: 'Anna Verkoop',
    birthDate: '1980-01-01',
    active: true,
    withdrawn: false,
    trainingDeadline: '2028-01-01',
    trainingCompletedOn: null,
    trainingExempted: false,
    personKey: 'anna',
    ...over,
  });
  const recognition = (id: string, mentors: RecognitionMentor[]) => ({ id, version: 3, mentors }) as unknown as Recognition;
  const mentorsOf = (rs: Recognition[]) => Object.fromEntries(rs.map((r) => [r.id, r.mentors]));

  it('a training reported on one recognition completes it on every other that names the person', () => {
    const reported = recognition('E1', [entry('m1', { trainingCompletedOn: '2027-10-01' }), entry('x', { personKey: 'bert' })]);
    const other = recognition('E2', [entry('m2')]);
    const aligned = alignedPersonTraining([reported, other], 'anna');
    expect(aligned.map((r) => r.id)).toEqual(['E2']);
    expect(mentorsOf(aligned).E2).toEqual([entry('m2', { trainingCompletedOn: '2027-10-01' })]);
    // Another person on the same recognition is left alone.
    expect(alignedPersonTraining([reported, other], 'bert')).toEqual([]);
  });

  it('the deadline of a person named on two recognitions is the earliest; a recognition without a training rule keeps none', () => {
    const late = recognition('E1', [entry('m1', { trainingDeadline: '2028-06-01' })]);
    const early = recognition('E2', [entry('m2', { trainingDeadline: '2027-12-01' })]);
    const none = recognition('E3', [entry('m3', { trainingDeadline: null })]);
    const aligned = alignedPersonTraining([late, early, none], 'anna');
    expect(aligned.map((r) => r.id)).toEqual(['E1']);
    expect(aligned[0]!.mentors[0]!.trainingDeadline).toBe('2027-12-01');
  });

  it('an exemption stays on its own recognition, and a withdrawn entry is left as it is', () => {
    const exempted = recognition('E1', [entry('m1', { trainingCompletedOn: '2027-10-01', trainingExempted: true })]);
    const withdrawn = recognition('E2', [entry('m2', { withdrawn: true, active: false, trainingDeadline: '2027-01-01' })]);
    const open = recognition('E3', [entry('m3')]);
    expect(alignedPersonTraining([exempted, withdrawn, open], 'anna')).toEqual([]);
  });
});

describe('a recognition without a mentor who counts', () => {
  const m = (over: Partial<RecognitionMentor> = {}): RecognitionMentor => ({
    id: 'm',
    name: 'Anna Verkoop',
    birthDate: undefined,
    active: true,
    withdrawn: false,
    trainingDeadline: null,
    trainingCompletedOn: null,
    trainingExempted: false,
    ...over,
  });
  const recognition = (mentors: RecognitionMentor[], status: Recognition['status'] = 'active') =>
    ({ id: 'E/20260101/000001', version: 2, status, mentors }) as unknown as Recognition;
  const today = '2026-11-02';
  const cases: [string, Recognition, boolean][] = [
    ['the only other mentor past the training deadline', recognition([m({ active: false, withdrawn: true }), m({ trainingDeadline: '2026-11-01' })]), true],
    ['every mentor inactive', recognition([m({ active: false }), m({ active: false })]), true],
    ['a mentor on the day of the deadline', recognition([m({ active: false }), m({ trainingDeadline: today })]), false],
    ['a mentor past the deadline but trained', recognition([m({ trainingDeadline: '2026-01-01', trainingCompletedOn: '2025-12-01' })]), false],
    ['a mentor past the deadline but exempted', recognition([m({ trainingDeadline: '2026-01-01', trainingExempted: true })]), false],
    ['no mentors at all (nothing was lost)', recognition([]), false],
    ['a revoked recognition', recognition([m({ active: false })], 'revoked'), false],
  ];

  it.each(cases)('%s: the task rule and the suspended event agree', (_, r, expected) => {
    expect(withoutValidMentor(r, today)).toBe(expected);
    expect(suspensionEvent(r, today, '2026-11-02T08:00:00.000Z') !== undefined).toBe(expected);
  });
});
