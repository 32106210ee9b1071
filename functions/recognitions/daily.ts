// The daily job of the recognitions context (schedule `recognitions-daily`): renewal tasks from 180 days
// before a recognition ends, expiry of recognitions past their end date, and deletion of criminal-record
// extracts, mentors' national numbers and the account number 60 days after the final decision, and of
// mentors' birth dates a year after a recognition ended. Idempotent: running it twice on a day changes nothing more.
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, addMonths } from 'date-fns';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { deleteObject } from '../../shared/adapters/storage.ts';
import { getApplication, saveApplication } from '../../shared/data/applications.ts';
import { markDocumentDeleted, objectKey } from '../../shared/data/documents.ts';
import { getRecognition, saveRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import {
  isoDate,
  mentorDataErasedOn,
  mentorDataRetentionYears,
  mentorValid,
  recognitionYears,
  renewalDaysRemaining,
  retainedMentor,
} from '../../shared/domain/recognitions.ts';
import { maskNationalNumber } from '../../shared/domain/identifiers.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';

const day = (date: string) => new Date(`${date}T00:00:00Z`);

async function query(deps: Dependencies, pk: string) {
  const result = await deps.db.send(
    new QueryCommand({ TableName: deps.config.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  );
  return result.Items ?? [];
}

export function createDailyJob(deps: Dependencies) {
  /** 30 days before a mentor's training deadline the enterprise gets a task; after it, a recognition without any
   * valid mentor becomes a task for the partnership. */
  async function mentorTrainingTasks(recognition: Recognition, today: string): Promise<number> {
    let created = 0;
    const now = deps.clock.now().toISOString();
    for (const mentor of recognition.mentors) {
      if (!mentor.active || !mentor.trainingDeadline || mentor.trainingCompletedOn || mentor.trainingExempted) continue;
      if (isoDate(addDays(day(mentor.trainingDeadline), -30)) <= today && today <= mentor.trainingDeadline) {
        if (
          await openTask(deps, {
            id: `training:${recognition.id}:${mentor.id}`,
            type: 'finishMentorTraining',
            title: taskTypes.finishMentorTraining,
            organisationKey: organisationKey('enterprise', recognition.enterpriseNumber.replace(/\./g, '')),
            roles: ['legalRepresentative', 'user'],
            subject: { kind: 'recognition', id: recognition.id, label: `Mentor ${mentor.name}, erkenning ${recognition.id}` },
            dueDate: mentor.trainingDeadline,
            actions: ['report-training'],
            link: `/v1/recognitions/${recognition.id.replace(/\//g, '-')}/mentors/${mentor.id}/change`,
            status: 'open',
            createdAt: now,
            closedAt: null,
          })
        )
          created += 1;
      }
    }
    if (recognition.mentors.length && !recognition.mentors.some((m) => mentorValid(m, today))) {
      if (
        await openTask(deps, {
          id: `no-mentor:${recognition.id}`,
          type: 'recognitionWithoutMentor',
          title: taskTypes.recognitionWithoutMentor,
          organisationKey: organisationKey('partnership', recognition.partnershipId),
          roles: ['administrator', 'consultant'],
          subject: { kind: 'recognition', id: recognition.id, label: `${recognition.id} (${recognition.workplace.name ?? recognition.establishmentNumber})` },
          dueDate: null,
          actions: ['add-mentor', 'revoke'],
          link: `/v1/recognitions?establishment=${recognition.establishmentNumber.replace(/\./g, '')}`,
          status: 'open',
          createdAt: now,
          closedAt: null,
        })
      )
        created += 1;
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
    await saveRecognition(
      deps,
      { ...recognition, mentors: recognition.mentors.map(({ birthDate: _b, ...m }) => ({ ...m, birthDate: undefined })) },
      recognition.version,
    );
    const application = await getApplication(deps, recognition.applicationId);
    if (application?.mentors.some((m) => m.birthDate !== undefined)) {
      await saveApplication(deps, { ...application, mentors: application.mentors.map((m) => ({ ...m, birthDate: undefined })) }, application.version, {
        by: 'retention',
        action: 'mentor-birth-dates-erased',
        before: {},
        after: { recognitionId: recognition.id },
      });
    }
    return 1;
  }

  async function renewalsAndExpiry(today: string) {
    let tasks = 0;
    let mentorTasks = 0;
    let expired = 0;
    let mentorDataErased = 0;
    // Every active recognition ends within 5 years, and one that ended is kept in mind for the year its mentor
    // data is retained: these month partitions cover them all (a daily job, not a request path).
    const months = new Set<string>();
    for (let m = -12 * mentorDataRetentionYears - 1; m <= 12 * recognitionYears + 1; m++) months.add(isoDate(addMonths(day(today), m)).slice(0, 7));
    for (const month of months) {
      for (const item of await query(deps, `RECENDS#${month}`)) {
        const recognition = await getRecognition(deps, item.recognitionId);
        if (!recognition) continue;
        if (recognition.status !== 'active') {
          mentorDataErased += await eraseMentorData(recognition, today);
          continue;
        }
        mentorTasks += await mentorTrainingTasks(recognition, today);
        if (recognition.endDate < today) {
          await saveRecognition(deps, { ...recognition, status: 'expired', placeAvailable: false }, recognition.version);
          expired += 1;
        } else if (renewalDaysRemaining(recognition.endDate, today) !== undefined) {
          const created = await openTask(deps, {
            id: `renewal:${recognition.id}`,
            type: 'renewRecognition',
            title: taskTypes.renewRecognition,
            organisationKey: organisationKey('enterprise', recognition.enterpriseNumber.replace(/\./g, '')),
            roles: ['legalRepresentative', 'user'],
            subject: {
              kind: 'recognition',
              id: recognition.id,
              label: `Erkenning: ${recognition.id} Vestiging: ${recognition.workplace.name ?? recognition.establishmentNumber} Opleiding: ${recognition.workplace.programmeName}`,
            },
            dueDate: recognition.endDate,
            actions: ['renew'],
            link: `/v1/recognitions/${recognition.id.replace(/\//g, '-')}/renew`,
            status: 'open',
            createdAt: deps.clock.now().toISOString(),
            closedAt: null,
          });
          if (created) tasks += 1;
        }
      }
    }
    return { renewalTasks: tasks, mentorTasks, expired, mentorDataErased };
  }

  /** Extracts of files decided 60 days ago (and a week back, should a run have been missed). */
  async function extractRetention(today: string) {
    let deleted = 0;
    for (let back = 7; back >= 0; back--) {
      const date = isoDate(addDays(day(today), -back));
      for (const item of await query(deps, `RETENTION#${date}`)) {
        const application = await getApplication(deps, item.applicationId);
        if (application) {
          const decidedOn = application.decision?.at.slice(0, 10) ?? date;
          const extracts = application.mentors.flatMap((m) => (m.criminalRecordExtract ? [m.criminalRecordExtract.documentId] : []));
          for (const documentId of extracts) {
            await deleteObject(deps, objectKey(documentId));
            await markDocumentDeleted(deps, documentId);
          }
          deleted += extracts.length;
          const mentors = application.mentors.map((m) => retainedMentor(m, decidedOn, maskNationalNumber));
          // The enterprise's account number served the decision only (premiums use the agreement's): it goes too.
          await saveApplication(deps, { ...application, mentors, bankAccount: null }, application.version, {
            by: 'retention',
            action: 'extracts-deleted',
            before: { extracts: extracts.length },
            after: { extractCheckedOn: decidedOn, nationalNumbersMasked: mentors.length, bankAccountRemoved: application.bankAccount !== null },
          });
        }
        await deps.db.send(new DeleteCommand({ TableName: deps.config.TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }));
      }
    }
    return { extractsDeleted: deleted };
  }

  return async (input: { today?: string } = {}) => {
    const today = input.today ?? brusselsDate(deps.clock.now());
    const result = { today, ...(await renewalsAndExpiry(today)), ...(await extractRetention(today)) };
    logger.info('recognitions daily job', result);
    return result;
  };
}
