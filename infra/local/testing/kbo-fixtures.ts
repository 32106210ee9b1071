// Minimal KBO items for handler tests, built by the KBO repository's item builders (keys: shared/data/keys.ts),
// and the recognitions the KBO tests put on its establishments.
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { enterpriseItem, establishmentItem, writeItems, type KboItem } from '../../../shared/data/kbo.ts';
import { recognitionItem, recognitionLinkUpdate, type Recognition } from '../../../shared/data/recognitions.ts';
import { formatEnterpriseNumber, formatEstablishmentNumber, kboDigits, mod97Check } from '../../../shared/domain/identifiers.ts';
import type { AddressRecord } from '../../../shared/domain/kbo.ts';

export type FixtureEstablishment = { number: string; name: string; postcode: string; municipality: string; street?: string; status?: 'active' | 'stopped' };

const address = (entityNumber: string, postcode: string, municipality: string, street = 'Stationsstraat', typeOfAddress = 'BAET'): AddressRecord => ({
  entityNumber,
  typeOfAddress,
  country: null,
  postcode,
  municipality: { nl: municipality, fr: municipality },
  street: { nl: street, fr: street },
  houseNumber: '1',
  box: null,
  extra: null,
  struckOffOn: null,
});

/** A valid KBO number from its first 8 digits (0/1: an enterprise, 2-8: an establishment), formatted. */
export function kboNumberFixture(first8: string): string {
  const digits = `${first8}${String(mod97Check(BigInt(first8))).padStart(2, '0')}`;
  return /^[01]/.test(digits) ? formatEnterpriseNumber(digits) : formatEstablishmentNumber(digits);
}

/** A fixture enterprise: without a seat (most handler tests need none), or with one (REGO) at a postcode. */
export type FixtureEnterprise = { number: string; name: string; establishments: FixtureEstablishment[]; seat?: { postcode: string; municipality: string } };

export async function putEnterprise(deps: Dependencies, enterprise: FixtureEnterprise): Promise<void> {
  const items: KboItem[] = [
    enterpriseItem(
      {
        enterpriseNumber: enterprise.number,
        status: 'active',
        juridicalSituation: '000',
        typeOfEnterprise: '2',
        juridicalForm: '014',
        startDate: '2000-01-01',
        kboExtractNumber: 1,
      },
      [{ language: '2', type: '001', denomination: enterprise.name }],
      enterprise.seat ? [address(enterprise.number, enterprise.seat.postcode, enterprise.seat.municipality, 'Kerkstraat', 'REGO')] : [],
      enterprise.establishments.map((e) => kboDigits(e.number)),
    ),
  ];
  for (const est of enterprise.establishments) {
    items.push(
      establishmentItem(
        {
          establishmentNumber: est.number,
          enterpriseNumber: enterprise.number,
          startDate: '2000-01-01',
          status: est.status ?? 'active',
          kboExtractNumber: 1,
        },
        [{ language: '2', type: '001', denomination: est.name }],
        [address(est.number, est.postcode, est.municipality, est.street)],
      ),
    );
  }
  await writeItems(deps, items);
}

/** Mega World (0417.390.703) as most handler tests know it: three establishments in Flanders. */
export const megaWorld = {
  number: '0417.390.703',
  name: 'Mega World',
  establishments: [
    { number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' },
    { number: '2.200.000.382', name: 'Mega World Leuven', postcode: '3000', municipality: 'Leuven' },
    { number: '2.200.000.481', name: 'Mega World Hasselt', postcode: '3500', municipality: 'Hasselt' },
  ],
};

/** An active recognition for the KBO tests; `n` makes its id (E/20260101/<n>) and its application id. */
export function recognitionFixture(n: number, over: Partial<Recognition> = {}): Recognition {
  return {
    id: `E/20260101/${String(n).padStart(6, '0')}`,
    applicationId: `01J${String(n).padStart(23, '0')}`,
    enterpriseNumber: '0412.345.614',
    establishmentNumber: '2.123.456.791',
    programmeId: 'verkoper-duaal',
    partnershipId: 'horeca',
    startDate: '2026-01-01',
    endDate: '2030-12-31',
    status: 'active',
    mentors: [],
    pendingMentors: [],
    placeAvailable: true,
    contactEmails: ['hr@example.test'],
    revocation: null,
    workplace: { name: 'Werkplek', postcode: '9000', municipality: 'Gent', sector: 'handel', programmeName: 'Verkoper' },
    decidedBy: 'test',
    decidedAt: '2026-01-01T10:00:00Z',
    version: 1,
    ...over,
  };
}

/** Stores recognitions with their link to the establishment, as a decision does: what the KBO sync reads. */
export async function putRecognitions(deps: Dependencies, recognitions: readonly Recognition[]): Promise<void> {
  for (const r of recognitions) {
    await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: recognitionItem(r) }));
    await deps.db.send(new UpdateCommand(recognitionLinkUpdate(deps.config.TABLE_NAME, r)));
  }
}
