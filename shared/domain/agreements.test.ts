import { describe, expect, it } from 'vitest';
import {
  draftExpired,
  draftExpiresOn,
  draftWarningOn,
  latestEndDate,
  learningAllowance,
  preflight,
  premiums,
  schoolYearOf,
  suspensionNeedsReport,
  type PreflightContext,
  type PreflightInput,
  type PremiumFacts,
} from './agreements.ts';
import type { Allowance } from './reference.ts';

const input = (over: Partial<PreflightInput> = {}): PreflightInput => ({
  agreementType: 'OAO',
  programme: { schoolYears: 2 },
  trajectoryYear: 1,
  startDate: '2026-09-01',
  endDate: '2027-06-30',
  weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
  learner: { birthDate: '2010-03-15', priorEducationTier: 1, firstTwoYearsSecondaryCompleted: true, hasLegalRepresentative: true },
  ...over,
});
const context = (over: Partial<PreflightContext> = {}): PreflightContext => ({
  today: '2026-08-20',
  recognition: { id: 'E/20260101/000001', endDate: '2031-01-01' },
  mentor: { active: true, valid: true },
  mentorLoad: 0,
  mentorCapacity: 1,
  establishmentLoad: 0,
  establishmentCapacity: null,
  learnerAgreements: [],
  forRegistration: false,
  ...over,
});
const codes = (i: PreflightInput, c: PreflightContext = context()) => preflight(i, c).map((p) => p.code);

