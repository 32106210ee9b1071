// Appeals: only the enterprise, within 10 days of the written decision (a rejection or a sanction), to the
// appeal committee of the Vlaams Partnerschap Duaal Leren. The department confirms receipt and admissibility
// within 10 calendar days (a dashboard task), motivates a refusal, and records the outcome.
//   appeal: pk `APPEAL#<ulid>` sk `APPEAL`; gsi1 `ENT#<enterprise>` / `APPEAL#<ulid>`
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from 'date-fns';
import { ulid } from 'ulid';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { getApplication } from '../../shared/data/applications.ts';
import { getSanction } from '../../shared/data/sanctions.ts';
import { closeTask, openTask } from '../../shared/data/tasks.ts';
import { organisationKey, type ActingOrganisation, type Principal } from '../../shared/domain/organisations.ts';
import { appealOpen, isoDate } from '../../shared/domain/recognitions.ts';
import { taskTypes } from '../../shared/domain/tasks.ts';
import { conflict, notFound, unprocessable } from '../../shared/http/problem.ts';
import type { ApiResponse } from '../../shared/http/route.ts';

export type Appeal = {
  id: string;
  enterpriseNumber: string;
  against: { kind: 'decision'; applicationId: string } | { kind: 'sanction'; sanctionId: string };
  decisionAt: string;
  grounds: string;
  contactEmail: string;
  status: 'received' | 'admissible' | 'inadmissible' | 'upheld' | 'rejected';
  receivedAt: string;
  confirmBy: string;
  confirmation: { admissible: boolean; reasons: string; by: string; at: string } | null;
  outcome: { outcome: 'upheld' | 'rejected'; reasons: string; by: string; at: string } | null;
  version: number;
};

const departmentKey = organisationKey('department', 'dwse');
const key = (id: string) => ({ pk: `APPEAL#${id}`, sk: 'APPEAL' });
const digits = (n: string) => n.replace(/\./g, '');

async function save(deps: Dependencies, appeal: Appeal, expectedVersion: number | null) {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: { ...key(appeal.id), gsi1pk: `ENT#${digits(appeal.enterpriseNumber)}`, gsi1sk: `APPEAL#${appeal.id}`, ...appeal },
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw conflict('version-conflict', 'Het beroep werd intussen gewijzigd.');
    throw error;
  }
}

async function load(deps: Dependencies, id: string, acting: ActingOrganisation): Promise<Appeal> {
  const item = (await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: key(id), ConsistentRead: true }))).Item;
  const appeal = item as (Appeal & Record<string, unknown>) | undefined;
  const mayRead = appeal && (acting.type === 'department' || (acting.type === 'enterprise' && acting.id === digits(appeal.enterpriseNumber)));
  if (!appeal || !mayRead) throw notFound('appeal-not-found', 'Dit beroep bestaat niet of u hebt er geen toegang toe.');
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...clean } = appeal;
  return clean as Appeal;
}

export async function lodge(
  input: { against: Appeal['against']; grounds: string; contactEmail: string },
  _principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  let enterpriseNumber: string | undefined;
  let decisionAt: string | undefined;
  if (input.against.kind === 'decision') {
    const application = await getApplication(deps, input.against.applicationId);
    if (application && application.decision?.decision !== 'notRecognised')
      throw unprocessable('not-appealable', 'Beroep kan alleen tegen een afwijzing of een sanctie.');
    enterpriseNumber = application?.enterpriseNumber;
    decisionAt = application?.decision?.at;
  } else {
    const sanction = await getSanction(deps, input.against.sanctionId);
    enterpriseNumber = sanction?.enterpriseNumber;
    decisionAt = sanction?.decidedAt;
  }
  if (!enterpriseNumber || !decisionAt || digits(enterpriseNumber) !== acting.id)
    throw notFound('decision-not-found', 'Deze beslissing bestaat niet of betreft uw onderneming niet.');
  const today = brusselsDate(deps.clock.now());
  if (!appealOpen(decisionAt, today)) throw unprocessable('appeal-too-late', 'Beroep kan alleen binnen 10 dagen na ontvangst van de beslissing.');
  const now = deps.clock.now().toISOString();
  const appeal: Appeal = {
    id: ulid(),
    enterpriseNumber,
    against: input.against,
    decisionAt,
    grounds: input.grounds,
    contactEmail: input.contactEmail,
    status: 'received',
    receivedAt: now,
    confirmBy: isoDate(addDays(new Date(`${today}T00:00:00Z`), 10)),
    confirmation: null,
    outcome: null,
    version: 1,
  };
  await save(deps, appeal, null);
  await openTask(deps, {
    id: `appeal-confirm:${appeal.id}`,
    type: 'confirmAppeal',
    title: taskTypes.confirmAppeal,
    organisationKey: departmentKey,
    roles: ['administrator'],
    subject: { kind: 'appeal', id: appeal.id, label: `Beroep van ${enterpriseNumber}` },
    dueDate: appeal.confirmBy,
    actions: ['confirm'],
    link: `/v1/appeals/${appeal.id}`,
    status: 'open',
    createdAt: now,
    closedAt: null,
  });
  await requestNotification(deps, {
    id: `${appeal.id}-received`,
    to: [deps.config.DEPARTMENT_EMAIL],
    template: 'generic',
    data: {
      subject: `Nieuw beroep van onderneming ${enterpriseNumber}`,
      lines: [
        `Beroep ${appeal.id} tegen ${input.against.kind === 'decision' ? 'een afwijzing' : 'een sanctie'}.`,
        `Bevestig ontvangst en ontvankelijkheid uiterlijk op ${appeal.confirmBy}.`,
      ],
    },
  });
  return { status: 201, body: appeal, version: 1, headers: { Location: `/v1/appeals/${appeal.id}` } };
}

