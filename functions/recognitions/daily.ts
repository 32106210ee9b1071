// The daily job of the recognitions context (schedule `recognitions-daily`): renewal tasks from 180 days
// before a recognition ends, expiry of recognitions past their end date, and deletion of criminal-record
// extracts, mentors' national numbers and the account number 60 days after the final decision, and of
// mentors' birth dates a year after a recognition ended. It also gives mentors stored before the person key was kept
// their key (once, while the file still holds the national number in full). Idempotent: running it twice on a day changes nothing more.
import { addDays, addMonths } from 'date-fns';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { deleteObject } from '../../shared/adapters/storage.ts';
import { filesDueForRetention, getApplication, retainFile, saveApplication } from '../../shared/data/applications.ts';
import { markDocumentDeleted, objectKey } from '../../shared/data/documents.ts';
import {
  expireRecognition,
  linkMentorPerson,
  mentorPersonKeys,
  recognitionsEndingIn,
  recordRecognitionEvent,
  saveRecognition,
} from '../../shared/data/recognitions.ts';
import { suspensionEvent } from '../../shared/domain/feed.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { maskNationalNumber } from '../../shared/domain/identifiers.ts';
import { finishMentorTraining, recognitionWithoutMentor, renewRecognition } from '../../shared/domain/recognition-tasks.ts';
import {
  isoDate,
  mentorDataErasedOn,
  mentorDataRetentionYears,
  mentorsToRemindOfTraining,
  openStatuses,
  recognitionYears,
  renewalDaysRemaining,
  retainedMentor,
  withoutValidMentor,
  withPersonKeys,
  type Application,
  type FileChange,
  systemActor,
  type Recognition,
} from '../../shared/domain/recognitions.ts';
import { logger } from '../../shared/logger.ts';
import { onRecognitionEnded } from './work-list.ts';

const day = (date: string) => new Date(`${date}T00:00:00Z`);

