import { describe, expect, it } from 'vitest';
import { reference, task } from './keys.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

const tableKey = reference.key('programmes', 'verkoper-duaal');
const indexKey = { gsi1pk: task.openIndex('enterprise:0417390703'), gsi1sk: task.openIndexSk('2027-01-01', 't1'), ...task.key('enterprise:0417390703', 't1') };
const onTable = { attribute: 'pk', value: reference.pk('programmes') };
const onIndex = { attribute: 'gsi1pk', value: task.openIndex('enterprise:0417390703') };
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
const refused = (run: () => unknown) => expect(run).toThrow(expect.objectContaining({ status: 400, code: 'invalid-cursor' }));

describe('data layer cursors', () => {
  it('round-trip a key of the table and of an index', () => {
    expect(decodeCursor(encodeCursor(tableKey)!, onTable)).toEqual(tableKey);
    expect(decodeCursor(encodeCursor(indexKey)!, onIndex)).toEqual(indexKey);
    expect(decodeCursor(undefined, onTable)).toBeUndefined();
    expect(encodeCursor(undefined)).toBeNull();
  });

  it('accept only exactly the key schema of what is queried, in its partition', () => {
    refused(() => decodeCursor(cursor(indexKey), onTable));
    refused(() => decodeCursor(cursor(tableKey), onIndex));
    refused(() => decodeCursor(cursor({ ...indexKey, gsi2pk: 'x' }), onIndex));
    refused(() => decodeCursor(cursor({ gsi1pk: indexKey.gsi1pk, x: 'y' }), onIndex));
    refused(() => decodeCursor(cursor({ ...indexKey, gsi1pk: task.openIndex('enterprise:0412345614') }), onIndex));
    refused(() => decodeCursor(cursor({ ...indexKey, sk: 5 }), onIndex));
    refused(() => decodeCursor(cursor({ ...indexKey, sk: '' }), onIndex));
    refused(() => decodeCursor(cursor({ ...indexKey, sk: 'x'.repeat(1025) }), onIndex));
    refused(() => decodeCursor(cursor({ ...tableKey, sk: { S: 'x' } }), onTable));
    for (const garbage of ['', '!!', cursor(null), cursor([tableKey]), cursor('pk'), 'e30']) refused(() => decodeCursor(garbage, onTable));
  });

  it('name a query on something that is not the table or an index a bug, not a client error', () => {
    expect(() => decodeCursor(cursor(tableKey), { attribute: 'sk', value: 'x' })).toThrow(/not the partition key/);
  });
});
