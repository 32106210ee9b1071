// The OpenAPI 3.1 document, generated from the same route tables and zod schemas that validate requests.
import { feedRetentionDays } from '../domain/feed.ts';
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// Adds .openapi() to zod schemas, which the registry uses to name shared components.
extendZodWithOpenApi(z);
import type { ResponseSpec, RouteDefinition } from './route.ts';
import { clientScopes, roleLabels, scopeLabels, type AuthRule, type ClientScope } from '../domain/organisations.ts';

const organisationLabels = { enterprise: 'onderneming', provider: 'opleidingsverstrekker', partnership: 'partnerschap', department: 'departement' } as const;

/** The scopes with which a machine client may call a route: none for every route that does not name them. */
export const scopesOf = (auth: AuthRule): readonly ClientScope[] => (auth.kind === 'organisation' ? (auth.scopes ?? []) : []);

/**
 * Who may call a route, from its auth rule: the `x-roles` and `x-scopes` of the operation and a line of its
 * description. A route without scopes is for people only: a machine client's token gets 403 `scope-required`.
 */
export function rolesOf(auth: AuthRule): { xRoles: unknown; xScopes: readonly ClientScope[]; text: string } {
  if (auth.kind === 'public') return { xRoles: 'public', xScopes: [], text: 'Publiek: zonder aanmelding.' };
  if (auth.kind === 'signedIn') return { xRoles: 'signedIn', xScopes: [], text: 'Iedere aangemelde gebruiker.' };
  const entries = Object.entries(auth.allow) as [keyof typeof organisationLabels, readonly string[]][];
  const text = entries
    .map(([type, roles]) => `${organisationLabels[type]} (${roles.map((r) => roleLabels[r as keyof typeof roleLabels].toLowerCase()).join(', ')})`)
    .join('; ');
  const scopes = scopesOf(auth);
  const machines = scopes.length
    ? ` Ook systemen van een ${entries.map(([type]) => organisationLabels[type]).join(' of ')} met een client-credentials-token met scope ${scopes.join(' of ')} (zonder X-Organisation; hoogstens een aantal aanvragen per seconde, daarboven 429 met Retry-After).`
    : '';
  return {
    xRoles: Object.fromEntries(entries.map(([type, roles]) => [type, [...roles]])),
    xScopes: scopes,
    text: `Wie mag dit: ${text}. Kies de organisatie met X-Organisation.${machines}`,
  };
}

