// The bench's DynamoDB request counts: the deps with every request counted by its command's name.
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';

export function countingRequests(deps: Dependencies): { deps: Dependencies; requests: Record<string, number> } {
  const requests: Record<string, number> = {};
  const send = deps.db.send.bind(deps.db) as (command: unknown) => Promise<unknown>;
  const db = {
    send: (command: { constructor: { name: string } }) => {
      requests[command.constructor.name] = (requests[command.constructor.name] ?? 0) + 1;
      return send(command);
    },
  } as unknown as Dependencies['db'];
  return { deps: { ...deps, db }, requests };
}
