// A mentor is a person: the recognition keeps the keyed HMAC of the mentor's national number (never the number),
// the same on every recognition that names them, and capacity counts the learners of that person across
// recognitions (two programmes or two establishments), not per mentor id.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { personKey } from '../../shared/adapters/keyring.ts';
import { mentorSlotsKey } from '../../shared/data/agreements.ts';
import { readHistory } from '../../shared/data/history.ts';
import * as keys from '../../shared/data/keys.ts';
import { getRecognition, placesInUse, recognitionKey } from '../../shared/data/recognitions.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import { createTestApi } from '../../infra/local/testing/api.ts';
import { draftBody, mentorFixture, putRecognition, recognitionFixture } from '../../infra/local/testing/agreement-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, given } from '../../infra/local/testing/given.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { allRoutes } from '../../infra/topology.ts';

const mega = '0417390703';
/** The national number of the given-steps' mentor (Mieke Mentor), on every file they fill in. */
const miekeDigits = '80010100107';

describe('the mentor on a recognition', () => {
  let sfn: TestStepFunctions | undefined;
  afterAll(async () => sfn?.close());

  it('carries the person key of the national number, the same on two recognitions of two establishments', async () => {
    const world = await createApiWorld(fixedClock('2026-12-02T08:00:00.000Z'));
    sfn = world.sfn;
    const recognise = async (establishmentNumber: string) => {
      const submitted = await world.g.submitted(demo.jan, {
        enterpriseNumber: mega,
        establishmentNumber,
        programmeId: 'verkoper-duaal',
        jointCommittee: '311',
      });
      return (await world.g.decided(submitted, demo.karim, demo.els, 'recognised')).recognition;
    };
    const [heist, leuven] = [await recognise('2.123.456.791'), await recognise('2.200.000.382')];
    const mentors = await Promise.all([heist, leuven].map(async (r) => (await getRecognition(world.env.deps, r.number))!.mentors[0]!));
    const expected = personKey(await world.env.deps.keys.derive('person'), miekeDigits);
    expect(mentors.map((m) => m.personKey)).toEqual([expected, expected]);
    expect(mentors[0]!.id).not.toBe(mentors[1]!.id);
    // Neither the key nor any view gives the number away.
    expect(expected).not.toContain(miekeDigits.slice(0, 6));
    const read = await world.g.ok(200, demo.els, 'GET', `/v1/recognitions/${heist.id}`);
    expect(JSON.stringify(read)).not.toContain('personKey');

    // Withdrawn by sanction on Heist, the person is withdrawn at Leuven too, in the same sanction.
    const withdrawn = await world.g.ok(
      200,
      demo.els,
      'POST',
      `/v1/recognitions/${heist.id}/mentors/${mentors[0]!.id}/withdraw`,
      { reasons: 'Na begeleiding' },
      read.version,
    );
    expect([...withdrawn.sanction.affectedRecognitions].sort()).toEqual([heist.id, leuven.id].sort());
    for (const r of [heist, leuven]) {
      const stored = (await getRecognition(world.env.deps, r.number))!;
      expect(stored.mentors[0]).toMatchObject({ active: false, withdrawn: true });
      expect((await readHistory(world.env.deps, keys.recognition.pk(r.number))).at(-1)).toMatchObject({ action: 'mentor-withdrawn' });
    }
    const tasks = (await world.g.ok(200, demo.karim, 'GET', '/v1/tasks?limit=100')).items as { type: string; subject: { id: string } }[];
    expect(
      tasks
        .filter((t) => t.type === 'recognitionWithoutMentor')
        .map((t) => t.subject.id)
        .sort(),
    ).toEqual([heist.id, leuven.id].sort());

    // Upheld on appeal, the person counts again on both.
    const appeal = await world.g.ok(201, demo.jan, 'POST', '/v1/appeals', {
      against: { kind: 'sanction', sanctionId: withdrawn.sanction.id },
      grounds: 'De mentor volgde de opleiding.',
      contactEmail: 'hr@megaworld.test',
    });
    await world.g.ok(200, demo.dirk, 'POST', `/v1/appeals/${appeal.id}/confirm`, { admissible: true, reasons: 'Tijdig' }, 1);
    await world.g.ok(200, demo.dirk, 'POST', `/v1/appeals/${appeal.id}/outcome`, { outcome: 'upheld', reasons: 'Gegrond' }, 2);
    for (const r of [heist, leuven]) expect((await getRecognition(world.env.deps, r.number))!.mentors[0]).toMatchObject({ active: true, withdrawn: false });
    const after = (await world.g.ok(200, demo.karim, 'GET', '/v1/tasks?limit=100')).items as { type: string }[];
    expect(after.map((t) => t.type)).not.toContain('recognitionWithoutMentor');
  }, 120_000);
});

describe('capacity per person', () => {
  const clock = fixedClock('2027-08-20T08:00:00.000Z');
  let env: TestEnvironment;
  let g: ReturnType<typeof given>;
  const person = 'P3rs0nKeyOfOneMentorNamedOnTwoRecognitions00';
  const ids = { heist: ulid(), gent: ulid(), other: ulid() };

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
    await putEnterprise(env.deps, {
      number: '0417.390.703',
      name: 'Mega World',
      establishments: [
        { number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' },
        { number: '2.200.000.184', name: 'Mega World Gent', postcode: '9000', municipality: 'Gent' },
      ],
    });
    // One person, named as a mentor (each recognition its own mentor id) at Heist and at Gent; another mentor at Gent.
    await putRecognition(env.deps, recognitionFixture({ mentors: [{ ...mentorFixture(ids.heist, 'Anna Verkoop'), personKey: person }] }));
    await putRecognition(
      env.deps,
      recognitionFixture({
        id: 'E/20260101/000003',
        establishmentNumber: '2.200.000.184',
        mentors: [{ ...mentorFixture(ids.gent, 'Anna Verkoop'), personKey: person }, mentorFixture(ids.other, 'Bert Winkel')],
      }),
    );
    // Anna already trains two learners at Heist: Handel's maximum per mentor.
    await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...mentorSlotsKey(person), used: 2 } }));
  });

  it('counts the learners the person trains on another recognition', async () => {
    const gent = { establishmentNumber: '2.200.000.184' };
    const anna = await g.ok(201, demo.sofie, 'POST', '/v1/agreements', draftBody(ids.gent, gent));
    expect(anna.issues.map((i: { code: string }) => i.code)).toContain('mentor-capacity-reached');
    const bert = await g.ok(201, demo.sofie, 'POST', '/v1/agreements', draftBody(ids.other, gent));
    expect(bert.issues.map((i: { code: string }) => i.code)).not.toContain('mentor-capacity-reached');
    // The picker's free places (placesInUse) count the person too: Anna's two learners at Heist, none of Bert's.
    const places = await placesInUse(env.deps, [(await getRecognition(env.deps, 'E/20260101/000003'))!]);
    expect([places.mentorSlotsUsed(ids.gent), places.mentorSlotsUsed(ids.other)]).toEqual([2, 0]);
    // The recognition item itself keeps the key, never a national number.
    expect((await getRecognition(env.deps, 'E/20260101/000003'))!.mentors[0]!.personKey).toBe(person);
    expect(recognitionKey('E/20260101/000003').pk).not.toContain(person);
  });
});
