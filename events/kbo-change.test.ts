import { describe, expect, it } from 'vitest';
import example from './examples/kbo-change.json' with { type: 'json' };
import { kboChangeMessageSchema } from './kbo-change.ts';

describe('the KBO change message', () => {
  it('the example matches its schema, and a message without a change id does not', () => {
    expect(kboChangeMessageSchema.parse(example)).toEqual(example);
    expect(kboChangeMessageSchema.safeParse({ changeId: 'K1-x', partnershipId: 'horeca' }).success).toBe(false);
  });
});
