// HTTP routes of the verifications context: the systems of providers and partnerships (client-credentials token
// with scope `verify`) and their users check a workplace's recognition and identify an enterprise in KBO.
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';
import { enterpriseIdentificationQuery, recognitionVerificationQuery } from './schemas.ts';
import { enterpriseIdentificationView, recognitionVerificationView } from './views.ts';

const tags = ['Verificatie'];
/**
 * Who verifies: a provider's or partnership's system with scope `verify`, and the people of those organisations
 * who would otherwise look it up by hand. Enterprises do not: they see their own recognitions elsewhere.
 */
const verifiers = {
  kind: 'organisation',
  allow: { provider: ['counsellor', 'administrator'], partnership: ['consultant', 'votingMember', 'administrator'] },
  scopes: ['verify'],
} as const;

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/verifications/recognition',
    operationId: 'verify-recognition',
    tags,
    summary: 'Is deze vestiging erkend voor deze opleiding op deze datum: erkenningsnummer, geldigheid, status, partnerschap en vrije plaats',
    auth: verifiers,
    request: { query: recognitionVerificationQuery },
    responses: {
      200: {
        description: 'Het antwoord, ook als de vestiging onbekend, stopgezet of nooit erkend is (result zegt welk geval)',
        schema: recognitionVerificationView,
      },
    },
    handler: async (req, deps) => handlers.verifyWorkplace(req.query, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/verifications/enterprises',
    operationId: 'identify-enterprise',
    tags,
    summary:
      'Een onderneming identificeren uit de KBO: op ondernemingsnummer (optioneel enkel haar vestigingen op een postcode), of op het begin van haar naam of die van een vestiging op een postcode',
    auth: verifiers,
    request: { query: enterpriseIdentificationQuery },
    responses: {
      200: {
        description: 'De kandidaten, of geen (result unknown); ondernemingen van natuurlijke personen: bij een nummer zonder namen, bij een naam nooit',
        schema: enterpriseIdentificationView,
      },
    },
    handler: async (req, deps) => handlers.identifyEnterprise(req.query, deps),
  }),
];
