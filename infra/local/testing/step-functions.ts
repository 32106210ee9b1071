// A local Step Functions endpoint for tests: handlers start executions with the real SDK client, and the
// ASL runs in-process with aws-local-stepfunctions. Time is the test's clock: a Wait state returns as soon as
// the test moves the clock past its timestamp, so a 14-day review runs in milliseconds.
import { createServer, type Server } from 'node:http';
import type { Clock } from '../../../shared/adapters/clock.ts';
import type { StateMachineDefinition } from '../../topology.ts';
import { createLocalStateMachine, handleStepFunctions, loadDefinition, type TaskFunction } from '../state-machines.ts';

export type TestStepFunctions = {
  endpoint: string;
  machine: ReturnType<typeof createLocalStateMachine>;
  close(): Promise<void>;
};

/** Wraps the task that follows a Wait state so it first waits for the test clock to reach `wakeAt`. */
export function afterClockReaches(clock: Clock, fn: TaskFunction): TaskFunction {
  return async (input) => {
    const wakeAt = input && typeof input === 'object' && !Array.isArray(input) ? (input as { wakeAt?: string }).wakeAt : undefined;
    if (wakeAt) while (clock.now() < new Date(wakeAt)) await new Promise((r) => setTimeout(r, 5));
    return fn(input);
  };
}

export async function startTestStepFunctions(definition: StateMachineDefinition, functions: Record<string, TaskFunction>): Promise<TestStepFunctions> {
  const machine = createLocalStateMachine({ definition, machine: loadDefinition(definition), functions, waitOverrides: 0 });
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const result = await handleStepFunctions(request.headers['x-amz-target'], Buffer.concat(chunks), async (_name, input, executionName) =>
      machine.start(input as never, executionName),
    );
    response.writeHead(result.status, result.headers).end(result.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { endpoint: `http://127.0.0.1:${port}`, machine, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
