// The event feed in-process against DynamoDB Local, with real user and client-credentials tokens: events recorded in
// the outbox reach the feeds of exactly the organisations that may see them when they are dispatched (a provider by
// its learners, a partnership by its recognitions and decisions), once, in order, with a cursor that pages and
// survives a new handler (a restart), a bad cursor refused on `after`, entries kept 90 days, and the scopes.
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgreementChanged } from '../../events/agreement-changed.ts';
import { cloudEventSchema, eventTypePrefix } from '../../events/cloud-event.ts';
import type { DomainEvent } from '../../events/domain-event.ts';
import type { KboChangeDecided } from '../../events/kbo-change-decided.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { feedEntriesOf, writeFeedEntries } from '../../shared/data/feed.ts';
import * as keys from '../../shared/data/keys.ts';
import { dispatchOutbox, outboxPut } from '../../shared/data/outbox.ts';
import { feedRetentionDays, mentorWithdrawnEvent, recognitionChangedEvent } from '../../shared/domain/feed.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { createTestEnvironment, drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { putRecognitions, recognitionFixture } from '../../infra/local/testing/kbo-fixtures.ts';
import { routes } from './routes.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;

const heist = '2.123.456.791';
const leuven = '2.200.000.382';
const onMegaWorld = { enterpriseNumber: '0417.390.703', partnershipId: 'handel' };
// Heist: a recognition of Handel with a learner of Campus Brugge on it, and one of Horeca for another programme.
const handelHeist = recognitionFixture(1, { ...onMegaWorld, establishmentNumber: heist });
const horecaHeist = recognitionFixture(2, { ...onMegaWorld, establishmentNumber: heist, partnershipId: 'horeca', programmeId: 'kok-duaal' });
// Leuven: a recognition of Handel without any learner.
const handelLeuven = recognitionFixture(3, { ...onMegaWorld, establishmentNumber: leuven });

const agreementEvent = (agreementId: string, providerId: string, change: AgreementChanged['change']): AgreementChanged => ({
  type: 'agreement-changed',
  eventId: `${agreementId}-v2-${change}`,
  change,
  agreementId,
  providerId,
  enterpriseNumber: onMegaWorld.enterpriseNumber,
  establishmentNumber: heist,
  programmeId: 'verkoper-duaal',
  recognitionId: handelHeist.id,
  startDate: '2026-09-01',
  endDate: '2027-06-30',
  suspension: null,
  ending: null,
  at: '2026-11-02T08:00:00.000Z',
});

const kboDecision: KboChangeDecided = {
  type: 'kbo-change-decided',
  eventId: '01JCHANGE00000000000000001-decided',
  changeId: '01JCHANGE00000000000000001',
  partnershipId: 'handel',
  kind: 'addressChanged',
  decision: 'keep',
  enterpriseNumber: onMegaWorld.enterpriseNumber,
  establishmentNumber: leuven,
  recognitionIds: [handelLeuven.id],
  decidedAt: '2026-11-02T08:00:00.000Z',
};

const at = '2026-11-02T08:00:00.000Z';
const events = {
  grantedHeist: recognitionChangedEvent(handelHeist, 'granted', at),
  grantedHoreca: recognitionChangedEvent(horecaHeist, 'granted', at),
  grantedLeuven: recognitionChangedEvent(handelLeuven, 'granted', at),
  withdrawnHeist: mentorWithdrawnEvent(handelHeist, 'm1', { id: '01JSANCTION000000000000001', decidedAt: at }),
  campusAgreement: agreementEvent('01JAGREEMENT00000000000001', 'campus-brugge', 'registered'),
  syntraAgreement: agreementEvent('01JAGREEMENT00000000000002', 'syntra-mechelen', 'registered'),
  kboDecision,
  premium: {
    type: 'premium-requested',
    eventId: 'premium-1',
    agreementId: '01JAGREEMENT00000000000001',
    kind: 'enterprise',
    amountCents: 50000,
    schoolYear: '2026-2027',
    enterpriseNumber: onMegaWorld.enterpriseNumber,
    requestedAt: at,
  },
} satisfies Record<string, DomainEvent>;

