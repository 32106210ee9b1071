// The layers, checked on the source: no table key is written outside shared/data/keys.ts, the domain and the
// data layer never import the HTTP layer, and no API handler is longer than 40 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../infra/constructs/function.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repositoryRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
const all = ['functions', 'shared', 'infra', 'events', 'state-machines', 'reference-data'].flatMap(sourceFiles);
/** The code without its comments: comments may name keys to explain them. */
const code = (file: string) =>
  readFileSync(join(repositoryRoot, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');

const keysModule = 'shared/data/keys.ts';
/** The key prefixes keys.ts builds (`ENT#`, `APP#`, ...), read from keys.ts itself. */
const prefixes = [...new Set([...code(keysModule).matchAll(/[`'"]([A-Z]{2,})#/g)].map((m) => m[1]!))];

describe('the layers', () => {
  it('builds every table key in shared/data/keys.ts only', () => {
    expect(prefixes.length).toBeGreaterThan(20);
    const literal = new RegExp(`[\`'"](${prefixes.join('|')})#`);
    const offenders = all
      .filter((file) => file !== keysModule)
      .flatMap((file) =>
        code(file)
          .split('\n')
          .map((line, i) => ({ file, line: i + 1, text: line.trim() })),
      )
      .filter(({ text }) => literal.test(text))
      .map(({ file, line, text }) => `${file}:${line} ${text.slice(0, 120)}`);
    expect(offenders).toEqual([]);
  });

  it('keeps the domain and the data layer free of HTTP', () => {
    const offenders = all
      .filter((file) => (file.startsWith('shared/domain/') || file.startsWith('shared/data/')) && !file.endsWith('.test.ts'))
      .filter((file) => /from '\.\.\/http\//.test(code(file)));
    expect(offenders).toEqual([]);
  });

  it('has no API handler over 40 lines', () => {
    const long: string[] = [];
    let checked = 0;
    for (const routes of all.filter((file) => /^functions\/[^/]+\/([\w-]+-)?routes\.ts$/.test(file))) {
      const dir = routes.slice(0, routes.lastIndexOf('/'));
      const modules = [...code(routes).matchAll(/import \* as \w+ from '\.\/([\w-]+\.ts)'/g)].map((m) => join(dir, m[1]!));
      for (const module of modules) {
        const lines = readFileSync(join(repositoryRoot, module), 'utf8').split('\n');
        lines.forEach((text, start) => {
          const found = /^export (async )?function (\w+)/.exec(text);
          if (!found) return;
          const end = lines.findIndex((l, i) => i > start && l === '}');
          checked += 1;
          if (end - start + 1 > 40) long.push(`${relative('.', module)} ${found[2]}: ${end - start + 1} lines`);
        });
      }
    }
    expect(long).toEqual([]);
    // Not vacuous: the handler modules of every route table were read.
    expect(checked).toBeGreaterThan(50);
  });
});
