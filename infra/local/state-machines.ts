// Runs the ASL files of state-machines/ with aws-local-stepfunctions. Task states whose Resource is a
// `${Substitution}` from the topology call that function's handler in-process; Wait states can be shortened.
//
// A Distributed Map (a Map state with an ItemReader) is not run by aws-local-stepfunctions 3: it ignores the
// ItemReader and expects the items in the state's input. So locally such a Map becomes a Task state (same
// InputPath, ResultPath, OutputPath, Retry, Catch and Next) whose handler reads the items from the local S3 (a
// JSON array: ReaderConfig InputType JSON, the only kind supported here) and runs the ItemProcessor on them
// one at a time, in order, each item as its own execution with the same task handlers. The first failing item
// fails the state with that item's error (as ToleratedFailurePercentage 0 does in AWS, where the items still
// running are stopped). ItemSelector and ItemReader Parameters may use `$`, `$.a.b` and `$$.Map.Item.Value` /
// `$$.Map.Item.Index`; anything else (intrinsic functions) is refused when the machine is created.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../topology.ts';
import { repositoryRoot } from './paths.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskFunction = (input: Json) => Promise<Json>;

type State = {
  Type: string;
  Resource?: string;
  Iterator?: Machine;
  ItemProcessor?: Machine;
  Branches?: Machine[];
  ItemReader?: { Resource: string; ReaderConfig?: { InputType?: string }; Parameters?: Record<string, Json> };
  ItemSelector?: Record<string, Json>;
  [field: string]: unknown;
};
type Machine = { States: Record<string, State>; StartAt?: string; [field: string]: unknown };
/** Reads one object of the local S3 as text (the Distributed Map's ItemReader). */
export type ObjectReader = (bucket: string, key: string) => Promise<string>;

/** The ItemReader of the local stage and the tests: the emulator's S3. */
export const s3ObjectReader =
  (s3: S3Client): ObjectReader =>
  async (bucket, key) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8');

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
  /** Needed by a machine with a Distributed Map: where its ItemReader reads the items. */
  readObject?: ObjectReader;
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
  // Validated as written (with its Distributed Maps); run with those Maps made local (see the top of this file).
  new StateMachine(substituted, { validationOptions: { checkArn: true } });
  const runOptions = () => ({
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waits, retryIntervalOverrides: options.retryIntervalOverrides },
  });
  const local = withLocalDistributedMaps(substituted as Machine, handlers, runOptions, options.readObject, options.definition.name);
  const machine = new StateMachine(local as never, { validationOptions: { noValidate: true } });
  const executions = new Map<string, LocalExecution>();

  return {
    name: options.definition.name,
    executions,
    /** Like StartExecution: a second start with the same name does not run the machine twice. */
    start(input: Json, executionName: string): LocalExecution {
      const existing = executions.get(executionName);
      if (existing) return existing;
      const run = machine.run(input as never, runOptions());
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

const localMapArn = (state: string) => `arn:aws:lambda:eu-west-1:000000000000:function:LocalDistributedMap-${state.replace(/[^A-Za-z0-9-_]/g, '-')}`;

/** The machine with each top-level Distributed Map replaced by a Task state that runs its items one at a time. */
function withLocalDistributedMaps(
  machine: Machine,
  handlers: Record<string, (input: Json) => Promise<Json>>,
  runOptions: () => object,
  readObject: ObjectReader | undefined,
  machineName: string,
): Machine {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type !== 'Map' || !state.ItemReader) {
      states[name] = state;
      continue;
    }
    const where = `state machine ${machineName}, state ${name}`;
    if (!readObject) throw new Error(`${where}: a Distributed Map needs readObject (the local S3) to read its items`);
    const reader = state.ItemReader;
    if (reader.Resource !== 'arn:aws:states:::s3:getObject' || (reader.ReaderConfig?.InputType ?? 'JSON') !== 'JSON')
      throw new Error(`${where}: locally only an ItemReader of s3:getObject with InputType JSON is supported`);
    checkTemplate(reader.Parameters ?? {}, where);
    checkTemplate(state.ItemSelector ?? {}, where);
    const processor = new StateMachine(state.ItemProcessor as never, { validationOptions: { noValidate: true } });
    handlers[`${name}`] = async (input: Json) => {
      const parameters = evaluate(reader.Parameters ?? {}, input, null) as { Bucket: string; Key: string };
      const items = JSON.parse(await readObject(parameters.Bucket, parameters.Key)) as Json[];
      if (!Array.isArray(items)) throw new Error(`${where}: s3://${parameters.Bucket}/${parameters.Key} is not a JSON array`);
      const results: Json[] = [];
      for (const [index, value] of items.entries()) {
        const itemInput = state.ItemSelector ? evaluate(state.ItemSelector, input, { Index: index, Value: value }) : value;
        try {
          results.push((await processor.run(itemInput as never, runOptions() as never).result) as Json);
        } catch (error) {
          // The executor wraps the failing state's error; its cause carries the name the ASL matches on.
          throw (error as Error).cause ?? error;
        }
      }
      return results;
    };
    const kept = ['Comment', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'Retry', 'Catch', 'Next', 'End'];
    // A Task state times out after 60 s unless it says otherwise; the map it stands for runs as long as its items do.
    const timeout = typeof machine.TimeoutSeconds === 'number' ? machine.TimeoutSeconds : 86_400;
    states[name] = {
      Type: 'Task',
      Resource: localMapArn(name),
      TimeoutSeconds: timeout,
      ...Object.fromEntries(kept.filter((k) => k in state).map((k) => [k, state[k]])),
    };
  }
  return { ...machine, States: states };
}

const pathPattern = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const mapItemPattern = /^\$\$\.Map\.Item\.(Value|Index)$/;

function checkTemplate(template: Record<string, Json>, where: string): void {
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && (typeof value !== 'string' || !(pathPattern.test(value) || mapItemPattern.test(value))))
      throw new Error(`${where}: ${key} ${JSON.stringify(value)} is not supported locally ($, $.a.b or $$.Map.Item.Value/Index)`);
    if (value && typeof value === 'object' && !Array.isArray(value)) checkTemplate(value as Record<string, Json>, where);
  }
}

/** A payload template of the checked kind, against the state's input and the map item. */
function evaluate(template: Record<string, Json>, input: Json, item: { Index: number; Value: Json } | null): Json {
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith('.$')) {
      result[key] = value && typeof value === 'object' && !Array.isArray(value) ? evaluate(value as Record<string, Json>, input, item) : value;
      continue;
    }
    const path = value as string;
    const mapItem = mapItemPattern.exec(path);
    let found: Json | undefined;
    if (mapItem) found = item ? item[mapItem[1] as 'Index' | 'Value'] : undefined;
    else
      found = path
        .split('.')
        .slice(1)
        .reduce<Json | undefined>((at, name) => (at && typeof at === 'object' && !Array.isArray(at) ? at[name] : undefined), input);
    if (found === undefined) throw new Error(`${path} is not in the input of the map`);
    result[key.slice(0, -2)] = found;
  }
  return result;
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
