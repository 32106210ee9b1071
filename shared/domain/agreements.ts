// Agreements (overeenkomsten) between learner, enterprise and training provider: the entity, the pre-flight check
// that runs on every save and again at registration, the learning allowance, the premiums, the time rules, and
// every decision on an agreement (drafting, annexes, registration, amendments, suspension, ending) as a pure
// function of the agreement and the facts its repository read. No AWS, no HTTP: a decision answers the new state
// or a refusal with a stable code and the field problems behind it (functions/agreements/conflicts.ts maps them).
import type { Actor } from './actors.ts';
import { addDays, addMonths, differenceInCalendarDays } from 'date-fns';
import type * as z from 'zod';
import type { PremiumRequested } from '../../events/premium-requested.ts';
import { type AgreementModel, agreementModelOn, needsAddendum } from './agreement-model.ts';
import { ageOn, formatEnterpriseNumber, formatEstablishmentNumber, kboDigits, maskNationalNumber } from './identifiers.ts';
import { mentorSlotOwner, mentorValid } from './recognitions.ts';
import { type Allowance, allowanceOn, type addressSchema, type Partnership, type Programme, type Provider } from './reference.ts';
import { regionOf, regionOfPostcode } from './region.ts';

/**
 * `ending`: an end (early, or on the planned date) is recorded for a day after today. The agreement still runs
 * until then (the learner works, the slots stay taken, a suspension can still be recorded); the daily job ends it
 * on that day. While ending, only what does not contradict the end is allowed: a suspension within the remaining
 * term, a change of counsellor, registering an addendum signed earlier, acknowledging a suspension, and an early end
 * before the recorded one (an urgent reason). Any other end, or another amendment (mentor, end date, schedule,
 * address), is an invalid transition. Withdrawing a recorded end is not offered: the parties make a new agreement.
 */
export const agreementStatuses = ['draft', 'registered', 'suspended', 'ending', 'ended'] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];
export const runningStatuses: AgreementStatus[] = ['registered', 'suspended', 'ending'];

export const statusLabels: Record<AgreementStatus, string> = {
  draft: 'Werkversie',
  registered: 'Geregistreerd',
  suspended: 'Geschorst',
  ending: 'Wordt beëindigd',
  ended: 'Beëindigd',
};

/** A work version is kept this long after its last change; the counsellor is warned this many days before. */
export const draftRetentionDays = 90;
export const draftWarningDays = 14;
export const oaoMinimumWorkplaceHours = 20;
export const maximumWeeklyHours = 38;
export const saoMinimumTotalHours = 28;
/** Registration later than this after the start loses both premiums. */
export const registrationDeadlineMonths = 3;
export const suspensionReportDays = 14;
export const premiumMinimumMonths = 4;
export const premiumMaximumPerLearner = 3;

export type Issue = { code: string; severity: 'blocking' | 'warning'; pointer: string; detail: string };

export type WeeklyHours = { enterpriseFullTime: number; school: number; workplace: number };

// --- the agreement ---------------------------------------------------------------------------------------

export type Address = z.output<typeof addressSchema>;
export type DocumentRef = { documentId: string; attachedAt: string };
/**
 * Who did something to a file, as its history records it: the user (id and name), the organisation they acted for
 * (`provider:campus-brugge`) and their role in it; the daily job is `system:agreements-daily` with no organisation.
 */
export type { Actor } from './actors.ts';
export const dailyJobActor: Actor = {
  userId: 'system:agreements-daily',
  name: 'Dagelijkse verwerking',
  organisationKey: null,
  organisationName: null,
  roles: [],
};

/** The parties that may report a suspension (article 9 of the model: it is reported to the counsellor). */
export const suspensionReporters = ['enterprise', 'provider'] as const;
export type SuspensionReporter = (typeof suspensionReporters)[number];

/**
 * `reported`: the counsellor must follow it up (a task "Schorsing opvolgen" and an e-mail): a suspension of more
 * than 14 days, or any suspension the enterprise reports (the counsellor did not record it).
 */
export type Suspension = {
  id: string;
  ground: string;
  from: string;
  to: string;
  reported: boolean;
  recordedBy: string;
  at: string;
  /** Which party reported it; absent on suspensions recorded before the enterprise could report (the counsellor). */
  reportedBy?: SuspensionReporter;
  acknowledged?: { by: string; name: string; at: string } | null;
};
export type Ending = { kind: 'normal' | 'early'; date: string; reason: string; by: string; recordedBy: string; at: string };

export type Agreement = {
  id: string;
  status: AgreementStatus;
  agreementType: Programme['agreementType'];
  programmeId: string;
  trajectoryYear: number;
  providerId: string;
  lessonLocationId: string | null;
  providerRepresentative: string;
  counsellor: { userId: string; name: string; email: string };
  learner: {
    firstName: string;
    lastName: string;
    /** Formatted `yy.mm.dd-xxx.cc`; shown in full only to the provider's counsellors (the enterprise sees it masked). */
    nationalNumber: string;
    birthDate: string;
    address: Address;
    legalRepresentative: { name: string; address: Address | null } | null;
    iban: string | null;
    /** Set when retention erased the personal data (erasedLearner): initials, birth year, masked number only. */
    dataErased?: boolean;
    birthYear?: number;
    premiumConsent: boolean;
    priorEducationTier: 1 | 2 | 3;
    firstTwoYearsSecondaryCompleted: boolean;
    paid: boolean;
  };
  enterpriseNumber: string;
  establishmentNumber: string;
  enterpriseRepresentative: string;
  enterpriseBankAccount: { iban: string; consent: boolean } | null;
  /** The recognition the last check found for the workplace on the start date. */
  recognitionId: string | null;
  /**
   * That recognition's partnership, whose capacity rules apply: registration reads the recognition and these rules
   * by key, in one BatchGet with the slot counters. Absent on agreements saved before it was recorded.
   */
  partnershipId?: string | null;
  mentorId: string;
  startDate: string;
  endDate: string;
  weeklyHours: WeeklyHours;
  learningAllowance: { tier: 1 | 2 | 3; monthlyAmountCents: number; validFrom: string; allowanceId: string } | null;
  annexes: Record<AnnexName, DocumentRef | null>;
  /** The result of the last pre-flight check. */
  issues: Issue[];
  /** When that check ran (absent on agreements saved before it was recorded: then updatedAt). */
  issuesCheckedAt?: string;
  registration: { at: string; by: string; premiums: PremiumDecision[] } | null;
  suspensions: Suspension[];
  ending: Ending | null;
  addenda: Addendum[];
  /** Where this agreement holds capacity slots while it runs. */
  slots: { mentor: string; establishment: string } | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Set when the daily job expired the work version (draftExpiry): from its expiry day it is gone for every reader
   * anyway; this records that its tasks were closed and its counsellor told. TTL removes the item later.
   */
  expiredAt?: string;
  version: number;
};

export type Addendum = {
  number: number;
  changes: { kind: AmendmentKind; label: string; before: string; after: string }[];
  effectiveDate: string;
  status: 'toSign' | 'registered';
  signedDocumentId: string | null;
  createdAt: string;
  registeredAt: string | null;
};

/** A learner's agreement as the learner's index keeps it: for the overlap rule and the premium limits. */
export type LearnerAgreement = {
  agreementId: string;
  status: AgreementStatus;
  startDate: string;
  endDate: string;
  enterprisePremiumSchoolYear: string | null;
  learnerPremiumSchoolYear: string | null;
};

/** A running agreement as its recognition lists it: who to give a task when the recognition changes. */
export type RunningAgreement = {
  agreementId: string;
  providerId: string;
  counsellor: Agreement['counsellor'];
  learnerName: string;
  establishmentNumber: string;
  endDate: string;
};

/** A history entry of the agreement, as a decision records it (the repository adds the instant). */
export type AgreementHistory = { by: string; action: string; before: Record<string, unknown>; after: Record<string, unknown>; actor?: Actor };

