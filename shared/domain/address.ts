// Addresses, declared once. Pure; no AWS, no HTTP.
import * as z from 'zod';
import { singleLine } from './text.ts';

/**
 * A Belgian postcode: four digits, refused with its own code `invalid-postcode`. The pattern stays in the
 * OpenAPI document (meta), which a refine alone would not give.
 */
export const postcodeField = z
  .string()
  .refine((value) => /^\d{4}$/.test(value), { message: 'Een Belgische postcode: vier cijfers.', params: { code: 'invalid-postcode' } })
  .meta({ pattern: '^\\d{4}$' });

/**
 * A postal address in Belgium as people type it: a provider's seat or lesson location, a learner's home. Every
 * other address schema is built from its fields.
 */
export const addressSchema = z.strictObject({
  street: singleLine({ max: 200 }),
  houseNumber: singleLine({ max: 22 }),
  box: singleLine({ min: 0, max: 20 }).nullable().default(null),
  postcode: postcodeField,
  municipality: singleLine({ max: 200 }),
});
export type Address = z.output<typeof addressSchema>;

const missing = z.string().nullable();
// The same parts as an address (`satisfies` fails the build when one is added there and not here).
const anyPart = { street: missing, houseNumber: missing, box: missing, postcode: missing, municipality: missing } satisfies Record<keyof Address, z.ZodType>;

/** The parts of an address as the KBO registers them: any part may be missing. */
export const registeredAddressPartsSchema = z.object(anyPart);

/**
 * An address as the KBO registers it and the API shows it: any part may be missing, an address abroad names its
 * country (null for Belgium), a struck-off address the date it was struck off.
 */
export const registeredAddressSchema = z.strictObject({
  ...anyPart,
  country: z.string().nullable().describe('null voor België'),
  struckOffOn: z.string().nullable(),
});
export type RegisteredAddress = z.output<typeof registeredAddressSchema>;
