// KBO Open Data rows, and what we keep of them. Pure; no AWS imports.
// The format is described in ../../../shared/kbo-open-data.md (the cookbook facts this code relies on).
import * as z from 'zod';
import { parseEnterpriseNumber, parseEstablishmentNumber } from './identifiers.ts';

// ---------------------------------------------------------------------------------------------------------
// Rows as the reader yields them: column values with NULL as null, dates already `YYYY-MM-DD`, numbers in
// their formatted form and checked (mod 97) where they are official numbers.

export type ExtractType = 'full' | 'update';

export type KboMeta = {
  /** `YYYY-MM-DD`: the day the data describes. */
  snapshotDate: string;
  /** `YYYY-MM-DDTHH:MM:SS`, Belgian local time as KBO writes it (no zone in the file). */
  extractTimestamp: string;
  extractType: ExtractType;
  extractNumber: number;
  version: string | null;
};

export type EnterpriseRow = {
  enterpriseNumber: string;
  status: string;
  juridicalSituation: string;
  typeOfEnterprise: string;
  juridicalForm: string | null;
  juridicalFormCac: string | null;
  startDate: string | null;
};

export type EstablishmentRow = { establishmentNumber: string; startDate: string | null; enterpriseNumber: string };

/** Denomination and address rows name an enterprise, an establishment or a branch (whose Id is not an official number). */
export type EntityRef = { kind: 'enterprise' | 'establishment' | 'branch'; number: string };

export type DenominationRow = { entity: EntityRef; language: string; typeOfDenomination: string; denomination: string };

export type AddressRow = {
  entity: EntityRef;
  typeOfAddress: string;
  countryNL: string | null;
  countryFR: string | null;
  zipcode: string | null;
  municipalityNL: string | null;
  municipalityFR: string | null;
  streetNL: string | null;
  streetFR: string | null;
  houseNumber: string | null;
  box: string | null;
  extraAddressInfo: string | null;
  dateStrikingOff: string | null;
};

/** Which entity a number is: enterprise `0`/`1` and establishment `2`-`8` are checked; branch Ids `9` are not (they are not official). */
export function classifyEntityNumber(value: string): EntityRef | { kind: 'invalid'; reason: string } {
  const digits = value.replace(/[\s./-]/g, '');
  if (/^9\d{9}$/.test(digits)) return { kind: 'branch', number: value };
  // Ten digits from 2 up are establishments; an old nine-digit enterprise number (`412345614`) gets its leading 0.
  if (digits.length === 10 && /^[2-8]/.test(digits)) {
    const parsed = parseEstablishmentNumber(value);
    return parsed.ok ? { kind: 'establishment', number: parsed.value } : { kind: 'invalid', reason: parsed.reason };
  }
  const parsed = parseEnterpriseNumber(value);
  return parsed.ok ? { kind: 'enterprise', number: parsed.value } : { kind: 'invalid', reason: parsed.reason };
}

// ---------------------------------------------------------------------------------------------------------
// Codes.

export type DenominationLanguage = 'unknown' | 'fr' | 'nl' | 'de' | 'en';
export type DenominationType = 'name' | 'abbreviation' | 'commercialName' | 'branchName';

/** Denomination languages use their own coding (not the NL/FR of code.csv): 0 unknown, 1 FR, 2 NL, 3 DE, 4 EN. */
export const denominationLanguages: Record<string, DenominationLanguage> = { '0': 'unknown', '1': 'fr', '2': 'nl', '3': 'de', '4': 'en' };
export const denominationTypes: Record<string, DenominationType> = { '001': 'name', '002': 'abbreviation', '003': 'commercialName', '004': 'branchName' };

export type TypeOfEnterprise = 'unknown' | 'naturalPerson' | 'legalPerson';
export const enterpriseTypes: Record<string, TypeOfEnterprise> = { '0': 'unknown', '1': 'naturalPerson', '2': 'legalPerson' };

export type EntityStatus = 'active' | 'stopped';

/** Open Data only lists active entities (`AC`); the XML extracts also know `ST` (stopped) and `AN` (cancelled). */
export const entityStatus = (code: string | null): EntityStatus => (code === 'ST' || code === 'AN' ? 'stopped' : 'active');

export type JuridicalSituationClass = 'normal' | 'mergerOrSplit' | 'reorganisation' | 'dissolvedOrLiquidation' | 'bankruptcy' | 'closed' | 'unknown';

