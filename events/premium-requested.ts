// Emitted at registration for each premium that qualifies (enterprise premium, learner premium). A paying
// system consumes it; it carries no personal data: the payer reads the premium item and the agreement.
import * as z from 'zod';

export const premiumRequestedSchema = z.object({
  type: z.literal('premium-requested'),
  eventId: z.string(),
  agreementId: z.string(),
  kind: z.enum(['enterprise', 'learner']),
  amountCents: z.number().int().positive(),
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/),
  enterpriseNumber: z.string(),
  requestedAt: z.string(),
});

export type PremiumRequested = z.infer<typeof premiumRequestedSchema>;
