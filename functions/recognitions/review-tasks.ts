// The task functions of state-machines/recognition-review.asl.json. Each takes and returns
// `{ applicationId, round, ... }`; the Plan task reads the stored file and the clock to choose the next step.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { getApplication, getApplicationForReview, markReviewEvent } from '../../shared/data/applications.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { reviewOverdue } from '../../shared/domain/recognition-tasks.ts';
import { nextReviewStep, reviewClock, type Application } from '../../shared/domain/recognitions.ts';
import { submissionReceived } from './notices.ts';
import { fileNames } from './work-list.ts';

/** `reopenedByAppeal`: the round of a file an upheld appeal re-opened, whose parties the outcome's mail told. */
export type ReviewInput = { applicationId: string; round: number; reopenedByAppeal?: string };
/** `wakeAt` (the Wait state's TimestampPath) is the reminder or the `deadline` of reviewClock, the one the file shows. */
export type PlanOutput = ReviewInput & { action: 'wait' | 'remind' | 'escalate' | 'finish'; wakeAt?: string; deadline?: string };

async function load(deps: Dependencies, input: ReviewInput) {
  const found = await getApplicationForReview(deps, input.applicationId);
  if (!found) throw new Error(`application ${input.applicationId} not found`);
  return found;
}

/** What the review e-mails say about a file, by id: the notifications consumer reads the names. */
const summary = (application: Application, now: Date) => ({
  applicationId: application.id,
  enterpriseNumber: application.enterpriseNumber,
  establishmentNumber: application.establishmentNumber,
  programmeId: application.programmeId,
  deadlineOn: reviewClock(application, now)?.deadlineOn ?? null,
});

export function createReviewTasks(deps: Dependencies) {
  return {
    /** The partnership gets an e-mail for every (re)submitted file, the enterprise (and its counsellor) an acknowledgement. */
    async notifySubmitted(input: ReviewInput): Promise<ReviewInput> {
      if (input.reopenedByAppeal) return { applicationId: input.applicationId, round: input.round };
      const { application, partnership } = await load(deps, input);
      if (partnership) {
        await requestNotification(deps, {
          id: `${application.id}-r${input.round}-submitted`,
          to: partnership.notificationEmails,
          template: 'application-submitted',
          data: { ...summary(application, deps.clock.now()), partnershipId: partnership.id, round: input.round },
        });
      }
      await submissionReceived(deps, application, input.round, summary(application, deps.clock.now()).deadlineOn);
      return { applicationId: input.applicationId, round: input.round };
    },

    async planReview(input: ReviewInput): Promise<PlanOutput> {
      const application = await getApplication(deps, input.applicationId);
      if (!application) throw new Error(`application ${input.applicationId} not found`);
      const now = deps.clock.now();
      const clock = reviewClock(application, now);
      if (!clock) return { ...input, action: 'finish' };
      const step = nextReviewStep(application, input.round, now);
      return { applicationId: input.applicationId, round: input.round, deadline: clock.deadline, ...step };
    },

    /** Day 10 without a decision: remind the partnership, once per round. */
    async sendReminder(input: ReviewInput): Promise<ReviewInput> {
      const { application, partnership } = await load(deps, input);
      if (partnership && (await markReviewEvent(deps, application.id, input.round, 'reminderSentAt'))) {
        await requestNotification(deps, {
          id: `${application.id}-r${input.round}-reminder`,
          to: partnership.notificationEmails,
          template: 'review-reminder',
          data: { ...summary(application, deps.clock.now()), partnershipId: partnership.id },
        });
      }
      return { applicationId: input.applicationId, round: input.round };
    },

    /** Day 14 without a decision: the file is overdue; the partnership and the department are told. */
    async escalate(input: ReviewInput): Promise<ReviewInput> {
      const { application, partnership, programme } = await load(deps, input);
      if (await markReviewEvent(deps, application.id, input.round, 'escalatedAt')) {
        // The file shows as overdue on the dashboards of the partnership and the department until it is decided.
        const now = deps.clock.now().toISOString();
        const names = { ...(await fileNames(deps, application)), programme: programme?.name };
        if (application.partnershipId) await openTask(deps, reviewOverdue(application, names, 'partnership', now));
        await openTask(deps, reviewOverdue(application, names, 'department', now));
        await requestNotification(deps, {
          id: `${application.id}-r${input.round}-overdue`,
          to: [...(partnership?.notificationEmails ?? []), deps.config.DEPARTMENT_EMAIL],
          template: 'review-overdue',
          data: { ...summary(application, deps.clock.now()), partnershipId: partnership?.id ?? null },
        });
      }
      return { applicationId: input.applicationId, round: input.round };
    },
  };
}
