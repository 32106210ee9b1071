// The esbuild settings of every Lambda bundle, in one place: AppFunction hands them to CDK's NodejsFunction
// (function.ts), and the bench (infra/local/bench/bundles.ts) builds with them to measure sizes and cold starts.
import { fileURLToPath } from 'node:url';

export const bundling = {
  format: 'esm',
  target: 'node24',
  /**
   * ESM first: packages that ship both builds (the AWS SDK, pdf-lib, date-fns) are tree-shaken from their ES
   * modules; esbuild's default for Node takes `main` (CommonJS) first, which keeps whole packages.
   */
  mainFields: ['module', 'main'],
  minify: true,
  treeShaking: true,
  /** Source maps next to the bundle, without the sources' content: stack traces name the TypeScript lines. */
  sourcemap: true,
  sourcesContent: false,
  /** Some CommonJS dependencies call require(); an ESM bundle has to provide it. */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /** Lambda's credentials are in the environment: the SDK's default chain shrinks to its first link (see the file). */
  alias: { '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../../shared/adapters/lambda-credentials.ts', import.meta.url)) },
} as const;

/** Stack traces through the source maps: they name the TypeScript lines instead of the minified bundle's. */
export const sourceMapsFlag = '--enable-source-maps';

/** A function's NODE_OPTIONS: the source maps and the V8 flags its topology entry asks for. */
export const nodeOptionsFor = (entry: { nodeOptions?: string }): string => [sourceMapsFlag, entry.nodeOptions].filter(Boolean).join(' ');
