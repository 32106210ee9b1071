// Agreements against the emulators: a draft with its pre-flight problems, fixed; the annexes; registration
// with premiums and capacity slots; 20 parallel registrations for one free slot; idempotent register;
// amendments with an addendum and its task; a long suspension; early termination; expiry of a work version.
import { beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { ulid } from 'ulid';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { outbox } from '../../shared/data/keys.ts';
import { dispatchOutbox, outboxPut } from '../../shared/data/outbox.ts';
import { readFeed } from '../../shared/data/feed.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { establishmentSlotsKey, learnerAgreements, mentorSlotsKey, runningAgreementsOn, slotsUsed } from '../../shared/data/agreements.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { createTestEnvironment, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { createTestApi, type TestApi } from '../../infra/local/testing/api.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import {
  draftBody,
  learnerAddress as address,
  mentorFixture as mentor,
  putRecognition,
  recognitionFixture as recognition,
} from '../../infra/local/testing/agreement-fixtures.ts';
import { demo, given } from '../../infra/local/testing/given.ts';
import { routes as documentRoutes } from '../documents/routes.ts';
import { routes as taskRoutes } from '../tasks/routes.ts';
import { routes } from './routes.ts';
import { documentRoutes as agreementDocumentRoutes } from './document-routes.ts';
import { nationalNumberFor } from '../../infra/local/testing/national-numbers.ts';
import { routes as recognitionRoutes } from '../recognitions/routes.ts';
import { applyDomainEvent, createDomainEventConsumer } from './events-consumer.ts';
import { createAgreementsDailyJob } from './daily.ts';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import type { ApiEvent } from '../../shared/http/api.ts';
import { drainQueue } from '../../infra/local/testing/environment.ts';
import { toSqsEvent } from '../../infra/local/queues.ts';
import type { NotificationRequest } from '../../events/notification-requested.ts';
import { noNames, renderNotification } from '../notifications/templates.ts';

// A fixed clock after the real date: DynamoDB Local deletes items whose TTL (a draft's expiry) has passed in
// real time, so a clock in the past would see its drafts vanish mid-test.
const clock = fixedClock('2027-08-20T08:00:00.000Z');
let env: TestEnvironment;
let api: TestApi;
let g: ReturnType<typeof given>;

const { sofie, pieter, jan, an, els } = demo;

const mentorIds = { anna: ulid(), bert: ulid(), chris: ulid() };

beforeAll(async () => {
  env = await createTestEnvironment();
  env.deps.clock = clock;
  api = await createTestApi([...routes, ...agreementDocumentRoutes, ...documentRoutes, ...taskRoutes, ...recognitionRoutes], env.deps);
  g = given(api);
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, {
    number: '0417.390.703',
    name: 'Mega World',
    establishments: [
      { number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' },
      { number: '2.200.000.184', name: 'Mega World Gent', postcode: '9000', municipality: 'Gent' },
    ],
  });
  const put = (r: ReturnType<typeof recognition>) => putRecognition(env.deps, r);
  await put(recognition({ mentors: [mentor(mentorIds.anna, 'Anna Verkoop'), mentor(mentorIds.bert, 'Bert Winkel')] }));
  // Horeca allows one learner per mentor: the race below has exactly one free slot.
  await put(
    recognition({
      id: 'E/20260101/000002',
      establishmentNumber: '2.200.000.184',
      programmeId: 'keukenmedewerker-duaal',
      partnershipId: 'horeca',
      mentors: [mentor(mentorIds.chris, 'Chris Kok')],
    }),
  );
});

const as = (...args: Parameters<typeof g.as>) => g.as(...args);
const verifiedDocument = (...args: Parameters<typeof g.verifiedDocument>) => g.verifiedDocument(...args);
const draft = (over: Record<string, unknown> = {}, learner: Record<string, unknown> = {}) => draftBody(mentorIds.anna, over, learner);

/** The PDF an answer carries, as a reader sees its text (whitespace collapsed, so wrapped lines still match). */
async function pdfText(res: { text: string }): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(Buffer.from(res.text, 'base64'))), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** A national number however it is written (11 digits, or yy.mm.dd-xxx.cc), and an IBAN. */
const nationalNumberPattern = /\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}|(?<!\d)\d{11}(?!\d)/;
const ibanPattern = /\b[A-Z]{2}\d{2} ?\d{4} ?\d{4} ?\d{4}/i;

/** The outbox event of an agreement's change for the event feed, as its transaction recorded it (or undefined). */
const feedEventOf = async (id: string, savedVersion: number, change: string) =>
  (await env.deps.db.send(new GetCommand({ TableName: env.config.TABLE_NAME, Key: outbox.key(`${id}-v${savedVersion}-${change}`) }))).Item?.event;

let annexes: Record<string, string>;
let agreementId: string;
let version: number;

