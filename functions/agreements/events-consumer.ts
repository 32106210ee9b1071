// The domain-events queue consumer of the agreements context: a revoked recognition or a moved establishment
// becomes a task for the counsellor of every running agreement on that recognition ("Opheffing verwerken",
// "Adreswijziging vestiging verwerken"). Task ids are deterministic, so a redelivered event opens nothing twice;
// the tasks close when the counsellor ends or amends the agreement (handlers.ts). The consumer pattern
// (createQueueConsumer) parses each message with the domain-event schema and reports failures per message.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { createQueueConsumer, type QueueConsumer } from '../../shared/adapters/queue-consumer.ts';
import { rememberAgreementTask } from '../../shared/data/agreement-tasks.ts';
import { runningAgreementsOn } from '../../shared/data/agreements.ts';
import { getRecognition } from '../../shared/data/recognitions.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { processAddressChangeTask, processRevocationTask } from '../../shared/domain/agreement-tasks.ts';
import { endedRecognitionTasks } from '../../shared/domain/recognition-tasks.ts';
import { logger } from '../../shared/logger.ts';
import { domainEventSchema, type DomainEvent } from '../../events/domain-event.ts';

/** Opens the counsellor tasks an event asks for; returns how many were new. */
export async function applyDomainEvent(deps: Dependencies, event: DomainEvent): Promise<number> {
  // Only a revocation and a move ask something of the counsellors; the rest (premiums for the paying system, the
  // feed's events for the school systems) is not for this context.
  if (event.type !== 'recognition-revoked' && event.type !== 'establishment-address-changed') return 0;
  // A revoked recognition asks nothing more of its enterprise: its free places, renewal and mentor training tasks close.
  if (event.type === 'recognition-revoked') await closeEndedRecognitionTasks(deps, event.recognitionId);
  const links = await runningAgreementsOn(deps, event.recognitionId);
  const now = deps.clock.now().toISOString();
  let opened = 0;
  for (const link of links) {
    const task = event.type === 'recognition-revoked' ? processRevocationTask(link, event, now) : processAddressChangeTask(link, event, now);
    // Remember first: if the task write fails after this, the retry still finds and later closes it.
    await rememberAgreementTask(deps, link.agreementId, task);
    if (await openTask(deps, task)) opened++;
  }
  logger.info('domain event applied', { type: event.type, eventId: event.eventId, agreements: links.length, opened });
  return opened;
}

async function closeEndedRecognitionTasks(deps: Dependencies, recognitionId: string) {
  const recognition = await getRecognition(deps, recognitionId);
  if (!recognition) return;
  for (const ref of endedRecognitionTasks(recognition)) await closeTask(deps, ref.organisationKey, ref.id);
}

export const createDomainEventConsumer = (deps: Dependencies): QueueConsumer =>
  createQueueConsumer('domain event', domainEventSchema, async (event) => {
    await applyDomainEvent(deps, event);
  });

/** The Lambda entry: the table only (shared/adapters/cold-start.ts). */
export const clients = { db: createDynamoDbClient };

const consumer = onColdStart(clients, createDomainEventConsumer);

export const handler: QueueConsumer = (event, context) => consumer()(event, context);
