// The reads a front end needs, against the emulators: the drafting picker (which workplaces each organisation may
// pick, their free places, paging across enterprises) and the lists of appeals (the enterprise's own, all of them
// for the department, per status).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import type { TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type given } from '../../infra/local/testing/given.ts';
import { megaWorld, putEnterprise, putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { establishmentSlotsKey, mentorSlotsKey } from '../../shared/data/agreements.ts';
import { lodgeAppeal, type Appeal } from '../../shared/data/appeals.ts';
import { registerMandate } from '../../shared/data/mandates.ts';
import type { Mandate } from '../../shared/domain/mandates.ts';
import type { RecognitionMentor } from '../../shared/domain/recognitions.ts';

const clock = fixedClock('2027-03-01T08:00:00.000Z');
let env: TestEnvironment;
let g: ReturnType<typeof given>;
const { jan, an, sofie, pieter, karim, dirk } = demo;

const bakery = {
  number: '0412.345.614',
  name: 'Bakkerij Peeters',
  establishments: [{ number: '2.200.000.283', name: 'Bakkerij Peeters Gent', postcode: '9000', municipality: 'Gent' }],
};
const [heist, leuven, hasselt] = megaWorld.establishments.map((e) => e.number) as [string, string, string];
const mentor = (name: string, over: Partial<RecognitionMentor> = {}): RecognitionMentor => ({
  id: ulid(),
  name,
  birthDate: '1980-01-01',
  active: true,
  withdrawn: false,
  trainingDeadline: null,
  trainingCompletedOn: null,
  trainingExempted: false,
  ...over,
});
const anna = mentor('Anna Verkoop');
const bert = mentor('Bert Weg', { active: false, withdrawn: true });
const chris = mentor('Chris Winkel', { trainingDeadline: '2027-02-01' });
const dora = mentor('Dora Bakker');

const handel = { programmeId: 'verkoper-duaal', partnershipId: 'handel' };
const recognitions = {
  heist: recognitionFixture(1, { ...handel, enterpriseNumber: megaWorld.number, establishmentNumber: heist, mentors: [anna, bert] }),
  leuven: recognitionFixture(2, { ...handel, enterpriseNumber: megaWorld.number, establishmentNumber: leuven, startDate: '2027-06-01', mentors: [chris] }),
  revoked: recognitionFixture(3, { ...handel, enterpriseNumber: megaWorld.number, establishmentNumber: hasselt, status: 'revoked' }),
  otherProgramme: recognitionFixture(4, { ...handel, programmeId: 'winkelbediende-duaal', enterpriseNumber: megaWorld.number, establishmentNumber: hasselt }),
  ended: recognitionFixture(5, { ...handel, enterpriseNumber: megaWorld.number, establishmentNumber: hasselt, endDate: '2027-02-28' }),
  bakery: recognitionFixture(6, { ...handel, enterpriseNumber: bakery.number, establishmentNumber: bakery.establishments[0]!.number, mentors: [dora] }),
};
const pathOf = (r: { id: string }) => r.id.replace(/\//g, '-');

function mandate(enterpriseNumber: string, providerId: string, status: Mandate['status']): Mandate {
  return {
    enterpriseNumber,
    providerId,
    registrationId: ulid(),
    documentId: ulid(),
    status,
    enterpriseEmail: 'info@onderneming.test',
    registeredBy: 'test',
    registeredByEmail: null,
    registeredAt: '2027-02-01T08:00:00.000Z',
    confirmedBy: status === 'confirmed' ? 'test' : null,
    confirmedAt: status === 'confirmed' ? '2027-02-02T08:00:00.000Z' : null,
    rejection: null,
    revokedBy: null,
    revokedAt: null,
    version: 1,
  };
}

function appeal(enterpriseNumber: string, status: Appeal['status'], receivedAt: string): Appeal {
  return {
    id: ulid(Date.parse(receivedAt)),
    enterpriseNumber,
    against: { kind: 'decision', applicationId: ulid() },
    decisionAt: '2027-02-01T08:00:00.000Z',
    grounds: 'Wij zijn het niet eens met de beslissing.',
    contactEmail: 'hr@onderneming.test',
    status,
    receivedAt,
    confirmBy: '2027-02-15',
    confirmation: null,
    outcome: null,
    version: 1,
  };
}
const appeals = [
  appeal(megaWorld.number, 'received', '2027-02-03T08:00:00.000Z'),
  appeal(megaWorld.number, 'admissible', '2027-02-04T08:00:00.000Z'),
  appeal(megaWorld.number, 'rejected', '2027-02-05T08:00:00.000Z'),
  appeal(bakery.number, 'received', '2027-02-06T08:00:00.000Z'),
];

beforeAll(async () => {
  ({ env, g } = await createApiWorld(clock));
  await putEnterprise(env.deps, bakery);
  await putRecognitions(env.deps, Object.values(recognitions));
  const used = async (key: { pk: string; sk: string }, n: number) =>
    env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...key, used: n } }));
  // Handel allows 2 learners per mentor and 4 per establishment: Anna has one, Heist is full.
  await used(mentorSlotsKey(anna.id), 1);
  await used(establishmentSlotsKey(heist), 4);
  await used(establishmentSlotsKey(leuven), 1);
  for (const m of [
    mandate(bakery.number, 'campus-brugge', 'confirmed'),
    mandate(megaWorld.number, 'campus-brugge', 'confirmed'),
    mandate(megaWorld.number, 'syntra-mechelen', 'pending'),
  ])
    await registerMandate(env.deps, m);
  for (const a of appeals) await lodgeAppeal(env.deps, a);
}, 60_000);