/** Every error the API answers (RFC 9457), as `Problem` in the document; the contract checker holds answers to it. */
export const problemSchema = z
  .strictObject({
    type: z.string(),
    title: z.string().describe('Nederlandstalige titel voor de gebruiker'),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stabiele Engelstalige code voor de front end'),
    errors: z
      .array(
        z.strictObject({
          in: z.enum(['body', 'query', 'path', 'header']),
          pointer: z.string(),
          code: z.string(),
          detail: z.string(),
          placeholder: z.string().optional().describe('Bij document-incomplete: de plaatshouder van het model waarvoor een waarde ontbreekt'),
        }),
      )
      .optional(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .openapi('Problem');

/** A PDF (or another non-JSON answer) is documented as bytes of its media type. */
const binaryBody = z.string().openapi({ format: 'binary' });

export type DocumentedResponse = { description: string; content?: { mediaType: string; schema: z.ZodType } };

/**
 * Every answer a route can give, by status: what its `responses` name, plus what the shared HTTP layer (api.ts)
 * answers on its own wherever it applies. The OpenAPI generator documents exactly this and the contract checker of
 * the tests (infra/local/testing/contract.ts) holds every answer to it, so the two cannot drift.
 * API Gateway's own answers (the JWT authorizer's 401, 413 over 10 MB, 429 throttling, 503 on a timeout) come
 * before any function runs, in API Gateway's `{"message"}` shape, and are not listed.
 */
export function documentedResponses(route: RouteDefinition): Map<number, DocumentedResponse> {
  const answers = new Map<number, DocumentedResponse>();
  for (const [status, spec] of Object.entries(route.responses)) {
    answers.set(Number(status), { description: spec.description, ...contentOf(Number(status), spec) });
  }
  const problem = { mediaType: problemMediaType, schema: problemSchema };
  // A case the shared layer adds to a status the route names is appended to the route's own description.
  const add = (status: number, description: string) => {
    const own = answers.get(status);
    answers.set(status, own ? { ...own, description: `${own.description}. ${description}` } : { description, content: problem });
  };
  add(400, 'Ongeldige aanvraag: errors[] noemt elk veld en de regel');
  if (route.auth.kind === 'public') add(401, 'Ongeldig token (zonder token is deze dienst publiek)');
  else {
    add(401, 'Niet aangemeld of ongeldig token');
    add(403, 'Niet toegelaten voor deze organisatie of rol');
  }
  if (route.idempotent) {
    add(409, 'Een aanvraag met dezelfde Idempotency-Key wordt nog verwerkt');
    add(422, 'Deze Idempotency-Key werd al gebruikt voor een andere aanvraag');
  }
  // Any request may carry content; api.ts refuses content of another type before it looks at the route.
  add(
    415,
    route.request.body
      ? 'De inhoud is geen application/json'
      : 'Deze aanvraag heeft geen inhoud; inhoud van een ander type dan application/json wordt geweigerd',
  );
  if (route.requiresIfMatch) {
    // The version-conflict of every context's conflict table (shared/http/conflicts.ts versionConflict).
    add(412, 'version-conflict: de versie in If-Match is niet (meer) de huidige; lees opnieuw');
    add(428, 'if-match-required: stuur de ETag van de versie die u wijzigt mee in If-Match');
  }
  if (scopesOf(route.auth).length) add(429, 'too-many-requests: dit systeem deed te veel aanvragen in deze seconde; probeer opnieuw na Retry-After');
  add(500, 'Onverwachte fout: meld ze met het correlatienummer (correlationId)');
  return new Map([...answers].sort(([a], [b]) => a - b));
}

const problemMediaType = 'application/problem+json';

function contentOf(status: number, spec: ResponseSpec): Pick<DocumentedResponse, 'content'> {
  // Every error the API answers is problem+json (RFC 9457): a route only names the case.
  if (status >= 400) return { content: { mediaType: problemMediaType, schema: problemSchema } };
  if (spec.contentType) return { content: { mediaType: spec.contentType, schema: binaryBody } };
  if (spec.schema) return { content: { mediaType: 'application/json', schema: spec.schema } };
  return {};
}

/** Every tag a route may use, in the order of the reference page, with what it groups. */
export const apiTags = [
  { name: 'Organisaties', description: 'Wie u bent, voor welke organisaties u mag handelen, en het KBO-profiel van een onderneming.' },
  { name: 'Machtigingen', description: 'De machtiging waarmee een trajectbegeleider voor een onderneming erkenningsaanvragen indient.' },
  { name: 'Documenten', description: 'Opladen (presigned POST), controleren en downloaden van documenten onder een ondoorzichtige sleutel.' },
  { name: 'Erkenningen', description: 'Erkenningsaanvragen, hun behandeling door het partnerschap, erkenningen en mentoren.' },
  { name: 'Sancties', description: 'Opheffing, intrekking van een mentor en uitsluiting door het partnerschap of het departement.' },
  { name: 'Beroep', description: 'Beroep van de onderneming tegen een afwijzing of sanctie, behandeld door het departement.' },
  { name: 'Overeenkomsten', description: 'Werkversies, controle vooraf, registratie, addenda, schorsingen en einde van overeenkomsten.' },
  { name: 'KBO-wijzigingen', description: 'Wijzigingen uit de KBO die erkenningen van een partnerschap raken, en de beslissing erover.' },
  { name: 'Dashboard', description: 'De taken van de organisatie en de voorkeur voor de dagelijkse e-mail.' },
  {
    name: 'Referentiegegevens',
    description: 'Opleidingen, partnerschappen, routering, leervergoedingen, opleidingsverstrekkers, modelovereenkomsten en postcodes.',
  },
  {
    name: 'Verificatie',
    description:
      'Voor systemen van opleidingsverstrekkers en partnerschappen (client-credentials-token met scope verify) en hun gebruikers: is een vestiging erkend voor een opleiding, en welke onderneming is dit.',
  },
  {
    name: 'Gebeurtenissen',
    description: `Voor systemen van opleidingsverstrekkers en partnerschappen (scope events:read) en hun gebruikers: de gebeurtenissen die de organisatie aangaan, als CloudEvents 1.0, in volgorde vanaf een cursor; ${feedRetentionDays} dagen bewaard.`,
  },
  {
    name: 'Webhooks',
    description:
      'Voor systemen met scope webhooks:manage (en beheerders): abonnementen op gebeurtenissen van uw organisatie, ondertekend geleverd volgens Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Enkel https naar publieke hosts. Nieuwe pogingen na 1 min, 5 min, 30 min, 1 u, 3 u, 6 u en 12 u (8 pogingen over ongeveer 23 uur), daarna mislukt en in de dead-letter-queue; het leveringslogboek blijft 30 dagen.',
  },
  { name: 'Publiek', description: 'Zonder aanmelding: erkende werkplekken met een vrije plaats.' },
];

export function generateOpenApi(routes: RouteDefinition[], options: { serverUrl?: string; version?: string; tokenUrl?: string } = {}) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Token van de aanmelddienst van de Vlaamse overheid (lokaal: npm run token -- <gebruiker>).',
  });
  const clientCredentials = registry.registerComponent('securitySchemes', 'clientCredentials', {
    type: 'oauth2',
    description:
      'Voor systemen van opleidingsverstrekkers en partnerschappen: een OAuth 2.0 client-credentials-token van de aanmelddienst, met de organisatie waarvoor het systeem handelt en zijn scopes (lokaal: npm run token -- --client <client>).',
    flows: {
      clientCredentials: {
        tokenUrl: options.tokenUrl ?? 'https://authenticatie.vlaanderen.be/op/v1/token',
        scopes: Object.fromEntries(clientScopes.map((scope) => [scope, scopeLabels[scope]])),
      },
    },
  });
  const organisationHeader = z.object({
    'x-organisation': z.string().optional().describe('De organisatie waarvoor u handelt, bv. enterprise:0417390703 (zie GET /v1/me)'),
  });

  for (const route of routes) {
    const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
    for (const [status, answer] of documentedResponses(route)) {
      responses[status] = answer.content
        ? { description: answer.description, content: { [answer.content.mediaType]: { schema: answer.content.schema } } }
        : { description: answer.description };
    }
    const headers: Record<string, z.ZodType> = {};
    if (route.idempotent) headers['idempotency-key'] = z.string().optional().describe('Een herhaalde aanvraag met dezelfde sleutel krijgt hetzelfde antwoord');
    if (route.requiresIfMatch) headers['if-match'] = z.string().describe('De ETag van de versie die u wijzigt, bv. "3"');

    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      description: rolesOf(route.auth).text,
      'x-roles': rolesOf(route.auth).xRoles,
      'x-scopes': rolesOf(route.auth).xScopes,
      tags: route.tags,
      security:
        route.auth.kind === 'public'
          ? []
          : [{ [bearer.name]: [] }, ...(scopesOf(route.auth).length ? [{ [clientCredentials.name]: [...scopesOf(route.auth)] }] : [])],
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
    // Without a stage URL the document names its own host: the API serves it at its root.
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: apiTags,
  });
}
