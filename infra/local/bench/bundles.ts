// Minified size of every Lambda bundle, built with the same esbuild settings the CDK function construct uses.
import { build } from 'esbuild';
import { join } from 'node:path';
import { apiContexts, queues, schedules, stateMachines, type FunctionEntry } from '../../topology.ts';
import { repositoryRoot } from '../paths.ts';

export type BundleSize = { name: string; entry: string; bytes: number };

export function lambdaEntries(): { name: string; fn: FunctionEntry }[] {
  const entries = [
    ...apiContexts.map((c) => ({ name: `api-${c.name}`, fn: c.function })),
    ...queues.map((q) => ({ name: `consumer-${q.id}`, fn: q.consumer })),
    ...stateMachines.flatMap((s) => Object.entries(s.functions).map(([k, fn]) => ({ name: `${s.name}-${k}`, fn }))),
    ...schedules.flatMap((s) => ('function' in s.target ? [{ name: `schedule-${s.name}`, fn: s.target.function }] : [])),
  ];
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (seen.has(e.fn.entry)) return false;
    seen.add(e.fn.entry);
    return true;
  });
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const { name, fn } of lambdaEntries()) {
    const result = await build({
      entryPoints: [join(repositoryRoot, fn.entry)],
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      write: false,
      metafile: false,
      banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    sizes.push({ name, entry: fn.entry, bytes: result.outputFiles[0]!.contents.byteLength });
  }
  return sizes;
}
