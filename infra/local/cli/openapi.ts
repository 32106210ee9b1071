// Writes the OpenAPI document, generated from the route tables, to a file (default .local/openapi.json): for the
// linter, the typed client's generator and anyone who wants the contract without starting the stage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateOpenApi } from '../../../shared/http/openapi.ts';
import { allRoutes } from '../../topology.ts';
import { localPaths } from '../paths.ts';

export const openApiFile = resolve(localPaths.root, 'openapi.json');

export function writeOpenApi(file = openApiFile): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(generateOpenApi(allRoutes().map((r) => r.route)), null, 2)}\n`);
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(writeOpenApi(process.argv[2] ? resolve(process.argv[2]) : undefined));
