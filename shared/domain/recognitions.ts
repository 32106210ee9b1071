// Recognition applications and recognitions: the entities, the rules of "Recognition of a workplace" and the
// decisions of each step (draft, content, submission, the partnership's steps, the decision, renewal, mentors,
// sanctions, appeals). Pure; no AWS imports. The repositories in shared/data store what these decide.
import { type Actor, systemActor } from './actors.ts';
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, addYears, differenceInCalendarDays, lightFormat, subYears } from 'date-fns';
import {
  ageOn,
  formatEnterpriseNumber,
  formatEstablishmentNumber,
  kboDigits,
  maskNationalNumber,
  maskedValueUnknown,
  type MaskedNationalNumber,
  type NationalNumber,
} from './identifiers.ts';
import { counsellorMayAct, mandateScope, type Mandate, type MandateScope } from './mandates.ts';
import type { Partnership } from './reference.ts';

export const applicationStatuses = [
  'draft',
  'submitted',
  'incomplete',
  'fileComplete',
  'underReview',
  'paused',
  'recognised',
  'notRecognised',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

/** Dutch names as in the partnerships' work lists. */
export const statusLabels: Record<ApplicationStatus, string> = {
  draft: 'Werkversie',
  submitted: 'Ingediend',
  incomplete: 'Onvolledig',
  fileComplete: 'Dossier volledig',
  underReview: 'In behandeling',
  paused: 'Gepauzeerd',
  recognised: 'Behandeld: erkend',
  notRecognised: 'Behandeld: niet erkend',
  withdrawn: 'Ingetrokken',
};

/** Which status may follow which, and who moves it there. */
export const transitions: Record<ApplicationStatus, ApplicationStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['incomplete', 'fileComplete'],
  incomplete: ['submitted', 'withdrawn'],
  fileComplete: ['underReview', 'incomplete'],
  underReview: ['paused', 'recognised', 'notRecognised', 'incomplete'],
  paused: ['underReview'],
  recognised: [],
  notRecognised: [],
  withdrawn: [],
};

export const openStatuses: ApplicationStatus[] = ['submitted', 'incomplete', 'fileComplete', 'underReview', 'paused'];
export const canTransition = (from: ApplicationStatus, to: ApplicationStatus): boolean => transitions[from].includes(to);

export const reviewDays = 14;
export const reminderDay = 10;
export const recognitionYears = 5;
export const renewalWindowDays = 180;
export const appealDays = 10;
/**
 * How long the enterprise has to complete a file the partnership sent back: no seed text names a term, so the
 * counter gives the same 14 days the partnership has for its review (its clock restarts on the resubmission).
 */
export const completionDays = 14;
export const extractMaxAgeYears = 1;
/** Criminal-record extracts are deleted this long after the final decision. */
export const extractRetentionDays = 60;

export type Mentor = {
  id: string;
  name: string;
  nationalNumber: string;
  birthDate: string | undefined;
  yearsOfExperience: number;
  /** A diploma or prior-learning proof: lets the partnership accept a lower age and waive experience. */
  proofDocumentId: string | null;
  criminalRecordExtract: { documentId: string; issuedOn: string } | null;
  /** What the file keeps once the extract itself is deleted (60 days after the final decision). */
  extractCheckedOn?: string;
  /** Set when retention replaced the national number by its masked form (with the extract): a renewal asks it again. */
  nationalNumberErased?: boolean;
};

/**
 * Retention of a decided file's mentor data, 60 days after the final decision (appeal term and its follow-up
 * passed): the criminal-record extract is deleted and the national number is kept only masked. The birth date
 * stays: the age rules of a later mentor change or renewal need it, and the recognition keeps it while it runs.
 */
export function retainedMentor(mentor: Mentor, decidedOn: string, mask: (nationalNumber: string) => string): Mentor {
  return {
    ...mentor,
    nationalNumber: mentor.nationalNumberErased ? mentor.nationalNumber : mask(mentor.nationalNumber),
    nationalNumberErased: true,
    criminalRecordExtract: null,
    ...(mentor.criminalRecordExtract ? { extractCheckedOn: decidedOn } : {}),
  };
}

export type Criteria = { financialCapacity: boolean; organisationAndEquipment: boolean; noConvictions: boolean; commitments: boolean };

export type Problem = { code: string; pointer: string; detail: string };

export type SubmissionContext = {
  today: string;
  filedBy: 'enterprise' | 'counsellor';
  establishment: { region: string; status: 'active' | 'stopped' } | undefined;
  partnership: Partnership;
  /** Verified documents by id, with their kind. */
  documents: Map<string, { kind: string; status: string }>;
};

export type ApplicationContent = {
  criteria: Criteria;
  mentors: Mentor[];
  documents: { kind: string; documentId: string }[];
};

/**
 * Everything that blocks a submission, all at once, so the portal can show the whole list.
 * Rules: domain.md "Recognition of a workplace" and "More rules from public sources".
 */
