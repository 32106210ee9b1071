// Text a person types, as a zod field: one line without control characters. Pure; no AWS, no HTTP.
import * as z from 'zod';

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
        ctx.addIssue({
          code: 'custom',
          message: 'Eén regel tekst: tabs, regeleinden en andere stuurtekens zijn niet toegelaten.',
          params: { code: 'control-character' },
        });
      }
    })
    .trim()
    .min(options.min ?? 1)
    .max(options.max);