describe('drafting', () => {
  it('returns every pre-flight problem with the saved work version, and none once fixed', async () => {
    const created = await as(
      sofie,
      'POST',
      '/v1/agreements',
      draft(
        { weeklyHours: { enterpriseFullTime: 35, school: 16, workplace: 19 }, endDate: '2030-06-30' },
        { nationalNumber: nationalNumberFor('2012-05-01', 2), firstTwoYearsSecondaryCompleted: false },
      ),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.agreementType).toBe('OAO');
    expect(created.body.issues.map((i: { code: string }) => i.code)).toEqual([
      'end-after-last-school-year',
      'workplace-hours-below-20',
      'learner-15-without-first-two-years',
    ]);
    expect(created.body.expiresOn).toBe('2027-11-18');
    agreementId = created.body.id;
    const fixed = await as(sofie, 'PUT', `/v1/agreements/${agreementId}`, draft(), created.body.version);
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body.issues).toEqual([]);
    // OAO, tier 2 on 1 September 2026: the only amount the agreement may state.
    expect(fixed.body.learningAllowance).toMatchObject({ tier: 2, monthlyAmountCents: 64960 });
    version = fixed.body.version;
  });

  it('renders the work version as a PDF on the current model, for the counsellor and the enterprise', async () => {
    const res = await as(sofie, 'GET', `/v1/agreements/${agreementId}/document`);
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type'] ?? res.headers['content-type']).toContain('application/pdf');
    const bytes = new Uint8Array(Buffer.from(res.text, 'base64'));
    const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
    for (const expected of [
      agreementId,
      'Lena',
      'Janssens',
      '0417.390.703',
      '2.123.456.791',
      'Verkoper duaal',
      '01/09/2027',
      '30/06/2028',
      'Anna Verkoop',
      '649,60',
      'WERKVERSIE',
      'Model 2024.1',
    ])
      expect(text).toContain(expected);
    expect((await as(jan, 'GET', `/v1/agreements/${agreementId}/document`)).status).toBe(200);
    expect((await as(an, 'GET', `/v1/agreements/${agreementId}/document`)).status).toBe(404);
  });

  it('gives the counsellor the copy to sign with the full national number, the enterprise a copy for information with it masked', async () => {
    const full = nationalNumberFor('2010-03-15', 1);
    const counsellorCopy = await pdfText(await as(sofie, 'GET', `/v1/agreements/${agreementId}/document`));
    expect(counsellorCopy).toContain(full);
    expect(counsellorCopy).not.toContain('Afschrift ter informatie');

    const enterpriseCopy = await pdfText(await as(jan, 'GET', `/v1/agreements/${agreementId}/document`));
    expect(enterpriseCopy).toContain(`${full.slice(0, 9)}***.**`);
    expect(enterpriseCopy).not.toContain(full);
    expect(enterpriseCopy).not.toMatch(nationalNumberPattern);
    expect(enterpriseCopy).toContain(
      'Afschrift ter informatie: het rijksregisternummer is afgeschermd. Het ondertekende exemplaar ontving u bij de ondertekening.',
    );
    expect(enterpriseCopy).toContain('afschrift ter informatie');
    // The rest of the agreement is the same for both.
    for (const expected of ['Lena Janssens', 'Anna Verkoop', '649,60', '01/09/2027']) expect(enterpriseCopy).toContain(expected);
  });

  it('answers a document the model cannot be filled for with a 422 naming every missing value', async () => {
    // The allowance table starts on 1 April 2024: an OAO starting before has no allowance row for its start date.
    const created = await as(
      sofie,
      'POST',
      '/v1/agreements',
      draft({ startDate: '2024-01-08', endDate: '2024-06-30' }, { nationalNumber: nationalNumberFor('2008-02-01', 80) }),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.learningAllowance).toBeNull();
    expect(created.body.issues.map((i: { code: string }) => i.code)).toContain('allowance-unknown');

    for (const actor of [sofie, jan]) {
      const res = await as(actor, 'GET', `/v1/agreements/${created.body.id}/document`);
      expect(res.status, res.text).toBe(422);
      expect(res.headers['Content-Type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('document-incomplete');
      expect(res.body.errors).toEqual(
        ['allowance.amount', 'allowance.tier', 'allowance.validFrom'].map((placeholder) => ({
          in: 'body',
          pointer: '/learningAllowance',
          code: 'allowance-unknown',
          placeholder,
          detail: 'Er is geen leervergoeding vastgelegd voor deze categorie op de begindatum.',
        })),
      );
    }
  });

  it('rejects an unknown programme and an establishment of another enterprise with a 422 naming the field', async () => {
    const res = await as(sofie, 'POST', '/v1/agreements', draft({ programmeId: 'bestaat-niet', establishmentNumber: '2.300.000.157' }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('draft-invalid');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/establishmentNumber', '/programmeId']);
  });

  it('blocks an establishment without recognition for the programme on the start date', async () => {
    const res = await as(
      sofie,
      'POST',
      '/v1/agreements',
      draft({ startDate: '2025-09-01', endDate: '2026-06-30' }, { nationalNumber: nationalNumberFor('2009-01-01', 3) }),
    );
    expect(res.body.issues.map((i: { code: string }) => i.code)).toContain('establishment-not-recognised');
  });

  it('shows the enterprise its agreement with the national number masked; other parties see nothing', async () => {
    const own = await as(jan, 'GET', `/v1/agreements/${agreementId}`);
    expect(own.status).toBe(200);
    expect(own.body.learner.nationalNumber).toMatch(/\*\*\*\.\*\*$/);
    expect(own.body.learner.iban).toBeNull();
    expect((await as(sofie, 'GET', `/v1/agreements/${agreementId}`)).body.learner.nationalNumber).toBe(nationalNumberFor('2010-03-15', 1));
    expect((await as(an, 'GET', `/v1/agreements/${agreementId}`)).status).toBe(404);
    expect((await as(pieter, 'GET', `/v1/agreements/${agreementId}`)).status).toBe(404);
    expect((await as(jan, 'PUT', `/v1/agreements/${agreementId}`, draft(), version)).status).toBe(403);
    const list = await as(jan, 'GET', '/v1/agreements');
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(agreementId);
  });
});

describe('registration', () => {
  it('lists the missing annexes, then registers with the premiums and takes the slots', async () => {
    const blocked = await as(sofie, 'POST', `/v1/agreements/${agreementId}/register`, {}, version);
    expect(blocked.status).toBe(422);
    expect(blocked.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/annexes/schedule',
      '/annexes/trainingPlan',
      '/annexes/learnerPremiumConsent',
      '/annexes/signedAgreement',
    ]);

    annexes = {
      schedule: await verifiedDocument(sofie, 'schedule'),
      trainingPlan: await verifiedDocument(sofie, 'trainingPlan'),
      learnerPremiumConsent: await verifiedDocument(sofie, 'learnerPremiumConsent'),
      signedAgreement: await verifiedDocument(sofie, 'signedAgreement'),
    };
    const wrongKind = await as(sofie, 'PUT', `/v1/agreements/${agreementId}/annexes`, { schedule: annexes.trainingPlan }, version);
    expect(wrongKind.status).toBe(422);
    const attached = await as(sofie, 'PUT', `/v1/agreements/${agreementId}/annexes`, annexes, version);
    expect(attached.status, attached.text).toBe(200);

    const key = { 'idempotency-key': 'register-lena-1' };
    const registered = await as(sofie, 'POST', `/v1/agreements/${agreementId}/register`, {}, attached.body.version, key);
    expect(registered.status, registered.text).toBe(200);
    expect(registered.body.status).toBe('registered');
    expect(
      registered.body.registration.premiums.map((p: { kind: string; qualifies: boolean; amountCents: number }) => [p.kind, p.qualifies, p.amountCents]),
    ).toEqual([
      ['enterprise', true, 100000],
      ['learner', true, 50000],
    ]);
    // The same Idempotency-Key gets the first answer again; it registers nothing twice.
    const replay = await as(sofie, 'POST', `/v1/agreements/${agreementId}/register`, {}, attached.body.version, key);
    expect(replay.status).toBe(200);
    expect(replay.body.version).toBe(registered.body.version);
    expect((await as(sofie, 'POST', `/v1/agreements/${agreementId}/register`, {}, registered.body.version)).status).toBe(409);
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.anna))).toBe(1);
    expect(await slotsUsed(env.deps, establishmentSlotsKey('2.123.456.791'))).toBe(1);
    expect((await runningAgreementsOn(env.deps, 'E/20260101/000001')).map((l) => l.agreementId)).toEqual([agreementId]);
    // The provider's systems learn of it through the event feed: the outbox event of the registration, without the learner.
    const event = await feedEventOf(agreementId, registered.body.version, 'registered');
    expect(event).toMatchObject({
      type: 'agreement-changed',
      change: 'registered',
      agreementId,
      providerId: 'campus-brugge',
      recognitionId: 'E/20260101/000001',
    });
    expect(JSON.stringify(event)).not.toMatch(nationalNumberPattern);
    expect(JSON.stringify(event)).not.toContain('Lena');
    // Dispatched by the request itself, not a minute later by the schedule: the provider's feed holds it now.
    const feed = await readFeed(env.deps, organisationKey('provider', 'campus-brugge'), 0, 100);
    expect(feed.events.map((e) => e.id)).toContain(`${agreementId}-v${registered.body.version}-registered`);
    version = registered.body.version;
  });

  it('a second agreement for the same learner in the same period is blocked', async () => {
    const res = await as(sofie, 'POST', '/v1/agreements', draft({ mentorId: mentorIds.bert }));
    expect(res.body.issues.map((i: { code: string }) => i.code)).toEqual(['learner-has-overlapping-agreement']);
  });

  it('20 parallel registrations for a mentor with one free slot register exactly one', async () => {
    const ids: { id: string; version: number }[] = [];
    for (let i = 0; i < 20; i++) {
      const created = await as(
        sofie,
        'POST',
        '/v1/agreements',
        draft(
          { establishmentNumber: '2.200.000.184', programmeId: 'keukenmedewerker-duaal', mentorId: mentorIds.chris },
          { nationalNumber: nationalNumberFor('2009-02-01', 10 + i) },
        ),
      );
      expect(created.body.issues, created.text).toEqual([]);
      const attached = await as(sofie, 'PUT', `/v1/agreements/${created.body.id}/annexes`, annexes, created.body.version);
      ids.push({ id: created.body.id, version: attached.body.version });
    }
    const results = await Promise.all(ids.map((a) => as(sofie, 'POST', `/v1/agreements/${a.id}/register`, {}, a.version)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // The others learn why: the slot was taken by a transaction before them, or the re-run check saw it.
    for (const r of results.filter((x) => x.status !== 200)) expect([409, 422]).toContain(r.status);
    expect(results.filter((r) => r.status !== 200).every((r) => JSON.stringify(r.body).includes('capacity'))).toBe(true);
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.chris))).toBe(1);
  });
});

