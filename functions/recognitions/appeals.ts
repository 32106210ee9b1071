// Appeals: only the enterprise, within 10 days of the written decision (a rejection or a sanction), to the
// appeal committee of the Vlaams Partnerschap Duaal Leren. The department confirms receipt and admissibility
// within 10 calendar days (a dashboard task), motivates a refusal, and records the outcome.
import { ulid } from 'ulid';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { readActor } from '../../shared/data/users.ts';
import { fileNames } from './work-list.ts';
import { startReviewRound } from './review-round.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import {
  appealsAgainstApplication,
  getAppeal,
  getAppealedDecision,
  getAppealFacts,
  listAllAppeals,
  listAppealsOfEnterprise,
  lodgeAppeal,
  recordAppealOutcome,
  saveAppeal,
} from '../../shared/data/appeals.ts';
import { closeAgreementTasks } from '../../shared/data/agreement-tasks.ts';
import { runningAgreementsOn } from '../../shared/data/agreements.ts';
import { closeTask, openTask, reopenTask } from '../../shared/data/tasks.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { kboDigits } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import {
  confirmAppeal,
  decideAppeal,
  finishMentorTraining,
  handleApplication,
  restoredRecognitionTasks,
  taskIds,
} from '../../shared/domain/recognition-tasks.ts';
import { mentorsToRemindOfTraining, type Application, type Recognition } from '../../shared/domain/recognitions.ts';
import { appealable, appealConfirmation, appealEffect, appealOutcome, newAppeal, type Appeal, type AppealEffect } from '../../shared/domain/appeals.ts';
import { problemFor, unwrap } from '../../shared/http/conflicts.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { loadApplication } from './access.ts';
import { appealConflicts } from './conflicts.ts';
import { appealConfirmed, appealDecided, appealReceived, recognitionRestoredNotice } from './notices.ts';
import type { AppealBody, AppealConfirmationBody, AppealOutcomeBody, AppealsQuery } from './schemas.ts';

const department = organisationKey('department', 'dwse');

/** The appeal, for the department or the enterprise that lodged it. */
async function load(deps: Dependencies, id: string, acting: ActingOrganisation): Promise<Appeal> {
  const appeal = await getAppeal(deps, id);
  const mayRead = appeal && (acting.type === 'department' || (acting.type === 'enterprise' && acting.id === kboDigits(appeal.enterpriseNumber)));
  if (!appeal || !mayRead) throw problemFor('appeal-not-found', appealConflicts);
  return appeal;
}

const answer = (appeal: Appeal, status = 200): ApiResponse => ({ status, body: appeal, version: appeal.version });

export async function lodge(input: AppealBody, _principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const now = deps.clock.now();
  const today = brusselsDate(now);
  const decided = unwrap(appealable(await getAppealedDecision(deps, input.against), acting.id, today), appealConflicts);
  const appeal = unwrap(await lodgeAppeal(deps, newAppeal(input, decided, ulid(), now.toISOString(), today)), appealConflicts);
  await openTask(deps, confirmAppeal(appeal, now.toISOString()));
  await appealReceived(deps, appeal);
  return { ...answer(appeal, 201), headers: { Location: `/v1/appeals/${appeal.id}` } };
}

export async function read(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  return answer(await load(deps, id, acting));
}

export async function confirm(
  id: string,
  input: AppealConfirmationBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const now = deps.clock.now().toISOString();
  const confirmed = unwrap(appealConfirmation(await load(deps, id, acting), input, principal.userId, now), appealConflicts);
  const saved = unwrap(await saveAppeal(deps, confirmed, ifMatch), appealConflicts);
  await closeTask(deps, department, taskIds.confirmAppeal(id));
  if (input.admissible) await openTask(deps, decideAppeal(saved, now));
  await appealConfirmed(deps, saved);
  return answer(saved);
}

/**
 * The committee's outcome takes effect with it (shared/domain/appeals.ts appealEffect): upheld against a sanction,
 * what it revoked is active again (an exclusion lifted) or the withdrawn mentor counts again; upheld against a
 * rejection, the file goes back to the partnership under review, with a task to decide again; rejected, nothing
 * changes. The enterprise and the partnership concerned are told either way.
 */
export async function recordOutcome(
  id: string,
  input: AppealOutcomeBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const now = deps.clock.now();
  const decided = unwrap(appealOutcome(await load(deps, id, acting), input, principal.userId, now.toISOString()), appealConflicts);
  const facts = await getAppealFacts(deps, decided);
  const effect = appealEffect(decided, facts, (await readActor(deps, principal, acting)).actor, now.toISOString(), brusselsDate(now));
  const saved = unwrap(await recordAppealOutcome(deps, decided, ifMatch, effect), appealConflicts);
  await closeTask(deps, department, taskIds.decideAppeal(id));
  await tasksAfterOutcome(deps, effect, saved, now, id);
  await appealDecided(deps, saved.appeal, effect, saved, facts);
  await dispatchSoon(deps);
  return answer(saved.appeal);
}

/**
 * A re-opened file is the partnership's to decide again; a restored mentor ends the "without mentor" task and is
 * asked to finish a training due soon again. A restored recognition no longer asks its counsellors to end their
 * agreements ("Opheffing verwerken" closes), and tells them (the mail `recognition-restored`), and asks the enterprise again what the revocation closed
 * (restoredRecognitionTasks: its free places, a renewal or a training already due).
 */
async function tasksAfterOutcome(
  deps: Dependencies,
  effect: AppealEffect,
  saved: { recognitions: Recognition[]; application: Application | undefined },
  at: Date,
  appealId: string,
) {
  const now = at.toISOString();
  const today = brusselsDate(at);
  if (effect.kind === 'reopenFile' && saved.application) {
    await openTask(deps, handleApplication(saved.application, await fileNames(deps, saved.application), now));
    await startReviewRound(deps, saved.application, saved.application.reopenedByAppeal ?? undefined);
  }
  if (effect.kind === 'restoreMentor') {
    for (const r of saved.recognitions) {
      await closeTask(deps, organisationKey('partnership', r.partnershipId), taskIds.recognitionWithoutMentor(r.id));
      for (const m of mentorsToRemindOfTraining(r, today)) await reopenTask(deps, finishMentorTraining(r, m, now));
    }
  }
  if (effect.kind === 'restoreRecognitions') {
    for (const r of saved.recognitions) {
      for (const link of await runningAgreementsOn(deps, r.id)) {
        await closeAgreementTasks(deps, link.agreementId, ['processRevocation']);
        await recognitionRestoredNotice(deps, appealId, link, r);
      }
      if (r.status === 'active') for (const task of restoredRecognitionTasks(r, today, now)) await reopenTask(deps, task);
    }
  }
}

/** The enterprise's own appeals, or every appeal for the department (with a status filter), newest first. */
export async function list(query: AppealsQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const page = acting.type === 'department' ? await listAllAppeals(deps, query) : await listAppealsOfEnterprise(deps, acting.id, query);
  return { status: 200, body: { items: page.items, cursor: page.cursor } };
}

/** The appeals against a file's decision, for the enterprise of the file and the department (404 for anyone else). */
export async function ofApplication(applicationId: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const { application } = await loadApplication(applicationId, acting, deps, ['enterprise', 'department']);
  return { status: 200, body: { items: await appealsAgainstApplication(deps, kboDigits(application.enterpriseNumber), application.id) } };
}
