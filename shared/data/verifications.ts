// The reads of the verification API (functions/verifications): a workplace's recognitions with its KBO
// establishment, and an enterprise's public KBO facts. Two round trips per verification, whatever the table's size:
//   1. in parallel, a GetItem of the establishment's KBO item (`EST#<establishment>` / `KBO`: its enterprise and
//      KBO status) and a Query of gsi1 `EST#<establishment>` (the recognitions of the programme, `REC#<programme>#…`);
//   2. one BatchGet: the enterprise's `PROFILE` (its own KBO status), the partnership's record (name and maxima)
//      and the slot counters of the establishment and of the recognition's mentors (the free place).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import type { EntityStatus } from '../domain/kbo.ts';
import type { Recognition } from '../domain/recognitions.ts';
import type { Partnership } from '../domain/reference.ts';
import { batchGetItems, keyString } from './batch-get.ts';
import { getEstablishmentItem } from './kbo.ts';
import * as keys from './keys.ts';
import { recognitionFromItem } from './recognitions.ts';
import { referenceRecordOf } from './reference.ts';

export type WorkplaceRecognitions = {
  establishment: { establishmentNumber: string; enterpriseNumber: string; enterpriseDigits: string; status: EntityStatus } | undefined;
  /** Every recognition ever decided on the establishment for this programme. */
  recognitions: Recognition[];
};

const entityStatus = (value: unknown): EntityStatus => (value === 'stopped' ? 'stopped' : 'active');

/**
 * The establishment and its recognitions of one programme: a GetItem of the establishment's KBO item beside one
 * Query on its gsi1 collection (`EST#<establishment>`, the recognitions), in parallel.
 */
export async function readWorkplaceRecognitions(deps: Dependencies, establishmentDigits: string, programmeId: string): Promise<WorkplaceRecognitions> {
  const recognitionItems = async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deps.db.send(
        new QueryCommand({
          TableName: deps.config.TABLE_NAME,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.recognition.establishmentIndex(establishmentDigits),
            ':prefix': keys.recognition.establishmentIndexSkPrefix(programmeId),
          },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const [home, items] = await Promise.all([getEstablishmentItem(deps, establishmentDigits), recognitionItems()]);
  return {
    establishment: home
      ? {
          establishmentNumber: String(home.establishmentNumber),
          enterpriseNumber: String(home.enterpriseNumber),
          enterpriseDigits: kboDigits(String(home.enterpriseNumber)),
          status: entityStatus(home.status),
        }
      : undefined,
    recognitions: items.map(recognitionFromItem),
  };
}

export type VerificationDetails = {
  enterpriseStatus: EntityStatus | undefined;
  partnership: Pick<Partnership, 'id' | 'name' | 'rules'> | undefined;
  establishmentSlotsUsed: number;
  mentorSlotsUsed: (mentorId: string) => number;
};

/** The enterprise's status and, for the recognition that answers, its partnership and slot counters: one BatchGet. */
export async function readVerificationDetails(
  deps: Dependencies,
  enterpriseDigits: string,
  recognition: Recognition | undefined,
): Promise<VerificationDetails> {
  const profileKey = keys.enterprise.profile(enterpriseDigits);
  const partnershipKey = recognition ? keys.reference.key('partnerships', recognition.partnershipId) : undefined;
  const establishmentKey = recognition ? keys.agreement.establishmentSlots(recognition.establishmentNumber) : undefined;
  const mentorKey = (id: string) => keys.agreement.mentorSlots(id);
  const mentorKeys = recognition ? recognition.mentors.filter((m) => !m.withdrawn).map((m) => mentorKey(m.id)) : [];
  const wanted = [profileKey, ...(partnershipKey && establishmentKey ? [partnershipKey, establishmentKey] : []), ...mentorKeys];
  const found = await batchGetItems(deps, wanted);
  const profile = found.get(keyString(profileKey));
  const used = (key: keys.TableKey | undefined) => (key ? Number(found.get(keyString(key))?.used ?? 0) : 0);
  const partnership = partnershipKey ? referenceRecordOf<Partnership>(found.get(keyString(partnershipKey))) : undefined;
  return {
    enterpriseStatus: profile ? entityStatus(profile.status) : undefined,
    partnership: partnership ? { id: partnership.id, name: partnership.name, rules: partnership.rules } : undefined,
    establishmentSlotsUsed: used(establishmentKey),
    mentorSlotsUsed: (id) => used(mentorKey(id)),
  };
}
