// Sanctions and exclusions (keys: keys.ts `sanction`; access patterns: README.md).
//   sanction:  its own item, and in the enterprise's list on gsi1
//   exclusion: one per excluded establishment or enterprise and per organisation that excluded it
//              (`partnership:<id>` or `department:dwse`): blocks submissions to that partnership (the
//              department's: to every partnership)
//   event:     the outbox (outbox.ts): events for other contexts, written in the same transaction
// Each sanction is written with what it does (revocations, the withdrawn mentor) in one transaction.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { RecognitionRevoked } from '../../events/recognition-revoked.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { organisationKey } from '../domain/organisations.ts';
import { recognitionPathId, type Change, type Recognition } from '../domain/recognitions.ts';
import type { Sanction } from '../domain/sanctions.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import { historyItem } from './history.ts';
import * as keys from './keys.ts';
import { outboxPut } from './outbox.ts';
import { establishmentsOf } from './kbo-lookups.ts';
import { getRecognitions, recognitionItem, recognitionLinksKey } from './recognitions.ts';
import { ok, refused, type Result } from './result.ts';

export type { Sanction } from '../domain/sanctions.ts';

export const sanctionItem = (s: Sanction) => ({
  ...keys.sanction.key(s.id),
  gsi1pk: keys.enterprise.index(s.enterpriseNumber),
  gsi1sk: keys.sanction.enterpriseIndexSk(s.id),
  ...s,
});
const sanctionPut = (table: string, s: Sanction) => ({ Put: { TableName: table, Item: sanctionItem(s), ConditionExpression: 'attribute_not_exists(pk)' } });

export async function getSanction(deps: Dependencies, id: string): Promise<Sanction | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.sanction.key(id) }));
  if (!result.Item) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...s } = result.Item;
  return s as Sanction;
}

/**
 * Whether a new submission to `partnershipId` is barred for this establishment or enterprise on a date: an
 * exclusion by that partnership, or by the department (which bars every partnership). One BatchGet of 4 keys.
 */
export async function activeExclusion(
  deps: Dependencies,
  subject: { establishmentDigits: string; enterpriseDigits: string; partnershipId: string },
  today: string,
): Promise<'establishment' | 'enterprise' | undefined> {
  const deciders = [organisationKey('partnership', subject.partnershipId), organisationKey('department', 'dwse')];
  const exclusions = [
    ...deciders.map((by) => ({ level: 'establishment' as const, key: keys.sanction.exclusion('establishment', subject.establishmentDigits, by) })),
    ...deciders.map((by) => ({ level: 'enterprise' as const, key: keys.sanction.exclusion('enterprise', subject.enterpriseDigits, by) })),
  ];
  const found = await batchGetItems(
    deps,
    exclusions.map((e) => e.key),
  );
  for (const { level, key } of exclusions) {
    const item = found.get(keyString(key));
    if (item && (item.until === null || String(item.until) >= today)) return level;
  }
  return undefined;
}

/**
 * The writes that revoke one recognition, for a caller's transaction: the recognition (version-checked, out of
 * the public search), its lock released so a new application is possible later, its history, and the outbox
 * event. Shared by sanctions and by the partnership's decision on a KBO change.
 */
export function revocationWrites(
  table: string,
  recognition: Recognition,
  input: { at: string; by: string; reasons: string; eventId: string } & ({ cause: 'sanction'; sanctionId: string } | { cause: 'kboChange'; changeId: string }),
) {
  const { at } = input;
  const sanctionId = input.cause === 'sanction' ? input.sanctionId : null;
  const changeId = input.cause === 'kboChange' ? input.changeId : null;
  const revoked: Recognition = {
    ...recognition,
    status: 'revoked',
    placeAvailable: false,
    revocation:
      input.cause === 'sanction' ? { sanctionId: input.sanctionId, reasons: input.reasons, at } : { sanctionId: null, changeId, reasons: input.reasons, at },
    version: recognition.version + 1,
  };
  const event: RecognitionRevoked = {
    type: 'recognition-revoked',
    eventId: input.eventId,
    recognitionId: recognition.id,
    enterpriseNumber: recognition.enterpriseNumber,
    establishmentNumber: recognition.establishmentNumber,
    programmeId: recognition.programmeId,
    partnershipId: recognition.partnershipId,
    cause: input.cause,
    sanctionId,
    changeId,
    reasons: input.reasons,
    revokedAt: at,
  };
  const items = [
    {
      Put: {
        TableName: table,
        Item: recognitionItem(revoked),
        ConditionExpression: 'version = :v AND #status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':v': recognition.version, ':active': 'active' },
      },
    },
    {
      Delete: {
        TableName: table,
        Key: keys.application.lock(recognition.establishmentNumber, recognition.programmeId),
        ConditionExpression: 'attribute_not_exists(pk) OR holder = :self',
        ExpressionAttributeValues: { ':self': recognition.id },
      },
    },
    {
      Put: {
        TableName: table,
        Item: historyItem(keys.recognition.pk(recognition.id), at, {
          by: input.by,
          action: 'revoked',
          before: { status: 'active' },
          after: { status: 'revoked', ...(sanctionId ? { sanctionId } : { changeId }) },
        }),
      },
    },
    outboxPut(table, event, at),
  ];
  return { revoked, items };
}

