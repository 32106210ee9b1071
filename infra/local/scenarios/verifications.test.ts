// Scenario over HTTP through the local stage: a school's pupil administration (a client-credentials token of Campus
// Brugge's system, scopes verify and events:read) checks workplaces the portal's users recognised, suspended and the
// KBO stopped, and identifies companies from the seed's KBO extract, as the README's "For school-system developers"
// tells it to. Every answer is held to the OpenAPI document (contract.ts).
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../topology.ts';
import { demoClients } from '../seed/clients.ts';
import { contractFetch } from '../testing/contract.ts';
import { recognitionPath } from '../testing/given.ts';
import { syncMoveAndStop } from '../testing/kbo-updates.ts';
import { actors, iso, useScenarioStage } from '../testing/scenario-client.ts';

const scenario = useScenarioStage('verifications');
const { jan } = actors;
const an = { user: 'an.peeters', organisation: 'enterprise:0412345614' };

/** A GET as a demo machine client, with the token the local issuer gives it; the body parsed. */
async function asClient(client: string, path: string) {
  const token = await scenario.stage.issuer.signClient(demoClients[client]!);
  const checked = contractFetch(
    allRoutes().map((r) => r.route),
    scenario.stage.url,
  );
  const response = await checked(`${scenario.stage.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as any };
}
const verify = (establishment: string, programme = 'verkoper-duaal') =>
  asClient('campus-brugge-sis', `/v1/verifications/recognition?establishment=${establishment}&programme=${programme}`);
const identify = (query: string) => asClient('campus-brugge-sis', `/v1/verifications/enterprises?${query}`);

describe('the verification API through the local stage', () => {
  it('answers a school system for a recognised, suspended, stopped, never recognised and unknown workplace, and identifies companies', async () => {
    const { call, recogniseWorkplace } = scenario.client;
    const workplace = (enterprise: typeof jan, enterpriseNumber: string, establishmentNumber: string, counter: number) =>
      recogniseWorkplace({ enterprise, enterpriseNumber, establishmentNumber, programmeId: 'verkoper-duaal', jointCommittee: '311', counter });
    const heist = await workplace(jan, '0417.390.703', '2.123.456.791', 501);
    const brussel = await workplace(jan, '0417.390.703', '2.300.000.157', 511);
    const bakery = await workplace(an, '0412.345.614', '2.200.000.184', 521);
    // Heist marks a place available; Brussel's enterprise deactivates both mentors: none counts, it is suspended.
    const heistPath = `/v1/recognitions/${recognitionPath(heist.id)}`;
    const available = await call(jan, 'PUT', `${heistPath}/availability`, { placeAvailable: true }, (await call(jan, 'GET', heistPath)).body.version);
    expect(available.status, available.text).toBe(200);
    const brusselPath = `/v1/recognitions/${recognitionPath(brussel.id)}`;
    let version = (await call(jan, 'GET', brusselPath)).body.version;
    for (const m of brussel.mentors) {
      const deactivated = await call(jan, 'POST', `${brusselPath}/mentors/${m.id}/change`, { action: 'deactivate' }, version);
      expect(deactivated.status, deactivated.text).toBe(200);
      version = deactivated.body.version;
    }

    const recognised = await verify('2.123.456.791');
    expect(recognised.status).toBe(200);
    expect(recognised.body).toEqual({
      result: 'recognised',
      establishmentNumber: '2.123.456.791',
      programmeId: 'verkoper-duaal',
      onDate: iso(new Date()),
      establishment: { status: 'active', enterpriseNumber: '0417.390.703', enterpriseStatus: 'active' },
      recognition: {
        recognitionId: recognitionPath(heist.id),
        number: heist.number,
        status: 'active',
        validFrom: iso(new Date()),
        validUntil: heist.endDate,
        validOnDate: true,
        partnership: { id: 'handel', name: 'Sectoraal Partnerschap Handel' },
        placeFree: true,
        establishmentFreePlaces: expect.any(Number),
      },
    });
    expect(JSON.stringify(recognised.body)).not.toContain('Mieke');

    expect((await verify('2.300.000.157')).body).toMatchObject({
      result: 'notRecognisedOnDate',
      recognition: { number: brussel.number, status: 'suspended', validOnDate: false, placeFree: false },
    });
    expect((await verify('2.200.000.382')).body).toMatchObject({ result: 'neverRecognised', establishment: { status: 'active' }, recognition: null });
    expect((await verify('2.100.000.114')).body).toMatchObject({ result: 'unknownEstablishment', establishment: null, recognition: null });
    // Before the KBO stops the bakery it is recognised.
    expect((await verify('2.200.000.184')).body.result).toBe('recognised');

    // The weekly sync applies an Update that stops Bakkerij Peeters: its recognition stands until the partnership decides.
    await syncMoveAndStop(scenario.stage, scenario.dataDir);
    expect((await verify('2.200.000.184')).body).toMatchObject({
      result: 'closed',
      establishment: { status: 'stopped', enterpriseNumber: '0412.345.614', enterpriseStatus: 'stopped' },
      recognition: { number: bakery.number, status: 'active', validOnDate: false, placeFree: false },
    });

    // Identifying a company: by number, with only its establishments at a postcode; stopped; unknown.
    const mega = await identify('enterpriseNumber=0417390703&postcode=2220');
    expect(mega.body).toEqual({
      result: 'ok',
      candidates: [
        {
          enterpriseNumber: '0417.390.703',
          status: 'active',
          naturalPerson: false,
          name: 'ACM Economische Actor',
          seat: { postcode: '2220', municipality: 'Heist-op-den-Berg' },
          establishments: [
            { establishmentNumber: '2.123.456.791', status: 'active', name: 'Mega World', address: { postcode: '2220', municipality: 'Heist-op-den-Berg' } },
          ],
        },
      ],
      moreCandidates: false,
    });
    expect((await identify('enterpriseNumber=0412.345.614')).body).toMatchObject({ result: 'closed', candidates: [{ status: 'stopped' }] });
    expect((await identify('enterpriseNumber=0403.449.823')).body).toEqual({ result: 'unknown', candidates: [], moreCandidates: false });
    // By name and postcode: the seat's main name, or an establishment's own name there.
    const bySeat = await identify('name=acm%20econom&postcode=2220');
    expect(bySeat.body).toMatchObject({ result: 'ok', candidates: [{ enterpriseNumber: '0417.390.703', establishments: [] }], moreCandidates: false });
    const byEstablishment = await identify('name=Mega%20World&postcode=1000');
    expect(
      byEstablishment.body.candidates.map((c: { enterpriseNumber: string; establishments: { establishmentNumber: string }[] }) => [
        c.enterpriseNumber,
        c.establishments.map((e) => e.establishmentNumber),
      ]),
    ).toEqual([['0417.390.703', ['2.300.000.157']]]);
    // A natural person's enterprise: by number without any name, by name never.
    const soleTrader = await identify('enterpriseNumber=1098765421');
    expect(soleTrader.body.candidates[0]).toMatchObject({ naturalPerson: true, name: null, establishments: [{ name: null }] });
    expect(JSON.stringify(soleTrader.body)).not.toMatch(/Janssens|Kapsalon/);
    expect((await identify('name=kapsalon&postcode=2800')).body).toEqual({ result: 'unknown', candidates: [], moreCandidates: false });
  }, 240_000);

  it('refuses a system without the verify scope (403) and a bad query (400), as problem+json naming the rule and the field', async () => {
    const withoutScope = await asClient('campus-brugge-feed', '/v1/verifications/recognition?establishment=2123456791&programme=verkoper-duaal');
    expect([withoutScope.status, withoutScope.body.code]).toEqual([403, 'scope-required']);
    expect(withoutScope.contentType).toMatch(/^application\/problem\+json/);
    const badNumber = await verify('2.123.456.790');
    expect(badNumber.status).toBe(400);
    expect(badNumber.contentType).toMatch(/^application\/problem\+json/);
    expect(badNumber.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/establishment']);
    const nameWithoutPostcode = await identify('name=Mega');
    expect(nameWithoutPostcode.status).toBe(400);
    expect(nameWithoutPostcode.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code])).toEqual([
      ['/postcode', 'postcode-required-with-name'],
    ]);
  });
});
