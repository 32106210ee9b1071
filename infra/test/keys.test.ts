// The keyring's root in AWS: one KMS HMAC key in the data stack, retained and not rotated, its ARN in every
// function's environment, and kms:GenerateMac on it for exactly the functions that derive keys (every API
// function that lists, for its cursors; the agreements daily job for learner keys), nothing else on it for anyone.
// The documents and the agreement PDFs list nothing and compute no learner key: they have none.
import { beforeAll, describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { AppFunction } from '../constructs/function.ts';
import { functionAccess } from '../stacks/access.ts';
import * as topology from '../topology.ts';
import { logicalId, synthesise } from './synth.ts';

/** The entry file behind each function name, as the stacks name them from infra/topology.ts. */
function entriesByFunctionName(): Map<string, string> {
  const names = new Map<string, string>();
  for (const context of topology.apiContexts) names.set(`api-${context.name}`, context.function.entry);
  for (const queue of topology.queues) names.set(`consumer-${queue.id}`, queue.consumer.entry);
  for (const machine of topology.stateMachines)
    for (const [substitution, entry] of Object.entries(machine.functions)) names.set(`${machine.name}-${substitution}`, entry.entry);
  for (const schedule of topology.schedules) if ('function' in schedule.target) names.set(`scheduled-${schedule.name}`, schedule.target.function.entry);
  return names;
}

type Statement = { Action: string | string[]; Resource: unknown };
let built: ReturnType<typeof synthesise>['built'];
let data: Template;
let hmacKeyId: string;
let functions: { fn: AppFunction; template: Template; entry: string }[];

beforeAll(() => {
  ({ built } = synthesise({ stage: 'keys' }));
  data = Template.fromStack(built.data);
  hmacKeyId = logicalId(built.data.hmacKey);
  const api = Template.fromStack(built.api);
  const workflows = Template.fromStack(built.workflows);
  const entries = entriesByFunctionName();
  functions = [
    ...built.api.functions.map((fn) => ({ fn, template: api, entry: entries.get(fn.name)! })),
    ...built.workflows.functions.map((fn) => ({ fn, template: workflows, entry: entries.get(fn.name)! })),
  ];
}, 120_000);

/** The Arn of the HMAC key, as a consumer stack imports it from the data stack. */
function isHmacKeyArn(value: unknown): boolean {
  const outputs = data.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
  const name = (value as { 'Fn::ImportValue'?: string })?.['Fn::ImportValue'];
  const output = Object.values(outputs).find((o) => o.Export?.Name === name);
  return JSON.stringify(output?.Value) === JSON.stringify({ 'Fn::GetAtt': [hmacKeyId, 'Arn'] });
}

function statementsOf(template: Template, fn: AppFunction): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(fn.function.role!) }] } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('keyring root key', () => {
  it('is one KMS HMAC_256 key for GenerateMac/VerifyMac, retained, without rotation (a new key would orphan every learner key)', () => {
    const keys = data.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256' } });
    expect(Object.keys(keys)).toEqual([hmacKeyId]);
    data.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', EnableKeyRotation: Match.absent() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it("is named in every function's environment as HMAC_KEY_ARN", () => {
    expect(functions.length).toBeGreaterThan(10);
    for (const { fn, template } of functions) {
      const variables = template.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;
      expect(isHmacKeyArn(variables.HMAC_KEY_ARN), fn.name).toBe(true);
    }
  });

  it('may be used (kms:GenerateMac, nothing else) by every API function that lists and the agreements daily job, and by no other function', () => {
    const derivers = Object.entries(functionAccess)
      .filter(([, access]) => access.deriveKeys)
      .map(([entry]) => entry)
      .sort();
    const lists = (route: (typeof topology.apiContexts)[number]['routes'][number]) =>
      ['cursor', 'after'].some((name) => Object.hasOwn((route.request.query as { shape?: object } | undefined)?.shape ?? {}, name));
    const listingApis = topology.apiContexts.filter((c) => c.routes.some(lists));
    expect(listingApis.map((c) => c.name)).not.toContain('documents');
    expect(derivers).toEqual([...listingApis.map((c) => c.function.entry), 'functions/agreements/daily-lambda.ts'].sort());
    for (const { fn, template, entry } of functions) {
      expect(entry, fn.name).toBeDefined();
      const statements = statementsOf(template, fn);
      const onHmacKey = statements.filter((s) => resources(s).some(isHmacKeyArn));
      const generateMac = statements.filter((s) => actions(s).includes('kms:GenerateMac'));
      if (derivers.includes(entry)) {
        expect(
          onHmacKey.map((s) => ({ actions: actions(s), resources: resources(s).length })),
          fn.name,
        ).toEqual([{ actions: ['kms:GenerateMac'], resources: 1 }]);
      } else {
        expect(onHmacKey, fn.name).toEqual([]);
      }
      // GenerateMac only ever on the HMAC key, never on a wildcard or another key.
      for (const s of generateMac) expect(resources(s).every(isHmacKeyArn), fn.name).toBe(true);
    }
  });

  it('passes cdk-nag in every stack with no suppression for it', () => {
    for (const stack of built.stacks) {
      const annotations = Annotations.fromStack(stack);
      const findings = [...annotations.findError('*', Match.anyValue()), ...annotations.findWarning('*', Match.anyValue())];
      expect(
        findings.map((x) => `${x.id}: ${String(x.entry.data).split('\n')[0]}`),
        stack.stackName,
      ).toEqual([]);
    }
    expect(data.toJSON().Resources[hmacKeyId].Metadata?.cdk_nag).toBeUndefined();
  });
});
