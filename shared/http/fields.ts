// zod fields for the official identifiers: accepted with or without dots, checked with mod 97, handed to
// handlers in one normal form. Used by every context's schemas.
import { z } from 'zod';
import { kboDigits, parseBelgianIban, parseEnterpriseNumber, parseEstablishmentNumber, parseNationalNumber, type NationalNumber } from '../domain/identifiers.ts';

const checked = (parse: (value: string) => { ok: true; value: string } | { ok: false; reason: string }, rule: string, normalise: (v: string) => string = (v) => v) =>
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const parsed = parse(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.reason, params: { rule } });
        return z.NEVER;
      }
      return normalise(parsed.value);
    });

/** Hands the handler the 10 digits, as used in keys. */
export const enterpriseNumberDigits = checked(parseEnterpriseNumber, 'enterprise-number', kboDigits).describe('Ondernemingsnummer, met of zonder punten');
/** Hands the handler the 10 digits, as used in keys. */
export const establishmentNumberDigits = checked(parseEstablishmentNumber, 'establishment-number', kboDigits).describe('Vestigingsnummer, met of zonder punten');
export const iban = checked(parseBelgianIban, 'iban').describe('Belgisch IBAN');

export const nationalNumber = z
  .string()
  .max(20)
  .transform((value, ctx): NationalNumber => {
    const parsed = parseNationalNumber(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason, params: { rule: 'national-number' } });
      return z.NEVER;
    }
    return parsed.value;
  })
  .describe('Rijksregisternummer of INSZ/BIS-nummer');

export const calendarDate = z.iso.date().describe('YYYY-MM-DD');
export const ulidId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'een id (ULID)');
export const slugId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'kleine letters, cijfers en koppeltekens');

/** NUL, every C0 control (TAB, LF and CR included), DEL and the C1 controls. */
const anyControlCharacter = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * One line of text typed by a person: a name, a street, a municipality, a representative, a label. Trimmed,
 * between `min` and `max` characters, and without any control character: the request pipeline already refuses
 * NUL and the other controls in every body (shared/http/body.ts), but a name must not hold a TAB or a line
 * break either, because it is printed on one line in the agreement, in e-mail subjects and in task labels.
 * The check runs before trimming, so "Lena\n" is refused rather than silently shortened.
 */
export const singleLine = (options: { min?: number; max: number }) =>
  z
    .string()
    .superRefine((value, ctx) => {
      if (anyControlCharacter.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'Eén regel tekst: tabs, regeleinden en andere stuurtekens zijn niet toegelaten.', params: { code: 'control_character' } });
      }
    })
    .trim()
    .min(options.min ?? 1)
    .max(options.max);

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
