// The agreements' daily job (EventBridge Scheduler, Europe/Brussels): warns counsellors 14 days before a work
// version expires, expires it on its day (history, its tasks closed, the counsellor mailed; TTL removes the item
// later as a backstop), ends running agreements whose end date has passed (freeing their capacity slots), ends the
// `ending` agreements whose recorded end is today (their slots freed, the follow-up tasks of their suspensions
// closed, the counsellor and the enterprise mailed), and erases the learner's personal data of agreements that
// ended 5 years ago (learnerDataErasedOn).
// It reads the date markers of the last days (a missed run is caught up) with one Query per day.
import { addDays } from 'date-fns';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { agreementsMarkedOn, endAgreement, eraseLearnerData, getAgreement, getStoredAgreement, recordDraftExpiry } from '../../shared/data/agreements.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { draftExpiringRef, draftExpiringTask } from '../../shared/domain/agreement-tasks.ts';
import {
  type Agreement,
  dailyJobActor,
  draftExpiresOn,
  draftExpiry,
  draftWarningDays,
  draftWarningOn,
  ending,
  endingReached,
  isRunning,
  learnerDataErasedOn,
} from '../../shared/domain/agreements.ts';
import { logger } from '../../shared/logger.ts';
import { closeEndedAgreementTasks, endedMail, mailParties, partiesToMail } from './notices.ts';
import { closeSigningTask } from './signing.ts';

/** How many past days each run looks back at, so a few missed runs lose nothing. */
export const catchUpDays = 7;

const day = (d: string, offset: number) =>
  addDays(new Date(`${d}T00:00:00Z`), offset)
    .toISOString()
    .slice(0, 10);

/** Opens the expiry warning of each draft whose warning day is `date`; how many were new. */
async function warnDrafts(deps: Dependencies, date: string, today: string): Promise<number> {
  let warned = 0;
  for (const id of await agreementsMarkedOn(deps, 'draftWarning', date)) {
    const draft = await getAgreement(deps, id, today);
    if (draft?.status !== 'draft' || draftWarningOn(draft.updatedAt) !== date) continue;
    if (await openTask(deps, draftExpiringTask(draft, deps.clock.now().toISOString()))) warned++;
  }
  return warned;
}

/** The counsellor's tasks of an expired work version close (the warning, the enterprise's signing), and the counsellor is told. */
async function afterExpiry(deps: Dependencies, draft: Agreement, expiredOn: string, today: string): Promise<void> {
  const warning = draftExpiringRef(draft, today);
  if (warning) await closeTask(deps, warning.organisationKey, warning.id);
  await closeSigningTask(deps, draft.id);
  await mailParties(deps, {
    id: `draft-expired-${draft.id}`,
    to: [draft.counsellor.email].filter(Boolean),
    template: 'draft-expired',
    data: { learnerName: `${draft.learner.firstName} ${draft.learner.lastName}`, expiredOn, savedOn: draft.updatedAt.slice(0, 10) },
  });
}

/**
 * Expires each work version whose expiry day is `date`. Its warning marker (draftWarningDays earlier) finds it:
 * every work version has one, also those saved before expiry was recorded. Read past its expiry (getStoredAgreement),
 * since every other read treats it as gone.
 */
async function expireDrafts(deps: Dependencies, date: string, today: string): Promise<number> {
  let expired = 0;
  for (const id of await agreementsMarkedOn(deps, 'draftWarning', day(date, -draftWarningDays))) {
    const draft = await getStoredAgreement(deps, id);
    if (draft?.status !== 'draft' || draftExpiresOn(draft.updatedAt) !== date) continue;
    const decision = draftExpiry(draft, today);
    if (!decision.ok) continue;
    if (!(await recordDraftExpiry(deps, draft, decision.value.history)).ok) {
      logger.warn('draft expiry deferred: the work version changed meanwhile', { agreementId: id });
      continue;
    }
    await afterExpiry(deps, draft, decision.value.expiredOn, today);
    expired++;
  }
  return expired;
}

