// The dashboard: open tasks of the acting organisation for the caller's roles, soonest due first.
import { z } from 'zod';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { listOpenTasks } from '../../shared/data/tasks.ts';
import { daysRemaining } from '../../shared/domain/tasks.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';

export const routes: RouteDefinition[] = [
  defineRoute({
    method: 'GET', path: '/v1/tasks', operationId: 'list-tasks', tags: ['Dashboard'],
    summary: 'Open taken van de organisatie waarvoor u handelt, voor uw rollen, met de dagen resterend',
    auth: { kind: 'organisation', allow: { enterprise: ['legalRepresentative', 'user'], provider: ['counsellor', 'administrator'], partnership: ['consultant', 'votingMember', 'administrator'], department: ['administrator'] } },
    request: { query: z.strictObject({ cursor: z.string().max(2048).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }) },
    responses: { 200: { description: 'Een pagina open taken' } },
    handler: async (req, deps) => {
      const acting = req.acting!;
      const page = await listOpenTasks(deps, acting.key, req.query);
      const today = brusselsDate(deps.clock.now());
      const items = page.items.filter((t) => t.roles.some((r) => (acting.roles as string[]).includes(r))).map((t) => ({ ...t, daysRemaining: daysRemaining(t.dueDate, today) }));
      return { status: 200, body: { items, cursor: page.cursor } };
    },
  }),
];
