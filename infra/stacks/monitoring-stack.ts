// Alarms: every function's errors and throttles, the API's 5xx, any message in any dead-letter queue (of a queue
// or of a schedule) and any failed state machine execution. All go to one SNS topic (with an optional e-mail subscription) and show
// on one dashboard. The README's Operations section says what each alarm means and what to do.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { AppFunction } from '../constructs/function.ts';

export type MonitoringProps = StackProps & {
  stage: string;
  alarmEmail: string | undefined;
  api: HttpApi;
  functions: AppFunction[];
  deadLetterQueues: { id: string; queue: IQueue }[];
  /** The dead-letter queue of each schedule: invocations EventBridge Scheduler could not deliver. */
  scheduleDeadLetterQueues: { name: string; queue: IQueue }[];
  stateMachines: { name: string; machine: IStateMachine }[];
};

export class MonitoringStack extends Stack {
  readonly topic: Topic;
  /** By alarm name, e.g. `api-organisations-errors`, `notifications-dlq-not-empty`, `schedule-kbo-sync-dlq-not-empty`. */
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, props);
    // A key of its own: CloudWatch must be allowed to use the key of the topic it publishes to.
    const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: `${this.stackName}: alarm topic` });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Alarms', { displayName: `werkplekduaal ${props.stage} alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, name, {
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `${props.stage} ${name}: ${description}`,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.set(name, created);
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };

    for (const { name, function: fn } of props.functions) {
      alarm(`${name}-errors`, fn.metricErrors(fiveMinutes), 'an invocation failed; find its correlation id in the function log group.');
      alarm(`${name}-throttles`, fn.metricThrottles(fiveMinutes), 'invocations were throttled: account or reserved concurrency is exhausted.');
    }
    alarm('api-5xx', props.api.metricServerError(fiveMinutes), 'the HTTP API answered 5xx (a function failed or timed out); see the API access log.');
    for (const { id: queueId, queue } of props.deadLetterQueues) {
      alarm(
        `${queueId}-dlq-not-empty`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        'a message failed all its retries and waits in the dead-letter queue; inspect it and redrive it.',
      );
    }
    // `schedule-` keeps these apart from the queue DLQ alarms (and from a queue with a schedule's name).
    for (const { name, queue } of props.scheduleDeadLetterQueues) {
      alarm(
        `schedule-${name}-dlq-not-empty`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        'Scheduler could not start the job within its retry policy; read the dead-letter message and run the job by hand.',
      );
    }
    // The KBO sync's failures say what to fix in the execution's Cause; an alarm cannot carry it, so it points there.
    const failedHint: Record<string, string> = {
      'kbo-sync':
        "an execution failed; its Error and Cause in the Step Functions console say why: ExtractGap names the last applied extract, the missing numbers and the first waiting file; KboFormatError the file, member, record and reason (see the README's KBO sync section).",
      'kbo-full-import':
        "a Full import failed; its Error and Cause say why: FullNotNewer (the Full is not newer than the last applied extract: nothing written), KboFormatError (the file, member and reason), KboFullPartFailed (a part failed: the Map Run in the console shows which and why; start the execution again with the same input and it resumes). See the README's KBO Full import section.",
    };
    for (const { name, machine } of props.stateMachines) {
      alarm(`${name}-executions-failed`, machine.metricFailed(fiveMinutes), failedHint[name] ?? 'an execution failed; open it in the Step Functions console.');
      alarm(`${name}-executions-timed-out`, machine.metricTimedOut(fiveMinutes), 'an execution ran past its TimeoutSeconds.');
    }

    const dashboard = new Dashboard(this, 'Dashboard');
    dashboard.addWidgets(
      new GraphWidget({ title: 'API requests and 5xx', left: [props.api.metricCount(fiveMinutes)], right: [props.api.metricServerError(fiveMinutes)] }),
      new GraphWidget({ title: 'API latency (p90)', left: [props.api.metricLatency({ period: Duration.minutes(5), statistic: 'p90' })] }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Function errors', left: props.functions.map((f) => f.function.metricErrors({ ...fiveMinutes, label: f.name })) }),
      new GraphWidget({
        title: 'Function duration (p90)',
        left: props.functions.map((f) => f.function.metricDuration({ period: Duration.minutes(5), statistic: 'p90', label: f.name })),
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues',
        left: [
          ...props.deadLetterQueues.map((q) => q.queue.metricApproximateNumberOfMessagesVisible({ label: q.id, statistic: 'Maximum' })),
          ...props.scheduleDeadLetterQueues.map((q) => q.queue.metricApproximateNumberOfMessagesVisible({ label: `schedule-${q.name}`, statistic: 'Maximum' })),
        ],
      }),
      new GraphWidget({
        title: 'State machine executions failed',
        left: props.stateMachines.map((m) => m.machine.metricFailed({ ...fiveMinutes, label: m.name })),
      }),
    );
    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn });
  }
}
