// A change of mentors that leaves a recognition without a mentor who counts, through the API in-process against the
// emulators: the partnership's "Erkenning zonder geldige mentor behandelen" and the feed's `recognition.suspended`
// follow one rule (withoutValidMentor), so they come together or not at all. A withdrawal whose only other mentor is
// past the training deadline gets both; one whose other mentor counts gets neither. A deactivation and an approval
// that aligns a person's deadline to one that passed record the event, which reaches the partnership and a provider
// with a learner there, not another provider.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventTypePrefix } from '../../events/cloud-event.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { personKey } from '../../shared/adapters/keyring.ts';
import * as keys from '../../shared/data/keys.ts';
import { getRecognition, personMentorItems, type Recognition } from '../../shared/data/recognitions.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { recognitionPathId } from '../../shared/domain/recognitions.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createTestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, given, type Actor } from '../../infra/local/testing/given.ts';
import { megaWorld, putEnterprise, putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { recognitionMentor as mentor } from '../../infra/local/testing/recognition-files.ts';
import { allRoutes } from '../../infra/topology.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let g: ReturnType<typeof given>;
const { jan, karim, els, sofie, pieter } = demo;
const [heist, leuven, hasselt] = megaWorld.establishments.map((e) => e.number) as [string, string, string];
/** Mieke Mentor's national number: the person named on the recognitions of the approval. */
const mieke = '80.01.01-001.07';
const passed = '2026-10-01';
const onMegaWorld = { enterpriseNumber: megaWorld.number, partnershipId: 'handel' };

async function put(r: Recognition, runningAgreementOf?: string) {
  await putRecognitions(env.deps, [r]);
  for (const Item of personMentorItems(r)) await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item }));
  if (runningAgreementOf) {
    const agreementId = ulid();
    await env.deps.db.send(
      new PutCommand({
        TableName: env.config.TABLE_NAME,
        Item: { ...keys.agreement.runningOn(r.id, agreementId), agreementId, providerId: runningAgreementOf },
      }),
    );
  }
  return r;
}

const subjectOf = (r: Recognition) => `recognitions/${recognitionPathId(r.id)}`;
const suspended = `${eventTypePrefix}recognition.suspended`;
/** The types of the events about `r` in the feed of the actor's organisation. */
async function feedOf(actor: Actor, r: Recognition): Promise<string[]> {
  const feed = await g.ok(200, actor, 'GET', '/v1/events?limit=100');
  return (feed.events as { type: string; subject: string }[]).filter((e) => e.subject === subjectOf(r)).map((e) => e.type);
}
async function withoutMentorTasks(r: Recognition): Promise<string[]> {
  const tasks = (await g.ok(200, karim, 'GET', '/v1/tasks?limit=100')).items as { type: string; subject: { id: string } }[];
  return tasks.filter((t) => t.type === 'recognitionWithoutMentor' && t.subject.id === recognitionPathId(r.id)).map((t) => t.type);
}
const path = (r: Recognition) => `/v1/recognitions/${recognitionPathId(r.id)}`;

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  g = given(
    await createTestApi(
      allRoutes().map((r) => r.route),
      env.deps,
    ),
  );
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, megaWorld);
});

describe('a withdrawal: the task and the event by one rule', () => {
  it('a recognition whose only other mentor is past the training deadline gets the task and the event', async () => {
    const withdrawn = mentor();
    const r = await put(
      recognitionFixture(801, {
        ...onMegaWorld,
        establishmentNumber: leuven,
        programmeId: 'winkelbediende-duaal',
        mentors: [withdrawn, mentor({ trainingDeadline: passed })],
      }),
    );
    await g.ok(200, els, 'POST', `${path(r)}/mentors/${withdrawn.id}/withdraw`, { reasons: 'Mentor voldoet niet meer' }, 1);
    expect(await feedOf(karim, r)).toEqual([`${eventTypePrefix}mentor.withdrawn`, suspended]);
    expect(await withoutMentorTasks(r)).toEqual(['recognitionWithoutMentor']);
  });

  it('one whose other mentor counts gets neither', async () => {
    const withdrawn = mentor();
    const r = await put(
      recognitionFixture(802, { ...onMegaWorld, establishmentNumber: hasselt, programmeId: 'winkelbediende-duaal', mentors: [withdrawn, mentor()] }),
    );
    await g.ok(200, els, 'POST', `${path(r)}/mentors/${withdrawn.id}/withdraw`, { reasons: 'Mentor voldoet niet meer' }, 1);
    expect(await feedOf(karim, r)).toEqual([`${eventTypePrefix}mentor.withdrawn`]);
    expect(await withoutMentorTasks(r)).toEqual([]);
  });
});

