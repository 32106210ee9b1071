// The environment variables the local stage, the tests and the CLIs give the functions: the same names CDK
// sets, pointed at the emulators. Resource names are derived from the stage, never written by hand.
import { loadConfig, type Config } from '../../shared/config.ts';
import { createDependencies, type Dependencies } from '../../shared/adapters/dependencies.ts';
import { stateMachines } from '../topology.ts';
import { ensureBuckets, ensureQueues, localRegion, type LocalQueue } from './emulators.ts';

export const localStateMachineArn = (name: string) => `arn:aws:states:${localRegion}:000000000000:stateMachine:${name}`;

export type LocalEndpoints = { stage: string; tableName: string; dynamoEndpoint: string; awsEndpoint: string; issuer: string; audience: string; sfnEndpoint?: string };

function baseEnvironment(e: LocalEndpoints): Record<string, string> {
  const env: Record<string, string> = {
    STAGE: e.stage,
    TABLE_NAME: e.tableName,
    OIDC_ISSUER: e.issuer,
    OIDC_AUDIENCE: e.audience,
    MAIL_FROM: 'noreply@werkplekduaal.local',
    LOCAL_DYNAMODB_ENDPOINT: e.dynamoEndpoint,
    LOCAL_AWS_ENDPOINT: e.awsEndpoint,
    AWS_REGION: localRegion,
    ...(e.sfnEndpoint ? { LOCAL_SFN_ENDPOINT: e.sfnEndpoint } : {}),
  };
  for (const machine of stateMachines) env[machine.arnVariable] = localStateMachineArn(machine.name);
  return env;
}

/** Creates the stage's buckets and queues on the emulator and returns the full environment for them. */
export async function provisionLocalResources(e: LocalEndpoints): Promise<{ environment: Record<string, string>; queues: LocalQueue[]; config: Config; deps: Dependencies }> {
  const placeholders = { DOCUMENTS_BUCKET: 'bootstrap', KBO_INBOX_BUCKET: 'bootstrap', NOTIFICATIONS_QUEUE_URL: 'http://localhost/bootstrap', KBO_CHANGES_QUEUE_URL: 'http://localhost/bootstrap' };
  const bootstrap = createDependencies(loadConfig({ ...baseEnvironment(e), ...placeholders }));
  const buckets = await ensureBuckets(bootstrap.s3, e.stage);
  const queues = await ensureQueues(bootstrap.sqs, e.stage);
  const environment: Record<string, string> = { ...baseEnvironment(e), DOCUMENTS_BUCKET: buckets.documents, KBO_INBOX_BUCKET: buckets.kboInbox };
  for (const queue of queues) environment[queue.definition.urlVariable] = queue.url;
  const config = loadConfig(environment);
  return { environment, queues, config, deps: createDependencies(config) };
}