/** Our grouping of the 40 juridical-situation codes (the grouping is ours, not KBO's). */
export const juridicalSituationClasses: Record<Exclude<JuridicalSituationClass, 'unknown'>, readonly string[]> = {
  normal: ['000', '001', '002', '003', '020', '090', '100'],
  mergerOrSplit: ['021', '022', '023', '024', '025', '026'],
  reorganisation: ['030', '031', '040', '041', '042', '043', '091'],
  dissolvedOrLiquidation: ['010', '012', '013', '112'],
  bankruptcy: ['048', '049', '050'],
  closed: ['006', '011', '014', '015', '016', '017', '018', '019', '051', '052', '053', '111', '999'],
};

const classOfCode = new Map<string, JuridicalSituationClass>(
  Object.entries(juridicalSituationClasses).flatMap(([cls, codes]) => codes.map((code) => [code, cls as JuridicalSituationClass] as const)),
);

/** The class of a juridical-situation code; a code outside the 40 known ones is `unknown`, not an error. */
export function juridicalSituationClass(code: string | null | undefined): JuridicalSituationClass {
  return (code && classOfCode.get(code)) || 'unknown';
}

// ---------------------------------------------------------------------------------------------------------
// What we keep: records without keys (shared/data/kbo.ts adds the keys).

export type EnterpriseRecord = {
  enterpriseNumber: string;
  status: EntityStatus;
  juridicalSituation: string;
  /** The KBO code (`0`, `1`, `2`); enterpriseTypes names it. */
  typeOfEnterprise: string;
  juridicalForm: string | null;
  startDate: string | null;
  kboExtractNumber: number;
};

export type EstablishmentRecord = {
  establishmentNumber: string;
  enterpriseNumber: string;
  startDate: string | null;
  status: EntityStatus;
  kboExtractNumber: number;
};

/** A denomination with its KBO codes: language `0`-`4`, type `001`-`004`. */
export type NameRecord = { entityNumber: string; language: string; type: string; denomination: string };

export type AddressRecord = {
  entityNumber: string;
  typeOfAddress: string;
  /** null for Belgium. */
  country: string | null;
  postcode: string | null;
  municipality: { nl: string | null; fr: string | null };
  street: { nl: string | null; fr: string | null };
  houseNumber: string | null;
  box: string | null;
  extra: string | null;
  struckOffOn: string | null;
};

export const toEnterpriseRecord = (row: EnterpriseRow, kboExtractNumber: number): EnterpriseRecord => ({
  enterpriseNumber: row.enterpriseNumber,
  status: entityStatus(row.status),
  juridicalSituation: row.juridicalSituation,
  typeOfEnterprise: row.typeOfEnterprise,
  juridicalForm: row.juridicalForm,
  startDate: row.startDate,
  kboExtractNumber,
});

/** An establishment listed in an extract is active: Open Data drops stopped ones (the sync marks them stopped). */
export const toEstablishmentRecord = (row: EstablishmentRow, kboExtractNumber: number): EstablishmentRecord => ({
  establishmentNumber: row.establishmentNumber,
  enterpriseNumber: row.enterpriseNumber,
  startDate: row.startDate,
  status: 'active',
  kboExtractNumber,
});

export const toNameRecord = (row: DenominationRow): NameRecord => ({
  entityNumber: row.entity.number,
  language: row.language,
  type: row.typeOfDenomination,
  denomination: row.denomination,
});

export const toAddressRecord = (row: AddressRow): AddressRecord => ({
  entityNumber: row.entity.number,
  typeOfAddress: row.typeOfAddress,
  country: row.countryNL ?? row.countryFR,
  postcode: row.zipcode,
  municipality: { nl: row.municipalityNL, fr: row.municipalityFR },
  street: { nl: row.streetNL, fr: row.streetFR },
  houseNumber: row.houseNumber,
  box: row.box,
  extra: row.extraAddressInfo,
  struckOffOn: row.dateStrikingOff,
});

// ---------------------------------------------------------------------------------------------------------
// Presentation.