describe('after registration', () => {
  it('changing the mentor moves the slot and produces an addendum with a task until it is registered', async () => {
    const amended = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/amendments`,
      { kind: 'mentor', mentorId: mentorIds.bert, effectiveDate: '2027-10-01' },
      version,
    );
    expect(amended.status, amended.text).toBe(200);
    expect(amended.body.mentorId).toBe(mentorIds.bert);
    expect(amended.body.addenda).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'toSign',
        changes: [expect.objectContaining({ kind: 'mentor', before: 'Anna Verkoop', after: 'Bert Winkel' })],
      }),
    ]);
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.anna))).toBe(0);
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.bert))).toBe(1);
    expect(await feedEventOf(agreementId, amended.body.version, 'amended')).toMatchObject({ change: 'amended', agreementId });
    const tasks = await as(sofie, 'GET', '/v1/tasks');
    expect(tasks.body.items.map((t: { title: string; link: string }) => [t.title, t.link])).toContainEqual([
      'Addendum afwerken',
      `/v1/agreements/${agreementId}/addenda/1`,
    ]);

    const signed = await verifiedDocument(sofie, 'addendum');
    const done = await as(sofie, 'POST', `/v1/agreements/${agreementId}/addenda/1/register`, { signedDocumentId: signed }, amended.body.version);
    expect(done.status, done.text).toBe(200);
    expect(done.body.addenda[0].status).toBe('registered');
    expect((await as(sofie, 'GET', '/v1/tasks')).body.items.map((t: { title: string }) => t.title)).not.toContain('Addendum afwerken');
    const history = (await as(sofie, 'GET', `/v1/agreements/${agreementId}`)).body.history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['created', 'draft-updated', 'annexes-attached', 'registered', 'amended-mentor', 'addendum-registered']),
    );
    version = done.body.version;
  });

  it('the counsellor changes without an addendum', async () => {
    const res = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/amendments`,
      { kind: 'counsellor', counsellor: { userId: 'demo-other', name: 'Tom Begeleider', email: 'tom@campus-brugge.werkplekduaal.test' } },
      version,
    );
    expect(res.status).toBe(200);
    expect(res.body.addenda).toHaveLength(1);
    version = res.body.version;
  });

  it('a suspension of more than 14 days is flagged to the counsellor', async () => {
    const short = await as(sofie, 'POST', `/v1/agreements/${agreementId}/suspensions`, { ground: 'illness', from: '2027-10-05', to: '2027-10-18' }, version);
    expect(short.status, short.text).toBe(201);
    expect(short.body.suspension.reported).toBe(false);
    const long = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/suspensions`,
      { ground: 'accident', from: '2027-11-02', to: '2027-11-16' },
      short.body.version,
    );
    expect(long.body.suspension.reported).toBe(true);
    // Each suspension is an event with its period; its ground (illness, an accident) is the learner's and stays out.
    const suspended = await feedEventOf(agreementId, long.body.version, 'suspended');
    expect(suspended).toMatchObject({ change: 'suspended', suspension: { from: '2027-11-02', to: '2027-11-16' } });
    expect(JSON.stringify(suspended)).not.toContain('accident');
    expect(await feedEventOf(agreementId, short.body.version, 'suspended')).toMatchObject({ suspension: { from: '2027-10-05', to: '2027-10-18' } });
    expect((await as(sofie, 'GET', '/v1/tasks')).body.items.map((t: { title: string }) => t.title)).toContain('Schorsing opvolgen');
    version = long.body.version;
  });

  it('the enterprise reports a suspension: the counsellor gets a task and a mail, acknowledges it, and the history names both', async () => {
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    const reported = await as(
      jan,
      'POST',
      `/v1/agreements/${agreementId}/suspensions`,
      { ground: 'forceMajeure', from: '2027-12-06', to: '2027-12-08' },
      version,
    );
    expect(reported.status, reported.text).toBe(201);
    // The enterprise's own view: the learner's number masked.
    expect(reported.body.learner.nationalNumber).toMatch(/\*\*\*\.\*\*$/);
    expect(reported.body.suspension).toMatchObject({ reported: true, reportedBy: 'enterprise', acknowledged: null });
    const suspensionId = reported.body.suspension.id;

    // Another enterprise and another provider do not see the agreement at all.
    for (const outsider of [an, pieter])
      expect(
        (
          await as(
            outsider,
            'POST',
            `/v1/agreements/${agreementId}/suspensions`,
            { ground: 'illness', from: '2027-12-13', to: '2027-12-14' },
            reported.body.version,
          )
        ).status,
      ).toBe(404);
    // Overlapping suspensions are refused, naming the one it overlaps.
    const overlap = await as(
      jan,
      'POST',
      `/v1/agreements/${agreementId}/suspensions`,
      { ground: 'illness', from: '2027-11-10', to: '2027-11-20' },
      reported.body.version,
    );
    expect(overlap.status).toBe(422);
    expect(overlap.body).toMatchObject({
      code: 'suspension-overlaps',
      detail: 'Deze schorsing overlapt met de schorsing van 2027-11-02 tot 2027-11-16.',
      errors: [{ pointer: '/from', code: 'suspension-overlaps' }],
    });

    const task = (await as(sofie, 'GET', '/v1/tasks')).body.items.find(
      (t: { title: string; label: string; subject: { label: string } }) => t.title === 'Schorsing opvolgen' && t.subject.label.includes('2027-12-06'),
    );
    expect(task).toMatchObject({ link: `/v1/agreements/${agreementId}`, actions: ['acknowledge-suspension'] });
    const mails = await drainQueue<NotificationRequest>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    expect(mails).toEqual([
      expect.objectContaining({
        template: 'suspension-reported',
        to: ['tom@campus-brugge.werkplekduaal.test'],
        data: expect.objectContaining({ reportedBy: 'enterprise' }),
      }),
    ]);

    const acknowledge = (actor: typeof sofie, v: number) => as(actor, 'POST', `/v1/agreements/${agreementId}/suspensions/${suspensionId}/acknowledge`, {}, v);
    expect((await acknowledge(jan, reported.body.version)).status).toBe(403);
    expect((await acknowledge(pieter, reported.body.version)).status).toBe(404);
    expect((await acknowledge(sofie, reported.body.version - 1)).status).toBe(412);
    const done = await acknowledge(sofie, reported.body.version);
    expect(done.status, done.text).toBe(204);
    expect(done.headers.ETag).toBe(`"${reported.body.version + 1}"`);
    const again = await acknowledge(sofie, reported.body.version + 1);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid-transition');
    expect((await as(sofie, 'GET', '/v1/tasks')).body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);

    const read = (await as(sofie, 'GET', `/v1/agreements/${agreementId}`)).body;
    expect(read.suspensions.find((x: { id: string }) => x.id === suspensionId).acknowledged).toMatchObject({ name: 'Sofie Claes' });
    const entries = read.history.filter((h: { after: { suspensionId?: string } }) => h.after.suspensionId === suspensionId);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'suspended',
        actor: expect.objectContaining({ name: 'Jan Van Mega', organisationKey: 'enterprise:0417390703', roles: ['legalRepresentative'] }),
      }),
      expect.objectContaining({
        action: 'suspension-acknowledged',
        actor: expect.objectContaining({ name: 'Sofie Claes', organisationKey: 'provider:campus-brugge', roles: ['counsellor'] }),
      }),
    ]);
    version = read.version;
  });

  it('an early end dated later is ending until its day (slots kept); the daily job ends it then and frees the slots in the same transaction', async () => {
    const invalid = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/end`,
      { kind: 'early', date: '2028-06-30', reason: 'Leerling stopt', by: 'learner' },
      version,
    );
    expect(invalid.status).toBe(422);
    // Free text keeps its line breaks.
    const ended = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/end`,
      { kind: 'early', date: '2028-01-31', reason: 'Leerling stopt met de opleiding.\r\nGesprek gehad op 28/01.\n\tAkkoord van de ouders.', by: 'learner' },
      version,
    );
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ending', statusLabel: 'Wordt beëindigd', endDate: '2028-01-31' });
    expect(ended.body.ending.reason).toBe('Leerling stopt met de opleiding.\r\nGesprek gehad op 28/01.\n\tAkkoord van de ouders.');
    // Recorded for a later day: not ended yet, so no event yet.
    expect(await feedEventOf(agreementId, ended.body.version, 'ended')).toBeUndefined();
    // Until its day the learner still works there: the slots stay taken.
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.bert))).toBe(1);
    expect((await runningAgreementsOn(env.deps, 'E/20260101/000001')).map((l) => l.agreementId)).toContain(agreementId);
    const again = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/end`,
      // Only an earlier end may replace the recorded one.
      { kind: 'early', date: '2028-02-15', reason: 'opnieuw', by: 'learner' },
      ended.body.version,
    );
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'invalid-transition', detail: expect.stringContaining('2028-01-31') });
    const mentorChange = await as(
      sofie,
      'POST',
      `/v1/agreements/${agreementId}/amendments`,
      { kind: 'mentor', mentorId: mentorIds.anna, effectiveDate: '2027-12-01' },
      ended.body.version,
    );
    expect(mentorChange.status).toBe(409);
    expect(mentorChange.body.code).toBe('invalid-transition');

    clock.set('2028-01-30T03:00:00.000Z');
    await createAgreementsDailyJob(env.deps)();
    expect((await as(sofie, 'GET', `/v1/agreements/${agreementId}`)).body.status).toBe('ending');
    clock.set('2028-01-31T03:00:00.000Z');
    expect((await createAgreementsDailyJob(env.deps)()).ended).toBeGreaterThanOrEqual(1);
    const done = await as(sofie, 'GET', `/v1/agreements/${agreementId}`);
    clock.set('2027-08-20T08:00:00.000Z');
    expect(done.body).toMatchObject({ status: 'ended', slots: null });
    expect(done.body.history.at(-1)).toMatchObject({ action: 'ended-early', by: 'system:agreements-daily' });
    // Ended by the daily job: the event, with the kind and day of the end but not its reason (free text about the learner).
    const endedEvent = await feedEventOf(agreementId, done.body.version, 'ended');
    expect(endedEvent).toMatchObject({ change: 'ended', ending: { kind: 'early', date: '2028-01-31' } });
    expect(JSON.stringify(endedEvent)).not.toContain('Leerling stopt');
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.bert))).toBe(0);
    expect(await slotsUsed(env.deps, establishmentSlotsKey('2.123.456.791'))).toBe(0);
    expect(await runningAgreementsOn(env.deps, 'E/20260101/000001')).toEqual([]);
    expect(
      (await as(sofie, 'POST', `/v1/agreements/${agreementId}/end`, { kind: 'early', date: '2028-01-31', reason: 'opnieuw', by: 'learner' }, done.body.version))
        .status,
    ).toBe(409);
  });
});