/** Every page of a list, following its cursor: the ids per page. */
async function pages(actor: typeof jan, path: string): Promise<string[][]> {
  const found: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await g.ok(200, actor, 'GET', `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    found.push(page.items.map((i: { id: string }) => i.id));
    cursor = page.cursor;
  } while (cursor);
  return found;
}

describe('the drafting picker', () => {
  it("lists the enterprise's own active recognitions for the programme, with the free places of the establishment and of each mentor", async () => {
    const page = await g.ok(200, jan, 'GET', '/v1/recognitions?programme=verkoper-duaal');
    expect(page.cursor).toBeNull();
    expect(page.items.map((r: { id: string }) => r.id)).toEqual([pathOf(recognitions.heist), pathOf(recognitions.leuven)]);
    const [atHeist, atLeuven] = page.items;
    expect(atHeist).toMatchObject({ number: recognitions.heist.id, establishmentNumber: heist, freePlaces: 0 });
    // A withdrawn mentor is not offered; of the people only the names, as a counsellor sees them.
    expect(atHeist.mentors).toEqual([{ id: anna.id, name: 'Anna Verkoop', valid: true, freePlaces: 1 }]);
    expect(atLeuven).toMatchObject({ freePlaces: 3, mentors: [{ id: chris.id, name: 'Chris Winkel', valid: false, freePlaces: 2 }] });
    expect(JSON.stringify(page)).not.toContain('1980-01-01');
  });

  it('with onDate only those valid on that day; pages with limit and the sealed cursor', async () => {
    const onDate = await g.ok(200, jan, 'GET', '/v1/recognitions?programme=verkoper-duaal&onDate=2027-03-15');
    expect(onDate.items.map((r: { id: string }) => r.id)).toEqual([pathOf(recognitions.heist)]);
    expect(await pages(jan, '/v1/recognitions?programme=verkoper-duaal&limit=1')).toEqual([[pathOf(recognitions.heist)], [pathOf(recognitions.leuven)]]);
  });

  it("gives a counsellor one enterprise's workplaces by number, or those of every enterprise with a confirmed mandate, page after page", async () => {
    const byNumber = await g.ok(200, pieter, 'GET', `/v1/recognitions?programme=verkoper-duaal&enterprise=${bakery.number}`);
    expect(byNumber.items.map((r: { id: string }) => r.id)).toEqual([pathOf(recognitions.bakery)]);
    // Syntra's mandate of Mega World is pending: without a number it has nothing to pick from.
    expect((await g.ok(200, pieter, 'GET', '/v1/recognitions?programme=verkoper-duaal')).items).toEqual([]);
    // Campus Brugge holds confirmed mandates of both: the enterprises in number order, every recognition once.
    const expected = [recognitions.bakery, recognitions.heist, recognitions.leuven].map(pathOf);
    expect((await pages(sofie, '/v1/recognitions?programme=verkoper-duaal&limit=1')).flat()).toEqual(expected);
    expect((await pages(sofie, '/v1/recognitions?programme=verkoper-duaal&limit=2')).flat()).toEqual(expected);
  });

  it('refuses another enterprise, the partnerships and the department, and a query that names neither form', async () => {
    const other = await g.as(an, 'GET', `/v1/recognitions?programme=verkoper-duaal&enterprise=${megaWorld.number}`);
    expect([other.status, other.body.code]).toEqual([403, 'not-your-workplaces']);
    for (const party of [karim, dirk]) expect((await g.as(party, 'GET', '/v1/recognitions?programme=verkoper-duaal')).status).toBe(403);
    const neither = await g.as(jan, 'GET', '/v1/recognitions');
    expect(neither.status).toBe(400);
    expect(neither.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/programme']);
    expect((await g.as(jan, 'GET', `/v1/recognitions?establishment=${heist}&limit=1`)).status).toBe(400);
    // The establishment form keeps answering as before.
    const checked = await g.ok(200, sofie, 'GET', `/v1/recognitions?establishment=${heist}&programme=verkoper-duaal`);
    expect(checked.items.map((r: { id: string }) => r.id)).toEqual([pathOf(recognitions.heist)]);
  });
});

describe('the lists of appeals', () => {
  const ids = (list: Appeal[]) => list.map((a) => a.id);
  const [received, admissible, rejected, ofBakery] = appeals as [Appeal, Appeal, Appeal, Appeal];

  it('gives the enterprise its own appeals, newest first, per status if asked', async () => {
    expect((await g.ok(200, jan, 'GET', '/v1/appeals')).items.map((a: Appeal) => a.id)).toEqual(ids([rejected, admissible, received]));
    expect((await g.ok(200, jan, 'GET', '/v1/appeals?status=admissible')).items.map((a: Appeal) => a.id)).toEqual([admissible.id]);
    expect((await g.ok(200, an, 'GET', '/v1/appeals')).items.map((a: Appeal) => a.id)).toEqual([ofBakery.id]);
  });

  it('gives the department every appeal, per status, page after page', async () => {
    expect((await pages(dirk, '/v1/appeals?limit=1&status=received')).flat()).toEqual(ids([ofBakery, received]));
    expect((await pages(dirk, '/v1/appeals?limit=2')).flat().sort()).toEqual(ids(appeals).sort());
    expect((await g.ok(200, dirk, 'GET', '/v1/appeals?status=upheld')).items).toEqual([]);
    expect((await g.as(sofie, 'GET', '/v1/appeals')).status).toBe(403);
  });
});
