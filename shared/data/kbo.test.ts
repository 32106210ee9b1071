// KBO items against DynamoDB Local: batch writes (duplicates, retries, bounded memory), the profile from one
// paginated Query of gsi1, the establishment -> enterprise lookup by key, and the extract record.
import { beforeAll, describe, expect, it } from 'vitest';
import { type BatchWriteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { fixedClock } from '../adapters/clock.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import {
  BatchWriter,
  enterpriseItem,
  establishmentItem,
  findEnterpriseOfEstablishment,
  getEnterpriseProfile,
  getLatestExtract,
  recordExtract,
  writeItems,
  type KboItem,
} from './kbo.ts';
import * as keys from './keys.ts';

let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});

const partition = async (pk: string) =>
  (await env.deps.db.send(new QueryCommand({ TableName: env.config.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })))
    .Items ?? [];

const address = (
  entityNumber: string,
  typeOfAddress: string,
  postcode: string,
  municipality: { nl: string | null; fr: string | null },
  country: string | null = null,
) => ({
  entityNumber,
  typeOfAddress,
  country,
  postcode,
  municipality,
  street: { nl: 'Kerkstraat', fr: 'Rue de l’Église' },
  houseNumber: '1',
  box: null,
  extra: null,
  struckOffOn: null,
});

