// Request schemas of the kbo-changes context; they validate input, type the handlers and generate the OpenAPI document.
import * as z from 'zod';
import { changeIdPattern, changeStatuses, decisions } from '../../shared/domain/kbo-changes.ts';

export const changeIdParam = z.strictObject({ id: z.string().regex(changeIdPattern, 'een KBO-wijziging zoals K000392-2123456791-addressChanged-horeca') });

export const changeListQuery = z.strictObject({
  status: z.enum(changeStatuses).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type ChangeListQuery = z.output<typeof changeListQuery>;

export const decisionBody = z.strictObject({ decision: z.enum(decisions), reasons: z.string().trim().min(10).max(4000) });
export type DecisionBody = z.output<typeof decisionBody>;

export const extractNumberParam = z.strictObject({
  extractNumber: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'een extractnummer zoals 142')
    .transform(Number),
});