// Each recorded a millisecond after the one before: the outbox dispatches oldest first, so this is the feeds' order.
let recorded = 0;
const record = (e: DomainEvent) => {
  const createdAt = new Date(Date.parse(at) + recorded++).toISOString();
  return env.deps.db.send(new TransactWriteCommand({ TransactItems: [outboxPut(env.config.TABLE_NAME, e, createdAt)] }));
};

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi(routes, env.deps);
  await putRecognitions(env.deps, [handelHeist, horecaHeist, handelLeuven]);
  await env.deps.db.send(
    new PutCommand({
      TableName: env.config.TABLE_NAME,
      Item: {
        ...keys.agreement.runningOn(handelHeist.id, '01JAGREEMENT00000000000001'),
        agreementId: '01JAGREEMENT00000000000001',
        providerId: 'campus-brugge',
      },
    }),
  );
  for (const e of Object.values(events)) await record(e);
  await dispatchOutbox(env.deps);
  await drainQueue(env.deps, env.config.DOMAIN_EVENTS_QUEUE_URL);
});

const asUser = (user: string, path = '/v1/events', organisation?: string) =>
  api.tokenFor(user).then((token) => api.call({ method: 'GET', path, token, ...(organisation ? { organisation } : {}) }));
const asClient = (client: string, path = '/v1/events') => api.tokenForClient(client).then((token) => api.call({ method: 'GET', path, token }));
const ids = (body: { events: { id: string }[] }) => body.events.map((e) => e.id);

describe('who sees what', () => {
  it('a provider sees its own agreements and the recognitions of the establishments where it has a learner, in order', async () => {
    const answer = await asClient('campus-brugge-sis');
    expect(answer.status).toBe(200);
    expect(ids(answer.body)).toEqual([
      events.grantedHeist.eventId,
      events.grantedHoreca.eventId,
      events.withdrawnHeist.eventId,
      events.campusAgreement.eventId,
    ]);
    for (const e of answer.body.events) expect(cloudEventSchema.safeParse(e).success).toBe(true);
    expect(answer.body.events[0]).toMatchObject({
      specversion: '1.0',
      type: `${eventTypePrefix}recognition.granted`,
      source: 'urn:werkplekduaal:recognitions',
      subject: 'recognitions/E-20260101-000001',
      time: at,
      data: { recognitionId: handelHeist.id, establishmentNumber: heist, partnershipId: 'handel' },
    });
    expect(answer.body.events[2].type).toBe(`${eventTypePrefix}mentor.withdrawn`);
    expect(answer.body.events[3]).toMatchObject({ type: `${eventTypePrefix}agreement.registered`, subject: 'agreements/01JAGREEMENT00000000000001' });
    // Its users read the same feed.
    expect(ids((await asUser('sofie.trajectbegeleider')).body)).toEqual(ids(answer.body));
  });

  it('another provider, without learners there, sees only its own agreement', async () => {
    const answer = await asUser('pieter.beheerder');
    expect(ids(answer.body)).toEqual([events.syntraAgreement.eventId]);
  });

  it('a partnership sees its own recognitions and decisions, not those of another partnership', async () => {
    const handel = await asUser('karim.consulent');
    expect(ids(handel.body)).toEqual([events.grantedHeist.eventId, events.grantedLeuven.eventId, events.withdrawnHeist.eventId, events.kboDecision.eventId]);
    expect(handel.body.events.at(-1)).toMatchObject({ type: `${eventTypePrefix}kbo-change.decided`, subject: `kbo-changes/${kboDecision.changeId}` });
    const horeca = await asUser('bart.horeca');
    expect(ids(horeca.body)).toEqual([events.grantedHoreca.eventId]);
  });

  it('events that are not for school systems (a premium) reach no feed', async () => {
    expect(await feedEntriesOf(env.deps, events.premium)).toEqual([]);
  });

  it('an enterprise and the department have no feed', async () => {
    expect((await asUser('jan.mega')).status).toBe(403);
    expect((await asUser('dirk.departement')).status).toBe(403);
  });
});

describe('machine clients', () => {
  it('need scope events:read', async () => {
    const withoutScope = await asClient('handel-dossiers');
    expect([withoutScope.status, withoutScope.body.code]).toEqual([403, 'scope-required']);
    const other = await asClient('syntra-mechelen-sis');
    expect([other.status, other.body.code]).toEqual([403, 'scope-required']);
    expect((await asClient('campus-brugge-feed')).status).toBe(200);
  });

  it('refuse a call without a token', async () => {
    expect((await api.call({ method: 'GET', path: '/v1/events' })).status).toBe(401);
  });
});

