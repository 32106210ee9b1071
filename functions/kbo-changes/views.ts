// What the partnership sees of a KBO change, its only reader: the record without the sync's bookkeeping (slice,
// file name), with its one-line description and the decisions still open. The schema is also the documented response.
import * as z from 'zod';
import { addressSchema, type Address } from '../../shared/domain/kbo.ts';
import { allowedDecisions, changeKinds, changeStatuses, decisions, describeChange, type KboChange } from '../../shared/domain/kbo-changes.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';

export const kboChangeView = z.strictObject({
  id: z.string().describe('bv. K000392-2123456791-addressChanged-horeca'),
  kind: z.enum(changeKinds),
  description: z.string().describe('De wijziging in één zin, zoals in de taak'),
  entity: z.strictObject({ kind: z.enum(['enterprise', 'establishment']), number: z.string() }),
  enterpriseNumber: z.string(),
  oldAddress: addressSchema.nullable(),
  newAddress: addressSchema.nullable(),
  oldName: z.string().nullable(),
  newName: z.string().nullable(),
  newEnterpriseNumber: z.string().nullable().describe('Bij een overdracht: de onderneming waartoe de vestiging nu hoort'),
  lastJuridicalSituation: z.string().nullable().describe('Bij een stopzetting: de laatste rechtstoestand, de enige aanwijzing voor de reden'),
  extractNumber: z.number().int(),
  snapshotDate: z.string(),
  partnershipId: z.string(),
  recognitions: z.array(
    z.strictObject({
      id: z.string().describe('Het id van de erkenning (zoals in paden), bv. E-20261112-000001'),
      number: z.string().describe('Het officiële erkenningsnummer, bv. E/20261112/000001'),
      establishmentNumber: z.string(),
      programmeId: z.string(),
    }),
  ),
  status: z.enum(changeStatuses),
  decision: z.strictObject({ decision: z.enum(decisions), reasons: z.string(), by: z.string(), at: z.string() }).nullable(),
  allowedDecisions: z.array(z.enum(decisions)),
  detectedAt: z.string(),
  version: z.number().int(),
});
export type KboChangeView = z.output<typeof kboChangeView>;

export const kboChangePage = z.strictObject({ items: z.array(kboChangeView), cursor: z.string().nullable() });

/** A record stored before the extra address information was kept has none. */
const withExtra = (address: Address | null): Address | null => address && { ...address, extraAddressInfo: address.extraAddressInfo ?? null };

export function changeView(change: KboChange): KboChangeView {
  return {
    id: change.id,
    kind: change.kind,
    description: describeChange(change),
    entity: { kind: change.entity.kind, number: change.entity.number },
    enterpriseNumber: change.enterpriseNumber,
    oldAddress: withExtra(change.oldAddress),
    newAddress: withExtra(change.newAddress),
    oldName: change.oldName,
    newName: change.newName,
    newEnterpriseNumber: change.newEnterpriseNumber,
    lastJuridicalSituation: change.lastJuridicalSituation,
    extractNumber: change.extractNumber,
    snapshotDate: change.snapshotDate,
    partnershipId: change.partnershipId,
    recognitions: change.recognitions.map((r) => ({
      id: recognitionPathId(r.id),
      number: r.id,
      establishmentNumber: r.establishmentNumber,
      programmeId: r.programmeId,
    })),
    status: change.status,
    decision: change.decision && { decision: change.decision.decision, reasons: change.decision.reasons, by: change.decision.by, at: change.decision.at },
    allowedDecisions: allowedDecisions(change),
    detectedAt: change.detectedAt,
    version: change.version,
  };
}
