// The JSON body of a request, decoded strictly and checked for characters no field may hold, before any
// route schema sees it. Two things break later code and never belong in what a person typed:
//  - bytes that are not UTF-8: Buffer.toString('utf8') would turn them into U+FFFD and store a different
//    text than was sent;
//  - control characters (NUL, C0, DEL, C1): they cut strings in C libraries, break PDF lines and e-mail
//    headers, and make names look alike. TAB, LF and CR are the exception: free text (reasons, messages,
//    grounds) may contain them; single-line fields refuse them in their schema (shared/http/fields.ts).
import { badRequest, type FieldError } from './problem.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A lone surrogate (not valid Unicode, so not encodable as UTF-8) or U+FFFD (what a bad byte sequence became upstream). */
const notFromValidUtf8 = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** NUL, C0 controls other than TAB, LF and CR, DEL and the C1 controls. */
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const invalidUtf8 = () =>
  badRequest('invalid-utf8', 'De inhoud van de aanvraag is geen geldige UTF-8-tekst.', [
    { in: 'body', pointer: '', code: 'invalid-utf8', detail: 'Stuur de inhoud als UTF-8.' },
  ]);

/**
 * The body as text. API Gateway hands a binary body over in base64: it is decoded strictly. A text body was
 * already decoded upstream, so a bad sequence arrives as U+FFFD or a lone surrogate: both are refused.
 */
export function bodyText(body: string, isBase64Encoded: boolean): string {
  if (isBase64Encoded) {
    try {
      return strictUtf8.decode(Buffer.from(body, 'base64'));
    } catch {
      throw invalidUtf8();
    }
  }
  if (notFromValidUtf8.test(body)) throw invalidUtf8();
  return body;
}

const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Enough to show the caller what is wrong without answering a huge body with a huge problem. */
const maximumErrors = 100;

/**
 * Every string value and object key with a control character or a lone surrogate (from a JSON escape such
 * as "\ud800"), by JSON pointer. Walks with its own stack: a deeply nested body must not overflow the call stack.
 */
export function characterErrors(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const check = (text: string, pointer: string, what: 'value' | 'key') => {
    if (controlCharacter.test(text)) {
      errors.push({
        in: 'body',
        pointer,
        code: 'control-character',
        detail:
          what === 'key'
            ? 'De naam van dit veld bevat een stuurteken.'
            : 'Bevat een stuurteken (zoals NUL); enkel tab en regeleinde zijn toegelaten, en alleen in vrije tekst.',
      });
    } else if (loneSurrogate.test(text)) {
      errors.push({
        in: 'body',
        pointer,
        code: 'invalid-utf8',
        detail: what === 'key' ? 'De naam van dit veld is geen geldige Unicode.' : 'Bevat een teken dat geen geldige Unicode is.',
      });
    }
  };
  // Each entry is a value to look at, with the object key it sits under (checked first, in document order).
  const stack: { value: unknown; pointer: string; key?: string }[] = [{ value, pointer: '' }];
  while (stack.length && errors.length < maximumErrors) {
    const { value: current, pointer, key } = stack.pop()!;
    if (key !== undefined) check(key, pointer, 'key');
    if (typeof current === 'string') {
      check(current, pointer, 'value');
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) stack.push({ value: current[index], pointer: `${pointer}/${index}` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [name, item] = entries[index]!;
        stack.push({ value: item, pointer: `${pointer}/${escapePointer(name)}`, key: name });
      }
    }
  }
  return errors.slice(0, maximumErrors);
}

/** Decodes, parses and checks a JSON body; every failure is a 400 problem naming what is wrong. */
export function parseJsonBody(body: string, isBase64Encoded: boolean): unknown {
  const text = bodyText(body, isBase64Encoded);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('malformed-json', 'De inhoud van de aanvraag is geen geldige JSON.', [
      { in: 'body', pointer: '', code: 'malformed-json', detail: 'Geen geldige JSON.' },
    ]);
  }
  const errors = characterErrors(parsed);
  if (errors.length) throw badRequest('validation-failed', 'De inhoud van de aanvraag voldoet niet aan de regels.', errors);
  return parsed;
}