/** A job writes over what it just read: a conflict means someone changed it meanwhile, and the next run retries. */
function saved<T>(result: { ok: true; value: T } | { ok: false; conflict: string }, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.conflict}`);
  return result.value;
}

export function createDailyJob(deps: Dependencies) {
  const now = () => deps.clock.now().toISOString();

  /** 30 days before a mentor's training deadline the enterprise gets a task; a recognition without any valid mentor is one for the partnership. */
  async function mentorTrainingTasks(recognition: Recognition, today: string): Promise<number> {
    let created = 0;
    for (const mentor of mentorsToRemindOfTraining(recognition, today))
      if (await openTask(deps, finishMentorTraining(recognition, mentor, now()))) created += 1;
    if (withoutValidMentor(recognition, today)) {
      if (await openTask(deps, recognitionWithoutMentor(recognition, now()))) created += 1;
      // Suspended for the event feed, unless the change that caused it recorded it already (same id per version);
      // a training deadline that passed is seen only here.
      const suspended = suspensionEvent(recognition, today, now());
      if (suspended) await recordRecognitionEvent(deps, suspended);
    }
    return created;
  }

  /**
   * A year after a recognition ended, its mentors' birth dates go, from the recognition and from the file it
   * came from (the names stay: the register of recognitions says who trained there). Once: an erased
   * recognition has no birth dates left.
   */
  async function eraseMentorData(recognition: Recognition, today: string): Promise<number> {
    const erasedOn = mentorDataErasedOn(recognition);
    if (!erasedOn || today < erasedOn || !recognition.mentors.some((m) => m.birthDate !== undefined)) return 0;
    const erased = { ...recognition, mentors: recognition.mentors.map((m) => ({ ...m, birthDate: undefined })) };
    saved(await saveRecognition(deps, erased, recognition.version), recognition.id);
    const application = await getApplication(deps, recognition.applicationId);
    if (application?.mentors.some((m) => m.birthDate !== undefined)) {
      const change = { by: 'retention', actor: systemActor, action: 'mentor-birth-dates-erased', before: {}, after: { recognitionId: recognition.id } };
      const withoutBirthDates = { ...application, mentors: application.mentors.map((m) => ({ ...m, birthDate: undefined })) };
      saved(await saveApplication(deps, withoutBirthDates, application.version, change), application.id);
    }
    return 1;
  }

  /**
   * The one-off backfill of the person behind each mentor of a recognition decided before the person key was kept:
   * from the national numbers its file still holds in full (retention masks them 60 days after the decision; a
   * mentor approved later is not in the file). The mentor id keeps standing in where none is found. The slots of
   * agreements registered before stay under the mentor id until those agreements end.
   */
  async function backfillPersons(recognition: Recognition): Promise<{ recognition: Recognition; linked: number }> {
    if (recognition.mentors.every((m) => m.personKey)) return { recognition, linked: 0 };
    const application = await getApplication(deps, recognition.applicationId);
    const next = withPersonKeys(recognition, await mentorPersonKeys(deps, application?.mentors ?? []));
    if (!next) return { recognition, linked: 0 };
    const stored = saved(await saveRecognition(deps, next, recognition.version), recognition.id);
    const linked = stored.mentors.filter((m) => m.personKey && !recognition.mentors.find((o) => o.id === m.id)?.personKey);
    for (const m of linked) await linkMentorPerson(deps, stored, m.id);
    return { recognition: stored, linked: linked.length };
  }

  /** An active recognition: its mentor tasks, then expiry after its end date or a renewal task in its last 180 days. */
  async function runningRecognition(found: Recognition, today: string) {
    const { recognition, linked: personsLinked } = await backfillPersons(found);
    const mentorTasks = await mentorTrainingTasks(recognition, today);
    if (recognition.endDate < today) {
      saved(await expireRecognition(deps, recognition, now()), recognition.id);
      await onRecognitionEnded(deps, recognition);
      return { mentorTasks, expired: 1, renewalTasks: 0, personsLinked };
    }
    const renewal = renewalDaysRemaining(recognition.endDate, today) !== undefined && (await openTask(deps, renewRecognition(recognition, now())));
    return { mentorTasks, expired: 0, renewalTasks: renewal ? 1 : 0, personsLinked };
  }

  async function renewalsAndExpiry(today: string) {
    const counts = { renewalTasks: 0, mentorTasks: 0, expired: 0, mentorDataErased: 0, personsLinked: 0 };
    // Every active recognition ends within 5 years, and one that ended is kept in mind for the year its mentor
    // data is retained: these month partitions cover them all (a daily job, not a request path).
    const months = new Set<string>();
    for (let m = -12 * mentorDataRetentionYears - 1; m <= 12 * recognitionYears + 1; m++) months.add(isoDate(addMonths(day(today), m)).slice(0, 7));
    for (const month of months) {
      for (const recognition of await recognitionsEndingIn(deps, month)) {
        if (recognition.status !== 'active') {
          counts.mentorDataErased += await eraseMentorData(recognition, today);
          continue;
        }
        const done = await runningRecognition(recognition, today);
        counts.mentorTasks += done.mentorTasks;
        counts.expired += done.expired;
        counts.renewalTasks += done.renewalTasks;
        counts.personsLinked += done.personsLinked;
      }
    }
    return counts;
  }

  /** A decided file's extracts are deleted; the national numbers kept masked; the account number goes. */
  async function retain(
    application: Application,
    date: string,
  ): Promise<{ application: Application; expectedVersion: number; change: FileChange; extracts: number }> {
    const decidedOn = application.decision?.at.slice(0, 10) ?? date;
    const extracts = application.mentors.flatMap((m) => (m.criminalRecordExtract ? [m.criminalRecordExtract.documentId] : []));
    for (const documentId of extracts) {
      await deleteObject(deps, objectKey(documentId));
      await markDocumentDeleted(deps, documentId);
    }
    const mentors = application.mentors.map((m) => retainedMentor(m, decidedOn, maskNationalNumber));
    // The enterprise's account number served the decision only (premiums use the agreement's): it goes too.
    const change: FileChange = {
      by: 'retention',
      actor: systemActor,
      action: 'extracts-deleted',
      before: { extracts: extracts.length },
      after: { extractCheckedOn: decidedOn, nationalNumbersMasked: mentors.length, bankAccountRemoved: application.bankAccount !== null },
    };
    return { application: { ...application, mentors, bankAccount: null }, expectedVersion: application.version, change, extracts: extracts.length };
  }

  /** Extracts of files decided 60 days ago (and a week back, should a run have been missed). */
  async function extractRetention(today: string) {
    let deleted = 0;
    for (let back = 7; back >= 0; back--) {
      const date = isoDate(addDays(day(today), -back));
      for (const applicationId of await filesDueForRetention(deps, date)) {
        const application = await getApplication(deps, applicationId);
        // A file an upheld appeal re-opened is under review again: its extracts stay until its new decision sets a new day.
        const retained = application && !openStatuses.includes(application.status) ? await retain(application, date) : undefined;
        deleted += retained?.extracts ?? 0;
        saved(await retainFile(deps, date, applicationId, retained), applicationId);
      }
    }
    return { extractsDeleted: deleted };
  }

  return async (input: { today?: string } = {}) => {
    const today = input.today ?? brusselsDate(deps.clock.now());
    const result = { today, ...(await renewalsAndExpiry(today)), ...(await extractRetention(today)) };
    // The expiries and suspensions reach the feeds and webhooks now, not at the next outbox schedule.
    await dispatchSoon(deps);
    logger.info('recognitions daily job', result);
    return result;
  };
}
