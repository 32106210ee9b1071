// Request schemas of the tasks context; the responses are in views.ts.
import { z } from 'zod';
import { taskSubjectKinds, taskTypes, type TaskType } from '../../shared/domain/tasks.ts';

export const dashboardQuery = z.strictObject({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  type: z.enum(Object.keys(taskTypes) as [TaskType, ...TaskType[]]).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  subject: z.enum(taskSubjectKinds).optional(),
});
export type DashboardQuery = z.output<typeof dashboardQuery>;

export const preferencesBody = z.strictObject({ dailyDigest: z.boolean() });
export type Preferences = z.output<typeof preferencesBody>;
