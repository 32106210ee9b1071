// The strict body decoding and the control-character check, on their own (the API tests cover them per route).
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './body.ts';
import { Problem } from './problem.ts';

const base64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

function problemOf(run: () => unknown): Problem {
  try {
    run();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('parseJsonBody', () => {
  it('decodes a base64 body strictly: 0xC3 0x28 is not UTF-8', () => {
    // {"a":"\xC3(" }
    const problem = problemOf(() => parseJsonBody(base64([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), true));
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('invalid-utf8');
    expect(problem.errors).toEqual([{ in: 'body', pointer: '', code: 'invalid-utf8', detail: expect.any(String) }]);
  });

  it('accepts valid UTF-8 in base64, with a byte order mark', () => {
    expect(parseJsonBody(Buffer.from('\uFEFF{"naam":"Zoë Ğül"}', 'utf8').toString('base64'), true)).toEqual({ naam: 'Zoë Ğül' });
  });

  it('refuses a text body with a lone surrogate or the replacement character a bad sequence became', () => {
    for (const text of ['{"a":"\uD800"}', '{"a":"x\uDC00"}', '{"a":"\uFFFD"}']) {
      expect(problemOf(() => parseJsonBody(text, false)).code, JSON.stringify(text)).toBe('invalid-utf8');
    }
    // A surrogate pair is one valid character.
    expect(parseJsonBody('{"a":"😀"}', false)).toEqual({ a: '😀' });
  });

  it('names every string value and key with a control character by its JSON pointer', () => {
    const problem = problemOf(() =>
      parseJsonBody(JSON.stringify({ learner: { firstName: 'Le\u0000na', lines: ['ok', 'bel\u0007'] }, 'a/b\u001b': 1, ok: 'x\u0085' }), false),
    );
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('validation-failed');
    expect(problem.errors!.map((e) => [e.pointer, e.code])).toEqual([
      ['/learner/firstName', 'control-character'],
      ['/learner/lines/1', 'control-character'],
      ['/a~1b\u001b', 'control-character'],
      ['/ok', 'control-character'],
    ]);
  });

  it('lets free text keep TAB, LF and CR', () => {
    expect(parseJsonBody(JSON.stringify({ reasons: 'Eerste punt.\r\n\tTweede punt.\nDerde.' }), false)).toEqual({
      reasons: 'Eerste punt.\r\n\tTweede punt.\nDerde.',
    });
  });

  it('refuses a lone surrogate written as a JSON escape', () => {
    const problem = problemOf(() => parseJsonBody('{"name":"\\ud800"}', false));
    expect(problem.errors).toEqual([{ in: 'body', pointer: '/name', code: 'invalid-utf8', detail: expect.any(String) }]);
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    const deep = `${'['.repeat(50_000)}"\\u0000"${']'.repeat(50_000)}`;
    expect(problemOf(() => parseJsonBody(deep, false)).errors).toHaveLength(1);
  });

  it('keeps malformed JSON a malformed-json problem', () => {
    expect(problemOf(() => parseJsonBody('{"a":', false)).code).toBe('malformed-json');
  });
});