export function submissionProblems(application: ApplicationContent, context: SubmissionContext): Problem[] {
  const problems: Problem[] = [];
  const rules = context.partnership.rules;
  const verified = (id: string | null | undefined, kind?: string) => {
    const document = id ? context.documents.get(id) : undefined;
    return document !== undefined && document.status === 'verified' && (kind === undefined || document.kind === kind);
  };

  if (!context.establishment) {
    problems.push({ code: 'establishment-unknown', pointer: '/establishmentNumber', detail: 'Deze vestiging is niet gekend in KBO.' });
  } else {
    if (context.establishment.status !== 'active')
      problems.push({ code: 'establishment-stopped', pointer: '/establishmentNumber', detail: 'KBO vermeldt deze vestiging als stopgezet.' });
    if (context.establishment.region !== 'flanders' && context.establishment.region !== 'brussels') {
      problems.push({
        code: 'establishment-outside-region',
        pointer: '/establishmentNumber',
        detail: 'De vestiging moet in het Vlaamse of het Brusselse Gewest liggen.',
      });
    }
  }

  for (const [name, ticked] of Object.entries(application.criteria)) {
    if (!ticked)
      problems.push({ code: 'criterion-not-confirmed', pointer: `/criteria/${name}`, detail: 'Bevestig dat de onderneming aan deze voorwaarde voldoet.' });
  }

  if (application.mentors.length === 0) problems.push({ code: 'mentor-missing', pointer: '/mentors', detail: 'Duid minstens één mentor aan.' });
  application.mentors.forEach((mentor, index) => {
    const at = `/mentors/${index}`;
    const hasProof = verified(mentor.proofDocumentId);
    if (mentor.nationalNumberErased) {
      problems.push({
        code: 'mentor-national-number-missing',
        pointer: `${at}/nationalNumber`,
        detail: 'Vul het rijksregisternummer van deze mentor opnieuw in: het werd na de vorige beslissing gewist.',
      });
    }
    if (mentor.birthDate === undefined) {
      problems.push({ code: 'mentor-birth-date-unknown', pointer: `${at}/nationalNumber`, detail: 'De geboortedatum volgt niet uit dit rijksregisternummer.' });
    } else {
      const age = ageOn(mentor.birthDate, context.today);
      const minimum = hasProof ? rules.mentorMinimumAgeWithProof : rules.mentorMinimumAge;
      if (age < minimum) {
        problems.push({
          code: 'mentor-too-young',
          pointer: `${at}/nationalNumber`,
          detail: hasProof
            ? `De mentor moet minstens ${minimum} jaar zijn (met bewijs van vooropleiding).`
            : `De mentor moet minstens ${rules.mentorMinimumAge} jaar zijn, of ${rules.mentorMinimumAgeWithProof} met een bewijs van vooropleiding.`,
        });
      }
    }
    if (mentor.yearsOfExperience < rules.mentorMinimumExperienceYears && !hasProof) {
      problems.push({
        code: 'mentor-experience-too-short',
        pointer: `${at}/yearsOfExperience`,
        detail: `De mentor heeft minstens ${rules.mentorMinimumExperienceYears} jaar beroepservaring nodig, of een bewijs van vooropleiding.`,
      });
    }
    if (mentor.proofDocumentId && !hasProof)
      problems.push({ code: 'document-not-verified', pointer: `${at}/proofDocumentId`, detail: 'Het bewijs van vooropleiding werd niet (correct) opgeladen.' });
    const extract = mentor.criminalRecordExtract;
    if (!extract || !verified(extract.documentId, 'criminalRecordExtract')) {
      problems.push({
        code: 'extract-missing',
        pointer: `${at}/criminalRecordExtract`,
        detail: 'Laad voor elke mentor een uittreksel uit het strafregister (model 596.2) op.',
      });
    } else if (extract.issuedOn < isoDate(subYears(parse(context.today), extractMaxAgeYears))) {
      problems.push({
        code: 'extract-too-old',
        pointer: `${at}/criminalRecordExtract/issuedOn`,
        detail: 'Het uittreksel uit het strafregister mag hoogstens 1 jaar oud zijn.',
      });
    } else if (extract.issuedOn > context.today) {
      problems.push({
        code: 'extract-date-in-future',
        pointer: `${at}/criminalRecordExtract/issuedOn`,
        detail: 'De datum van het uittreksel ligt in de toekomst.',
      });
    }
  });

  const required = new Set<string>(rules.requiredDocumentKinds.filter((k) => k !== 'criminalRecordExtract' && k !== 'diplomaOrPriorLearning'));
  if (context.filedBy === 'counsellor') required.add('declarationOnHonour');
  for (const kind of required) {
    const attached = application.documents.find((d) => d.kind === kind);
    if (!attached || !verified(attached.documentId, kind)) {
      problems.push({
        code: 'document-missing',
        pointer: '/documents',
        detail: `Het document "${documentLabels[kind] ?? kind}" ontbreekt of werd niet gecontroleerd.`,
      });
    }
  }
  return problems;
}

export const documentLabels: Record<string, string> = {
  criminalRecordExtract: 'uittreksel uit het strafregister (model 596.2)',
  declarationOnHonour: 'verklaring op eer',
  mandate: 'machtiging',
  rszCertificate: 'RSZ-attest (geen sociale schulden)',
  diplomaOrPriorLearning: 'bewijs van vooropleiding',
};

const parse = (date: string) => new Date(`${date}T00:00:00Z`);
export const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A stretch of time the review clock stands still: from a completion request until the resubmission, or from the
 * partnership's pause until its resume. `until` is null while it lasts.
 */
export type ReviewPause = { kind: 'completionRequest' | 'pause'; from: string; until: string | null; reason: string };

/** The review clock of a file at one moment, as every party of the file sees it and as the review workflow waits for it. */
export type ReviewClock = {
  /** The first submission: the 14 days run from there (a resubmission does not restart them). */
  startedAt: string;
  /** The day-10 reminder: 10 running days after the start. */
  remindAt: string;
  /** 14 running days after the start: the start plus 14 days plus the days paused. */
  deadline: string;
  /** The Belgian calendar date of the deadline: the due date of the partnership's tasks. */
  deadlineOn: string;
  /** Calendar days from today (or the decision) to the deadline's date; negative when overdue. */
  daysRemaining: number;
  daysPaused: number;
  paused: boolean;
  pauses: ReviewPause[];
};

const dayMs = 24 * 60 * 60 * 1000;
const brusselsDay = (instant: Date) => lightFormat(new TZDate(instant, 'Europe/Brussels'), 'yyyy-MM-dd');
/** The calendar days (Brussels) a pause covers: a pause that starts and ends on the same day costs none. */
const pausedDays = (from: string, until: string) =>
  Math.max(0, differenceInCalendarDays(parse(brusselsDay(new Date(until))), parse(brusselsDay(new Date(from)))));

/**
 * The 14-day review rule (domain.md "Review", seed 001: a decision within 14 days of the submission). The clock
 * runs from the first submission and stands still while the file waits for its completion and while the
 * partnership paused it, in whole calendar days; it stops at the decision. A pause that lasts today counts up
 * to today, so the deadline of a paused file moves on by a day each day. The one function for the file's view,
 * the partnership's task due dates, the review e-mails and the state machine's Wait states; null before the
 * first submission.
 */
export function reviewClock(file: Pick<Application, 'submittedAt' | 'reviewPauses' | 'decision'>, now: Date): ReviewClock | null {
  if (!file.submittedAt) return null;
  const stoppedAt = file.decision ? new Date(file.decision.at) : now;
  const pauses = file.reviewPauses ?? [];
  const daysPaused = pauses.reduce((sum, p) => sum + pausedDays(p.from, p.until ?? stoppedAt.toISOString()), 0);
  const start = new Date(file.submittedAt).getTime();
  const deadline = new Date(start + (reviewDays + daysPaused) * dayMs);
  const deadlineOn = brusselsDay(deadline);
  return {
    startedAt: file.submittedAt,
    remindAt: new Date(start + (reminderDay + daysPaused) * dayMs).toISOString(),
    deadline: deadline.toISOString(),
    deadlineOn,
    daysRemaining: differenceInCalendarDays(parse(deadlineOn), parse(brusselsDay(stoppedAt))),
    daysPaused,
    paused: pauses.some((p) => p.until === null),
    pauses,
  };
}

