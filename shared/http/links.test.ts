// Every link resolves and every id round-trips, in-process over every route table. One life cycle opens every
// task type: a mandate, the partnership's work lists, recognitions with mentors waiting and without a valid
// mentor, appeals, an agreement with an addendum and a long suspension, a work version about to expire, KBO
// changes and their decision, a revocation, the daily jobs and a review past its 14 days. At each checkpoint
// every organisation with tasks reads its dashboard (`GET /v1/tasks`) once per role, and opens each task's
// `link` and its subject as that user: 200. A task type the life cycle does not produce fails the test
// (`expectedSubjects` is a Record over every task type, so a new type does not even compile without its entry).
// Every `Location` of a 201 opens for its creator. Then each resource's `id` is taken from an answer and used
// verbatim in its path.
import { addDays } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreementsDailyJob } from '../../functions/agreements/daily.ts';
import { createDomainEventConsumer } from '../../functions/agreements/events-consumer.ts';
import { createChangesConsumer } from '../../functions/kbo-changes/consumer.ts';
import { createDailyJob } from '../../functions/recognitions/daily.ts';
import { pollOnce, type SqsHandler } from '../../infra/local/queues.ts';
import { draftBody, registeredAgreement } from '../../infra/local/testing/agreement-fixtures.ts';
import type { CallOptions, CallResult, TestApi } from '../../infra/local/testing/api.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import type { TestEnvironment } from '../../infra/local/testing/environment.ts';
import { demo, type given } from '../../infra/local/testing/given.ts';
import { nationalNumberFor } from '../../infra/local/testing/national-numbers.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { fixedClock } from '../adapters/clock.ts';
import { putChanges, sendChangeMessages, type KboChange } from '../data/kbo-changes.ts';
import { listTaskOrganisations } from '../data/tasks.ts';
import { changeId } from '../domain/kbo-changes.ts';
import { organisationTypes, rolesByType, type OrganisationType, type Role } from '../domain/organisations.ts';
import { referenceKinds } from '../domain/reference.ts';
import { taskTypes, type Task, type TaskType } from '../domain/tasks.ts';

// After the real date: DynamoDB Local deletes items whose TTL (a work version's expiry) passed in real time.
const clock = fixedClock('2027-08-20T08:00:00.000Z');
let env: TestEnvironment;
let sfn: TestStepFunctions;
let api: TestApi;
let g: ReturnType<typeof given>;

/** Every task type and the subjects its factories give it: two factories make an address change task. */
const expectedSubjects: Record<TaskType, Task['subject']['kind'][]> = {
  renewRecognition: ['recognition'],
  confirmAppeal: ['appeal'],
  decideAppeal: ['appeal'],
  reviewOverdue: ['application'],
  recognitionWithoutMentor: ['recognition'],
  finishMentorTraining: ['recognition'],
  confirmMandate: ['mandate'],
  completeApplication: ['application'],
  setAvailability: ['recognition'],
  checkCompleteness: ['application'],
  handleApplication: ['application'],
  resumeApplication: ['application'],
  checkMentors: ['recognition'],
  processAddressChange: ['kboChange', 'agreement'],
  processAddressStrikeOff: ['kboChange'],
  processStop: ['kboChange'],
  processTransfer: ['kboChange'],
  processNameChange: ['kboChange'],
  processRevocation: ['agreement'],
  finishAddendum: ['agreement'],
  draftExpiring: ['agreement'],
  followUpSuspension: ['agreement'],
  signAddendum: ['agreement'],
  signAgreement: ['agreement'],
};

/** Where each kind of task subject is read: its id verbatim in the path. */
const subjectPaths: Record<Task['subject']['kind'], (id: string) => string> = {
  application: (id) => `/v1/applications/${id}`,
  recognition: (id) => `/v1/recognitions/${id}`,
  appeal: (id) => `/v1/appeals/${id}`,
  agreement: (id) => `/v1/agreements/${id}`,
  kboChange: (id) => `/v1/kbo-changes/${id}`,
  mandate: (id) => `/v1/mandates/${id}`,
};

const mega = '0417390703';
const heist = '2.123.456.791';
const leuven = '2.200.000.382';
const hasselt = '2.200.000.481';

