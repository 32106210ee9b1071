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

const rejectedRowView = z.strictObject({
  member: z.string().describe('Het bestand in de zip, bv. address_insert.csv'),
  record: z.number().int().describe('Het volgnummer van het record in dat bestand (1 is het eerste na de kopregel)'),
  reason: z.string().describe('Waarom de rij niet bruikbaar is'),
});

/** The report of one applied KBO file, for the department (ops). */
export const kboReportView = z.strictObject({
  fileName: z.string().describe('bv. KboOpenData_0142_2026_11_Update.zip'),
  extractNumber: z.number().int(),
  extractType: z.enum(['update', 'full']),
  snapshotDate: z.string(),
  appliedAt: z.string().describe('Wanneer het bestand volledig verwerkt was'),
  rowsPerMember: z.record(z.string(), z.number().int()).describe('Bruikbare rijen per bestand in de zip'),
  counts: z.record(z.string(), z.unknown()).describe('De tellers van de verwerking, zoals in het extractrecord'),
  rejectedRows: z.array(rejectedRowView).describe('Elke onbruikbare rij, met bestand, recordnummer en reden'),
  changes: z
    .strictObject({
      byKind: z.record(z.enum(changeKinds), z.number().int()),
      withoutRecognitions: z.number().int().describe('Gevonden wijzigingen zonder actieve erkenning: niemand moet beslissen'),
      records: z.array(
        z.strictObject({
          id: z.string(),
          kind: z.enum(changeKinds),
          entityNumber: z.string(),
          partnershipId: z.string(),
        }),
      ),
    })
    .nullable()
    .describe('De wijzigingen voor de partnerschappen; null bij een Full (die laadt en vergelijkt niet)'),
  duplicateRows: z.number().int().describe('Herhaalde rijen (de laatste telt)'),
  unknownEntities: z.number().int().describe('Rijen van ondernemingen of vestigingen die de tabel niet kent (overgeslagen)'),
  empty: z.boolean().describe('Niets geweigerd en geen wijziging om te beslissen: de tabel is in de pas met dit bestand'),
});
