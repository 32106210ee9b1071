// The environment every function gets: the variables of shared/config.ts, built in one place. These are
// names and settings, not permissions; the bind helpers grant access per function (see access.ts).
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Config } from '../../shared/config.ts';
import type { BucketDefinition, QueueDefinition, StateMachineDefinition } from '../topology.ts';
import type { StageSettings } from './settings.ts';

/**
 * The one physical name in the app, derived from the stage so stages still fit side by side. Functions
 * need a state machine's ARN in their environment while the state machine needs the task functions' ARNs;
 * a name known in advance breaks that cycle.
 */
export const stateMachineName = (stage: string, machine: Pick<StateMachineDefinition, 'name'>): string => `werkplekduaal-${stage}-${machine.name}`;

export function stateMachineArn(scope: Construct, stage: string, machine: Pick<StateMachineDefinition, 'name'>): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(stage, machine),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export type Resources = {
  table: ITable;
  /** The KMS HMAC key of the keyring (learner keys, cursor seals). */
  hmacKey: IKey;
  buckets: Record<BucketDefinition['id'], IBucket>;
  bucketDefinitions: BucketDefinition[];
  queues: { definition: QueueDefinition; queue: IQueue }[];
  stateMachineDefinitions: StateMachineDefinition[];
};

export function appEnvironment(scope: Construct, settings: StageSettings, resources: Resources): Partial<Record<keyof Config, string>> {
  const env: Partial<Record<keyof Config, string>> = {
    STAGE: settings.stage,
    TABLE_NAME: resources.table.tableName,
    OIDC_ISSUER: settings.oidcIssuer,
    OIDC_AUDIENCE: settings.oidcAudience,
    MAIL_FROM: settings.mailFrom,
    MAIL_TRANSPORT: 'ses',
    DEPARTMENT_EMAIL: settings.departmentEmail,
    PORTAL_URL: settings.portalUrl,
    ALLOWED_ORIGINS: settings.allowedOrigins.join(','),
    // Every function gets the name (loadConfig requires a root key); only deriveKeys in access.ts may use it.
    HMAC_KEY_ARN: resources.hmacKey.keyArn,
  };
  for (const definition of resources.bucketDefinitions) env[definition.nameVariable] = resources.buckets[definition.id].bucketName;
  for (const { definition, queue } of resources.queues) env[definition.urlVariable] = queue.queueUrl;
  for (const machine of resources.stateMachineDefinitions) env[machine.arnVariable] = stateMachineArn(scope, settings.stage, machine);
  return env;
}
