// The OpenAPI 3.1 document, generated from the same route tables and zod schemas that validate requests.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// Adds .openapi() to zod schemas, which the registry uses to name shared components.
extendZodWithOpenApi(z);
import type { RouteDefinition } from './route.ts';

const problemSchema = z.object({
  type: z.string(),
  title: z.string().describe('Nederlandstalige titel voor de gebruiker'),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('Stabiele Engelstalige code voor de front end'),
  errors: z.array(z.object({ in: z.enum(['body', 'query', 'path', 'header']), pointer: z.string(), code: z.string(), detail: z.string() })).optional(),
  correlationId: z.string().optional(),
});

export function generateOpenApi(routes: RouteDefinition[], options: { serverUrl?: string; version?: string } = {}) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Token van de aanmelddienst van de Vlaamse overheid (lokaal: npm run token -- <gebruiker>).',
  });
  const problem = registry.register('Problem', problemSchema);
  const organisationHeader = z.object({
    'x-organisation': z.string().optional().describe('De organisatie waarvoor u handelt, bv. enterprise:0417390703 (zie GET /v1/me)'),
  });

  for (const route of routes) {
    const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = spec.schema
        ? { description: spec.description, content: { 'application/json': { schema: spec.schema } } }
        : { description: spec.description };
    }
    const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
    responses['400'] ??= problemResponse('Ongeldige aanvraag: errors[] noemt elk veld en de regel');
    if (route.auth.kind !== 'public') {
      responses['401'] ??= problemResponse('Niet aangemeld of ongeldig token');
      responses['403'] ??= problemResponse('Niet toegelaten voor deze organisatie of rol');
    }
    const headers: Record<string, z.ZodType> = {};
    if (route.idempotent) headers['idempotency-key'] = z.string().optional().describe('Een herhaalde aanvraag met dezelfde sleutel krijgt hetzelfde antwoord');
    if (route.requiresIfMatch) headers['if-match'] = z.string().describe('De ETag van de versie die u wijzigt, bv. "3"');

    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      security: route.auth.kind === 'public' ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(route.request.params ? { params: route.request.params as z.ZodObject } : {}),
        ...(route.request.query ? { query: route.request.query as z.ZodObject } : {}),
        headers: route.auth.kind === 'public' ? z.object(headers) : organisationHeader.extend(headers),
        ...(route.request.body ? { body: { content: { 'application/json': { schema: route.request.body } } } } : {}),
      },
      responses,
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'werkplekduaal API',
      version: options.version ?? '1.0.0',
      description: 'De API achter het digitale loket duaal leren: erkenningen, overeenkomsten, KBO-synchronisatie en taken.',
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  });
}
