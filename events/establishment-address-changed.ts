// Emitted when the competent partnership decides to keep a recognition after KBO reported that its
// establishment moved (the KBO sync's "Adreswijziging vestiging verwerken"). The agreements context turns it
// into "Adreswijziging vestiging verwerken" tasks for the counsellors of the running agreements on it.
import * as z from 'zod';
import { registeredAddressPartsSchema as address } from '../shared/domain/address.ts';

export const establishmentAddressChangedSchema = z.object({
  type: z.literal('establishment-address-changed'),
  eventId: z.string(),
  recognitionId: z.string(),
  enterpriseNumber: z.string(),
  establishmentNumber: z.string(),
  programmeId: z.string(),
  partnershipId: z.string(),
  /** The KBO change record the partnership decided on. */
  changeId: z.string(),
  oldAddress: address.nullable(),
  newAddress: address,
  decidedAt: z.string(),
});

export type EstablishmentAddressChanged = z.infer<typeof establishmentAddressChangedSchema>;
