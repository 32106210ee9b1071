// Turns zod issues into problem+json field errors: a JSON pointer per bad field and the rule it broke.
import type * as z from 'zod';
import { badRequest, type FieldError } from './problem.ts';

const escapePointer = (segment: PropertyKey): string => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

export function fieldErrors(where: FieldError['in'], error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    // Unknown fields in a strict object: one error per field, so the pointer names it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        in: where,
        pointer: `/${[...issue.path, key].map(escapePointer).join('/')}`,
        code: 'unknown_field',
        detail: `Onbekend veld "${key}".`,
      }));
    }
    return [{ in: where, pointer: issue.path.length ? `/${issue.path.map(escapePointer).join('/')}` : '', code: codeOf(issue), detail: dutchMessage(issue) }];
  });
}

/**
 * The stable rule name of an issue: zod's own code, or for a custom check the code it names in
 * `params.code` (e.g. `control_character` from the text fields in fields.ts), so the front end can tell
 * such rules apart instead of seeing "custom" for all of them.
 */
function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return issue.params.code;
  return issue.code;
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
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: FieldError['in']): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const label = { body: 'De inhoud van de aanvraag', query: 'De zoekparameters', path: 'Het pad', header: 'Een header' }[where];
  throw badRequest('validation-failed', `${label} voldoet niet aan de regels.`, fieldErrors(where, result.error));
}
