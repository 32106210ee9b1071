// The reads of the verification API (functions/verifications): a workplace's recognitions with its KBO
// establishment, and an enterprise's public KBO facts. Two round trips per verification, whatever the table's size:
//   1. in parallel, a GetItem of the establishment's KBO item (`EST#<establishment>` / `KBO`: its enterprise and
//      KBO status) and a Query of gsi1 `EST#<establishment>` (the recognitions of the programme, `REC#<programme>#…`);
//   2. one BatchGet: the enterprise's `PROFILE` (its own KBO status), the partnership's record (name and maxima)
//      and the slot counters of the establishment and of the recognition's mentors (the free place).
// A name search is one Query of the name index (gsi3) and one BatchGet of the enterprises it found establishments of.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { kboDigits } from '../domain/identifiers.ts';
import { answersNameSearch, searchableName, type EntityStatus } from '../domain/kbo.ts';
import type { Recognition } from '../domain/recognitions.ts';
import type { Partnership } from '../domain/reference.ts';
import { batchGetItems, keyString, type StoredItem } from './batch-get.ts';
import { enterpriseProfileOf, getEstablishmentItem, type EnterpriseProfile } from './kbo.ts';
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

export type NameSearch = {
  /** In the order of the name that matched first; each with the establishments that matched (none when only its seat did). */
  candidates: EnterpriseProfile[];
  /** More enterprises matched than `limit`. */
  more: boolean;
};

/** Index entries read per Query page; a search reads at most this many pages (then it answers `more`). */
const nameSearchPage = 50;
const nameSearchPages = 4;

/**
 * The enterprises whose main name starts with `name` at their seat's postcode, and those with an establishment of
 * that name at it, at most `limit`. Per page: one Query of gsi3 `KBONAME#<postcode>` with the searchable name as
 * sort-key prefix (stopped entities filtered out), then one BatchGet of the enterprises of matched establishments
 * (the establishment item does not know its enterprise's type). Enterprises of a natural person are not in the
 * index; their establishments are, and are dropped here with the stopped and unknown enterprises. Another page
 * only while fewer than `limit` enterprises are left.
 */
export async function searchEnterprisesByName(deps: Dependencies, postcode: string, name: string, limit: number): Promise<NameSearch> {
  const found = new Map<string, { enterprise?: StoredItem; establishments: StoredItem[] }>();
  const dropped = new Set<string>();
  let start: Record<string, unknown> | undefined;
  let pages = 0;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
        FilterExpression: '#status <> :stopped',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': keys.kbo.nameIndex(postcode), ':prefix': keys.kbo.nameIndexSkPrefix(searchableName(name)), ':stopped': 'stopped' },
        Limit: nameSearchPage,
        ExclusiveStartKey: start,
      }),
    );
    pages++;
    start = page.LastEvaluatedKey;
    for (const item of (page.Items ?? []) as StoredItem[]) {
      const owner = kboDigits(String(item.enterpriseNumber));
      if (dropped.has(owner)) continue;
      const entry = found.get(owner) ?? { establishments: [] };
      if (item.kind === 'enterprise') entry.enterprise = item;
      else entry.establishments.push(item);
      found.set(owner, entry);
    }
    const owners = [...found].filter(([, entry]) => !entry.enterprise).map(([digits]) => digits);
    const enterprises = await batchGetItems(
      deps,
      owners.map((digits) => keys.enterprise.profile(digits)),
    );
    for (const [digits, entry] of found) {
      const enterprise = (entry.enterprise ??= enterprises.get(keyString(keys.enterprise.profile(digits))));
      if (!enterprise || !answersNameSearch({ status: enterprise.status, typeOfEnterprise: enterprise.typeOfEnterprise })) {
        found.delete(digits);
        dropped.add(digits);
      }
    }
  } while (start && found.size <= limit && pages < nameSearchPages);
  const candidates = [...found.values()]
    .slice(0, limit)
    .flatMap(({ enterprise, establishments }) => (enterprise ? [enterpriseProfileOf(enterprise, establishments)] : []));
  return { candidates, more: found.size > limit || start !== undefined };
}