export async function read(id: string, acting: ActingOrganisation, deps: Dependencies): Promise<ApiResponse> {
  const appeal = await load(deps, id, acting);
  return { status: 200, body: appeal, version: appeal.version };
}

export async function confirm(
  id: string,
  input: { admissible: boolean; reasons: string },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const appeal = await load(deps, id, acting);
  if (appeal.status !== 'received') throw conflict('invalid-transition', 'Ontvangst en ontvankelijkheid werden al bevestigd.');
  const now = deps.clock.now().toISOString();
  const next: Appeal = {
    ...appeal,
    status: input.admissible ? 'admissible' : 'inadmissible',
    confirmation: { ...input, by: principal.userId, at: now },
    version: ifMatch + 1,
  };
  await save(deps, next, ifMatch);
  await closeTask(deps, departmentKey, `appeal-confirm:${id}`);
  if (input.admissible) {
    await openTask(deps, {
      id: `appeal-decide:${id}`,
      type: 'decideAppeal',
      title: taskTypes.decideAppeal,
      organisationKey: departmentKey,
      roles: ['administrator'],
      subject: { kind: 'appeal', id, label: `Beroep van ${appeal.enterpriseNumber}` },
      dueDate: null,
      actions: ['record-outcome'],
      link: `/v1/appeals/${id}`,
      status: 'open',
      createdAt: now,
      closedAt: null,
    });
  }
  await requestNotification(deps, {
    id: `${id}-confirmed`,
    to: [appeal.contactEmail],
    template: 'generic',
    data: {
      subject: 'Ontvangst van uw beroep',
      lines: [`Uw beroep ${id} werd ontvangen en is ${input.admissible ? 'ontvankelijk' : 'niet ontvankelijk'}.`, input.reasons],
    },
  });
  return { status: 200, body: next, version: next.version };
}

export async function recordOutcome(
  id: string,
  input: { outcome: 'upheld' | 'rejected'; reasons: string },
  ifMatch: number,
  principal: Principal,
  acting: ActingOrganisation,
  deps: Dependencies,
): Promise<ApiResponse> {
  const appeal = await load(deps, id, acting);
  if (appeal.status !== 'admissible') throw conflict('invalid-transition', 'Alleen over een ontvankelijk beroep kan beslist worden.');
  const next: Appeal = {
    ...appeal,
    status: input.outcome,
    outcome: { ...input, by: principal.userId, at: deps.clock.now().toISOString() },
    version: ifMatch + 1,
  };
  await save(deps, next, ifMatch);
  await closeTask(deps, departmentKey, `appeal-decide:${id}`);
  await requestNotification(deps, {
    id: `${id}-outcome`,
    to: [appeal.contactEmail],
    template: 'generic',
    data: {
      subject: 'Beslissing over uw beroep',
      lines: [`De beroepscommissie ${input.outcome === 'upheld' ? 'gaf u gelijk' : 'wees uw beroep af'}.`, input.reasons],
    },
  });
  return { status: 200, body: next, version: next.version };
}
