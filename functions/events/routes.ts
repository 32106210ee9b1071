// HTTP routes of the event feed: the systems of providers and partnerships (client-credentials token with scope
// `events:read`) and their users read the events that concern their organisation, in order, from a cursor.
import { feedRetentionDays } from '../../shared/domain/feed.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';
import * as handlers from './handlers.ts';
import { eventFeedQuery } from './schemas.ts';
import { eventFeedView } from './views.ts';

const tags = ['Gebeurtenissen'];
/** The organisations with a feed: providers (their learners' agreements and workplaces) and partnerships (their recognitions). */
const readers = {
  kind: 'organisation',
  allow: { provider: ['counsellor', 'administrator'], partnership: ['consultant', 'votingMember', 'administrator'] },
  scopes: ['events:read'],
} as const;

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    operationId: 'list-events',
    tags,
    summary: 'De gebeurtenissen die de organisatie aangaan, in volgorde, als CloudEvents 1.0, vanaf een cursor',
    auth: readers,
    request: { query: eventFeedQuery },
    responses: {
      200: {
        description: [
          'De volgende gebeurtenissen (hoogstens limit) en de cursor om verder te lezen.',
          'Een opleidingsverstrekker ziet die van de overeenkomsten waarin hij partij is en van de erkenningen van de vestigingen waar hij een lopende overeenkomst heeft;',
          'een partnerschap die van zijn erkenningen en van zijn beslissingen over KBO-wijzigingen; niemand die van een andere organisatie.',
          'Een gebeurtenis komt nooit later vóór een gegeven cursor bij. Zelden komt een gebeurtenis twee keer voor, met hetzelfde id.',
          `Bewaring: ${feedRetentionDays} dagen; wie langer niet leest, mist wat ouder is.`,
        ].join(' '),
        schema: eventFeedView,
      },
    },
    handler: async (req, deps) => handlers.listEvents(req.query, req.acting!, deps),
  }),
];