/** An API Gateway event with a base64 body, as API Gateway delivers a body it does not take for text. */
async function callWithBase64Body(actor: { user: string; organisation: string }, method: string, path: string, bytes: Buffer) {
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: `Bearer ${await api.tokenFor(actor.user)}`, 'x-organisation': actor.organisation, 'content-type': 'application/json' },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
    requestContext: { requestId: ulid(), stage: '$default', http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
  } as unknown as ApiEvent;
  const result = await api.handler(event, { awsRequestId: ulid() } as Context);
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body ?? 'null') };
}

describe('input that used to break the API', () => {
  it('refuses a body that is not UTF-8 (0xC3 0x28) with 400 invalid-utf8', async () => {
    const json = Buffer.from(JSON.stringify(draft({}, { firstName: 'LENA' })), 'utf8');
    const at = json.indexOf('LENA');
    json[at] = 0xc3;
    json[at + 1] = 0x28;
    const res = await callWithBase64Body(sofie, 'POST', '/v1/agreements', json);
    expect(res.status).toBe(400);
    expect(res.headers['Content-Type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'invalid-utf8', errors: [{ in: 'body', pointer: '', code: 'invalid-utf8' }] });
    // The same body as valid UTF-8 in base64 is taken.
    expect(
      (
        await callWithBase64Body(
          sofie,
          'POST',
          '/v1/agreements',
          Buffer.from(JSON.stringify(draft({}, { nationalNumber: nationalNumberFor('2009-05-05', 81) })), 'utf8'),
        )
      ).status,
    ).toBe(201);
  });

  it('refuses a NUL in a name with a 400 naming the field', async () => {
    const res = await as(sofie, 'POST', '/v1/agreements', draft({ enterpriseRepresentative: 'Jan\u0000Van Mega' }, { firstName: 'Le\u0000na' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code])).toEqual([
      ['/learner/firstName', 'control-character'],
      ['/enterpriseRepresentative', 'control-character'],
    ]);
  });

  it('refuses a line break or a tab in a one-line field, in the learner address too', async () => {
    const res = await as(sofie, 'POST', '/v1/agreements', draft({}, { lastName: 'Jans\nsens', address: { ...address, street: 'Kerk\tstraat' } }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation-failed');
    expect(res.body.errors).toEqual([
      { in: 'body', pointer: '/learner/lastName', code: 'control-character', detail: expect.stringContaining('regeleinden') },
      { in: 'body', pointer: '/learner/address/street', code: 'control-character', detail: expect.stringContaining('regeleinden') },
    ]);
  });
});

describe('what each party sees of the learner', () => {
  const learnerNumber = nationalNumberFor('2009-09-09', 90);
  const learnerIban = 'BE71096123456769';
  let id: string;
  let own: Record<string, string>;

  it('the enterprise reads the schedule and the training plan, not the signed agreement, the signed addendum or the premium consent', async () => {
    const created = await as(sofie, 'POST', '/v1/agreements', draft({}, { nationalNumber: learnerNumber, iban: learnerIban }));
    expect(created.body.issues, created.text).toEqual([]);
    id = created.body.id;
    // A change of the enterprise's account is in the history, without the account number.
    const updated = await as(
      sofie,
      'PUT',
      `/v1/agreements/${id}`,
      draft({ enterpriseBankAccount: { iban: 'BE62510007547061', consent: true } }, { nationalNumber: learnerNumber, iban: learnerIban }),
      created.body.version,
    );
    expect(updated.status, updated.text).toBe(200);
    own = {
      schedule: await verifiedDocument(sofie, 'schedule'),
      trainingPlan: await verifiedDocument(sofie, 'trainingPlan'),
      learnerPremiumConsent: await verifiedDocument(sofie, 'learnerPremiumConsent'),
      signedAgreement: await verifiedDocument(sofie, 'signedAgreement'),
    };
    const attached = await as(sofie, 'PUT', `/v1/agreements/${id}/annexes`, own, updated.body.version);
    const registered = await as(sofie, 'POST', `/v1/agreements/${id}/register`, {}, attached.body.version);
    expect(registered.status, registered.text).toBe(200);
    const amended = await as(
      sofie,
      'POST',
      `/v1/agreements/${id}/amendments`,
      { kind: 'mentor', mentorId: mentorIds.bert, effectiveDate: '2027-10-01' },
      registered.body.version,
    );
    expect(amended.status, amended.text).toBe(200);
    const signedAddendum = await verifiedDocument(sofie, 'addendum');
    const addendumRegistered = await as(sofie, 'POST', `/v1/agreements/${id}/addenda/1/register`, { signedDocumentId: signedAddendum }, amended.body.version);
    expect(addendumRegistered.status, addendumRegistered.text).toBe(200);

    expect((await as(jan, 'GET', `/v1/documents/${own.schedule}`)).status).toBe(200);
    expect((await as(jan, 'GET', `/v1/documents/${own.trainingPlan}`)).status).toBe(200);
    expect((await as(jan, 'GET', `/v1/documents/${own.signedAgreement}`)).status).toBe(404);
    expect((await as(jan, 'GET', `/v1/documents/${own.learnerPremiumConsent}`)).status).toBe(404);
    expect((await as(jan, 'GET', `/v1/documents/${signedAddendum}`)).status).toBe(404);
    // The counsellor, who prepared them, still reads every one.
    for (const documentId of [...Object.values(own), signedAddendum]) expect((await as(sofie, 'GET', `/v1/documents/${documentId}`)).status).toBe(200);

    // A new schedule after registration is shared like the first.
    const schedule = await verifiedDocument(sofie, 'schedule');
    const rescheduled = await as(
      sofie,
      'POST',
      `/v1/agreements/${id}/amendments`,
      { kind: 'schedule', documentId: schedule, effectiveDate: '2027-11-01' },
      addendumRegistered.body.version,
    );
    expect(rescheduled.status, rescheduled.text).toBe(200);
    expect((await as(jan, 'GET', `/v1/documents/${schedule}`)).status).toBe(200);
  });

  it('JSON and PDF agree: full for the counsellor, masked for the enterprise, in the agreement and in its addendum', async () => {
    const counsellorJson = (await as(sofie, 'GET', `/v1/agreements/${id}`)).body;
    expect(counsellorJson.learner).toMatchObject({ nationalNumber: learnerNumber, iban: learnerIban });
    const enterpriseJson = (await as(jan, 'GET', `/v1/agreements/${id}`)).body;
    expect(enterpriseJson.learner).toMatchObject({ nationalNumber: `${learnerNumber.slice(0, 9)}***.**`, iban: null });
    expect(JSON.stringify(enterpriseJson)).not.toContain(learnerNumber);
    expect(JSON.stringify(enterpriseJson)).not.toContain(learnerIban);

    const counsellorPdf = await pdfText(await as(sofie, 'GET', `/v1/agreements/${id}/document`));
    expect(counsellorPdf).toContain(learnerNumber);
    const enterprisePdf = await pdfText(await as(jan, 'GET', `/v1/agreements/${id}/document`));
    expect(enterprisePdf).toContain(`${learnerNumber.slice(0, 9)}***.**`);
    expect(enterprisePdf).not.toMatch(nationalNumberPattern);
    expect(enterprisePdf).not.toMatch(ibanPattern);
    expect(enterprisePdf).toContain('Afschrift ter informatie');

    // The addendum (whose model text names the learner, not the number) is marked the same way.
    const counsellorAddendum = await pdfText(await as(sofie, 'GET', `/v1/agreements/${id}/addenda/1/document`));
    expect(counsellorAddendum).toContain('Bijvoegsel 1 bij de overeenkomst');
    expect(counsellorAddendum).not.toContain('Afschrift ter informatie');
    const enterpriseAddendum = await pdfText(await as(jan, 'GET', `/v1/agreements/${id}/addenda/1/document`));
    expect(enterpriseAddendum).toContain('Afschrift ter informatie');
    expect(enterpriseAddendum).not.toMatch(nationalNumberPattern);
    expect(enterpriseAddendum).not.toMatch(ibanPattern);
  });

  it('no history entry and no e-mail carries a national number or an IBAN, even one typed into a reason', async () => {
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);
    let current = (await as(sofie, 'GET', `/v1/agreements/${id}`)).body;
    const suspended = await as(
      sofie,
      'POST',
      `/v1/agreements/${id}/suspensions`,
      { ground: 'accident', from: '2027-11-02', to: '2027-11-30' },
      current.version,
    );
    expect(suspended.status, suspended.text).toBe(201);
    const reason = `Leerling ${learnerNumber} stopt; premie terug te storten op ${learnerIban.replace(/(.{4})/g, '$1 ').trim()} (${learnerNumber.replace(/\D/g, '')}).`;
    const ended = await as(sofie, 'POST', `/v1/agreements/${id}/end`, { kind: 'early', date: '2027-12-15', reason, by: 'learner' }, suspended.body.version);
    expect(ended.status, ended.text).toBe(200);
    // The agreement keeps the reason as typed, for the counsellor.
    expect(ended.body.ending.reason).toBe(reason);

    current = (await as(jan, 'GET', `/v1/agreements/${id}`)).body;
    const history = JSON.stringify(current.history);
    expect(current.history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining([
        'created',
        'draft-updated',
        'annexes-attached',
        'registered',
        'amended-mentor',
        'addendum-registered',
        'amended-schedule',
        'suspended',
        'early-end-recorded',
      ]),
    );
    // Every entry names who: the user, the organisation acted for and the role.
    expect(current.history.find((h: { action: string }) => h.action === 'early-end-recorded').actor).toEqual({
      userId: expect.any(String),
      name: 'Sofie Claes',
      organisationKey: 'provider:campus-brugge',
      organisationName: expect.any(String),
      roles: ['counsellor'],
    });
    expect(history).not.toMatch(nationalNumberPattern);
    expect(history).not.toMatch(ibanPattern);
    expect(history).toContain('eindigt op 7061');
    expect(history).toContain('[rijksregisternummer afgeschermd]');

    const mails = (await drainQueue<NotificationRequest>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).map((m) =>
      renderNotification(m as never, { portalUrl: env.config.PORTAL_URL, names: noNames }),
    );
    expect(mails.map((m) => m.subject)).toEqual(
      expect.arrayContaining(['Schorsing van meer dan 14 dagen', 'Vroegtijdige beëindiging van een overeenkomst geregistreerd']),
    );
    for (const mail of mails) {
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toMatch(nationalNumberPattern);
        expect(part).not.toMatch(ibanPattern);
      }
    }
    expect(mails.find((m) => m.subject === 'Vroegtijdige beëindiging van een overeenkomst geregistreerd')!.text).toContain('[rekeningnummer afgeschermd]');
  });
});

/**
 * Receives everything on the domain-events queue and hands it to the consumer as SQS batches; returns how
 * many events were for this consumer (a revocation, a move): premium requests and the feed's events pass through untouched.
 */
async function deliverDomainEvents(times = 1) {
  let relevant = 0;
  for (;;) {
    const received = await env.deps.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: env.config.DOMAIN_EVENTS_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    const messages = received.Messages ?? [];
    if (!messages.length) return relevant;
    // As the event source mapping hands them over (the local stage's poller builds the same records).
    const event = toSqsEvent(messages, 'arn:aws:sqs:eu-west-1:000000000000:domain-events');
    const consumer = createDomainEventConsumer(env.deps);
    // Delivering the same batch more than once is what SQS may do: the tasks must appear once.
    for (let i = 0; i < times; i++) expect((await consumer(event, { awsRequestId: 'test' } as Context)).batchItemFailures).toEqual([]);
    for (const m of messages)
      await env.deps.sqs.send(new DeleteMessageCommand({ QueueUrl: env.config.DOMAIN_EVENTS_QUEUE_URL, ReceiptHandle: m.ReceiptHandle! }));
    relevant += messages.filter((m) => ['recognition-revoked', 'establishment-address-changed'].includes(JSON.parse(m.Body!).type)).length;
  }
}

describe('tasks from recognitions', () => {
  it('a revoked recognition gives the counsellor "Opheffing verwerken" once; ending the agreement closes it', async () => {
    const created = await as(sofie, 'POST', '/v1/agreements', draft({}, { nationalNumber: nationalNumberFor('2009-04-01', 60) }));
    expect(created.body.issues).toEqual([]);
    const attached = await as(sofie, 'PUT', `/v1/agreements/${created.body.id}/annexes`, annexes, created.body.version);
    const registered = await as(sofie, 'POST', `/v1/agreements/${created.body.id}/register`, {}, attached.body.version);
    expect(registered.status, registered.text).toBe(200);

    const { version } = (await getRecognition(env.deps, 'E/20260101/000001'))!;
    const revoked = await as(els, 'POST', '/v1/recognitions/E-20260101-000001/revoke', { reasons: 'Herhaalde tekortkomingen na begeleiding' }, version);
    expect(revoked.status, revoked.text).toBe(200);
    expect(await deliverDomainEvents(2)).toBe(1);
    // Agreements still ending on this recognition get the task too (the counsellor may end them earlier): this one's.
    const open = (await as(sofie, 'GET', '/v1/tasks')).body.items.filter(
      (t: { title: string; link: string }) => t.title === 'Opheffing verwerken' && t.link === `/v1/agreements/${created.body.id}`,
    );
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ link: `/v1/agreements/${created.body.id}`, actions: ['end-early'] });

    const ended = await as(
      sofie,
      'POST',
      `/v1/agreements/${created.body.id}/end`,
      { kind: 'early', date: '2027-10-31', reason: 'Erkenning opgeheven', by: 'provider' },
      registered.body.version,
    );
    expect(ended.status, ended.text).toBe(200);
    expect(
      (await as(sofie, 'GET', '/v1/tasks')).body.items.filter(
        (t: { title: string; link: string }) => t.title === 'Opheffing verwerken' && t.link === `/v1/agreements/${created.body.id}`,
      ),
    ).toEqual([]);
  });

  it('a moved establishment gives "Adreswijziging vestiging verwerken"; amending the address closes it', async () => {
    const [link] = await runningAgreementsOn(env.deps, 'E/20260101/000002');
    expect(link).toBeDefined();
    const event = {
      type: 'establishment-address-changed' as const,
      eventId: 'kbo-000002-2200000184',
      recognitionId: 'E/20260101/000002',
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.200.000.184',
      programmeId: 'keukenmedewerker-duaal',
      partnershipId: 'horeca',
      changeId: '000002-EST-2200000184-address',
      oldAddress: { street: 'Stationsstraat', houseNumber: '1', box: null, postcode: '9000', municipality: 'Gent' },
      newAddress: { street: 'Kouter', houseNumber: '20', box: null, postcode: '9000', municipality: 'Gent' },
      decidedAt: clock.now().toISOString(),
    };
    // Through the outbox, as the KBO change review publishes it: written in a transaction, then dispatched.
    await env.deps.db.send(new TransactWriteCommand({ TransactItems: [outboxPut(env.config.TABLE_NAME, event, clock.now().toISOString())] }));
    expect(await dispatchOutbox(env.deps)).toBe(1);
    expect(await dispatchOutbox(env.deps)).toBe(0);
    expect(await deliverDomainEvents()).toBe(1);
    const task = (await as(sofie, 'GET', '/v1/tasks')).body.items.find((t: { title: string }) => t.title === 'Adreswijziging vestiging verwerken');
    expect(task).toMatchObject({ link: `/v1/agreements/${link!.agreementId}`, actions: ['amend-establishment-address', 'end-early'] });
    const current = await as(sofie, 'GET', `/v1/agreements/${link!.agreementId}`);
    const amended = await as(
      sofie,
      'POST',
      `/v1/agreements/${link!.agreementId}/amendments`,
      { kind: 'establishmentAddress', effectiveDate: '2027-12-01' },
      current.body.version,
    );
    expect(amended.status, amended.text).toBe(200);
    expect((await as(sofie, 'GET', '/v1/tasks')).body.items.map((t: { title: string }) => t.title)).not.toContain('Adreswijziging vestiging verwerken');
  });

  it("ignores the event feed's events on the same queue: they open no task and do not fail", async () => {
    const [link] = await runningAgreementsOn(env.deps, 'E/20260101/000002');
    const before = (await as(sofie, 'GET', '/v1/tasks')).body.items.length;
    const at = clock.now().toISOString();
    const onRecognition = {
      recognitionId: 'E/20260101/000002',
      enterpriseNumber: '0417.390.703',
      establishmentNumber: '2.200.000.184',
      programmeId: 'keukenmedewerker-duaal',
      partnershipId: 'horeca',
    };
    const feedEvents = [
      {
        type: 'recognition-changed' as const,
        eventId: 'feed-1',
        change: 'suspended' as const,
        ...onRecognition,
        startDate: '2026-01-01',
        endDate: '2030-12-31',
        renewsRecognitionId: null,
        appealId: null,
        at,
      },
      { type: 'mentor-withdrawn' as const, eventId: 'feed-2', mentorId: 'm1', sanctionId: 'S1', withdrawnAt: at, ...onRecognition },
      {
        type: 'agreement-changed' as const,
        eventId: 'feed-3',
        change: 'ended' as const,
        agreementId: link!.agreementId,
        providerId: 'campus-brugge',
        enterpriseNumber: '0417.390.703',
        establishmentNumber: '2.200.000.184',
        programmeId: 'keukenmedewerker-duaal',
        recognitionId: 'E/20260101/000002',
        startDate: '2027-09-01',
        endDate: '2028-06-30',
        suspension: null,
        ending: null,
        at,
      },
      {
        type: 'kbo-change-decided' as const,
        eventId: 'feed-4',
        changeId: 'C1',
        partnershipId: 'horeca',
        kind: 'stopped',
        decision: 'revoke',
        enterpriseNumber: '0417.390.703',
        establishmentNumber: null,
        recognitionIds: [],
        decidedAt: at,
      },
    ];
    for (const event of feedEvents) expect(await applyDomainEvent(env.deps, event)).toBe(0);
    expect((await as(sofie, 'GET', '/v1/tasks')).body.items).toHaveLength(before);
  });

  it('a malformed event fails on its own and is left for the dead-letter queue', async () => {
    const consumer = createDomainEventConsumer(env.deps);
    const result = await consumer(
      { Records: [{ messageId: 'bad', body: '{"type":"recognition-revoked"}' }] } as unknown as SQSEvent,
      { awsRequestId: 'test' } as Context,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
  });
});

describe('work versions', () => {
  it("a read runs the pre-flight check again on today's facts and says when, in 4 requests", async () => {
    // A workplace of its own: the recognition above was revoked by now.
    const dave = ulid();
    await putRecognition(env.deps, recognition({ id: 'E/20260101/000003', mentors: [mentor(dave, 'Dave Winkel')] }));
    const created = await as(sofie, 'POST', '/v1/agreements', draftBody(dave, {}, { nationalNumber: nationalNumberFor('2009-08-01', 80) }));
    expect(created.body.issues).toEqual([]);
    expect(created.body.issuesCheckedAt).toBe(clock.now().toISOString());
    // Meanwhile other agreements fill the mentor's places (as registrations elsewhere would).
    const slots = mentorSlotsKey(dave);
    const before = await slotsUsed(env.deps, slots);
    await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...slots, used: 99 } }));
    clock.set('2027-08-21T09:30:00.000Z');
    const send = env.deps.db.send.bind(env.deps.db);
    const requests: string[] = [];
    env.deps.db.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      requests.push(command.constructor.name);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof env.deps.db.send;
    try {
      const read = await as(sofie, 'GET', `/v1/agreements/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.issues).toEqual([expect.objectContaining({ code: 'mentor-capacity-reached', severity: 'blocking', pointer: '/mentorId' })]);
      expect(read.body.issuesCheckedAt).toBe('2027-08-21T09:30:00.000Z');
      // The agreement, its history, the learner's agreements and one BatchGet (recognition, partnership, programme, slots).
      expect(requests.sort()).toEqual(['BatchGetCommand', 'GetCommand', 'QueryCommand', 'QueryCommand']);
    } finally {
      env.deps.db.send = send;
      await env.deps.db.send(new PutCommand({ TableName: env.config.TABLE_NAME, Item: { ...slots, used: before } }));
      clock.set('2027-08-20T08:00:00.000Z');
    }
    // The read stored nothing: the version is that of the save.
    expect((await as(sofie, 'GET', `/v1/agreements/${created.body.id}`)).body.version).toBe(created.body.version);
  });

  it('are gone 90 days after their last change', async () => {
    const created = await as(sofie, 'POST', '/v1/agreements', draft({}, { nationalNumber: nationalNumberFor('2009-06-01', 50) }));
    expect((await as(sofie, 'GET', `/v1/agreements/${created.body.id}`)).status).toBe(200);
    clock.set('2027-11-17T12:00:00.000Z');
    expect((await as(sofie, 'GET', `/v1/agreements/${created.body.id}`)).status).toBe(200);
    clock.set('2027-11-18T08:00:00.000Z');
    expect((await as(sofie, 'GET', `/v1/agreements/${created.body.id}`)).status).toBe(404);
    clock.set('2027-08-20T08:00:00.000Z');
  });

  it('the daily job warns the counsellor 14 days before a work version expires, once', async () => {
    const created = await as(sofie, 'POST', '/v1/agreements', draft({}, { nationalNumber: nationalNumberFor('2009-07-01', 70) }));
    const job = createAgreementsDailyJob(env.deps);
    clock.set('2027-11-03T09:00:00.000Z');
    await job();
    const titles = async () =>
      (await as(sofie, 'GET', '/v1/tasks')).body.items.filter(
        (t: { title: string; link: string }) => t.title === 'Werkversie verloopt' && t.link === `/v1/agreements/${created.body.id}`,
      );
    expect(await titles()).toHaveLength(0);
    clock.set('2027-11-04T09:00:00.000Z');
    expect((await job()).warned).toBeGreaterThanOrEqual(1);
    expect(await job()).toMatchObject({ warned: 0 });
    expect(await titles()).toEqual([expect.objectContaining({ dueDate: '2027-11-18' })]);
    clock.set('2027-08-20T08:00:00.000Z');
  });

  it('the daily job ends agreements whose end date has passed and frees their slots', async () => {
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.chris))).toBe(1);
    clock.set('2028-06-30T12:00:00.000Z');
    expect((await createAgreementsDailyJob(env.deps)()).ended).toBe(0);
    clock.set('2028-07-01T03:00:00.000Z');
    expect((await createAgreementsDailyJob(env.deps)()).ended).toBe(1);
    expect(await slotsUsed(env.deps, mentorSlotsKey(mentorIds.chris))).toBe(0);
    expect((await createAgreementsDailyJob(env.deps)()).ended).toBe(0);
    clock.set('2027-08-20T08:00:00.000Z');
  });

  it("erases the learner's personal data 5 years after an agreement ended, once", async () => {
    // The agreement ended early on 2028-01-31 (above): its learner data is kept until 2033-01-31.
    const before = await as(sofie, 'GET', `/v1/agreements/${agreementId}`);
    const learnerNumber = before.body.learner.nationalNumber as string;
    expect(await learnerAgreements(env.deps, learnerNumber)).toHaveLength(1);
    clock.set('2033-01-30T03:00:00.000Z');
    expect((await createAgreementsDailyJob(env.deps)()).learnersErased).toBe(0);
    clock.set('2033-01-31T03:00:00.000Z');
    expect((await createAgreementsDailyJob(env.deps)()).learnersErased).toBe(1);
    const after = await as(sofie, 'GET', `/v1/agreements/${agreementId}`);
    expect(after.body.learner).toMatchObject({
      firstName: `${before.body.learner.firstName[0]}.`,
      lastName: `${before.body.learner.lastName[0]}.`,
      nationalNumber: `${learnerNumber.slice(0, 9)}***.**`,
      birthDate: '',
      birthYear: Number(before.body.learner.birthDate.slice(0, 4)),
      iban: null,
      legalRepresentative: null,
      dataErased: true,
      address: { street: '', houseNumber: '', postcode: before.body.learner.address.postcode },
    });
    expect(after.body.enterpriseBankAccount).toBeNull();
    expect(JSON.stringify(after.body)).not.toContain(before.body.learner.lastName);
    expect(await learnerAgreements(env.deps, learnerNumber)).toEqual([]);
    expect(after.body.history.at(-1)).toMatchObject({ action: 'learner-data-erased', by: 'retention' });
    expect((await createAgreementsDailyJob(env.deps)()).learnersErased).toBe(0);
    clock.set('2027-08-20T08:00:00.000Z');
  });
});
