// The KBO command-line tools' answers to a wrong argument, before they touch any stage.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../paths.ts';

const tsx = join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const run = (script: string, ...args: string[]) => spawnSync(tsx, [join(repositoryRoot, script), ...args], { encoding: 'utf8', timeout: 80_000 });

describe('npm run kbo:import', () => {
  // Starting tsx takes long on a loaded machine: the test's own limit is generous.
  it('says that a path does not exist (not only the usage line)', { timeout: 90_000 }, () => {
    const missing = '/nonexistent/KboOpenData_0001_2026_11_01_Full.zip';
    const result = run('infra/local/cli/kbo-import.ts', missing);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${missing} does not exist`);
  });
});
