// The verification API in-process against DynamoDB Local, with real user and client-credentials tokens: who may
// verify (scopes next to roles), every answer that is not "recognised" (unknown, closed, never recognised, not on
// the date), the free place, company identification without personal data, and the per-client request limit.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { enterpriseItem } from '../../shared/data/kbo.ts';
import * as keys from '../../shared/data/keys.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import type { RecognitionMentor } from '../../shared/domain/recognitions.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { kboNumberFixture, megaWorld, putEnterprise, putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { routes } from './routes.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;

const mentor = (id: string, over: Partial<RecognitionMentor> = {}): RecognitionMentor => ({
  id,
  name: 'Mentor Naam',
  birthDate: undefined,
  active: true,
  withdrawn: false,
  trainingDeadline: null,
  trainingCompletedOn: null,
  trainingExempted: false,
  ...over,
});

const heist = '2.123.456.791';
const leuven = '2.200.000.382';
const hasselt = '2.200.000.481';
const stoppedEnterprise = {
  number: '0420.000.003',
  name: 'Gesloten BV',
  establishments: [{ number: '2.100.000.015', name: 'Gesloten', postcode: '9000', municipality: 'Gent' }],
};
const soleTrader = {
  number: '0430.000.010',
  name: 'Jan Janssens',
  establishments: [{ number: '2.100.000.213', name: 'Bakkerij Jan Janssens', postcode: '8000', municipality: 'Brugge' }],
};
const unknownEstablishment = '2.100.000.114';

/** The enterprise's item again, with its name (the names are in the item), in another status or type. */
async function putProfile(enterprise: { number: string; name: string }, over: { status: 'active' | 'stopped'; typeOfEnterprise: string }) {
  const item = enterpriseItem(
    {
      enterpriseNumber: enterprise.number,
      juridicalSituation: '000',
      juridicalForm: '014',
      startDate: '2000-01-01',
      kboExtractNumber: 1,
      ...over,
    },
    [{ language: '2', type: '001', denomination: enterprise.name }],
  );
  await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: item }));
}

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi(routes, env.deps);
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, megaWorld);
  await putEnterprise(env.deps, stoppedEnterprise);
  await putProfile(stoppedEnterprise, { status: 'stopped', typeOfEnterprise: '2' });
  await putEnterprise(env.deps, soleTrader);
  await putProfile(soleTrader, { status: 'active', typeOfEnterprise: '1' });
  const onMegaWorld = { enterpriseNumber: megaWorld.number, partnershipId: 'handel', programmeId: 'verkoper-duaal' };
  await putRecognitions(env.deps, [
    // Heist: an earlier recognition that expired, and its renewal, valid now, with two mentors and room.
    recognitionFixture(1, {
      ...onMegaWorld,
      establishmentNumber: heist,
      startDate: '2021-01-01',
      endDate: '2025-12-31',
      status: 'expired',
      mentors: [mentor('m1')],
    }),
    recognitionFixture(2, {
      ...onMegaWorld,
      establishmentNumber: heist,
      startDate: '2026-01-01',
      endDate: '2030-12-31',
      mentors: [mentor('m1'), mentor('m2')],
    }),
    // Leuven: revoked on 1 June 2026.
    recognitionFixture(3, {
      ...onMegaWorld,
      establishmentNumber: leuven,
      status: 'revoked',
      placeAvailable: false,
      mentors: [mentor('m3')],
      revocation: { sanctionId: 'S1', reasons: 'Sanctie', at: '2026-06-01T09:00:00.000Z' },
    }),
    // Hasselt: recognised for another programme only; verkoper-duaal never.
    recognitionFixture(4, { ...onMegaWorld, establishmentNumber: hasselt, programmeId: 'winkelbediende-duaal', mentors: [mentor('m4')] }),
    // The stopped enterprise: still an active recognition, waiting for the partnership's decision on the KBO change.
    recognitionFixture(5, {
      enterpriseNumber: stoppedEnterprise.number,
      establishmentNumber: '2.100.000.015',
      partnershipId: 'handel',
      mentors: [mentor('m5')],
    }),
    // The sole trader: its only mentor is past the training deadline, so the recognition is suspended.
    recognitionFixture(6, {
      enterpriseNumber: soleTrader.number,
      establishmentNumber: '2.100.000.213',
      partnershipId: 'horeca',
      mentors: [mentor('m6', { trainingDeadline: '2026-07-01' })],
    }),
  ]);
  // Heist has one running agreement (of four places), mentor m1 both of his.
  await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...keys.agreement.establishmentSlots(heist), used: 1 } }));
  await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...keys.agreement.mentorSlots('m1'), used: 2 } }));
});

