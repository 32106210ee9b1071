// The dashboard: open tasks of the acting organisation for the caller's roles, soonest due first, with the
// days remaining ("Dagen resterend") and the counts per type. One Query on the open-task index (roles, type and
// subject kind as a filter, overdue as a key condition) plus one GetItem of the organisation's counter.
import * as z from 'zod';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { countOpenTasks, listOpenTasks } from '../../shared/data/tasks.ts';
import { setPreferences } from '../../shared/data/users.ts';
import { daysRemaining, taskSubjectKinds, taskTypes, type TaskType } from '../../shared/domain/tasks.ts';
import { defineRoute, type RouteDefinition } from '../../shared/http/route.ts';

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
    request: {
      query: z.strictObject({
        cursor: z.string().max(2048).optional(),
        limit: z.coerce.number().int().min(1).max(100).optional(),
        type: z.enum(Object.keys(taskTypes) as [TaskType, ...TaskType[]]).optional(),
        overdue: z.enum(['true', 'false']).optional(),
        subject: z.enum(taskSubjectKinds).optional(),
      }),
    },
    responses: {
      200: {
        description:
          'Een pagina open taken (daysRemaining = "Dagen resterend", negatief wanneer over termijn), het aantal open taken per soort en de cursor van de volgende pagina',
      },
    },
    handler: async (req, deps) => {
      const acting = req.acting!;
      const roles = acting.roles as string[];
      const today = brusselsDate(deps.clock.now());
      const [page, counts] = await Promise.all([
        listOpenTasks(
          deps,
          acting.key,
          { cursor: req.query.cursor, limit: req.query.limit },
          {
            roles,
            type: req.query.type,
            subjectKind: req.query.subject,
            dueBefore: req.query.overdue === 'true' ? today : undefined,
          },
        ),
        countOpenTasks(deps, acting.key, roles),
      ]);
      const items = page.items.map((t) => ({ ...t, daysRemaining: daysRemaining(t.dueDate, today) }));
      return { status: 200, body: { items, counts, cursor: page.cursor } };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/me/preferences',
    operationId: 'set-preferences',
    tags: ['Dashboard'],
    summary: 'Uw voorkeuren: het dagelijkse overzicht van nieuwe taken en taken over termijn per e-mail (aan of uit)',
    auth: { kind: 'signedIn' },
    request: { body: z.strictObject({ dailyDigest: z.boolean() }) },
    responses: { 200: { description: 'De opgeslagen voorkeuren' } },
    handler: async (req, deps) => {
      const profile = await setPreferences(deps, req.principal!, req.body);
      return { status: 200, body: { dailyDigest: profile.dailyDigest } };
    },
  }),
];