/** What the life cycle made, for the checkpoints and the round trips. */
const made = {} as {
  r1: { id: string; number: string; version: number; mentorId: string; endDate: string; trainingDeadline: string };
  r2: { id: string };
  rejected: string;
  appealOfFile: string;
  agreement: { id: string; version: number };
  addressChange: KboChange;
};

/** Each 201's Location, with the call that created it. */
const locations: { options: CallOptions; location: string }[] = [];
/** `<type>/<subject kind>` of every task seen on a dashboard, and how many links were opened. */
const seen = new Set<string>();
let linksOpened = 0;

beforeAll(async () => {
  ({ env, sfn, api, g } = await createApiWorld(clock));
  // Every call of the given-steps goes through api.call: remember each Location it is answered with.
  const call = api.call.bind(api);
  api.call = async (options: CallOptions): Promise<CallResult> => {
    const result = await call(options);
    const location = result.headers.Location ?? result.headers.location;
    if (result.status === 201 && location) locations.push({ options, location });
    return result;
  };
}, 60_000);

afterAll(async () => sfn?.close());

/** A user holding one role in one organisation: the test needs every role of every organisation with tasks. */
async function userOf(organisationKey: string, role: Role) {
  const [type, id] = organisationKey.split(':') as [OrganisationType, string];
  const token = await api.issuer.sign({ sub: `links-${type}-${id}-${role}`, name: `Links ${role}`, organisations: [{ type, id, roles: [role] }] });
  return { get: (path: string) => api.call({ method: 'GET', path, token, organisation: organisationKey }) };
}

async function organisationsWithTasks(): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTaskOrganisations(env.deps, cursor);
    found.push(...page.items.map((o) => o.organisationKey));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return found;
}

