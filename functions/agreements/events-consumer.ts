// The domain-events queue consumer of the agreements context: a revoked recognition or a moved establishment
// becomes a task for the counsellor of every running agreement on that recognition ("Opheffing verwerken",
// "Adreswijziging vestiging verwerken"). Task ids are deterministic, so a redelivered event opens nothing twice;
// the tasks close when the counsellor ends or amends the agreement (handlers.ts).
// Partial batch responses: a failing event is retried alone and ends in the dead-letter queue.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { rememberAgreementTask } from '../../shared/data/agreement-tasks.ts';
import { runningAgreementsOn } from '../../shared/data/agreements.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { taskTypes, type TaskType } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';
import { domainEventSchema, type DomainEvent } from '../../events/domain-event.ts';

export type DomainEventConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
}

function parse(record: SQSRecord): DomainEvent {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new MalformedEventError('body is not JSON');
  }
  const parsed = domainEventSchema.safeParse(body);
  if (!parsed.success) {
    logger.error('malformed domain event', { sqsMessageId: record.messageId, fields: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
    throw new MalformedEventError('event does not match the schema');
  }
  return parsed.data;
}

/** Opens the counsellor tasks an event asks for; returns how many were new. */
export async function applyDomainEvent(deps: Dependencies, event: DomainEvent): Promise<number> {
  // Premium requests are for the paying system; the agreements context itself has nothing to do.
  if (event.type === 'premium-requested') return 0;
  const links = await runningAgreementsOn(deps, event.recognitionId);
  const now = deps.clock.now().toISOString();
  let opened = 0;
  for (const link of links) {
    const type: TaskType = event.type === 'recognition-revoked' ? 'processRevocation' : 'processAddressChange';
    const id = `${type}:${link.agreementId}:${event.eventId}`;
    const organisationKey = `provider:${link.providerId}`;
    // Remember first: if the task write fails after this, the retry still finds and later closes it.
    await rememberAgreementTask(deps, link.agreementId, { id, type, organisationKey });
    const created = await openTask(deps, {
      id,
      type,
      title: taskTypes[type],
      organisationKey,
      roles: ['counsellor'],
      subject: {
        kind: 'agreement',
        id: link.agreementId,
        label: `${link.learnerName}, vestiging ${link.establishmentNumber}, erkenning ${event.recognitionId}`,
      },
      dueDate: null,
      actions: event.type === 'recognition-revoked' ? ['end-early'] : ['amend-establishment-address', 'end-early'],
      link: `/v1/agreements/${link.agreementId}`,
      status: 'open',
      createdAt: now,
      closedAt: null,
    });
    if (created) opened++;
  }
  logger.info('domain event applied', { type: event.type, eventId: event.eventId, agreements: links.length, opened });
  return opened;
}

export function createDomainEventConsumer(deps: Dependencies): DomainEventConsumer {
  return async (event, context) => {
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, async (record: SQSRecord) => applyDomainEvent(deps, parse(record)), processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  };
}

/** The Lambda entry: the table only (shared/adapters/cold-start.ts). */
export const clients = { db: createDynamoDbClient };

const consumer = onColdStart(clients, createDomainEventConsumer);

export const handler: DomainEventConsumer = (event, context) => consumer()(event, context);