/** The file's pauses with a new one opened at `now`. */
const pauseOpened = (file: Pick<Application, 'reviewPauses'>, kind: ReviewPause['kind'], reason: string, now: string): ReviewPause[] => [
  ...(file.reviewPauses ?? []),
  { kind, from: now, until: null, reason },
];
/** The file's pauses with the open one (if any) closed at `now`. */
const pauseClosed = (file: Pick<Application, 'reviewPauses'>, now: string): ReviewPause[] =>
  (file.reviewPauses ?? []).map((p) => (p.until === null ? { ...p, until: now } : p));

export type ReviewStep = { action: 'finish' } | { action: 'remind' } | { action: 'escalate' } | { action: 'wait'; wakeAt: string };

/**
 * What the review workflow does next. Each (re)submission starts a new round with its own execution;
 * an execution whose round is over, or whose file is decided, finishes. Reminder at running day 10, escalation
 * at the deadline, both of reviewClock; while paused, the wait ends at a deadline that moved on meanwhile, and
 * the next look waits again.
 */
export function nextReviewStep(
  file: Pick<Application, 'status' | 'reviewRound' | 'submittedAt' | 'reviewPauses' | 'decision' | 'reminderSentAt' | 'escalatedAt'>,
  round: number,
  now: Date,
): ReviewStep {
  if (file.reviewRound !== round) return { action: 'finish' };
  if (['recognised', 'notRecognised', 'withdrawn', 'incomplete', 'draft'].includes(file.status)) return { action: 'finish' };
  const clock = reviewClock(file, now);
  if (!clock) return { action: 'finish' };
  const remindAt = new Date(clock.remindAt);
  const deadline = new Date(clock.deadline);
  if (!file.reminderSentAt) {
    if (now < remindAt) return { action: 'wait', wakeAt: clock.remindAt };
    if (now < deadline) return { action: 'remind' };
  }
  if (!file.escalatedAt) {
    if (now < deadline) return { action: 'wait', wakeAt: clock.deadline };
    return { action: 'escalate' };
  }
  return { action: 'finish' };
}

/** A recognition runs 5 years from its start date; the day before the fifth anniversary is the last day. */
export function recognitionPeriod(startDate: string): { startDate: string; endDate: string } {
  return { startDate, endDate: isoDate(addDays(addYears(parse(startDate), recognitionYears), -1)) };
}

/** The first day a renewal may be asked: the day its task appears on the dashboard, 180 days before the end. */
export const renewalOpensOn = (endDate: string) => isoDate(addDays(parse(endDate), -renewalWindowDays));

/** Days left before a recognition ends; the renewal task shows from renewalOpensOn. */
export function renewalDaysRemaining(endDate: string, today: string): number | undefined {
  const days = differenceInCalendarDays(parse(endDate), parse(today));
  return today >= renewalOpensOn(endDate) && days >= 0 ? days : undefined;
}

/** A renewal is asked from the day its task appears (renewalOpensOn), not on the first day of the five years. */
export const renewalRefusal = (recognition: Pick<Recognition, 'endDate'>, today: string) =>
  today < renewalOpensOn(recognition.endDate) ? ('renewal-too-early' as const) : undefined;

/** `E/<yyyymmdd>/<6 digits>`, as the counter numbers recognitions. */
export const recognitionId = (decisionDate: string, sequence: number): string => `E/${decisionDate.replace(/-/g, '')}/${String(sequence).padStart(6, '0')}`;

/** An appeal is possible within 10 days of receiving the decision. */
export function appealOpen(decisionSentAt: string, today: string): boolean {
  return differenceInCalendarDays(parse(today), parse(decisionSentAt.slice(0, 10))) <= appealDays;
}

/** The date by which a mentor must finish mentor training: months after the recognition (or the mentor's approval). */
export function mentorTrainingDeadline(from: string, months: number | null): string | null {
  return months === null ? null : isoDate(addDays(addMonths(parse(from), months), 0));
}

/** A mentor counts when active, and trained, exempted or still within the training deadline. */
export function mentorValid(
  mentor: { active: boolean; trainingDeadline: string | null; trainingCompletedOn: string | null; trainingExempted: boolean },
  today: string,
): boolean {
  if (!mentor.active) return false;
  if (mentor.trainingDeadline === null || mentor.trainingCompletedOn || mentor.trainingExempted) return true;
  return today <= mentor.trainingDeadline;
}

/** How long after a recognition ends (expiry or revocation) its mentors' birth dates are kept: appeals and the follow-up of agreements. */
export const mentorDataRetentionYears = 1;

/** The day a recognition's mentors' birth dates go: a year after it ended; undefined while it runs. */
export function mentorDataErasedOn(recognition: {
  status: 'active' | 'revoked' | 'expired';
  endDate: string;
  revocation: { at: string } | null;
}): string | undefined {
  if (recognition.status === 'active') return undefined;
  const endedOn = recognition.status === 'revoked' && recognition.revocation ? recognition.revocation.at.slice(0, 10) : recognition.endDate;
  return isoDate(addYears(parse(endedOn), mentorDataRetentionYears));
}

// ---- The entities -------------------------------------------------------------------------------------------

