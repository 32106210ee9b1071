// HTTP routes of the documents context.
import * as z from 'zod';
import { allDocumentKinds, contentTypes, maxDocumentBytes } from '../../shared/domain/documents.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import { singleLine, ulidId } from '../../shared/http/fields.ts';
import * as handlers from './handlers.ts';

const anyOrganisation = {
  kind: 'organisation',
  allow: {
    enterprise: ['legalRepresentative', 'user'],
    provider: ['counsellor', 'administrator'],
    partnership: ['consultant', 'votingMember', 'administrator'],
    department: ['administrator'],
  },
} as const;
const documentId = z.strictObject({ id: ulidId });
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
    request: {
      body: z.strictObject({
        kind: z.enum(allDocumentKinds),
        contentType: z.enum(contentTypes),
        sizeBytes: z.number().int().min(1).max(maxDocumentBytes),
        label: singleLine({ max: 120 }),
      }),
    },
    responses: { 201: { description: 'Het document (nog niet gecontroleerd) en de upload-URL met velden' } },
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
    responses: { 200: { description: 'Gecontroleerd' }, 422: { description: 'Ontbrekend, te groot, leeg of geen PDF/JPEG/PNG' } },
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
    responses: { 200: { description: 'Het document' }, 404: { description: 'Onbekend of geen toegang' } },
    handler: async (req, deps) => handlers.readDocument(req.params.id, req.acting, deps),
  }),
];