const verifyPath = (establishment: string, programme = 'verkoper-duaal', onDate?: string) =>
  `/v1/verifications/recognition?establishment=${establishment}&programme=${programme}${onDate ? `&onDate=${onDate}` : ''}`;
const asClient = async (path: string, client = 'campus-brugge-sis', organisation?: string) =>
  api.call({ method: 'GET', path, token: await api.tokenForClient(client), ...(organisation ? { organisation } : {}) });

describe('GET /v1/verifications/recognition', () => {
  it('answers a recognised workplace with its number, validity, status, partnership and free place', async () => {
    const res = await asClient(verifyPath('2123456791'));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      result: 'recognised',
      establishmentNumber: heist,
      programmeId: 'verkoper-duaal',
      onDate: '2026-11-02',
      establishment: { status: 'active', enterpriseNumber: megaWorld.number, enterpriseStatus: 'active' },
      recognition: {
        recognitionId: 'E-20260101-000002',
        number: 'E/20260101/000002',
        status: 'active',
        validFrom: '2026-01-01',
        validUntil: '2030-12-31',
        validOnDate: true,
        partnership: { id: 'handel', name: 'Sectoraal Partnerschap Handel' },
        // m1 is full (2 of 2), m2 has room; the establishment has 3 of 4 places left.
        placeFree: true,
        establishmentFreePlaces: 3,
      },
    });
    expect(res.text).not.toContain('Mentor Naam');
  });

  it('answers for another date with the recognition of that date: the expired predecessor', async () => {
    const res = await asClient(verifyPath(heist, 'verkoper-duaal', '2024-05-01'));
    expect(res.body.result).toBe('recognised');
    expect(res.body.recognition).toMatchObject({ number: 'E/20260101/000001', status: 'active', validUntil: '2025-12-31' });
    const before = await asClient(verifyPath(heist, 'verkoper-duaal', '2019-05-01'));
    expect(before.body).toMatchObject({ result: 'notRecognisedOnDate', recognition: { number: 'E/20260101/000001', validOnDate: false } });
  });

  it('has its own answer for each case that is not recognised: revoked, never recognised, closed, unknown, suspended', async () => {
    const revoked = await asClient(verifyPath(leuven));
    expect(revoked.body).toMatchObject({ result: 'notRecognisedOnDate', recognition: { status: 'revoked', validOnDate: false, placeFree: false } });
    // Before the revocation it was recognised.
    expect((await asClient(verifyPath(leuven, 'verkoper-duaal', '2026-05-31'))).body).toMatchObject({
      result: 'recognised',
      recognition: { status: 'active' },
    });
    const never = await asClient(verifyPath(hasselt));
    expect(never.body).toMatchObject({ result: 'neverRecognised', recognition: null, establishment: { status: 'active' } });
    const closed = await asClient(verifyPath('2.100.000.015', 'verkoper-duaal'));
    expect(closed.body).toMatchObject({
      result: 'closed',
      establishment: { status: 'active', enterpriseStatus: 'stopped' },
      recognition: { status: 'active', validOnDate: false },
    });
    const unknown = await asClient(verifyPath(unknownEstablishment));
    expect(unknown.body).toEqual({
      result: 'unknownEstablishment',
      establishmentNumber: unknownEstablishment,
      programmeId: 'verkoper-duaal',
      onDate: '2026-11-02',
      establishment: null,
      recognition: null,
    });
    const suspended = await asClient(verifyPath('2.100.000.213'));
    expect(suspended.body).toMatchObject({ result: 'notRecognisedOnDate', recognition: { status: 'suspended', validOnDate: false, placeFree: false } });
    // Still within the training deadline, the same recognition was active.
    expect((await asClient(verifyPath('2.100.000.213', 'verkoper-duaal', '2026-06-30'))).body.recognition.status).toBe('active');
  });

  it('refuses a malformed establishment number or date with the field and the rule', async () => {
    const res = await asClient('/v1/verifications/recognition?establishment=2.123.456.790&programme=verkoper-duaal&onDate=2026-13-01');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/establishment', '/onDate']);
  });
});

