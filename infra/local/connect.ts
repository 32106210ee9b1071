// For command-line tools (kbo:import, bench, ...): a Dependencies object on the local stage's data.
// Uses the running `npm start` stage when there is one; otherwise starts DynamoDB Local and the emulator on
// the persisted data for the duration of the command. It never writes into a DynamoDB it did not start unless
// the table there carries the marker the stage writes at start (markStageTable): a CLI run while some other
// DynamoDB answers on port 8000 refuses instead of filling that one.
import { existsSync, readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { ensureTable, isStageTable, localCredentials, localRegion, markStageTable, portInUse, startAwsEmulator, startDynamo } from './emulators.ts';
import { localHmacKey, provisionLocalResources } from './environment.ts';
import { localAudience, localPaths, localPorts, localStage } from './paths.ts';

type StageFile = { pid: number; url: string; dynamoEndpoint: string; awsEndpoint: string; tableName: string; issuer: string };

export function runningStage(stageFile = localPaths.stageFile): StageFile | undefined {
  if (!existsSync(stageFile)) return undefined;
  const info = JSON.parse(readFileSync(stageFile, 'utf8')) as StageFile;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

/** The stage's port, table and stage file; tests point them elsewhere. */
export type ConnectOptions = { dynamoPort?: number; tableName?: string; stageFile?: string };

const notOurs = (where: string, tableName: string) =>
  new Error(
    `${where} answers as DynamoDB, but it is not this project's local stage: it has no table ${tableName} with the stage's marker. ` +
      'Nothing was written. Stop what listens there, or start the stage with `npm start` (it marks its table) and run the command again.',
  );

export async function connectLocalStage(options: ConnectOptions = {}): Promise<{ deps: Dependencies; close(): Promise<void>; started: boolean }> {
  const running = runningStage(options.stageFile);
  const tableName = options.tableName ?? `${localStage}-table`;
  const dynamoPort = options.dynamoPort ?? localPorts.dynamodb;
  let dynamoEndpoint = running?.dynamoEndpoint;
  let awsEndpoint = running?.awsEndpoint;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn();
  };
  try {
    let ours = false;
    if (!running) {
      // Something on the port while no stage runs: the stage's DynamoDB Local left running (its table carries
      // the marker), or any other DynamoDB, which is refused below. Only a DynamoDB Local started here is ours.
      if (await portInUse(dynamoPort)) dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
      else {
        const dynamo = await startDynamo({ port: dynamoPort, dataPath: localPaths.dynamodb });
        closers.push(dynamo.stop);
        dynamoEndpoint = dynamo.endpoint;
        ours = true;
      }
      const aws = await startAwsEmulator({ port: 0 });
      closers.push(aws.stop);
      awsEndpoint = aws.endpoint;
    }
    const raw = new DynamoDBClient({ endpoint: dynamoEndpoint, region: localRegion, credentials: localCredentials, maxAttempts: 1 });
    try {
      if (ours) {
        await ensureTable(raw, tableName);
        await markStageTable(raw, tableName);
      } else if (!(await isStageTable(raw, tableName))) {
        throw notOurs(running ? `The running stage's DynamoDB (${dynamoEndpoint})` : `Port ${dynamoPort} (no stage is running)`, tableName);
      }
    } finally {
      raw.destroy();
    }
    const { deps } = await provisionLocalResources({
      stage: localStage,
      tableName,
      dynamoEndpoint: dynamoEndpoint!,
      awsEndpoint: awsEndpoint!,
      issuer: running?.issuer ?? 'http://localhost:3000/_local/oidc',
      audience: localAudience,
      // The `npm start` stage's own key: what a CLI writes (learner keys) the stage must read back.
      hmacKey: localHmacKey(localPaths.root),
    });
    return { deps, started: !running, close };
  } catch (error) {
    await close();
    throw error;
  }
}
