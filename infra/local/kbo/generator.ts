// Writes synthetic KBO Open Data extracts in the exact published format, for the seed, tests and benchmarks:
// every member at the zip root, header rows, text quoted (embedded quotes doubled), dates dd-mm-yyyy unquoted,
// NULL as an empty unquoted field, valid mod-97 numbers. Deterministic from a seed; streamed, never in memory.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';

/** A text field (quoted), a date or code left bare, or NULL. */
export type Field = { text: string } | { bare: string } | null;
export const text = (value: string): Field => ({ text: value });
export const bare = (value: string): Field => ({ bare: value });

export function csvLine(fields: Field[]): string {
  return `${fields.map((f) => (f === null ? '' : 'text' in f ? `"${f.text.replace(/"/g, '""')}"` : f.bare)).join(',')}\n`;
}
const header = (names: string[]) => csvLine(names.map(text));

export const columns = {
  meta: ['Variable', 'Value'],
  code: ['Category', 'Code', 'Language', 'Description'],
  enterprise: ['EnterpriseNumber', 'Status', 'JuridicalSituation', 'TypeOfEnterprise', 'JuridicalForm', 'JuridicalFormCAC', 'StartDate'],
  establishment: ['EstablishmentNumber', 'StartDate', 'EnterpriseNumber'],
  denomination: ['EntityNumber', 'Language', 'TypeOfDenomination', 'Denomination'],
  address: ['EntityNumber', 'TypeOfAddress', 'CountryNL', 'CountryFR', 'Zipcode', 'MunicipalityNL', 'MunicipalityFR', 'StreetNL', 'StreetFR', 'HouseNumber', 'Box', 'ExtraAddressInfo', 'DateStrikingOff'],
  contact: ['EntityNumber', 'EntityContact', 'ContactType', 'Value'],
  activity: ['EntityNumber', 'ActivityGroup', 'NaceVersion', 'NaceCode', 'Classification'],
  branch: ['Id', 'StartDate', 'EnterpriseNumber'],
} as const;

const check = (base8: string) => `${base8}${String(97 - (Number(base8) % 97)).padStart(2, '0')}`;
export const enterpriseNumber = (i: number) => { const d = check(`0${String(4_000_000 + i).padStart(7, '0')}`); return `${d.slice(0, 4)}.${d.slice(4, 7)}.${d.slice(7)}`; };
export const establishmentNumber = (i: number) => { const d = check(`2${String(i).padStart(7, '0')}`); return `${d[0]}.${d.slice(1, 4)}.${d.slice(4, 7)}.${d.slice(7)}`; };

