// Emitted when an agreement is registered, amended (an addendum), suspended or ended, in the transaction of that
// change, for the systems of the provider that is party to it (the event feed, functions/events). No personal
// data: the learner is not named (the provider knows its agreement by its id), nor the mentor.
import * as z from 'zod';

export const agreementChanges = ['registered', 'amended', 'suspended', 'ended'] as const;

export const agreementChangedSchema = z.object({
  type: z.literal('agreement-changed'),
  eventId: z.string(),
  change: z.enum(agreementChanges),
  agreementId: z.string(),
  providerId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  recognitionId: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  /** A suspension: its period (not its ground: illness is health data of the learner), else null. */
  suspension: z.object({ from: z.string(), to: z.string() }).nullable(),
  /** An end: normal (at the planned end date) or early, and its day (not its reason: free text about the learner). */
  ending: z.object({ kind: z.enum(['normal', 'early']), date: z.string() }).nullable(),
  at: z.string(),
});

export type AgreementChanged = z.infer<typeof agreementChangedSchema>;