describe('who may verify', () => {
  it('a provider or partnership system with scope verify, without X-Organisation, and their people; another provider gets the same answer', async () => {
    const path = verifyPath(heist);
    const answers = [
      await asClient(path, 'campus-brugge-sis'),
      await asClient(path, 'syntra-mechelen-sis'),
      await asClient(path, 'handel-dossiers'),
      await asClient(path, 'campus-brugge-sis', 'provider:campus-brugge'),
      await api.call({ method: 'GET', path, token: await api.tokenFor('sofie.trajectbegeleider') }),
      await api.call({ method: 'GET', path, token: await api.tokenFor('karim.consulent') }),
    ];
    for (const res of answers) expect(res.status, res.text).toBe(200);
    for (const res of answers) expect(res.body).toEqual(answers[0]!.body);
  });

  it('refuses anonymous callers, enterprises, a system without the scope, and a system naming another organisation', async () => {
    const path = verifyPath(heist);
    expect((await api.call({ method: 'GET', path })).status).toBe(401);
    const enterprise = await api.call({ method: 'GET', path, token: await api.tokenFor('jan.mega') });
    expect([enterprise.status, enterprise.body.code]).toEqual([403, 'role-not-allowed']);
    const department = await api.call({ method: 'GET', path, token: await api.tokenFor('dirk.departement') });
    expect([department.status, department.body.code]).toEqual([403, 'role-not-allowed']);
    const withoutScope = await asClient(path, 'campus-brugge-feed');
    expect([withoutScope.status, withoutScope.body.code]).toEqual([403, 'scope-required']);
    expect(withoutScope.body.detail).toContain('verify');
    const otherOrganisation = await asClient(path, 'campus-brugge-sis', 'provider:syntra-mechelen');
    expect([otherOrganisation.status, otherOrganisation.body.code]).toEqual([403, 'organisation-not-granted']);
  });
});

describe('GET /v1/verifications/enterprises', () => {
  it('identifies an enterprise by number with its establishments, only those at a postcode when asked', async () => {
    const res = await asClient('/v1/verifications/enterprises?enterpriseNumber=0417390703');
    expect(res.status, res.text).toBe(200);
    expect(res.body.result).toBe('ok');
    expect(res.body.candidates).toHaveLength(1);
    expect(res.body.candidates[0]).toMatchObject({ enterpriseNumber: megaWorld.number, name: 'Mega World', naturalPerson: false, status: 'active' });
    expect(res.body.candidates[0].establishments.map((e: { establishmentNumber: string }) => e.establishmentNumber).sort()).toEqual(
      [heist, hasselt, leuven].sort(),
    );
    const leuvenOnly = await asClient('/v1/verifications/enterprises?enterpriseNumber=0417.390.703&postcode=3000');
    expect(leuvenOnly.body.candidates[0].establishments).toEqual([
      { establishmentNumber: leuven, status: 'active', name: 'Mega World Leuven', address: { postcode: '3000', municipality: 'Leuven' } },
    ]);
  });

  it('shows no names of an enterprise of a natural person, and no street anywhere', async () => {
    const res = await asClient(`/v1/verifications/enterprises?enterpriseNumber=${soleTrader.number}`);
    expect(res.body.candidates[0]).toMatchObject({ naturalPerson: true, name: null, establishments: [{ name: null, address: { postcode: '8000' } }] });
    expect(res.text).not.toContain('Janssens');
    expect(res.text).not.toContain('Stationsstraat');
  });

  it('answers unknown and closed', async () => {
    expect((await asClient('/v1/verifications/enterprises?enterpriseNumber=0412.345.614')).body).toEqual({
      result: 'unknown',
      candidates: [],
      moreCandidates: false,
    });
    expect((await asClient(`/v1/verifications/enterprises?enterpriseNumber=${stoppedEnterprise.number}`)).body).toMatchObject({
      result: 'closed',
      candidates: [{ name: 'Gesloten BV', status: 'stopped' }],
      moreCandidates: false,
    });
  });
});

