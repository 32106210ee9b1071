// Emitted when a recognition starts or changes state for the systems of providers and partnerships (the event
// feed, functions/events): granted (a new file recognised), renewed (a renewal file recognised: a new
// recognition that follows the one it renews), suspended (no mentor of it counts any more: the daily job),
// expired (past its end date: the daily job) and restored (an upheld appeal undid its revocation). A revocation
// has its own event (recognition-revoked.ts), which the agreements context acts on. No personal data: the
// workplace by its KBO numbers, nothing about its mentors.
import * as z from 'zod';

export const recognitionChanges = ['granted', 'renewed', 'suspended', 'expired', 'restored'] as const;

export const recognitionChangedSchema = z.object({
  type: z.literal('recognition-changed'),
  eventId: z.string(),
  change: z.enum(recognitionChanges),
  recognitionId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  partnershipId: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  /** A renewal: the recognition it follows. */
  renewsRecognitionId: z.string().nullable(),
  /** A restoration: the appeal whose upheld outcome undid the revocation. */
  appealId: z.string().nullable(),
  at: z.string(),
});

export type RecognitionChanged = z.infer<typeof recognitionChangedSchema>;
