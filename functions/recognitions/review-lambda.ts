// Lambda entries of the recognition-review state machine's tasks; one function per exported handler.
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createReviewTasks, type ReviewInput } from './review-tasks.ts';

const tasks = createReviewTasks(createDependencies(loadConfig()));

export const notifySubmitted = (input: ReviewInput) => tasks.notifySubmitted(input);
export const planReview = (input: ReviewInput) => tasks.planReview(input);
export const sendReminder = (input: ReviewInput) => tasks.sendReminder(input);
export const escalate = (input: ReviewInput) => tasks.escalate(input);
