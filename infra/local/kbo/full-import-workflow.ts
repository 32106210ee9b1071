// The deployed path of a Full import, run locally: the zip is dropped under full/ in the stage's KBO inbox (as
// ops drops it in AWS, where the upload starts the state machine) and the kbo-full-import ASL is run by the local
// executor with the same task handlers; its Distributed Map runs the parts one at a time (infra/local/state-machines.ts).
// `npm run kbo:import -- --workflow <Full.zip>` and the bench use it.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  createFullImportTasks,
  type FinishedFull,
  type PartInput,
  type PartOutput,
  type PreparedFull,
} from '../../../functions/kbo-import/full-import-tasks.ts';
import type { Dependencies } from '../../../shared/adapters/dependencies.ts';
import { stateMachines } from '../../topology.ts';
import { createLocalStateMachine, loadDefinition, s3ObjectReader } from '../state-machines.ts';

export type WorkflowProgress = {
  onPrepared?: (file: PreparedFull) => void;
  onPart?: (input: PartInput, output: PartOutput, ms: number) => void;
};

/** Drops the zip under full/ and runs the state machine; rejects with the failing state's error (its name as in AWS). */
export async function runFullImportWorkflow(deps: Dependencies, path: string, options: { force?: boolean } & WorkflowProgress = {}): Promise<FinishedFull> {
  const key = `full/${basename(path)}`;
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.config.KBO_INBOX_BUCKET, Key: key, Body: readFileSync(path) }));
  const tasks = createFullImportTasks(deps);
  const definition = stateMachines.find((m) => m.name === 'kbo-full-import')!;
  const machine = createLocalStateMachine({
    definition,
    machine: loadDefinition(definition),
    readObject: s3ObjectReader(deps.s3),
    functions: {
      PrepareFullFunction: async (input) => {
        const prepared = await tasks.prepareFull(input as never);
        options.onPrepared?.(prepared);
        return prepared as never;
      },
      ApplyPartFunction: async (input) => {
        const started = performance.now();
        const output = await tasks.applyPart(input as never);
        options.onPart?.(input as unknown as PartInput, output, performance.now() - started);
        return output as never;
      },
      FinishFullFunction: async (input) => (await tasks.finishFull(input as never)) as never,
    },
  });
  const run = machine.start({ key, ...(options.force ? { force: true } : {}) }, `kbo-full-import-${Date.now()}`);
  try {
    return (await run.result) as unknown as FinishedFull;
  } catch (error) {
    // The executor wraps the failing state's error; its cause carries the name the ASL matched on.
    throw (error as Error).cause ?? error;
  }
}
