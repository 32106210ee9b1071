// Step 4 of a slice on its own (no table): from delta rows and stored collections to writes and changes.
import { describe, expect, it } from 'vitest';
import { addressItem, enterpriseItem, establishmentItem, nameItem, readCollection, type KboItem } from '../../shared/data/kbo.ts';
import type { AddressRow, EstablishmentRow } from '../../shared/domain/kbo.ts';
import { applyRows, type KnownFacts } from './slice-entities.ts';
import type { TouchedEntity } from './slice-rows.ts';

const peeters = { enterpriseDigits: '0412345614', establishmentDigits: null };
const gent = { enterpriseDigits: '0412345614', establishmentDigits: '2123456791' };
const baet = (entityNumber: string, street: string, postcode: string, municipality: string) => ({
  entityNumber,
  typeOfAddress: 'BAET',
  country: null,
  postcode,
  municipality: { nl: municipality, fr: municipality },
  street: { nl: street, fr: street },
  houseNumber: '12',
  box: null,
  extra: null,
  struckOffOn: null,
});
const stored: KboItem[] = [
  enterpriseItem({
    enterpriseNumber: '0412.345.614',
    status: 'active',
    juridicalSituation: '000',
    typeOfEnterprise: '2',
    juridicalForm: '610',
    startDate: '2014-02-03',
    kboExtractNumber: 1,
  }),
  nameItem(peeters, { entityNumber: '0412.345.614', language: '2', type: '001', denomination: 'Bakkerij Peeters' }),
  establishmentItem({ establishmentNumber: '2.123.456.791', enterpriseNumber: '0412.345.614', startDate: '2014-02-03', status: 'active', kboExtractNumber: 1 }),
  nameItem(gent, { entityNumber: '2.123.456.791', language: '2', type: '003', denomination: 'Peeters Gent' }),
  addressItem(gent, baet('2.123.456.791', 'Kouter', '9000', 'Gent')),
];
const addressRow = (street: string, postcode: string, municipality: string): AddressRow => ({
  entity: { kind: 'establishment', number: '2.123.456.791' },
  typeOfAddress: 'BAET',
  countryNL: null,
  countryFR: null,
  zipcode: postcode,
  municipalityNL: municipality,
  municipalityFR: municipality,
  streetNL: street,
  streetFR: street,
  houseNumber: '12',
  box: null,
  extraAddressInfo: null,
  dateStrikingOff: null,
});
const touched = (over: Partial<TouchedEntity>): TouchedEntity => ({
  kind: 'establishment',
  number: '2.123.456.791',
  digits: '2123456791',
  deleted: new Set(),
  enterpriseRow: undefined,
  establishmentRow: undefined,
  names: [],
  addresses: [],
  ...over,
});
const facts = (over: Partial<KnownFacts> = {}): KnownFacts => ({
  extractNumber: 2,
  homeOf: new Map([
    ['2123456791', '0412345614'],
    ['0412345614', '0412345614'],
  ]),
  knownOwners: new Set(),
  collections: new Map([['0412345614', readCollection(stored)]]),
  stoppingEnterprises: new Set(),
  ...over,
});

describe('applying the rows of a slice to known entities', () => {
  it('moves an address: the new address item, and a change for the establishment', () => {
    const moved = touched({ deleted: new Set(['address']), addresses: [addressRow('Meir', '2000', 'Antwerpen')] });
    const outcome = applyRows([moved], facts());
    expect(outcome.deletes).toEqual([]);
    expect(outcome.puts).toEqual([addressItem(gent, baet('2.123.456.791', 'Meir', '2000', 'Antwerpen'))]);
    expect(outcome.changes).toEqual([
      {
        change: expect.objectContaining({
          kind: 'addressChanged',
          oldAddress: expect.objectContaining({ street: 'Kouter' }),
          newAddress: expect.objectContaining({ street: 'Meir' }),
        }),
        establishments: ['2123456791'],
      },
    ]);
    expect(outcome).toMatchObject({ entitiesApplied: 1, unknownEntities: 0, itemsUnchanged: 0 });
  });

  it('writes nothing and reports nothing for a restated address', () => {
    const restated = touched({ deleted: new Set(['address']), addresses: [addressRow('Kouter', '9000', 'Gent')] });
    expect(applyRows([restated], facts())).toMatchObject({ puts: [], deletes: [], changes: [], itemsUnchanged: 1 });
  });

  it('keeps a stopping enterprise as stopped and reports one stop for its establishments', () => {
    const outcome = applyRows(
      [touched({ kind: 'enterprise', number: '0412.345.614', digits: '0412345614', deleted: new Set(['self', 'denomination']) })],
      facts(),
    );
    expect(outcome.puts).toEqual([expect.objectContaining({ kind: 'enterprise', status: 'stopped', kboExtractNumber: 2 })]);
    expect(outcome.changes).toEqual([{ change: expect.objectContaining({ kind: 'stopped' }), establishments: ['2123456791'] }]);
  });

  it('moves an establishment to another enterprise: its items change collection, with a change for it', () => {
    const row: EstablishmentRow = { establishmentNumber: '2.123.456.791', startDate: '2014-02-03', enterpriseNumber: '0417.390.703' };
    const outcome = applyRows([touched({ deleted: new Set(['self']), establishmentRow: row })], facts());
    expect(outcome.deletes.map((d) => d.pk)).toEqual([stored[2]!.pk, stored[3]!.pk, stored[4]!.pk]);
    expect(outcome.puts.map((p) => p.kind)).toEqual(['establishment', 'establishmentHome', 'name', 'address']);
    expect(outcome.puts.every((p) => p.pk !== stored[2]!.pk)).toBe(true);
    expect(outcome.changes.map((c) => c.change.kind)).toEqual(['movedToEnterprise']);
  });

  it('adds a new establishment of a known enterprise and skips what the table does not know', () => {
    const row: EstablishmentRow = { establishmentNumber: '2.200.000.184', startDate: '2026-01-01', enterpriseNumber: '0412.345.614' };
    const added = touched({ number: '2.200.000.184', digits: '2200000184', establishmentRow: row });
    const unknown = touched({ kind: 'enterprise', number: '0417.390.703', digits: '0417390703', deleted: new Set(['self']) });
    const outcome = applyRows([added, unknown], facts({ knownOwners: new Set(['0412345614']) }));
    expect(outcome.puts.map((p) => p.kind)).toEqual(['establishment', 'establishmentHome']);
    expect(outcome).toMatchObject({ entitiesApplied: 1, unknownEntities: 1, changes: [] });
  });
});
