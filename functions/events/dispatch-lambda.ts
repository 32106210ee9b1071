// Lambda entry of the `outbox-dispatch` schedule: sends outbox events that their producer could not dispatch
// right after its transaction (see shared/data/outbox.ts).
import { loadConfig } from '../../shared/config.ts';
import { createDependencies, type Dependencies } from '../../shared/adapters/dependencies.ts';
import { dispatchOutbox } from '../../shared/data/outbox.ts';

let deps: Dependencies | undefined;

export const handler = async (): Promise<{ dispatched: number }> => {
  deps ??= createDependencies(loadConfig());
  let dispatched = 0;
  // Drain in pages; a page shorter than the limit means the outbox is empty.
  for (;;) {
    const count = await dispatchOutbox(deps, 100);
    dispatched += count;
    if (count < 100) return { dispatched };
  }
};
