// Turns zod issues into problem+json field errors: a JSON pointer per bad field and the rule it broke, as a
// stable kebab-case code (README "API conventions", "Field error codes").
import type * as z from 'zod';
import { badRequest, type FieldError } from './problem.ts';

/**
 * zod's own issue codes as the API's stable field-error codes: the one table the front end can rely on, whatever
 * zod calls them. `custom` is not in it: every refine, superRefine and check of a request schema names its own
 * code in `params.code` (conventions.test.ts enforces it), e.g. `invalid-national-number`.
 */
export const zodIssueCodes = {
  invalid_type: 'invalid-type',
  too_small: 'too-small',
  too_big: 'too-big',
  invalid_format: 'invalid-format',
  not_multiple_of: 'not-multiple-of',
  unrecognized_keys: 'unknown-field',
  invalid_union: 'invalid-union',
  invalid_key: 'invalid-key',
  invalid_element: 'invalid-element',
  invalid_value: 'invalid-value',
} as const satisfies Record<Exclude<z.core.$ZodIssue['code'], 'custom'>, string>;

/** A required field that is absent: `invalid_type` of an undefined input, told apart so the portal can mark it. */
export const requiredCode = 'required';

const escapePointer = (segment: PropertyKey): string => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

export function fieldErrors(where: FieldError['in'], error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    // Unknown fields in a strict object: one error per field, so the pointer names it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        in: where,
        pointer: `/${[...issue.path, key].map(escapePointer).join('/')}`,
        code: zodIssueCodes.unrecognized_keys,
        detail: `Onbekend veld "${key}".`,
      }));
    }
    return [{ in: where, pointer: issue.path.length ? `/${issue.path.map(escapePointer).join('/')}` : '', code: codeOf(issue), detail: dutchMessage(issue) }];
  });
}

/**
 * The stable rule name of an issue: for a custom check the code it names in `params.code`, otherwise zod's code
 * through the table. A custom check without a code would show as `custom`: a bug the convention test catches.
 */
function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return typeof issue.params?.code === 'string' ? issue.params.code : 'custom';
  if (issue.code === 'invalid_type' && issue.input === undefined) return requiredCode;
  return zodIssueCodes[issue.code];
}

/** A Dutch sentence for the user; the `code` stays the stable English rule name. Never echoes the value. */
function dutchMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'Dit veld is verplicht.' : `Verwacht type: ${issue.expected}.`;
    case 'too_small':
      return issue.origin === 'string' ? `Minstens ${String(issue.minimum)} tekens.` : `Minimum ${String(issue.minimum)}.`;
    case 'too_big':
      return issue.origin === 'string' ? `Hoogstens ${String(issue.maximum)} tekens.` : `Maximum ${String(issue.maximum)}.`;
    case 'invalid_format':
      return `Ongeldig formaat (${issue.format}).`;
    case 'invalid_value':
      return `Toegelaten waarden: ${issue.values.map(String).join(', ')}.`;
    case 'not_multiple_of':
      return `Een veelvoud van ${String(issue.divisor)}.`;
    case 'invalid_union':
      return 'Past in geen van de toegelaten vormen.';
    default:
      return issue.message;
  }
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: FieldError['in']): z.output<S> {
  // reportInput tells a missing field (`required`) from a wrong type; the input itself never reaches the answer.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const label = { body: 'De inhoud van de aanvraag', query: 'De zoekparameters', path: 'Het pad', header: 'Een header' }[where];
  throw badRequest('validation-failed', `${label} voldoet niet aan de regels.`, fieldErrors(where, result.error));
}
