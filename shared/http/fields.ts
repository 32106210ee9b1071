// zod fields for the official identifiers: accepted with or without dots, checked with mod 97, handed to
// handlers in one normal form. Used by every context's schemas.
import * as z from 'zod';
import {
  kboDigits,
  parseBelgianIban,
  parseEnterpriseNumber,
  parseEstablishmentNumber,
  isMaskedNationalNumber,
  maskedValueUnknown,
  parseNationalNumber,
  type MaskedNationalNumber,
  type NationalNumber,
} from '../domain/identifiers.ts';

/** An official identifier: parsed, and refused with the identifier's own stable code (`code`) and a Dutch reason. */
const checked = (
  parse: (value: string) => { ok: true; value: string } | { ok: false; reason: string },
  code: string,
  normalise: (v: string) => string = (v) => v,
) =>
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const parsed = parse(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.reason, params: { code } });
        return z.NEVER;
      }
      return normalise(parsed.value);
    });

/** Hands the handler the 10 digits, as used in keys. */
export const enterpriseNumberDigits = checked(parseEnterpriseNumber, 'invalid-enterprise-number', kboDigits).describe(
  'Ondernemingsnummer, met of zonder punten',
);
/** Hands the handler the 10 digits, as used in keys. */
export const establishmentNumberDigits = checked(parseEstablishmentNumber, 'invalid-establishment-number', kboDigits).describe(
  'Vestigingsnummer, met of zonder punten',
);
export const iban = checked(parseBelgianIban, 'invalid-iban').describe('Belgisch IBAN');

/**
 * A masked national number (`85.03.12-***.**`) where only a full one can be meant: a new mentor, a learner. It
 * stands for no stored number, so it is refused with `masked-value-unknown` rather than as a malformed number.
 */
const maskedHere = (ctx: z.RefinementCtx) =>
  ctx.addIssue({
    code: 'custom',
    message: 'Een gemaskeerd rijksregisternummer kan hier niet: vul het volledige nummer in.',
    params: { code: maskedValueUnknown },
  });

function parsedNationalNumber(value: string, ctx: z.RefinementCtx): NationalNumber {
  const parsed = parseNationalNumber(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.reason, params: { code: 'invalid-national-number' } });
    return z.NEVER;
  }
  return parsed.value;
}

export const nationalNumber = z
  .string()
  .max(20)
  .transform((value, ctx): NationalNumber => {
    if (isMaskedNationalNumber(value)) {
      maskedHere(ctx);
      return z.NEVER;
    }
    return parsedNationalNumber(value, ctx);
  })
  .describe('Rijksregisternummer of INSZ/BIS-nummer');

/**
 * The national number of a record that is stored already and read back masked (a mentor of an application): a
 * full number replaces the stored one; the masked value the read gave (`85.03.12-***.**`) keeps the stored one,
 * which the handler looks up (a masked value that matches no stored number is `masked-value-unknown`).
 */
export const maskableNationalNumber = z
  .string()
  .max(20)
  .transform((value, ctx): NationalNumber | MaskedNationalNumber => (isMaskedNationalNumber(value) ? { masked: value } : parsedNationalNumber(value, ctx)))
  .describe(
    'Rijksregisternummer of INSZ/BIS-nummer. Een gemaskeerde waarde zoals u ze las (85.03.12-***.**) terugsturen behoudt het bewaarde nummer van die mentor (op id); een nieuw, volledig nummer vervangt het',
  );

export const calendarDate = z.iso.date().describe('YYYY-MM-DD');
export const ulidId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'een id (ULID)');
export const slugId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'kleine letters, cijfers en koppeltekens');
export { postcodeField as postcode } from '../domain/address.ts';

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
