// What a school's or partnership's system learns when it verifies a workplace: is this establishment recognised
// for this programme on this date. Pure; the facts come from shared/data/verifications.ts.
// Like the French apprenticeship registry's answers (`unknown`, `closed`, `ok` with candidates), each case that is
// not "recognised" has an answer of its own, so a system can tell a typo from a closed company from a missing
// recognition without reading texts.
import type { EntityStatus } from './kbo.ts';
import { mentorValid, type Recognition } from './recognitions.ts';

export const verificationResults = ['recognised', 'notRecognisedOnDate', 'neverRecognised', 'closed', 'unknownEstablishment'] as const;
export type VerificationResult = (typeof verificationResults)[number];

export const recognitionStatusesOnDate = ['active', 'suspended', 'revoked', 'expired'] as const;
/**
 * A recognition's status on a date. `suspended`: active and within its period, but none of its mentors counts on
 * that date (inactive, withdrawn, or past the training deadline): no agreement can be registered on it until the
 * enterprise or the partnership acts. Mentors are judged as they are now; the rest follows the date.
 */
export type RecognitionStatusOnDate = (typeof recognitionStatusesOnDate)[number];

export type VerificationFacts = {
  /** The establishment in KBO with its enterprise, undefined when KBO does not know it. */
  establishment: { establishmentNumber: string; enterpriseNumber: string; status: EntityStatus } | undefined;
  /** The enterprise's own KBO status (an enterprise can stop while its establishment items still say active). */
  enterpriseStatus: EntityStatus | undefined;
  /** Every recognition ever decided on the establishment for the programme. */
  recognitions: readonly Recognition[];
};

/** The day (Brussels calendar date) a revocation took effect. */
const revokedOn = (r: Recognition) => (r.revocation ? r.revocation.at.slice(0, 10) : r.endDate);

/** Whether the recognition covers the date and was not revoked by then. */
export const coversDate = (r: Recognition, onDate: string) =>
  r.startDate <= onDate && onDate <= r.endDate && !(r.status === 'revoked' && revokedOn(r) <= onDate);

export function statusOn(r: Recognition, onDate: string): RecognitionStatusOnDate {
  if (r.status === 'revoked' && revokedOn(r) <= onDate) return 'revoked';
  if (onDate > r.endDate) return 'expired';
  // The daily job marks a recognition expired after its end date: on a date within its period it was active.
  // Before its start a recognition is not valid yet; `validOnDate` says so.
  if (onDate >= r.startDate && !r.mentors.some((m) => !m.withdrawn && mentorValid(m, onDate))) return 'suspended';
  return 'active';
}

/**
 * The recognition that answers for the date: the one that covers it (a renewal follows its predecessor without
 * overlap, so there is at most one), else the latest that started before it, else the first one after it.
 */
export function recognitionFor(recognitions: readonly Recognition[], onDate: string): Recognition | undefined {
  const byStart = [...recognitions].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id));
  return byStart.find((r) => coversDate(r, onDate)) ?? byStart.filter((r) => r.startDate <= onDate).at(-1) ?? byStart.find((r) => r.startDate > onDate);
}

export type Verification = {
  result: VerificationResult;
  recognition: Recognition | undefined;
  status: RecognitionStatusOnDate | undefined;
  validOnDate: boolean;
};

/**
 * The answer to "is this establishment recognised for this programme on this date". A stopped establishment or
 * enterprise is `closed` even when a recognition still stands (its revocation waits for the partnership's decision
 * on the KBO change); the recognition is shown with it.
 */
export function verifyRecognition(facts: VerificationFacts, onDate: string): Verification {
  const recognition = recognitionFor(facts.recognitions, onDate);
  const status = recognition ? statusOn(recognition, onDate) : undefined;
  const validOnDate = recognition !== undefined && coversDate(recognition, onDate) && status === 'active';
  if (!facts.establishment) return { result: 'unknownEstablishment', recognition: undefined, status: undefined, validOnDate: false };
  if (facts.establishment.status === 'stopped' || facts.enterpriseStatus === 'stopped') return { result: 'closed', recognition, status, validOnDate: false };
  if (!recognition) return { result: 'neverRecognised', recognition, status, validOnDate };
  return { result: validOnDate ? 'recognised' : 'notRecognisedOnDate', recognition, status, validOnDate };
}

export type PlaceFacts = {
  capacity: { mentor: number; establishment: number | null };
  establishmentUsed: number;
  mentorUsed: (mentorId: string) => number;
};

/**
 * Whether an agreement could start on the recognition now: it is active on the date, the enterprise marks a place
 * available, the establishment is under its partnership's maximum (no maximum: no limit) and a mentor who counts
 * has a place left. The counters are today's (running agreements), not the date's.
 */
export function placeOf(r: Recognition, status: RecognitionStatusOnDate, places: PlaceFacts, onDate: string) {
  const establishmentFree = places.capacity.establishment === null ? null : Math.max(0, places.capacity.establishment - places.establishmentUsed);
  const mentorWithRoom = r.mentors.some((m) => !m.withdrawn && mentorValid(m, onDate) && places.capacity.mentor - places.mentorUsed(m.id) > 0);
  const placeFree = status === 'active' && r.placeAvailable && (establishmentFree === null || establishmentFree > 0) && mentorWithRoom;
  return { placeFree, establishmentFreePlaces: establishmentFree };
}
