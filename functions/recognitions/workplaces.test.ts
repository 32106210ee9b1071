// Public distance search of workplaces against DynamoDB Local: the postcodes within the distance, nearest first,
// each read on the programme's postcode index; paginated across postcodes; no personal data.
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { recognitionItem, saveRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { distanceKm } from '../../shared/domain/recognitions.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;
const postcodes = referenceFiles().postcodes as unknown as { postcode: string; municipality: string; latitude: number; longitude: number }[];
const at = (postcode: string) => postcodes.find((p) => p.postcode === postcode)!;

function recognition(n: number, postcode: string, programmeId = 'verkoper-duaal', placeAvailable = true): Recognition {
  const p = at(postcode);
  return {
    id: `E/20260101/${String(n).padStart(6, '0')}`,
    applicationId: `A${n}`,
    enterpriseNumber: '0417.390.703',
    establishmentNumber: `2.200.000.${String(n).padStart(3, '0')}`,
    programmeId,
    partnershipId: 'handel',
    startDate: '2026-01-01',
    endDate: '2030-12-31',
    status: 'active',
    mentors: [
      {
        id: 'm',
        name: 'Geheime Mentor',
        birthDate: '1980-01-01',
        active: true,
        withdrawn: false,
        trainingDeadline: null,
        trainingCompletedOn: null,
        trainingExempted: false,
      },
    ],
    pendingMentors: [],
    placeAvailable,
    contactEmails: ['hr@geheim.test'],
    revocation: null,
    workplace: { name: `Werkplek ${p.municipality}`, postcode, municipality: p.municipality, sector: 'handel', programmeName: 'Verkoper duaal' },
    decidedBy: 'test',
    decidedAt: '2026-01-01T00:00:00Z',
    version: 1,
  };
}

async function put(r: Recognition) {
  await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: recognitionItem(r) }));
}

const search = async (query: string) => api.call({ method: 'GET', path: `/v1/workplaces?${query}` });
const ids = (res: { body: { items: { postcode: string }[] } }) => res.body.items.map((i) => i.postcode);

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
  await seedReferenceFiles(env.deps, referenceFiles());
  // Around Mechelen: Mechelen itself, Lier (~11 km), Antwerpen (~22 km), Leuven (~24 km), Brussel (~21 km), Gent (~50 km), Hasselt (~65 km).
  let n = 1;
  for (const postcode of ['2800', '2500', '2000', '3000', '1000', '9000', '3500']) await put(recognition(n++, postcode));
  await put(recognition(n++, '2800', 'winkelbediende-duaal'));
  await put(recognition(n++, '2800', 'verkoper-duaal', false));
});

describe('distance', () => {
  it('measures known distances within a few per cent', () => {
    expect(distanceKm(at('2800'), at('2000'))).toBeGreaterThan(20);
    expect(distanceKm(at('2800'), at('2000'))).toBeLessThan(25);
    expect(distanceKm(at('9000'), at('8000'))).toBeGreaterThan(36);
    expect(distanceKm(at('9000'), at('8000'))).toBeLessThan(42);
  });
});

describe('GET /v1/workplaces?near=&distanceKm=', () => {
  it('finds workplaces within the distance, nearest first, with the distance and without personal data', async () => {
    const near = await search('programme=verkoper-duaal&near=2800&distanceKm=25');
    expect(near.status, near.text).toBe(200);
    expect(ids(near)).toEqual(['2800', '2500', '1000', '2000', '3000']);
    expect(near.body.items[0]).toMatchObject({ name: 'Werkplek Mechelen', distanceKm: 0 });
    expect(near.body.items[1].distanceKm).toBeGreaterThan(9);
    expect(JSON.stringify(near.body)).not.toMatch(/Geheime|geheim\.test|mentors|contactEmails/);
    expect(ids(await search('programme=verkoper-duaal&near=2800&distanceKm=15'))).toEqual(['2800', '2500']);
    expect(ids(await search('programme=verkoper-duaal&near=2800&distanceKm=100'))).toEqual(['2800', '2500', '1000', '2000', '3000', '9000', '3500']);
    expect(ids(await search('sector=handel&near=2800&distanceKm=5')).sort()).toEqual(['2800', '2800']);
    // The existing postcode search is unchanged.
    expect(ids(await search('programme=verkoper-duaal&postcode=2800'))).toEqual(['2800']);
  });

  it('pages with a cursor bound to the search', async () => {
    const first = await search('programme=verkoper-duaal&near=2800&distanceKm=100&limit=3');
    expect(ids(first)).toEqual(['2800', '2500', '1000']);
    const second = await search(`programme=verkoper-duaal&near=2800&distanceKm=100&limit=3&cursor=${first.body.cursor}`);
    expect(ids(second)).toEqual(['2000', '3000', '9000']);
    const third = await search(`programme=verkoper-duaal&near=2800&distanceKm=100&limit=3&cursor=${second.body.cursor}`);
    expect(ids(third)).toEqual(['3500']);
    expect(third.body.cursor).toBeNull();
    expect((await search(`programme=verkoper-duaal&near=9000&distanceKm=100&cursor=${first.body.cursor}`)).status).toBe(400);
  });

  it('refuses bad input with the field named', async () => {
    expect((await search('programme=verkoper-duaal&near=2800&distanceKm=101')).status).toBe(400);
    expect((await search('programme=verkoper-duaal&distanceKm=10')).status).toBe(400);
    expect((await search('programme=verkoper-duaal&near=2800&postcode=2800')).status).toBe(400);
    const unknown = await search('programme=verkoper-duaal&near=9999&distanceKm=10');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ pointer: '/near', code: 'unknown-postcode' });
  });

  it('a workplace that is no longer searchable leaves the distance search with its save', async () => {
    const r = recognition(1, '2800');
    await saveRecognition(env.deps, { ...r, placeAvailable: false }, 1);
    expect(ids(await search('programme=verkoper-duaal&near=2800&distanceKm=5'))).toEqual([]);
    await saveRecognition(env.deps, { ...r, placeAvailable: true }, 2);
    expect(ids(await search('programme=verkoper-duaal&near=2800&distanceKm=5'))).toEqual(['2800']);
  });
});
