// Emitted when the competent partnership decides on a KBO change (a stopped enterprise or establishment, a moved
// establishment, ...), in the transaction of the decision, for that partnership's systems (the event feed). What
// the decision did to recognitions travels in their own events (revoked, and the address change for counsellors).
import * as z from 'zod';

export const kboChangeDecidedSchema = z.object({
  type: z.literal('kbo-change-decided'),
  eventId: z.string(),
  changeId: z.string(),
  partnershipId: z.string(),
  kind: z.string(),
  decision: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string().nullable(),
  recognitionIds: z.array(z.string()),
  decidedAt: z.string(),
});

export type KboChangeDecided = z.infer<typeof kboChangeDecidedSchema>;