/** mulberry32: small, fast and deterministic. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type AddressSpec = { postcode: string; municipalityNL: string; municipalityFR: string; streetNL: string; streetFR: string; countryNL?: string; countryFR?: string };
const places: AddressSpec[] = [
  { postcode: '9000', municipalityNL: 'Gent', municipalityFR: 'Gand', streetNL: 'Kouter', streetFR: 'Kouter' },
  { postcode: '2000', municipalityNL: 'Antwerpen', municipalityFR: 'Anvers', streetNL: 'Meir', streetFR: 'Meir' },
  { postcode: '3000', municipalityNL: 'Leuven', municipalityFR: 'Louvain', streetNL: 'Bondgenotenlaan', streetFR: 'Bondgenotenlaan' },
  { postcode: '8000', municipalityNL: 'Brugge', municipalityFR: 'Bruges', streetNL: 'Steenstraat', streetFR: 'Steenstraat' },
  { postcode: '3500', municipalityNL: 'Hasselt', municipalityFR: 'Hasselt', streetNL: 'Demerstraat', streetFR: 'Demerstraat' },
  { postcode: '2220', municipalityNL: 'Heist-op-den-Berg', municipalityFR: 'Heist-op-den-Berg', streetNL: 'Bergstraat', streetFR: 'Bergstraat' },
  { postcode: '1000', municipalityNL: 'Brussel', municipalityFR: 'Bruxelles', streetNL: 'Wetstraat', streetFR: 'Rue de la Loi' },
  { postcode: '1050', municipalityNL: 'Elsene', municipalityFR: 'Ixelles', streetNL: 'Louizalaan', streetFR: 'Avenue Louise' },
  { postcode: '4000', municipalityNL: 'Luik', municipalityFR: 'Liège', streetNL: 'Rue Féronstrée', streetFR: 'Rue Féronstrée' },
  { postcode: '5000', municipalityNL: 'Namen', municipalityFR: 'Namur', streetNL: 'Rue de Fer', streetFR: 'Rue de Fer' },
  { postcode: '59000', municipalityNL: 'Rijsel', municipalityFR: 'Lille', streetNL: 'Rue Nationale', streetFR: 'Rue Nationale', countryNL: 'Frankrijk', countryFR: 'France' },
];
const words = ['Bakkerij', 'Garage', 'Brasserie', 'Bouwwerken', 'Kapsalon', 'Drukkerij', 'Schrijnwerkerij', 'Apotheek', 'Slagerij', 'Logistiek', 'Café', 'Elektro'];
const surnames = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Dubois', 'Lambert'];

export function addressFields(entityNumber: string, type: 'REGO' | 'BAET', place: AddressSpec, houseNumber: string, box: string | null, struckOffOn: string | null = null): Field[] {
  return [text(entityNumber), text(type), place.countryNL ? text(place.countryNL) : null, place.countryFR ? text(place.countryFR) : null, text(place.postcode), text(place.municipalityNL), text(place.municipalityFR), text(place.streetNL), text(place.streetFR), text(houseNumber), text(box ?? ''), text(''), struckOffOn ? bare(struckOffOn) : null];
}

/** The rows of one full extract, file by file, as async line generators. */
export type ExtractFiles = Record<keyof typeof columns, () => AsyncGenerator<string> | Generator<string>>;

export async function writeZip(path: string, files: Partial<Record<keyof typeof columns, () => AsyncGenerator<string> | Generator<string>>>, memberNames: Partial<Record<string, string>> = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const zip = new yazl.ZipFile();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  for (const [name, lines] of Object.entries(files)) {
    const cols = columns[name as keyof typeof columns] ?? columns.enterprise;
    async function* withHeader() {
      yield header([...cols]);
      yield* lines!();
    }
    zip.addReadStream(Readable.from(withHeader()), memberNames[name] ?? `${name}.csv`);
  }
  zip.end();
  await finished(out);
}

export const metaLines = (type: 'full' | 'update', extractNumber: number, snapshotDate: string, timestamp: string) =>
  function* () {
    yield csvLine([text('SnapshotDate'), text(snapshotDate)]);
    yield csvLine([text('ExtractTimestamp'), text(timestamp)]);
    yield csvLine([text('ExtractType'), text(type)]);
    yield csvLine([text('ExtractNumber'), text(String(extractNumber))]);
    yield csvLine([text('Version'), text('1.0.0')]);
  };

export const codeLines = function* () {
  const situations: [string, string, string][] = [['000', 'Normale toestand', 'Situation normale'], ['012', 'Vrijwillige ontbinding – vereffening', 'Dissolution volontaire – liquidation'], ['050', 'Opening faillissement', 'Ouverture de faillite']];
  for (const [code, nl, fr] of situations) {
    yield csvLine([text('JuridicalSituation'), text(code), text('NL'), text(nl)]);
    yield csvLine([text('JuridicalSituation'), text(code), text('FR'), text(fr)]);
  }
  yield csvLine([text('TypeOfAddress'), text('BAET'), text('NL'), text('Vestigingseenheid')]);
  yield csvLine([text('TypeOfAddress'), text('REGO'), text('NL'), text('Zetel')]);
};