export type Learner = {
  birthDate: string;
  /** Prior education tier for the learning allowance (1 to 3). */
  priorEducationTier: 1 | 2 | 3;
  /** For a learner of 15: has followed the first two years of secondary education. */
  firstTwoYearsSecondaryCompleted: boolean;
  hasLegalRepresentative: boolean;
};

/** What the check needs to know about the draft; the handler derives it from the stored draft. */
export type PreflightInput = {
  agreementType: Programme['agreementType'];
  programme: Pick<Programme, 'schoolYears'>;
  /** Which year of the programme's trajectory the learner is in at the start (1 = first). */
  trajectoryYear: number;
  startDate: string;
  endDate: string;
  weeklyHours: WeeklyHours;
  learner: Learner;
};

/** What the check needs to know about the world: recognitions, capacity, other agreements, today. */
export type PreflightContext = {
  today: string;
  /** The recognition of the establishment for the programme that is active on the start date, if any. */
  recognition: { id: string; endDate: string } | null;
  /** The chosen mentor on that recognition: null when not found there. */
  mentor: { active: boolean; valid: boolean } | null;
  /** Running agreements (all programmes) of the mentor and of the establishment, other than this one. */
  mentorLoad: number;
  mentorCapacity: number;
  establishmentLoad: number;
  establishmentCapacity: number | null;
  /** Running agreements of the same learner (other than this one). */
  learnerAgreements: { id: string; startDate: string; endDate: string }[];
  /** True when the check runs for registration (the 3-month rule then compares with today). */
  forRegistration: boolean;
};

/** 30 June that ends the school year (1 September to 30 June) a date falls in. */
export function schoolYearEnd(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return `${month >= 9 ? year + 1 : year}-06-30`;
}

/** The school year a date falls in, as `2026-2027`; July and August count with the year that follows. */
export function schoolYearOf(date: string): string {
  const end = Number(schoolYearEnd(date).slice(0, 4));
  return `${end - 1}-${end}`;
}

/** The latest end date: 30 June of the last school year of the trajectory (article 2). */
export function latestEndDate(startDate: string, schoolYears: number, trajectoryYear: number): string {
  const remaining = Math.max(0, schoolYears - trajectoryYear);
  const firstEnd = Number(schoolYearEnd(startDate).slice(0, 4));
  return `${firstEnd + remaining}-06-30`;
}

export const isMinorOn = (birthDate: string, onDate: string): boolean => ageOn(birthDate, onDate) < 18;

export const registrationDeadline = (startDate: string): string => iso(addMonths(date(startDate), registrationDeadlineMonths));

