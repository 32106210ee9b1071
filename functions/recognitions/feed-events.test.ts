// The recognitions' events for the event feed that no handler test reaches, against the emulators: the daily job
// records `expired` with the expiry and `suspended` when no mentor counts any more (once per version of the
// recognition, however often it runs), a change of mentors that leaves none counting records `suspended` itself
// (the nightly job then adds no second one), and a decided renewal records `renewed` with the recognition it follows.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { createApplication, decideApplication, type Application } from '../../shared/data/applications.ts';
import * as keys from '../../shared/data/keys.ts';
import { readFeed } from '../../shared/data/feed.ts';
import { getRecognition, saveRecognition, saveRecognitions, type Recognition } from '../../shared/data/recognitions.ts';
import { eventTypePrefix } from '../../events/cloud-event.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { creation, recognitionPathId, systemActor } from '../../shared/domain/recognitions.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { fileFixture, putEndingRecognition, recognitionMentor as mentor } from '../../infra/local/testing/recognition-files.ts';
import { createDailyJob } from './daily.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
});

const stored = (r: Recognition) => putEndingRecognition(env.deps, r);

const outboxEvent = async (eventId: string) =>
  (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.outbox.key(eventId) }))).Item?.event;

describe('the daily job', () => {
  it('expires a recognition past its end date with its event, once', async () => {
    const r = await stored(recognitionFixture(501, { startDate: '2021-11-01', endDate: '2026-10-31', partnershipId: 'handel', mentors: [mentor()] }));
    const job = createDailyJob(env.deps);
    expect((await job({ today: '2026-11-02' })).expired).toBe(1);
    expect(await getRecognition(env.deps, r.id)).toMatchObject({ status: 'expired', version: 2 });
    expect(await outboxEvent(`${recognitionPathId(r.id)}-expired`)).toMatchObject({
      type: 'recognition-changed',
      change: 'expired',
      recognitionId: r.id,
      partnershipId: 'handel',
      endDate: '2026-10-31',
    });
    expect((await job({ today: '2026-11-02' })).expired).toBe(0);
  });

  it('records a recognition suspended when no mentor counts, once per version; a new lapse after a change is another event', async () => {
    const r = await stored(recognitionFixture(502, { startDate: '2026-01-01', endDate: '2030-12-31', mentors: [mentor({ trainingDeadline: '2026-10-01' })] }));
    const job = createDailyJob(env.deps);
    await job({ today: '2026-11-02' });
    await job({ today: '2026-11-03' });
    const first = await outboxEvent(`${recognitionPathId(r.id)}-suspended-v1`);
    expect(first).toMatchObject({ type: 'recognition-changed', change: 'suspended', recognitionId: r.id });
    expect(JSON.stringify(first)).not.toContain('Mieke');
    // The enterprise changes the recognition (a version later) and it still has no valid mentor: reported again.
    expect((await saveRecognition(env.deps, { ...r, placeAvailable: false }, 1)).ok).toBe(true);
    await job({ today: '2026-11-04' });
    expect(await outboxEvent(`${recognitionPathId(r.id)}-suspended-v2`)).toMatchObject({ change: 'suspended' });
    // A recognition with a valid mentor is not suspended.
    const fine = await stored(recognitionFixture(503, { startDate: '2026-01-01', endDate: '2030-12-31', mentors: [mentor()] }));
    await job({ today: '2026-11-04' });
    expect(await outboxEvent(`${recognitionPathId(fine.id)}-suspended-v1`)).toBeUndefined();
  });
});

describe('a change of mentors that leaves none counting', () => {
  const subjectOf = (r: Recognition) => `recognitions/${recognitionPathId(r.id)}`;
  const handelFeed = async (r: Recognition) =>
    (await readFeed(env.deps, organisationKey('partnership', 'handel'), 0, 100)).events.filter((e) => e.subject === subjectOf(r)).map((e) => e.type);

  it('records suspended in its own transaction; the nightly job finds it recorded and adds none, so the feed has it once', async () => {
    const only = mentor();
    const r = await stored(recognitionFixture(507, { startDate: '2026-01-01', endDate: '2030-12-31', partnershipId: 'handel', mentors: [only] }));
    const deactivated = { ...r, mentors: [{ ...only, active: false }] };
    expect((await saveRecognitions(env.deps, [{ next: deactivated, expectedVersion: 1 }])).ok).toBe(true);
    expect(await outboxEvent(`${recognitionPathId(r.id)}-suspended-v2`)).toMatchObject({
      type: 'recognition-changed',
      change: 'suspended',
      recognitionId: r.id,
    });
    const job = createDailyJob(env.deps);
    await job({ today: '2026-11-02' });
    await job({ today: '2026-11-03' });
    expect(await handelFeed(r)).toEqual([`${eventTypePrefix}recognition.suspended`]);
  });

  it('records nothing while another mentor still counts', async () => {
    const [first, second] = [mentor(), mentor()];
    const r = await stored(recognitionFixture(508, { startDate: '2026-01-01', endDate: '2030-12-31', partnershipId: 'handel', mentors: [first, second] }));
    expect((await saveRecognitions(env.deps, [{ next: { ...r, mentors: [{ ...first, active: false }, second] }, expectedVersion: 1 }])).ok).toBe(true);
    expect(await outboxEvent(`${recognitionPathId(r.id)}-suspended-v2`)).toBeUndefined();
  });
});

describe('a decided file', () => {
  it('records granted for a new recognition and renewed, naming its predecessor, for a renewal; a retried decision records nothing twice', async () => {
    const predecessor = recognitionFixture(504, { partnershipId: 'handel' });
    for (const kind of ['new', 'renewal'] as const) {
      const application = fileOf(kind, kind === 'renewal' ? predecessor.id : null);
      await createApplication(env.deps, application, creation(application, systemActor));
      await env.deps.db.send(
        new PutCommand({
          TableName: env.config.TABLE_NAME,
          Item: { ...keys.application.lock(application.establishmentNumber, application.programmeId), holder: application.id, holderKind: 'application' },
        }),
      );
      const recognition = recognitionFixture(kind === 'new' ? 505 : 506, { applicationId: application.id, partnershipId: 'handel' });
      const decided = {
        application: { ...application, status: 'recognised' as const },
        recognition,
        change: { by: 'els', actor: systemActor, action: 'decided', before: {}, after: { decision: 'recognised' } },
        retentionOn: '2027-01-01',
      };
      expect((await decideApplication(env.deps, decided, application.version)).ok).toBe(true);
      const change = kind === 'new' ? 'granted' : 'renewed';
      expect(await outboxEvent(`${recognitionPathId(recognition.id)}-${change}`)).toMatchObject({
        type: 'recognition-changed',
        change,
        recognitionId: recognition.id,
        renewsRecognitionId: kind === 'renewal' ? predecessor.id : null,
      });
      expect(await decideApplication(env.deps, decided, application.version)).toEqual({ ok: false, conflict: 'version-conflict' });
    }
  });
});

function fileOf(kind: 'new' | 'renewal', renewsRecognitionId: string | null): Application {
  return fileFixture({ kind, renewsRecognitionId, establishmentNumber: kind === 'new' ? '2.123.456.791' : '2.200.000.382' });
}
