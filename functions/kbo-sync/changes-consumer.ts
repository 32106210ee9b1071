// Consumes the kboChanges queue: each message names a KBO change record, which becomes the partnership's
// dashboard task ("Adreswijziging vestiging verwerken", "Stopzetting verwerken"). The task id derives from the
// change id, so a redelivered message, a re-sent slice or a re-run file opens the task once. A change that is
// already decided opens nothing. A malformed message or an unknown change fails every receive and ends in the
// dead-letter queue (its alarm); a DynamoDB error is retried by SQS.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { logger } from '../../shared/logger.ts';
import { changeIdPattern, describeChange, partnershipTask } from '../../shared/domain/kbo-changes.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { getChange, type KboChange } from '../../shared/data/kbo-changes.ts';

export type ChangesConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export class MalformedChangeMessageError extends Error {
  override name = 'MalformedChangeMessageError';
}

const messageSchema = z.object({ changeId: z.string().regex(changeIdPattern), partnershipId: z.string().min(1).max(64) });

export const changeTaskId = (changeId: string) => `kbo-change:${changeId}`;

/** The partnership's task for one change: who, what, which decisions, where to decide. */
export function taskForChange(change: KboChange, createdAt: string) {
  const task = partnershipTask(change.kind);
  return {
    id: changeTaskId(change.id),
    type: task.type,
    title: task.title,
    organisationKey: organisationKey('partnership', change.partnershipId),
    // Sector consultants prepare, administrators (beheerders) handle recognitions and their revocation.
    roles: ['consultant', 'administrator'],
    subject: { kind: 'kboChange' as const, id: change.id, label: describeChange(change) },
    // No rule sets a term for these decisions.
    dueDate: null,
    actions: task.decisions.map((d) => `decide:${d}`),
    link: `/v1/kbo-changes/${change.id}`,
    status: 'open' as const,
    createdAt,
    closedAt: null,
  };
}

export function createChangesConsumer(deps: Dependencies): ChangesConsumer {
  async function handleRecord(record: SQSRecord): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      logger.error('malformed KBO change message', { sqsMessageId: record.messageId, problem: 'body is not JSON' });
      throw new MalformedChangeMessageError('body is not JSON');
    }
    const parsed = messageSchema.safeParse(body);
    if (!parsed.success) {
      logger.error('malformed KBO change message', {
        sqsMessageId: record.messageId,
        fields: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`),
      });
      throw new MalformedChangeMessageError('message does not match the schema');
    }
    const change = await getChange(deps, parsed.data.changeId);
    if (!change) {
      // The sync stores the record before it sends the message, so this is not a race: the message is wrong.
      logger.error('KBO change message for an unknown change', { sqsMessageId: record.messageId, changeId: parsed.data.changeId });
      throw new MalformedChangeMessageError(`unknown change ${parsed.data.changeId}`);
    }
    if (change.status !== 'open') {
      logger.info('KBO change already decided: no task', { changeId: change.id });
      return;
    }
    const created = await openTask(deps, taskForChange(change, deps.clock.now().toISOString()));
    // A decision taken between the read and the put closed nothing (the task did not exist yet): close it now.
    if (created && (await getChange(deps, change.id))?.status !== 'open')
      await closeTask(deps, organisationKey('partnership', change.partnershipId), changeTaskId(change.id));
    logger.info('KBO change task', { changeId: change.id, partnershipId: change.partnershipId, created });
  }

  return async (event, context) => {
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
    logger.info('KBO change batch done', { records: event.Records.length, failed: response.batchItemFailures.length });
    return response;
  };
}

/** The Lambda entry: the table only (shared/adapters/cold-start.ts). */
export const clients = { db: createDynamoDbClient };

const consumer = onColdStart(clients, createChangesConsumer);

export const handler: ChangesConsumer = (event, context) => consumer()(event, context);
