// The application file's routes against the emulators: the DynamoDB requests of a content save, a submission
// and a decision, counted by wrapping the API's `deps.db.send` (the reads a step needs are batched where the
// access pattern allows it, and its result is one transaction), and each audience's answer checked against the
// strict schema of its view (views.ts), which is also the route's documented response. The review state
// machine's tasks use the environment's own client, so their reads are not counted here.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { allRoutes } from '../../infra/topology.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import { createTestApi } from '../../infra/local/testing/api.ts';
import { demo, given, type Actor } from '../../infra/local/testing/given.ts';
import { getApplication } from '../../shared/data/applications.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { applicationForFilerView, applicationForReviewerView, applicationPageView, applicationViewSchemas } from './views.ts';

const clock = fixedClock('2026-11-02T08:00:00.000Z');
const sent: string[] = [];
let g: ReturnType<typeof given>;
let deps: Dependencies;

/** The commands sent while `action` runs, counted per command name. */
async function requestsOf(action: () => Promise<unknown>): Promise<Record<string, number>> {
  sent.length = 0;
  await action();
  const counts: Record<string, number> = {};
  for (const name of sent) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const writes = ['TransactWriteCommand', 'PutCommand', 'UpdateCommand', 'DeleteCommand'];
const reads = (counts: Record<string, number>) => total(counts) - writes.reduce((n, w) => n + (counts[w] ?? 0), 0);

beforeAll(async () => {
  const world = await createApiWorld(clock);
  deps = world.env.deps;
  const db = world.env.deps.db;
  const counted = {
    send: (command: { constructor: { name: string } }, ...rest: unknown[]) => {
      sent.push(command.constructor.name);
      return (db.send as (...a: unknown[]) => unknown).call(db, command, ...rest);
    },
  } as unknown as DynamoDBDocumentClient;
  const api = await createTestApi(
    allRoutes().map((r) => r.route),
    { ...world.env.deps, db: counted },
  );
  g = given(api);
});

const mega = '0417390703';

describe('DynamoDB requests per operation', () => {
  it('a save, a submission and a decision read in few requests, whatever the number of documents, and commit in one transaction', async () => {
    const input = { enterpriseNumber: mega, establishmentNumber: '2.123.456.791', programmeId: 'verkoper-duaal', jointCommittee: '311' };
    // Three documents: the mentor's extract and two more attached to the file.
    const documents = [
      { kind: 'other', documentId: await g.verifiedDocument(demo.jan, 'other') },
      { kind: 'other', documentId: await g.verifiedDocument(demo.jan, 'other') },
    ];
    const filled = await g.filledApplication(demo.jan, { ...input, documents });
    const content = (await g.ok(200, demo.jan, 'GET', `/v1/applications/${filled.id}`)) as Record<string, any>;
    const body = { criteria: content.criteria, documents, bankAccount: null, mentors: [] as unknown[] };
    body.mentors = content.mentors.map((m: Record<string, unknown>) => ({ ...m, nationalNumber: '80.01.01-001.07', birthDate: undefined }));
    const save = await requestsOf(() => g.ok(200, demo.jan, 'PUT', `/v1/applications/${filled.id}`, body, filled.version));
    let submitted: { id: string; version: number } | undefined;
    const submit = await requestsOf(async () => {
      submitted = await g.ok(200, demo.jan, 'POST', `/v1/applications/${filled.id}/submit`, undefined, filled.version + 1);
    });
    let version = submitted!.version;
    for (const action of ['mark-complete', 'start-review'])
      version = (await g.ok(200, demo.karim, 'POST', `/v1/applications/${filled.id}/${action}`, undefined, version)).version;
    version = (await g.ok(200, demo.karim, 'POST', `/v1/applications/${filled.id}/propose`, { decision: 'recognise', reasons: 'In orde' }, version)).version;
    const decide = await requestsOf(() =>
      g.ok(200, demo.els, 'POST', `/v1/applications/${filled.id}/decide`, { decision: 'recognised', reasons: 'In orde' }, version),
    );
    console.info('save', total(save), save);
    console.info('submit', total(submit), submit);
    console.info('decide', total(decide), decide);
    // Before this layer: save 5 (one GetItem per document), submit 14 (one GetItem and one UpdateItem per
    // document, the programme apart), decide 9 (programme and partnership apart).
    // Save: the file, one BatchGet of its documents, one transaction; and the name of the organisation acting, for
    // the history's actor (one GetItem of the enterprise's KBO item, its names inside: shared/data/users.ts readActor).
    expect(save).toEqual({ GetCommand: 2, BatchGetCommand: 1, TransactWriteCommand: 1 });
    // Submit: the file, one BatchGet (programme, documents), three Queries (routing, partnerships, establishment),
    // one BatchGet of the exclusions; the submission with the documents' new reader in one transaction, and the
    // completeness task (tasks.ts, its own transaction), whose label names the programme and the establishment
    // (one BatchGet with the establishment's KBO item, its names inside, as the mails read them: work-list.ts fileNames).
    // And the actor's organisation name, as for the save.
    expect(reads(submit)).toBe(8);
    expect(submit).toMatchObject({ TransactWriteCommand: 2 });
    expect(submit.UpdateCommand ?? 0).toBe(0);
    // Decide: the file, the establishment (a GetItem of its KBO item), one BatchGet (programme, partnership), the recognition counter, the
    // decision in one transaction; closing the work-list tasks reads each task first (tasks.ts); the enterprise's
    // "Vrije plaatsen instellen" task opens in its own transaction.
    // Plus the voting member's partnership name for the history's actor: 10 in all. Then the decision's events leave
    // the outbox at once (shared/data/outbox.ts dispatchSoon: the Queries of the waiting events and of the feeds'
    // heads, the feed entries' transaction, the mark as dispatched): 7 more, the only Queries and the second Update.
    expect(decide).toMatchObject({ BatchGetCommand: 1, UpdateCommand: 2, QueryCommand: 4 });
    expect(total(decide)).toBeLessThanOrEqual(17);
  });
});

describe("each audience's view of a file", () => {
  const expectView = (audience: keyof typeof applicationViewSchemas, answer: unknown) => {
    const parsed = applicationViewSchemas[audience].safeParse(answer);
    expect(parsed.success, `${audience}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  };

  it('answers the enterprise, its counsellor, the competent partnership and the department each with their own view', async () => {
    const mandateDocument = await g.verifiedDocument(demo.sofie, 'mandate');
    await g.ok(201, demo.sofie, 'POST', '/v1/mandates', { enterpriseNumber: mega, documentId: mandateDocument, enterpriseEmail: 'info@megaworld.test' });
    const declaration = await g.verifiedDocument(demo.sofie, 'declarationOnHonour');
    const filed = await g.filledApplication(demo.sofie, {
      enterpriseNumber: mega,
      establishmentNumber: '2.200.000.382',
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      documents: [{ kind: 'declarationOnHonour', documentId: declaration }],
    });
    expectView('counsellor', filed);
    const read = (actor: Actor) => g.ok(200, actor, 'GET', `/v1/applications/${filed.id}`);
    expectView('counsellor', await read(demo.sofie));
    expectView('enterprise', await read(demo.jan));
    const submitted = await g.ok(200, demo.sofie, 'POST', `/v1/applications/${filed.id}/submit`, undefined, filed.version);
    expectView('counsellor', submitted);
    const seen = await read(demo.karim);
    expectView('partnership', seen);
    expect(seen.mentors[0].nationalNumber).toBe('80.01.01-001.07');
    expect(seen.mandate).toMatchObject({ providerId: 'campus-brugge', status: 'pending' });
    expectView('department', await read(demo.dirk));
    const decided = await g.decided(submitted, demo.karim, demo.els, 'recognised');
    expect(applicationForReviewerView.safeParse(decided).success).toBe(true);
    expect(decided.recognition).toMatchObject({ status: 'active', mentors: [expect.objectContaining({ name: 'Mieke Mentor' })] });
    for (const actor of [demo.jan, demo.karim]) {
      const page = await g.ok(200, actor, 'GET', '/v1/applications?limit=100');
      expect(applicationPageView.safeParse(page).success, actor.user).toBe(true);
    }
    // The filer's view never carries a full national number.
    expect(applicationForFilerView.safeParse({ ...filed, mentors: [{ ...filed.mentors[0], nationalNumber: '80.01.01-001.07' }] }).success).toBe(false);
  });
});

describe('masked national numbers sent back', () => {
  /** The part of a file's read that its PUT takes, as the read gave it: mentors with masked numbers and read-only fields. */
  const contentOf = (file: Record<string, any>) => ({
    jointCommittee: file.jointCommittee,
    criteria: file.criteria,
    mentors: file.mentors,
    documents: file.documents,
    bankAccount: file.bankAccount,
  });
  const storedMentors = async (id: string) => (await getApplication(deps, id))!.mentors;

  it('keep the stored number of that mentor (by id); a new full number replaces it; any other masked value is a 400', async () => {
    const filled = await g.filledApplication(demo.jan, { enterpriseNumber: mega, establishmentNumber: '2.200.000.481', programmeId: 'verkoper-duaal' });
    const read = await g.ok(200, demo.jan, 'GET', `/v1/applications/${filled.id}`);
    expect(read.mentors[0]).toMatchObject({ nationalNumber: '80.01.01-***.**', birthDate: '1980-01-01' });
    const before = await storedMentors(filled.id);
    expect(before[0]!.nationalNumber).toBe('80.01.01-001.07');

    // The read body's content sent back unchanged: saved, and the stored number is the one it was.
    const saved = await g.ok(200, demo.jan, 'PUT', `/v1/applications/${filled.id}`, contentOf(read), read.version);
    expect(saved.mentors[0]).toMatchObject({ id: read.mentors[0].id, nationalNumber: '80.01.01-***.**' });
    expect(await storedMentors(filled.id)).toEqual(before);

    const refusals: [string, Record<string, unknown>][] = [
      ['a mentor without id', { id: undefined }],
      ['an id the file does not have', { id: '01JAAAAAAAAAAAAAAAAAAAAAAA' }],
      ["another person's number masked", { nationalNumber: '81.02.03-***.**' }],
    ];
    for (const [what, change] of refusals) {
      const body = { ...contentOf(read), mentors: [{ ...read.mentors[0], ...change }] };
      const refused = await g.as(demo.jan, 'PUT', `/v1/applications/${filled.id}`, body, saved.version);
      expect([refused.status, refused.body.code], `${what}: ${refused.text}`).toEqual([400, 'validation-failed']);
      expect(refused.body.errors, what).toEqual([expect.objectContaining({ in: 'body', pointer: '/mentors/0/nationalNumber', code: 'masked-value-unknown' })]);
    }
    expect(await storedMentors(filled.id)).toEqual(before);

    // A masked number for a mentor added to a recognition stands for nothing either.
    const newMentor = { name: 'Nieuwe Mentor', nationalNumber: '80.01.01-***.**', yearsOfExperience: 10, proofDocumentId: null, criminalRecordExtract: null };
    const mentorRefused = await g.as(demo.jan, 'POST', '/v1/recognitions/E-20260101-000001/mentors', newMentor, 1);
    expect(mentorRefused.body.errors).toEqual([expect.objectContaining({ pointer: '/nationalNumber', code: 'masked-value-unknown' })]);

    const replaced = await g.ok(
      200,
      demo.jan,
      'PUT',
      `/v1/applications/${filled.id}`,
      { ...contentOf(read), mentors: [{ ...read.mentors[0], nationalNumber: '85.03.12-123.62', birthDate: undefined }] },
      saved.version,
    );
    expect(replaced.mentors[0]).toMatchObject({ id: read.mentors[0].id, nationalNumber: '85.03.12-***.**', birthDate: '1985-03-12' });
    expect((await storedMentors(filled.id))[0]).toMatchObject({ nationalNumber: '85.03.12-123.62', birthDate: '1985-03-12' });
  });
});