const date = (d: string) => new Date(`${d}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

function overlaps(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): boolean {
  return a.startDate <= b.endDate && b.startDate <= a.endDate;
}

/** Every blocking problem and warning of a draft, in a stable order. */
export function preflight(input: PreflightInput, context: PreflightContext): Issue[] {
  const issues: Issue[] = [];
  const block = (code: string, pointer: string, detail: string) => issues.push({ code, severity: 'blocking', pointer, detail });
  const warn = (code: string, pointer: string, detail: string) => issues.push({ code, severity: 'warning', pointer, detail });
  const { startDate, endDate, weeklyHours: hours, agreementType } = input;

  if (endDate < startDate) block('end-before-start', '/endDate', 'De einddatum ligt voor de begindatum.');

  if (!context.recognition) {
    block('establishment-not-recognised', '/establishmentNumber', 'De vestiging is op de begindatum niet erkend voor deze opleiding.');
  } else if (endDate > context.recognition.endDate) {
    warn(
      'ends-after-recognition',
      '/endDate',
      `De overeenkomst loopt langer dan de erkenning (tot ${context.recognition.endDate}): de onderneming moet de erkenning hernieuwen.`,
    );
  }

  if (context.recognition && !context.mentor)
    block('mentor-not-on-recognition', '/mentorId', 'Deze mentor hoort niet bij de erkenning van de vestiging voor deze opleiding.');
  else if (context.mentor && !context.mentor.valid)
    block('mentor-not-valid', '/mentorId', 'Deze mentor is niet actief of heeft de mentoropleiding niet tijdig gevolgd.');

  const latest = latestEndDate(startDate, input.programme.schoolYears, input.trajectoryYear);
  if (input.trajectoryYear > input.programme.schoolYears)
    block('trajectory-year-beyond-programme', '/trajectoryYear', `Deze opleiding duurt ${input.programme.schoolYears} schooljaar/schooljaren.`);
  if (endDate > latest)
    block('end-after-last-school-year', '/endDate', `De einddatum mag ten laatste ${latest} zijn (30 juni van het laatste schooljaar van het traject).`);

  const total = hours.school + hours.workplace;
  if (hours.enterpriseFullTime > maximumWeeklyHours)
    block('weekly-hours-above-38', '/weeklyHours/enterpriseFullTime', `De gemiddelde wekelijkse arbeidsduur mag hoogstens ${maximumWeeklyHours} uur zijn.`);
  if (total > maximumWeeklyHours)
    block('total-hours-above-38', '/weeklyHours', `Lesuren en uren op de werkplek samen mogen hoogstens ${maximumWeeklyHours} uur per week zijn.`);
  if (agreementType === 'OAO' || agreementType === 'ODOS') {
    if (hours.workplace < oaoMinimumWorkplaceHours)
      block(
        'workplace-hours-below-20',
        '/weeklyHours/workplace',
        `Bij een ${agreementType} is de werkplekcomponent minstens ${oaoMinimumWorkplaceHours} uur per week (nu ${hours.workplace}).`,
      );
    if (total !== hours.enterpriseFullTime)
      block(
        'hours-not-full-time',
        '/weeklyHours',
        `Een ${agreementType} is voltijds: lesuren (${hours.school}) plus werkplekuren (${hours.workplace}) moeten samen de gemiddelde wekelijkse arbeidsduur van de onderneming (${hours.enterpriseFullTime}) zijn.`,
      );
  }
  if (agreementType === 'SAO' && total < saoMinimumTotalHours)
    block(
      'sao-below-28-hours',
      '/weeklyHours',
      `Bij een SAO moeten lessen en werkplek samen minstens ${saoMinimumTotalHours} uur per week zijn (nu ${total}).`,
    );
  if ((agreementType === 'SAO' || agreementType === 'ODO') && hours.workplace >= oaoMinimumWorkplaceHours) {
    warn(
      'workplace-hours-fit-other-type',
      '/weeklyHours/workplace',
      `Met ${hours.workplace} uur op de werkplek past dit traject eerder bij een ${agreementType === 'SAO' ? 'OAO' : 'ODOS'}; het type volgt wel uit de opleiding.`,
    );
  }

  const age = ageOn(input.learner.birthDate, startDate);
  if (age < 15) block('learner-too-young', '/learner/nationalNumber', 'De leerling is op de begindatum jonger dan 15 jaar en dus nog voltijds leerplichtig.');
  else if (age === 15 && !input.learner.firstTwoYearsSecondaryCompleted) {
    block(
      'learner-15-without-first-two-years',
      '/learner/firstTwoYearsSecondaryCompleted',
      'Een leerling van 15 moet de eerste twee jaren secundair onderwijs gevolgd hebben.',
    );
  }
  if (age < 18 && !input.learner.hasLegalRepresentative)
    block(
      'legal-representative-required',
      '/learner/legalRepresentative',
      'De leerling is op de begindatum minderjarig: vul de wettelijke vertegenwoordiger in.',
    );

  if (context.mentor && context.mentorLoad >= context.mentorCapacity) {
    block(
      'mentor-capacity-reached',
      '/mentorId',
      `Deze mentor begeleidt al ${context.mentorLoad} leerling(en); het partnerschap laat er ${context.mentorCapacity} toe.`,
    );
  }
  if (context.establishmentCapacity !== null && context.establishmentLoad >= context.establishmentCapacity) {
    block(
      'establishment-capacity-reached',
      '/establishmentNumber',
      `De vestiging heeft al ${context.establishmentLoad} lopende overeenkomst(en); het partnerschap laat er ${context.establishmentCapacity} toe.`,
    );
  }

  const clash = context.learnerAgreements.find((other) => overlaps(other, input));
  if (clash)
    block('learner-has-overlapping-agreement', '/startDate', `De leerling heeft al een lopende overeenkomst van ${clash.startDate} tot ${clash.endDate}.`);

  const deadline = registrationDeadline(startDate);
  if (context.today > deadline) {
    warn('registration-after-3-months', '/startDate', `Registratie meer dan 3 maanden na de begindatum (na ${deadline}): de premies vervallen.`);
  }
  return issues;
}

export const blocking = (issues: Issue[]) => issues.filter((i) => i.severity === 'blocking');

/** The learning allowance (OAO only): the only amount the agreement may state. */
export function learningAllowance(agreementType: Programme['agreementType'], tier: 1 | 2 | 3, allowances: Allowance[], startDate: string) {
  if (agreementType !== 'OAO') return null;
  const row = allowanceOn(allowances, tier, startDate);
  return row ? { tier, monthlyAmountCents: row.monthlyAmountCents, validFrom: row.validFrom, allowanceId: row.id } : null;
}

// --- premiums ------------------------------------------------------------------------------------------

export type PremiumKind = 'enterprise' | 'learner';
export type PremiumDecision = { kind: PremiumKind; qualifies: boolean; amountCents: number; schoolYear: string; reasons: string[] };

export type PremiumFacts = {
  agreementType: Programme['agreementType'];
  startDate: string;
  endDate: string;
  registeredOn: string;
  weeklyHours: WeeklyHours;
  learnerPaid: boolean;
  establishmentInFlemishRegion: boolean;
  learnerLivesInFlemishRegion: boolean;
  mentorAppointed: boolean;
  enterpriseBankAccount: { iban: string; consent: boolean } | null;
  learnerBankAccount: { iban: string | null; consent: boolean };
  /** Premiums of this kind already granted to the learner: their school years. */
  earlierEnterprisePremiums: string[];
  earlierLearnerPremiums: string[];
};

/**
 * The enterprise premium (EUR 1,000, EUR 600 for an unpaid learner) and the learner premium (EUR 500), each
 * with the reasons it does not qualify. Registration records both; a paying system acts on them.
 */
export function premiums(facts: PremiumFacts): PremiumDecision[] {
  const schoolYear = schoolYearOf(facts.startDate);
  const common: string[] = [];
  if (iso(addMonths(date(facts.startDate), premiumMinimumMonths)) > iso(addDays(date(facts.endDate), 1)))
    common.push('De overeenkomst duurt korter dan 4 maanden.');
  if (facts.registeredOn > registrationDeadline(facts.startDate)) common.push('De overeenkomst werd meer dan 3 maanden na de begindatum geregistreerd.');

  const enterprise = [...common];
  if (!facts.establishmentInFlemishRegion) enterprise.push('De vestiging ligt niet in het Vlaamse Gewest.');
  const total = facts.weeklyHours.school + facts.weeklyHours.workplace;
  if (total === 0 || facts.weeklyHours.workplace / total < 0.5) enterprise.push('De werkplekcomponent is minder dan 50 %.');
  if (!facts.mentorAppointed) enterprise.push('Er is geen mentor aangesteld.');
  if (!facts.enterpriseBankAccount?.consent) enterprise.push('De onderneming gaf geen toestemming voor de premie.');
  if (!facts.enterpriseBankAccount?.iban) enterprise.push('Het rekeningnummer van de onderneming ontbreekt.');
  if (facts.earlierEnterprisePremiums.includes(schoolYear))
    enterprise.push(`Voor deze leerling werd al een ondernemingspremie aangevraagd voor schooljaar ${schoolYear}.`);
  if (facts.earlierEnterprisePremiums.length >= premiumMaximumPerLearner) enterprise.push('Voor deze leerling werden al 3 ondernemingspremies aangevraagd.');

  const learner = [...common];
  if (!['OAO', 'SAO', 'DA'].includes(facts.agreementType)) learner.push('De leerlingpremie geldt enkel voor een OAO, SAO of DA.');
  if (!facts.learnerLivesInFlemishRegion) learner.push('De leerling woont niet in het Vlaamse Gewest.');
  if (!facts.learnerBankAccount.consent) learner.push('De leerling gaf geen toestemming voor de leerlingpremie.');
  if (!facts.learnerBankAccount.iban) learner.push('Het rekeningnummer van de leerling ontbreekt.');
  if (facts.earlierLearnerPremiums.includes(schoolYear)) learner.push(`De leerling kreeg al een leerlingpremie voor schooljaar ${schoolYear}.`);
  if (facts.earlierLearnerPremiums.length >= premiumMaximumPerLearner) learner.push('De leerling kreeg al 3 leerlingpremies.');

  return [
    { kind: 'enterprise', qualifies: enterprise.length === 0, amountCents: facts.learnerPaid ? 100_000 : 60_000, schoolYear, reasons: enterprise },
    { kind: 'learner', qualifies: learner.length === 0, amountCents: 50_000, schoolYear, reasons: learner },
  ];
}

// --- time rules ----------------------------------------------------------------------------------------

/** The day a work version disappears, counted from its last change. */
export const draftExpiresOn = (lastChangedAt: string): string => iso(addDays(date(lastChangedAt.slice(0, 10)), draftRetentionDays));
export const draftWarningOn = (lastChangedAt: string): string => iso(addDays(date(draftExpiresOn(lastChangedAt)), -draftWarningDays));
export const draftExpired = (lastChangedAt: string, today: string): boolean => today >= draftExpiresOn(lastChangedAt);

export const suspensionDays = (from: string, to: string): number => differenceInCalendarDays(date(to), date(from)) + 1;
/** A suspension of more than 14 days is reported to the counsellor. */
export const suspensionNeedsReport = (from: string, to: string): boolean => suspensionDays(from, to) > suspensionReportDays;

export const suspensionGrounds = ['illness', 'accident', 'holidays', 'publicHoliday', 'shortLeave', 'forceMajeure', 'other'] as const;
export const terminationParties = ['learner', 'enterprise', 'provider', 'mutual'] as const;

/** Changes after registration; which of them need an addendum signed by the parties is in the model's data. */
export const amendmentKinds = ['counsellor', 'mentor', 'endDate', 'schedule', 'establishmentAddress'] as const;
export type AmendmentKind = (typeof amendmentKinds)[number];

/**
 * Retention of the learner's personal data in an agreement that ended: 5 years after its end date (the
 * premiums of its school years can be checked and recovered until then) the learner is reduced to what the
 * register of agreements and the statistics need: initials, the birth year, the postcode and municipality.
 * The national number is kept only masked; street address, birth date, account number and legal
 * representative are erased.
 */
export const learnerDataRetentionYears = 5;
export const learnerDataErasedOn = (endDate: string): string => iso(addMonths(date(endDate), 12 * learnerDataRetentionYears));

type ErasableLearner = {
  firstName: string;
  lastName: string;
  nationalNumber: string;
  birthDate: string;
  address: { street: string; houseNumber: string; box: string | null; postcode: string; municipality: string };
  legalRepresentative: unknown;
  iban: string | null;
  birthYear?: number;
  dataErased?: boolean;
};

export function erasedLearner<L extends ErasableLearner>(learner: L, mask: (nationalNumber: string) => string): L {
  if (learner.dataErased) return learner;
  const initial = (name: string) => `${name.trim().charAt(0).toUpperCase()}.`;
  return {
    ...learner,
    firstName: initial(learner.firstName),
    lastName: initial(learner.lastName),
    nationalNumber: mask(learner.nationalNumber),
    birthDate: '',
    birthYear: Number(learner.birthDate.slice(0, 4)),
    address: { street: '', houseNumber: '', box: null, postcode: learner.address.postcode, municipality: learner.address.municipality },
    legalRepresentative: null,
    iban: null,
    dataErased: true,
  };
}

export const isRunning = (agreement: Pick<Agreement, 'status'>): boolean => runningStatuses.includes(agreement.status);
export const suspendedOn = (agreement: Pick<Agreement, 'suspensions'>, day: string): boolean => agreement.suspensions.some((s) => s.from <= day && day <= s.to);

// --- decisions -------------------------------------------------------------------------------------------

/** A field a rule refuses: where (a JSON pointer into the request body, or a header), the rule, a Dutch detail. */
export type RuleProblem = { in?: 'body' | 'header'; pointer: string; code: string; detail: string };

/** What a decision answers: its result, or a refusal (a stable code) with the field problems behind it. */
export type Decision<T, R extends string> = { ok: true; value: T } | Refusal<R>;
export type Refusal<R extends string> = { ok: false; refusal: R; problems: RuleProblem[]; detail?: string };

const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
function refuse<R extends string>(refusal: R, problems: RuleProblem[] = [], detail?: string): Refusal<R> {
  return detail === undefined ? { ok: false, refusal, problems } : { ok: false, refusal, problems, detail };
}
const problem = (pointer: string, code: string, detail: string): RuleProblem => ({ in: 'body', pointer, code, detail });

// --- the check on the facts of the workplace --------------------------------------------------------------

/** A recognition as the check needs it. */
export type RecognitionFacts = {
  id: string;
  status: string;
  startDate: string;
  endDate: string;
  partnershipId: string;
  mentors: {
    id: string;
    name: string;
    active: boolean;
    withdrawn: boolean;
    trainingDeadline: string | null;
    trainingCompletedOn: string | null;
    trainingExempted: boolean;
    /** The person behind the mentor (RecognitionMentor.personKey): capacity counts per person. */
    personKey?: string;
  }[];
};

/** The recognition of the workplace on the agreement's start date: the first active one that covers it. */
export function recognitionOn<R extends RecognitionFacts>(recognitions: R[], agreement: Pick<Agreement, 'startDate'>): R | null {
  return recognitions.find((r) => r.status === 'active' && r.startDate <= agreement.startDate && agreement.startDate <= r.endDate) ?? null;
}

/** What the pre-flight check reads besides the agreement. */
export type WorkplaceFacts = {
  /** The recognition active on the start date (recognitionOn), and the capacity rules of its partnership. */
  recognition: RecognitionFacts | null;
  rules: Partnership['rules'] | null;
  /** Slots in use (running agreements of all programmes) of the chosen mentor and of the establishment. */
  mentorLoad: number;
  establishmentLoad: number;
  learnerAgreements: LearnerAgreement[];
  /** The programme's length; 1 when the programme is unknown (the draft's own problems name that). */
  schoolYears: number;
};

export type CheckResult = { issues: Issue[]; recognition: RecognitionFacts | null; mentorCapacity: number; establishmentCapacity: number | null };

/** The free places left under a maximum (null: none, so no limit) with `used` slots taken; never below zero. */
export const freePlaces = (capacity: number | null, used: number): number | null => (capacity === null ? null : Math.max(0, capacity - used));

/**
 * The partnership's maxima for one programme: learners per mentor (across programmes), and per establishment
 * (null: no maximum). Without the partnership's rules, one learner per mentor and no establishment maximum.
 */
export function capacitiesOf(rules: Partnership['rules'] | null | undefined, programmeId: string): { mentor: number; establishment: number | null } {
  return {
    mentor: rules?.capacityPerMentor ?? 1,
    establishment: rules ? (rules.capacityPerEstablishmentByProgramme[programmeId] ?? rules.capacityPerEstablishment) : null,
  };
}

/** The pre-flight check of an agreement on the facts of its workplace and learner, and the learning allowance. */
export function checkAgreement(agreement: Agreement, facts: WorkplaceFacts, today: string, forRegistration: boolean): CheckResult {
  const { recognition, rules } = facts;
  const mentor = recognition?.mentors.find((m) => m.id === agreement.mentorId);
  // A running agreement's own slots are in the counts; a draft holds none.
  const holds = agreement.slots !== null ? 1 : 0;
  const { mentor: mentorCapacity, establishment: establishmentCapacity } = capacitiesOf(rules, agreement.programmeId);
  const issues = preflight(
    {
      agreementType: agreement.agreementType,
      programme: { schoolYears: facts.schoolYears },
      trajectoryYear: agreement.trajectoryYear,
      startDate: agreement.startDate,
      endDate: agreement.endDate,
      weeklyHours: agreement.weeklyHours,
      learner: {
        birthDate: agreement.learner.birthDate,
        priorEducationTier: agreement.learner.priorEducationTier,
        firstTwoYearsSecondaryCompleted: agreement.learner.firstTwoYearsSecondaryCompleted,
        hasLegalRepresentative: agreement.learner.legalRepresentative !== null,
      },
    },
    {
      today,
      recognition: recognition ? { id: recognition.id, endDate: recognition.endDate } : null,
      mentor: mentor ? { active: mentor.active && !mentor.withdrawn, valid: !mentor.withdrawn && mentorValid(mentor, today) } : null,
      mentorLoad: facts.mentorLoad - holds,
      mentorCapacity,
      establishmentLoad: facts.establishmentLoad - holds,
      establishmentCapacity,
      learnerAgreements: facts.learnerAgreements
        .filter((o) => o.agreementId !== agreement.id && runningStatuses.includes(o.status))
        .map((o) => ({ id: o.agreementId, startDate: o.startDate, endDate: o.endDate })),
      forRegistration,
    },
  );
  if (agreement.agreementType === 'OAO' && !agreement.learningAllowance) {
    issues.push({
      code: 'allowance-unknown',
      severity: 'blocking',
      pointer: '/learner/priorEducationTier',
      detail: 'Er is geen leervergoeding vastgelegd voor deze categorie op de begindatum.',
    });
  }
  return { issues, recognition, mentorCapacity, establishmentCapacity };
}

/** The agreement with the result of its check: the issues, when they were found, and the recognition and partnership found. */
function withCheck(agreement: Agreement, facts: WorkplaceFacts, today: string, checkedAt: string): Agreement {
  const { issues, recognition } = checkAgreement(agreement, facts, today, false);
  return { ...agreement, issues, issuesCheckedAt: checkedAt, recognitionId: recognition?.id ?? null, partnershipId: recognition?.partnershipId ?? null };
}

/**
 * A work version as it reads now: the pre-flight check run again on today's facts (a mentor's capacity may have
 * filled since the last save), not stored. Other agreements keep the check of their registration.
 */
export function recheckedDraft(draft: Agreement, facts: WorkplaceFacts, today: string, now: string): Agreement {
  if (draft.status !== 'draft') return draft;
  return withCheck(draft, facts, today, now);
}

/** When the agreement's issues were found: the last check, or its last change for agreements saved before that was kept. */
export const issuesCheckedAt = (agreement: Pick<Agreement, 'issuesCheckedAt' | 'updatedAt'>): string => agreement.issuesCheckedAt ?? agreement.updatedAt;

// --- drafting --------------------------------------------------------------------------------------------

/** What the counsellor fills in for a work version: the route's body as zod gives it (numbers as digits, parsed). */
export type DraftFields = Pick<
  Agreement,
  | 'enterpriseNumber'
  | 'establishmentNumber'
  | 'enterpriseRepresentative'
  | 'enterpriseBankAccount'
  | 'mentorId'
  | 'programmeId'
  | 'trajectoryYear'
  | 'lessonLocationId'
  | 'providerRepresentative'
  | 'startDate'
  | 'endDate'
  | 'weeklyHours'
> & {
  learner: Omit<Agreement['learner'], 'nationalNumber' | 'birthDate' | 'dataErased' | 'birthYear'> & {
    nationalNumber: { value: string; birthDate: string | undefined };
  };
};

/** Reference data and KBO facts a draft must match, and the facts of its check, as the repository read them. */
export type DraftFacts = {
  programme: Programme | undefined;
  provider: Provider | undefined;
  establishmentKnown: boolean;
  allowances: Allowance[];
  workplace: WorkplaceFacts;
};

/** A mismatch with the reference data or KBO is a 422 naming the field, not a saved draft. */
export function draftProblems(fields: DraftFields, facts: DraftFacts): RuleProblem[] {
  const { programme, provider } = facts;
  const problems: RuleProblem[] = [];
  if (!programme) problems.push(problem('/programmeId', 'programme-unknown', 'Onbekende opleiding.'));
  if (!provider)
    problems.push({
      in: 'header',
      pointer: '/X-Organisation',
      code: 'provider-unknown',
      detail: 'Deze opleidingsverstrekker is niet gekend in de referentiegegevens.',
    });
  if (!facts.establishmentKnown)
    problems.push(problem('/establishmentNumber', 'establishment-not-of-enterprise', 'Deze vestiging hoort volgens KBO niet bij deze onderneming.'));
  if (provider && fields.lessonLocationId && !provider.lessonLocations.some((l) => l.id === fields.lessonLocationId))
    problems.push(problem('/lessonLocationId', 'lesson-location-unknown', 'Deze lesplaats hoort niet bij uw opleidingsverstrekker.'));
  if (programme && fields.trajectoryYear > programme.schoolYears)
    problems.push(problem('/trajectoryYear', 'too-big', `Deze opleiding duurt ${programme.schoolYears} schooljaar/schooljaren.`));
  return problems;
}

/** The agreement's content from what the counsellor filled in; type and allowance follow from the reference data. */
function draftContent(fields: DraftFields, programme: Programme, allowances: Allowance[]) {
  return {
    agreementType: programme.agreementType,
    programmeId: programme.id,
    trajectoryYear: fields.trajectoryYear,
    lessonLocationId: fields.lessonLocationId,
    providerRepresentative: fields.providerRepresentative,
    learner: {
      firstName: fields.learner.firstName,
      lastName: fields.learner.lastName,
      nationalNumber: fields.learner.nationalNumber.value,
      birthDate: fields.learner.nationalNumber.birthDate!,
      address: fields.learner.address,
      legalRepresentative: fields.learner.legalRepresentative,
      iban: fields.learner.iban,
      premiumConsent: fields.learner.premiumConsent,
      priorEducationTier: fields.learner.priorEducationTier,
      firstTwoYearsSecondaryCompleted: fields.learner.firstTwoYearsSecondaryCompleted,
      // An SAO is unpaid by definition.
      paid: programme.agreementType === 'SAO' ? false : fields.learner.paid,
    },
    enterpriseNumber: formatEnterpriseNumber(fields.enterpriseNumber),
    establishmentNumber: formatEstablishmentNumber(fields.establishmentNumber),
    enterpriseRepresentative: fields.enterpriseRepresentative,
    enterpriseBankAccount: fields.enterpriseBankAccount,
    mentorId: fields.mentorId,
    startDate: fields.startDate,
    endDate: fields.endDate,
    weeklyHours: fields.weeklyHours,
    learningAllowance: learningAllowance(programme.agreementType, fields.learner.priorEducationTier, allowances, fields.startDate),
  } satisfies Partial<Agreement>;
}

export const noAnnexes: Agreement['annexes'] = { schedule: null, trainingPlan: null, learnerPremiumConsent: null, signedAgreement: null };

/** A new work version with its pre-flight check. */
export function newDraft(
  fields: DraftFields,
  facts: DraftFacts,
  context: { id: string; providerId: string; counsellor: Agreement['counsellor']; now: string; today: string },
): Decision<Agreement, 'draft-invalid'> {
  const problems = draftProblems(fields, facts);
  if (problems.length) return refuse('draft-invalid', problems);
  const draft: Agreement = {
    id: context.id,
    status: 'draft',
    ...draftContent(fields, facts.programme!, facts.allowances),
    providerId: context.providerId,
    counsellor: context.counsellor,
    recognitionId: null,
    annexes: noAnnexes,
    issues: [],
    registration: null,
    suspensions: [],
    ending: null,
    addenda: [],
    slots: null,
    createdAt: context.now,
    updatedAt: context.now,
    version: 1,
  };
  return accept(withCheck(draft, facts.workplace, context.today, context.now));
}

/** The draft's top-level fields in the history, in the body's order (the learner is left out: see draftHistory). */
const draftFieldNames = [
  'enterpriseNumber',
  'establishmentNumber',
  'enterpriseRepresentative',
  'enterpriseBankAccount',
  'mentorId',
  'programmeId',
  'trajectoryYear',
  'lessonLocationId',
  'providerRepresentative',
  'startDate',
  'endDate',
  'weeklyHours',
] as const;

/**
 * The changed draft fields as the history records them. The learner's data is left out altogether (the history is
 * read by both parties); the enterprise's account only by its last four digits, so the entry shows that it changed
 * without holding an account number.
 */
function draftHistory(before: Agreement, after: Agreement, by: string): AgreementHistory {
  const changed = draftFieldNames.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const recorded = (a: Agreement) =>
    Object.fromEntries(
      changed.map((k) => {
        if (k !== 'enterpriseBankAccount') return [k, a[k]];
        const account = a.enterpriseBankAccount;
        return [k, account ? { iban: `eindigt op ${account.iban.slice(-4)}`, consent: account.consent } : null];
      }),
    );
  return { by, action: 'draft-updated', before: recorded(before), after: recorded(after) };
}

/** A saved work version with its pre-flight check again; a registered agreement changes by amendment instead. */
export function redraft(
  agreement: Agreement,
  fields: DraftFields,
  facts: DraftFacts,
  context: { by: string; today: string; now: string },
): Decision<{ next: Agreement; history: AgreementHistory }, 'not-a-draft' | 'draft-invalid'> {
  if (agreement.status !== 'draft') return refuse('not-a-draft');
  const problems = draftProblems(fields, facts);
  if (problems.length) return refuse('draft-invalid', problems);
  const next = withCheck({ ...agreement, ...draftContent(fields, facts.programme!, facts.allowances) }, facts.workplace, context.today, context.now);
  return accept({ next, history: draftHistory(agreement, next, context.by) });
}

// --- annexes ---------------------------------------------------------------------------------------------

export const annexNames = ['schedule', 'trainingPlan', 'learnerPremiumConsent', 'signedAgreement'] as const;
export type AnnexName = (typeof annexNames)[number];

/**
 * The enterprise is a party: it reads the annexes it works with. Not the signed agreement (it carries the learner's
 * full national number; the enterprise has its signed original on paper) nor the learner's premium consent (the
 * learner's account number).
 */
export const annexesSharedWithEnterprise: readonly AnnexName[] = ['schedule', 'trainingPlan'];

const annexMissing: Record<AnnexName, string> = {
  schedule: 'Het uurrooster ontbreekt.',
  trainingPlan: 'Het opleidingsplan ontbreekt.',
  learnerPremiumConsent: 'De toestemming van de leerling voor de leerlingpremie ontbreekt.',
  signedAgreement: 'De ondertekende overeenkomst ontbreekt.',
};

/** A stored document as the rules on attaching it need it. */
export type DocumentFacts = { ownerKey: string; status: string; kind: string };
export type DocumentRefusal = 'document-not-yours' | 'document-not-verified' | 'document-wrong-kind';

/** Why a document cannot be attached as `kind` by `ownerKey`, or null when it can. */
export function documentRefusal(
  documentId: string,
  document: DocumentFacts | undefined,
  expected: { kind: string; pointer: string; ownerKey: string },
): Refusal<DocumentRefusal> | null {
  const { kind, pointer } = expected;
  if (!document || document.ownerKey !== expected.ownerKey)
    return refuse('document-not-yours', [problem(pointer, 'document-not-yours', `Document ${documentId} is onbekend.`)]);
  if (document.status !== 'verified')
    return refuse('document-not-verified', [problem(pointer, 'document-not-verified', 'Laad het bestand op en bevestig de upload eerst.')]);
  if (document.kind !== kind) return refuse('document-wrong-kind', [problem(pointer, 'document-wrong-kind', `Verwacht: ${kind}.`)]);
  return null;
}

/** Annexes attached to a work version; a new schedule replaces the previous one (one schedule per agreement). */
export function attachment(
  agreement: Agreement,
  annexes: Partial<Record<AnnexName, string>>,
  documents: ReadonlyMap<string, DocumentFacts>,
  context: { ownerKey: string; by: string; now: string },
): Decision<{ next: Agreement; history: AgreementHistory; shareWithEnterprise: string[] }, 'annexes-after-registration' | DocumentRefusal> {
  if (agreement.status !== 'draft') return refuse('annexes-after-registration');
  const attached = { ...agreement.annexes };
  for (const [name, documentId] of Object.entries(annexes) as [AnnexName, string][]) {
    const refusal = documentRefusal(documentId, documents.get(documentId), { kind: name, pointer: `/${name}`, ownerKey: context.ownerKey });
    if (refusal) return refusal;
    attached[name] = { documentId, attachedAt: context.now };
  }
  const before = Object.fromEntries(Object.keys(annexes).map((k) => [k, agreement.annexes[k as AnnexName]?.documentId ?? null]));
  return accept({
    next: { ...agreement, annexes: attached },
    history: { by: context.by, action: 'annexes-attached', before, after: annexes },
    shareWithEnterprise: annexesSharedWithEnterprise.flatMap((name) => annexes[name] ?? []),
  });
}

// --- registration ----------------------------------------------------------------------------------------

export type RegistrationFacts = WorkplaceFacts & {
  /** The establishment's address in KBO (the region rule of the enterprise premium); null when KBO does not know it. */
  establishmentAddress: { postcode: string | null; country: string | null } | null;
};

/** What registration writes: the registered agreement, its premiums, the events for the paying system, the slots' maxima. */
export type Registration = {
  registered: Agreement;
  premiums: PremiumDecision[];
  events: PremiumRequested[];
  capacities: { mentor: number; establishment: number | null };
  history: AgreementHistory;
};

/**
 * Registration: every annex is there and the pre-flight check, run again with `forRegistration`, blocks nothing;
 * then the agreement is registered on the recognition found, with both premium decisions and a premium-requested
 * event for each one that qualifies. Which slots it takes and their maxima go with it (the transaction's condition).
 */
export function registration(
  agreement: Agreement,
  facts: RegistrationFacts,
  context: { today: string; now: string; by: string },
): Decision<Registration, 'already-registered' | 'registration-blocked'> {
  if (agreement.status !== 'draft') return refuse('already-registered');
  const missing = annexNames.filter((name) => !agreement.annexes[name]).map((name) => problem(`/annexes/${name}`, 'annex-missing', annexMissing[name]));
  const check = checkAgreement(agreement, facts, context.today, true);
  const blockers = blocking(check.issues).map((i) => problem(i.pointer, i.code, i.detail));
  if (missing.length || blockers.length) return refuse('registration-blocked', [...missing, ...blockers]);
  const recognition = check.recognition!;
  const earlier = facts.learnerAgreements.filter((o) => o.agreementId !== agreement.id);
  const decisions = premiums({
    agreementType: agreement.agreementType,
    startDate: agreement.startDate,
    endDate: agreement.endDate,
    registeredOn: context.today,
    weeklyHours: agreement.weeklyHours,
    learnerPaid: agreement.learner.paid,
    establishmentInFlemishRegion: regionOf(facts.establishmentAddress) === 'flanders',
    learnerLivesInFlemishRegion: regionOfPostcode(agreement.learner.address.postcode) === 'flanders',
    mentorAppointed: true,
    enterpriseBankAccount: agreement.enterpriseBankAccount,
    learnerBankAccount: { iban: agreement.learner.iban, consent: agreement.learner.premiumConsent && agreement.annexes.learnerPremiumConsent !== null },
    earlierEnterprisePremiums: earlier.flatMap((o) => (o.enterprisePremiumSchoolYear ? [o.enterprisePremiumSchoolYear] : [])),
    earlierLearnerPremiums: earlier.flatMap((o) => (o.learnerPremiumSchoolYear ? [o.learnerPremiumSchoolYear] : [])),
  });
  const registered: Agreement = {
    ...agreement,
    status: 'registered',
    recognitionId: recognition.id,
    partnershipId: recognition.partnershipId,
    issues: check.issues,
    issuesCheckedAt: context.now,
    registration: { at: context.now, by: context.by, premiums: decisions },
    // The mentor's slot is the person's (across recognitions), where the recognition knows the person.
    slots: { mentor: mentorSlotOwner(recognition, agreement.mentorId), establishment: kboDigits(agreement.establishmentNumber) },
  };
  return accept({
    registered,
    premiums: decisions,
    events: decisions
      .filter((p) => p.qualifies)
      .map((p) => ({
        type: 'premium-requested' as const,
        eventId: `premium-${agreement.id}-${p.kind}`,
        agreementId: agreement.id,
        kind: p.kind,
        amountCents: p.amountCents,
        schoolYear: p.schoolYear,
        enterpriseNumber: agreement.enterpriseNumber,
        requestedAt: context.now,
      })),
    capacities: { mentor: check.mentorCapacity, establishment: check.establishmentCapacity },
    history: {
      by: context.by,
      action: 'registered',
      before: { status: 'draft' },
      after: {
        status: 'registered',
        recognitionId: recognition.id,
        premiums: decisions.map((p) => `${p.kind}:${p.qualifies ? 'aangevraagd' : 'niet van toepassing'}`),
      },
    },
  });
}

// --- after registration ----------------------------------------------------------------------------------

/** A change of a registered agreement, as the counsellor asks it (the amendments route's body). */
export type AmendmentRequest =
  | ({ kind: 'counsellor' } & Pick<Agreement, 'counsellor'>)
  | ({ kind: 'mentor'; effectiveDate: string } & Pick<Agreement, 'mentorId'>)
  | ({ kind: 'endDate' } & Pick<Agreement, 'endDate'>)
  | { kind: 'schedule'; documentId: string; effectiveDate: string }
  | { kind: 'establishmentAddress'; effectiveDate: string };

/** What an amendment reads: the models (which changes need an addendum) and what the one change needs. */
export type AmendmentFacts = {
  models: AgreementModel[];
  /** mentor: the agreement's recognition, and the capacity rules of its partnership. */
  recognition?: RecognitionFacts | undefined;
  rules?: Partnership['rules'] | null | undefined;
  /** endDate: the programme's length. */
  schoolYears?: number | undefined;
  /** schedule: the new schedule's document. */
  document?: DocumentFacts | undefined;
  /** establishmentAddress: where KBO now has the establishment. */
  establishment?: { postcode: string | null; municipality: string | null } | undefined;
};

export type Amendment = {
  next: Agreement;
  history: AgreementHistory;
  /** The addendum the model asks for this change, to be signed by the parties (and a task until it is registered). */
  addendum: Addendum | null;
  /** A new mentor takes a slot (within the partnership's maximum) and frees the previous mentor's. */
  mentorMove: { from: string; to: string; capacity: number } | null;
  shareWithEnterprise: string[];
};

export type AmendmentRefusal =
  | 'not-running'
  | 'ending'
  | 'mentor-not-eligible'
  | 'mentor-unchanged'
  | 'end-date-invalid'
  | 'no-agreement-model'
  | DocumentRefusal;

type Change = { next: Agreement; change: Addendum['changes'][number]; effectiveDate?: string; mentorMove?: Amendment['mentorMove']; share?: string[] };

function changeOf(agreement: Agreement, request: AmendmentRequest, facts: AmendmentFacts, context: { today: string; now: string; ownerKey: string }) {
  switch (request.kind) {
    case 'counsellor': {
      const change = { kind: request.kind, label: 'Trajectbegeleider', before: agreement.counsellor.name, after: request.counsellor.name };
      return accept<Change>({ next: { ...agreement, counsellor: request.counsellor }, change });
    }
    case 'mentor': {
      const { recognition } = facts;
      const mentor = recognition?.mentors.find((m) => m.id === request.mentorId);
      const previous = recognition?.mentors.find((m) => m.id === agreement.mentorId);
      if (recognition?.status !== 'active' || !mentor || mentor.withdrawn || !mentorValid(mentor, context.today))
        return refuse('mentor-not-eligible', [problem('/mentorId', 'mentor-not-eligible', 'Deze mentor hoort niet bij de erkenning of is niet geldig.')]);
      if (request.mentorId === agreement.mentorId) return refuse('mentor-unchanged', [problem('/mentorId', 'unchanged', 'Kies een andere mentor.')]);
      // Slots are held per person: the agreement frees the slot it holds and takes the new mentor's person's.
      const from = agreement.slots?.mentor ?? agreement.mentorId;
      const to = mentorSlotOwner(recognition, request.mentorId);
      const slots = agreement.slots ? { ...agreement.slots, mentor: to } : null;
      return accept<Change>({
        next: { ...agreement, mentorId: request.mentorId, slots },
        change: { kind: request.kind, label: 'Mentor', before: previous?.name ?? agreement.mentorId, after: mentor.name },
        effectiveDate: request.effectiveDate,
        mentorMove: from === to ? null : { from, to, capacity: facts.rules?.capacityPerMentor ?? 1 },
      });
    }
    case 'endDate': {
      const latest = latestEndDate(agreement.startDate, facts.schoolYears ?? 1, agreement.trajectoryYear);
      const problems: RuleProblem[] = [];
      if (request.endDate < agreement.startDate) problems.push(problem('/endDate', 'end-before-start', 'De einddatum ligt voor de begindatum.'));
      if (request.endDate > latest) problems.push(problem('/endDate', 'end-after-last-school-year', `De einddatum mag ten laatste ${latest} zijn.`));
      if (problems.length) return refuse('end-date-invalid', problems);
      const change = { kind: request.kind, label: 'Einddatum', before: agreement.endDate, after: request.endDate };
      return accept<Change>({ next: { ...agreement, endDate: request.endDate }, change });
    }
    case 'schedule': {
      const refusal = documentRefusal(request.documentId, facts.document, { kind: 'schedule', pointer: '/documentId', ownerKey: context.ownerKey });
      if (refusal) return refusal;
      const schedule = { documentId: request.documentId, attachedAt: context.now };
      return accept<Change>({
        next: { ...agreement, annexes: { ...agreement.annexes, schedule } },
        change: { kind: request.kind, label: 'Uurrooster', before: agreement.annexes.schedule?.documentId ?? '-', after: request.documentId },
        effectiveDate: request.effectiveDate,
        share: [request.documentId],
      });
    }
    case 'establishmentAddress': {
      const moved = facts.establishment;
      const after = moved ? `${moved.postcode ?? ''} ${moved.municipality ?? ''}`.trim() : 'nieuw adres';
      const change = { kind: request.kind, label: 'Adres van de vestiging', before: 'vorig adres', after };
      return accept<Change>({ next: agreement, change, effectiveDate: request.effectiveDate });
    }
  }
}

/** A change of a running agreement, with the addendum the model in force asks for it. */
export function amendment(
  agreement: Agreement,
  request: AmendmentRequest,
  facts: AmendmentFacts,
  context: { today: string; now: string; by: string; ownerKey: string },
): Decision<Amendment, AmendmentRefusal> {
  if (!isRunning(agreement)) return refuse('not-running');
  // An agreement whose end is recorded only changes its counsellor: the rest would contradict the end.
  if (agreement.status === 'ending' && request.kind !== 'counsellor')
    return refuse('ending', [], `De overeenkomst eindigt op ${agreement.ending?.date ?? agreement.endDate}: enkel de trajectbegeleider kan nog wijzigen.`);
  const changed = changeOf(agreement, request, facts, context);
  if (!changed.ok) return changed;
  const { change, effectiveDate = context.today } = changed.value;
  // Which changes need an addendum signed by the parties: the model agreement in force says so (data, not code).
  const model = agreementModelOn(facts.models, agreement.agreementType, context.today);
  if (!model) return refuse('no-agreement-model', [], `Er is vandaag geen modelovereenkomst van kracht voor het type ${agreement.agreementType}.`);
  const addendum: Addendum | null = needsAddendum(model, request.kind)
    ? {
        number: agreement.addenda.length + 1,
        changes: [change],
        effectiveDate,
        status: 'toSign',
        signedDocumentId: null,
        createdAt: context.now,
        registeredAt: null,
      }
    : null;
  const next = addendum ? { ...changed.value.next, addenda: [...agreement.addenda, addendum] } : changed.value.next;
  return accept({
    next,
    history: {
      by: context.by,
      action: `amended-${request.kind}`,
      before: { [change.kind]: change.before },
      after: { [change.kind]: change.after, addendum: addendum ? addendum.number : null },
    },
    addendum,
    mentorMove: changed.value.mentorMove ?? null,
    shareWithEnterprise: changed.value.share ?? [],
  });
}

/**
 * The signed addendum registered. Its scan is not shared with the enterprise: it carries the learner's full national
 * number, and the enterprise keeps its own signed original.
 */
export function addendumRegistration(
  agreement: Agreement,
  number: number,
  signed: { documentId: string; document: DocumentFacts | undefined },
  context: { ownerKey: string; by: string; now: string },
): Decision<{ next: Agreement; history: AgreementHistory }, 'addendum-not-found' | 'addendum-registered' | DocumentRefusal> {
  const addendum = agreement.addenda.find((a) => a.number === number);
  if (!addendum) return refuse('addendum-not-found');
  if (addendum.status === 'registered') return refuse('addendum-registered');
  const refusal = documentRefusal(signed.documentId, signed.document, { kind: 'addendum', pointer: '/signedDocumentId', ownerKey: context.ownerKey });
  if (refusal) return refusal;
  const registered = { ...addendum, status: 'registered' as const, signedDocumentId: signed.documentId, registeredAt: context.now };
  return accept({
    next: { ...agreement, addenda: agreement.addenda.map((a) => (a.number === number ? registered : a)) },
    history: {
      by: context.by,
      action: 'addendum-registered',
      before: { addendum: number, status: 'toSign' },
      after: { addendum: number, status: 'registered' },
    },
  });
}

/** The first recorded suspension that shares a day with `from`..`to`, if any. */
export const overlappingSuspension = (agreement: Pick<Agreement, 'suspensions'>, from: string, to: string): Suspension | undefined =>
  agreement.suspensions.find((s) => s.from <= to && from <= s.to);

/**
 * A suspension within the agreement's term, reported by a party (article 9 of the model). It may not share a day
 * with another suspension of the agreement. The counsellor follows up one of more than 14 days, and every one the
 * enterprise reports.
 */
export function suspension(
  agreement: Agreement,
  request: Pick<Suspension, 'ground' | 'from' | 'to'>,
  context: { id: string; by: string; now: string; reporter: SuspensionReporter },
): Decision<{ next: Agreement; suspension: Suspension; history: AgreementHistory }, 'not-running' | 'suspension-invalid' | 'suspension-overlaps'> {
  if (!isRunning(agreement)) return refuse('not-running');
  const problems: RuleProblem[] = [];
  if (request.to < request.from) problems.push(problem('/to', 'to-before-from', 'De schorsing eindigt voor ze begint.'));
  if (request.from < agreement.startDate || request.to > agreement.endDate)
    problems.push(
      problem('/from', 'outside-agreement', `De schorsing valt buiten de looptijd van de overeenkomst (${agreement.startDate} tot ${agreement.endDate}).`),
    );
  if (problems.length) return refuse('suspension-invalid', problems);
  const { ground, from, to } = request;
  const clash = overlappingSuspension(agreement, from, to);
  if (clash) {
    const detail = `Deze schorsing overlapt met de schorsing van ${clash.from} tot ${clash.to}.`;
    return refuse('suspension-overlaps', [problem('/from', 'suspension-overlaps', detail)], detail);
  }
  const added: Suspension = {
    id: context.id,
    ground,
    from,
    to,
    reported: context.reporter === 'enterprise' || suspensionNeedsReport(from, to),
    recordedBy: context.by,
    at: context.now,
    reportedBy: context.reporter,
    acknowledged: null,
  };
  return accept({
    next: { ...agreement, suspensions: [...agreement.suspensions, added] },
    suspension: added,
    history: { by: context.by, action: 'suspended', before: {}, after: { suspensionId: added.id, ground, from, to, reportedBy: context.reporter } },
  });
}

/** The counsellor acknowledges a reported suspension: once, and only one that was reported to follow up. */
export function suspensionAcknowledgement(
  agreement: Agreement,
  suspensionId: string,
  context: { by: string; name: string; now: string },
): Decision<{ next: Agreement; suspension: Suspension; history: AgreementHistory }, 'suspension-not-found' | 'not-reported' | 'already-acknowledged'> {
  const found = agreement.suspensions.find((s) => s.id === suspensionId);
  if (!found) return refuse('suspension-not-found');
  if (!found.reported) return refuse('not-reported');
  if (found.acknowledged) return refuse('already-acknowledged');
  const acknowledged: Suspension = { ...found, acknowledged: { by: context.by, name: context.name, at: context.now } };
  return accept({
    next: { ...agreement, suspensions: agreement.suspensions.map((s) => (s.id === suspensionId ? acknowledged : s)) },
    suspension: acknowledged,
    history: {
      by: context.by,
      action: 'suspension-acknowledged',
      before: { suspensionId, acknowledged: false },
      after: { suspensionId, acknowledged: true, from: found.from, to: found.to },
    },
  });
}

/** What an ending writes: the agreement (`ended`, or `ending` until a later date), the slots it frees now, its history. */
export type EndingDecision = { next: Agreement; freed: Agreement['slots']; scheduled: boolean; history: AgreementHistory };

/**
 * Ending a running agreement: normally on its end date, or early (before it). An end dated today or earlier ends it
 * at once and frees its slots; one dated later makes it `ending` until that day, when the daily job ends it
 * (endingReached). Its end date becomes the date of the end either way. While ending, an early end before the
 * recorded one replaces it (the seed's urgent reason; the task "Opheffing verwerken" on a revoked recognition asks
 * for it); any other end is refused.
 */
export function ending(
  agreement: Agreement,
  request: Pick<Ending, 'kind' | 'date' | 'reason' | 'by'>,
  context: { by: string; now: string; today: string },
): Decision<EndingDecision, 'not-running' | 'already-ending' | 'ending-invalid'> {
  // While ending, only an earlier early end (an urgent reason, a revoked recognition) replaces the recorded one.
  const recordedEnd = agreement.status === 'ending' ? (agreement.ending?.date ?? agreement.endDate) : null;
  if (recordedEnd !== null && !(request.kind === 'early' && request.date < recordedEnd))
    return refuse('already-ending', [], `De beëindiging is al geregistreerd: de overeenkomst eindigt op ${recordedEnd}. Enkel een vroegere einddatum kan nog.`);
  if (!isRunning(agreement)) return refuse('not-running');
  const problems: RuleProblem[] = [];
  if (request.date < agreement.startDate) problems.push(problem('/date', 'before-start', 'De einddatum ligt voor de begindatum.'));
  if (request.kind === 'early' && request.date >= agreement.endDate)
    problems.push(problem('/date', 'not-early', `Een vroegtijdige beëindiging valt voor de geplande einddatum (${agreement.endDate}).`));
  if (request.kind === 'normal' && request.date !== agreement.endDate)
    problems.push(problem('/date', 'not-planned-end', `Een normale beëindiging valt op de geplande einddatum (${agreement.endDate}).`));
  if (problems.length) return refuse('ending-invalid', problems);
  const endDate = request.kind === 'early' ? request.date : agreement.endDate;
  const recorded = { ...request, recordedBy: context.by, at: context.now };
  const scheduled = request.date > context.today;
  const next: Agreement = scheduled
    ? { ...agreement, status: 'ending', ending: recorded, endDate }
    : { ...agreement, status: 'ended', ending: recorded, slots: null, endDate };
  const early = request.kind === 'early';
  return accept({
    next,
    freed: scheduled ? null : agreement.slots,
    scheduled,
    history: {
      by: context.by,
      action: scheduled ? (early ? 'early-end-recorded' : 'end-recorded') : early ? 'ended-early' : 'ended',
      before: { status: agreement.status, endDate: agreement.endDate },
      after: { status: next.status, endDate, reason: request.reason, by: request.by },
    },
  });
}

/** The day of a recorded end has come: the `ending` agreement is ended and frees its slots. */
export function endingReached(agreement: Agreement, context: { today: string; now: string }): Decision<EndingDecision, 'not-ending' | 'not-yet'> {
  if (agreement.status !== 'ending' || !agreement.ending) return refuse('not-ending');
  if (agreement.ending.date > context.today) return refuse('not-yet');
  const early = agreement.ending.kind === 'early';
  return accept({
    next: { ...agreement, status: 'ended', slots: null },
    freed: agreement.slots,
    scheduled: false,
    history: {
      by: dailyJobActor.userId,
      action: early ? 'ended-early' : 'ended',
      before: { status: 'ending', endDate: agreement.endDate },
      after: { status: 'ended', endDate: agreement.endDate, reason: agreement.ending.reason, by: agreement.ending.by },
    },
  });
}

/**
 * A work version not registered within its 90 days expires on its expiry day: the daily job records it (history,
 * its tasks closed, the counsellor told) rather than leaving it to TTL, which deletes silently and days late.
 */
export function draftExpiry(
  draft: Agreement,
  today: string,
): Decision<{ expiredOn: string; history: AgreementHistory }, 'not-a-draft' | 'not-yet' | 'already-expired'> {
  if (draft.status !== 'draft') return refuse('not-a-draft');
  if (draft.expiredAt) return refuse('already-expired');
  const expiredOn = draftExpiresOn(draft.updatedAt);
  if (today < expiredOn) return refuse('not-yet');
  return accept({
    expiredOn,
    history: {
      by: dailyJobActor.userId,
      action: 'draft-expired',
      before: { status: 'draft' },
      after: { expiredOn, lastSavedOn: draft.updatedAt.slice(0, 10) },
    },
  });
}

/** Retention over: the learner kept only masked, and a sole trader's account number (personal data too) erased. */
export function learnerErasure(agreement: Agreement): { erased: Agreement; history: AgreementHistory } {
  return {
    erased: { ...agreement, learner: erasedLearner(agreement.learner, maskNationalNumber), enterpriseBankAccount: null },
    history: { by: 'retention', action: 'learner-data-erased', before: {}, after: { erasedOn: learnerDataErasedOn(agreement.endDate) } },
  };
}
