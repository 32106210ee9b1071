// Appeals: only the enterprise concerned, within 10 days of a rejection or a sanction; the department confirms
// receipt and admissibility within 10 calendar days and records the appeal committee's outcome. Pure; no AWS imports.
import { addDays } from 'date-fns';
import { kboDigits } from './identifiers.ts';
import { accepted, appealOpen, isoDate, refused, type Application, type Decision, type FileChange, type Recognition } from './recognitions.ts';
import type { Actor } from './actors.ts';
import type { Sanction } from './sanctions.ts';

/** The department confirms receipt and admissibility of an appeal within 10 calendar days. */
export const appealConfirmationDays = 10;

export const appealStatuses = ['received', 'admissible', 'inadmissible', 'upheld', 'rejected'] as const;

export type Appeal = {
  id: string;
  enterpriseNumber: string;
  against: { kind: 'decision'; applicationId: string } | { kind: 'sanction'; sanctionId: string };
  decisionAt: string;
  grounds: string;
  contactEmail: string;
  status: (typeof appealStatuses)[number];
  receivedAt: string;
  confirmBy: string;
  confirmation: { admissible: boolean; reasons: string; by: string; at: string } | null;
  outcome: { outcome: 'upheld' | 'rejected'; reasons: string; by: string; at: string } | null;
  version: number;
};

/** The decision an appeal is against, as far as the appeal needs it: a rejection is appealable, a recognition not. */
export type AppealedDecision = { enterpriseNumber: string; decisionAt: string | undefined; appealable: boolean };

/** Only the enterprise concerned, only against a rejection or a sanction, only within 10 days of the decision. */
export function appealable(
  decided: AppealedDecision | undefined,
  enterpriseDigits: string,
  today: string,
): Decision<{ enterpriseNumber: string; decisionAt: string }, 'not-appealable' | 'decision-not-found' | 'appeal-too-late'> {
  if (decided && !decided.appealable) return refused('not-appealable');
  if (!decided?.decisionAt || kboDigits(decided.enterpriseNumber) !== enterpriseDigits) return refused('decision-not-found');
  if (!appealOpen(decided.decisionAt, today)) return refused('appeal-too-late');
  return accepted({ enterpriseNumber: decided.enterpriseNumber, decisionAt: decided.decisionAt });
}

export function newAppeal(
  input: Pick<Appeal, 'against' | 'grounds' | 'contactEmail'>,
  decided: { enterpriseNumber: string; decisionAt: string },
  id: string,
  now: string,
  today: string,
): Appeal {
  return {
    id,
    enterpriseNumber: decided.enterpriseNumber,
    against: input.against,
    decisionAt: decided.decisionAt,
    grounds: input.grounds,
    contactEmail: input.contactEmail,
    status: 'received',
    receivedAt: now,
    confirmBy: isoDate(addDays(new Date(`${today}T00:00:00Z`), appealConfirmationDays)),
    confirmation: null,
    outcome: null,
    version: 1,
  };
}

export function appealConfirmation(
  appeal: Appeal,
  input: { admissible: boolean; reasons: string },
  by: string,
  now: string,
): Decision<Appeal, 'appeal-confirmed'> {
  if (appeal.status !== 'received') return refused('appeal-confirmed');
  return accepted({ ...appeal, status: input.admissible ? 'admissible' : 'inadmissible', confirmation: { ...input, by, at: now } });
}

export function appealOutcome(
  appeal: Appeal,
  input: { outcome: 'upheld' | 'rejected'; reasons: string },
  by: string,
  now: string,
): Decision<Appeal, 'appeal-not-admissible'> {
  if (appeal.status !== 'admissible') return refused('appeal-not-admissible');
  return accepted({ ...appeal, status: input.outcome, outcome: { ...input, by, at: now } });
}

/** Whether the appeal still holds its decision's or sanction's one open-appeal marker: until inadmissible or decided. */
export const appealClosed = (appeal: Pick<Appeal, 'status'>) => appeal.status === 'inadmissible' || appeal.status === 'upheld' || appeal.status === 'rejected';

/** A recognition as an upheld appeal restores it, with the version it was read at and its history entry. */
export type RestoredRecognition = { recognition: Recognition; expectedVersion: number; change: FileChange };

/**
 * What an outcome does. Rejected: nothing changes (the parties are told). Upheld against a sanction: what it
 * revoked is active again (and an exclusion lifted), or the withdrawn mentor counts again; upheld against a
 * rejection: the file is re-opened with the partnership, under review, to decide again.
 */
