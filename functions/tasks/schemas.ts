// Request schemas of the tasks context; the responses are in views.ts.
import * as z from 'zod';
import { taskSubjectKinds, taskTypes, type TaskType } from '../../shared/domain/tasks.ts';
import { pageFields } from '../../shared/http/fields.ts';

export const dashboardQuery = z.strictObject({
  ...pageFields,
  type: z.enum(Object.keys(taskTypes) as [TaskType, ...TaskType[]]).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  subject: z.enum(taskSubjectKinds).optional(),
});
export type DashboardQuery = z.output<typeof dashboardQuery>;

export const preferencesBody = z.strictObject({ dailyDigest: z.boolean() });
export type Preferences = z.output<typeof preferencesBody>;
