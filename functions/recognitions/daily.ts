// The daily job of the recognitions context (schedule `recognitions-daily`): renewal tasks from 180 days
// before a recognition ends, expiry of recognitions past their end date, and deletion of criminal-record
// extracts 60 days after the final decision. Idempotent: running it twice on a day changes nothing more.
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, addMonths } from 'date-fns';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { deleteObject } from '../../shared/adapters/storage.ts';
import { getApplication, saveApplication } from '../../shared/data/applications.ts';
import { markDocumentDeleted, objectKey } from '../../shared/data/documents.ts';
import { getRecognition, saveRecognition } from '../../shared/data/recognitions.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { isoDate, renewalDaysRemaining, renewalWindowDays } from '../../shared/domain/recognitions.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';

const day = (date: string) => new Date(`${date}T00:00:00Z`);

async function query(deps: Dependencies, pk: string) {
  const result = await deps.db.send(new QueryCommand({ TableName: deps.config.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
  return result.Items ?? [];
}

export function createDailyJob(deps: Dependencies) {
  async function renewalsAndExpiry(today: string) {
    let tasks = 0;
    let expired = 0;
    const months = new Set<string>();
    for (let m = -1; m <= Math.ceil(renewalWindowDays / 30) + 1; m++) months.add(isoDate(addMonths(day(today), m)).slice(0, 7));
    for (const month of months) {
      for (const item of await query(deps, `RECENDS#${month}`)) {
        const recognition = await getRecognition(deps, item.recognitionId);
        if (!recognition || recognition.status !== 'active') continue;
        if (recognition.endDate < today) {
          await saveRecognition(deps, { ...recognition, status: 'expired', placeAvailable: false }, recognition.version);
          expired += 1;
        } else if (renewalDaysRemaining(recognition.endDate, today) !== undefined) {
          const created = await openTask(deps, {
            id: `renewal:${recognition.id}`, type: 'renewRecognition', title: taskTypes.renewRecognition,
            organisationKey: organisationKey('enterprise', recognition.enterpriseNumber.replace(/\./g, '')), roles: ['legalRepresentative', 'user'],
            subject: { kind: 'recognition', id: recognition.id, label: `Erkenning: ${recognition.id} Vestiging: ${recognition.workplace.name ?? recognition.establishmentNumber} Opleiding: ${recognition.workplace.programmeName}` },
            dueDate: recognition.endDate, actions: ['renew'], link: `/v1/recognitions/${recognition.id.replace(/\//g, '-')}/renew`,
            status: 'open', createdAt: deps.clock.now().toISOString(), closedAt: null,
          });
          if (created) tasks += 1;
        }
      }
    }
    return { renewalTasks: tasks, expired };
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
          const mentors = application.mentors.map(({ criminalRecordExtract, ...m }) => (criminalRecordExtract ? { ...m, criminalRecordExtract: null, extractCheckedOn: decidedOn } : { ...m, criminalRecordExtract }));
          await saveApplication(deps, { ...application, mentors }, application.version, { by: 'retention', action: 'extracts-deleted', before: { extracts: extracts.length }, after: { extractCheckedOn: decidedOn } });
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
