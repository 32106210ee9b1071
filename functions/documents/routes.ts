// HTTP routes of the documents context.
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';
import { documentIdParams as documentId, uploadRequestBody } from './schemas.ts';
import { documentView, documentWithDownloadView, uploadView } from './views.ts';

const anyOrganisation = {
  kind: 'organisation',
  allow: {
    enterprise: ['legalRepresentative', 'user'],
    provider: ['counsellor', 'administrator'],
    partnership: ['consultant', 'votingMember', 'administrator'],
    department: ['administrator'],
  },
} as const;
const tags = ['Documenten'];

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/documents',
    operationId: 'request-document-upload',
    tags,
    summary: 'Een document opladen: geeft een voorgetekende POST (maximale grootte en type vast) voor een nieuwe, anonieme sleutel',
    auth: anyOrganisation,
    idempotent: true,
    request: { body: uploadRequestBody },
    responses: { 201: { description: 'Het document (nog niet gecontroleerd) en de upload-URL met velden', schema: uploadView } },
    handler: async (req, deps) => handlers.requestUpload(req.body, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/documents/{id}/complete',
    operationId: 'complete-document-upload',
    tags,
    summary: 'Na de upload: controleert grootte en bestandstype (PDF, JPEG, PNG) voor het document gebruikt kan worden',
    auth: anyOrganisation,
    request: { params: documentId },
    responses: {
      200: { description: 'Gecontroleerd', schema: documentView },
      404: { description: 'Onbekend of geen toegang' },
      409: { description: 'Intussen al gecontroleerd' },
      422: { description: 'Ontbrekend, te groot, leeg of geen PDF/JPEG/PNG' },
    },
    handler: async (req, deps) => handlers.completeUpload(req.params.id, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/documents/{id}',
    operationId: 'get-document',
    tags,
    summary: 'Gegevens van een document en een kortlevende downloadlink, voor wie het dossier mag zien',
    auth: anyOrganisation,
    request: { params: documentId },
    responses: { 200: { description: 'Het document', schema: documentWithDownloadView }, 404: { description: 'Onbekend of geen toegang' } },
    handler: async (req, deps) => handlers.readDocument(req.params.id, req.acting, deps),
  }),
];
