// The dashboard: open tasks of the acting organisation for the caller's roles, soonest due first, with the
// days remaining ("Dagen resterend") and the counts per type. One Query on the open-task index (roles, type and
// subject kind as a filter, overdue as a key condition) plus one GetItem of the organisation's counter.
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';
import { dashboardQuery, preferencesBody } from './schemas.ts';
import { dashboardView, preferencesView } from './views.ts';

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/tasks',
    operationId: 'list-tasks',
    tags: ['Dashboard'],
    summary: 'Open taken van de organisatie waarvoor u handelt, voor uw rollen, met de dagen resterend en het aantal per soort',
    auth: {
      kind: 'organisation',
      allow: {
        enterprise: ['legalRepresentative', 'user'],
        provider: ['counsellor', 'administrator'],
        partnership: ['consultant', 'votingMember', 'administrator'],
        department: ['administrator'],
      },
    },
    request: { query: dashboardQuery },
    responses: {
      200: {
        description:
          'Een pagina open taken (daysRemaining = "Dagen resterend", negatief wanneer over termijn), het aantal open taken per soort en de cursor van de volgende pagina',
        schema: dashboardView,
      },
    },
    handler: async (req, deps) => handlers.listTasks(req.query, req.acting!, deps),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/me/preferences',
    operationId: 'set-preferences',
    tags: ['Dashboard'],
    summary: 'Uw voorkeuren: het dagelijkse overzicht van nieuwe taken en taken over termijn per e-mail (aan of uit)',
    auth: { kind: 'signedIn' },
    request: { body: preferencesBody },
    responses: { 200: { description: 'De opgeslagen voorkeuren', schema: preferencesView } },
    handler: async (req, deps) => handlers.savePreferences(req.body, req.principal!, deps),
  }),
];
