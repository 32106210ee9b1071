// Queues with their dead-letter queues and consumers, the state machines from state-machines/*.asl.json with
// their task functions, and the EventBridge Scheduler schedules with their retry policies and dead-letter queues.
// All built from the lists in infra/topology.ts (passed in, so the tests can add fixtures).
import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventField, Match, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { AppFunction, repositoryRoot } from '../constructs/function.ts';
import type { QueueDefinition, ScheduleDefinition, StateMachineDefinition } from '../topology.ts';
import { accessFor, grantAccess, type AccessCatalogue } from './access.ts';
import { appEnvironment, stateMachineArn, stateMachineName, type Resources } from './environment.ts';
import type { StageSettings } from './settings.ts';

export type WorkflowsProps = StackProps & {
  settings: StageSettings;
  key: IKey;
  resources: Omit<Resources, 'queues'>;
  queueDefinitions: QueueDefinition[];
  scheduleDefinitions: ScheduleDefinition[];
  access: AccessCatalogue;
  /** Where the ASL files are; the tests pass a folder with fixtures. */
  stateMachineDirectory?: string;
};

export type QueueWithDlq = { definition: QueueDefinition; queue: Queue; deadLetterQueue: Queue };
export type ScheduleWithDlq = { definition: ScheduleDefinition; deadLetterQueue: Queue };

