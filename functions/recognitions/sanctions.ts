// Sanctions by the partnership's administrator, after coaching: withdraw a mentor, revoke a recognition, or
// exclude an establishment or a whole enterprise (all its recognitions revoked, no new submissions).
import { QueryCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { findRecognitions, getRecognition, saveRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { excludeWithRevocations, maxRecognitionsPerSanction, revokeRecognition, sanctionItem, type Sanction } from '../../shared/data/sanctions.ts';
import { getReference } from '../../shared/data/reference.ts';
import type { Partnership } from '../../shared/domain/reference.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { historyItem } from '../../shared/data/history.ts';
import { formatEnterpriseNumber } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { conflict, notFound, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';

async function ownRecognition(deps: Dependencies, id: string, acting: ActingOrganisation): Promise<Recognition> {
  const recognition = await getRecognition(deps, id);
  if (!recognition || recognition.partnershipId !== acting.id)
    throw notFound('recognition-not-found', 'Deze erkenning bestaat niet of valt niet onder uw partnerschap.');
  return recognition;
}

async function recordSanction(deps: Dependencies, sanction: Sanction) {
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: sanctionItem(sanction), ConditionExpression: 'attribute_not_exists(pk)' }));
}

async function notifySanction(deps: Dependencies, sanction: Sanction, recognitions: Recognition[]) {
  const to = [...new Set(recognitions.flatMap((r) => r.contactEmails))];
  if (!to.length) return;
  await requestNotification(deps, {
    id: `${sanction.id}-sanction`,
    to,
    template: 'sanction',
    data: {
      sanctionId: sanction.id,
      kind: sanction.kind,
      subject: sanction.subject,
      reasons: sanction.reasons,
      recognitions: recognitions.map((r) => r.id),
      until: sanction.until,
    },
  });
}

const newSanction = (
  kind: Sanction['kind'],
  enterpriseNumber: string,
  subject: string,
  reasons: string,
  until: string | null,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Sanction => ({
  id: ulid(),
  kind,
  enterpriseNumber,
  subject,
  partnershipId: acting.type === 'partnership' ? acting.id : null,
  organisationKey: acting.key,
  reasons,
  until,
  affectedRecognitions: [],
  decidedBy: principal.userId,
  decidedAt: deps.clock.now().toISOString(),
});

export async function revoke(id: string, reasons: string, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await ownRecognition(deps, id, acting);
  if (recognition.status !== 'active') throw conflict('recognition-not-active', 'Deze erkenning is niet meer actief.');
  const sanction = {
    ...newSanction('revokeRecognition', recognition.enterpriseNumber, recognition.id, reasons, null, principal, acting, deps),
    affectedRecognitions: [recognition.id],
  };
  const revoked = await revokeRecognition(deps, recognition, sanction);
  await recordSanction(deps, sanction);
  await notifySanction(deps, sanction, [recognition]);
  await dispatchSoon(deps);
  return { status: 200, body: { sanction, recognition: revoked } };
}

/** A withdrawn mentor no longer counts; a recognition left without an active mentor becomes a partnership task. */
export async function withdrawMentor(
  id: string,
  mentorId: string,
  reasons: string,
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const recognition = await ownRecognition(deps, id, acting);
  const mentor = recognition.mentors.find((m) => m.id === mentorId);
  if (!mentor?.active) throw notFound('mentor-not-found', 'Deze mentor is niet (meer) actief voor deze erkenning.');
  const sanction = {
    ...newSanction('withdrawMentor', recognition.enterpriseNumber, `${recognition.id}#${mentorId}`, reasons, null, principal, acting, deps),
    affectedRecognitions: [recognition.id],
  };
  const saved = await saveRecognition(
    deps,
    { ...recognition, mentors: recognition.mentors.map((m) => (m.id === mentorId ? { ...m, active: false, withdrawn: true } : m)) },
    ifMatch,
  );
  await deps.db.send(
    new PutCommand({
      TableName: deps.config.TABLE_NAME,
      Item: historyItem(`REC#${recognition.id}`, sanction.decidedAt, {
        by: principal.userId,
        action: 'mentor-withdrawn',
        before: { mentorId, active: true },
        after: { mentorId, active: false, sanctionId: sanction.id },
      }),
    }),
  );
  await recordSanction(deps, sanction);
  if (!saved.mentors.some((m) => m.active)) {
    await openTask(deps, {
      id: `no-mentor:${recognition.id}`,
      type: 'recognitionWithoutMentor',
      title: taskTypes.recognitionWithoutMentor,
      organisationKey: organisationKey('partnership', recognition.partnershipId),
      roles: ['administrator', 'consultant'],
      subject: { kind: 'recognition', id: recognition.id, label: `${recognition.id} (${recognition.workplace.name ?? recognition.establishmentNumber})` },
      dueDate: null,
      actions: ['add-mentor', 'revoke'],
      link: `/v1/recognitions?establishment=${recognition.establishmentNumber.replace(/\./g, '')}`,
      status: 'open',
      createdAt: sanction.decidedAt,
      closedAt: null,
    });
  }
  await notifySanction(deps, sanction, [recognition]);
  return { status: 200, body: { sanction, recognition: saved }, version: saved.version };
}

/** Every establishment of an enterprise, from its KBO item collection. */
async function establishmentsOf(deps: Dependencies, enterpriseDigits: string): Promise<string[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :est)',
      ExpressionAttributeValues: { ':pk': `ENT#${enterpriseDigits}`, ':est': 'EST#' },
      ProjectionExpression: 'sk',
    }),
  );
  return (result.Items ?? [])
    .map((i) => String(i.sk))
    .filter((sk) => /^EST#\d{10}$/.test(sk))
    .map((sk) => sk.slice(4));
}

