// The learner index is keyed by a keyed hash of the national number: a plain sha256 of the ~10^9 valid numbers
// is reversed in about a minute on one core, the HMAC cannot be without the key, which is not in the table.
import { createHash, randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDependencies } from '../adapters/dependencies.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { nationalNumberFor } from '../../infra/local/testing/national-numbers.ts';
import { learnerAgreements, learnerItem, learnerPk, type Agreement } from './agreements.ts';
import { agreement as agreementKeys } from './keys.ts';

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});

const formatted = nationalNumberFor('2010-03-15', 7);
const digits = formatted.replace(/\D/g, '');
const agreement = (id: string) =>
  ({ id, status: 'registered', startDate: '2027-09-01', endDate: '2028-06-30', learner: { nationalNumber: formatted } }) as unknown as Agreement;

describe('learner key', () => {
  it('is the learner partition of the HMAC of the digits: not the sha256 of the number, and the same for the formatted and the bare number', async () => {
    const pk = await learnerPk(env.deps, formatted);
    expect(pk).toMatch(new RegExp(`^${agreementKeys.learnerPk('')}[A-Za-z0-9_-]{43}$`));
    expect(await learnerPk(env.deps, digits)).toBe(pk);
    for (const plain of [
      createHash('sha256').update(digits).digest('hex'),
      createHash('sha256').update(digits).digest('base64url'),
      createHash('sha256').update(formatted).digest('hex'),
    ]) {
      expect(pk).not.toBe(agreementKeys.learnerPk(plain));
    }
    expect(pk).not.toContain(digits.slice(0, 6));
  });

  it('differs under another root key, so the table alone does not give it away', async () => {
    const other = createDependencies({ ...env.config, LOCAL_HMAC_KEY: randomBytes(32).toString('hex') });
    expect(await learnerPk(other, formatted)).not.toBe(await learnerPk(env.deps, formatted));
  });

  it('finds the learner agreements written with it, and only with the same key', async () => {
    await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: await learnerItem(env.deps, agreement('A1'), []) }));
    expect((await learnerAgreements(env.deps, formatted)).map((a) => a.agreementId)).toEqual(['A1']);
    const stored = await env.deps.db.send(
      new QueryCommand({
        TableName: env.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': await learnerPk(env.deps, digits) },
      }),
    );
    expect(JSON.stringify(stored.Items)).not.toContain(digits);
    const other = createDependencies({ ...env.config, LOCAL_HMAC_KEY: randomBytes(32).toString('hex') });
    expect(await learnerAgreements(other, formatted)).toEqual([]);
  });
});
