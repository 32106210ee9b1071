// Lambda entry of the `outbox-dispatch` schedule: sends outbox events that their producer could not dispatch
// right after its transaction (see shared/data/outbox.ts). The table and the domain-events queue.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { createSqsClient } from '../../shared/adapters/clients/sqs.ts';
import { onColdStart } from '../../shared/adapters/cold-start.ts';
import { dispatchOutbox } from '../../shared/data/outbox.ts';

export const clients = { db: createDynamoDbClient, sqs: createSqsClient };

const dependencies = onColdStart(clients, (deps) => deps);

export const handler = async (): Promise<{ dispatched: number }> => {
  const deps = dependencies();
  let dispatched = 0;
  // Drain in pages; a page shorter than the limit means the outbox is empty.
  for (;;) {
    const count = await dispatchOutbox(deps, 100);
    dispatched += count;
    if (count < 100) return { dispatched };
  }
};
