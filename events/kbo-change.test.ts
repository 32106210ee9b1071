import { describe, expect, it } from 'vitest';
import example from './examples/kbo-change.json' with { type: 'json' };
import { changeKinds } from '../shared/domain/kbo-changes.ts';
import { kboChangeMessageSchema } from './kbo-change.ts';

describe('the KBO change message', () => {
  it('the example matches its schema, and a message without a change id does not', () => {
    expect(kboChangeMessageSchema.parse(example)).toEqual(example);
    expect(kboChangeMessageSchema.safeParse({ changeId: 'K1-x', partnershipId: 'horeca' }).success).toBe(false);
    // Every change kind makes a valid id; an unknown kind does not.
    for (const kind of changeKinds) expect(kboChangeMessageSchema.safeParse({ ...example, changeId: `K000392-2123456791-${kind}-horeca` }).success).toBe(true);
    expect(kboChangeMessageSchema.safeParse({ ...example, changeId: 'K000392-2123456791-addressMoved-horeca' }).success).toBe(false);
  });
});
