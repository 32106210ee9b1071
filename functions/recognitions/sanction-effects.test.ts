// What a sanction does to the files still open for the excluded workplace, against the emulators: an exclusion
// while a renewal (or another application) of the same establishment is under review closes that file in the
// same transaction, ends its review round and its tasks, and tells its parties; a revocation closes the
// renewal of the recognition it revokes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { getApplicationWithHistory } from '../../shared/data/applications.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { drainQueue, type TestEnvironment } from '../../infra/local/testing/environment.ts';
import { allCriteria, demo, type Actor, type given } from '../../infra/local/testing/given.ts';
import { createApiWorld } from '../../infra/local/testing/api-world.ts';
import type { TestStepFunctions } from '../../infra/local/testing/step-functions.ts';
import { createReviewTasks } from './review-tasks.ts';

const clock = fixedClock('2026-12-02T08:00:00.000Z');
let env: TestEnvironment;
let sfn: TestStepFunctions;
let g: ReturnType<typeof given>;
const mega = '0417390703';
const heist = '2.123.456.791';
const leuven = '2.200.000.382';
const reasons = 'Na begeleiding blijven de afspraken met de mentor onuitgevoerd.';
type Mail = { id: string; to: string[]; template: string; data: Record<string, unknown> };
type Named = { id: string; number: string; version: number };

beforeAll(async () => {
  ({ env, sfn, g } = await createApiWorld(clock));
}, 120_000);
afterAll(async () => sfn?.close());

/** A recognition that started in 2022, so that it ends within the renewal window (2027-02-28). */
async function recognisedByHandel(establishmentNumber: string, programmeId = 'verkoper-duaal'): Promise<Named> {
  const submitted = await g.submitted(demo.jan, { enterpriseNumber: mega, establishmentNumber, programmeId, jointCommittee: '311' });
  return (await g.decided(submitted, demo.karim, demo.els, 'recognised', '2022-03-01')).recognition;
}

/** The enterprise renews, gives the mentor a new extract and submits: the renewal now holds the lock. */
async function submittedRenewal(recognition: Named) {
  const current = await g.ok(200, demo.jan, 'GET', `/v1/recognitions/${recognition.id}`);
  const renewal = await g.ok(201, demo.jan, 'POST', `/v1/recognitions/${recognition.id}/renew`, undefined, current.version);
  const extract = await g.verifiedDocument(demo.jan, 'criminalRecordExtract');
  const content = {
    criteria: allCriteria,
    mentors: [
      {
        id: renewal.mentors[0].id,
        name: 'Mieke Mentor',
        nationalNumber: '80.01.01-001.07',
        yearsOfExperience: 12,
        proofDocumentId: null,
        criminalRecordExtract: { documentId: extract, issuedOn: '2026-11-15' },
      },
    ],
    documents: [],
    bankAccount: null,
  };
  const filled = await g.ok(200, demo.jan, 'PUT', `/v1/applications/${renewal.id}`, content, renewal.version);
  return g.ok(200, demo.jan, 'POST', `/v1/applications/${renewal.id}/submit`, undefined, filled.version);
}

async function stepThrough(file: { id: string; version: number }, actions: string[], consultant: Actor = demo.karim) {
  let version = file.version;
  for (const action of actions) version = (await g.ok(200, consultant, 'POST', `/v1/applications/${file.id}/${action}`, undefined, version)).version;
  return version;
}

const taskOf = async (actor: Actor, fileId: string) =>
  ((await g.ok(200, actor, 'GET', '/v1/tasks?limit=100')).items as { type: string; subject: { id: string } }[]).filter((t) => t.subject.id === fileId);
const rszCertificate = async () => [{ kind: 'rszCertificate', documentId: await g.verifiedDocument(demo.jan, 'rszCertificate') }];

