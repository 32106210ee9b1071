// Appeals: only the enterprise concerned, within 10 days of a rejection or a sanction; the department confirms
// receipt and admissibility within 10 calendar days and records the appeal committee's outcome. Pure; no AWS imports.
import { addDays } from 'date-fns';
import { kboDigits } from './identifiers.ts';
import { accepted, appealOpen, isoDate, refused, type Decision } from './recognitions.ts';

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
