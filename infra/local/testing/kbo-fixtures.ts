// Minimal KBO items for handler tests, in the key scheme of shared/data/README.md.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';

export type FixtureEstablishment = { number: string; name: string; postcode: string; municipality: string; street?: string; status?: 'active' | 'stopped' };

export async function putEnterprise(deps: Dependencies, enterprise: { number: string; name: string; establishments: FixtureEstablishment[] }): Promise<void> {
  const e = enterprise.number.replace(/\./g, '');
  const address = (entityNumber: string, type: string, postcode: string, municipality: string, street = 'Stationsstraat') => ({
    kind: 'address',
    entityNumber,
    typeOfAddress: type,
    country: null,
    postcode,
    municipality: { nl: municipality, fr: municipality },
    street: { nl: street, fr: street },
    houseNumber: '1',
    box: null,
    extra: null,
    struckOffOn: null,
  });
  const items: Record<string, unknown>[] = [
    {
      pk: `ENT#${e}`,
      sk: 'PROFILE',
      kind: 'enterprise',
      enterpriseNumber: enterprise.number,
      status: 'active',
      juridicalSituation: '000',
      typeOfEnterprise: '2',
      juridicalForm: '014',
      startDate: '2000-01-01',
      kboExtractNumber: 1,
    },
    { pk: `ENT#${e}`, sk: 'NAME#001#2#00000000', kind: 'name', entityNumber: enterprise.number, language: '2', type: '001', denomination: enterprise.name },
  ];
  for (const est of enterprise.establishments) {
    const s = est.number.replace(/\./g, '');
    items.push(
      {
        pk: `ENT#${e}`,
        sk: `EST#${s}`,
        gsi1pk: `EST#${s}`,
        gsi1sk: `ENT#${e}`,
        kind: 'establishment',
        establishmentNumber: est.number,
        enterpriseNumber: enterprise.number,
        startDate: '2000-01-01',
        status: est.status ?? 'active',
        kboExtractNumber: 1,
      },
      { pk: `ENT#${e}`, sk: `EST#${s}#NAME#001#2#00000000`, kind: 'name', entityNumber: est.number, language: '2', type: '001', denomination: est.name },
      { pk: `ENT#${e}`, sk: `EST#${s}#ADDR#BAET`, ...address(est.number, 'BAET', est.postcode, est.municipality, est.street) },
    );
  }
  for (let i = 0; i < items.length; i += 25) {
    await deps.db.send(new BatchWriteCommand({ RequestItems: { [deps.config.TABLE_NAME]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
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
