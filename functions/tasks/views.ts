// What the tasks context answers, declared once: a dashboard is its organisation's, shown to the caller for the
// roles they hold there. Each schema is strict and is the route's documented response.
import * as z from 'zod';
import { daysRemaining, taskSubjectKinds, taskTypes, type Task, type TaskType } from '../../shared/domain/tasks.ts';

const taskType = z.enum(Object.keys(taskTypes) as [TaskType, ...TaskType[]]);

export const taskView = z.strictObject({
  id: z.string(),
  type: taskType,
  title: z.string(),
  organisationKey: z.string(),
  roles: z.array(z.string()),
  subject: z.strictObject({ kind: z.enum(taskSubjectKinds), id: z.string(), label: z.string() }),
  dueDate: z.string().nullable(),
  daysRemaining: z.number().int().nullable().describe('"Dagen resterend": negatief wanneer over termijn'),
  actions: z.array(z.string()),
  link: z.string().describe('Het pad in de API van wat de taak vraagt'),
  status: z.enum(['open', 'done']),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

export const dashboardView = z.strictObject({
  items: z.array(taskView),
  counts: z.partialRecord(taskType, z.number().int()).describe('Open taken per soort, voor uw rollen'),
  cursor: z.string().nullable(),
});

export const preferencesView = z.strictObject({ dailyDigest: z.boolean() });

export const task = (t: Task, today: string): z.output<typeof taskView> => ({
  id: t.id,
  type: t.type,
  title: t.title,
  organisationKey: t.organisationKey,
  roles: t.roles,
  subject: { kind: t.subject.kind, id: t.subject.id, label: t.subject.label },
  dueDate: t.dueDate,
  daysRemaining: daysRemaining(t.dueDate, today),
  actions: t.actions,
  link: t.link,
  status: t.status,
  createdAt: t.createdAt,
  closedAt: t.closedAt,
});
