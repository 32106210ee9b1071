// The start of a review round: one execution of state-machines/recognition-review.asl.json per (re)submission,
// and per re-opening by an upheld appeal, named `<application>-r<round>`.
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import type { Application } from '../../shared/domain/recognitions.ts';
import type { ReviewInput } from './review-tasks.ts';

export async function startReviewRound(deps: Dependencies, application: Application, reopenedByAppeal?: string) {
  const round = application.reviewRound;
  const input: ReviewInput = { applicationId: application.id, round, ...(reopenedByAppeal ? { reopenedByAppeal } : {}) };
  try {
    await deps.sfn.send(
      new StartExecutionCommand({ stateMachineArn: deps.config.RECOGNITION_REVIEW_ARN, name: `${application.id}-r${round}`, input: JSON.stringify(input) }),
    );
  } catch (error) {
    // A retried step never starts a round twice: the execution name is the application id and round.
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}