describe('pre-flight check', () => {
  it('passes a correct OAO', () => {
    expect(codes(input())).toEqual([]);
  });

  it('OAO: 20 h at the workplace is enough, 19 h is not (the 35 h = 16 h + 19 h example)', () => {
    expect(codes(input({ weeklyHours: { enterpriseFullTime: 36, school: 16, workplace: 20 } }))).toEqual([]);
    expect(codes(input({ weeklyHours: { enterpriseFullTime: 35, school: 16, workplace: 19 } }))).toEqual(['workplace-hours-below-20']);
  });

  it('OAO is full-time: school plus workplace equals the enterprise average', () => {
    expect(codes(input({ weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 20 } }))).toEqual(['hours-not-full-time']);
  });

  it('38 h is the maximum, 39 h is blocked', () => {
    expect(codes(input({ weeklyHours: { enterpriseFullTime: 38, school: 18, workplace: 20 } }))).toEqual([]);
    expect(codes(input({ weeklyHours: { enterpriseFullTime: 39, school: 18, workplace: 21 } }))).toEqual(['weekly-hours-above-38', 'total-hours-above-38']);
  });

  it('SAO needs 28 h of lessons plus workplace', () => {
    const sao = (school: number, workplace: number) => codes(input({ agreementType: 'SAO', weeklyHours: { enterpriseFullTime: 38, school, workplace } }));
    expect(sao(16, 12)).toEqual([]);
    expect(sao(16, 11)).toEqual(['sao-below-28-hours']);
  });

  it('ends at the latest on 30 June of the last school year of the trajectory', () => {
    expect(latestEndDate('2026-09-01', 2, 1)).toBe('2028-06-30');
    expect(latestEndDate('2027-03-01', 2, 2)).toBe('2027-06-30');
    expect(codes(input({ trajectoryYear: 2, endDate: '2027-06-30' }))).toEqual([]);
    expect(codes(input({ trajectoryYear: 2, endDate: '2027-07-01' }))).toEqual(['end-after-last-school-year']);
  });

  it('a learner of 16 may start; 15 only with the first two years; 14 never', () => {
    expect(
      codes(input({ learner: { birthDate: '2010-09-01', priorEducationTier: 1, firstTwoYearsSecondaryCompleted: false, hasLegalRepresentative: true } })),
    ).toEqual([]);
    expect(
      codes(input({ learner: { birthDate: '2010-09-02', priorEducationTier: 1, firstTwoYearsSecondaryCompleted: false, hasLegalRepresentative: true } })),
    ).toEqual(['learner-15-without-first-two-years']);
    expect(
      codes(input({ learner: { birthDate: '2010-09-02', priorEducationTier: 1, firstTwoYearsSecondaryCompleted: true, hasLegalRepresentative: true } })),
    ).toEqual([]);
    expect(
      codes(input({ learner: { birthDate: '2011-09-02', priorEducationTier: 1, firstTwoYearsSecondaryCompleted: true, hasLegalRepresentative: true } })),
    ).toEqual(['learner-too-young']);
  });

  it('a minor on the start date needs a legal representative; an adult on that date does not', () => {
    const learner = (birthDate: string) => ({
      birthDate,
      priorEducationTier: 1 as const,
      firstTwoYearsSecondaryCompleted: true,
      hasLegalRepresentative: false,
    });
    expect(codes(input({ learner: learner('2008-09-02') }))).toEqual(['legal-representative-required']);
    expect(codes(input({ learner: learner('2008-09-01') }))).toEqual([]);
  });

  it('capacity: n-1 running agreements leave a slot, n do not', () => {
    expect(codes(input(), context({ mentorLoad: 1, mentorCapacity: 2 }))).toEqual([]);
    expect(codes(input(), context({ mentorLoad: 2, mentorCapacity: 2 }))).toEqual(['mentor-capacity-reached']);
    expect(codes(input(), context({ establishmentLoad: 2, establishmentCapacity: 3 }))).toEqual([]);
    expect(codes(input(), context({ establishmentLoad: 3, establishmentCapacity: 3 }))).toEqual(['establishment-capacity-reached']);
  });

  it('recognition on the start date, mentor on it, and a warning when the agreement outlives the recognition', () => {
    expect(codes(input(), context({ recognition: null }))).toEqual(['establishment-not-recognised']);
    expect(codes(input(), context({ mentor: null }))).toEqual(['mentor-not-on-recognition']);
    expect(codes(input(), context({ mentor: { active: false, valid: false } }))).toEqual(['mentor-not-valid']);
    const result = preflight(input(), context({ recognition: { id: 'E', endDate: '2027-06-29' } }));
    expect(result).toEqual([expect.objectContaining({ code: 'ends-after-recognition', severity: 'warning' })]);
    expect(codes(input(), context({ recognition: { id: 'E', endDate: '2027-06-30' } }))).toEqual([]);
  });

  it('an overlapping running agreement of the learner blocks; one that ended the day before does not', () => {
    expect(codes(input(), context({ learnerAgreements: [{ id: 'a', startDate: '2025-09-01', endDate: '2026-08-31' }] }))).toEqual([]);
    expect(codes(input(), context({ learnerAgreements: [{ id: 'a', startDate: '2025-09-01', endDate: '2026-09-01' }] }))).toEqual([
      'learner-has-overlapping-agreement',
    ]);
  });

  it('warns when registration comes more than 3 months after the start', () => {
    expect(codes(input(), context({ today: '2026-12-01' }))).toEqual([]);
    expect(preflight(input(), context({ today: '2026-12-02' }))).toEqual([
      expect.objectContaining({ code: 'registration-after-3-months', severity: 'warning' }),
    ]);
  });

  it('reports everything at once', () => {
    const all = codes(
      input({ weeklyHours: { enterpriseFullTime: 40, school: 16, workplace: 19 }, endDate: '2029-01-01' }),
      context({ recognition: null, today: '2027-01-01' }),
    );
    expect(all).toEqual(
      expect.arrayContaining([
        'establishment-not-recognised',
        'end-after-last-school-year',
        'weekly-hours-above-38',
        'workplace-hours-below-20',
        'hours-not-full-time',
        'registration-after-3-months',
      ]),
    );
  });
});