describe('a deactivation that leaves no mentor who counts', () => {
  it('records suspended for the partnership and the provider with a learner there, not another provider, and opens the task', async () => {
    const only = mentor();
    const r = await put(recognitionFixture(803, { ...onMegaWorld, establishmentNumber: heist, mentors: [only] }), 'campus-brugge');
    const changed = await g.ok(200, jan, 'POST', `${path(r)}/mentors/${only.id}/change`, { action: 'deactivate' }, 1);
    expect(changed.mentors[0]).toMatchObject({ id: only.id, active: false });
    expect(await feedOf(karim, r)).toEqual([suspended]);
    expect(await feedOf(sofie, r)).toEqual([suspended]);
    expect(await feedOf(pieter, r)).toEqual([]);
    expect(await withoutMentorTasks(r)).toEqual(['recognitionWithoutMentor']);
  });
});

describe('an approval that aligns a person to a deadline that passed', () => {
  it('records suspended where the person was the only mentor, for the partnership and the provider with a learner there, not another provider', async () => {
    const person = personKey(await env.deps.keys.derive('person'), mieke.replace(/\D/g, ''));
    const named = (trainingDeadline: string) => mentor({ name: 'Mieke Mentor', personKey: person, trainingDeadline });
    // Leuven: the person missed the training deadline there (another mentor still counts).
    await put(recognitionFixture(804, { ...onMegaWorld, establishmentNumber: leuven, mentors: [named(passed), mentor()] }));
    // Hasselt: the person is the only mentor, within a later deadline; Campus Brugge has a learner there.
    const hasseltRecognition = await put(
      recognitionFixture(805, { ...onMegaWorld, establishmentNumber: hasselt, mentors: [named('2027-06-01')] }),
      'campus-brugge',
    );
    // Heist: the person waits for approval on another programme.
    const pendingId = ulid();
    const heistRecognition = await put(
      recognitionFixture(806, {
        ...onMegaWorld,
        establishmentNumber: heist,
        programmeId: 'winkelbediende-duaal',
        pendingMentors: [
          {
            id: pendingId,
            name: 'Mieke Mentor',
            nationalNumber: mieke,
            birthDate: '1980-01-01',
            yearsOfExperience: 10,
            proofDocumentId: null,
            criminalRecordExtract: { documentId: ulid(), issuedOn: '2026-10-01' },
            requestedAt: '2026-10-20T08:00:00.000Z',
          },
        ],
      }),
    );
    await g.ok(200, karim, 'POST', `${path(heistRecognition)}/mentors/${pendingId}/approve`, undefined, 1);
    // One training per person: the earliest deadline, passed, now holds at Hasselt (and for the approval at Heist).
    expect((await getRecognition(env.deps, hasseltRecognition.id))!.mentors[0]!.trainingDeadline).toBe(passed);
    expect(await feedOf(karim, hasseltRecognition)).toEqual([suspended]);
    expect(await feedOf(sofie, hasseltRecognition)).toEqual([suspended]);
    expect(await feedOf(pieter, hasseltRecognition)).toEqual([]);
    expect(await withoutMentorTasks(hasseltRecognition)).toEqual(['recognitionWithoutMentor']);
    // Heist, with the approved person as its only mentor, is suspended too: Campus Brugge has a learner at the
    // establishment (on the deactivated recognition above), so it sees it; Syntra Mechelen does not.
    expect(await feedOf(karim, heistRecognition)).toEqual([suspended]);
    expect(await feedOf(sofie, heistRecognition)).toEqual([suspended]);
    expect(await feedOf(pieter, heistRecognition)).toEqual([]);
    expect(await withoutMentorTasks(heistRecognition)).toEqual(['recognitionWithoutMentor']);
  });
});
