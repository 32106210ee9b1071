// zod fields for the official identifiers: accepted with or without dots, checked with mod 97, handed to
// handlers in one normal form. Used by every context's schemas.
import * as z from 'zod';
import {
  kboDigits,
  parseBelgianIban,
  parseEnterpriseNumber,
  parseEstablishmentNumber,
  parseNationalNumber,
  type NationalNumber,
} from '../domain/identifiers.ts';

const checked = (
  parse: (value: string) => { ok: true; value: string } | { ok: false; reason: string },
  rule: string,
  normalise: (v: string) => string = (v) => v,
) =>
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
export const establishmentNumberDigits = checked(parseEstablishmentNumber, 'establishment-number', kboDigits).describe(
  'Vestigingsnummer, met of zonder punten',
);
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

export { singleLine } from '../domain/text.ts';

/**
 * The paging fields of every list: the opaque `cursor` of the previous answer (sealed, see cursor.ts; at most 2048
 * characters) and the page size.
 */
export const pageFields = {
  cursor: z.string().max(2048).optional().describe('De cursor uit het vorige antwoord'),
  limit: z.coerce.number().int().min(1).max(100).optional(),
};
export const pageQuery = z.strictObject(pageFields);
export type PageQuery = z.output<typeof pageQuery>;
