// The HTTP API: a JWT authorizer for the government sign-in, one Lambda per context, and one route per entry
// of that context's routes.ts (public routes without the authorizer).
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { AppFunction } from '../constructs/function.ts';
import type { ApiContext } from '../topology.ts';
import { accessFor, grantAccess, type AccessCatalogue } from './access.ts';
import { appEnvironment, type Resources } from './environment.ts';
import type { StageSettings } from './settings.ts';

export type ApiProps = StackProps & {
  settings: StageSettings;
  resources: Resources;
  contexts: ApiContext[];
  access: AccessCatalogue;
};

/** The headers the portal sends and reads (see the HTTP API conventions in the design). */
export const corsAllowHeaders = ['Authorization', 'Content-Type', 'X-Organisation', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id'];
export const corsExposeHeaders = ['ETag', 'Location', 'X-Correlation-Id'];

/** Each route machine clients may call, against the stage's 100/s (burst 200): system traffic keeps room for the portal. */
export const machineRouteThrottle = { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 };

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: AppFunction[] = [];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id, props);
    const { settings } = props;
    const authorizer = new HttpJwtAuthorizer('GovernmentSignIn', settings.oidcIssuer, { jwtAudience: [settings.oidcAudience] });
    this.api = new HttpApi(this, 'Api', {
      description: `${this.stackName}: werkplekduaal HTTP API`,
      defaultAuthorizer: authorizer,
      // The stage is created below, with access logs and throttling.
      createDefaultStage: false,
      ...(settings.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: settings.allowedOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              allowHeaders: corsAllowHeaders,
              exposeHeaders: corsExposeHeaders,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    // @middy/http-router routes on the raw path, which only the `$default` stage leaves without a prefix.
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No path, query string or body: personal data (national numbers in paths) never reaches the log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
          }),
        ),
      },
    });

    // HTTP APIs have no usage plans or API keys (those are REST APIs'): API Gateway limits a stage and a route,
    // never one caller. So the routes machine clients may call get a limit of their own below the stage's, which
    // keeps a burst of system traffic from taking the portal's share, and api.ts counts each client's requests
    // (CLIENT_REQUESTS_PER_SECOND, shared/data/client-rates.ts) so one misbehaving system cannot use the route's up.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const throttledRoutes: HttpRoute[] = [];
    const environment = appEnvironment(this, settings, props.resources);
    let firstIntegration: HttpLambdaIntegration | undefined;
    for (const context of props.contexts) {
      const fn = new AppFunction(this, { name: `api-${context.name}`, entry: context.function, description: `API: ${context.name}`, environment });
      const access = accessFor(props.access, context.function.entry);
      grantAccess({ fn, access, settings, resources: props.resources });
      const machineRoutes = context.routes.filter((route) => route.auth.kind === 'organisation' && (route.auth.scopes ?? []).length > 0);
      if (machineRoutes.length > 0 && access.table === 'read' && !access.countClientRequests) {
        throw new Error(
          `infra/stacks/access.ts (${context.function.entry}): its routes accept machine clients, whose requests are counted in the table: set countClientRequests.`,
        );
      }
      for (const route of machineRoutes) routeSettings[`${route.method} ${route.path}`] = machineRouteThrottle;
      const throttled = new Set(machineRoutes);
      this.functions.push(fn);
      // One invoke permission for the whole API instead of one per route: a route-scoped permission per
      // route would outgrow the function's 20 KB resource policy on the larger route tables.
      const integration = new HttpLambdaIntegration(`${context.name}-integration`, fn.function, { scopePermissionToRoute: false });
      firstIntegration ??= integration;
      for (const route of context.routes) {
        const added: HttpRoute[] = this.api.addRoutes({
          path: route.path,
          methods: [route.method as HttpMethod],
          integration,
          ...(route.auth.kind === 'public' ? { authorizer: new HttpNoneAuthorizer() } : {}),
        });
        if (throttled.has(route)) throttledRoutes.push(...added);
        if (route.auth.kind === 'public') {
          NagSuppressions.addResourceSuppressions(
            added,
            [
              {
                id: 'AwsSolutions-APIG4',
                reason: `${route.method} ${route.path} is public by design (routes.ts declares auth kind "public"); it returns no personal data.`,
              },
            ],
            true,
          );
        }
      }
    }
    // The L1 property is passed through as CloudFormation's RouteSettings; a route's settings need the route first.
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    for (const route of throttledRoutes) this.stage.node.addDependency(route);
    // Any other method and path reaches a function too, whose router answers the same 404 problem+json as the
    // local stage ("route-not-found"), instead of API Gateway's own {"message":"Not Found"}. No authorizer: a path
    // that is no route has nothing to protect, and a route's own check runs only for a route that matched.
    if (firstIntegration) {
      const notFound = new HttpRoute(this, 'NotFoundRoute', {
        httpApi: this.api,
        routeKey: HttpRouteKey.DEFAULT,
        integration: firstIntegration,
        authorizer: new HttpNoneAuthorizer(),
      });
      NagSuppressions.addResourceSuppressions(
        notFound,
        [
          {
            id: 'AwsSolutions-APIG4',
            reason: 'The $default route only answers 404 route-not-found for paths that are no route; every route has its own authorizer.',
          },
        ],
        true,
      );
    }
    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
  }
}
