// Queues with their dead-letter queues and consumers, the state machines from state-machines/*.asl.json with
// their task functions, and the EventBridge Scheduler schedules. All built from infra/topology.ts.
import { Duration, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { AppFunction, bindBucket, bindQueue, bindTable, repositoryRoot } from '../constructs/function.ts';
import type { BucketDefinition, QueueDefinition, ScheduleDefinition, StateMachineDefinition } from '../topology.ts';
import { appEnvironment, stateMachineName } from './environment.ts';
import type { StageSettings } from './settings.ts';

export type WorkflowsProps = StackProps & {
  settings: StageSettings;
  table: TableV2;
  key: Key;
  buckets: Record<BucketDefinition['id'], Bucket>;
  bucketDefinitions: BucketDefinition[];
  queueDefinitions: QueueDefinition[];
  stateMachineDefinitions: StateMachineDefinition[];
  scheduleDefinitions: ScheduleDefinition[];
  /** Where the ASL files are (tests pass a folder with fixtures). */
  stateMachineDirectory?: string;
};

export class WorkflowsStack extends Stack {
  readonly queues: { definition: QueueDefinition; queue: Queue; deadLetterQueue: Queue }[] = [];
  readonly functions: NodejsFunction[] = [];
  readonly stateMachines: StateMachine[] = [];

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id, props);
    for (const definition of props.queueDefinitions) {
      const deadLetterQueue = new Queue(this, `${definition.id}-dlq`, { encryption: QueueEncryption.KMS, encryptionMasterKey: props.key, enforceSSL: true, retentionPeriod: Duration.days(14) });
      NagSuppressions.addResourceSuppressions(deadLetterQueue, [{ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue; its messages wait here for inspection and redrive.' }]);
      const queue = new Queue(this, `${definition.id}-queue`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      this.queues.push({ definition, queue, deadLetterQueue });
    }
    const environment = appEnvironment({ scope: this, settings: props.settings, table: props.table, buckets: props.buckets, bucketDefinitions: props.bucketDefinitions, queues: this.queues, stateMachines: props.stateMachineDefinitions });
    const grantCommon = (fn: NodejsFunction) => {
      bindTable(fn, props.table, 'readwrite');
      for (const { queue } of this.queues) bindQueue(fn, queue, 'send');
      this.functions.push(fn);
    };

    for (const { definition, queue } of this.queues) {
      const consumer = new AppFunction(this, `consumer-${definition.id}`, { fn: definition.consumer, environment, description: `Consumes the ${definition.id} queue`, timeout: Duration.seconds(Math.floor(definition.visibilityTimeoutSeconds / 2)) }).function;
      grantCommon(consumer);
      consumer.addEventSource(new SqsEventSource(queue, { batchSize: definition.batchSize, maxBatchingWindow: Duration.seconds(definition.maxBatchingWindowSeconds), reportBatchItemFailures: true }));
      if (definition.id === 'notifications') {
        consumer.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.settings.mailFrom.split('@')[1]! }), this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.settings.mailFrom })] }));
      }
    }

    for (const definition of props.stateMachineDefinitions) {
      const substitutions: Record<string, string> = {};
      const taskFunctions: NodejsFunction[] = [];
      for (const [substitution, entry] of Object.entries(definition.functions)) {
        const fn = new AppFunction(this, `${definition.name}-${substitution}`, { fn: entry, environment, description: `${definition.name}: ${substitution}` }).function;
        grantCommon(fn);
        bindBucket(fn, props.buckets.documents, 'readwrite');
        substitutions[substitution] = fn.functionArn;
        taskFunctions.push(fn);
      }
      const machine = new StateMachine(this, definition.name, {
        stateMachineName: stateMachineName(props.settings, definition),
        definitionBody: DefinitionBody.fromFile(join(props.stateMachineDirectory ?? join(repositoryRoot, 'state-machines'), definition.file)),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        logs: { destination: new LogGroup(this, `${definition.name}-logs`, { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ALL, includeExecutionData: false },
      });
      for (const fn of taskFunctions) fn.grantInvoke(machine);
      this.stateMachines.push(machine);
    }

    for (const definition of props.scheduleDefinitions) {
      let target;
      if ('stateMachine' in definition.target) {
        const name = definition.target.stateMachine;
        const index = props.stateMachineDefinitions.findIndex((m) => m.name === name);
        if (index < 0) throw new Error(`schedule ${definition.name}: unknown state machine ${name}`);
        target = new StepFunctionsStartExecution(this.stateMachines[index]!, {});
      } else {
        const fn = new AppFunction(this, `scheduled-${definition.name}`, { fn: definition.target.function, environment, description: `Scheduled: ${definition.name}`, timeout: Duration.minutes(5) }).function;
        grantCommon(fn);
        bindBucket(fn, props.buckets.documents, 'readwrite');
        target = new LambdaInvoke(fn, {});
      }
      new Schedule(this, `schedule-${definition.name}`, { schedule: ScheduleExpression.expression(definition.cron, TimeZone.EUROPE_BRUSSELS), target, description: definition.name });
    }
  }
}
