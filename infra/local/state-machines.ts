// Runs the ASL files of state-machines/ with aws-local-stepfunctions. Task states whose Resource is a
// `${Substitution}` from the topology call that function's handler in-process; Wait states can be shortened.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../topology.ts';
import { repositoryRoot } from './paths.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskFunction = (input: Json) => Promise<Json>;

type State = { Type: string; Resource?: string; Iterator?: Machine; ItemProcessor?: Machine; Branches?: Machine[] };
type Machine = { States: Record<string, State> };

/** Every Task state, also inside Map and Parallel states, with the substitution its Resource names. */
export function taskStates(machine: Machine): { name: string; substitution: string }[] {
  const found: { name: string; substitution: string }[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Task' && state.Resource) {
      const match = /^\$\{(\w+)\}$/.exec(state.Resource);
      if (match) found.push({ name, substitution: match[1]! });
    }
    for (const inner of [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])]) if (inner) found.push(...taskStates(inner));
  }
  return found;
}

export function loadDefinition(definition: StateMachineDefinition, directory = join(repositoryRoot, 'state-machines')): Machine {
  return JSON.parse(readFileSync(join(directory, definition.file), 'utf8')) as Machine;
}

export type LocalExecution = { executionName: string; status: 'RUNNING' | 'SUCCEEDED' | 'FAILED'; output?: Json; error?: string; result: Promise<Json> };

export function createLocalStateMachine(options: {
  definition: StateMachineDefinition;
  machine: Machine;
  functions: Record<string, TaskFunction>;
  /** Milliseconds per Wait state name, or one number for all Wait states (tests run 14 days in milliseconds). */
  waitOverrides?: Record<string, number> | number;
  /** Milliseconds before each retry, per Task state name (tests of a Retry need not wait its real interval). */
  retryIntervalOverrides?: Record<string, number>;
}) {
  const tasks = taskStates(options.machine);
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  for (const task of tasks) {
    const fn = options.functions[task.substitution];
    if (!fn) throw new Error(`state machine ${options.definition.name}: no function for \${${task.substitution}} (state ${task.name})`);
    handlers[task.name] = fn;
  }
  const waitStates = Object.entries(options.machine.States)
    .filter(([, s]) => s.Type === 'Wait')
    .map(([n]) => n);
  const waits =
    typeof options.waitOverrides === 'number' ? Object.fromEntries(waitStates.map((n) => [n, options.waitOverrides as number])) : (options.waitOverrides ?? {});
  // As CDK's DefinitionSubstitutions do: every `${Name}` becomes a function ARN (here a local stand-in).
  const substituted = JSON.parse(
    JSON.stringify(options.machine).replace(/\$\{(\w+)\}/g, (_m, name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${name}`),
  );
  // The executor times an execution with setTimeout, whose limit is about 24.8 days of real time: a longer
  // TimeoutSeconds (the review round's year, for files paused long) would fire at once. Locally the Wait states are
  // shortened and time is the stage's clock, so such a timeout cannot be reached anyway: leave it out.
  if (typeof substituted.TimeoutSeconds === 'number' && substituted.TimeoutSeconds * 1000 > 2 ** 31 - 1) delete substituted.TimeoutSeconds;
  const machine = new StateMachine(substituted, { validationOptions: { checkArn: true } });
  const executions = new Map<string, LocalExecution>();

  return {
    name: options.definition.name,
    executions,
    /** Like StartExecution: a second start with the same name does not run the machine twice. */
    start(input: Json, executionName: string): LocalExecution {
      const existing = executions.get(executionName);
      if (existing) return existing;
      const run = machine.run(input as never, {
        overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waits, retryIntervalOverrides: options.retryIntervalOverrides },
      });
      const execution: LocalExecution = { executionName, status: 'RUNNING', result: run.result as Promise<Json> };
      execution.result.then(
        (output) => Object.assign(execution, { status: 'SUCCEEDED', output }),
        (error: Error) => Object.assign(execution, { status: 'FAILED', error: error.message }),
      );
      execution.result.catch(() => undefined);
      executions.set(executionName, execution);
      return execution;
    },
  };
}

/**
 * The subset of the Step Functions JSON protocol the functions use (StartExecution), so that handler code
 * calls the real SDK client against the local stage. A second start with the same name is idempotent, as in AWS
 * for the same input.
 */
export async function handleStepFunctions(
  target: string | string[] | undefined,
  body: Buffer,
  start: (name: string, input: unknown, executionName: string) => Promise<unknown>,
) {
  const request = JSON.parse(body.toString('utf8') || '{}') as { stateMachineArn?: string; name?: string; input?: string };
  const headers = { 'Content-Type': 'application/x-amz-json-1.0' };
  if (target === 'AWSStepFunctions.StartExecution') {
    const machine =
      String(request.stateMachineArn ?? '')
        .split(':')
        .pop() ?? '';
    const name = request.name ?? `${Date.now()}`;
    try {
      await start(machine, JSON.parse(request.input ?? '{}'), name);
    } catch (error) {
      return { status: 400, headers, body: JSON.stringify({ __type: 'StateMachineDoesNotExist', message: (error as Error).message }) };
    }
    return {
      status: 200,
      headers,
      body: JSON.stringify({
        executionArn: `${String(request.stateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`,
        startDate: Date.now() / 1000,
      }),
    };
  }
  return { status: 400, headers, body: JSON.stringify({ __type: 'UnknownOperationException', message: `not emulated: ${String(target)}` }) };
}