async function eraseLearners(deps: Dependencies, date: string, today: string): Promise<number> {
  let erased = 0;
  for (const id of await agreementsMarkedOn(deps, 'learnerErasure', date)) {
    const agreement = await getAgreement(deps, id, today);
    if (agreement?.status !== 'ended' || agreement.learner.dataErased || learnerDataErasedOn(agreement.endDate) > today) continue;
    // Changed meanwhile: the marker stays, and the next run (within catchUpDays) erases it.
    if ((await eraseLearnerData(deps, agreement)).ok) erased++;
    else logger.warn('learner erasure deferred: the agreement changed meanwhile', { agreementId: id });
  }
  return erased;
}

/** Ends each running agreement whose end date is `date`: it ends at the end of that day, so its slots are free the day after. */
async function endAgreements(deps: Dependencies, date: string, today: string): Promise<number> {
  let ended = 0;
  for (const id of await agreementsMarkedOn(deps, 'endsOn', date)) {
    const agreement = await getAgreement(deps, id, today);
    // An `ending` agreement ends on the day of its recorded end (endEndingAgreements), not here.
    if (!agreement || !isRunning(agreement) || agreement.status === 'ending' || agreement.endDate !== date) continue;
    const request = { kind: 'normal' as const, date, reason: 'Einddatum bereikt', by: 'mutual' };
    const decision = ending(agreement, request, { by: dailyJobActor.userId, now: deps.clock.now().toISOString(), today });
    if (decision.ok && (await endAgreement(deps, decision.value, agreement.version, dailyJobActor)).ok) ended++;
    else logger.warn('agreement end deferred: the agreement changed meanwhile', { agreementId: id });
  }
  return ended;
}

/**
 * Ends each `ending` agreement whose recorded end is `date` (today, or a missed day): its slots are freed, the
 * tasks of its suspensions close, and the counsellor and the enterprise are mailed that it has ended.
 */
async function endEndingAgreements(deps: Dependencies, date: string, today: string): Promise<number> {
  let ended = 0;
  for (const id of await agreementsMarkedOn(deps, 'endingOn', date)) {
    const agreement = await getAgreement(deps, id, today);
    if (agreement?.status !== 'ending' || agreement.ending?.date !== date) continue;
    const decision = endingReached(agreement, { today, now: deps.clock.now().toISOString() });
    const saved = decision.ok ? await endAgreement(deps, decision.value, agreement.version, dailyJobActor) : undefined;
    if (!saved?.ok) {
      logger.warn('recorded end deferred: the agreement changed meanwhile', { agreementId: id });
      continue;
    }
    await closeEndedAgreementTasks(deps, saved.value);
    await mailParties(deps, endedMail(saved.value, await partiesToMail(deps, saved.value)));
    ended++;
  }
  return ended;
}

export function createAgreementsDailyJob(deps: Dependencies) {
  return async (): Promise<{ warned: number; expired: number; ended: number; learnersErased: number }> => {
    const today = brusselsDate(deps.clock.now());
    let warned = 0;
    let expired = 0;
    let ended = 0;
    let learnersErased = 0;
    for (let offset = -catchUpDays; offset <= 0; offset++) {
      const date = day(today, offset);
      warned += await warnDrafts(deps, date, today);
      // A work version is gone on its expiry day itself (draftExpired).
      expired += await expireDrafts(deps, date, today);
      learnersErased += await eraseLearners(deps, date, today);
      // An agreement ends at the end of its end date: the day after, its slots are free. A recorded end takes
      // effect on its own day.
      if (offset < 0) ended += await endAgreements(deps, date, today);
      ended += await endEndingAgreements(deps, date, today);
    }
    // The ended agreements' events reach the feeds and webhooks now, not at the next outbox schedule.
    await dispatchSoon(deps);
    logger.info('agreements daily job done', { today, warned, expired, ended, learnersErased });
    return { warned, expired, ended, learnersErased };
  };
}
