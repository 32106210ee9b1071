// For command-line tools (kbo:import, bench, ...): a Dependencies object on the local stage's data.
// Uses the running `npm start` stage when there is one; otherwise starts DynamoDB Local and the emulator on
// the persisted data for the duration of the command.
import { existsSync, readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { ensureTable, localCredentials, localRegion, startAwsEmulator, startDynamo } from './emulators.ts';
import { localHmacKey, provisionLocalResources } from './environment.ts';
import { localAudience, localPaths, localPorts, localStage } from './paths.ts';

type StageFile = { pid: number; url: string; dynamoEndpoint: string; awsEndpoint: string; tableName: string; issuer: string };

export function runningStage(): StageFile | undefined {
  if (!existsSync(localPaths.stageFile)) return undefined;
  const info = JSON.parse(readFileSync(localPaths.stageFile, 'utf8')) as StageFile;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

export async function connectLocalStage(): Promise<{ deps: Dependencies; close(): Promise<void>; started: boolean }> {
  const running = runningStage();
  let dynamoEndpoint = running?.dynamoEndpoint;
  let awsEndpoint = running?.awsEndpoint;
  const closers: (() => Promise<void>)[] = [];
  if (!running) {
    const dynamo = await startDynamo({ port: localPorts.dynamodb, dataPath: localPaths.dynamodb });
    closers.push(dynamo.stop);
    const aws = await startAwsEmulator({ port: 0 });
    closers.push(aws.stop);
    dynamoEndpoint = dynamo.endpoint;
    awsEndpoint = aws.endpoint;
  }
  const tableName = `${localStage}-table`;
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint, region: localRegion, credentials: localCredentials });
  await ensureTable(raw, tableName);
  raw.destroy();
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
  return {
    deps,
    started: !running,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
