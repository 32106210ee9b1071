// Handlers of the tasks context: the dashboard and the caller's mail preferences.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { readDashboard } from '../../shared/data/tasks.ts';
import { setPreferences } from '../../shared/data/users.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import type { DashboardQuery, Preferences } from './schemas.ts';
import * as view from './views.ts';

/** The acting organisation's open tasks for the caller's roles, soonest due first, with the counts per type. */
export async function listTasks(query: DashboardQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const today = brusselsDate(deps.clock.now());
  const dashboard = await readDashboard(
    deps,
    acting.key,
    { cursor: query.cursor, limit: query.limit },
    { roles: acting.roles, type: query.type, subjectKind: query.subject, dueBefore: query.overdue === 'true' ? today : undefined },
  );
  return { status: 200, body: { items: dashboard.items.map((t) => view.task(t, today)), counts: dashboard.counts, cursor: dashboard.cursor } };
}

export async function savePreferences(preferences: Preferences, principal: Principal, deps: Dependencies): Promise<ApiResponse> {
  const profile = await setPreferences(deps, principal, preferences);
  return { status: 200, body: { dailyDigest: profile.dailyDigest } };
}
