// HTTP routes of the agreement and addendum PDFs. They have their own function (documents-lambda.ts): pdf-lib and
// its fonts are a third of a bundle, and no other route of the context needs them.
import * as z from 'zod';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import { ulidId } from '../../shared/http/fields.ts';
import * as documents from './document.ts';
import { idParam, parties, tags } from './route-rules.ts';

export const documentRoutes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/agreements/{id}/document',
    operationId: 'get-agreement-document',
    tags,
    summary:
      'De overeenkomst als PDF op de modelovereenkomst die vandaag geldt (een werkversie met watermerk), met handtekeningvakken; de trajectbegeleider krijgt het exemplaar om te ondertekenen, de onderneming een afschrift ter informatie met het rijksregisternummer gemaskeerd',
    auth: parties,
    request: { params: idParam },
    responses: {
      200: { description: 'De overeenkomst als PDF', contentType: 'application/pdf' },
      404: { description: 'Onbekend of geen toegang' },
      422: {
        description:
          'document-incomplete: errors[] noemt elk gegeven dat het model vraagt en de overeenkomst niet heeft (bv. /learningAllowance); no-agreement-model: vandaag geen model van kracht',
      },
    },
    handler: async (req, deps) => documents.agreementDocument(req.params.id, req.acting, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/agreements/{id}/addenda/{number}/document',
    operationId: 'get-addendum-document',
    tags,
    summary: 'Het vooraf ingevulde addendum als PDF, om te laten ondertekenen (de onderneming krijgt een afschrift ter informatie, zoals bij de overeenkomst)',
    auth: parties,
    request: { params: z.strictObject({ id: ulidId, number: z.coerce.number().int().min(1).max(999) }) },
    responses: {
      200: { description: 'Het addendum als PDF', contentType: 'application/pdf' },
      404: { description: 'Onbekende overeenkomst of onbekend addendum, of geen toegang' },
      422: { description: 'document-incomplete: errors[] noemt elk ontbrekend gegeven; no-agreement-model: vandaag geen model van kracht' },
    },
    handler: async (req, deps) => documents.addendumDocument(req.params.id, req.params.number, req.acting, deps),
  }),
];
