// Emitted for each recognition on which a sanction withdrew a mentor (the person), in the sanction's transaction.
// The mentor by its id on the recognition only: no name, birth date or national number.
import * as z from 'zod';

export const mentorWithdrawnSchema = z.object({
  type: z.literal('mentor-withdrawn'),
  eventId: z.string(),
  recognitionId: z.string(),
  mentorId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  partnershipId: z.string(),
  sanctionId: z.string(),
  withdrawnAt: z.string(),
});

export type MentorWithdrawn = z.infer<typeof mentorWithdrawnSchema>;
