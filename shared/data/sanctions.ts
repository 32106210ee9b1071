// Sanctions and exclusions.
//   sanction:  pk `SANCTION#<ulid>` sk `SANCTION`; gsi1 `ENT#<enterprise>` / `SANCTION#<ulid>` (the enterprise's list)
//   exclusion: pk `EXCLUSION#EST#<establishment>` or `EXCLUSION#ENT#<enterprise>`, sk `<organisation key>` of who
//              excluded (`partnership:<id>` or `department:dwse`): blocks submissions to that partnership (the
//              department's: to every partnership)
//   event:     the outbox (outbox.ts): events for other contexts, written in the same transaction
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { batchGetItems, keyString } from './batch-get.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { RecognitionRevoked } from '../../events/recognition-revoked.ts';
import { conflict } from '../http/problem.ts';
import { historyItem } from './history.ts';
import { outboxPut } from './outbox.ts';
import { lockKey } from './applications.ts';
import { recognitionItem, type Recognition } from './recognitions.ts';

export type Sanction = {
  id: string;
  kind: 'withdrawMentor' | 'revokeRecognition' | 'excludeEstablishment' | 'excludeEnterprise';
  enterpriseNumber: string;
  subject: string;
  /** The partnership that decided it, or null for the department (an exclusion across partnerships). */
  partnershipId: string | null;
  /** Who decided it: `partnership:<id>` or `department:dwse`. */
  organisationKey: string;
  reasons: string;
  until: string | null;
  affectedRecognitions: string[];
  decidedBy: string;
  decidedAt: string;
};

export const sanctionItem = (s: Sanction) => ({
  pk: `SANCTION#${s.id}`,
  sk: 'SANCTION',
  gsi1pk: `ENT#${s.enterpriseNumber.replace(/\./g, '')}`,
  gsi1sk: `SANCTION#${s.id}`,
  ...s,
});
export const exclusionKey = (level: 'EST' | 'ENT', digits: string, organisationKey: string) => ({ pk: `EXCLUSION#${level}#${digits}`, sk: organisationKey });

export async function getSanction(deps: Dependencies, id: string): Promise<Sanction | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: { pk: `SANCTION#${id}`, sk: 'SANCTION' } }));
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
  const deciders = [`partnership:${subject.partnershipId}`, 'department:dwse'];
  const keys = [
    ...deciders.map((by) => ({ level: 'establishment' as const, key: exclusionKey('EST', subject.establishmentDigits, by) })),
    ...deciders.map((by) => ({ level: 'enterprise' as const, key: exclusionKey('ENT', subject.enterpriseDigits, by) })),
  ];
  const found = await batchGetItems(
    deps,
    keys.map((k) => k.key),
  );
  for (const { level, key } of keys) {
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
        Key: lockKey(recognition.establishmentNumber.replace(/\./g, ''), recognition.programmeId),
        ConditionExpression: 'attribute_not_exists(pk) OR holder = :self',
        ExpressionAttributeValues: { ':self': recognition.id },
      },
    },
    {
      Put: {
        TableName: table,
        Item: historyItem(`REC#${recognition.id}`, at, {
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

/** Revokes one recognition in one transaction (see revocationWrites). */
export async function revokeRecognition(deps: Dependencies, recognition: Recognition, sanction: Sanction): Promise<Recognition> {
  const at = deps.clock.now().toISOString();
  const { revoked, items } = revocationWrites(deps.config.TABLE_NAME, recognition, {
    at,
    by: sanction.decidedBy,
    reasons: sanction.reasons,
    cause: 'sanction',
    sanctionId: sanction.id,
    eventId: `${sanction.id}-${recognition.id.replace(/\//g, '-')}`,
  });
  try {
    await deps.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw conflict('recognition-changed', 'De erkenning werd intussen gewijzigd of is niet meer actief.');
    throw error;
  }
  return revoked;
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
  input: { sanction: Sanction; level: 'EST' | 'ENT'; subjectDigits: string; recognitions: Recognition[] },
): Promise<{ ok: true; revoked: Recognition[] } | { ok: false; conflict: ExclusionConflict }> {
  const { sanction } = input;
  if (input.recognitions.length > maxRecognitionsPerSanction) return { ok: false, conflict: 'too-many-recognitions' };
  const table = deps.config.TABLE_NAME;
  const revocations = input.recognitions.map((recognition) =>
    revocationWrites(table, recognition, {
      at: sanction.decidedAt,
      by: sanction.decidedBy,
      reasons: sanction.reasons,
      cause: 'sanction',
      sanctionId: sanction.id,
      eventId: `${sanction.id}-${recognition.id.replace(/\//g, '-')}`,
    }),
  );
  const items = [
    { Put: { TableName: table, Item: sanctionItem(sanction), ConditionExpression: 'attribute_not_exists(pk)' } },
    // An earlier exclusion by the same organisation that has not ended is replaced only by the same sanction.
    {
      Put: {
        TableName: table,
        Item: {
          ...exclusionKey(input.level, input.subjectDigits, sanction.organisationKey),
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
    if (error instanceof TransactionCanceledException) return { ok: false, conflict: 'recognition-changed' };
    throw error;
  }
  return { ok: true, revoked: revocations.map((r) => r.revoked) };
}