export type Application = {
  id: string;
  kind: 'new' | 'renewal';
  renewsRecognitionId: string | null;
  enterpriseNumber: string;
  establishmentNumber: string;
  programmeId: string;
  /** The KBO names at the creation (the establishment's refreshed at each submission), for the work lists; null when KBO has none. */
  enterpriseName?: string | null;
  establishmentName?: string | null;
  jointCommittee: string | null;
  /** Where the official notifications go: the enterprise's contact address and the filer's own. */
  contactEmails: string[];
  criteria: Criteria;
  mentors: Mentor[];
  documents: { kind: string; documentId: string }[];
  bankAccount: { iban: string; premiumConsent: boolean } | null;
  filedBy: Filer;
  status: ApplicationStatus;
  partnershipId: string | null;
  reviewRound: number;
  submittedAt: string | null;
  clockStartedAt: string | null;
  reminderSentAt: string | null;
  escalatedAt: string | null;
  overdue: boolean;
  completionRequest: { message: string; at: string; by: string } | null;
  pauseReason: string | null;
  /** When the review clock stood still (completion requests and pauses); absent on files stored before it was kept. */
  reviewPauses?: ReviewPause[];
  /** The version the pause saved: names the "Hervatten" task that the resume closes (each pause its own). */
  pausedInVersion?: number | null;
  proposal: { decision: 'recognise' | 'reject'; reasons: string; by: string; at: string } | null;
  decision: { decision: 'recognised' | 'notRecognised'; reasons: string; by: string; at: string; recognitionId: string | null } | null;
  /** Why an open file was closed without a decision: a sanction on its workplace (status `withdrawn`). */
  closure?: FileClosure | null;
  /** The appeal whose upheld outcome re-opened the decided file with the partnership (its own handling task). */
  reopenedByAppeal?: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type FileClosure = { cause: 'sanction'; sanctionId: string; reasons: string; at: string };

/** Who filed the file: the enterprise itself, or a counsellor of a provider under the enterprise's mandate. */
export type Filer = { organisationKey: string; userId: string; role: 'enterprise' | 'counsellor'; providerId: string | null };

export type Recognition = {
  id: string;
  applicationId: string;
  enterpriseNumber: string;
  establishmentNumber: string;
  programmeId: string;
  partnershipId: string;
  startDate: string;
  endDate: string;
  status: 'active' | 'revoked' | 'expired';
  mentors: RecognitionMentor[];
  /** Mentors the enterprise added after the recognition, waiting for the partnership's check. */
  pendingMentors: (Mentor & { requestedAt: string })[];
  placeAvailable: boolean;
  /** Where official notifications about this recognition go. */
  contactEmails: string[];
  /** Why it was revoked: a sanction, or the partnership's decision on a KBO change (changeId). */
  revocation: { sanctionId: string | null; changeId?: string | null; reasons: string; at: string } | null;
  /** What the public workplace search shows, copied from KBO at the decision: never personal data. */
  workplace: { name: string | null; postcode: string | null; municipality: string | null; sector: string; programmeName: string };
  decidedBy: string;
  decidedAt: string;
  version: number;
};

export type RecognitionMentor = {
  id: string;
  name: string;
  birthDate: string | undefined;
  active: boolean;
  /** Withdrawn by a sanction: the enterprise cannot reactivate this mentor. */
  withdrawn: boolean;
  /** Mentor training must be finished by this date (partnership rule), unless exempted; null when not required. */
  trainingDeadline: string | null;
  trainingCompletedOn: string | null;
  trainingExempted: boolean;
  /**
   * The person: the keyed HMAC of the national number (shared/adapters/keyring.ts `person`), the same on every
   * recognition that names them, never the number itself. Capacity counts learners per person across
   * recognitions. Absent on recognitions decided before it was kept: the mentor id stands in.
   */
  personKey?: string;
};

/** Who holds a mentor's capacity slots: the person behind the mentor id (the id itself where no person key is kept). */
export const mentorSlotOwner = (recognition: { mentors: readonly { id: string; personKey?: string }[] } | undefined, mentorId: string): string =>
  recognition?.mentors.find((m) => m.id === mentorId)?.personKey ?? mentorId;

/** What a step records in the file's history; the repository adds the instant. */
export type Change = { by: string; action: string; before: Record<string, unknown>; after: Record<string, unknown> };

/**
 * Who did a step, as the file's history keeps it: the names and roles at the time of the act (a later rename
 * does not rewrite the history). The review workflow and the daily jobs act as the counter itself.
 */
export { type Actor, systemActor } from './actors.ts';

/** A step of an application file: its history entry always names who did it. */
export type FileChange = Change & { actor: Actor };
const doneBy = (actor: Actor) => ({ by: actor.userId, actor });

/** The review workflow's day-10 reminder or its escalation at the deadline, as the file's history records it. */
export const reviewEventChange = (event: 'reminderSentAt' | 'escalatedAt', round: number): FileChange => ({
  ...doneBy(systemActor),
  action: event === 'reminderSentAt' ? 'review-reminder-sent' : 'review-overdue',
  before: {},
  after: { round, ...(event === 'escalatedAt' ? { overdue: true } : {}) },
});

/** The history entry of a new file (a draft or a renewal). */
export const creation = (application: Application, actor: Actor): FileChange => ({
  ...doneBy(actor),
  action: 'created',
  before: {},
  after: {
    status: application.status,
    kind: application.kind,
    establishmentNumber: application.establishmentNumber,
    programmeId: application.programmeId,
    ...(application.renewsRecognitionId ? { renewsRecognitionId: recognitionPathId(application.renewsRecognitionId) } : {}),
  },
});

/**
 * What a decision of this module answers: its result, or the rule that refuses it. The same shape as a
 * repository's Result (shared/data/result.ts), so handlers unwrap both with the context's conflict table.
 */
export type Decision<T, C extends string> = { ok: true; value: T } | { ok: false; conflict: C };
export const accepted = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refused = <C extends string>(conflict: C): { ok: false; conflict: C } => ({ ok: false, conflict });

/** The path form of a recognition id: `E/20261112/000001` as `E-20261112-000001`. */
export const recognitionPathId = (id: string) => id.replace(/\//g, '-');

/**
 * Whether a drafting form offers this recognition for an agreement in the programme: active, and not ended today
 * (or, with `onDate`, valid on that day, the agreement's start).
 */
export const choosable = (r: Pick<Recognition, 'programmeId' | 'status' | 'startDate' | 'endDate'>, programmeId: string, today: string, onDate?: string) =>
  r.programmeId === programmeId && r.status === 'active' && (onDate ? r.startDate <= onDate && onDate <= r.endDate : today <= r.endDate);

// ---- Drafts and their content -------------------------------------------------------------------------------

export type ApplicationAudience = 'enterprise' | 'counsellor' | 'partnership' | 'department';

/**
 * Who the acting organisation is to this file. A partnership sees it only once it was routed there. A
 * counsellor sees it under the provider's mandate (`scope`): a pending one only for the files it filed itself, a
 * confirmed one for all.
 */
export function applicationAudience(
  application: Pick<Application, 'enterpriseNumber' | 'partnershipId' | 'filedBy'>,
  acting: { type: string; id: string; roles: readonly string[] } | undefined,
  scope: MandateScope,
): ApplicationAudience | undefined {
  if (!acting) return undefined;
  if (acting.type === 'enterprise') return acting.id === kboDigits(application.enterpriseNumber) ? 'enterprise' : undefined;
  if (acting.type === 'provider' && acting.roles.includes('counsellor')) return counsellorMayAct(scope, application, acting.id) ? 'counsellor' : undefined;
  if (acting.type === 'partnership') return application.partnershipId === acting.id ? 'partnership' : undefined;
  if (acting.type === 'department') return 'department';
  return undefined;
}

/** Whether this organisation may file for the enterprise: the enterprise itself, or a counsellor under its mandate. */
export function filerRefusal(acting: { type: string; id: string }, enterpriseDigits: string, scope: MandateScope) {
  if (acting.type === 'enterprise' && acting.id !== enterpriseDigits) return 'not-your-enterprise' as const;
  if (acting.type === 'provider' && scope === 'none') return 'mandate-required' as const;
  return undefined;
}

/** The filer of a new file: the enterprise acting for itself, or a provider's counsellor. */
export function filerOf(acting: { type: string; id: string; key: string }, userId: string): Filer {
  const counsellor = acting.type === 'provider';
  return { organisationKey: acting.key, userId, role: counsellor ? 'counsellor' : 'enterprise', providerId: counsellor ? acting.id : null };
}

/** What stops a draft from being created: an establishment KBO does not place at the enterprise, an unknown programme. */
export function draftProblems(facts: { establishmentKnown: boolean; programmeKnown: boolean }): Problem[] {
  const problems: Problem[] = [];
  if (!facts.establishmentKnown)
    problems.push({
      code: 'establishment-not-of-enterprise',
      pointer: '/establishmentNumber',
      detail: 'Deze vestiging hoort volgens KBO niet bij deze onderneming.',
    });
  if (!facts.programmeKnown) problems.push({ code: 'programme-unknown', pointer: '/programmeId', detail: 'Onbekende opleiding.' });
  return problems;
}

/** The review fields of a file that was never submitted. */
const unreviewed = (now: string) => ({
  status: 'draft' as const,
  partnershipId: null,
  reviewRound: 0,
  submittedAt: null,
  clockStartedAt: null,
  reminderSentAt: null,
  escalatedAt: null,
  overdue: false,
  completionRequest: null,
  pauseReason: null,
  pausedInVersion: null,
  reviewPauses: [],
  proposal: null,
  decision: null,
  createdAt: now,
  updatedAt: now,
  version: 1,
});

/** A new, empty draft. A file a counsellor files also reaches the enterprise itself, at the address of its mandate. */
export function newApplication(input: {
  id: string;
  enterpriseDigits: string;
  establishmentDigits: string;
  enterpriseName: string | null;
  establishmentName: string | null;
  programmeId: string;
  jointCommittee?: string | null | undefined;
  contactEmails: (string | null | undefined)[];
  filedBy: Filer;
  now: string;
}): Application {
  return {
    id: input.id,
    kind: 'new',
    renewsRecognitionId: null,
    enterpriseNumber: formatEnterpriseNumber(input.enterpriseDigits),
    establishmentNumber: formatEstablishmentNumber(input.establishmentDigits),
    enterpriseName: input.enterpriseName,
    establishmentName: input.establishmentName,
    programmeId: input.programmeId,
    jointCommittee: input.jointCommittee ?? null,
    contactEmails: [...new Set(input.contactEmails.filter((e): e is string => !!e))],
    criteria: { financialCapacity: false, organisationAndEquipment: false, noConvictions: false, commitments: false },
    mentors: [],
    documents: [],
    bankAccount: null,
    filedBy: input.filedBy,
    ...unreviewed(input.now),
  };
}

/** A mentor as the enterprise enters one: the national number gives the birth date. */
export type MentorEntry = Pick<Mentor, 'name' | 'yearsOfExperience' | 'proofDocumentId' | 'criminalRecordExtract'> & {
  id?: string | undefined;
  nationalNumber: NationalNumber;
};

export function mentorFrom(entry: MentorEntry, newId: () => string): Mentor {
  return mentorWithNumber(entry, entry.id ?? newId(), { nationalNumber: entry.nationalNumber.value, birthDate: entry.nationalNumber.birthDate });
}

const mentorWithNumber = (
  entry: Omit<MentorEntry, 'nationalNumber'>,
  id: string,
  number: Pick<Mentor, 'nationalNumber' | 'birthDate' | 'nationalNumberErased'>,
): Mentor => ({
  id,
  name: entry.name,
  ...number,
  yearsOfExperience: entry.yearsOfExperience,
  proofDocumentId: entry.proofDocumentId,
  criminalRecordExtract: entry.criminalRecordExtract,
});

/** A mentor of a file's content as sent back: the national number in full, or masked as the file's read showed it. */
export type ContentMentorEntry = Omit<MentorEntry, 'nationalNumber'> & { nationalNumber: NationalNumber | MaskedNationalNumber };

/**
 * The mentors of a content update. The enterprise and its counsellor read the mentors' national numbers masked; a
 * masked value sent back keeps the number stored for the mentor with that id (its birth date, and its erasure
 * after retention, with it), so a save does not make them type every number again. A full number replaces the
 * stored one. A masked value that is not the stored number of that mentor masked (a mentor without id, an id
 * the file does not have, another person's number) stands for nothing: a problem at its pointer.
 */
export function contentMentors(
  entries: ContentMentorEntry[],
  stored: readonly Mentor[],
  newId: () => string,
): { ok: true; mentors: Mentor[] } | { ok: false; problems: Problem[] } {
  const storedById = new Map(stored.map((m) => [m.id, m]));
  const mentors: Mentor[] = [];
  const problems: Problem[] = [];
  entries.forEach((entry, index) => {
    const sent = entry.nationalNumber;
    if (!('masked' in sent)) {
      mentors.push(mentorFrom({ ...entry, nationalNumber: sent }, newId));
      return;
    }
    const kept = entry.id === undefined ? undefined : storedById.get(entry.id);
    if (kept && maskNationalNumber(kept.nationalNumber) === sent.masked) {
      const { nationalNumber, birthDate, nationalNumberErased } = kept;
      mentors.push(mentorWithNumber(entry, kept.id, { nationalNumber, birthDate, ...(nationalNumberErased ? { nationalNumberErased } : {}) }));
      return;
    }
    problems.push({
      code: maskedValueUnknown,
      pointer: `/mentors/${index}/nationalNumber`,
      detail: 'Dit gemaskeerde rijksregisternummer is niet dat van deze mentor in het dossier: vul het volledige nummer in.',
    });
  });
  return problems.length ? { ok: false, problems } : { ok: true, mentors };
}

/** Every document a file refers to, once: its own and the mentors' proofs and extracts. */
export function documentIdsOf(content: {
  documents: { documentId: string }[];
  mentors: Pick<Mentor, 'proofDocumentId' | 'criminalRecordExtract'>[];
}): string[] {
  const ids = [...content.documents.map((d) => d.documentId), ...content.mentors.flatMap((m) => [m.proofDocumentId, m.criminalRecordExtract?.documentId])];
  return [...new Set(ids.filter((d): d is string => !!d))];
}

/** Only documents of one's own organisation may be attached: the first one that is not, by id. */
export function foreignDocument(ids: string[], documents: Map<string, { ownerKey: string; readers: string[] }>, organisationKey: string): string | undefined {
  return ids.find((id) => {
    const document = documents.get(id);
    return !document || (document.ownerKey !== organisationKey && !document.readers.includes(organisationKey));
  });
}

/** Only a draft, or a file the partnership sent back as incomplete, is changed by its filer (and shows what blocks it). */
export const editable = (application: Pick<Application, 'status'>) => application.status === 'draft' || application.status === 'incomplete';
export const contentRefusal = (application: Pick<Application, 'status'>) => (editable(application) ? undefined : ('not-editable' as const));

export type Content = Pick<Application, 'criteria' | 'mentors' | 'documents' | 'bankAccount'> & { jointCommittee?: string | null | undefined };

/** The file with its new conditions, mentors, documents and account. */
export function withContent(application: Application, content: Content, by: Actor): { application: Application; change: FileChange } {
  return {
    application: {
      ...application,
      jointCommittee: content.jointCommittee ?? application.jointCommittee,
      criteria: content.criteria,
      mentors: content.mentors,
      documents: content.documents,
      bankAccount: content.bankAccount,
    },
    change: {
      ...doneBy(by),
      action: 'updated',
      before: { mentors: application.mentors.length, documents: application.documents.length },
      after: { mentors: content.mentors.length, documents: content.documents.length },
    },
  };
}

// ---- Submission ---------------------------------------------------------------------------------------------

export const submissionRefusal = (application: Pick<Application, 'status'>) =>
  canTransition(application.status, 'submitted') ? undefined : ('not-submittable' as const);

/** What a submission is checked against, read in one go by the repository (readSubmissionFacts). */
export type SubmissionFacts = {
  today: string;
  establishment: { region: string; status: 'active' | 'stopped'; name?: string | null } | undefined;
  /** The competent partnership for the programme and joint committee (routing rules). */
  partnership: Partnership;
  /** The documents found, by id. */
  documents: Map<string, { kind: string; status: string }>;
  /** An exclusion that bars a submission to that partnership. */
  exclusion: 'establishment' | 'enterprise' | undefined;
  /** The mandate a counsellor filed the file under; undefined for the enterprise's own files, or when it is gone. */
  mandate: Mandate | undefined;
};

/** Everything that blocks the submission, all at once: the file's own problems, an exclusion, a mandate that ended. */
export function blockingProblems(application: Application, facts: SubmissionFacts): Problem[] {
  const problems = submissionProblems(application, { ...facts, filedBy: application.filedBy.role });
  if (facts.exclusion)
    problems.push({
      code: `${facts.exclusion}-excluded`,
      pointer: facts.exclusion === 'establishment' ? '/establishmentNumber' : '/enterpriseNumber',
      detail: `Deze ${facts.exclusion === 'establishment' ? 'vestiging' : 'onderneming'} is door een sanctie uitgesloten van erkenning.`,
    });
  if (application.filedBy.role === 'counsellor' && mandateScope(facts.mandate) === 'none')
    problems.push({
      code: 'mandate-missing',
      pointer: '/filedBy',
      detail: 'De machtiging van de onderneming voor deze opleidingsverstrekker is ingetrokken of geweigerd.',
    });
  return problems;
}

/** The day a completion request asks the file to be completed by. */
export const completionDueOn = (request: { at: string }) => isoDate(addDays(parse(request.at.slice(0, 10)), completionDays));

/** What the partnership asked for, as a problem that blocks the file until the enterprise completes and resubmits it. */
export type CompletionProblem = Problem & { dueDate: string; daysRemaining: number };

/** The open completion request of an incomplete file with its message and the days left; none otherwise. */
export function completionProblems(application: Pick<Application, 'status' | 'completionRequest'>, today: string): CompletionProblem[] {
  if (application.status !== 'incomplete' || !application.completionRequest) return [];
  const dueDate = completionDueOn(application.completionRequest);
  const daysRemaining = differenceInCalendarDays(parse(dueDate), parse(today));
  const term = daysRemaining >= 0 ? `nog ${daysRemaining} dagen` : `${-daysRemaining} dagen over termijn`;
  return [
    {
      code: 'completion-requested',
      pointer: '/completionRequest',
      detail: `Het partnerschap vraagt de aanvraag te vervolledigen en opnieuw in te dienen tegen ${dueDate} (${term}): ${application.completionRequest.message}`,
      dueDate,
      daysRemaining,
    },
  ];
}

export type Submission = {
  application: Application;
  change: FileChange;
  /** The documents the partnership may now read: the file's, and the mandate it was filed under (checked for completeness). */
  readableDocumentIds: string[];
};

/**
 * The submitted file: to the competent partnership, a new review round (its own execution of the workflow). The
 * 14-day clock runs on from the first submission: a resubmission ends the pause of the completion request, and
 * a reminder or escalation already done stays done.
 */
export function submitted(application: Application, facts: SubmissionFacts, by: Actor, now: string): Submission {
  const round = application.reviewRound + 1;
  const partnershipId = facts.partnership.id;
  const mandateDocument = facts.mandate && mandateScope(facts.mandate) !== 'none' ? [facts.mandate.documentId] : [];
  return {
    application: {
      ...application,
      status: 'submitted',
      partnershipId,
      reviewRound: round,
      submittedAt: application.submittedAt ?? now,
      // The work list shows the establishment by its KBO name of the latest submission.
      establishmentName: facts.establishment?.name ?? application.establishmentName ?? null,
      clockStartedAt: now,
      reviewPauses: pauseClosed(application, now),
      completionRequest: null,
    },
    change: {
      ...doneBy(by),
      action: round === 1 ? 'submitted' : 'resubmitted',
      before: { status: application.status },
      after: { status: 'submitted', partnershipId, round },
    },
    readableDocumentIds: [...facts.documents.keys(), ...mandateDocument],
  };
}

// ---- The partnership's steps, the proposal and the decision -------------------------------------------------

export const partnershipActions = ['request-completion', 'mark-complete', 'start-review', 'pause', 'resume'] as const;
export type PartnershipAction = (typeof partnershipActions)[number];

export const stepTargets: Record<PartnershipAction, ApplicationStatus> = {
  'request-completion': 'incomplete',
  'mark-complete': 'fileComplete',
  'start-review': 'underReview',
  pause: 'paused',
  resume: 'underReview',
};

/** A consultant's step through the work lists; `expectedVersion` is the version the step saves over. */
export function partnershipStep(
  application: Application,
  step: { action: PartnershipAction; message?: string | undefined; reason?: string | undefined },
  by: Actor,
  now: string,
  expectedVersion: number,
): Decision<{ application: Application; change: FileChange }, 'transition-not-allowed'> {
  const { action, message, reason } = step;
  const to = stepTargets[action];
  if (!canTransition(application.status, to) || (action === 'resume' && application.status !== 'paused')) return refused('transition-not-allowed');
  return accepted({
    application: {
      ...application,
      status: to,
      ...(action === 'request-completion'
        ? {
            completionRequest: { message: message ?? '', at: now, by: by.userId },
            reviewPauses: pauseOpened(application, 'completionRequest', message ?? '', now),
          }
        : {}),
      ...(action === 'pause'
        ? { pauseReason: reason ?? '', pausedInVersion: expectedVersion + 1, reviewPauses: pauseOpened(application, 'pause', reason ?? '', now) }
        : {}),
      ...(action === 'resume' ? { pauseReason: null, pausedInVersion: null, reviewPauses: pauseClosed(application, now) } : {}),
    },
    change: {
      ...doneBy(by),
      action,
      before: { status: application.status },
      after: { status: to, ...(message ? { message } : {}), ...(reason ? { reason } : {}) },
    },
  });
}

/** The consultant proposes a decision on a file under review. */
export function proposal(
  application: Application,
  input: { decision: 'recognise' | 'reject'; reasons: string },
  by: Actor,
  now: string,
): Decision<{ application: Application; change: FileChange }, 'not-under-review'> {
  if (application.status !== 'underReview') return refused('not-under-review');
  const proposed = { ...input, by: by.userId, at: now };
  return accepted({
    application: { ...application, proposal: proposed },
    change: { ...doneBy(by), action: 'proposed', before: { proposal: application.proposal }, after: { proposal: proposed } },
  });
}

/**
 * The competent partnership rejects (in the completeness check) the mandate a counsellor filed the file under:
 * the counsellor no longer gets the file's notifications. The file stays with the partnership.
 */
export function mandateRejection(application: Application, mandate: Pick<Mandate, 'providerId' | 'registeredByEmail'>, reasons: string, by: Actor) {
  return {
    application: { ...application, contactEmails: application.contactEmails.filter((e) => e !== mandate.registeredByEmail) },
    change: {
      ...doneBy(by),
      action: 'mandate-rejected',
      before: { mandate: 'pending-or-confirmed' },
      after: { mandate: 'rejected', providerId: mandate.providerId, reasons },
    } satisfies FileChange,
  };
}

export type DecisionInput = { decision: 'recognised' | 'notRecognised'; reasons: string; startDate?: string | undefined };

export function decisionRefusal(application: Application, decision: DecisionInput['decision']) {
  if (!canTransition(application.status, decision)) return 'not-decidable' as const;
  if (!application.proposal) return 'proposal-required' as const;
  return undefined;
}

/** What a recognition is made of besides the file: its number, the workplace from KBO, the programme, the training rule. */
export type RecognitionFacts = {
  id: string;
  establishment: { name: string | null; postcode: string | null; municipality: string | null } | undefined;
  programme: { sector: string; name: string } | undefined;
  /** Months within which a mentor finishes mentor training (the partnership's rule); null: not required. */
  trainingMonths: number | null;
  /** The person key of each mentor of the file, by mentor id. */
  mentorPersonKeys?: Map<string, string>;
};

export type Decided = {
  application: Application;
  /** The new recognition, 5 years from its start date; null when not recognised. */
  recognition: Recognition | null;
  change: FileChange;
  /** The day the file's criminal-record extracts, mentors' numbers and account go (60 days after the decision). */
  retentionOn: string;
};

/** A mentor of the file as the recognition keeps it: active, with the training deadline of the partnership's rule. */
export const recognitionMentor = (
  mentor: Pick<Mentor, 'id' | 'name' | 'birthDate'>,
  trainingDeadline: string | null,
  personKey?: string | undefined,
): RecognitionMentor => ({
  ...(personKey ? { personKey } : {}),
  id: mentor.id,
  name: mentor.name,
  birthDate: mentor.birthDate,
  active: true,
  withdrawn: false,
  trainingDeadline,
  trainingCompletedOn: null,
  trainingExempted: false,
});

/** The voting member's decision: recognised (with the recognition) or not recognised. `facts` is needed to recognise. */
export function decision(application: Application, input: DecisionInput, facts: RecognitionFacts | undefined, by: Actor, now: string, today: string): Decided {
  let recognition: Recognition | null = null;
  if (input.decision === 'recognised') {
    if (!facts) throw new Error('a recognition needs its facts');
    const period = recognitionPeriod(input.startDate ?? today);
    const trainingDeadline = mentorTrainingDeadline(period.startDate, facts.trainingMonths);
    recognition = {
      id: facts.id,
      applicationId: application.id,
      enterpriseNumber: application.enterpriseNumber,
      establishmentNumber: application.establishmentNumber,
      programmeId: application.programmeId,
      partnershipId: application.partnershipId!,
      ...period,
      status: 'active',
      mentors: application.mentors.map((m) => recognitionMentor(m, trainingDeadline, facts.mentorPersonKeys?.get(m.id))),
      pendingMentors: [],
      placeAvailable: false,
      contactEmails: application.contactEmails,
      revocation: null,
      workplace: {
        name: facts.establishment?.name ?? null,
        postcode: facts.establishment?.postcode ?? null,
        municipality: facts.establishment?.municipality ?? null,
        sector: facts.programme?.sector ?? '',
        programmeName: facts.programme?.name ?? application.programmeId,
      },
      decidedBy: by.userId,
      decidedAt: now,
      version: 1,
    };
  }
  const decided = { decision: input.decision, reasons: input.reasons, by: by.userId, at: now, recognitionId: recognition?.id ?? null };
  return {
    application: { ...application, status: input.decision, decision: decided },
    recognition,
    change: {
      ...doneBy(by),
      action: 'decided',
      before: { status: application.status },
      after: { status: input.decision, recognitionId: decided.recognitionId },
    },
    retentionOn: isoDate(addDays(parse(today), extractRetentionDays)),
  };
}

// ---- Recognitions after the decision ------------------------------------------------------------------------

/** A step that needs a running recognition: a free place, a renewal, a mentor change, a revocation. */
export const activeRefusal = (recognition: Pick<Recognition, 'status'>) => (recognition.status === 'active' ? undefined : ('recognition-not-active' as const));

/**
 * Renewal: a new application prefilled from the recognition's file (mentors, documents, bank account) that goes
 * through the same review; on recognition it takes the lock over from the recognition it renews. Only documents
 * the renewing filer may attach itself (`reusable`: its own, or shared with it) are copied, so its first save
 * passes the check of updateContent: a counsellor's declaration on honour or a mentor's proof the counsellor
 * uploaded stays behind when the enterprise renews. The same for the contact addresses: a file a counsellor filed
 * lists the counsellor's own address (and one the counsellor typed); its renewal, filed by the enterprise, lists
 * the enterprise's own addresses instead (`enterpriseAddresses`: the renewing user's, the mandate's address of the
 * enterprise). A file the enterprise filed keeps its addresses.
 */
export function renewalOf(
  recognition: Recognition,
  original: Application,
  filedBy: Filer,
  id: string,
  now: string,
  reusable: (documentId: string) => boolean,
  enterpriseAddresses: readonly (string | null | undefined)[] = [],
): Application {
  const activeMentors = new Set(recognition.mentors.filter((m) => m.active).map((m) => m.id));
  return {
    ...original,
    id,
    kind: 'renewal',
    renewsRecognitionId: recognition.id,
    contactEmails: original.filedBy.role === 'counsellor' ? [...new Set(enterpriseAddresses.filter((e): e is string => !!e))] : original.contactEmails,
    // Extracts are at most a year old and deleted after the decision: each mentor needs a new one.
    mentors: original.mentors
      .filter((m) => activeMentors.has(m.id))
      .map((m) => ({ ...m, proofDocumentId: m.proofDocumentId && reusable(m.proofDocumentId) ? m.proofDocumentId : null, criminalRecordExtract: null })),
    documents: original.documents.filter((d) => reusable(d.documentId)),
    filedBy,
    ...unreviewed(now),
  };
}

/** The mentor checks of an application, for one mentor added to a running recognition (no documents of the file). */
export function mentorProblems(mentor: Mentor, partnership: Partnership, documents: Map<string, { kind: string; status: string }>, today: string): Problem[] {
  return submissionProblems(
    { criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true }, mentors: [mentor], documents: [] },
    {
      today,
      filedBy: 'enterprise',
      establishment: { region: 'flanders', status: 'active' },
      partnership: { ...partnership, rules: { ...partnership.rules, requiredDocumentKinds: [] } },
      documents,
    },
  ).map((p) => ({ ...p, pointer: p.pointer.replace('/mentors/0', '') }));
}

export const withPendingMentor = (recognition: Recognition, mentor: Mentor, now: string): Recognition => ({
  ...recognition,
  pendingMentors: [...recognition.pendingMentors, { ...mentor, requestedAt: now }],
});

/** The partnership approves a waiting mentor; the training deadline runs from the approval. */
export function approvedMentor(
  recognition: Recognition,
  mentorId: string,
  today: string,
  trainingMonths: number | null,
  personKey?: string | undefined,
): Decision<Recognition, 'mentor-not-pending'> {
  const pending = recognition.pendingMentors.find((m) => m.id === mentorId);
  if (!pending) return refused('mentor-not-pending');
  return accepted({
    ...recognition,
    pendingMentors: recognition.pendingMentors.filter((m) => m.id !== mentorId),
    mentors: [...recognition.mentors, recognitionMentor(pending, mentorTrainingDeadline(today, trainingMonths), personKey)],
  });
}

/** The partnership rejects a waiting mentor: the request is dropped. */
export function rejectedMentor(recognition: Recognition, mentorId: string): Decision<Recognition, 'mentor-not-pending'> {
  if (!recognition.pendingMentors.some((m) => m.id === mentorId)) return refused('mentor-not-pending');
  return accepted({ ...recognition, pendingMentors: recognition.pendingMentors.filter((m) => m.id !== mentorId) });
}

export type MentorChange = { action: 'deactivate' | 'reactivate' } | { action: 'training'; completedOn: string | null; exempted: boolean };

/** Deactivate, reactivate (not after a withdrawal by sanction), or report training done / exempted. */
export function changedMentor(recognition: Recognition, mentorId: string, change: MentorChange): Decision<Recognition, 'mentor-unknown' | 'mentor-withdrawn'> {
  const mentor = recognition.mentors.find((m) => m.id === mentorId);
  if (!mentor) return refused('mentor-unknown');
  if (change.action === 'reactivate' && mentor.withdrawn) return refused('mentor-withdrawn');
  const next =
    change.action === 'training'
      ? { ...mentor, trainingCompletedOn: change.completedOn, trainingExempted: change.exempted }
      : { ...mentor, active: change.action === 'reactivate' };
  return accepted({ ...recognition, mentors: recognition.mentors.map((m) => (m.id === mentorId ? next : m)) });
}

/**
 * A mentor is a person, and the mentor training is the person's. Over the recognitions of one enterprise that name
 * the same person (their `personKey`), this aligns the person's entries: a training reported as completed on one
 * counts on each (an exemption stays where it was granted: it is the partnership's call for its recognition), and
 * where a deadline is set it is the earliest one set for the person (a partnership without a training rule keeps
 * none). Withdrawn entries are left as they are. Answers the recognitions whose entries changed, aligned.
 */
export function alignedPersonTraining(recognitions: readonly Recognition[], personKey: string): Recognition[] {
  const entries = recognitions.flatMap((r) => r.mentors.filter((m) => m.personKey === personKey && !m.withdrawn));
  const completedOn = entries.flatMap((m) => (m.trainingCompletedOn && !m.trainingExempted ? [m.trainingCompletedOn] : [])).sort()[0] ?? null;
  const deadline = entries.flatMap((m) => (m.trainingDeadline ? [m.trainingDeadline] : [])).sort()[0] ?? null;
  const aligned = (m: RecognitionMentor): RecognitionMentor => {
    if (m.personKey !== personKey || m.withdrawn) return m;
    const training = completedOn && !m.trainingCompletedOn ? { trainingCompletedOn: completedOn, trainingExempted: false } : {};
    return { ...m, ...training, trainingDeadline: m.trainingDeadline === null ? null : deadline };
  };
  return recognitions.flatMap((r) => {
    const mentors = r.mentors.map(aligned);
    return JSON.stringify(mentors) === JSON.stringify(r.mentors) ? [] : [{ ...r, mentors }];
  });
}

/**
 * Mentors stored before the person key was kept (backfill): each gets the key found for their id (the file's
 * national number, while retention has not masked it). Null when none of them changes.
 */
export function withPersonKeys(recognition: Recognition, found: ReadonlyMap<string, string>): Recognition | null {
  const missing = recognition.mentors.filter((m) => !m.personKey && found.has(m.id));
  if (!missing.length) return null;
  return { ...recognition, mentors: recognition.mentors.map((m) => (!m.personKey && found.has(m.id) ? { ...m, personKey: found.get(m.id)! } : m)) };
}

/** The mentor training tasks of a day: 30 days before a mentor's deadline the enterprise is asked to finish it. */
export function mentorsToRemindOfTraining(recognition: Recognition, today: string): RecognitionMentor[] {
  return recognition.mentors.filter((m) => {
    if (!m.active || !m.trainingDeadline || m.trainingCompletedOn || m.trainingExempted) return false;
    return isoDate(addDays(parse(m.trainingDeadline), -30)) <= today && today <= m.trainingDeadline;
  });
}

/**
 * An active recognition none of whose mentors counts on `today` (each inactive, withdrawn, or past the training
 * deadline without the training or an exemption): no agreement can start on it. The one rule behind both the
 * partnership's "Erkenning zonder geldige mentor behandelen" task (opened by the change that causes it, or by the
 * nightly job when a deadline passes) and the feed's `recognition.suspended` event, so the two never disagree.
 */
export const withoutValidMentor = (recognition: Pick<Recognition, 'status' | 'mentors'>, today: string) =>
  recognition.status === 'active' && recognition.mentors.length > 0 && !recognition.mentors.some((m) => mentorValid(m, today));

// ---- The public workplace search ----------------------------------------------------------------------------

const earthRadiusKm = 6371.0088;
/** Great-circle distance in km (haversine): a workplace is placed at its postcode's centre. */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}