/** Every dashboard, per role: each task's link and subject open for that user with a 200. */
async function openEveryLink(checkpoint: string) {
  for (const organisationKey of await organisationsWithTasks()) {
    const type = organisationKey.split(':')[0] as OrganisationType;
    expect(organisationTypes).toContain(type);
    for (const role of rolesByType[type]) {
      const user = await userOf(organisationKey, role);
      let cursor: string | null = null;
      do {
        const dashboard: CallResult = await user.get(`/v1/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(dashboard.status, dashboard.text).toBe(200);
        for (const task of dashboard.body.items as Task[]) {
          const where = `${checkpoint}: ${role} of ${organisationKey}, ${task.type} ${task.link}`;
          const link = await user.get(task.link);
          expect(link.status, `${where}: ${link.text}`).toBe(200);
          const subject = await user.get(subjectPaths[task.subject.kind](task.subject.id));
          expect(subject.status, `${where}, subject ${task.subject.kind} ${task.subject.id}: ${subject.text}`).toBe(200);
          seen.add(`${task.type}/${task.subject.kind}`);
          linksOpened += 1;
        }
        cursor = dashboard.body.cursor;
      } while (cursor);
    }
  }
}

async function drain(queueId: string, handler: SqsHandler) {
  const queue = env.queues.find((q) => q.definition.id === queueId)!;
  while ((await pollOnce(env.deps.sqs, queue, handler, { waitSeconds: 0, retryAfterSeconds: 0 })) > 0);
}

function kboChange(kind: KboChange['kind'], establishment: string, recognitions: KboChange['recognitions']): KboChange {
  const address = (street: string) => ({
    street,
    houseNumber: '1',
    box: null,
    postcode: '2220',
    municipality: 'Heist-op-den-Berg',
    country: null,
    extraAddressInfo: null,
    struckOffOn: null,
  });
  return {
    id: changeId(12, { kind, entity: { kind: 'establishment', number: establishment } }, 'handel'),
    kind,
    entity: { kind: 'establishment', number: establishment },
    enterpriseNumber: '0417.390.703',
    oldAddress: address('Stationsstraat'),
    newAddress:
      kind === 'addressChanged' ? address('Kerkplein') : kind === 'addressStruckOff' ? { ...address('Stationsstraat'), struckOffOn: '2027-08-18' } : null,
    oldName: 'Mega World',
    newName: kind === 'nameChanged' ? 'Mega World Outlet' : null,
    newEnterpriseNumber: kind === 'movedToEnterprise' ? '0412.345.614' : null,
    lastJuridicalSituation: null,
    extractNumber: 12,
    snapshotDate: '2027-08-19',
    fileName: 'KboOpenData_0012_2027_08_19_Update.zip',
    slice: 0,
    partnershipId: 'handel',
    recognitions,
    status: 'open',
    decision: null,
    detectedAt: '2027-08-20T03:00:00.000Z',
    version: 1,
  };
}

const day = (date: string, days: number) =>
  addDays(new Date(`${date}T00:00:00Z`), days)
    .toISOString()
    .slice(0, 10);

describe('every link resolves and every id round-trips', () => {
  it('opens the tasks of mandates, work lists, recognitions, appeals, agreements and KBO changes, each link a 200', async () => {
    const { jan, karim, els, lotte, sofie, pieter, dirk } = demo;
    // A counsellor registers a mandate: the enterprise's legal representative confirms it ("Machtiging bevestigen").
    const mandateDocument = await g.verifiedDocument(pieter, 'mandate');
    await g.ok(201, pieter, 'POST', '/v1/mandates', { enterpriseNumber: mega, documentId: mandateDocument, enterpriseEmail: 'info@megaworld.test' });

    // Two recognitions of Handel: R1 gets a mentor waiting for approval and an agreement, R2 loses its only mentor.
    // Each its own mentor (a person): withdrawing R2's mentor withdraws that person wherever named, not R1's.
    const recognise = async (establishmentNumber: string, mentorNationalNumber?: string) =>
      (
        await g.decided(
          await g.submitted(jan, {
            enterpriseNumber: mega,
            establishmentNumber,
            programmeId: 'verkoper-duaal',
            jointCommittee: '311',
            ...(mentorNationalNumber ? { mentorNationalNumber } : {}),
          }),
          karim,
          els,
          'recognised',
          '2027-09-01',
        )
      ).recognition;
    const r1 = await recognise(heist);
    const r2 = await recognise(hasselt, nationalNumberFor('1975-05-05', 3));
    const extract = await g.verifiedDocument(jan, 'criminalRecordExtract');
    const waiting = await g.ok(
      202,
      jan,
      'POST',
      `/v1/recognitions/${r1.id}/mentors`,
      {
        name: 'Piet Nieuw',
        nationalNumber: '80.01.01-001.07',
        yearsOfExperience: 10,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: extract, issuedOn: '2027-08-01' },
      },
      r1.version,
    );
    made.r1 = {
      id: r1.id,
      number: r1.number,
      version: waiting.version,
      mentorId: r1.mentors[0].id,
      endDate: r1.endDate,
      trainingDeadline: r1.mentors[0].trainingDeadline,
    };
    made.r2 = { id: r2.id };
    const withdrawal = await g.ok(
      200,
      els,
      'POST',
      `/v1/recognitions/${r2.id}/mentors/${r2.mentors[0].id}/withdraw`,
      { reasons: 'De mentor is niet meer bereikbaar voor de leerlingen.' },
      r2.version,
    );

    // The partnership's work lists: one file to check, one complete, under review and paused.
    await g.submitted(jan, { enterpriseNumber: mega, establishmentNumber: leuven, programmeId: 'verkoper-duaal', jointCommittee: '311' });
    let file = await g.submitted(jan, { enterpriseNumber: mega, establishmentNumber: leuven, programmeId: 'winkelbediende-duaal' });
    for (const [action, body] of [['mark-complete'], ['start-review'], ['pause', { reason: 'Bezoek gepland' }]] as const)
      file = await g.ok(200, karim, 'POST', `/v1/applications/${file.id}/${action}`, body, file.version);
    // One file sent back: the enterprise completes it ("Vervolledig uw erkenningsaanvraag").
    const sentBack = await g.submitted(jan, { enterpriseNumber: mega, establishmentNumber: heist, programmeId: 'winkelbediende-duaal' });
    await g.ok(200, karim, 'POST', `/v1/applications/${sentBack.id}/request-completion`, { message: 'Het RSZ-attest ontbreekt nog.' }, sentBack.version);

    // Two appeals (one open appeal per decision or sanction): against a rejection, to confirm; against the
    // mentor's withdrawal, admissible, waiting for the committee.
    const rejected = await g.decided(
      await g.submitted(jan, { enterpriseNumber: mega, establishmentNumber: hasselt, programmeId: 'kinderbegeleider-duaal' }),
      lotte,
      lotte,
      'notRecognised',
    );
    made.rejected = rejected.id;
    const appeal = (against: Record<string, string>) => ({ against, grounds: 'De mentor heeft wel voldoende ervaring.', contactEmail: 'hr@megaworld.test' });
    made.appealOfFile = (await g.ok(201, jan, 'POST', '/v1/appeals', appeal({ kind: 'decision', applicationId: rejected.id }))).id;
    const second = await g.ok(201, jan, 'POST', '/v1/appeals', appeal({ kind: 'sanction', sanctionId: withdrawal.sanction.id }));
    await g.ok(200, dirk, 'POST', `/v1/appeals/${second.id}/confirm`, { admissible: true, reasons: 'Tijdig en gemotiveerd' }, second.version);

    // An agreement on R1, registered, with an addendum to sign and a long suspension; a second work version stays a draft.
    const created = await registeredAgreement(g, sofie, draftBody(made.r1.mentorId));
    let agreement = created;
    agreement = await g.ok(200, sofie, 'POST', `/v1/agreements/${created.id}/amendments`, { kind: 'endDate', endDate: '2028-05-31' }, agreement.version);
    agreement = await g.ok(
      201,
      sofie,
      'POST',
      `/v1/agreements/${created.id}/suspensions`,
      { ground: 'illness', from: '2027-10-01', to: '2027-10-20' },
      agreement.version,
    );
    made.agreement = { id: created.id, version: agreement.version };
    await g.ok(201, sofie, 'POST', '/v1/agreements', draftBody(made.r1.mentorId, {}, { nationalNumber: nationalNumberFor('2010-04-01', 2) }));

    // KBO changes at Mega World's establishments, through the changes queue as the sync sends them.
    made.addressChange = kboChange('addressChanged', heist, [{ id: r1.number, establishmentNumber: heist, programmeId: 'verkoper-duaal' }]);
    const changes = [
      made.addressChange,
      kboChange('stopped', hasselt, [{ id: r2.number, establishmentNumber: hasselt, programmeId: 'verkoper-duaal' }]),
      kboChange('nameChanged', leuven, []),
      kboChange('movedToEnterprise', leuven, []),
      kboChange('addressStruckOff', leuven, []),
    ];
    await putChanges(env.deps, changes);
    await sendChangeMessages(env.deps, changes);
    await drain('kboChanges', createChangesConsumer(env.deps));

    await openEveryLink('after the first steps');
  }, 120_000);

  it('opens the tasks of the daily job: a mentor training to finish, a renewal to decide', async () => {
    const job = createDailyJob(env.deps);
    await job({ today: day(made.r1.trainingDeadline, -10) });
    await job({ today: day(made.r1.endDate, -100) });
    await openEveryLink('after the recognitions daily job');
  }, 60_000);

  it("takes every resource's id from an answer and reads it with that id, unchanged, in its path", async () => {
    const { jan, karim, sofie, dirk } = demo;
    const readsBack = async (actor: typeof jan, path: string, id: string | number, field = 'id') => {
      const reply = await g.as(actor, 'GET', path);
      expect(reply.status, `${actor.user} GET ${path}: ${reply.text}`).toBe(200);
      expect(reply.body[field], path).toBe(id);
    };
    // Applications, and the recognitions a decision made.
    const files = (await g.ok(200, jan, 'GET', '/v1/applications?limit=100')).items as { id: string; decision: { recognitionId: string | null } | null }[];
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) await readsBack(jan, `/v1/applications/${f.id}`, f.id);
    const decided = files.flatMap((f) => (f.decision?.recognitionId ? [f.decision.recognitionId] : []));
    expect(decided).toContain(made.r1.id);
    for (const id of decided) await readsBack(jan, `/v1/recognitions/${id}`, id);

    // A recognition's id is its path's; its official number is a field of its own.
    const r1 = await g.ok(200, jan, 'GET', `/v1/recognitions/${made.r1.id}`);
    expect(r1).toMatchObject({ id: made.r1.id, number: made.r1.number });
    expect(made.r1.number).toMatch(/^E\/\d{8}\/\d{6}$/);
    const picker = (await g.ok(200, sofie, 'GET', `/v1/recognitions?programme=verkoper-duaal&enterprise=${mega}`)).items as { id: string }[];
    expect(picker.map((r) => r.id)).toEqual(expect.arrayContaining([made.r1.id, made.r2.id]));
    for (const r of picker) await readsBack(sofie, `/v1/recognitions/${r.id}`, r.id);
    const listed = (await g.ok(200, karim, 'GET', `/v1/recognitions?establishment=${heist}`)).items as { id: string }[];
    for (const r of listed) await readsBack(karim, `/v1/recognitions/${r.id}`, r.id);
    await g.ok(200, jan, 'PUT', `/v1/recognitions/${made.r1.id}/availability`, { placeAvailable: true }, made.r1.version);
    const workplaces = (await g.ok(200, jan, 'GET', '/v1/workplaces?programme=verkoper-duaal')).items as { recognitionId: string }[];
    expect(workplaces.map((w) => w.recognitionId)).toContain(made.r1.id);
    for (const w of workplaces) await readsBack(jan, `/v1/recognitions/${w.recognitionId}`, w.recognitionId);

    // A mentor's id, in the routes under its recognition.
    const current = await g.ok(200, jan, 'GET', `/v1/recognitions/${made.r1.id}`);
    const approved = await g.as(karim, 'POST', `/v1/recognitions/${made.r1.id}/mentors/${current.pendingMentors[0].id}/approve`, undefined, current.version);
    expect(approved.status, approved.text).toBe(200);

    // Appeals, from both lists.
    const appeals = (await g.ok(200, jan, 'GET', '/v1/appeals')).items as { id: string }[];
    expect(appeals).toHaveLength(2);
    for (const a of appeals) await readsBack(jan, `/v1/appeals/${a.id}`, a.id);
    const ofFile = (await g.ok(200, dirk, 'GET', `/v1/applications/${made.rejected}/appeals`)).items as { id: string }[];
    expect(ofFile.map((a) => a.id)).toEqual([made.appealOfFile]);
    for (const a of (await g.ok(200, dirk, 'GET', '/v1/appeals?status=admissible')).items as { id: string }[])
      await readsBack(dirk, `/v1/appeals/${a.id}`, a.id);

    // Agreements, their recognition, addenda (by number) and suspensions.
    const agreements = (await g.ok(200, sofie, 'GET', '/v1/agreements')).items as {
      id: string;
      recognitionId: string | null;
      addenda: { number: number }[];
      suspensions: { id: string }[];
    }[];
    expect(agreements).toHaveLength(2);
    for (const a of agreements) {
      await readsBack(sofie, `/v1/agreements/${a.id}`, a.id);
      await readsBack(jan, `/v1/agreements/${a.id}`, a.id);
      expect(a.recognitionId).toBe(made.r1.id);
      await readsBack(sofie, `/v1/recognitions/${made.r1.id}`, made.r1.id);
      for (const addendum of a.addenda) {
        await readsBack(sofie, `/v1/agreements/${a.id}/addenda/${addendum.number}`, addendum.number, 'number');
        await readsBack(jan, `/v1/agreements/${a.id}/addenda/${addendum.number}`, addendum.number, 'number');
      }
      for (const s of a.suspensions) {
        const { version } = await g.ok(200, sofie, 'GET', `/v1/agreements/${a.id}`);
        expect((await g.as(sofie, 'POST', `/v1/agreements/${a.id}/suspensions/${s.id}/acknowledge`, undefined, version)).status).toBe(204);
      }
    }
    expect(agreements.flatMap((a) => a.addenda)).toHaveLength(1);

    // Documents (the annexes), KBO changes, mandates, reference records, the enterprise.
    const annexes = (await g.ok(200, sofie, 'GET', `/v1/agreements/${made.agreement.id}`)).annexes as Record<string, { documentId: string }>;
    for (const annex of Object.values(annexes)) await readsBack(sofie, `/v1/documents/${annex.documentId}`, annex.documentId);
    const changes = (await g.ok(200, karim, 'GET', '/v1/kbo-changes')).items as { id: string; recognitions: { id: string; number: string }[] }[];
    expect(changes).toHaveLength(5);
    for (const c of changes) {
      await readsBack(karim, `/v1/kbo-changes/${c.id}`, c.id);
      for (const r of c.recognitions) await readsBack(karim, `/v1/recognitions/${r.id}`, r.id);
    }
    const mandates = (await g.ok(200, jan, 'GET', '/v1/mandates')).items as { enterpriseNumber: string; providerId: string }[];
    expect(mandates).toHaveLength(1);
    for (const m of mandates) await readsBack(jan, `/v1/mandates/${m.enterpriseNumber}/${m.providerId}`, m.providerId, 'providerId');
    for (const kind of Object.keys(referenceKinds)) {
      const records = (await g.ok(200, jan, 'GET', `/v1/reference/${kind}?limit=3`)).items as { id: string }[];
      expect(records.length, kind).toBeGreaterThan(0);
      for (const r of records) await readsBack(jan, `/v1/reference/${kind}/${r.id}`, r.id);
    }
    const me = await g.ok(200, jan, 'GET', '/v1/me');
    for (const o of me.organisations as { id: string }[]) {
      const profile = await g.ok(200, jan, 'GET', `/v1/enterprises/${o.id}`);
      await readsBack(jan, `/v1/enterprises/${profile.enterpriseNumber}`, profile.enterpriseNumber, 'enterpriseNumber');
    }
  }, 120_000);

  it('opens the tasks of a KBO decision and a revocation on the running agreement, through the outbox and the events queue', async () => {
    const { els } = demo;
    const change = await g.ok(200, els, 'GET', `/v1/kbo-changes/${made.addressChange.id}`);
    await g.ok(
      200,
      els,
      'POST',
      `/v1/kbo-changes/${made.addressChange.id}/decision`,
      { decision: 'keep', reasons: 'Het nieuwe adres is geschikt.' },
      change.version,
    );
    await drain('domain-events', createDomainEventConsumer(env.deps));
    const recognition = await g.ok(200, els, 'GET', `/v1/recognitions/${made.r1.id}`);
    await g.ok(200, els, 'POST', `/v1/recognitions/${made.r1.id}/revoke`, { reasons: 'Na begeleiding blijven de problemen bestaan.' }, recognition.version);
    await drain('domain-events', createDomainEventConsumer(env.deps));
    await openEveryLink('after the KBO decision and the revocation');
  }, 60_000);

  it('opens the tasks that time brings: a review past its 14 days, a work version about to expire', async () => {
    clock.set('2027-09-05T08:00:00.000Z');
    const overdue = await userOf('department:dwse', 'administrator');
    for (let i = 0; i < 400; i++) {
      const tasks = (await overdue.get('/v1/tasks?type=reviewOverdue')).body.items as Task[];
      if (tasks.length) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The second work version was saved on 2027-08-20: its warning comes 14 days before it expires.
    clock.set('2027-11-04T08:00:00.000Z');
    expect((await createAgreementsDailyJob(env.deps)()).warned).toBe(1);
    await openEveryLink('after the review deadline and the draft warning');
  }, 60_000);

  it('has seen every task type, with each subject its factories give it, and every link opened', () => {
    expect(Object.keys(expectedSubjects).sort()).toEqual(Object.keys(taskTypes).sort());
    const expected = Object.entries(expectedSubjects).flatMap(([type, kinds]) => kinds.map((kind) => `${type}/${kind}`));
    expect([...seen].sort()).toEqual(expected.sort());
    expect(linksOpened).toBeGreaterThan(expected.length);
    console.log(
      `links: ${Object.keys(expectedSubjects).length} task types (${expected.length} with their subjects), ${linksOpened} dashboard entries, each with its link and its subject opened`,
    );
  });

  it('answers every Location of a created resource with a 200 for its creator', async () => {
    expect(locations.length).toBeGreaterThan(20);
    console.log(`links: ${locations.length} Locations opened`);
    for (const { options, location } of locations) {
      const reply = await api.call({
        method: 'GET',
        path: location,
        ...(options.token ? { token: options.token } : {}),
        ...(options.organisation ? { organisation: options.organisation } : {}),
      });
      expect(reply.status, `${options.method} ${options.path} -> ${location}: ${reply.text}`).toBe(200);
    }
  });
});
