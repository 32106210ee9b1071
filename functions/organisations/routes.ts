// HTTP routes of the organisations context. The Lambda's router, the CDK HTTP API and the local stage read this list.
import * as z from 'zod';
import { referenceKinds, type ReferenceKind } from '../../shared/domain/reference.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import { enterpriseNumberParam, mandateParams, pageQuery, referenceIdParams, registerMandateBody } from './schemas.ts';
import { enterpriseProfileView, mandatePage, mandateView, meView, referenceRecordPage, referenceRecordView } from './views.ts';
import * as handlers from './handlers.ts';
import * as mandates from './mandates.ts';

const departmentOnly = { kind: 'organisation', allow: { department: ['administrator'] } } as const;

const referenceRoutes = (kind: ReferenceKind): RouteDefinition[] => {
  const schema = referenceKinds[kind].schema;
  const record = referenceRecordView(kind);
  const tags = ['Referentiegegevens'];
  return [
    defineRoute({
      method: 'GET',
      path: `/v1/reference/${kind}`,
      operationId: `list-${kind}`,
      tags,
      summary: `Lijst van ${referenceKinds[kind].label}en`,
      auth: { kind: 'signedIn' },
      request: { query: pageQuery },
      responses: { 200: { description: 'Een pagina records met een cursor naar de volgende', schema: referenceRecordPage(kind) } },
      handler: async (req, deps) => handlers.listReferenceRecords(kind, req.query, deps),
    }),
    defineRoute({
      method: 'GET',
      path: `/v1/reference/${kind}/{id}`,
      operationId: `get-${kind}`,
      tags,
      summary: `Eén ${referenceKinds[kind].label}, met ETag`,
      auth: { kind: 'signedIn' },
      request: { params: referenceIdParams },
      responses: { 200: { description: 'Het record, met versie en tijdstip van de laatste wijziging', schema: record }, 404: { description: 'Onbekend id' } },
      handler: async (req, deps) => handlers.getReferenceRecord(kind, req.params.id, deps),
    }),
    defineRoute({
      method: 'POST',
      path: `/v1/reference/${kind}`,
      operationId: `create-${kind}`,
      tags,
      summary: `Nieuwe ${referenceKinds[kind].label} (departement)`,
      auth: departmentOnly,
      idempotent: true,
      request: { body: schema },
      responses: { 201: { description: 'Aangemaakt', schema: record }, 409: { description: 'Het id bestaat al' } },
      handler: async (req, deps) => handlers.createReferenceRecord(kind, req.body, req.principal!, deps),
    }),
    defineRoute({
      method: 'PUT',
      path: `/v1/reference/${kind}/{id}`,
      operationId: `replace-${kind}`,
      tags,
      summary: `${referenceKinds[kind].label} wijzigen (departement, met If-Match)`,
      auth: departmentOnly,
      requiresIfMatch: true,
      request: { params: referenceIdParams, body: schema },
      responses: {
        200: { description: 'Gewijzigd', schema: record },
        404: { description: 'Onbekend id' },
      },
      handler: async (req, deps) => handlers.replaceReferenceRecord(kind, req.params.id, req.body, req.ifMatch!, req.principal!, deps),
    }),
  ];
};

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/me',
    operationId: 'get-me',
    tags: ['Organisaties'],
    summary: 'De aangemelde gebruiker en de organisaties waarvoor hij mag handelen, met rollen',
    auth: { kind: 'signedIn' },
    request: {},
    responses: { 200: { description: 'Gebruiker en organisaties', schema: meView } },
    handler: async (req, deps) => handlers.getMe(req.principal!, req.acting, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/enterprises/{enterpriseNumber}',
    operationId: 'get-enterprise',
    tags: ['Organisaties'],
    summary: 'Profiel van een onderneming met haar vestigingen (namen, adressen, regio, KBO-status)',
    auth: {
      kind: 'organisation',
      allow: {
        enterprise: ['legalRepresentative', 'user'],
        provider: ['counsellor', 'administrator'],
        partnership: ['consultant', 'votingMember', 'administrator'],
        department: ['administrator'],
      },
    },
    request: { params: z.strictObject({ enterpriseNumber: enterpriseNumberParam }) },
    responses: { 200: { description: 'Het profiel', schema: enterpriseProfileView }, 404: { description: 'Onbekende onderneming' } },
    handler: async (req, deps) => handlers.getEnterprise(req.params.enterpriseNumber, req.acting, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/mandates',
    operationId: 'register-mandate',
    tags: ['Machtigingen'],
    summary:
      'Een opleidingsverstrekker registreert de ondertekende machtiging van een onderneming (document eerst opladen). De machtiging wacht op bevestiging door de wettelijk vertegenwoordiger; de onderneming krijgt meteen een e-mail en een taak. Tot dan ziet de trajectbegeleider alleen de aanvragen die hij zelf indiende',
    auth: { kind: 'organisation', allow: { provider: ['counsellor', 'administrator'] } },
    idempotent: true,
    request: { body: registerMandateBody },
    responses: {
      201: { description: 'Geregistreerd, wacht op bevestiging', schema: mandateView },
      409: { description: 'Er is al een machtiging die wacht op bevestiging of bevestigd is' },
      422: { description: 'Onbekende onderneming of geen gecontroleerd machtigingsdocument' },
    },
    handler: async (req, deps) => mandates.registerMandateForProvider(req.body, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/mandates',
    operationId: 'list-mandates',
    tags: ['Machtigingen'],
    summary: 'Machtigingen: voor een onderneming die in haar naam gegeven zijn, voor een opleidingsverstrekker die ze kreeg',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], provider: ['counsellor', 'administrator'] } },
    request: { query: pageQuery },
    responses: { 200: { description: 'Een pagina machtigingen', schema: mandatePage } },
    handler: async (req, deps) => mandates.listMandatesFor(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/mandates/{enterpriseNumber}/{providerId}',
    operationId: 'get-mandate',
    tags: ['Machtigingen'],
    summary: 'Eén machtiging, met wat ze toelaat (de onderneming, de opleidingsverstrekker, het departement)',
    auth: {
      kind: 'organisation',
      allow: { enterprise: ['legalRepresentative', 'user'], provider: ['counsellor', 'administrator'], department: ['administrator'] },
    },
    request: { params: mandateParams },
    responses: { 200: { description: 'De machtiging', schema: mandateView }, 404: { description: 'Onbekend of geen toegang' } },
    handler: async (req, deps) => mandates.readMandate(req.params.enterpriseNumber, req.params.providerId, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/mandates/{enterpriseNumber}/{providerId}/confirm',
    operationId: 'confirm-mandate',
    tags: ['Machtigingen'],
    summary:
      'De wettelijk vertegenwoordiger bevestigt de machtiging: de opleidingsverstrekker mag dan ook de andere aanvragen van de onderneming zien en wijzigen',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative'] } },
    requiresIfMatch: true,
    request: { params: mandateParams, body: z.strictObject({}).optional() },
    responses: {
      200: { description: 'Bevestigd', schema: mandateView },
      404: { description: 'Geen machtiging' },
      409: { description: 'Wacht niet (meer) op bevestiging' },
    },
    handler: async (req, deps) =>
      mandates.changeMandateByEnterprise(
        'confirm',
        { enterpriseDigits: req.params.enterpriseNumber, providerId: req.params.providerId, expectedVersion: req.ifMatch! },
        req.principal!,
        req.acting!,
        deps,
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/mandates/{enterpriseNumber}/{providerId}/revoke',
    operationId: 'revoke-mandate',
    tags: ['Machtigingen'],
    summary: 'De onderneming trekt een machtiging in; elke toegang van de opleidingsverstrekker eindigt meteen',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'] } },
    requiresIfMatch: true,
    request: { params: mandateParams, body: z.strictObject({}).optional() },
    responses: { 200: { description: 'Ingetrokken', schema: mandateView }, 404: { description: 'Geen machtiging' }, 409: { description: 'Al beëindigd' } },
    handler: async (req, deps) =>
      mandates.changeMandateByEnterprise(
        'revoke',
        { enterpriseDigits: req.params.enterpriseNumber, providerId: req.params.providerId, expectedVersion: req.ifMatch! },
        req.principal!,
        req.acting!,
        deps,
      ),
  }),
  ...(Object.keys(referenceKinds) as ReferenceKind[]).flatMap(referenceRoutes),
];
