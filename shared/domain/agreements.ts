// Agreements (overeenkomsten) between learner, enterprise and training provider: the pre-flight check that
// runs on every save and again at registration, the learning allowance, the premiums and the time rules.
// Pure; no AWS imports. Every problem has a stable code so the portal can show them all at once.
import { addDays, addMonths, differenceInCalendarDays } from 'date-fns';
import { ageOn } from './identifiers.ts';
import { allowanceOn, type Allowance, type Programme } from './reference.ts';

export const agreementStatuses = ['draft', 'registered', 'suspended', 'ended'] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];
export const runningStatuses: AgreementStatus[] = ['registered', 'suspended'];

export const statusLabels: Record<AgreementStatus, string> = {
  draft: 'Werkversie',
  registered: 'Geregistreerd',
  suspended: 'Geschorst',
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
