// The names an e-mail says, read against DynamoDB Local: reference names in one BatchGet, KBO names by Query.
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { megaWorld, putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { readMailNames } from './mail-names.ts';
import { seedReferenceFiles } from './reference.ts';

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, megaWorld);
});

/** The dependencies with a table client that counts the requests by command. */
function counting(): { deps: Dependencies; requests: string[] } {
  const requests: string[] = [];
  const db = {
    send: (command: { constructor: { name: string } }) => {
      requests.push(command.constructor.name);
      return env.deps.db.send(command as never);
    },
  } as unknown as Dependencies['db'];
  return { deps: { ...env.deps, db }, requests };
}

describe('the names an e-mail says', () => {
  it('reads programmes, partnerships, providers and the KBO items of the enterprises and establishments in one BatchGet, and leaves out what is unknown', async () => {
    const { deps, requests } = counting();
    const names = await readMailNames(deps, {
      programmeIds: ['verkoper-duaal', 'winkelbediende-duaal', 'verkoper-duaal', 'bestaat-niet'],
      partnershipIds: ['handel'],
      providerIds: ['campus-brugge'],
      enterpriseNumbers: ['0417.390.703', '0417390703'],
      establishments: [
        { enterpriseNumber: '0417.390.703', establishmentNumber: '2.123.456.791' },
        { enterpriseNumber: '0417.390.703', establishmentNumber: '2.999.999.999' },
      ],
    });
    expect(Object.fromEntries(names.programmes)).toEqual({ 'verkoper-duaal': 'Verkoper duaal', 'winkelbediende-duaal': 'Winkelbediende duaal' });
    expect(Object.fromEntries(names.partnerships)).toEqual({ handel: 'Sectoraal Partnerschap Handel' });
    expect(names.providers.get('campus-brugge')).toEqual(expect.any(String));
    expect(Object.fromEntries(names.enterprises)).toEqual({ '0417390703': 'Mega World' });
    expect(Object.fromEntries(names.establishments)).toEqual({ '2123456791': 'Mega World Heist' });
    expect(requests).toEqual([BatchGetCommand.name]);
  });

  it('asks nothing when an e-mail names nothing', async () => {
    const { deps, requests } = counting();
    const names = await readMailNames(deps, {});
    expect(requests).toEqual([]);
    expect(names.programmes.size + names.enterprises.size).toBe(0);
  });
});
