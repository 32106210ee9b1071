// Sent on the kboChanges queue by the KBO sync, one per stored change record (and again when a slice is re-run);
// the changes consumer turns it into the partnership's dashboard task. It names the record only: the consumer
// reads the record, which may have been decided since.
import * as z from 'zod';
import { changeIdPattern } from '../shared/domain/kbo-changes.ts';

export const kboChangeMessageSchema = z.object({
  /** `K<extract>-<entity digits>-<kind>-<partnership>`; the kinds are changeKinds (addressStruckOff among them). */
  changeId: z.string().regex(changeIdPattern),
  partnershipId: z.string().min(1).max(64),
});

export type KboChangeMessage = z.infer<typeof kboChangeMessageSchema>;
