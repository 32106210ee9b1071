// Dashboard tasks: an item that asks an organisation (in a role) to act. Pure; no AWS imports.
import { differenceInCalendarDays } from 'date-fns';

export const taskTypes = {
  renewRecognition: 'Beslissen hernieuwing erkenning',
  confirmAppeal: 'Ontvangst en ontvankelijkheid beroep bevestigen',
  decideAppeal: 'Beroep behandelen',
  reviewOverdue: 'Erkenningsaanvraag over termijn',
  recognitionWithoutMentor: 'Erkenning zonder geldige mentor behandelen',
  finishMentorTraining: 'Mentoropleiding afronden',
  // The enterprise's legal representative confirms (or revokes) a mandate a counsellor registered in its name.
  confirmMandate: 'Machtiging bevestigen',
  // The enterprise's own file and recognitions: complete what the partnership asked for, set the free places.
  completeApplication: 'Vervolledig uw erkenningsaanvraag',
  setAvailability: 'Vrije plaatsen instellen',
  // Partnership work lists (the counter's own task names).
  checkCompleteness: 'Volledigheid erkenning controleren',
  handleApplication: 'Erkenning behandelen',
  resumeApplication: 'Hervatten',
  checkMentors: 'Mentoren controleren',
  // KBO changes: for the partnership first, then for the counsellors of running agreements.
  processAddressChange: 'Adreswijziging vestiging verwerken',
  processAddressStrikeOff: 'Adres doorgehaald',
  processStop: 'Stopzetting verwerken',
  processTransfer: 'Overdracht vestiging verwerken',
  processNameChange: 'Naamswijziging verwerken',
  processRevocation: 'Opheffing verwerken',
  // Agreements.
  finishAddendum: 'Addendum afwerken',
  draftExpiring: 'Werkversie verloopt',
  followUpSuspension: 'Schorsing opvolgen',
  // The enterprise is a party to an addendum: it signs it before the counsellor registers the signed copy.
  signAddendum: 'Addendum ondertekenen',
  // The enterprise signs the agreement itself once its work version is ready for signatures.
  signAgreement: 'Overeenkomst ondertekenen',
} as const;
export type TaskType = keyof typeof taskTypes;

export const taskSubjectKinds = ['recognition', 'application', 'appeal', 'agreement', 'kboChange', 'mandate'] as const;

export type Task = {
  id: string;
  type: TaskType;
  title: string;
  /** The organisation key (`enterprise:0417390703`) and the roles that see it. */
  organisationKey: string;
  roles: string[];
  subject: { kind: (typeof taskSubjectKinds)[number]; id: string; label: string };
  dueDate: string | null;
  actions: string[];
  link: string;
  status: 'open' | 'done';
  createdAt: string;
  closedAt: string | null;
};

/** "Dagen resterend": calendar days from today to the due date (negative when overdue). */
export function daysRemaining(dueDate: string | null, today: string): number | null {
  if (!dueDate) return null;
  return differenceInCalendarDays(new Date(`${dueDate}T00:00:00Z`), new Date(`${today}T00:00:00Z`));
}

/** One task as a digest lists it. */
export type DigestLine = { title: string; label: string; dueDate: string | null; daysRemaining: number | null };

/** A digest lists at most this many tasks per list; the counts say how many there are in all. */
export const digestListLength = 50;

/**
 * What one user's daily digest says: of the open tasks for a role they hold, those new since the previous
 * digest (all of them when there was none) and those past their due date. Undefined: nothing to tell.
 */
export function digestOf(
  tasks: readonly Task[],
  input: { roles: readonly string[]; lastDigestAt: string | null; today: string },
): { newTasks: DigestLine[]; overdueTasks: DigestLine[]; newCount: number; overdueCount: number } | undefined {
  const mine = tasks.filter((t) => t.roles.some((r) => input.roles.includes(r)));
  const fresh = mine.filter((t) => !input.lastDigestAt || t.createdAt > input.lastDigestAt);
  const overdue = mine.filter((t) => t.dueDate !== null && t.dueDate < input.today);
  if (!fresh.length && !overdue.length) return undefined;
  const listed = (list: Task[]) =>
    list
      .slice(0, digestListLength)
      .map((t) => ({ title: t.title, label: t.subject.label, dueDate: t.dueDate, daysRemaining: daysRemaining(t.dueDate, input.today) }));
  return { newTasks: listed(fresh), overdueTasks: listed(overdue), newCount: fresh.length, overdueCount: overdue.length };
}