export type AppealEffect =
  | { kind: 'none' }
  | {
      kind: 'restoreRecognitions';
      sanction: Sanction;
      restored: RestoredRecognition[];
      /** The exclusion the sanction wrote, lifted if it is still that sanction's. */
      exclusion: { level: 'establishment' | 'enterprise'; subject: string; organisationKey: string; sanctionId: string } | null;
    }
  | { kind: 'restoreMentor'; sanction: Sanction; restored: RestoredRecognition[] }
  | { kind: 'reopenFile'; application: Application; expectedVersion: number; change: FileChange };

/** What the outcome is about, read by the repository: the sanction and its recognitions, or the decided file. */
export type AppealFacts = { sanction?: Sanction | undefined; recognitions: Recognition[]; application?: Application | undefined };

const restored = (recognition: Recognition, next: Recognition, appeal: Appeal, actor: Actor, before: Record<string, unknown>): RestoredRecognition => ({
  recognition: next,
  expectedVersion: recognition.version,
  change: { by: actor.userId, actor, action: 'restored-after-appeal', before, after: { ...afterOf(next), appealId: appeal.id } },
});
const afterOf = (r: Recognition) => ({ status: r.status });

/**
 * The effect of the committee's outcome. Only what the sanction itself did is undone: a recognition revoked by
 * it and not ended since (today past its end date), a mentor it withdrew. A rejection's file is re-opened only
 * while it is still that rejection.
 */
export function appealEffect(appeal: Appeal, facts: AppealFacts, actor: Actor, now: string, today: string): AppealEffect {
  const by = actor.userId;
  if (appeal.outcome?.outcome !== 'upheld') return { kind: 'none' };
  const { sanction, application } = facts;
  if (appeal.against.kind === 'decision') {
    if (application?.status !== 'notRecognised') return { kind: 'none' };
    return {
      kind: 'reopenFile',
      expectedVersion: application.version,
      application: {
        ...application,
        status: 'underReview',
        decision: null,
        proposal: null,
        reopenedByAppeal: appeal.id,
        // Its own round of the review workflow (the rejected round's execution ended with the decision).
        reviewRound: application.reviewRound + 1,
        // A new review term from the re-opening (reviewClock counts from submittedAt, with the pauses since):
        // the first term ran out long ago, and the committee gave the file back to be decided.
        submittedAt: now,
        reviewPauses: [],
        clockStartedAt: now,
        reminderSentAt: null,
        escalatedAt: null,
        overdue: false,
      },
      change: {
        by,
        actor,
        action: 'reopened-after-appeal',
        before: { status: application.status, decision: application.decision },
        after: { status: 'underReview', appealId: appeal.id },
      },
    };
  }
  if (!sanction) return { kind: 'none' };
  if (sanction.kind === 'withdrawMentor') {
    // The person's mentor entry on each recognition the withdrawal touched (older sanctions name one in their subject).
    const withdrawn = sanction.withdrawnMentors ?? [mentorOfSubject(sanction.subject)];
    const restoredMentors = withdrawn.flatMap(({ recognitionId, mentorId }) => {
      const recognition = facts.recognitions.find((r) => r.id === recognitionId);
      if (!recognition?.mentors.find((m) => m.id === mentorId)?.withdrawn) return [];
      const next = { ...recognition, mentors: recognition.mentors.map((m) => (m.id === mentorId ? { ...m, active: true, withdrawn: false } : m)) };
      const entry = restored(recognition, next, appeal, actor, { mentorId, active: false, sanctionId: sanction.id });
      return [{ ...entry, change: { ...entry.change, after: { mentorId, active: true, appealId: appeal.id } } }];
    });
    return restoredMentors.length ? { kind: 'restoreMentor', sanction, restored: restoredMentors } : { kind: 'none' };
  }
  const revokedByIt = facts.recognitions.filter((r) => r.status === 'revoked' && r.revocation?.sanctionId === sanction.id && today <= r.endDate);
  const exclusionLevel = sanction.kind === 'excludeEstablishment' ? 'establishment' : sanction.kind === 'excludeEnterprise' ? 'enterprise' : null;
  return {
    kind: 'restoreRecognitions',
    sanction,
    restored: revokedByIt.map((r) => restored(r, { ...r, status: 'active', revocation: null }, appeal, actor, { status: 'revoked', sanctionId: sanction.id })),
    exclusion: exclusionLevel ? { level: exclusionLevel, subject: sanction.subject, organisationKey: sanction.organisationKey, sanctionId: sanction.id } : null,
  };
}

/** A mentor's withdrawal names `<recognition id>#<mentor id>` (recognition ids hold slashes, never `#`). */
const mentorOfSubject = (subject: string) => {
  const at = subject.lastIndexOf('#');
  return { recognitionId: subject.slice(0, at), mentorId: subject.slice(at + 1) };
};
