import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyring } from '../adapters/keyring.ts';
import { task } from '../data/keys.ts';
import { cursorScope, maxInnerCursorBytes, openCursor, openQueryCursor, sealCursor, sealResponseCursor } from './cursor.ts';
import { Problem } from './problem.ts';

const key = randomBytes(32);
const scope = cursorScope({
  operationId: 'list-tasks',
  userId: 'user-1',
  organisationKey: 'enterprise:0417390703',
  query: { type: 'mentor-invalid', cursor: 'x', limit: 10 },
});
const inner = Buffer.from(
  JSON.stringify({ gsi1pk: task.openIndex('enterprise:0417390703'), gsi1sk: task.openIndexSk('2030-01-01', 'T1'), ...task.key('enterprise:0417390703', 'T1') }),
).toString('base64url');

function refused(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Problem);
    const problem = error as Problem;
    expect({ status: problem.status, code: problem.code, errors: problem.errors }).toMatchObject({
      status: 400,
      code: 'invalid-cursor',
      errors: [{ in: 'query', pointer: '/cursor', code: 'invalid-cursor' }],
    });
    return;
  }
  throw new Error('the cursor was accepted');
}

describe('sealed cursors', () => {
  it('round-trip: the inner cursor comes back for the same scope', () => {
    const sealed = sealCursor(key, scope, inner);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(openCursor(key, scope, sealed)).toBe(inner);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), (text) => {
        expect(openCursor(key, scope, sealCursor(key, scope, text))).toBe(text);
      }),
    );
  });

  it('binds the scope to route, caller, organisation and filters, not to the order of the query nor to limit', () => {
    const base = { operationId: 'list-tasks', userId: 'user-1', organisationKey: 'enterprise:0417390703', query: { type: 'a', subject: 'b' } };
    expect(cursorScope({ ...base, query: { subject: 'b', type: 'a', limit: 5, cursor: 'c' } })).toBe(cursorScope(base));
    const others = [
      { ...base, operationId: 'list-agreements' },
      { ...base, userId: 'user-2' },
      { ...base, userId: undefined },
      { ...base, organisationKey: 'enterprise:0412345614' },
      { ...base, query: { type: 'a' } },
      { ...base, query: { type: 'a', subject: 'c' } },
    ];
    for (const other of others) expect(cursorScope(other)).not.toBe(cursorScope(base));
  });

  it('refuses a cursor of another scope', () => {
    const sealed = sealCursor(key, scope, inner);
    refused(() =>
      openCursor(
        key,
        cursorScope({ operationId: 'list-tasks', userId: 'user-2', organisationKey: 'enterprise:0417390703', query: { type: 'mentor-invalid' } }),
        sealed,
      ),
    );
    refused(() =>
      openCursor(
        key,
        cursorScope({ operationId: 'list-agreements', userId: 'user-1', organisationKey: 'enterprise:0417390703', query: { type: 'mentor-invalid' } }),
        sealed,
      ),
    );
  });

  it('refuses a cursor sealed with another key', () => {
    refused(() => openCursor(key, scope, sealCursor(randomBytes(32), scope, inner)));
  });

  it('refuses every changed byte, in the inner part and in the MAC', () => {
    const sealed = sealCursor(key, scope, inner);
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'), (at, char) => {
        fc.pre(sealed[at] !== char);
        const changed = sealed.slice(0, at) + char + sealed.slice(at + 1);
        // Two base64url strings can decode to the same bytes only through the unused low bits of the last
        // character; even then the MAC is over the bytes, so what is accepted is exactly the issued cursor.
        try {
          expect(openCursor(key, scope, changed)).toBe(inner);
        } catch {
          refused(() => openCursor(key, scope, changed));
        }
      }),
      { numRuns: 500 },
    );
    const [body, tag] = sealed.split('.') as [string, string];
    const tampered = Buffer.from(body, 'base64url');
    tampered[10] = tampered[10]! ^ 1;
    refused(() => openCursor(key, scope, `${tampered.toString('base64url')}.${tag}`));
  });

  it('refuses garbage, an unsealed inner cursor and an over-long cursor with the same 400', () => {
    for (const garbage of [
      '',
      '.',
      'abc',
      'abc.def',
      `${inner}`,
      `${inner}.`,
      `.${'A'.repeat(43)}`,
      `${inner}.${'A'.repeat(43)}`,
      `${inner}.${'A'.repeat(44)}`,
      '%%%.%%%',
      `${'A'.repeat(5000)}.${'A'.repeat(43)}`,
    ]) {
      refused(() => openCursor(key, scope, garbage));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => refused(() => openCursor(key, scope, text))),
      { numRuns: 300 },
    );
  });

  it('will not seal an empty or over-long inner cursor (a server bug, not a client error)', () => {
    expect(() => sealCursor(key, scope, '')).toThrow(/inner cursor/);
    expect(() => sealCursor(key, scope, 'x'.repeat(maxInnerCursorBytes + 1))).toThrow(/inner cursor/);
    expect(sealCursor(key, scope, 'x'.repeat(maxInnerCursorBytes)).length).toBeLessThanOrEqual(2048);
  });

  it('opens the query cursor and seals the response cursor, leaving null and non-JSON bodies alone', async () => {
    const keys = createKeyring({ LOCAL_HMAC_KEY: randomBytes(32).toString('hex'), HMAC_KEY_ARN: undefined, AWS_REGION: 'eu-west-1' });
    const sealedResponse = await sealResponseCursor(keys, scope, { status: 200, body: { items: [1], cursor: inner } });
    const sealed = (sealedResponse.body as { cursor: string }).cursor;
    expect(sealed).not.toBe(inner);
    expect(await openQueryCursor(keys, scope, { type: 'mentor-invalid', cursor: sealed })).toEqual({ type: 'mentor-invalid', cursor: inner });
    expect(await openQueryCursor(keys, scope, { type: 'mentor-invalid' })).toEqual({ type: 'mentor-invalid' });
    expect(await sealResponseCursor(keys, scope, { status: 200, body: { items: [], cursor: null } })).toEqual({
      status: 200,
      body: { items: [], cursor: null },
    });
    const pdf = { status: 200, body: Buffer.from('%PDF'), contentType: 'application/pdf' };
    expect(await sealResponseCursor(keys, scope, pdf)).toBe(pdf);
    await expect(openQueryCursor(keys, scope, { cursor: inner })).rejects.toMatchObject({ status: 400, code: 'invalid-cursor' });
  });
});