describe('GET /v1/verifications/enterprises by name and postcode', () => {
  const brewery = {
    number: kboNumberFixture('04400001'),
    name: 'Brouwerij De Halve Maan',
    seat: { postcode: '8000', municipality: 'Brugge' },
    establishments: [
      { number: kboNumberFixture('21000003'), name: 'Halve Maan Bezoekerscentrum', postcode: '8000', municipality: 'Brugge' },
      { number: kboNumberFixture('21000004'), name: 'Brouwerij De Halve Maan Depot', postcode: '8200', municipality: 'Brugge' },
      { number: kboNumberFixture('21000005'), name: 'Brouwerij Oud Depot', postcode: '8000', municipality: 'Brugge', status: 'stopped' as const },
    ],
  };
  /** 22 enterprises of one name at one postcode: more than a name search shows. */
  const namesakes = Array.from({ length: 22 }, (_, n) => ({
    number: kboNumberFixture(`045000${String(n).padStart(2, '0')}`),
    name: `Frituur ${String.fromCharCode(65 + n)}`,
    seat: { postcode: '9300', municipality: 'Aalst' },
    establishments: [],
  }));
  const byName = (name: string, postcode: string) => asClient(`/v1/verifications/enterprises?name=${encodeURIComponent(name)}&postcode=${postcode}`);
  const numbersOf = (body: { candidates: { enterpriseNumber: string; establishments: { establishmentNumber: string }[] }[] }) =>
    body.candidates.map((c) => [c.enterpriseNumber, c.establishments.map((e) => e.establishmentNumber)]);

  beforeAll(async () => {
    for (const enterprise of [brewery, ...namesakes]) await putEnterprise(env.deps, enterprise);
  });
  // Each test in a second of its own: the client's requests per second are limited.
  beforeEach(() => clock.advance(1000));

  it("finds an enterprise by the start of its main name at its seat, and by an establishment's own name at its postcode", async () => {
    const res = await byName('brouwerij de halve', '8000');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      result: 'ok',
      candidates: [
        {
          enterpriseNumber: brewery.number,
          status: 'active',
          naturalPerson: false,
          name: 'Brouwerij De Halve Maan',
          seat: { postcode: '8000', municipality: 'Brugge' },
          establishments: [],
        },
      ],
      moreCandidates: false,
    });
    expect(numbersOf((await byName('HALVE máán', '8000')).body)).toEqual([[brewery.number, [brewery.establishments[0]!.number]]]);
    expect(numbersOf((await byName('Brouwerij-De Halve', '8200')).body)).toEqual([[brewery.number, [brewery.establishments[1]!.number]]]);
    expect(numbersOf((await byName('mega world', '3000')).body)).toEqual([[megaWorld.number, [leuven]]]);
  });

  it('matches a prefix of the name, not a word inside it, and only at that postcode; a stopped entity is left out', async () => {
    expect((await byName('halve maan', '8200')).body).toEqual({ result: 'unknown', candidates: [], moreCandidates: false });
    expect((await byName('bezoekerscentrum', '8000')).body.candidates).toEqual([]);
    expect((await byName('mega world', '9000')).body.candidates).toEqual([]);
    expect((await byName('brouwerij oud', '8000')).body.candidates).toEqual([]);
    expect((await byName('gesloten', '9000')).body.candidates).toEqual([]);
  });

  it('never returns an enterprise of a natural person, also not through its establishments', async () => {
    const res = await byName('bakkerij', '8000');
    expect(res.body).toEqual({ result: 'unknown', candidates: [], moreCandidates: false });
    expect(res.text).not.toContain('Janssens');
  });

  it('answers at most 20 candidates in the order of their names, and says that more matched', async () => {
    const res = await byName('frituur', '9300');
    expect(res.body.candidates).toHaveLength(20);
    expect(res.body.candidates.map((c: { name: string }) => c.name)).toEqual(namesakes.slice(0, 20).map((e) => e.name));
    expect(res.body.moreCandidates).toBe(true);
    expect((await byName('frituur v', '9300')).body).toMatchObject({ candidates: [{ name: 'Frituur V' }], moreCandidates: false });
  });

  it('refuses a name without postcode, a postcode alone, a name with a number, a name too short, naming field and rule', async () => {
    const refused = async (query: string) => {
      const res = await asClient(`/v1/verifications/enterprises?${query}`);
      expect(res.status, res.text).toBe(400);
      return res.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]);
    };
    expect(await refused('name=Mega')).toEqual([['/postcode', 'postcode-required-with-name']]);
    expect(await refused('postcode=3000')).toEqual([['/name', 'enterprise-number-or-name-required']]);
    expect(await refused('')).toEqual([['/name', 'enterprise-number-or-name-required']]);
    expect(await refused(`name=Mega&postcode=3000&enterpriseNumber=${megaWorld.number}`)).toEqual([['/name', 'name-with-enterprise-number']]);
    expect(await refused('name=M.&postcode=3000')).toEqual([['/name', 'name-too-short']]);
    expect(await refused('name=Mega&postcode=300')).toEqual([['/postcode', 'invalid-postcode']]);
  });

  it('is for verifiers only, as the search by number', async () => {
    const path = '/v1/verifications/enterprises?name=mega&postcode=3000';
    const enterprise = await api.call({ method: 'GET', path, token: await api.tokenFor('jan.mega') });
    expect([enterprise.status, enterprise.body.code]).toEqual([403, 'role-not-allowed']);
    const withoutScope = await asClient(path, 'campus-brugge-feed');
    expect([withoutScope.status, withoutScope.body.code]).toEqual([403, 'scope-required']);
    expect((await api.call({ method: 'GET', path, token: await api.tokenFor('karim.consulent') })).status).toBe(200);
  });
});

