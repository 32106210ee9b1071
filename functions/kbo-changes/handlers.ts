// The partnership's review of KBO changes: its list, one change with its recognitions, and the decision.
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { decideChange, getOwnChange, listChanges } from '../../shared/data/kbo-changes.ts';
import { getReport } from '../../shared/data/kbo-reports.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import type { Recognition } from '../../shared/data/recognitions.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { readActor } from '../../shared/data/users.ts';
import { describeChange, formatAddress, type KboChange } from '../../shared/domain/kbo-changes.ts';
import { changeTaskId } from '../../shared/domain/kbo-tasks.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import { unwrap } from '../../shared/http/conflicts.ts';
import { notFound } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { decisionConflicts, readConflicts } from './conflicts.ts';
import type { ChangeListQuery, DecisionBody } from './schemas.ts';
import { changeView } from './views.ts';

export async function list(query: ChangeListQuery, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const page = await listChanges(deps, acting.id, query);
  return { status: 200, body: { items: page.items.map(changeView), cursor: page.cursor } };
}

export async function read(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const change = unwrap(await getOwnChange(deps, id, acting.id), readConflicts);
  return { status: 200, body: changeView(change), version: change.version };
}

/** The department's (ops') view of how one applied KBO file went. */
export async function report(extractNumber: number, deps: Dependencies): Promise<ApiResponse> {
  const found = await getReport(deps, extractNumber);
  if (!found) throw notFound('report-not-found', `Er is geen verslag van extract ${extractNumber}: het werd niet (volledig) verwerkt.`);
  return { status: 200, body: found };
}

/** A retry of the same decision answers as the first time, and finishes what a crash may have left (task, e-mail, events). */
export async function decide(
  id: string,
  body: DecisionBody,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const { actor } = await readActor(deps, principal, acting);
  const request = { id, partnershipId: acting.id, ...body, actor, at: deps.clock.now().toISOString(), ifMatch };
  const { change, recognitions } = unwrap(await decideChange(deps, request), decisionConflicts(body.decision));
  await closeTask(deps, acting.key, changeTaskId(change.id));
  await notifyEnterprise(deps, change, recognitions);
  // The decision's events (revoked recognitions, moved establishments) reach the agreements context now;
  // the outbox-dispatch schedule sends them if this fails.
  await dispatchSoon(deps);
  return { status: 200, body: changeView(change), version: change.version };
}

/** The enterprise hears the outcome at the addresses its recognitions name; the notification id makes it one e-mail. */
async function notifyEnterprise(deps: Dependencies, change: KboChange, recognitions: readonly Recognition[]): Promise<void> {
  const to = [...new Set(recognitions.flatMap((r) => r.contactEmails))].slice(0, 20);
  if (to.length === 0 || !change.decision) return;
  await requestNotification(deps, {
    id: `kbo-decision-${change.id}`.slice(0, 120),
    to,
    template: 'kbo-change-decided',
    data: {
      changeId: change.id,
      enterpriseNumber: change.enterpriseNumber,
      partnershipId: change.partnershipId,
      change: describeChange(change),
      addressChange: change.kind === 'addressChanged' ? { from: formatAddress(change.oldAddress), to: formatAddress(change.newAddress) } : null,
      decision: change.decision.decision,
      reasons: change.decision.reasons,
      recognitions: change.recognitions.map((r) => ({ id: r.id, establishmentNumber: r.establishmentNumber, programmeId: r.programmeId })),
    },
  });
}
