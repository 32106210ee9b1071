// Generates the portal's typed client types (clients/portal/schema.d.ts) from the OpenAPI document the route
// tables produce: `npm run client`. A test (client.test.ts) fails when the committed file no longer matches the
// document, so the client never drifts from the API.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS from 'openapi-typescript';
import { generateOpenApi } from '../../shared/http/openapi.ts';
import { allRoutes } from '../../infra/topology.ts';

export const schemaFile = join(import.meta.dirname, 'schema.d.ts');

export async function generateClientTypes(): Promise<string> {
  const document = generateOpenApi(allRoutes().map((r) => r.route));
  return openapiTS(document as never, { exportType: false });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(schemaFile, await generateClientTypes());
  console.log(schemaFile);
}