export class WorkflowsStack extends Stack {
  readonly queues: QueueWithDlq[] = [];
  readonly schedules: ScheduleWithDlq[] = [];
  readonly functions: AppFunction[] = [];
  readonly stateMachines: { definition: StateMachineDefinition; machine: StateMachine }[] = [];
  private settings!: StageSettings;
  private key!: IKey;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id, props);
    const { settings } = props;
    this.settings = settings;
    this.key = props.key;

    for (const definition of props.queueDefinitions) {
      // Failed messages wait the full SQS maximum for someone to inspect and redrive them.
      const deadLetterQueue = new Queue(this, `${definition.id}-dlq`, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      NagSuppressions.addResourceSuppressions(deadLetterQueue, [
        { id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue; it has no dead-letter queue of its own.' },
      ]);
      const queue = new Queue(this, definition.id, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.key,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      });
      this.queues.push({ definition, queue, deadLetterQueue });
      new CfnOutput(this, `${definition.id}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }

    const resources: Resources = { ...props.resources, queues: this.queues };
    const environment = appEnvironment(this, settings, resources);
    const createFunction = (name: string, entry: { entry: string; handler: string }, description: string, timeout?: Duration) => {
      const fn = new AppFunction(this, { name, entry, description, environment, ...(timeout ? { timeout } : {}) });
      grantAccess({ fn, access: accessFor(props.access, entry.entry), settings, resources });
      this.functions.push(fn);
      return fn;
    };

    for (const { definition, queue } of this.queues) {
      // Lambda requires the queue's visibility timeout to cover the function timeout; half leaves room for
      // the batching window and a retry inside the same receive.
      const consumer = createFunction(
        `consumer-${definition.id}`,
        definition.consumer,
        `Consumes the ${definition.id} queue`,
        Duration.seconds(Math.floor(definition.visibilityTimeoutSeconds / 2)),
      );
      consumer.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: definition.batchSize,
          maxBatchingWindow: Duration.seconds(definition.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          // The mapping's own limit, not reserved concurrency: above it the poller stops receiving instead of
          // being throttled, so a burst waits in the queue and never reaches the DLQ (see maxConcurrency in
          // infra/topology.ts).
          maxConcurrency: definition.maxConcurrency,
        }),
      );
    }

    for (const definition of props.resources.stateMachineDefinitions) {
      const substitutions: Record<string, string> = {};
      const taskFunctions: AppFunction[] = [];
      for (const [substitution, entry] of Object.entries(definition.functions)) {
        const fn = createFunction(
          `${definition.name}-${substitution}`,
          entry,
          `${definition.name}: ${substitution}`,
          entry.timeoutSeconds ? Duration.seconds(entry.timeoutSeconds) : undefined,
        );
        substitutions[substitution] = fn.function.functionArn;
        taskFunctions.push(fn);
      }
      const machine = new StateMachine(this, definition.name, {
        stateMachineName: stateMachineName(settings.stage, definition),
        definitionBody: DefinitionBody.fromFile(join(props.stateMachineDirectory ?? join(repositoryRoot, 'state-machines'), definition.file)),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        // Execution data holds names and e-mail addresses: log the events, not the payloads.
        logs: {
          destination: new LogGroup(this, `${definition.name}-logs`, { retention: RetentionDays.ONE_MONTH }),
          level: LogLevel.ALL,
          includeExecutionData: false,
        },
      });
      // The ASL comes from a file, so CDK cannot see which functions it calls: grant them explicitly.
      for (const fn of taskFunctions) fn.function.grantInvoke(machine);
      if (definition.distributedMap) this.grantDistributedMap(definition, machine, props.resources);
      if (definition.startOnUpload) this.startOnUpload(definition, machine, props.resources);
      NagSuppressions.addResourceSuppressions(
        machine.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              "lambda:InvokeFunction on <task function arn>:* covers the versions and aliases of this state machine's own task functions (CDK grantInvoke).",
            appliesTo: [{ regex: '/^Resource::<.*Function.*\\.Arn>:\\*$/' }],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason: 'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) has no resource-level permissions.',
            appliesTo: ['Resource::*'],
          },
        ],
        true,
      );
      this.stateMachines.push({ definition, machine });
    }

    for (const definition of props.scheduleDefinitions) this.addSchedule(definition, createFunction);
  }

  /**
   * A Distributed Map reads its manifest from S3 (ItemReader) and runs each item as a child execution of this
   * same state machine: s3:GetObject under the manifests' prefix, and starting, describing and stopping its own
   * executions (the names are known in advance: stateMachineName).
   */
  private grantDistributedMap(definition: StateMachineDefinition, machine: StateMachine, resources: Omit<Resources, 'queues'>) {
    const { bucket: id, prefix } = definition.distributedMap!;
    const bucket = resources.buckets[id];
    machine.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
    bucket.encryptionKey?.grantDecrypt(machine.role);
    machine.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn(this, this.settings.stage, definition)] }));
    const executions = this.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName(this.settings.stage, definition)}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    machine.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] }));
    NagSuppressions.addResourceSuppressions(
      machine.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: `The Distributed Map reads its manifests, objects under ${prefix} of one bucket, and watches its own child executions (<state machine name>/*).`,
          appliesTo: [{ regex: `/^Resource::.*${prefix.replace(/\//g, '\\/')}\\*$/` }, { regex: '/^Resource::arn:.*:execution:.*\\/\\*$/' }],
        },
      ],
      true,
    );
  }

  /** An object created under the prefix starts an execution with `{ "key": <object key> }` (EventBridge, from the bucket's events). */
  private startOnUpload(definition: StateMachineDefinition, machine: StateMachine, resources: Omit<Resources, 'queues'>) {
    const { bucket: id, prefix } = definition.startOnUpload!;
    const bucketDefinition = resources.bucketDefinitions.find((b) => b.id === id);
    if (!bucketDefinition?.eventBridge)
      throw new Error(`state machine ${definition.name}: bucket ${id} must send its events to EventBridge (eventBridge in infra/topology.ts)`);
    new Rule(this, `${definition.name}-on-upload`, {
      description: `${this.stackName}: ${definition.name} on every object under ${prefix}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [resources.buckets[id].bucketName] }, object: { key: Match.prefix(prefix) } },
      },
      targets: [new SfnStateMachine(machine, { input: RuleTargetInput.fromObject({ key: EventField.fromPath('$.detail.object.key') }) })],
    });
  }

  private addSchedule(
    definition: ScheduleDefinition,
    createFunction: (name: string, entry: { entry: string; handler: string }, description: string, timeout?: Duration) => AppFunction,
  ) {
    const { maximumRetryAttempts, maximumEventAgeSeconds } = definition.retry;
    if (!(maximumRetryAttempts >= 0 && maximumRetryAttempts <= 185 && maximumEventAgeSeconds >= 60 && maximumEventAgeSeconds <= 86_400)) {
      throw new Error(`schedule ${definition.name}: Scheduler allows 0 to 185 retry attempts and a maximum event age of 60 to 86400 seconds`);
    }
    const role = new Role(this, `schedule-${definition.name}-role`, {
      // Only schedules of this account may assume the role (confused-deputy protection).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: `${this.stackName}: schedule ${definition.name}`,
    });
    let targetArn: string;
    if ('stateMachine' in definition.target) {
      const name = definition.target.stateMachine;
      const found = this.stateMachines.find((m) => m.definition.name === name);
      if (!found) throw new Error(`schedule ${definition.name}: no state machine "${name}" in infra/topology.ts`);
      targetArn = found.machine.stateMachineArn;
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [targetArn] }));
    } else {
      const fn = createFunction(`scheduled-${definition.name}`, definition.target.function, `Scheduled: ${definition.name}`, Duration.minutes(5));
      targetArn = fn.function.functionArn;
      role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [targetArn] }));
    }

    // Where Scheduler puts an invocation it could not deliver within the retry policy. One dead-letter queue per
    // schedule rather than one shared: its alarm names the job that did not run, each role may send to its own
    // queue only, and a minutely job that keeps failing cannot hold a shared alarm in ALARM (an alarm notifies
    // once) and so hide a daily job's failure. Idle queues cost nothing. Kept the SQS maximum, like the queue DLQs.
    const deadLetterQueue = new Queue(this, `schedule-${definition.name}-dlq`, {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of a schedule; it has no dead-letter queue of its own.' },
    ]);
    // Scheduler sends dead-letter events with the schedule's role, so the grant is on the role (a queue policy is
    // not what Scheduler uses). SQS encrypts with the queue's key on the sender's behalf: the sender needs the
    // producer's two key actions, here only through SQS. Not grantSendMessages: it adds more SQS and KMS actions.
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetterQueue.queueArn] }));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${this.region}.amazonaws.com` } },
      }),
    );
    this.schedules.push({ definition, deadLetterQueue });
    // e.g. `scheduleKboSyncDeadLetterQueueUrl` (an output id keeps letters and digits only).
    const outputId = `schedule-${definition.name}`.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    new CfnOutput(this, `${outputId}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });

    new CfnSchedule(this, `schedule-${definition.name}`, {
      description: `${this.stackName}: ${definition.name}`,
      scheduleExpression: this.settings.scheduleOverrides[definition.name] ?? definition.cron,
      scheduleExpressionTimezone: definition.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: targetArn,
        roleArn: role.roleArn,
        // Stated for every schedule in infra/topology.ts: Scheduler's default would retry for a whole day.
        retryPolicy: { maximumRetryAttempts, maximumEventAgeInSeconds: maximumEventAgeSeconds },
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
      },
    });
  }
}
