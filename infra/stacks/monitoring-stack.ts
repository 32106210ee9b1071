// Alarms: every function's errors and throttles, the API's 5xx, and any message in any dead-letter queue.
// All go to one SNS topic (with an optional e-mail subscription) and show on one dashboard.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export type MonitoringProps = StackProps & {
  stage: string;
  alarmEmail: string | undefined;
  key: Key;
  api: HttpApi;
  functions: { id: string; fn: NodejsFunction }[];
  deadLetterQueues: { id: string; queue: Queue }[];
};

export class MonitoringStack extends Stack {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id, props);
    const topic = new Topic(this, 'Alarms', { displayName: `werkplekduaal ${props.stage} alarms`, masterKey: props.key, enforceSSL: true });
    if (props.alarmEmail) topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(topic);
    const alarm = (alarmId: string, metric: Metric, description: string) => {
      const created = new Alarm(this, alarmId, { metric, threshold: 1, evaluationPeriods: 1, comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: TreatMissingData.NOT_BREACHING, alarmDescription: description });
      created.addAlarmAction(action);
      this.alarms.push(created);
    };
    for (const { id: fnId, fn } of props.functions) {
      alarm(`${fnId}-errors`, fn.metricErrors({ period: Duration.minutes(5) }), `${fnId}: a function invocation failed (see its log group for the correlation id).`);
      alarm(`${fnId}-throttles`, fn.metricThrottles({ period: Duration.minutes(5) }), `${fnId}: invocations were throttled (account concurrency or reserved concurrency reached).`);
    }
    alarm('api-5xx', props.api.metricServerError({ period: Duration.minutes(5) }), 'The HTTP API answered 5xx: an unexpected error in a function or an integration failure.');
    for (const { id: queueId, queue } of props.deadLetterQueues) {
      alarm(`${queueId}-dlq-depth`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), `${queueId}: a message failed ${''}its retries and waits in the dead-letter queue; inspect and redrive it (README, Operations).`);
    }
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `werkplekduaal-${props.stage}` });
    dashboard.addWidgets(
      new GraphWidget({ title: 'API requests and 5xx', left: [props.api.metricCount()], right: [props.api.metricServerError()] }),
      new GraphWidget({ title: 'Function errors', left: props.functions.map(({ fn }) => fn.metricErrors()) }),
      new GraphWidget({ title: 'Dead-letter queues', left: props.deadLetterQueues.map(({ queue }) => queue.metricApproximateNumberOfMessagesVisible()) }),
    );
  }
}
