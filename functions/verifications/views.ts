// The answers of the verification API, for the systems of providers and partnerships and their users. No personal
// data: no mentors, no people's names, and no names at all of an enterprise of a natural person (a sole trader's
// enterprise and commercial names are often the person's own name).
import * as z from 'zod';
import type { Address, EnterpriseProfile } from '../../shared/data/kbo.ts';
import { recognitionPathId, type Recognition } from '../../shared/domain/recognitions.ts';
import { recognitionStatusesOnDate, verificationResults, type Verification } from '../../shared/domain/verifications.ts';

const resultDescription = [
  'recognised: erkend en geldig op onDate',
  'notRecognisedOnDate: er is een erkenning voor deze opleiding, maar ze geldt niet op onDate (nog niet begonnen, verlopen, opgeheven of geschorst)',
  'neverRecognised: de vestiging is gekend en actief, maar werd nooit erkend voor deze opleiding',
  'closed: de vestiging of haar onderneming is stopgezet in de KBO (een erkenning wordt nog getoond tot het partnerschap ze opheft)',
  'unknownEstablishment: de KBO kent geen vestiging met dit nummer',
].join('; ');

export const recognitionVerificationView = z.strictObject({
  result: z.enum(verificationResults).describe(resultDescription),
  establishmentNumber: z.string().describe('Het vestigingsnummer zoals gevraagd, bv. 2.123.456.789'),
  programmeId: z.string(),
  onDate: z.string().describe('De datum waarop geantwoord wordt (YYYY-MM-DD); zonder onDate: vandaag'),
  establishment: z
    .strictObject({
      status: z.enum(['active', 'stopped']).describe('Status van de vestiging in de KBO'),
      enterpriseNumber: z.string(),
      enterpriseStatus: z.enum(['active', 'stopped']).nullable().describe('Status van de onderneming in de KBO; null: onbekend'),
    })
    .nullable()
    .describe('null bij unknownEstablishment'),
  recognition: z
    .strictObject({
      recognitionId: z.string().describe('Het id zoals in paden, bv. E-20261112-000001'),
      number: z.string().describe('Het erkenningsnummer, bv. E/20261112/000001'),
      status: z
        .enum(recognitionStatusesOnDate)
        .describe(
          'Op onDate. suspended: actief, maar geen enkele mentor telt (niet actief, ingetrokken of mentoropleiding niet tijdig gevolgd): er kan geen overeenkomst op starten',
        ),
      validFrom: z.string(),
      validUntil: z.string(),
      validOnDate: z.boolean().describe('Actief en geldig op onDate'),
      partnership: z.strictObject({ id: z.string(), name: z.string().nullable() }),
      placeFree: z
        .boolean()
        .describe(
          'Er kan nu een overeenkomst starten: geldig, de onderneming meldt een vrije plaats, de vestiging zit onder het maximum en een mentor heeft plaats (tellers van vandaag)',
        ),
      establishmentFreePlaces: z
        .number()
        .int()
        .nullable()
        .describe('Vrije plaatsen van de vestiging volgens het maximum van het partnerschap; null: geen maximum'),
    })
    .nullable()
    .describe('De erkenning die voor onDate antwoordt: die welke de datum dekt, anders de laatste ervoor, anders de eerste erna; null als er geen is'),
});

export type VerificationPlace = { placeFree: boolean; establishmentFreePlaces: number | null };

export function recognitionVerification(input: {
  establishmentNumber: string;
  programmeId: string;
  onDate: string;
  establishment: { enterpriseNumber: string; status: 'active' | 'stopped' } | undefined;
  enterpriseStatus: 'active' | 'stopped' | undefined;
  verification: Verification;
  partnershipName: string | null;
  place: VerificationPlace;
}): z.infer<typeof recognitionVerificationView> {
  const { verification } = input;
  const r: Recognition | undefined = verification.recognition;
  return {
    result: verification.result,
    establishmentNumber: input.establishmentNumber,
    programmeId: input.programmeId,
    onDate: input.onDate,
    establishment: input.establishment
      ? { status: input.establishment.status, enterpriseNumber: input.establishment.enterpriseNumber, enterpriseStatus: input.enterpriseStatus ?? null }
      : null,
    recognition:
      r && verification.status
        ? {
            recognitionId: recognitionPathId(r.id),
            number: r.id,
            status: verification.status,
            validFrom: r.startDate,
            validUntil: r.endDate,
            validOnDate: verification.validOnDate,
            partnership: { id: r.partnershipId, name: input.partnershipName },
            placeFree: input.place.placeFree,
            establishmentFreePlaces: input.place.establishmentFreePlaces,
          }
        : null,
  };
}

const address = z.strictObject({ postcode: z.string().nullable(), municipality: z.string().nullable() });

export const enterpriseCandidateView = z.strictObject({
  enterpriseNumber: z.string(),
  status: z.enum(['active', 'stopped']),
  naturalPerson: z.boolean().describe('Onderneming van een natuurlijk persoon: geen namen (persoonsgegevens)'),
  name: z.string().nullable().describe('De naam in de KBO; null voor een onderneming van een natuurlijk persoon'),
  seat: address.nullable().describe('Postcode en gemeente van de maatschappelijke zetel'),
  establishments: z.array(
    z.strictObject({
      establishmentNumber: z.string(),
      status: z.enum(['active', 'stopped']),
      name: z.string().nullable().describe('null voor een onderneming van een natuurlijk persoon'),
      address: address.nullable(),
    }),
  ),
});

export const enterpriseIdentificationView = z.strictObject({
  result: z
    .enum(['ok', 'closed', 'unknown'])
    .describe(
      'ok: gekend en actief (bij een naam: minstens één kandidaat); closed: stopgezet in de KBO (de kandidaat wordt getoond); unknown: de KBO kent dit ondernemingsnummer niet, of geen actieve onderneming past bij de naam op die postcode',
    ),
  candidates: z
    .array(enterpriseCandidateView)
    .describe(
      'Bij een ondernemingsnummer: de onderneming (hoogstens één), met haar vestigingen (bij postcode: enkel die daar). Bij een naam: hoogstens 20 actieve ondernemingen in volgorde van de naam, elk met de vestigingen die op de naam en postcode passen (geen als enkel de zetel past); nooit een onderneming van een natuurlijk persoon',
    ),
  moreCandidates: z
    .boolean()
    .describe('Bij een naam: er passen meer ondernemingen dan getoond; geef meer van de naam. Bij een ondernemingsnummer: altijd false'),
});

/** Of an address only where it is: a street and house number of a sole trader's seat is often their home. */
const placeOf = (a: Address | null) => (a ? { postcode: a.postcode, municipality: a.municipality } : null);

export function enterpriseCandidate(profile: EnterpriseProfile, postcode: string | undefined): z.infer<typeof enterpriseCandidateView> {
  const naturalPerson = profile.typeOfEnterprise === 'naturalPerson';
  return {
    enterpriseNumber: profile.enterpriseNumber,
    status: profile.status,
    naturalPerson,
    name: naturalPerson ? null : profile.name,
    seat: placeOf(profile.seat),
    establishments: profile.establishments
      .filter((e) => postcode === undefined || e.address?.postcode === postcode)
      .map((e) => ({
        establishmentNumber: e.establishmentNumber,
        status: e.status,
        name: naturalPerson ? null : e.name,
        address: placeOf(e.address),
      })),
  };
}
