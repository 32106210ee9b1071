// Minimal KBO items for handler tests, built by the KBO repository's item builders (keys: shared/data/keys.ts).
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { addressItem, enterpriseItem, establishmentItem, nameItem, writeItems, type KboItem } from '../../../shared/data/kbo.ts';
import { kboDigits } from '../../../shared/domain/identifiers.ts';
import type { AddressRecord } from '../../../shared/domain/kbo.ts';

export type FixtureEstablishment = { number: string; name: string; postcode: string; municipality: string; street?: string; status?: 'active' | 'stopped' };

const address = (entityNumber: string, postcode: string, municipality: string, street = 'Stationsstraat'): AddressRecord => ({
  entityNumber,
  typeOfAddress: 'BAET',
  country: null,
  postcode,
  municipality: { nl: municipality, fr: municipality },
  street: { nl: street, fr: street },
  houseNumber: '1',
  box: null,
  extra: null,
  struckOffOn: null,
});

export async function putEnterprise(deps: Dependencies, enterprise: { number: string; name: string; establishments: FixtureEstablishment[] }): Promise<void> {
  const enterpriseDigits = kboDigits(enterprise.number);
  const items: KboItem[] = [
    enterpriseItem({
      enterpriseNumber: enterprise.number,
      status: 'active',
      juridicalSituation: '000',
      typeOfEnterprise: '2',
      juridicalForm: '014',
      startDate: '2000-01-01',
      kboExtractNumber: 1,
    }),
    nameItem({ enterpriseDigits, establishmentDigits: null }, { entityNumber: enterprise.number, language: '2', type: '001', denomination: enterprise.name }),
  ];
  for (const est of enterprise.establishments) {
    const owner = { enterpriseDigits, establishmentDigits: kboDigits(est.number) };
    items.push(
      establishmentItem({
        establishmentNumber: est.number,
        enterpriseNumber: enterprise.number,
        startDate: '2000-01-01',
        status: est.status ?? 'active',
        kboExtractNumber: 1,
      }),
      nameItem(owner, { entityNumber: est.number, language: '2', type: '001', denomination: est.name }),
      addressItem(owner, address(est.number, est.postcode, est.municipality, est.street)),
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