/** The revocation writes of a sanction (see revocationWrites); the event id is unique per sanction and recognition. */
const revokedBy = (table: string, sanction: Sanction, recognition: Recognition) =>
  revocationWrites(table, recognition, {
    at: sanction.decidedAt,
    by: sanction.decidedBy,
    reasons: sanction.reasons,
    cause: 'sanction',
    sanctionId: sanction.id,
    eventId: `${sanction.id}-${recognitionPathId(recognition.id)}`,
  });

/** Records the sanction and revokes its one recognition, in one transaction. */
export async function revokeRecognition(deps: Dependencies, recognition: Recognition, sanction: Sanction): Promise<Result<Recognition, 'recognition-changed'>> {
  const table = deps.config.TABLE_NAME;
  const { revoked, items } = revokedBy(table, sanction, recognition);
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: [sanctionPut(table, sanction), ...items] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) return refused('recognition-changed');
    throw error;
  }
  return ok(revoked);
}

/** Records the sanction with the recognition whose mentor it withdrew (if still at `expectedVersion`) and its history. */
export async function withdrawMentor(
  deps: Dependencies,
  input: { recognition: Recognition; expectedVersion: number; change: Change; sanction: Sanction },
): Promise<Result<Recognition, 'version-conflict'>> {
  const table = deps.config.TABLE_NAME;
  const saved = { ...input.recognition, version: input.expectedVersion + 1 };
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: recognitionItem(saved),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': input.expectedVersion },
            },
          },
          { Put: { TableName: table, Item: historyItem(keys.recognition.pk(saved.id), input.sanction.decidedAt, input.change) } },
          sanctionPut(table, input.sanction),
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) return refused('version-conflict');
    throw error;
  }
  return ok(saved);
}

/**
 * The recognitions an exclusion is about: those ever decided on the establishment, or on every establishment
 * of the enterprise. Three requests whatever the number of establishments: the enterprise's establishments,
 * a BatchGet of their recognition links, a BatchGet of the recognitions.
 */
export async function recognitionsToExclude(
  deps: Dependencies,
  input: { level: 'establishment' | 'enterprise'; enterpriseDigits: string; establishmentDigits?: string | undefined },
): Promise<Result<Recognition[], 'establishment-not-found'>> {
  const ofEnterprise = await establishmentsOf(deps, input.enterpriseDigits);
  if (input.level === 'establishment' && !ofEnterprise.includes(input.establishmentDigits!)) return refused('establishment-not-found');
  const establishments = input.level === 'enterprise' ? ofEnterprise : [input.establishmentDigits!];
  if (!establishments.length) return ok([]);
  const links = await batchGetItems(deps, establishments.map(recognitionLinksKey), { consistent: true });
  const ids = [...links.values()].flatMap((item) => [...((item.recognitionIds as Set<string> | undefined) ?? [])]).sort();
  return ok(ids.length ? await getRecognitions(deps, ids) : []);
}

/** One transaction holds at most 100 writes: the sanction, the exclusion, and 4 per revoked recognition. */
export const maxRecognitionsPerSanction = Math.floor((100 - 2) / 4);

export type ExclusionConflict = 'too-many-recognitions' | 'recognition-changed';

/**
 * Excludes an establishment or enterprise, whole or not at all: in one transaction the sanction, the exclusion
 * (which bars new submissions to the excluding partnership, or to all for the department) and the revocation
 * of every recognition given (version-checked, so a concurrent change cancels all of it).
 */
export async function excludeWithRevocations(
  deps: Dependencies,
  input: { sanction: Sanction; level: 'establishment' | 'enterprise'; subjectDigits: string; recognitions: Recognition[] },
): Promise<Result<Recognition[], ExclusionConflict>> {
  const { sanction } = input;
  if (input.recognitions.length > maxRecognitionsPerSanction) return refused('too-many-recognitions');
  const table = deps.config.TABLE_NAME;
  const revocations = input.recognitions.map((recognition) => revokedBy(table, sanction, recognition));
  const items = [
    sanctionPut(table, sanction),
    // An earlier exclusion by the same organisation that has not ended is replaced only by the same sanction.
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.sanction.exclusion(input.level, input.subjectDigits, sanction.organisationKey),
          sanctionId: sanction.id,
          until: sanction.until,
          reasons: sanction.reasons,
          decidedAt: sanction.decidedAt,
        },
      },
    },
    ...revocations.flatMap((r) => r.items),
  ];
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) return refused('recognition-changed');
    throw error;
  }
  return ok(revocations.map((r) => r.revoked));
}
