// Emitted when a partnership revokes a recognition (directly, or by excluding its establishment or
// enterprise). The agreements context turns it into "Opheffing verwerken" tasks for the counsellors.
import { z } from 'zod';

export const recognitionRevokedSchema = z.object({
  type: z.literal('recognition-revoked'),
  eventId: z.string(),
  recognitionId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  partnershipId: z.string(),
  sanctionId: z.string(),
  reasons: z.string(),
  revokedAt: z.string(),
});

export type RecognitionRevoked = z.infer<typeof recognitionRevokedSchema>;