/**
 * Excludes an establishment or a whole enterprise, temporarily or for good. A partnership excludes for its own
 * competence: the recognitions it decided there are revoked and new applications routed to it are refused; it
 * may only exclude where it recognised a workplace (active or not). The department excludes across
 * partnerships: every recognition there is revoked and no partnership takes a new application. Whole or not at
 * all: one transaction (excludeWithRevocations), and the enterprise and every partnership concerned are told.
 */
export async function exclude(
  input: { level: 'establishment' | 'enterprise'; enterpriseNumber: string; establishmentNumber?: string | undefined; reasons: string; until: string | null },
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const ofEnterprise = await establishmentsOf(deps, input.enterpriseNumber);
  if (input.level === 'establishment' && !ofEnterprise.includes(input.establishmentNumber!)) {
    throw notFound('establishment-not-found', 'Deze vestiging hoort volgens KBO niet bij deze onderneming.');
  }
  const establishments = input.level === 'enterprise' ? ofEnterprise : [input.establishmentNumber!];
  const found = (await Promise.all(establishments.map((e) => findRecognitions(deps, e, undefined)))).flat();
  const competent = acting.type === 'department' ? found : found.filter((r) => r.partnershipId === acting.id);
  // A partnership's sanction comes after coaching its own recognitions: elsewhere it has nothing to sanction.
  if (acting.type === 'partnership' && competent.length === 0) {
    throw notFound(
      'no-recognitions-of-partnership',
      `Uw partnerschap erkende geen werkplek bij deze ${input.level === 'establishment' ? 'vestiging' : 'onderneming'}: u kan ze niet uitsluiten.`,
    );
  }
  const active = competent.filter((r) => r.status === 'active');
  const sanction = newSanction(
    input.level === 'enterprise' ? 'excludeEnterprise' : 'excludeEstablishment',
    formatEnterpriseNumber(input.enterpriseNumber),
    input.level === 'enterprise' ? input.enterpriseNumber : input.establishmentNumber!,
    input.reasons,
    input.until,
    principal,
    acting,
    deps,
  );
  const recorded = { ...sanction, affectedRecognitions: active.map((r) => r.id) };
  const result = await excludeWithRevocations(deps, {
    sanction: recorded,
    level: input.level === 'enterprise' ? 'ENT' : 'EST',
    subjectDigits: sanction.subject,
    recognitions: active,
  });
  if (!result.ok) {
    if (result.conflict === 'too-many-recognitions') {
      throw unprocessable(
        'sanction-too-large',
        `Deze uitsluiting zou ${active.length} erkenningen tegelijk opheffen; één sanctie heft er hoogstens ${maxRecognitionsPerSanction} op. Sluit de vestigingen afzonderlijk uit.`,
      );
    }
    throw conflict('recognition-changed', 'Een van de erkenningen werd intussen gewijzigd. Er werd niets uitgesloten; probeer opnieuw.');
  }
  await notifySanction(deps, recorded, result.revoked);
  // Across partnerships, each partnership whose recognitions the department revoked hears it too.
  if (acting.type === 'department') {
    for (const partnershipId of new Set(result.revoked.map((r) => r.partnershipId))) {
      const partnership = (await getReference<Partnership>(deps, 'partnerships', partnershipId))?.record;
      if (!partnership?.notificationEmails.length) continue;
      await requestNotification(deps, {
        id: `${recorded.id}-${partnershipId}`,
        to: partnership.notificationEmails,
        template: 'generic',
        data: {
          subject: `Uitsluiting door het departement: onderneming ${recorded.enterpriseNumber}`,
          lines: [
            `Het departement sloot ${input.level === 'establishment' ? `vestiging ${input.establishmentNumber}` : `onderneming ${recorded.enterpriseNumber}`} uit${recorded.until ? ` tot ${recorded.until}` : ''}.`,
            `Opgeheven erkenningen van uw partnerschap: ${result.revoked
              .filter((r) => r.partnershipId === partnershipId)
              .map((r) => r.id)
              .join(', ')}.`,
            `Motivering: ${recorded.reasons}`,
          ],
        },
      });
    }
  }
  await dispatchSoon(deps);
  return { status: 200, body: { sanction: recorded } };
}