describe('learning allowance', () => {
  const allowances: Allowance[] = [
    { id: 'a1', tier: 1, validFrom: '2024-04-01', validTo: '2026-08-31', monthlyAmountCents: 58870, description: '' },
    { id: 'a2', tier: 1, validFrom: '2026-09-01', validTo: null, monthlyAmountCents: 60050, description: '' },
  ];
  it('takes the row valid on the start date, OAO only', () => {
    expect(learningAllowance('OAO', 1, allowances, '2026-08-31')?.monthlyAmountCents).toBe(58870);
    expect(learningAllowance('OAO', 1, allowances, '2026-09-01')?.monthlyAmountCents).toBe(60050);
    expect(learningAllowance('SAO', 1, allowances, '2026-09-01')).toBeNull();
  });
});

describe('premiums', () => {
  const facts = (over: Partial<PremiumFacts> = {}): PremiumFacts => ({
    agreementType: 'OAO',
    startDate: '2026-09-01',
    endDate: '2026-12-31',
    registeredOn: '2026-09-10',
    weeklyHours: { enterpriseFullTime: 38, school: 16, workplace: 22 },
    learnerPaid: true,
    establishmentInFlemishRegion: true,
    learnerLivesInFlemishRegion: true,
    mentorAppointed: true,
    enterpriseBankAccount: { iban: 'BE68539007547034', consent: true },
    learnerBankAccount: { iban: 'BE71096123456769', consent: true },
    earlierEnterprisePremiums: [],
    earlierLearnerPremiums: [],
    ...over,
  });
  it('grants EUR 1,000 and EUR 500 for a 4-month agreement registered on time', () => {
    expect(premiums(facts()).map((p) => [p.kind, p.qualifies, p.amountCents, p.schoolYear])).toEqual([
      ['enterprise', true, 100000, '2026-2027'],
      ['learner', true, 50000, '2026-2027'],
    ]);
  });
  it('EUR 600 for an unpaid learner', () => {
    expect(premiums(facts({ learnerPaid: false }))[0]!.amountCents).toBe(60000);
  });
  it('says why a premium does not qualify', () => {
    const [enterprise, learner] = premiums(
      facts({
        endDate: '2026-12-30',
        registeredOn: '2026-12-02',
        learnerBankAccount: { iban: null, consent: false },
        earlierLearnerPremiums: ['2024-2025', '2025-2026', '2023-2024'],
      }),
    );
    expect(enterprise!.qualifies).toBe(false);
    expect(enterprise!.reasons).toEqual([
      'De overeenkomst duurt korter dan 4 maanden.',
      'De overeenkomst werd meer dan 3 maanden na de begindatum geregistreerd.',
    ]);
    expect(learner!.reasons).toContain('De leerling kreeg al 3 leerlingpremies.');
    expect(learner!.reasons).toContain('Het rekeningnummer van de leerling ontbreekt.');
  });
  it('once per school year, and the learner premium is not for ODOS', () => {
    expect(premiums(facts({ earlierEnterprisePremiums: ['2026-2027'] }))[0]!.qualifies).toBe(false);
    expect(premiums(facts({ agreementType: 'ODOS' }))[1]!.qualifies).toBe(false);
  });
  it('school years run from 1 September', () => {
    expect(schoolYearOf('2026-08-31')).toBe('2025-2026');
    expect(schoolYearOf('2026-09-01')).toBe('2026-2027');
  });
});

describe('time rules', () => {
  it('a work version is kept 90 days after its last change, with a warning 14 days before', () => {
    expect(draftExpiresOn('2026-09-01T10:00:00Z')).toBe('2026-11-30');
    expect(draftWarningOn('2026-09-01T10:00:00Z')).toBe('2026-11-16');
    expect(draftExpired('2026-09-01T10:00:00Z', '2026-11-29')).toBe(false);
    expect(draftExpired('2026-09-01T10:00:00Z', '2026-11-30')).toBe(true);
  });
  it('a suspension of 14 days is not reported, 15 days is', () => {
    expect(suspensionNeedsReport('2026-10-01', '2026-10-14')).toBe(false);
    expect(suspensionNeedsReport('2026-10-01', '2026-10-15')).toBe(true);
  });
});
