// Step 3 of a slice on its own (no table): from delta rows and stored entity items to writes and changes.
import { describe, expect, it } from 'vitest';
import { enterpriseItem, establishmentItem, establishmentsOfItem, type KboItem } from '../../shared/data/kbo.ts';
import * as keys from '../../shared/data/keys.ts';
import type { AddressRow, EstablishmentRow } from '../../shared/domain/kbo.ts';
import { applyRows, ownersToRead, routeChanges, routingLists, type KnownFacts } from './slice-entities.ts';
import type { TouchedEntity } from './slice-rows.ts';

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
const gentRecord = {
  establishmentNumber: '2.123.456.791',
  enterpriseNumber: '0412.345.614',
  startDate: '2014-02-03',
  status: 'active' as const,
  kboExtractNumber: 1,
};
const gentName = { language: '2', type: '003', denomination: 'Peeters Gent' };
const peeters: KboItem = enterpriseItem(
  {
    enterpriseNumber: '0412.345.614',
    status: 'active',
    juridicalSituation: '000',
    typeOfEnterprise: '2',
    juridicalForm: '610',
    startDate: '2014-02-03',
    kboExtractNumber: 1,
  },
  [{ language: '2', type: '001', denomination: 'Bakkerij Peeters' }],
  [],
  ['2123456791'],
);
const megaWorld: KboItem = enterpriseItem({ ...peeters, enterpriseNumber: '0417.390.703' } as never, [], [], ['2200000382']);
const gent: KboItem = establishmentItem(gentRecord, [gentName], [baet('2.123.456.791', 'Kouter', '9000', 'Gent')]);
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
  stored: new Map([
    ['2123456791', gent],
    ['0412345614', peeters],
  ]),
  owners: new Map(),
  stoppingEnterprises: new Set(),
  ...over,
});

describe('applying the rows of a slice to known entities', () => {
  it('moves an address: the establishment item once, with the new address and its name, and a change for the establishment', () => {
    const moved = touched({ deleted: new Set(['address']), addresses: [addressRow('Meir', '2000', 'Antwerpen')] });
    const outcome = applyRows([moved], facts());
    expect(outcome.puts).toEqual([establishmentItem({ ...gentRecord, kboExtractNumber: 2 }, [gentName], [baet('2.123.456.791', 'Meir', '2000', 'Antwerpen')])]);
    expect(routeChanges(outcome.changes, new Map())).toEqual([
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
    expect(applyRows([restated], facts())).toMatchObject({ puts: [], changes: [], itemsUnchanged: 1 });
  });

  it('keeps a stopping enterprise as stopped and reports one stop for its establishments', () => {
    const outcome = applyRows(
      [touched({ kind: 'enterprise', number: '0412.345.614', digits: '0412345614', deleted: new Set(['self', 'denomination']) })],
      facts(),
    );
    expect(outcome.puts).toEqual([expect.objectContaining({ kind: 'enterprise', status: 'stopped', kboExtractNumber: 2 })]);
    // The enterprise's establishments come from the list on its stored item: no request of their own.
    expect(routeChanges(outcome.changes, routingLists(outcome.changes, facts().stored))).toEqual([
      { change: expect.objectContaining({ kind: 'stopped' }), establishments: ['2123456791'] },
    ]);
  });

  it("moves an establishment to another enterprise: one write at the same key, in the new enterprise's gsi1 partition, with a change for it; each enterprise's list changes with one write", () => {
    const row: EstablishmentRow = { establishmentNumber: '2.123.456.791', startDate: '2014-02-03', enterpriseNumber: '0417.390.703' };
    const moving = touched({ deleted: new Set(['self']), establishmentRow: row });
    const leaving = touched({ kind: 'enterprise', number: '0412.345.614', digits: '0412345614', deleted: new Set(['denomination']) });
    const known = facts();
    // The old enterprise is touched by the chunk itself (a name removed): one write carries both changes.
    expect(ownersToRead([moving, leaving], known.stored)).toEqual(['0417390703']);
    const outcome = applyRows([moving, leaving], { ...known, owners: new Map([['0417390703', megaWorld]]) });
    expect(outcome.puts.map((p) => [p.pk, establishmentsOfItem(p)])).toEqual([
      [gent.pk, []],
      [peeters.pk, []],
      [megaWorld.pk, ['2123456791', '2200000382']],
    ]);
    expect(outcome).toMatchObject({ entitiesApplied: 3, itemsUnchanged: 0 });
    expect(outcome.puts[0]).toEqual(
      expect.objectContaining({
        pk: gent.pk,
        sk: gent.sk,
        gsi1pk: keys.enterprise.index('0417390703'),
        enterpriseNumber: '0417.390.703',
        names: [gentName],
        addresses: gent.addresses,
      }),
    );
    expect(outcome.changes.map((c) => c.change.kind)).toEqual(['movedToEnterprise']);
  });

  it("adds a new establishment of a known enterprise to the enterprise's list and skips what the table does not know", () => {
    const row: EstablishmentRow = { establishmentNumber: '2.200.000.184', startDate: '2026-01-01', enterpriseNumber: '0412.345.614' };
    const added = touched({ number: '2.200.000.184', digits: '2200000184', establishmentRow: row });
    const unknown = touched({ kind: 'enterprise', number: '0417.390.703', digits: '0417390703', deleted: new Set(['self']) });
    const stored = new Map([['2123456791', gent]]);
    expect(ownersToRead([added, unknown], stored)).toEqual(['0412345614']);
    const outcome = applyRows([added, unknown], facts({ stored, owners: new Map([['0412345614', peeters]]) }));
    expect(outcome.puts).toEqual([
      establishmentItem({ ...row, status: 'active', kboExtractNumber: 2 }),
      { ...peeters, establishmentNumbers: ['2123456791', '2200000184'], kboExtractNumber: 2 },
    ]);
    expect(outcome).toMatchObject({ entitiesApplied: 2, unknownEntities: 1, changes: [] });
  });
});
