// The environment every function gets: exactly the variables of shared/config.ts, built in one place.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Config } from '../../shared/config.ts';
import type { BucketDefinition, QueueDefinition, StateMachineDefinition } from '../topology.ts';
import type { StageSettings } from './settings.ts';

/**
 * State machine names derive from the stage, so that functions can know an ARN without a reference to the
 * state machine (which itself references the functions: that would be a cycle).
 */
export const stateMachineName = (settings: StageSettings, machine: StateMachineDefinition) => `werkplekduaal-${settings.stage}-${machine.name}`;

export function stateMachineArn(scope: Construct, settings: StageSettings, machine: StateMachineDefinition): string {
  return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName(settings, machine), arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

export function appEnvironment(input: {
  scope: Construct;
  settings: StageSettings;
  table: ITable;
  buckets: Record<BucketDefinition['id'], IBucket>;
  bucketDefinitions: BucketDefinition[];
  queues: { definition: QueueDefinition; queue: IQueue }[];
  stateMachines: StateMachineDefinition[];
}): Record<string, string> {
  const { settings } = input;
  const env: Partial<Record<keyof Config, string>> = {
    STAGE: settings.stage,
    TABLE_NAME: input.table.tableName,
    OIDC_ISSUER: settings.oidcIssuer,
    OIDC_AUDIENCE: settings.oidcAudience,
    MAIL_FROM: settings.mailFrom,
    MAIL_TRANSPORT: 'ses',
    DEPARTMENT_EMAIL: settings.departmentEmail,
    ALLOWED_ORIGINS: settings.allowedOrigins.join(','),
  };
  for (const definition of input.bucketDefinitions) env[definition.nameVariable] = input.buckets[definition.id].bucketName;
  for (const { definition, queue } of input.queues) env[definition.urlVariable] = queue.queueUrl;
  for (const machine of input.stateMachines) env[machine.arnVariable] = stateMachineArn(input.scope, settings, machine);
  return env as Record<string, string>;
}
