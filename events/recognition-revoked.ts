// Emitted when a partnership revokes a recognition (directly, by excluding its establishment or enterprise,
// or when it decides on a KBO stop). The agreements context turns it into "Opheffing verwerken" tasks for the counsellors.
import * as z from 'zod';

export const recognitionRevokedSchema = z.object({
  type: z.literal('recognition-revoked'),
  eventId: z.string(),
  recognitionId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  partnershipId: z.string(),
  /** What led to it: a sanction (sanctionId set) or the partnership's decision on a KBO change (changeId set). */
  cause: z.enum(['sanction', 'kboChange']).default('sanction'),
  sanctionId: z.string().nullable(),
  changeId: z.string().nullable().default(null),
  reasons: z.string(),
  revokedAt: z.string(),
});

export type RecognitionRevoked = z.infer<typeof recognitionRevokedSchema>;
