// The dashboard tasks of KBO changes. Pure; no AWS imports.
import { describeChange, partnershipTask, type KboChange } from './kbo-changes.ts';
import { organisationKey } from './organisations.ts';
import type { Task } from './tasks.ts';

/** Derived from the change id: a redelivered message, a re-sent slice or a re-run file opens the task once. */
export const changeTaskId = (changeId: string) => `kbo-change:${changeId}`;

/**
 * The partnership's task for one change ("Adreswijziging vestiging verwerken", "Stopzetting verwerken", ...):
 * who decides, which decisions it offers, and where to take them.
 */
export function changeTask(
  change: Pick<KboChange, 'id' | 'kind' | 'partnershipId' | 'entity' | 'newEnterpriseNumber' | 'lastJuridicalSituation'>,
  createdAt: string,
): Task {
  const task = partnershipTask(change.kind);
  return {
    id: changeTaskId(change.id),
    type: task.type,
    title: task.title,
    organisationKey: organisationKey('partnership', change.partnershipId),
    // Sector consultants prepare, administrators (beheerders) handle recognitions and their revocation.
    roles: ['consultant', 'administrator'],
    subject: { kind: 'kboChange', id: change.id, label: describeChange(change) },
    // No rule sets a term for these decisions.
    dueDate: null,
    actions: task.decisions.map((d) => `decide:${d}`),
    link: `/v1/kbo-changes/${change.id}`,
    status: 'open',
    createdAt,
    closedAt: null,
  };
}