describe('the cursor', () => {
  it('pages in order, stays valid for a restarted handler, and finds an event that came later', async () => {
    const first = await asUser('karim.consulent', '/v1/events?limit=3');
    expect(ids(first.body)).toHaveLength(3);
    // A new handler (a cold start, a deployment) accepts the cursor: it is sealed with the keyring's key.
    const restarted = await createTestApi(routes, env.deps);
    const token = await restarted.tokenFor('karim.consulent');
    const second = await restarted.call({ method: 'GET', path: `/v1/events?after=${first.body.next}&limit=3`, token });
    expect(second.status).toBe(200);
    expect([...ids(first.body), ...ids(second.body)]).toEqual(ids((await asUser('karim.consulent')).body));
    // At the end: nothing new, and the same position to ask again later.
    const empty = await asUser('karim.consulent', `/v1/events?after=${second.body.next}`);
    expect(empty.body.events).toEqual([]);
    const later = recognitionChangedEvent(handelLeuven, 'expired', at);
    await record(later);
    await dispatchOutbox(env.deps);
    const next = await asUser('karim.consulent', `/v1/events?after=${empty.body.next}`);
    expect(ids(next.body)).toEqual([later.eventId]);
    expect(next.body.events[0].type).toBe(`${eventTypePrefix}recognition.expired`);
  });

  it('a bad cursor, or another organisation’s, is a 400 naming after', async () => {
    const own = await asUser('karim.consulent', '/v1/events?limit=1');
    for (const after of ['garbage', `${own.body.next.slice(0, -2)}xx`, (await asUser('bart.horeca')).body.next]) {
      const answer = await asUser('karim.consulent', `/v1/events?after=${encodeURIComponent(after)}`);
      expect([answer.status, answer.body.code, answer.body.errors?.[0]?.pointer]).toEqual([400, 'invalid-cursor', '/after']);
    }
    const tooMany = await asUser('karim.consulent', '/v1/events?limit=101');
    expect(tooMany.status).toBe(400);
  });
});

describe('the entries', () => {
  it('are kept 90 days by TTL, and the reader skips an expired one TTL has not removed yet', async () => {
    const stored = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.feed.entry('partnership:horeca', 1) }));
    expect(stored.Item?.ttl).toBe(Math.floor(clock.now().getTime() / 1000) + feedRetentionDays * 86_400);
    expect(stored.Item?.event.id).toBe(events.grantedHoreca.eventId);
    const later = { ...env.deps, clock: fixedClock(new Date(clock.now().getTime() + (feedRetentionDays * 86_400 + 1) * 1000).toISOString()) };
    const laterApi = await createTestApi(routes, later);
    const answer = await laterApi.call({ method: 'GET', path: '/v1/events', token: await laterApi.tokenFor('bart.horeca') });
    expect(answer.body.events).toEqual([]);
  });

  it('are written once per event and organisation, however often a dispatch is retried', async () => {
    const entries = await feedEntriesOf(env.deps, events.grantedHeist);
    expect(entries.map((e) => e.organisationKey)).toEqual(['partnership:handel', 'provider:campus-brugge']);
    expect(await writeFeedEntries(env.deps, entries)).toBe(0);
    const answer = await asUser('sofie.trajectbegeleider');
    expect(ids(answer.body).filter((id) => id === events.grantedHeist.eventId)).toHaveLength(1);
  });

  it('get gapless positions when several dispatchers write one feed at once, so a reader skips none', async () => {
    const organisationKey = 'provider:concurrent-test';
    const template = (await feedEntriesOf(env.deps, events.grantedHeist))[0]!.event;
    const written = await Promise.all(
      Array.from({ length: 8 }, (_, n) => writeFeedEntries(env.deps, [{ organisationKey, event: { ...template, id: `concurrent-${n}` } }])),
    );
    expect(written.reduce((a, b) => a + b, 0)).toBe(8);
    const positions = [];
    for (let p = 1; p <= 9; p++) {
      const item = await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: keys.feed.entry(organisationKey, p) }));
      positions.push(item.Item ? String(item.Item.event.id) : null);
    }
    expect(positions.slice(0, 8).every((id) => id !== null)).toBe(true);
    expect(new Set(positions.slice(0, 8)).size).toBe(8);
    expect(positions[8]).toBeNull();
  });
});
