// The agreements' daily job (EventBridge Scheduler, Europe/Brussels): warns counsellors 14 days before a work
// version expires, ends running agreements whose end date has passed (freeing their capacity slots), and erases
// the learner's personal data of agreements that ended 5 years ago (learnerDataErasedOn).
// It reads the date markers of the last days (a missed run is caught up) with one Query per day.
import { addDays } from 'date-fns';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { agreementsMarkedOn, draftWarningPk, endsOnPk, eraseLearnerData, getAgreement, learnerErasureOnPk } from '../../shared/data/agreements.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { draftExpiresOn, draftWarningOn, learnerDataErasedOn, runningStatuses } from '../../shared/domain/agreements.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';
import { closeAgreement } from './handlers.ts';

/** How many past days each run looks back at, so a few missed runs lose nothing. */
export const catchUpDays = 7;

const day = (d: string, offset: number) =>
  addDays(new Date(`${d}T00:00:00Z`), offset)
    .toISOString()
    .slice(0, 10);

export function createAgreementsDailyJob(deps: Dependencies) {
  return async (): Promise<{ warned: number; ended: number; learnersErased: number }> => {
    const today = brusselsDate(deps.clock.now());
    let warned = 0;
    let ended = 0;
    let learnersErased = 0;
    for (let offset = -catchUpDays; offset <= 0; offset++) {
      const date = day(today, offset);
      for (const id of await agreementsMarkedOn(deps, draftWarningPk(date))) {
        const draft = await getAgreement(deps, id, today);
        if (draft?.status !== 'draft' || draftWarningOn(draft.updatedAt) !== date) continue;
        const created = await openTask(deps, {
          id: `draft-expiring:${draft.id}:${date}`,
          type: 'draftExpiring',
          title: taskTypes.draftExpiring,
          organisationKey: `provider:${draft.providerId}`,
          roles: ['counsellor'],
          subject: {
            kind: 'agreement',
            id: draft.id,
            label: `Werkversie voor ${draft.learner.firstName} ${draft.learner.lastName} verloopt op ${draftExpiresOn(draft.updatedAt)}`,
          },
          dueDate: draftExpiresOn(draft.updatedAt),
          actions: ['update-draft', 'register'],
          link: `/v1/agreements/${draft.id}`,
          status: 'open',
          createdAt: deps.clock.now().toISOString(),
          closedAt: null,
        });
        if (created) warned++;
      }
      for (const id of await agreementsMarkedOn(deps, learnerErasureOnPk(date))) {
        const agreement = await getAgreement(deps, id, today);
        if (agreement?.status !== 'ended' || agreement.learner.dataErased || learnerDataErasedOn(agreement.endDate) > today) continue;
        await eraseLearnerData(deps, agreement);
        learnersErased++;
      }
      // An agreement ends at the end of its end date: the day after, its slots are free.
      if (offset === 0) continue;
      for (const id of await agreementsMarkedOn(deps, endsOnPk(date))) {
        const agreement = await getAgreement(deps, id, today);
        if (!agreement || !runningStatuses.includes(agreement.status) || agreement.endDate !== date) continue;
        await closeAgreement(
          deps,
          agreement,
          { kind: 'normal', date, reason: 'Einddatum bereikt', by: 'mutual' },
          'system:agreements-daily',
          agreement.version,
        );
        ended++;
      }
    }
    logger.info('agreements daily job done', { today, warned, ended, learnersErased });
    return { warned, ended, learnersErased };
  };
}