const date = (rand: () => number) => `${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${1960 + Math.floor(rand() * 65)}`;

/**
 * A full extract of `enterprises` enterprises: about one in six a natural person (no seat address), each with
 * 0 to 3 establishments, names with commas, quotes and accents, addresses all over Belgium and a few abroad.
 */
export async function generateFullExtract(options: { enterprises: number; seed?: number; path: string; extractNumber?: number }): Promise<{ enterprises: number; establishments: number }> {
  const { enterprises, path } = options;
  const seed = options.seed ?? 1;
  const extractNumber = options.extractNumber ?? 1;
  // Each file is generated from the same seeded sequence, so the files agree without holding anything in memory.
  const perEnterprise = (i: number) => {
    const rand = random(seed * 1_000_003 + i);
    const natural = rand() < 0.16;
    const establishments = Math.floor(rand() * 4);
    const place = places[Math.floor(rand() * places.length)]!;
    const name = natural ? `${surnames[Math.floor(rand() * surnames.length)]}, ${['An', 'Jan', 'Eva', 'Luc', 'Zoë'][Math.floor(rand() * 5)]}` : `${words[Math.floor(rand() * words.length)]} ${surnames[Math.floor(rand() * surnames.length)]}${rand() < 0.1 ? ' "Het Gouden Brood"' : ''}${rand() < 0.05 ? ' & Fils (Liège)' : ''}`;
    return { rand, natural, establishments, place, name, startDate: date(rand), situation: rand() < 0.03 ? '012' : '000', form: natural ? null : ['014', '610', '706', '017'][Math.floor(rand() * 4)]! };
  };
  // Establishment numbers come in blocks of three per enterprise, so every file can compute them alone.
  const establishmentOf = (i: number, k: number) => establishmentNumber(i * 3 + k);
  let establishmentCount = 0;
  await writeZip(path, {
    meta: metaLines('full', extractNumber, '01-11-2026', '02-11-2026 07:40:18'),
    code: codeLines,
    enterprise: function* () {
      for (let i = 0; i < enterprises; i++) {
        const e = perEnterprise(i);
        yield csvLine([text(enterpriseNumber(i)), text('AC'), text(e.situation), text(e.natural ? '1' : '2'), e.form ? text(e.form) : null, null, bare(e.startDate)]);
      }
    },
    establishment: function* () {
      for (let i = 0; i < enterprises; i++) {
        const e = perEnterprise(i);
        for (let k = 0; k < e.establishments; k++) {
          establishmentCount += 1;
          yield csvLine([text(establishmentOf(i, k)), bare(e.startDate), text(enterpriseNumber(i))]);
        }
      }
    },
    denomination: function* () {
      for (let i = 0; i < enterprises; i++) {
        const e = perEnterprise(i);
        yield csvLine([text(enterpriseNumber(i)), text(e.natural ? '0' : '2'), text('001'), text(e.name)]);
        if (!e.natural && e.rand() < 0.3) yield csvLine([text(enterpriseNumber(i)), text('1'), text('003'), text(`${e.name} Société`)]);
        for (let k = 0; k < e.establishments; k++) yield csvLine([text(establishmentOf(i, k)), text('2'), text('003'), text(`${e.name} ${k + 1}`)]);
      }
    },
    address: function* () {
      for (let i = 0; i < enterprises; i++) {
        const e = perEnterprise(i);
        if (!e.natural) yield csvLine(addressFields(enterpriseNumber(i), 'REGO', e.place, String(1 + (i % 200)), i % 7 === 0 ? '2' : null));
        for (let k = 0; k < e.establishments; k++) {
          const place = places[(i + k) % (places.length - 1)]!;
          yield csvLine(addressFields(establishmentOf(i, k), 'BAET', place, String(1 + ((i + k) % 150)), null));
        }
      }
    },
    contact: function* () {},
    activity: function* () {},
    branch: function* () {},
  });
  return { enterprises, establishments: establishmentCount };
}
