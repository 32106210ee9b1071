// The task functions of state-machines/recognition-review.asl.json. Each takes and returns
// `{ applicationId, round, ... }`; the Plan task reads the stored file and the clock to choose the next step.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { getApplication, markReviewEvent, type Application } from '../../shared/data/applications.ts';
import { getReference } from '../../shared/data/reference.ts';
import { nextReviewStep, reviewClock } from '../../shared/domain/recognitions.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import type { Partnership, Programme } from '../../shared/domain/reference.ts';

export type ReviewInput = { applicationId: string; round: number };
export type PlanOutput = ReviewInput & { action: 'wait' | 'remind' | 'escalate' | 'finish'; wakeAt?: string };

async function load(deps: Dependencies, input: ReviewInput) {
  const application = await getApplication(deps, input.applicationId);
  if (!application) throw new Error(`application ${input.applicationId} not found`);
  const partnership = application.partnershipId ? (await getReference<Partnership>(deps, 'partnerships', application.partnershipId))?.record : undefined;
  const programme = (await getReference<Programme>(deps, 'programmes', application.programmeId))?.record;
  return { application, partnership, programme };
}

const summary = (application: Application, programme: Programme | undefined) => ({
  applicationId: application.id,
  enterpriseNumber: application.enterpriseNumber,
  establishmentNumber: application.establishmentNumber,
  programme: programme?.name ?? application.programmeId,
  deadlineOn: application.clockStartedAt ? reviewClock(application.clockStartedAt.slice(0, 10)).deadlineOn : null,
});

export function createReviewTasks(deps: Dependencies) {
  return {
    /** The partnership gets an e-mail for every (re)submitted file. */
    async notifySubmitted(input: ReviewInput): Promise<ReviewInput> {
      const { application, partnership, programme } = await load(deps, input);
      if (partnership) {
        await requestNotification(deps, {
          id: `${application.id}-r${input.round}-submitted`,
          to: partnership.notificationEmails,
          template: 'application-submitted',
          data: { ...summary(application, programme), partnership: partnership.name, round: input.round },
        });
      }
      return { applicationId: input.applicationId, round: input.round };
    },

    async planReview(input: ReviewInput): Promise<PlanOutput> {
      const { application } = await load(deps, input);
      if (!application.clockStartedAt) return { ...input, action: 'finish' };
      const step = nextReviewStep(
        {
          status: application.status,
          reviewRound: application.reviewRound,
          clockStartedAt: application.clockStartedAt,
          reminderSentAt: application.reminderSentAt,
          escalatedAt: application.escalatedAt,
        },
        input.round,
        deps.clock.now(),
      );
      return { applicationId: input.applicationId, round: input.round, ...step };
    },

    /** Day 10 without a decision: remind the partnership, once per round. */
    async sendReminder(input: ReviewInput): Promise<ReviewInput> {
      const { application, partnership, programme } = await load(deps, input);
      if (partnership && (await markReviewEvent(deps, application.id, input.round, 'reminderSentAt'))) {
        await requestNotification(deps, {
          id: `${application.id}-r${input.round}-reminder`,
          to: partnership.notificationEmails,
          template: 'review-reminder',
          data: summary(application, programme),
        });
      }
      return { applicationId: input.applicationId, round: input.round };
    },

    /** Day 14 without a decision: the file is overdue; the partnership and the department are told. */
    async escalate(input: ReviewInput): Promise<ReviewInput> {
      const { application, partnership, programme } = await load(deps, input);
      if (await markReviewEvent(deps, application.id, input.round, 'escalatedAt')) {
        // The file shows as overdue on the dashboards of the partnership and the department until it is decided.
        const overdueTask = (organisation: string, roles: string[]) =>
          openTask(deps, {
            id: `overdue:${application.id}`,
            type: 'reviewOverdue',
            title: taskTypes.reviewOverdue,
            organisationKey: organisation,
            roles,
            subject: {
              kind: 'application',
              id: application.id,
              label: `${programme?.name ?? application.programmeId}, vestiging ${application.establishmentNumber}`,
            },
            dueDate: summary(application, programme).deadlineOn,
            actions: ['decide'],
            link: `/v1/applications/${application.id}`,
            status: 'open',
            createdAt: deps.clock.now().toISOString(),
            closedAt: null,
          });
        if (application.partnershipId)
          await overdueTask(organisationKey('partnership', application.partnershipId), ['consultant', 'votingMember', 'administrator']);
        await overdueTask(organisationKey('department', 'dwse'), ['administrator']);
        await requestNotification(deps, {
          id: `${application.id}-r${input.round}-overdue`,
          to: [...(partnership?.notificationEmails ?? []), deps.config.DEPARTMENT_EMAIL],
          template: 'review-overdue',
          data: { ...summary(application, programme), partnership: partnership?.name ?? null },
        });
      }
      return { applicationId: input.applicationId, round: input.round };
    },
  };
}
