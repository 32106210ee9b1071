// The small KBO extract the local stage seeds on first start, in the real format: enterprises with
// establishments in Flanders, Brussels and Wallonia, a natural person, a bankrupt company. Invented values with
// valid check digits. The demo users (seed/users.ts) are granted these enterprises.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { importFullExtract } from '../../../functions/kbo-sync/full-import.ts';
import { addressFields, bare, codeLines, csvLine, metaLines, text, writeZip, type AddressSpec } from '../kbo/generator.ts';

type SeedEstablishment = { number: string; name: string; place: AddressSpec; houseNumber: string };
type SeedEnterprise = { number: string; name: string; form: string | null; situation: string; natural?: boolean; seat?: AddressSpec; establishments: SeedEstablishment[] };

const place = (postcode: string, municipalityNL: string, municipalityFR: string, streetNL: string, streetFR = streetNL): AddressSpec => ({ postcode, municipalityNL, municipalityFR, streetNL, streetFR });

export const seedEnterprises: SeedEnterprise[] = [
  {
    number: '0417.390.703', name: 'Mega World', form: '014', situation: '000', seat: place('2220', 'Heist-op-den-Berg', 'Heist-op-den-Berg', 'Bergstraat'),
    establishments: [
      { number: '2.123.456.791', name: 'Mega World Heist-op-den-Berg', place: place('2220', 'Heist-op-den-Berg', 'Heist-op-den-Berg', 'Bergstraat'), houseNumber: '12' },
      { number: '2.300.000.157', name: 'Mega World Brussel', place: place('1000', 'Brussel', 'Bruxelles', 'Wetstraat', 'Rue de la Loi'), houseNumber: '8' },
      { number: '2.199.988.803', name: 'Mega World Namur', place: place('5000', 'Namen', 'Namur', 'Rue de Fer'), houseNumber: '3' },
    ],
  },
  {
    number: '0412.345.614', name: 'Bakkerij Peeters', form: '610', situation: '000', seat: place('9000', 'Gent', 'Gand', 'Kouter'),
    establishments: [
      { number: '2.200.000.184', name: 'Peeters "Het Gouden Brood"', place: place('9000', 'Gent', 'Gand', 'Kouter'), houseNumber: '12' },
      { number: '2.200.000.283', name: 'Boulangerie Peeters Liège', place: place('4000', 'Luik', 'Liège', 'Rue Féronstrée'), houseNumber: '40' },
    ],
  },
  {
    number: '0450.451.271', name: 'Brasserie De Kouter', form: '610', situation: '000', seat: place('8000', 'Brugge', 'Bruges', 'Markt'),
    establishments: [{ number: '2.200.000.382', name: 'Brasserie De Kouter', place: place('8000', 'Brugge', 'Bruges', 'Markt'), houseNumber: '5' }],
  },
  {
    number: '0460.552.337', name: 'Bouwwerken Maes & Zonen', form: '014', situation: '000', seat: place('3500', 'Hasselt', 'Hasselt', 'Kempische Steenweg'),
    establishments: [
      { number: '2.200.000.481', name: 'Bouwwerken Maes werfdepot', place: place('3500', 'Hasselt', 'Hasselt', 'Kempische Steenweg'), houseNumber: '300' },
      { number: '2.200.000.580', name: 'Bouwwerken Maes Leuven', place: place('3000', 'Leuven', 'Louvain', 'Vaartkom'), houseNumber: '2' },
    ],
  },
  {
    number: '1098.765.421', name: 'Janssens, An', form: null, situation: '000', natural: true,
    establishments: [{ number: '2.200.000.679', name: 'Kapsalon An', place: place('2800', 'Mechelen', 'Malines', 'Bruul'), houseNumber: '21' }],
  },
  {
    number: '0712.345.630', name: 'Logistiek Vandamme', form: '014', situation: '050', seat: place('2000', 'Antwerpen', 'Anvers', 'Meir'),
    establishments: [{ number: '2.200.000.778', name: 'Vandamme Distributie', place: place('2030', 'Antwerpen', 'Anvers', 'Noorderlaan'), houseNumber: '147' }],
  },
];

export async function buildSeedZip(path: string): Promise<void> {
  await writeZip(path, {
    meta: metaLines('full', 1, '01-11-2026', '02-11-2026 07:40:18'),
    code: codeLines,
    enterprise: function* () {
      for (const e of seedEnterprises) yield csvLine([text(e.number), text('AC'), text(e.situation), text(e.natural ? '1' : '2'), e.form ? text(e.form) : null, null, bare('03-02-2014')]);
    },
    establishment: function* () {
      for (const e of seedEnterprises) for (const s of e.establishments) yield csvLine([text(s.number), bare('03-02-2014'), text(e.number)]);
    },
    denomination: function* () {
      for (const e of seedEnterprises) {
        yield csvLine([text(e.number), text(e.natural ? '0' : '2'), text('001'), text(e.name)]);
        for (const s of e.establishments) yield csvLine([text(s.number), text('2'), text('003'), text(s.name)]);
      }
    },
    address: function* () {
      for (const e of seedEnterprises) {
        if (e.seat) yield csvLine(addressFields(e.number, 'REGO', e.seat, '1', null));
        for (const s of e.establishments) yield csvLine(addressFields(s.number, 'BAET', s.place, s.houseNumber, null));
      }
    },
    contact: function* () {},
    activity: function* () {},
    branch: function* () {},
  });
}

export async function seedKbo(deps: Dependencies): Promise<{ enterprises: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'werkplekduaal-seed-'));
  try {
    const path = join(dir, 'KboOpenData_0001_2026_11_02_Full.zip');
    await buildSeedZip(path);
    const counts = await importFullExtract(deps, path);
    return { enterprises: counts.enterprises };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
