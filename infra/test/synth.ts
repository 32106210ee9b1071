// One synthesis of a stage as `cdk synth` would make it (cdk.json context, cdk-nag), without bundling the
// functions: what every infra test starts from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Aspects, Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { repositoryRoot } from '../constructs/function.ts';
import { buildStage, type StageOptions } from '../stacks/stage.ts';

export const cdkContext = (JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export const testContext = {
  stage: 'test',
  oidcIssuer: 'https://issuer.example',
  oidcAudience: 'werkplekduaal-test',
  mailFrom: 'noreply@werkplekduaal.example',
  departmentEmail: 'department@werkplekduaal.example',
  portalUrl: 'https://portal.example',
  allowedOrigins: 'https://portal.example, https://admin.portal.example',
};

export function synthesise(context: Record<string, unknown> = {}, options: StageOptions = {}) {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...testContext, ...context } });
  const built = buildStage(app, options);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, built };
}

/** The logical id CloudFormation gives a construct's resource. */
export const logicalId = (construct: IConstruct): string => {
  const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(cfn).getLogicalId(cfn);
};
