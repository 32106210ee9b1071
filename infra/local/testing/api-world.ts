// The usual start of an in-process API test: an environment whose review state machine runs locally on a fixed
// clock, every route of every context, the reference data, Mega World in KBO, and the given-steps.
import type { Clock } from '../../../shared/adapters/clock.ts';
import { seedReferenceFiles } from '../../../shared/data/reference.ts';
import { referenceFiles } from '../../../reference-data/index.ts';
import { allRoutes } from '../../topology.ts';
import { createTestApi } from './api.ts';
import { given } from './given.ts';
import { megaWorld, putEnterprise } from './kbo-fixtures.ts';
import { createReviewEnvironment } from './review-environment.ts';

export async function createApiWorld(clock: Clock) {
  const { env, sfn } = await createReviewEnvironment(clock);
  const api = await createTestApi(
    allRoutes().map((r) => r.route),
    env.deps,
  );
  await seedReferenceFiles(env.deps, referenceFiles());
  await putEnterprise(env.deps, megaWorld);
  return { env, sfn, api, g: given(api) };
}
