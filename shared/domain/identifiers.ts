import { electronicFormatIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools';

// Belgian identifiers. Pure functions, no AWS imports.
// Every function accepts input with or without separators and returns the official formatted form.

export type IdentifierResult = { ok: true; value: string } | { ok: false; reason: string };

const digitsOnly = (input: string): string => input.replace(/[\s./-]/g, '');

/** 97 - (n mod 97), where a remainder of 0 gives 97: the KBO and national-number check. */
export const mod97Check = (n: bigint): number => 97 - Number(n % 97n);

function checkKboNumber(input: string, firstDigits: RegExp, label: string): IdentifierResult {
  const digits = digitsOnly(input);
  if (!/^\d+$/.test(digits)) return { ok: false, reason: `${label} bevat andere tekens dan cijfers` };
  // Old 9-digit enterprise numbers get a leading 0.
  const normalised = digits.length === 9 && label === 'ondernemingsnummer' ? `0${digits}` : digits;
  if (normalised.length !== 10) return { ok: false, reason: `${label} moet 10 cijfers hebben` };
  if (!firstDigits.test(normalised[0]!)) return { ok: false, reason: `${label} begint met een ongeldig cijfer` };
  const check = Number(normalised.slice(8));
  if (mod97Check(BigInt(normalised.slice(0, 8))) !== check) {
    return { ok: false, reason: `${label} heeft een ongeldig controlegetal` };
  }
  return { ok: true, value: normalised };
}

/** Enterprise number `0xxx.xxx.xxx` / `1xxx.xxx.xxx`. Returns the formatted form. */
export function parseEnterpriseNumber(input: string): IdentifierResult {
  const r = checkKboNumber(input, /[01]/, 'ondernemingsnummer');
  return r.ok ? { ok: true, value: formatEnterpriseNumber(r.value) } : r;
}

/** Establishment number `2.xxx.xxx.xxx` (first digit 2 to 8). Returns the formatted form. */
export function parseEstablishmentNumber(input: string): IdentifierResult {
  const r = checkKboNumber(input, /[2-8]/, 'vestigingsnummer');
  return r.ok ? { ok: true, value: formatEstablishmentNumber(r.value) } : r;
}

export const formatEnterpriseNumber = (digits: string): string => `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7, 10)}`;

export const formatEstablishmentNumber = (digits: string): string => `${digits.slice(0, 1)}.${digits.slice(1, 4)}.${digits.slice(4, 7)}.${digits.slice(7, 10)}`;

/** The 10 digits without dots, as used in keys. */
export const kboDigits = (formatted: string): string => formatted.replace(/\./g, '');

export type NationalNumberKind = 'national' | 'bis';
export type NationalNumber = {
  /** Formatted `YY.MM.DD-XXX.CC`. */
  value: string;
  kind: NationalNumberKind;
  /** `YYYY-MM-DD` when the number encodes a full date; undefined when the date is unknown (day or month 00). */
  birthDate: string | undefined;
};
export type NationalNumberResult = { ok: true; value: NationalNumber } | { ok: false; reason: string };

/**
 * National number (rijksregisternummer) or INSZ/BIS number: YYMMDD + counter + 2 check digits.
 * For births from 2000 the check is computed over `2` followed by the first 9 digits.
 * BIS numbers add 20 (sex unknown) or 40 (sex known) to the month.
 */
export function parseNationalNumber(input: string): NationalNumberResult {
  const digits = digitsOnly(input);
  if (!/^\d{11}$/.test(digits)) return { ok: false, reason: 'rijksregisternummer moet 11 cijfers hebben' };
  const base = digits.slice(0, 9);
  const check = Number(digits.slice(9));
  const before2000 = mod97Check(BigInt(base)) === check;
  const from2000 = mod97Check(BigInt(`2${base}`)) === check;
  if (!before2000 && !from2000) return { ok: false, reason: 'rijksregisternummer heeft een ongeldig controlegetal' };

  const yy = Number(digits.slice(0, 2));
  let month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  let kind: NationalNumberKind = 'national';
  if (month >= 40) {
    kind = 'bis';
    month -= 40;
  } else if (month >= 20) {
    kind = 'bis';
    month -= 20;
  }
  if (month > 12 || day > 31) return { ok: false, reason: 'rijksregisternummer bevat geen geldige geboortedatum' };

  let birthDate: string | undefined;
  if (month !== 0 && day !== 0) {
    const year = (from2000 && !before2000 ? 2000 : 1900) + yy;
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return { ok: false, reason: 'rijksregisternummer bevat geen geldige geboortedatum' };
    }
    birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  const value = `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}-${digits.slice(6, 9)}.${digits.slice(9)}`;
  return { ok: true, value: { value, kind, birthDate } };
}

/** Age in whole years on a calendar date (`YYYY-MM-DD`); born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

/** Masks a national number for parties who may not see it in full: `YY.MM.DD-XXX.CC` -> `YY.MM.DD-***.**`. */
export const maskNationalNumber = (formatted: string): string => `${formatted.slice(0, 9)}***.**`;

/** Exactly what maskNationalNumber shows: a reader sending back what it read. */
export const isMaskedNationalNumber = (value: string): boolean => /^\d{2}\.\d{2}\.\d{2}-\*{3}\.\*{2}$/.test(value);

/** A masked national number sent back as it was read: it stands for the number stored for that person. */
export type MaskedNationalNumber = { masked: string };

/** The field-error code of a masked value that stands for no stored value (README "Masked values"). */
export const maskedValueUnknown = 'masked-value-unknown';

/**
 * Belgian IBAN: ibantools checks ISO 13616 mod 97-10 and the Belgian national check
 * (first 10 account digits mod 97, 0 read as 97). Returns the electronic form `BE68539007547034`.
 */
export function parseBelgianIban(input: string): IdentifierResult {
  const compact = electronicFormatIBAN(input) ?? '';
  if (!compact.startsWith('BE')) return { ok: false, reason: 'IBAN moet een Belgisch rekeningnummer zijn (BE gevolgd door 14 cijfers)' };
  if (!isValidIBAN(compact)) return { ok: false, reason: 'IBAN is geen geldig Belgisch rekeningnummer (controlegetal)' };
  return { ok: true, value: compact };
}

export const formatIban = (compact: string): string => friendlyFormatIBAN(compact) ?? compact;

/**
 * A national number as people write it: 11 digits, with or without the dots, dash or spaces of
 * `yy.mm.dd-xxx.cc`. Enterprise and establishment numbers have 10 digits and do not match.
 */
const nationalNumberInText = /(?<![\dA-Za-z.])\d{2}[. ]?\d{2}[. ]?\d{2}[- ]?\d{3}[. ]?\d{2}(?![\dA-Za-z])/g;
/**
 * An IBAN as people write it, with or without spaces: country, check digits, a bank code of four letters or
 * digits, then digits in groups of four. Digits only after the bank code, so the word after an IBAN is never
 * taken for part of it.
 */
const ibanInText = /\b[A-Z]{2}\d{2} ?[A-Z0-9]{4}(?: ?\d{4}){1,6}(?: ?\d{1,3})?\b/gi;

/**
 * Free text that leaves the file it was typed in (an e-mail, a history entry the other party reads) never
 * carries a national number or an account number, even when someone typed one into a reason: they are
 * replaced by a placeholder. The fields themselves keep them, for the parties who may see them.
 */
export function redactPersonalNumbers(text: string): string {
  return text.replace(ibanInText, '[rekeningnummer afgeschermd]').replace(nationalNumberInText, '[rijksregisternummer afgeschermd]');
}
