// The API reference page of the local stage (/docs): Scalar's standalone bundle, served from node_modules (the
// local stage has no internet: no CDN, no web fonts, no proxy), rendering /openapi.json with navigation by tag,
// an example request and response per operation, and per operation who may call it (the x-roles the OpenAPI
// document carries from each route's auth rule).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Scalar's browser bundle, read once. */
let bundle: Buffer | undefined;
export function scalarBundle(): Buffer {
  // The package exports no browser path: its main entry is dist/index.js, the standalone bundle dist/browser/.
  bundle ??= readFileSync(join(dirname(require.resolve('@scalar/api-reference')), 'browser', 'standalone.js'));
  return bundle;
}

export const docsScriptPath = '/docs/scalar.js';

export function renderDocsPage(title: string): string {
  const configuration = {
    url: '/openapi.json',
    // Everything from this stage: no fonts, proxy or telemetry from scalar.com.
    withDefaultFonts: false,
    hideClientButton: true,
    showDeveloperTools: 'never',
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    defaultOpenAllTags: true,
    layout: 'modern',
  };
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<>&"]/g, '')}</title>
<style>body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}</style>
</head>
<body>
<div id="app"></div>
<script src="${docsScriptPath}"></script>
<script>Scalar.createApiReference('#app', ${JSON.stringify(configuration)});</script>
</body>
</html>`;
}
