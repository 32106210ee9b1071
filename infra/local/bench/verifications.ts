// The verification API through the local stage, called by a provider's system with a client-credentials token,
// next to exactly the DynamoDB requests its handler makes (recorded on an in-process handler and replayed bare,
// requests.ts): the client's request counter (one UpdateItem), then one Query on the establishment's gsi1
// collection, then one BatchGet (enterprise profile, partnership, slot counters); for the identification one Query
// on the enterprise's item collection; for the name search one Query of the name index (gsi3) and one BatchGet of the
// enterprises of the 12 establishments it finds. Timed alternately, request by request (latency.ts).
import { routes as verificationRoutes } from '../../../functions/verifications/routes.ts';
import { demoClients } from '../seed/clients.ts';
import type { RunningStage } from '../stage.ts';
import { kboNumberFixture, megaWorld, putEnterprise, putRecognitions, recognitionFixture } from '../testing/kbo-fixtures.ts';
import { timeAlternately, type Comparison } from './latency.ts';
import { describeWaves, replay, requestRecorder } from './requests.ts';

/** The bench's own limit per client (main.ts sets it for the stage too): it measures latency, not the limit. */
export const benchClientLimit = 10_000;

export async function verificationBench(stage: RunningStage, count: number): Promise<Record<string, Comparison>> {
  await putEnterprise(stage.deps, megaWorld);
  // A name that 12 establishments in Gent start with, each of another enterprise seated in Brugge: the name search
  // reads them from the index and their enterprises with one BatchGet.
  for (let n = 0; n < 12; n++) {
    const suffix = String(n).padStart(2, '0');
    await putEnterprise(stage.deps, {
      number: kboNumberFixture(`099000${suffix}`),
      name: `Bench Frituur ${suffix}`,
      seat: { postcode: '8000', municipality: 'Brugge' },
      establishments: [{ number: kboNumberFixture(`299000${suffix}`), name: `Bench Frituur ${suffix} Gent`, postcode: '9000', municipality: 'Gent' }],
    });
  }
  const mentor = {
    id: 'bench-m1',
    name: 'Mentor',
    birthDate: undefined,
    active: true,
    withdrawn: false,
    trainingDeadline: null,
    trainingCompletedOn: null,
    trainingExempted: false,
  };
  await putRecognitions(stage.deps, [
    recognitionFixture(900_001, {
      enterpriseNumber: megaWorld.number,
      establishmentNumber: megaWorld.establishments[0]!.number,
      partnershipId: 'handel',
      mentors: [mentor, { ...mentor, id: 'bench-m2' }],
    }),
  ]);
  const headers = { authorization: `Bearer ${await stage.issuer.signClient(demoClients['campus-brugge-sis']!)}` };
  const get = (path: string) => async () => {
    const response = await fetch(`${stage.url}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  const recorder = requestRecorder({ ...stage, config: { ...stage.config, CLIENT_REQUESTS_PER_SECOND: benchClientLimit } }, verificationRoutes);
  const results: Record<string, Comparison> = {};
  for (const [route, path] of [
    ['GET /v1/verifications/recognition', `/v1/verifications/recognition?establishment=${megaWorld.establishments[0]!.number}&programme=verkoper-duaal`],
    ['GET /v1/verifications/enterprises', `/v1/verifications/enterprises?enterpriseNumber=${megaWorld.number}`],
    ['GET /v1/verifications/enterprises?name=&postcode=', '/v1/verifications/enterprises?name=bench%20frituur&postcode=9000'],
  ] as const) {
    const waves = await recorder.record(path, headers);
    const { a: api, b: bare } = await timeAlternately(get(path), () => replay(stage.deps, waves), count);
    results[route] = { api, bare, requests: describeWaves(waves) };
  }
  return results;
}
