// Property test over every route of every context: generated malformed paths, queries and bodies always
// get a 4xx application/problem+json answer, never a 5xx. Bodies include control characters (in values and
// keys, as JSON escapes) and text that is not UTF-8: as raw bytes in a base64 event, and as the lone surrogate
// or U+FFFD a text body holds after a bad sequence was decoded upstream.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { allRoutes } from '../../infra/topology.ts';
import { demoUsers } from '../../infra/local/seed/users.ts';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import type { ApiEvent } from './api.ts';

let api: TestApi;
const routes = allRoutes().map((r) => r.route);
const users = Object.keys(demoUsers);

beforeAll(async () => {
  const env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
});

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('0417.390.703', '0417390704', '2.123.456.791', '..', '%00', '%E0%A4%A', 'null', '-1', '__proto__', 'a'.repeat(300)),
);
const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('-1', '0', '101', 'abc', 'bm9wZQ', '%%'));

/** NUL, other C0 controls, DEL and C1 controls, and the TAB, LF and CR that only free text may hold. */
const controlCharacter = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f', '\t', '\n', '\r');
const withControl = fc.tuple(fc.string({ maxLength: 10 }), controlCharacter, fc.string({ maxLength: 10 })).map(([a, c, b]) => `${a}${c}${b}`);
/** A JSON body with control characters somewhere: in a value, in a key, deep in an array. */
const controlBody = fc.oneof(
  fc.dictionary(fc.constantFrom('name', 'firstName', 'label', 'reasons', 'street', 'x'), withControl, { minKeys: 1, maxKeys: 3 }),
  fc.tuple(withControl, fc.jsonValue()).map(([key, value]) => ({ [key]: value })),
  fc.tuple(withControl).map(([text]) => ({ learner: { firstName: text, address: { street: text } }, lines: [text] })),
);
/** Raw text bodies as an upstream decoder leaves a bad sequence: lone surrogates, U+FFFD; and escaped ones. */
const notUtf8Text = fc.oneof(
  fc.constantFrom('{"name":"\uD800"}', '{"name":"x\uDC00y"}', '{"name":"\uFFFD"}', '\uFFFD', '{"\uD83D":1}', '{"name":"\\ud800"}'),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\uD800', '\uDFFF', '\uFFFD')).map(([text, bad]) => JSON.stringify({ name: `${text}${bad}` })),
);
/** Bytes for a base64 event: JSON around byte sequences that are not UTF-8 (0xC3 0x28, a lone 0xFF, a cut 3-byte sequence). */
const notUtf8Bytes = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom([0xc3, 0x28], [0xff], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]))
  .map(([text, bad]) => Buffer.concat([Buffer.from(`{"name":"${text.replace(/["\\]/g, '')}`), Buffer.from(bad), Buffer.from('"}')]));

/** What the request pipeline refuses in any body: controls other than TAB/LF/CR, lone surrogates, U+FFFD in raw text. */
const refusedInValues = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function holdsRefusedCharacter(value: unknown): boolean {
  if (typeof value === 'string') return refusedInValues.test(value);
  if (Array.isArray(value)) return value.some(holdsRefusedCharacter);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => refusedInValues.test(key) || holdsRefusedCharacter(item));
  return false;
}
function rawTextRefused(raw: string): boolean {
  if (/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(raw)) return true;
  try {
    return holdsRefusedCharacter(JSON.parse(raw));
  } catch {
    return false;
  }
}

function fillPath(template: string, values: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? 'x'));
}

/** A request whose body API Gateway hands over in base64, as it does for bytes it does not take for text. */
async function callWithBytes(method: string, pathAndQuery: string, token: string, organisation: string | undefined, bytes: Buffer) {
  const url = new URL(pathAndQuery, 'http://localhost');
  const query = Object.fromEntries(url.searchParams);
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(organisation ? { 'x-organisation': organisation } : {}) },
    queryStringParameters: Object.keys(query).length ? query : undefined,
    body: bytes.toString('base64'),
    isBase64Encoded: true,
    requestContext: {
      requestId: ulid(),
      stage: '$default',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    },
  } as unknown as ApiEvent;
  const result = await api.handler(event, { awsRequestId: ulid() } as Context);
  const text = result.body ?? '';
  return { status: result.statusCode, headers: result.headers ?? {}, text, body: text ? JSON.parse(text) : undefined };
}

describe('every route answers malformed input with a 4xx problem', () => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...users),
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        fc.dictionary(fc.constantFrom('cursor', 'limit', 'x', 'onDate', 'programme', ''), queryValue, { maxKeys: 3 }),
        fc.oneof(fc.jsonValue(), controlBody, fc.constant(undefined)),
        fc.oneof(fc.constant(undefined), fc.constantFrom('{', '[1,', 'null', '"x"', '{"a":1}{', '\u0000'), notUtf8Text),
        fc.oneof(fc.constant(undefined), notUtf8Bytes),
        fc.boolean(),
        async (user, values, query, body, raw, bytes, withOrganisationHeader) => {
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const path = `${fillPath(route.path, values)}${search ? `?${search}` : ''}`;
          const token = await api.tokenFor(user);
          const organisation = withOrganisationHeader ? `${demoUsers[user]!.organisations[0]!.type}:${demoUsers[user]!.organisations[0]!.id}` : undefined;
          const res =
            bytes !== undefined
              ? await callWithBytes(route.method, path, token, organisation, bytes)
              : await api.call({
                  method: route.method,
                  path,
                  token,
                  ...(organisation ? { organisation } : {}),
                  ...(raw !== undefined ? { rawBody: raw, headers: { 'content-type': 'application/json' } } : body !== undefined ? { body } : {}),
                });
          expect(res.status, `${route.method} ${path} -> ${res.text}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['Content-Type']).toMatch(/^application\/problem\+json/);
            expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), title: expect.any(String) });
          }
          // A body with a refused character is never taken, and once the request gets as far as its body, the
          // answer names the character problem rather than whatever a schema makes of the damaged text.
          const refused = bytes !== undefined || (raw !== undefined ? rawTextRefused(raw) : holdsRefusedCharacter(body));
          if (refused) {
            expect(res.status, `${route.method} ${path} -> ${res.text}`).toBeGreaterThanOrEqual(400);
            const errors: { in: string; code: string }[] = res.body?.errors ?? [];
            if (res.status === 400 && errors.length > 0 && errors.every((e) => e.in === 'body')) {
              expect(['invalid-utf8', 'validation-failed'], res.text).toContain(res.body.code);
              expect(
                errors.some((e) => e.code === 'control-character' || e.code === 'invalid-utf8'),
                res.text,
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
