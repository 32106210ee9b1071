// Recognition applications and recognitions: the rules of "Recognition of a workplace". Pure; no AWS imports.
import { addDays, addMonths, addYears, differenceInCalendarDays, subYears } from 'date-fns';
import { ageOn } from './identifiers.ts';
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

/** The 14-day review clock, restarted from the complete file. */
export function reviewClock(clockStartedOn: string) {
  const start = parse(clockStartedOn);
  return { remindOn: isoDate(addDays(start, reminderDay)), deadlineOn: isoDate(addDays(start, reviewDays)) };
}

export type ReviewState = {
  status: ApplicationStatus;
  reviewRound: number;
  clockStartedAt: string;
  reminderSentAt: string | null;
  escalatedAt: string | null;
};

export type ReviewStep = { action: 'finish' } | { action: 'remind' } | { action: 'escalate' } | { action: 'wait'; wakeAt: string };

/**
 * What the review workflow does next. Each (re)submission starts a new round with its own execution;
 * an execution whose round is over, or whose file is decided, finishes. Reminder at day 10, escalation at day 14.
 */
export function nextReviewStep(state: ReviewState, round: number, now: Date): ReviewStep {
  if (state.reviewRound !== round) return { action: 'finish' };
  if (['recognised', 'notRecognised', 'withdrawn', 'incomplete', 'draft'].includes(state.status)) return { action: 'finish' };
  const start = new Date(state.clockStartedAt);
  const remindAt = addDays(start, reminderDay);
  const deadline = addDays(start, reviewDays);
  if (!state.reminderSentAt) {
    if (now < remindAt) return { action: 'wait', wakeAt: remindAt.toISOString() };
    if (now < deadline) return { action: 'remind' };
  }
  if (!state.escalatedAt) {
    if (now < deadline) return { action: 'wait', wakeAt: deadline.toISOString() };
    return { action: 'escalate' };
  }
  return { action: 'finish' };
}

/** A recognition runs 5 years from its start date; the day before the fifth anniversary is the last day. */
export function recognitionPeriod(startDate: string): { startDate: string; endDate: string } {
  return { startDate, endDate: isoDate(addDays(addYears(parse(startDate), recognitionYears), -1)) };
}

/** Days left before a recognition ends; the renewal task shows from 180 days before. */
export function renewalDaysRemaining(endDate: string, today: string): number | undefined {
  const days = differenceInCalendarDays(parse(endDate), parse(today));
  return days >= 0 && days <= renewalWindowDays ? days : undefined;
}

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
