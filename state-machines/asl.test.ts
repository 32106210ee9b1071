// Every ASL file in state-machines/ against the Amazon States Language (asl-validator: the JSON schema of each
// state type, transitions to states that exist, a reachable end, JSONPath syntax, ARNs), after the substitutions
// CDK makes (each `${Name}` becomes the ARN of the task's Lambda function), and against infra/topology.ts:
// each file belongs to one state machine, whose functions are exactly the placeholders the file uses.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateMachines } from '../infra/topology.ts';

type Validation = { isValid: boolean; errorsText: (separator?: string) => string };
// asl-validator is CommonJS without type declarations: its one export, typed here.
const validate = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => Validation;

const directory = import.meta.dirname;
const files = readdirSync(directory).filter((f) => f.endsWith('.asl.json'));
const placeholder = /\$\{([A-Za-z0-9]+)\}/g;

/** The definition as CDK deploys it: every placeholder replaced by a Lambda function ARN. */
function substituted(text: string): unknown {
  return JSON.parse(text.replace(placeholder, (_match, name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:werkplekduaal-test-${name}`));
}

describe('the state machines', () => {
  it('are every ASL file in state-machines/, each deployed by one entry of infra/topology.ts', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(stateMachines.map((m) => m.file).sort()).toEqual([...files].sort());
  });

  it.each(files)('%s is valid Amazon States Language once CDK has substituted its function ARNs', (file) => {
    const result = validate(substituted(readFileSync(join(directory, file), 'utf8')));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it.each(files)('%s uses exactly the functions its topology entry substitutes', (file) => {
    const used = new Set([...readFileSync(join(directory, file), 'utf8').matchAll(placeholder)].map((m) => m[1]));
    const machine = stateMachines.find((m) => m.file === file)!;
    expect([...used].sort()).toEqual(Object.keys(machine.functions).sort());
  });

  it('would notice a broken definition: a transition to a state that does not exist', () => {
    const broken = { StartAt: 'First', States: { First: { Type: 'Pass', Next: 'Missing' } } };
    expect(validate(broken).isValid).toBe(false);
  });
});