/** A DynamoDBDocumentClient stand-in that records BatchWrite requests and answers as `answer` says. */
function fakeDb(answer: (items: unknown[], call: number) => Promise<Record<string, unknown>>) {
  const calls: unknown[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const db = {
    send: async (command: BatchWriteCommand) => {
      const items = Object.values(command.input.RequestItems ?? {})[0] ?? [];
      calls.push(items);
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      try {
        return await answer(items, calls.length);
      } finally {
        concurrent -= 1;
      }
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, calls, maxConcurrent: () => maxConcurrent };
}

describe('writing KBO items', () => {
  it('writes in batches of 25, a repeated key in one batch replaced by its last write', async () => {
    const items: KboItem[] = [];
    for (let i = 0; i < 60; i++) items.push({ pk: 'test-batch', sk: String(i).padStart(3, '0'), value: i });
    items.push({ pk: 'test-batch', sk: '059', value: 'last' }); // same key, same batch as its first write
    expect(await writeItems(env.deps, items)).toBe(60);
    const stored = await partition('test-batch');
    expect(stored).toHaveLength(60);
    expect(stored.at(-1)).toMatchObject({ sk: '059', value: 'last' });
  });

  it('retries unprocessed items with backoff until DynamoDB takes them', async () => {
    const fake = fakeDb(async (items, call) => (call === 1 ? { UnprocessedItems: { [env.config.TABLE_NAME]: items.slice(0, 10) } } : {}));
    const deps: Dependencies = { ...env.deps, db: fake.db };
    const items = Array.from({ length: 25 }, (_, i) => ({ pk: 'X', sk: String(i) }));
    expect(await writeItems(deps, items)).toBe(25);
    expect(fake.calls.map((c) => c.length)).toEqual([25, 10]);
  });

  it('gives up after the attempts allowed and reports it', async () => {
    const fake = fakeDb(async (items) => ({ UnprocessedItems: { [env.config.TABLE_NAME]: items } }));
    await expect(writeItems({ ...env.deps, db: fake.db }, [{ pk: 'X', sk: '1' }], { maxAttempts: 3 })).rejects.toThrow(/1 items unprocessed after 3 attempts/);
    expect(fake.calls).toHaveLength(3);
  });

  it('keeps at most `parallel` requests in flight, so memory stays bounded however many items stream in', async () => {
    const fake = fakeDb(() => new Promise((resolve) => setTimeout(() => resolve({}), 2)));
    const writer = new BatchWriter({ ...env.deps, db: fake.db }, { parallel: 4 });
    let maxPending = 0;
    for (let i = 0; i < 2000; i++) {
      await writer.put({ pk: `p-${i}`, sk: 'S' });
      maxPending = Math.max(maxPending, writer.pending);
    }
    await writer.flush();
    expect(writer.written).toBe(2000);
    expect(fake.maxConcurrent()).toBe(4);
    expect(maxPending).toBeLessThanOrEqual(4 * 25 + 25);
  });

  it('never writes one key in two requests at the same time: the later write wins', async () => {
    const order: string[] = [];
    const fake = fakeDb(async (items) => {
      const values = (items as { PutRequest: { Item: KboItem } }[]).filter((r) => r.PutRequest.Item.sk === 'same').map((r) => String(r.PutRequest.Item.value));
      // The first request is slow: without the guard, the second would land first and then be overwritten.
      await new Promise((r) => setTimeout(r, values.includes('first') ? 30 : 1));
      order.push(...values);
      return {};
    });
    const writer = new BatchWriter({ ...env.deps, db: fake.db }, { parallel: 4 });
    await writer.put({ pk: 'K', sk: 'same', value: 'first' });
    for (let i = 0; i < 24; i++) await writer.put({ pk: 'K', sk: `a${i}` });
    await writer.put({ pk: 'K', sk: 'same', value: 'second' });
    for (let i = 0; i < 24; i++) await writer.put({ pk: 'K', sk: `b${i}` });
    await writer.flush();
    expect(order).toEqual(['first', 'second']);
  });

  it('passes a failed request on to the writer', async () => {
    const fake = fakeDb(async () => {
      throw new Error('ValidationException: boom');
    });
    const writer = new BatchWriter({ ...env.deps, db: fake.db }, { parallel: 2 });
    await expect(
      (async () => {
        for (let i = 0; i < 200; i++) await writer.put({ pk: `p-${i}`, sk: 'S' });
        await writer.flush();
      })(),
    ).rejects.toThrow(/boom/);
  });
});

describe('reading KBO items', () => {
  const enterprise = {
    enterpriseNumber: '0417.390.703',
    status: 'active' as const,
    juridicalSituation: '000',
    typeOfEnterprise: '2',
    juridicalForm: '014',
    startDate: '1978-06-20',
    kboExtractNumber: 1,
  };
  it('assembles the profile from the enterprise item and its establishment items (one gsi1 Query), Dutch text first', async () => {
    await writeItems(env.deps, [
      enterpriseItem(
        enterprise,
        [
          { language: '2', type: '001', denomination: 'ACM Economische Actor' },
          { language: '1', type: '001', denomination: 'ACM Acteur Économique' },
        ],
        [address('0417.390.703', 'REGO', '2220', { nl: 'Heist-op-den-Berg', fr: null })],
      ),
      establishmentItem(
        { establishmentNumber: '2.123.456.791', enterpriseNumber: '0417.390.703', startDate: '1978-06-20', status: 'active', kboExtractNumber: 1 },
        [{ language: '2', type: '003', denomination: 'Mega World' }],
        [address('2.123.456.791', 'BAET', '2220', { nl: 'Heist-op-den-Berg', fr: 'Heist-op-den-Berg' })],
      ),
      establishmentItem(
        { establishmentNumber: '2.199.988.803', enterpriseNumber: '0417.390.703', startDate: null, status: 'stopped', kboExtractNumber: 2 },
        [],
        [address('2.199.988.803', 'BAET', '5000', { nl: null, fr: 'Namur' })],
      ),
    ]);
    // Other items of the enterprise (a mandate, an application in gsi1) are not KBO data.
    await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...keys.mandate.key('0417390703', 'campus-brugge'), kind: 'mandate' } }));
    await env.deps.db.send(
      new PutCommand({
        TableName: env.config.TABLE_NAME,
        Item: {
          ...keys.application.key('01JAPP'),
          gsi1pk: keys.enterprise.index('0417390703'),
          gsi1sk: keys.application.enterpriseIndexSk('01JAPP'),
          kind: 'application',
        },
      }),
    );

    const profile = await getEnterpriseProfile(env.deps, '0417390703');
    expect(profile).toEqual({
      enterpriseNumber: '0417.390.703',
      name: 'ACM Economische Actor',
      names: [
        { language: 'fr', type: 'name', value: 'ACM Acteur Économique' },
        { language: 'nl', type: 'name', value: 'ACM Economische Actor' },
      ],
      status: 'active',
      juridicalSituation: { code: '000', class: 'normal' },
      juridicalForm: '014',
      typeOfEnterprise: 'legalPerson',
      startDate: '1978-06-20',
      seat: {
        street: 'Kerkstraat',
        houseNumber: '1',
        box: null,
        postcode: '2220',
        municipality: 'Heist-op-den-Berg',
        country: null,
        extraAddressInfo: null,
        struckOffOn: null,
      },
      establishments: [
        {
          establishmentNumber: '2.123.456.791',
          startDate: '1978-06-20',
          status: 'active',
          name: 'Mega World',
          names: [{ language: 'nl', type: 'commercialName', value: 'Mega World' }],
          address: {
            street: 'Kerkstraat',
            houseNumber: '1',
            box: null,
            postcode: '2220',
            municipality: 'Heist-op-den-Berg',
            country: null,
            extraAddressInfo: null,
            struckOffOn: null,
          },
          region: 'flanders',
        },
        {
          establishmentNumber: '2.199.988.803',
          startDate: null,
          status: 'stopped',
          name: null,
          names: [],
          address: {
            street: 'Kerkstraat',
            houseNumber: '1',
            box: null,
            postcode: '5000',
            municipality: 'Namur',
            country: null,
            extraAddressInfo: null,
            struckOffOn: null,
          },
          region: 'wallonia',
        },
      ],
      kboExtractNumber: 1,
    });
    expect(await getEnterpriseProfile(env.deps, '0403449823')).toBeUndefined();
  });

  it('follows the pages of a large enterprise, still one Query', async () => {
    const items: KboItem[] = [enterpriseItem({ ...enterprise, enterpriseNumber: '0460.552.337' })];
    const padding = 'x'.repeat(300);
    for (let i = 0; i < 1200; i++) {
      const digits = `3${String(i).padStart(7, '0')}`;
      const check = String(97 - Number(BigInt(digits) % 97n)).padStart(2, '0');
      const number = `${digits[0]}.${digits.slice(1, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}${check}`;
      items.push(
        establishmentItem(
          { establishmentNumber: number, enterpriseNumber: '0460.552.337', startDate: null, status: 'active', kboExtractNumber: 1 },
          [{ language: '2', type: '003', denomination: `Werf ${i} ${padding}` }],
          [{ ...address(number, 'BAET', '3500', { nl: 'Hasselt', fr: 'Hasselt' }), extra: padding }],
        ),
      );
    }
    await writeItems(env.deps, items);
    let queries = 0;
    const counting: Dependencies = {
      ...env.deps,
      db: {
        send: (command: QueryCommand) => {
          queries += 1;
          return env.deps.db.send(command);
        },
      } as unknown as DynamoDBDocumentClient,
    };
    const profile = await getEnterpriseProfile(counting, '0460552337');
    expect(queries).toBeGreaterThan(1); // more than 1 MB: DynamoDB pages the one Query
    expect(profile!.establishments).toHaveLength(1200);
    expect(profile!.establishments.every((e) => e.name?.startsWith('Werf ') && e.region === 'flanders')).toBe(true);
  });

  it("finds the enterprise of an establishment by its item's key, next to the establishment's recognitions", async () => {
    await env.deps.db.send(
      new PutCommand({
        TableName: env.config.TABLE_NAME,
        Item: {
          ...keys.recognition.key('E/20170620/011723'),
          gsi1pk: keys.recognition.establishmentIndex('2123456791'),
          gsi1sk: keys.recognition.establishmentIndexSk('verkoper', '2017-06-20'),
        },
      }),
    );
    expect(await findEnterpriseOfEstablishment(env.deps, '2123456791')).toEqual({
      enterpriseNumber: '0417.390.703',
      enterpriseDigits: '0417390703',
      establishmentNumber: '2.123.456.791',
      status: 'active',
    });
    expect(await findEnterpriseOfEstablishment(env.deps, '2200000184')).toBeUndefined();
  });
});

describe('extract records', () => {
  it('records an applied extract and keeps its first importedAt when applied again', async () => {
    const record = {
      extractNumber: 147,
      type: 'update' as const,
      snapshotDate: '2025-10-11',
      extractTimestamp: '2025-10-12T07:40:18',
      fileName: 'KboOpenData_0147_2025_10_12_Update.zip',
      counts: { names: 3 },
    };
    await recordExtract({ ...env.deps, clock: fixedClock('2026-11-02T08:00:00Z') }, record);
    await recordExtract({ ...env.deps, clock: fixedClock('2026-11-03T08:00:00Z') }, record);
    await recordExtract({ ...env.deps, clock: fixedClock('2026-11-03T08:00:00Z') }, { ...record, extractNumber: 9, fileName: 'older' });
    expect(await partition(keys.kbo.extractsPk)).toContainEqual(
      expect.objectContaining({ sk: '000147', importedAt: '2026-11-02T08:00:00.000Z', type: 'update' }),
    );
    expect(await getLatestExtract(env.deps)).toEqual({ ...record, importedAt: '2026-11-02T08:00:00.000Z' });
  });
});
