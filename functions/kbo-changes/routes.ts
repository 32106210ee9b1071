// HTTP routes of the kbo-changes context: the partnership reviews the KBO changes that touch its recognitions.
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';
import { changeIdParam, changeListQuery, decisionBody, extractNumberParam } from './schemas.ts';
import { kboChangePage, kboChangeView, kboReportView } from './views.ts';

const tags = ['KBO-wijzigingen'];
const staff = { kind: 'organisation', allow: { partnership: ['consultant', 'votingMember', 'administrator'] } } as const;
// The beheerder handles recognitions and their revocation (as for sanctions).
const administrator = { kind: 'organisation', allow: { partnership: ['administrator'] } } as const;
// The files themselves are nobody's but the department's, which runs the sync (ops).
const department = { kind: 'organisation', allow: { department: ['administrator'] } } as const;

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/kbo-changes',
    operationId: 'list-kbo-changes',
    tags,
    summary: 'KBO-wijzigingen (adres, stopzetting, naam, overdracht) die erkenningen van uw partnerschap raken',
    auth: staff,
    request: { query: changeListQuery },
    responses: { 200: { description: 'Een pagina wijzigingen, oudste eerst', schema: kboChangePage } },
    handler: async (req, deps) => handlers.list(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/kbo-changes/{id}',
    operationId: 'get-kbo-change',
    tags,
    summary: 'Eén KBO-wijziging met oud en nieuw adres of naam, de geraakte erkenningen en de mogelijke beslissingen',
    auth: staff,
    request: { params: changeIdParam },
    responses: { 200: { description: 'De wijziging', schema: kboChangeView }, 404: { description: 'Onbekend of van een ander partnerschap' } },
    handler: async (req, deps) => handlers.read(req.params.id, req.acting!, deps),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/kbo-changes/{id}/decision',
    operationId: 'decide-kbo-change',
    tags,
    summary: 'Beslissen: de erkenningen behouden (op het nieuwe adres) of opheffen; sluit de taak en verwittigt de onderneming',
    auth: administrator,
    requiresIfMatch: true,
    request: { params: changeIdParam, body: decisionBody },
    responses: {
      200: { description: 'Beslist (een herhaling van dezelfde beslissing geeft hetzelfde antwoord)', schema: kboChangeView },
      404: { description: 'Onbekend of van een ander partnerschap' },
      409: { description: 'Al anders beslist (invalid-transition), of een erkenning werd intussen gewijzigd (kbo-change-changed)' },
      422: { description: 'Deze beslissing kan niet voor deze wijziging' },
    },
    handler: async (req, deps) => handlers.decide(req.params.id, req.body, req.ifMatch!, req.principal!, req.acting!, deps),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/kbo-extracts/{extractNumber}/report',
    operationId: 'get-kbo-extract-report',
    tags,
    summary: 'Het verslag van één verwerkt KBO-bestand: rijen per bestand, geweigerde rijen, gevonden wijzigingen (leeg: in de pas met KBO)',
    auth: department,
    request: { params: extractNumberParam },
    responses: {
      200: { description: 'Het verslag, zoals het naast het bestand in de KBO-inbox staat', schema: kboReportView },
      404: { description: 'Dat extract werd niet (volledig) verwerkt (report-not-found)' },
    },
    handler: async (req, deps) => handlers.report(req.params.extractNumber, deps),
  }),
];
