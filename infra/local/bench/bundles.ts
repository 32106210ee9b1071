// Every Lambda bundle, built with the esbuild settings the CDK function construct uses (infra/constructs/bundling.ts):
// its minified size and the three largest contributors, from esbuild's metafile.
import { build, type Metafile } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundling } from '../../constructs/bundling.ts';
import { apiContexts, queues, schedules, stateMachines, type FunctionEntry } from '../../topology.ts';
import { repositoryRoot } from '../paths.ts';

export type Contributor = { name: string; bytes: number };
export type BundleSize = { name: string; entry: string; bytes: number; contributors: Contributor[] };

/** One function per entry file, named as the stacks name it (state machine tasks sharing a file count once). */
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

/** A package under node_modules, or a folder of ours (`shared/http`, `functions/tasks`). */
function contributorOf(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return inPackage ? inPackage[1]! : input.split('/').slice(0, 2).join('/');
}

/** The largest contributors to one output file, by the bytes each puts into it. */
export function largestContributors(metafile: Metafile, count: number): Contributor[] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!;
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = contributorOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes]
    .map(([name, size]) => ({ name, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

/** Builds one entry as CDK does; with `outDir` it writes `index.mjs` and its source map there. */
export async function buildBundle(entry: string, outDir?: string): Promise<{ bytes: number; metafile: Metafile }> {
  if (outDir) mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(repositoryRoot, entry)],
    bundle: true,
    platform: 'node',
    format: bundling.format,
    target: bundling.target,
    mainFields: [...bundling.mainFields],
    minify: bundling.minify,
    treeShaking: bundling.treeShaking,
    sourcemap: bundling.sourcemap,
    sourcesContent: bundling.sourcesContent,
    banner: { js: bundling.banner },
    alias: { ...bundling.alias },
    outfile: join(outDir ?? repositoryRoot, 'index.mjs'),
    write: outDir !== undefined,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint !== undefined)!;
  return { bytes: output[1].bytes, metafile: result.metafile };
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const { name, fn } of lambdaEntries()) {
    const { bytes, metafile } = await buildBundle(fn.entry);
    sizes.push({ name, entry: fn.entry, bytes, contributors: largestContributors(metafile, 3) });
  }
  return sizes;
}
