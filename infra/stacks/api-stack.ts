// The HTTP API: a JWT authorizer for the government sign-in, one Lambda per context, and one route per entry
// of that context's routes.ts (public routes without the authorizer).
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AppFunction, bindBucket, bindQueue, bindTable } from '../constructs/function.ts';
import type { ApiContext, BucketDefinition, QueueDefinition, StateMachineDefinition } from '../topology.ts';
import { appEnvironment, stateMachineArn } from './environment.ts';
import type { StageSettings } from './settings.ts';

export type ApiProps = StackProps & {
  settings: StageSettings;
  table: TableV2;
  buckets: Record<BucketDefinition['id'], Bucket>;
  bucketDefinitions: BucketDefinition[];
  queues: { definition: QueueDefinition; queue: Queue }[];
  stateMachineDefinitions: StateMachineDefinition[];
  contexts: ApiContext[];
};

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<string, NodejsFunction> = {};

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id, props);
    const authorizer = new HttpJwtAuthorizer('GovernmentSignIn', props.settings.oidcIssuer, { jwtAudience: [props.settings.oidcAudience] });
    this.api = new HttpApi(this, 'Api', {
      apiName: `werkplekduaal-${props.settings.stage}`,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: props.settings.allowedOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        allowHeaders: ['Authorization', 'Content-Type', 'X-Organisation', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id'],
        exposeHeaders: ['ETag', 'X-Correlation-Id', 'Location'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // No query string, no path values: personal data never reaches the access logs.
      format: JSON.stringify({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', latency: '$context.integrationLatency', ip: '$context.identity.sourceIp', time: '$context.requestTime' }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };

    const environment = appEnvironment({ scope: this, settings: props.settings, table: props.table, buckets: props.buckets, bucketDefinitions: props.bucketDefinitions, queues: props.queues, stateMachines: props.stateMachineDefinitions });
    for (const context of props.contexts) {
      const fn = new AppFunction(this, `api-${context.name}`, { fn: context.function, environment, description: `API: ${context.name}` }).function;
      bindTable(fn, props.table, 'readwrite');
      bindBucket(fn, props.buckets.documents, 'readwrite');
      for (const { queue } of props.queues) bindQueue(fn, queue, 'send');
      if (props.stateMachineDefinitions.length) {
        fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: props.stateMachineDefinitions.map((m) => stateMachineArn(this, props.settings, m)) }));
      }
      this.functions[context.name] = fn;
      const integration = new HttpLambdaIntegration(`${context.name}-integration`, fn);
      for (const route of context.routes) {
        this.api.addRoutes({
          path: route.path,
          methods: [route.method as HttpMethod],
          integration,
          ...(route.auth.kind === 'public' ? { authorizer: new HttpNoneAuthorizer() } : {}),
        });
      }
    }
  }
}
