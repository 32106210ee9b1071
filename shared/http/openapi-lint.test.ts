// The OpenAPI document, generated from every route table, passes the committed Redocly ruleset (redocly.yaml):
// problem+json for every error, tags with descriptions, who may call each operation, no unused components.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../infra/constructs/function.ts';
import { writeOpenApi } from '../../infra/local/cli/openapi.ts';

const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the OpenAPI document', () => {
  it('passes the committed Redocly ruleset without a problem', async () => {
    const file = writeOpenApi(join(dir, 'openapi.json'));
    const redocly = join(repositoryRoot, 'node_modules', '.bin', 'redocly');
    const result = await promisify(execFile)(
      redocly,
      ['lint', file, '--config', join(repositoryRoot, 'redocly.yaml'), '--format', 'json', '--max-problems', '1000'],
      {
        cwd: repositoryRoot,
        // No telemetry or update check from a test (the machine has no internet either).
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
    const report = JSON.parse(result.stdout) as { problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  }, 60_000);
});
