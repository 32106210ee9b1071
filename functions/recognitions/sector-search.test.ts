// Public search by sector against DynamoDB Local: a sector's programmes are read one after the other, and the
// cursor carries the programme a page ended in, so pages of 2 over three programmes give every workplace once.
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createReference, seedReferenceFiles } from '../../shared/data/reference.ts';
import { recognitionItem, type Recognition } from '../../shared/data/recognitions.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { routes } from './routes.ts';

let env: TestEnvironment;
let api: TestApi;

// Three programmes of one sector with 3, 1 and 2 workplaces: pages of 2 end inside, at the end of and across them.
const programmes = { 'zorg-a-duaal': 3, 'zorg-b-duaal': 1, 'zorg-c-duaal': 2 };
const expected: string[] = [];

function recognition(n: number, programmeId: string): Recognition {
  return {
    id: `E/20260101/${String(n).padStart(6, '0')}`,
    applicationId: `A${n}`,
    enterpriseNumber: '0417.390.703',
    establishmentNumber: `2.200.000.${String(n).padStart(3, '0')}`,
    programmeId,
    partnershipId: 'zorg',
    startDate: '2026-01-01',
    endDate: '2030-12-31',
    status: 'active',
    mentors: [],
    pendingMentors: [],
    placeAvailable: true,
    contactEmails: ['hr@zorg.test'],
    revocation: null,
    workplace: { name: `Zorgplek ${n}`, postcode: '2800', municipality: 'Mechelen', sector: 'zorg', programmeName: programmeId },
    decidedBy: 'test',
    decidedAt: '2026-01-01T00:00:00Z',
    version: 1,
  };
}

const search = (query: string) => api.call({ method: 'GET', path: `/v1/workplaces?${query}` });

/** Follows the cursors to the end; returns the pages' recognition ids. */
async function allPages(query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res = await search(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, res.text).toBe(200);
    pages.push(res.body.items.map((i: { recognitionId: string }) => i.recognitionId));
    cursor = res.body.cursor;
    expect(pages.length).toBeLessThan(20);
  } while (cursor);
  return pages;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  api = await createTestApi(routes, env.deps);
  await seedReferenceFiles(env.deps, referenceFiles());
  let n = 1;
  for (const [programmeId, count] of Object.entries(programmes)) {
    await createReference(
      env.deps,
      'programmes',
      { id: programmeId, name: programmeId, sector: 'zorg', agreementType: 'OAO', educationLevel: 'secondary', schoolYears: 2 },
      'test',
    );
    for (let i = 0; i < count; i++) {
      const r = recognition(n++, programmeId);
      await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: recognitionItem(r) }));
      // The search names each recognition by the id of its path.
      expected.push(recognitionPathId(r.id));
    }
  }
});

describe('GET /v1/workplaces?sector=', () => {
  it('pages over all programmes of the sector: every workplace once, none skipped, at most limit per page', async () => {
    const pages = await allPages('sector=zorg&limit=2');
    const seen = pages.flat();
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('returns all in one page when they fit, and pages one programme the same way', async () => {
    expect((await allPages('sector=zorg&limit=10')).flat().sort()).toEqual([...expected].sort());
    const one = await allPages('programme=zorg-a-duaal&limit=2');
    expect(one.flat().sort()).toEqual(expected.slice(0, 3).sort());
    expect(one[0]).toHaveLength(2);
  });

  it('accepts the cursor only for the same search', async () => {
    const first = await search('sector=zorg&limit=2');
    expect(first.body.cursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(first.body.cursor);
    expect((await search(`sector=zorg&limit=5&cursor=${cursor}`)).status).toBe(200);
    for (const other of [
      `sector=handel&limit=2&cursor=${cursor}`,
      `sector=zorg&postcode=2800&limit=2&cursor=${cursor}`,
      `programme=zorg-a-duaal&limit=2&cursor=${cursor}`,
    ]) {
      const res = await search(other);
      expect(res.status, other).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid-cursor', errors: [{ pointer: '/cursor' }] });
    }
  });
});
