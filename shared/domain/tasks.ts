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
  // Partnership work lists (the counter's own task names).
  checkCompleteness: 'Volledigheid erkenning controleren',
  handleApplication: 'Erkenning behandelen',
  resumeApplication: 'Hervatten',
  checkMentors: 'Mentoren controleren',
  // KBO changes: for the partnership first, then for the counsellors of running agreements.
  processAddressChange: 'Adreswijziging vestiging verwerken',
  processStop: 'Stopzetting verwerken',
  processTransfer: 'Overdracht vestiging verwerken',
  processNameChange: 'Naamswijziging verwerken',
  processRevocation: 'Opheffing verwerken',
  // Agreements.
  finishAddendum: 'Addendum afwerken',
  draftExpiring: 'Werkversie verloopt',
  followUpSuspension: 'Schorsing opvolgen',
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
