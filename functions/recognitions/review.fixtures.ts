// The shared set-up of the review tests (review.test.ts, review-clock.test.ts): the review state machine's ASL
// run locally on the test's clock, the recognition, document, organisation and task routes, the reference data
// and Mega World with its establishments in KBO; a filled-in draft; waiting for the workflow.
import type { Clock } from '../../shared/adapters/clock.ts';
import { seedReferenceFiles } from '../../shared/data/reference.ts';
import { referenceFiles } from '../../reference-data/index.ts';
import { drainQueue } from '../../infra/local/testing/environment.ts';
import { createTestApi } from '../../infra/local/testing/api.ts';
import { putEnterprise } from '../../infra/local/testing/kbo-fixtures.ts';
import { createReviewEnvironment } from '../../infra/local/testing/review-environment.ts';
import { demo, given, type Actor } from '../../infra/local/testing/given.ts';
import { routes as documentRoutes } from '../documents/routes.ts';
import { routes as organisationRoutes } from '../organisations/routes.ts';
import { routes as taskRoutes } from '../tasks/routes.ts';
import { routes } from './routes.ts';

export type ReviewMail = { id: string; template: string; to: string[]; data: Record<string, unknown> };

export async function createReviewWorld(clock: Clock) {
  const { env, sfn } = await createReviewEnvironment(clock);
  const api = await createTestApi([...routes, ...documentRoutes, ...organisationRoutes, ...taskRoutes], env.deps);
  const { as, verifiedDocument } = given(api);
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, {
    number: '0417.390.703',
    name: 'Mega World',
    establishments: [
      { number: '2.123.456.791', name: 'Mega World Heist', postcode: '2220', municipality: 'Heist-op-den-Berg' },
      { number: '2.300.000.157', name: 'Mega World Brussel', postcode: '1000', municipality: 'Brussel' },
      { number: '2.199.988.803', name: 'Mega World Namen', postcode: '5000', municipality: 'Namur' },
      { number: '2.200.000.184', name: 'Mega World Gent', postcode: '9000', municipality: 'Gent' },
      { number: '2.200.000.382', name: 'Mega World Leuven', postcode: '3000', municipality: 'Leuven' },
      { number: '2.200.000.481', name: 'Mega World Hasselt', postcode: '3500', municipality: 'Hasselt' },
      { number: '2.200.000.580', name: 'Mega World Mechelen', postcode: '2800', municipality: 'Mechelen' },
    ],
  });
  const mails = () => drainQueue<ReviewMail>(env.deps, env.config.NOTIFICATIONS_QUEUE_URL);

  /**
   * A filled-in draft by `filer` (the enterprise, or a counsellor with the declaration on honour); `over` changes
   * the draft's fields (an undefined one is left out) and the content's.
   */
  async function filledDraft(filer: Actor, establishmentNumber: string, over: { draft?: Record<string, unknown>; content?: Record<string, unknown> } = {}) {
    const draft = await as(filer, 'POST', '/v1/applications', {
      enterpriseNumber: '0417.390.703',
      establishmentNumber,
      programmeId: 'verkoper-duaal',
      jointCommittee: '311',
      contactEmail: 'hr@megaworld.test',
      ...over.draft,
    });
    if (draft.status !== 201) throw new Error(`draft: ${draft.text}`);
    const extract = await verifiedDocument(filer, 'criminalRecordExtract');
    const documents = filer === demo.sofie ? [{ kind: 'declarationOnHonour', documentId: await verifiedDocument(demo.sofie, 'declarationOnHonour') }] : [];
    const updated = await as(
      filer,
      'PUT',
      `/v1/applications/${draft.body.id}`,
      {
        criteria: { financialCapacity: true, organisationAndEquipment: true, noConvictions: true, commitments: true },
        mentors: [
          {
            name: 'Mieke Mentor',
            nationalNumber: '80.01.01-001.07',
            yearsOfExperience: 12,
            proofDocumentId: null,
            criminalRecordExtract: { documentId: extract, issuedOn: '2026-10-01' },
          },
        ],
        documents,
        bankAccount: { iban: 'BE68 5390 0754 7034', premiumConsent: true },
        ...over.content,
      },
      draft.body.version,
    );
    if (updated.status !== 200) throw new Error(`filled-in draft: ${updated.text}`);
    return updated.body;
  }

  return { env, sfn, api, as, verifiedDocument, mails, filledDraft };
}

/** Polls until `ok` holds (the workflow runs beside the test), every 10 ms, at most `tries` times. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, tries = 2000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await fn();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}
export type ReviewWorld = Awaited<ReturnType<typeof createReviewWorld>>;
