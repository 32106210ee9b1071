// The partnership's review of KBO changes: its list, one change with its recognitions, and the decision.
import { dispatchSoon } from '../../shared/data/outbox.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { decisionEffect, describeChange, formatAddress, partnershipTask, type ChangeStatus, type Decision } from '../../shared/domain/kbo-changes.ts';
import type { ActingOrganisation, Principal } from '../../shared/domain/organisations.ts';
import { ChangeDecisionConflict, decideChange, getChange, listChanges, type KboChange } from '../../shared/data/kbo-changes.ts';
import { getRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { closeTask } from '../../shared/data/tasks.ts';
import { conflict, notFound, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';
import { changeTaskId } from './changes-consumer.ts';

const present = (change: KboChange) => {
  const { slice: _slice, fileName: _file, ...rest } = change;
  return { ...rest, description: describeChange(change), allowedDecisions: change.status === 'open' ? partnershipTask(change.kind).decisions : [] };
};

/** A change of another partnership is "not found": its existence is not the caller's business. */
async function ownChange(deps: Dependencies, id: string, acting: ActingOrganisation): Promise<KboChange> {
  const change = await getChange(deps, id);
  if (!change || change.partnershipId !== acting.id)
    throw notFound('kbo-change-not-found', 'Deze KBO-wijziging bestaat niet of hoort niet bij uw partnerschap.');
  return change;
}

export async function list(
  query: { status?: ChangeStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const page = await listChanges(deps, acting.id, query);
  return { status: 200, body: { items: page.items.map(present), cursor: page.cursor } };
}

export async function read(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const change = await ownChange(deps, id, acting);
  return { status: 200, body: present(change), version: change.version };
}

export async function decide(
  id: string,
  body: { decision: Decision; reasons: string },
  ifMatch: number | undefined,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const change = await ownChange(deps, id, acting);
  let decided = change;
  if (change.status === 'decided') {
    // A retry of the same decision answers as the first time (and finishes what a crash may have left).
    if (change.decision?.decision !== body.decision)
      throw conflict('kbo-change-decided', `Over deze wijziging werd al beslist (${change.decision?.decision === 'revoke' ? 'opheffen' : 'behouden'}).`);
  } else {
    if (ifMatch !== undefined && ifMatch !== change.version) throw conflict('version-conflict', 'De wijziging werd intussen gewijzigd. Lees ze opnieuw.');
    const allowed = partnershipTask(change.kind).decisions;
    if (!allowed.includes(body.decision)) {
      throw unprocessable('decision-not-allowed', `Voor deze wijziging kan u enkel kiezen uit: ${allowed.join(', ')}.`, [
        { in: 'body', pointer: '/decision', code: 'decision_not_allowed', detail: `Toegelaten: ${allowed.join(', ')}` },
      ]);
    }
    // The recognitions as they are now: one revoked or expired since the change was detected needs nothing.
    const recognitions = (await Promise.all(change.recognitions.map((r) => getRecognition(deps, r.id)))).filter(
      (r): r is Recognition => r?.status === 'active',
    );
    const effects = recognitions.map((recognition) => ({ recognition, effect: decisionEffect(change, body.decision) }));
    try {
      decided = await decideChange(
        deps,
        change,
        { decision: body.decision, reasons: body.reasons, by: principal.userId, at: deps.clock.now().toISOString() },
        effects,
      );
    } catch (error) {
      if (error instanceof ChangeDecisionConflict)
        throw conflict('kbo-change-changed', 'De wijziging of een van haar erkenningen werd intussen gewijzigd. Lees ze opnieuw.');
      throw error;
    }
  }
  await closeTask(deps, acting.key, changeTaskId(change.id));
  await notifyEnterprise(deps, decided);
  // The decision's events (revoked recognitions, moved establishments) reach the agreements context now;
  // the outbox-dispatch schedule sends them if this fails.
  await dispatchSoon(deps);
  return { status: 200, body: present(decided), version: decided.version };
}

/** The enterprise hears the outcome at the addresses its recognitions name; the notification id makes it one e-mail. */
async function notifyEnterprise(deps: Dependencies, change: KboChange): Promise<void> {
  const recognitions = (await Promise.all(change.recognitions.map((r) => getRecognition(deps, r.id)))).filter((r): r is Recognition => r !== undefined);
  const to = [...new Set(recognitions.flatMap((r) => r.contactEmails))].slice(0, 20);
  if (to.length === 0 || !change.decision) return;
  const revoked = change.decision.decision === 'revoke';
  const lines = [
    `KBO meldde een wijziging: ${describeChange(change)}.`,
    ...(change.kind === 'addressChanged' ? [`Vorig adres: ${formatAddress(change.oldAddress)}. Nieuw adres: ${formatAddress(change.newAddress)}.`] : []),
    revoked
      ? `Het partnerschap heeft daarom de erkenning(en) opgeheven: ${change.recognitions.map((r) => `${r.id} (${r.programmeId})`).join(', ')}. Lopende overeenkomsten worden vroegtijdig beëindigd.`
      : `Het partnerschap behoudt de erkenning(en): ${change.recognitions.map((r) => `${r.id} (${r.programmeId})`).join(', ')}.`,
    `Motivering: ${change.decision.reasons}`,
    ...(revoked ? ['U kan binnen 10 dagen na ontvangst beroep aantekenen bij de beroepscommissie van het Vlaams Partnerschap Duaal Leren.'] : []),
  ];
  await requestNotification(deps, {
    id: `kbo-decision-${change.id}`.slice(0, 120),
    to,
    template: 'generic',
    data: { subject: revoked ? 'Erkenning opgeheven na een KBO-wijziging' : 'Erkenning behouden na een KBO-wijziging', lines },
  });
}
