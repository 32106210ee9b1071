// Consumes the kboChanges queue: each message names a KBO change record, which becomes the partnership's
// dashboard task ("Adreswijziging vestiging verwerken", "Stopzetting verwerken"; shared/domain/kbo-tasks.ts).
// The task id derives from the change id, so a redelivered message, a re-sent slice or a re-run file opens the
// task once. A change that is already decided opens nothing. A malformed message or an unknown change fails
// every receive and ends in the dead-letter queue (its alarm); a DynamoDB error is retried by SQS.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { createQueueConsumer, type QueueConsumer } from '../../shared/adapters/queue-consumer.ts';
import { getChange } from '../../shared/data/kbo-changes.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { changeTask, changeTaskId } from '../../shared/domain/kbo-tasks.ts';
import { organisationKey } from '../../shared/domain/organisations.ts';
import { logger } from '../../shared/logger.ts';
import { kboChangeMessageSchema, type KboChangeMessage } from '../../events/kbo-change.ts';

export class UnknownChangeError extends Error {
  override name = 'UnknownChangeError';
}

export function createChangesConsumer(deps: Dependencies): QueueConsumer {
  return createQueueConsumer('KBO change', kboChangeMessageSchema, (message, record) => openChangeTask(deps, message, record.messageId));
}

async function openChangeTask(deps: Dependencies, message: KboChangeMessage, sqsMessageId: string): Promise<void> {
  const change = await getChange(deps, message.changeId);
  if (!change) {
    // The sync stores the record before it sends the message, so this is not a race: the message is wrong.
    logger.error('KBO change message for an unknown change', { sqsMessageId, changeId: message.changeId });
    throw new UnknownChangeError(`unknown change ${message.changeId}`);
  }
  if (change.status !== 'open') {
    logger.info('KBO change already decided: no task', { changeId: change.id });
    return;
  }
  const created = await openTask(deps, changeTask(change, deps.clock.now().toISOString()));
  // A decision taken between the read and the put closed nothing (the task did not exist yet): close it now.
  if (created && (await getChange(deps, change.id))?.status !== 'open')
    await closeTask(deps, organisationKey('partnership', change.partnershipId), changeTaskId(change.id));
  logger.info('KBO change task', { changeId: change.id, partnershipId: change.partnershipId, created });
}

/** The Lambda entry: the table only (shared/adapters/cold-start.ts). */
export const clients = { db: createDynamoDbClient };

const consumer = onColdStart(clients, createChangesConsumer);

export const handler: QueueConsumer = (event, context) => consumer()(event, context);
