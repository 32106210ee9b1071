// Sanctions by the partnership's administrator, after coaching: withdraw a mentor, revoke a recognition, or
// exclude an establishment or a whole enterprise (all its recognitions revoked, no new submissions).
import { QueryCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { findRecognitions, getRecognition, saveRecognition, type Recognition } from '../../shared/data/recognitions.ts';
import { dispatchSoon } from '../../shared/data/outbox.ts';
import { exclusionKey, revokeRecognition, sanctionItem, type Sanction } from '../../shared/data/sanctions.ts';
import { openTask } from '../../shared/data/tasks.ts';
import { historyItem } from '../../shared/data/history.ts';
import { formatEnterpriseNumber } from '../../shared/domain/identifiers.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { conflict, notFound } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';

async function ownRecognition(deps: Dependencies, id: string, acting: ActingOrganisation): Promise<Recognition> {
  const recognition = await getRecognition(deps, id);
  if (!recognition || recognition.partnershipId !== acting.id) throw notFound('recognition-not-found', 'Deze erkenning bestaat niet of valt niet onder uw partnerschap.');
  return recognition;
}

async function recordSanction(deps: Dependencies, sanction: Sanction) {
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: sanctionItem(sanction), ConditionExpression: 'attribute_not_exists(pk)' }));
}

async function notifySanction(deps: Dependencies, sanction: Sanction, recognitions: Recognition[]) {
  const to = [...new Set(recognitions.flatMap((r) => r.contactEmails))];
  if (!to.length) return;
  await requestNotification(deps, {
    id: `${sanction.id}-sanction`, to, template: 'sanction',
    data: { sanctionId: sanction.id, kind: sanction.kind, subject: sanction.subject, reasons: sanction.reasons, recognitions: recognitions.map((r) => r.id), until: sanction.until },
  });
}

const newSanction = (kind: Sanction['kind'], enterpriseNumber: string, subject: string, reasons: string, until: string | null, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Sanction => ({
  id: ulid(), kind, enterpriseNumber, subject, partnershipId: acting.id, reasons, until, affectedRecognitions: [], decidedBy: principal.userId, decidedAt: deps.clock.now().toISOString(),
});

export async function revoke(id: string, reasons: string, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await ownRecognition(deps, id, acting);
  if (recognition.status !== 'active') throw conflict('recognition-not-active', 'Deze erkenning is niet meer actief.');
  const sanction = { ...newSanction('revokeRecognition', recognition.enterpriseNumber, recognition.id, reasons, null, principal, acting, deps), affectedRecognitions: [recognition.id] };
  const revoked = await revokeRecognition(deps, recognition, sanction);
  await recordSanction(deps, sanction);
  await notifySanction(deps, sanction, [recognition]);
  await dispatchSoon(deps);
  return { status: 200, body: { sanction, recognition: revoked } };
}

/** A withdrawn mentor no longer counts; a recognition left without an active mentor becomes a partnership task. */
export async function withdrawMentor(id: string, mentorId: string, reasons: string, ifMatch: number, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const recognition = await ownRecognition(deps, id, acting);
  const mentor = recognition.mentors.find((m) => m.id === mentorId);
  if (!mentor || !mentor.active) throw notFound('mentor-not-found', 'Deze mentor is niet (meer) actief voor deze erkenning.');
  const sanction = { ...newSanction('withdrawMentor', recognition.enterpriseNumber, `${recognition.id}#${mentorId}`, reasons, null, principal, acting, deps), affectedRecognitions: [recognition.id] };
  const saved = await saveRecognition(deps, { ...recognition, mentors: recognition.mentors.map((m) => (m.id === mentorId ? { ...m, active: false, withdrawn: true } : m)) }, ifMatch);
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: historyItem(`REC#${recognition.id}`, sanction.decidedAt, { by: principal.userId, action: 'mentor-withdrawn', before: { mentorId, active: true }, after: { mentorId, active: false, sanctionId: sanction.id } }) }));
  await recordSanction(deps, sanction);
  if (!saved.mentors.some((m) => m.active)) {
    await openTask(deps, {
      id: `no-mentor:${recognition.id}`, type: 'recognitionWithoutMentor', title: taskTypes.recognitionWithoutMentor,
      organisationKey: organisationKey('partnership', recognition.partnershipId), roles: ['administrator', 'consultant'],
      subject: { kind: 'recognition', id: recognition.id, label: `${recognition.id} (${recognition.workplace.name ?? recognition.establishmentNumber})` },
      dueDate: null, actions: ['add-mentor', 'revoke'], link: `/v1/recognitions?establishment=${recognition.establishmentNumber.replace(/\./g, '')}`,
      status: 'open', createdAt: sanction.decidedAt, closedAt: null,
    });
  }
  await notifySanction(deps, sanction, [recognition]);
  return { status: 200, body: { sanction, recognition: saved }, version: saved.version };
}

/** Every establishment of an enterprise, from its KBO item collection. */
async function establishmentsOf(deps: Dependencies, enterpriseDigits: string): Promise<string[]> {
  const result = await deps.db.send(new QueryCommand({ TableName: deps.config.TABLE_NAME, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :est)', ExpressionAttributeValues: { ':pk': `ENT#${enterpriseDigits}`, ':est': 'EST#' }, ProjectionExpression: 'sk' }));
  return (result.Items ?? []).map((i) => String(i.sk)).filter((sk) => /^EST#\d{10}$/.test(sk)).map((sk) => sk.slice(4));
}

export async function exclude(input: { level: 'establishment' | 'enterprise'; enterpriseNumber: string; establishmentNumber?: string | undefined; reasons: string; until: string | null }, principal: Principal, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const establishments = input.level === 'enterprise' ? await establishmentsOf(deps, input.enterpriseNumber) : [input.establishmentNumber!];
  if (input.level === 'establishment' && !(await establishmentsOf(deps, input.enterpriseNumber)).includes(input.establishmentNumber!)) {
    throw notFound('establishment-not-found', 'Deze vestiging hoort volgens KBO niet bij deze onderneming.');
  }
  const sanction = newSanction(input.level === 'enterprise' ? 'excludeEnterprise' : 'excludeEstablishment', formatEnterpriseNumber(input.enterpriseNumber), input.level === 'enterprise' ? input.enterpriseNumber : input.establishmentNumber!, input.reasons, input.until, principal, acting, deps);
  await deps.db.send(new PutCommand({ TableName: deps.config.TABLE_NAME, Item: { ...exclusionKey(input.level === 'enterprise' ? 'ENT' : 'EST', sanction.subject), sanctionId: sanction.id, until: input.until, reasons: input.reasons } }));
  const revoked: Recognition[] = [];
  for (const establishment of establishments) {
    for (const recognition of await findRecognitions(deps, establishment, undefined)) {
      if (recognition.status === 'active') revoked.push(await revokeRecognition(deps, recognition, sanction));
    }
  }
  const recorded = { ...sanction, affectedRecognitions: revoked.map((r) => r.id) };
  await recordSanction(deps, recorded);
  await notifySanction(deps, recorded, revoked);
  await dispatchSoon(deps);
  return { status: 200, body: { sanction: recorded } };
}