describe('an exclusion while a file of the establishment is open', () => {
  it('closes the renewal under review and the other open file of that partnership with it, and tells their parties', async () => {
    const recognition = await recognisedByHandel(leuven);
    const renewal = await submittedRenewal(recognition);
    await stepThrough(renewal, ['mark-complete', 'start-review']);
    // Another file of the same establishment for Handel (still submitted), and one for Horeca, which Handel's exclusion does not touch.
    const other = await g.submitted(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'winkelbediende-duaal',
      jointCommittee: '311',
    });
    const horeca = await g.submitted(demo.jan, {
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      programmeId: 'keukenmedewerker-duaal',
      documents: await rszCertificate(),
    });
    expect((await taskOf(demo.karim, renewal.id)).map((t) => t.type)).toContain('handleApplication');
    expect((await taskOf(demo.karim, other.id)).map((t) => t.type)).toContain('checkCompleteness');
    await drainQueue(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);

    const excluded = await g.as(demo.els, 'POST', '/v1/exclusions', {
      level: 'establishment',
      enterpriseNumber: mega,
      establishmentNumber: leuven,
      reasons,
      until: null,
    });
    expect(excluded.status, excluded.text).toBe(200);
    expect(excluded.body.sanction.affectedRecognitions).toEqual([recognition.id]);
    expect([...excluded.body.sanction.closedApplications].sort()).toEqual([renewal.id, other.id].sort());
    expect((await getRecognition(env.deps, recognition.number))?.status).toBe('revoked');

    // Each closed file: withdrawn with the sanction as its reason, in its history, out of the work lists.
    for (const file of [renewal, other]) {
      const stored = (await getApplicationWithHistory(env.deps, file.id))!;
      expect(stored.application.status).toBe('withdrawn');
      expect(stored.application.closure).toEqual({ cause: 'sanction', sanctionId: excluded.body.sanction.id, reasons, at: '2026-12-02T08:00:00.000Z' });
      expect(stored.history.at(-1)).toMatchObject({ action: 'closed-by-sanction', by: 'demo-els', after: { status: 'withdrawn' } });
      expect(await taskOf(demo.karim, file.id)).toEqual([]);
      // The review round's execution stops at its next Plan step: the file is no longer under review.
      expect((await createReviewTasks(env.deps).planReview({ applicationId: file.id, round: 1 })).action).toBe('finish');
    }
    const read = await g.ok(200, demo.jan, 'GET', `/v1/applications/${renewal.id}`);
    expect(read).toMatchObject({ status: 'withdrawn', statusLabel: 'Ingetrokken', closure: { cause: 'sanction', reasons } });
    // Horeca's file stays with Horeca.
    expect((await g.ok(200, demo.bart, 'GET', `/v1/applications/${horeca.id}`)).status).toBe('submitted');

    // The enterprise (the file's addresses) and the partnership hear of each closed file, besides the sanction itself.
    const sent = (await drainQueue<Mail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL)).filter((m) => m.template !== 'application-submitted');
    expect(sent.map((m) => m.template).sort()).toEqual(['application-closed', 'application-closed', 'sanction']);
    const closedMail = sent.find((m) => m.template === 'application-closed' && m.data.applicationId === renewal.id)!;
    expect(closedMail.to).toEqual(expect.arrayContaining(['hr@onderneming.test', 'duaal@handel.werkplekduaal.test']));
    expect(closedMail.data).toMatchObject({ sanctionId: excluded.body.sanction.id, partnershipId: 'handel', reasons });
  });

  it('a revocation closes the open renewal of the recognition it revokes', async () => {
    const recognition = await recognisedByHandel(heist);
    const renewal = await submittedRenewal(recognition);
    const current = await g.ok(200, demo.els, 'GET', `/v1/recognitions/${recognition.id}`);
    const revoked = await g.as(demo.els, 'POST', `/v1/recognitions/${recognition.id}/revoke`, { reasons }, current.version);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.sanction.closedApplications).toEqual([renewal.id]);
    expect((await getApplicationWithHistory(env.deps, renewal.id))?.application.status).toBe('withdrawn');
    expect(await taskOf(demo.karim, renewal.id)).toEqual([]);
  });
});
