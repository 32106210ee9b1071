// The event feed: opens the caller's cursor, reads its organisation's feed after it, answers with the next one.
// The cursor is the feed position, sealed (shared/http/cursor.ts) to this route and the acting organisation: it
// stays valid across restarts and deployments (the keyring's key does not change), for the organisation's
// systems and users alike, and a cursor of another organisation or a made-up one is a 400 naming `after`.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { readFeed } from '../../shared/data/feed.ts';
import { openCursor, sealCursor } from '../../shared/http/cursor.ts';
import { badRequest } from '../../shared/http/problem.ts';
import type { ActingOrganisation } from '../../shared/domain/organisations.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import type { EventFeedQuery } from './schemas.ts';

const scopeOf = (organisationKey: string) => JSON.stringify(['list-events', organisationKey]);

const invalidAfter = () =>
  badRequest('invalid-cursor', 'De cursor in after is ongeldig of hoort bij een andere organisatie.', [
    { in: 'query', pointer: '/after', code: 'invalid-cursor', detail: 'Gebruik de cursor next uit het vorige antwoord, of laat after weg.' },
  ]);

async function positionOf(deps: Dependencies, organisationKey: string, after: string | undefined): Promise<number> {
  if (after === undefined) return 0;
  let inner: string;
  try {
    inner = openCursor(await deps.keys.derive('cursor'), scopeOf(organisationKey), after);
  } catch {
    throw invalidAfter();
  }
  if (!/^\d{1,12}$/.test(inner)) throw invalidAfter();
  return Number(inner);
}

export async function listEvents(query: EventFeedQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const position = await positionOf(deps, acting.key, query.after);
  const page = await readFeed(deps, acting.key, position, query.limit ?? 50);
  const next = sealCursor(await deps.keys.derive('cursor'), scopeOf(acting.key), String(page.position));
  return { status: 200, body: { events: page.events, next } };
}