describe('the per-client request limit', () => {
  it('answers 429 with Retry-After once a client made its requests of the second, counts clients apart and not people', async () => {
    const limited = await createTestEnvironment({ CLIENT_REQUESTS_PER_SECOND: '2' });
    const now = { at: new Date('2026-11-02T08:00:00.200Z') };
    limited.deps.clock = { now: () => now.at };
    const limitedApi = await createTestApi(routes, limited.deps);
    const path = verifyPath(unknownEstablishment);
    const call = async (client: string) => limitedApi.call({ method: 'GET', path, token: await limitedApi.tokenForClient(client) });
    expect((await call('campus-brugge-sis')).status).toBe(200);
    expect((await call('campus-brugge-sis')).status).toBe(200);
    const third = await call('campus-brugge-sis');
    expect([third.status, third.body.code, third.headers['Retry-After']]).toEqual([429, 'too-many-requests', '1']);
    // Another system has its own count, and people are not counted.
    expect((await call('syntra-mechelen-sis')).status).toBe(200);
    const sofie = await limitedApi.tokenFor('sofie.trajectbegeleider');
    for (let i = 0; i < 3; i++) expect((await limitedApi.call({ method: 'GET', path, token: sofie })).status).toBe(200);
    // A refused system is not counted twice: the next second it has its full limit again.
    now.at = new Date('2026-11-02T08:00:01.000Z');
    expect((await call('campus-brugge-sis')).status).toBe(200);
    expect((await call('campus-brugge-sis')).status).toBe(200);
    expect((await call('campus-brugge-sis')).status).toBe(429);
  });

  it('counts concurrent requests exactly', async () => {
    const limited = await createTestEnvironment({ CLIENT_REQUESTS_PER_SECOND: '5' });
    limited.deps.clock = clock;
    const limitedApi = await createTestApi(routes, limited.deps);
    const token = await limitedApi.tokenForClient('handel-dossiers');
    const answers = await Promise.all(Array.from({ length: 12 }, () => limitedApi.call({ method: 'GET', path: verifyPath(unknownEstablishment), token })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(7);
  });
});