/** An address as the API shows it: Dutch text where KBO has it, French otherwise. The one schema of an address. */
export const addressSchema = z.object({
  street: z.string().nullable(),
  houseNumber: z.string().nullable(),
  box: z.string().nullable(),
  postcode: z.string().nullable(),
  municipality: z.string().nullable(),
  country: z.string().nullable().describe('null voor België'),
  extraAddressInfo: z.string().nullable().describe('Bijkomende adresinformatie uit de KBO (ExtraAddressInfo), bv. een ingang of gebouw'),
  struckOffOn: z.string().nullable(),
});
export type Address = z.output<typeof addressSchema>;

/** The address that places an entity: the seat (REGO) of an enterprise, the address (BAET) of an establishment. */
export const mainAddressType = (kind: 'enterprise' | 'establishment') => (kind === 'enterprise' ? 'REGO' : 'BAET');

export const presentAddress = (record: AddressRecord): Address => ({
  street: record.street.nl ?? record.street.fr,
  houseNumber: record.houseNumber,
  box: record.box,
  postcode: record.postcode,
  municipality: record.municipality.nl ?? record.municipality.fr,
  country: record.country,
  extraAddressInfo: record.extra ?? null,
  struckOffOn: record.struckOffOn,
});

/** A name with both its codes and their meaning; `language`/`type` are the readable forms. */
export type KboName = { language: string; type: string; value: string; languageCode: string; typeCode: string };

export const describeName = (record: { language: string; type: string; denomination: string }): KboName => ({
  language: denominationLanguages[record.language] ?? 'unknown',
  type: denominationTypes[record.type] ?? 'other',
  value: record.denomination,
  languageCode: record.language,
  typeCode: record.type,
});

// Dutch first (the counter serves Flanders), then French, German, English, unknown.
const languagePreference = ['2', '1', '3', '4', '0'];
// The legal name first, then the commercial name, the abbreviation, a branch name.
const typePreference = ['001', '003', '002', '004'];
const rankOf = (list: string[], code: string) => {
  const index = list.indexOf(code);
  return index === -1 ? list.length : index;
};

/**
 * The name to show: the Dutch legal name, then a legal name in another language, then a commercial name
 * (Dutch first), then the rest. Ties are broken on the text so the choice never depends on item order.
 */
export function displayName(names: readonly KboName[]): string | null {
  let best: KboName | undefined;
  const compare = (a: KboName, b: KboName) =>
    rankOf(typePreference, a.typeCode) - rankOf(typePreference, b.typeCode) ||
    rankOf(languagePreference, a.languageCode) - rankOf(languagePreference, b.languageCode) ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  for (const name of names) if (!best || compare(name, best) < 0) best = name;
  return best?.value ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// The name search (GET /v1/verifications/enterprises?name=&postcode=).

/**
 * A name as the name search compares it: lowercase, accents and other marks stripped (compatibility forms too,
 * so a ligature or a full-width letter is the plain letter), and every run of characters that are not letters or
 * digits one space, trimmed. "Brasserie L'Étoile B.V." is "brasserie l etoile b v".
 */
export function searchableName(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A name search needs this many characters after normalising: one letter would read half a postcode's entities. */
export const searchableNameMinimum = 2;

/**
 * Whether an entity is in the name index, and under what: its main name (displayName) at the postcode of its main
 * address (the seat of an enterprise, the address of an establishment), in Belgium. Never an enterprise of a
 * natural person: its names are the person's own. Stopped entities stay indexed (the sync's stop keeps the item
 * as it was) and are left out when read.
 */
export function nameIndexEntry(entity: {
  typeOfEnterprise?: string;
  names: readonly KboName[];
  mainAddress: Pick<AddressRecord, 'country' | 'postcode'> | undefined;
}): { postcode: string; name: string } | undefined {
  if (entity.typeOfEnterprise === naturalPersonCode) return undefined;
  const postcode = entity.mainAddress?.country === null ? entity.mainAddress.postcode : null;
  const name = searchableName(displayName(entity.names) ?? '');
  return postcode && name ? { postcode, name } : undefined;
}

/** The KBO code of an enterprise of a natural person (TypeOfEnterprise 1). */
const naturalPersonCode = '1';

/**
 * Whether a name search may answer an enterprise, however it was found (its seat or one of its establishments):
 * active, and not of a natural person.
 */
export const answersNameSearch = (enterprise: { status: unknown; typeOfEnterprise: unknown }): boolean =>
  enterprise.status !== 'stopped' && enterprise.typeOfEnterprise !== naturalPersonCode;
