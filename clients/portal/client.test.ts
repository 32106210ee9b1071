// The committed client types are what the current OpenAPI document generates: regenerate with `npm run client`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateClientTypes, schemaFile } from './generate.ts';

describe('the portal client', () => {
  it('is generated from the current OpenAPI document (npm run client)', async () => {
    expect(readFileSync(schemaFile, 'utf8') === (await generateClientTypes()), 'clients/portal/schema.d.ts differs from the document: run npm run client').toBe(
      true,
    );
  }, 30_000);
});
