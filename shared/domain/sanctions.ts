// Sanctions of a partnership (after coaching) or of the department: a mentor withdrawn, a recognition revoked,
// an establishment or a whole enterprise excluded. Pure; no AWS imports.
import { kboDigits } from './identifiers.ts';
import { accepted, openStatuses, refused, type Application, type Decision, type FileChange, type Recognition } from './recognitions.ts';
import type { Actor } from './actors.ts';

export type Sanction = {
  id: string;
  kind: 'withdrawMentor' | 'revokeRecognition' | 'excludeEstablishment' | 'excludeEnterprise';
  enterpriseNumber: string;
  subject: string;
  /** The partnership that decided it, or null for the department (an exclusion across partnerships). */
  partnershipId: string | null;
  /** Who decided it: `partnership:<id>` or `department:dwse`. */
  organisationKey: string;
  reasons: string;
  until: string | null;
  affectedRecognitions: string[];
  /** A mentor's withdrawal: the person's mentor entry on each recognition it withdrew (absent on older sanctions). */
  withdrawnMentors?: { recognitionId: string; mentorId: string }[];
  /** The open files (renewals, applications) of the sanctioned workplace that it closed; absent on older sanctions. */
  closedApplications?: string[];
  decidedBy: string;
  decidedAt: string;
};

export function newSanction(input: {
  id: string;
  kind: Sanction['kind'];
  enterpriseNumber: string;
  subject: string;
  reasons: string;
  until: string | null;
  acting: { type: string; id: string; key: string };
  by: string;
  now: string;
  affectedRecognitions: string[];
  closedApplications?: string[];
}): Sanction {
  return {
    id: input.id,
    kind: input.kind,
    enterpriseNumber: input.enterpriseNumber,
    subject: input.subject,
    partnershipId: input.acting.type === 'partnership' ? input.acting.id : null,
    organisationKey: input.acting.key,
    reasons: input.reasons,
    until: input.until,
    affectedRecognitions: input.affectedRecognitions,
    closedApplications: input.closedApplications ?? [],
    decidedBy: input.by,
    decidedAt: input.now,
  };
}

/** A withdrawn mentor no longer counts and cannot be reactivated by the enterprise. */
export function withdrawal(
  recognition: Recognition,
  mentorId: string,
  sanction: Sanction,
  actor: Actor,
): Decision<{ recognition: Recognition; change: FileChange }, 'mentor-not-active'> {
  if (!recognition.mentors.find((m) => m.id === mentorId)?.active) return refused('mentor-not-active');
  return accepted({
    recognition: { ...recognition, mentors: recognition.mentors.map((m) => (m.id === mentorId ? { ...m, active: false, withdrawn: true } : m)) },
    change: {
      by: sanction.decidedBy,
      actor,
      action: 'mentor-withdrawn',
      before: { mentorId, active: true },
      after: { mentorId, active: false, sanctionId: sanction.id },
    },
  });
}

/**
 * What an exclusion revokes. A partnership excludes for its own competence: only the recognitions it decided, and
 * only where it recognised a workplace (active or not), since its sanction comes after coaching its own
 * recognitions. The department excludes across partnerships: every active recognition there.
 */
export function exclusionScope(found: Recognition[], acting: { type: string; id: string }): Decision<Recognition[], 'no-recognitions-of-partnership'> {
  const competent = acting.type === 'department' ? found : found.filter((r) => r.partnershipId === acting.id);
  if (acting.type === 'partnership' && competent.length === 0) return refused('no-recognitions-of-partnership');
  return accepted(competent.filter((r) => r.status === 'active'));
}

/**
 * The open files an exclusion closes: those of the excluded establishment (or of every establishment of the
 * enterprise) under review by the excluding partnership, or by any partnership for the department. Their
 * partnership may no longer take them (the exclusion bars new submissions there), so they end with the sanction.
 */
export function filesToClose(
  files: Application[],
  input: { level: 'establishment' | 'enterprise'; establishmentDigits?: string | undefined },
  acting: { type: string; id: string },
): Application[] {
  return files.filter(
    (a) =>
      openStatuses.includes(a.status) &&
      (input.level === 'enterprise' || kboDigits(a.establishmentNumber) === input.establishmentDigits) &&
      (acting.type === 'department' || a.partnershipId === acting.id),
  );
}

/** A revocation ends the open renewal of the recognition it revokes: there is nothing left to renew. */
export const renewalsToClose = (files: Application[], recognition: Pick<Recognition, 'id'>): Application[] =>
  files.filter((a) => openStatuses.includes(a.status) && a.renewsRecognitionId === recognition.id);

/** The file closed by the sanction: withdrawn, with the sanction as its reason, and the history entry saying so. */
export function closedBySanction(application: Application, sanction: Sanction, actor: Actor): { application: Application; change: FileChange } {
  return {
    application: {
      ...application,
      status: 'withdrawn',
      closure: { cause: 'sanction', sanctionId: sanction.id, reasons: sanction.reasons, at: sanction.decidedAt },
    },
    change: {
      by: sanction.decidedBy,
      actor,
      action: 'closed-by-sanction',
      before: { status: application.status },
      after: { status: 'withdrawn', sanctionId: sanction.id, kind: sanction.kind },
    },
  };
}

/** One recognition's part of a mentor's withdrawal. */
export type MentorWithdrawal = { recognition: Recognition; mentorId: string; expectedVersion: number; change: FileChange };

/**
 * A mentor's withdrawal withdraws the person: the mentor on the sanctioned recognition (who must be active) and the
 * same person (by person key) wherever another active recognition names them as an active mentor, at this enterprise
 * or another: a sanction on the mentor is one on the person.
 */
export function personWithdrawal(
  recognition: Recognition,
  mentorId: string,
  others: Recognition[],
  sanction: Sanction,
  actor: Actor,
): Decision<MentorWithdrawal[], 'mentor-not-active'> {
  const first = withdrawal(recognition, mentorId, sanction, actor);
  if (!first.ok) return first;
  const person = recognition.mentors.find((m) => m.id === mentorId)?.personKey;
  const elsewhere: MentorWithdrawal[] = [];
  for (const other of others) {
    if (!person || other.id === recognition.id || other.status !== 'active') continue;
    // A person is named once per recognition (a file lists each mentor once).
    const mentor = other.mentors.find((m) => m.personKey === person && m.active);
    const withdrawn = mentor && withdrawal(other, mentor.id, sanction, actor);
    if (mentor && withdrawn?.ok) elsewhere.push({ ...withdrawn.value, mentorId: mentor.id, expectedVersion: other.version });
  }
  return accepted([{ ...first.value, mentorId, expectedVersion: recognition.version }, ...elsewhere]);
}
