// A test environment whose recognition-review state machine runs its ASL locally with the real tasks, on a
// fixed clock (the review's day-10 and day-14 waits end when the clock reaches them).
import type { Clock } from '../../../shared/adapters/clock.ts';
import { createReviewTasks } from '../../../functions/recognitions/review-tasks.ts';
import { stateMachines } from '../../topology.ts';
import { createTestEnvironment, type TestEnvironment } from './environment.ts';
import { afterClockReaches, startTestStepFunctions, type TestStepFunctions } from './step-functions.ts';

export async function createReviewEnvironment(clock: Clock): Promise<{ env: TestEnvironment; sfn: TestStepFunctions }> {
  const definition = stateMachines.find((m) => m.name === 'recognition-review')!;
  // The state machine's tasks need the deps, and the deps need the endpoint: build the tasks lazily.
  let tasks: ReturnType<typeof createReviewTasks> | undefined;
  const sfn = await startTestStepFunctions(definition, {
    NotifySubmittedFunction: (input) => tasks!.notifySubmitted(input as never) as never,
    PlanReviewFunction: afterClockReaches(clock, (input) => tasks!.planReview(input as never) as never),
    SendReminderFunction: (input) => tasks!.sendReminder(input as never) as never,
    EscalateFunction: (input) => tasks!.escalate(input as never) as never,
  });
  const env = await createTestEnvironment({ LOCAL_SFN_ENDPOINT: sfn.endpoint });
  env.deps.clock = clock;
  tasks = createReviewTasks(env.deps);
  return { env, sfn };
}
