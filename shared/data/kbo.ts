// KBO data in the single table (keys: keys.ts and README.md next to this file). One item per KBO entity: the
// enterprise item (`ENT#<enterprise>` / `PROFILE`: its record, every name, its addresses) and one item per
// establishment (`EST#<establishment>` / `KBO`: its record, names and address), each at a key computed from the
// entity's own number, so the sync reads them with BatchGets and writes a changed entity once. Both are in gsi1
// `ENT#<enterprise>` under `KBO#…`: one Query returns the enterprise with its establishments. Keys use the 10
// digits; values keep the formatted numbers.
import { isDeepStrictEqual } from 'node:util';
import { BatchWriteCommand, DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import { batchGetItems, keyString, type StoredItem, type TableKey } from './batch-get.ts';
import * as keys from './keys.ts';
import { kboDigits } from '../domain/identifiers.ts';
import {
  describeName,
  displayName,
  enterpriseTypes,
  juridicalSituationClass,
  mainAddressType,
  nameIndexEntry,
  presentAddress,
  type Address,
  type AddressRecord,
  type EnterpriseRecord,
  type EntityStatus,
  type EstablishmentRecord,
  type ExtractType,
  type JuridicalSituationClass,
  type KboName,
  type TypeOfEnterprise,
} from '../domain/kbo.ts';
import { regionOf, type Region } from '../domain/region.ts';

export type KboItem = Record<string, unknown> & TableKey;
export type ItemKey = TableKey;

/** A name as an entity item holds it: the KBO codes (language `0`-`4`, type `001`-`004`) and the text. */
export type EntityName = { language: string; type: string; denomination: string };
/** An address as an entity item holds it: the record without the entity's number (the item's own). */
export type EntityAddress = Omit<AddressRecord, 'entityNumber'>;

// --- items -----------------------------------------------------------------------------------------------

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An entity's names, each (type, language, text) once, in a fixed order: the same rows in any order make the
 * same item, so a restated row is recognised as no change.
 */
export function entityNames(names: Iterable<EntityName>): EntityName[] {
  const unique = new Map<string, EntityName>();
  for (const { language, type, denomination } of names) unique.set(`${type}\u0000${language}\u0000${denomination}`, { language, type, denomination });
  return [...unique].sort(([a], [b]) => byText(a, b)).map(([, name]) => name);
}

/** An entity's addresses, one per type of address (the last one given wins), by type. */
export function entityAddresses(addresses: Iterable<EntityAddress | AddressRecord>): EntityAddress[] {
  const byType = new Map<string, EntityAddress>();
  for (const address of addresses) {
    const { entityNumber: _number, ...rest } = address as AddressRecord;
    byType.set(rest.typeOfAddress, rest);
  }
  return [...byType].sort(([a], [b]) => byText(a, b)).map(([, address]) => address);
}

/**
 * An enterprise's establishments as its item holds them: the digits, each once, in order. The sync routes an
 * enterprise's change to them from the item it already reads (no Query per enterprise). Size: an establishment
 * costs about 13 bytes of the item (10 digits and the list's overhead), so even an enterprise with 20,000
 * establishments (KBO's largest have a few thousand) stays far under DynamoDB's 400 KB per item.
 */
export const establishmentList = (digits: Iterable<string | number>): string[] =>
  [...new Set([...digits].map((d) => String(d).padStart(10, '0')))].sort(byText);

/** The establishments (digits) a stored enterprise item lists. */
export const establishmentsOfItem = (item: Record<string, unknown>): string[] =>
  Array.isArray(item.establishmentNumbers) ? (item.establishmentNumbers as string[]) : [];

export function enterpriseItem(
  record: EnterpriseRecord,
  names: Iterable<EntityName> = [],
  addresses: Iterable<EntityAddress> = [],
  establishments: Iterable<string | number> = [],
): KboItem {
  const digits = kboDigits(record.enterpriseNumber);
  return {
    ...keys.enterprise.profile(digits),
    gsi1pk: keys.enterprise.index(digits),
    gsi1sk: keys.kbo.enterpriseIndexSk,
    gsi2pk: keys.kbo.entityIndex('enterprise', digits),
    gsi2sk: digits,
    kind: 'enterprise',
    ...record,
    ...nameIndexAttributes('enterprise', digits, record.typeOfEnterprise, entityNames(names), entityAddresses(addresses)),
    establishmentNumbers: establishmentList(establishments),
  };
}

export function establishmentItem(record: EstablishmentRecord, names: Iterable<EntityName> = [], addresses: Iterable<EntityAddress> = []): KboItem {
  const digits = kboDigits(record.establishmentNumber);
  return {
    ...keys.kbo.establishment(digits),
    gsi1pk: keys.enterprise.index(record.enterpriseNumber),
    gsi1sk: keys.kbo.establishmentIndexSk(digits),
    gsi2pk: keys.kbo.entityIndex('establishment', digits),
    gsi2sk: digits,
    kind: 'establishment',
    ...record,
    ...nameIndexAttributes('establishment', digits, undefined, entityNames(names), entityAddresses(addresses)),
  };
}

/**
 * The entity's names and addresses, with its gsi3 entry (keys.kbo.nameIndex) when the domain rule indexes it. An
 * item written without them leaves the index: a move changes the partition, a new main name the sort key.
 */
function nameIndexAttributes(
  kind: 'enterprise' | 'establishment',
  digits: string,
  typeOfEnterprise: string | undefined,
  names: EntityName[],
  addresses: EntityAddress[],
): Record<string, unknown> {
  const entry = nameIndexEntry({
    typeOfEnterprise,
    names: names.map(describeName),
    mainAddress: addressOfType(addresses, mainAddressType(kind)),
  });
  return {
    names,
    addresses,
    ...(entry ? { gsi3pk: keys.kbo.nameIndex(entry.postcode), gsi3sk: keys.kbo.nameIndexSk(entry.name, digits) } : {}),
  };
}

/** The key of an entity's item, from its number alone. */
export const entityKey = (kind: 'enterprise' | 'establishment', digits: string): TableKey =>
  kind === 'enterprise' ? keys.enterprise.profile(digits) : keys.kbo.establishment(digits);

/** The names and addresses a stored entity item holds. */
export const namesOf = (item: Record<string, unknown>): EntityName[] => (Array.isArray(item.names) ? (item.names as EntityName[]) : []);
export const addressesOf = (item: Record<string, unknown>): EntityAddress[] => (Array.isArray(item.addresses) ? (item.addresses as EntityAddress[]) : []);

/** The address of a type (REGO, BAET) among an entity's addresses. */
export const addressOfType = <T extends { typeOfAddress: string }>(addresses: readonly T[], typeOfAddress: string): T | undefined =>
  addresses.find((a) => a.typeOfAddress === typeOfAddress);

/** An entity item's display name (domain rule `displayName`). */
export const displayNameOf = (item: Record<string, unknown>): string | null => displayName(namesOf(item).map(describeName));

/** An entity item's address of a type as the API shows it, or null. */
export function presentedAddressOf(item: Record<string, unknown>, typeOfAddress: string): Address | null {
  const address = addressOfType(addressesOf(item), typeOfAddress);
  return address ? presentAddress(address as AddressRecord) : null;
}

/**
 * Whether a new item says what the stored one says. The extract number is left out (it is the extract that last
 * changed the item), and a missing attribute equals null (the document client drops undefined values).
 */
export function sameItem(stored: StoredItem, next: KboItem): boolean {
  for (const key of new Set([...Object.keys(stored), ...Object.keys(next)])) {
    if (key !== 'kboExtractNumber' && !isDeepStrictEqual(stored[key] ?? null, next[key] ?? null)) return false;
  }
  return true;
}

// --- reading many entities (the sync) --------------------------------------------------------------------

export type ReadOptions = { parallel?: number; onRequest?: () => void };

/** The stored items of these entities, by digits (absent: unknown): BatchGets of 100 computed keys. */
export async function getEntityItems(
  deps: Dependencies,
  entities: readonly { kind: 'enterprise' | 'establishment'; digits: string }[],
  options: ReadOptions = {},
): Promise<Map<string, StoredItem>> {
  const found = await batchGetItems(
    deps,
    entities.map((e) => entityKey(e.kind, e.digits)),
    options,
  );
  const items = new Map<string, StoredItem>();
  for (const e of entities) {
    const item = found.get(keyString(entityKey(e.kind, e.digits)));
    if (item) items.set(e.digits, item);
  }
  return items;
}

/** The KBO items of an enterprise's gsi1 partition under a prefix, every page (an enterprise may have many establishments). */
async function queryEntities(deps: Dependencies, enterpriseDigits: string, prefix: string): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.enterprise.index(enterpriseDigits), ':prefix': prefix },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as StoredItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

// --- batch writes ----------------------------------------------------------------------------------------

type WriteRequest = { PutRequest: { Item: KboItem } } | { DeleteRequest: { Key: ItemKey } };

const keyOf = (request: WriteRequest): string => keyString('PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key);

/** Throttling that outlasted the writer's backoff: transient, so named for the kbo-sync state machine's Retry. */
export class UnprocessedItemsError extends Error {
  override name = 'DynamoDbUnprocessedItems';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type BatchWriterOptions = {
  /** BatchWrite requests in flight at once. */
  parallel?: number;
  /** Attempts for items DynamoDB returns as unprocessed (throttling); the wait doubles each time. */
  maxAttempts?: number;
};

/**
 * Streams puts and deletes into BatchWriteItem requests of 25 with up to `parallel` requests in flight.
 * `put` only waits when that many are pending, so reading a file and writing the table overlap while memory
 * stays bounded (at most parallel x 25 items). Unprocessed items are retried with exponential backoff.
 * Two writes of one key never run at the same time: the later one waits for the earlier, so the last write
 * wins and a re-run gives the same table.
 */
export class BatchWriter {
  private batch = new Map<string, WriteRequest>();
  private readonly inFlight = new Map<Promise<void>, Set<string>>();
  private failure: unknown;
  /** Put and delete requests DynamoDB has accepted. */
  written = 0;
  readonly parallel: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly deps: Dependencies,
    options: BatchWriterOptions = {},
  ) {
    this.parallel = options.parallel ?? 16;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  put(item: KboItem): Promise<void> {
    return this.add({ PutRequest: { Item: item } });
  }

  delete(key: ItemKey): Promise<void> {
    return this.add({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } });
  }

  /** Items currently held: the open batch and the requests in flight. */
  get pending(): number {
    let count = this.batch.size;
    for (const keys of this.inFlight.values()) count += keys.size;
    return count;
  }

  private async add(request: WriteRequest): Promise<void> {
    if (this.failure) throw this.failure;
    // One BatchWriteItem may not hold a key twice: a repeated key in the open batch replaces the earlier write.
    const key = keyOf(request);
    this.batch.delete(key);
    this.batch.set(key, request);
    if (this.batch.size === 25) await this.send();
  }

  private async send(): Promise<void> {
    if (this.batch.size === 0) return;
    const batch = this.batch;
    this.batch = new Map();
    const keys = new Set(batch.keys());
    const earlier = [...this.inFlight].filter(([, inFlightKeys]) => [...keys].some((k) => inFlightKeys.has(k))).map(([request]) => request);
    const request = Promise.all(earlier)
      .then(() => this.write([...batch.values()]))
      .then(
        () => {
          this.written += batch.size;
        },
        (error: unknown) => {
          this.failure ??= error;
        },
      )
      .finally(() => this.inFlight.delete(request));
    this.inFlight.set(request, keys);
    while (this.inFlight.size >= this.parallel) await Promise.race(this.inFlight.keys());
    if (this.failure) throw this.failure;
  }

  private async write(requests: WriteRequest[]): Promise<void> {
    const table = this.deps.config.TABLE_NAME;
    let pending = requests;
    for (let attempt = 1; ; attempt++) {
      const result = await this.deps.db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      if (pending.length === 0) return;
      if (attempt >= this.maxAttempts) throw new UnprocessedItemsError(`DynamoDB left ${pending.length} items unprocessed after ${attempt} attempts`);
      // Exponential backoff with jitter, as AWS advises for unprocessed items (capped at 5 s).
      await sleep(Math.min(5000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }

  /** Sends the open batch and waits for every request; throws the first failure. */
  async flush(): Promise<void> {
    await this.send().catch(() => undefined);
    while (this.inFlight.size) await Promise.all(this.inFlight.keys());
    if (this.failure) throw this.failure;
  }
}

/** Writes items with an overlapping BatchWriter; returns how many were written. */
export async function writeItems(deps: Dependencies, items: Iterable<KboItem> | AsyncIterable<KboItem>, options: BatchWriterOptions = {}): Promise<number> {
  const writer = new BatchWriter(deps, options);
  for await (const item of items) await writer.put(item);
  await writer.flush();
  return writer.written;
}

// --- extract records -------------------------------------------------------------------------------------

export type ExtractRecord = {
  extractNumber: number;
  type: ExtractType;
  snapshotDate: string;
  extractTimestamp: string;
  fileName: string;
  counts: Record<string, unknown>;
  /** When the extract was first applied; a re-run keeps it. */
  importedAt: string;
};

/** Records that an extract was applied. Re-applying it keeps the first importedAt, so a re-run changes nothing. */
export async function recordExtract(deps: Dependencies, record: Omit<ExtractRecord, 'importedAt'>): Promise<void> {
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: keys.kbo.extract(record.extractNumber),
      UpdateExpression:
        'SET #kind = :kind, extractNumber = :number, #type = :type, snapshotDate = :snapshot, extractTimestamp = :timestamp, fileName = :file, #counts = :counts, importedAt = if_not_exists(importedAt, :now)',
      ExpressionAttributeNames: { '#kind': 'kind', '#type': 'type', '#counts': 'counts' },
      ExpressionAttributeValues: {
        ':kind': 'kboExtract',
        ':number': record.extractNumber,
        ':type': record.type,
        ':snapshot': record.snapshotDate,
        ':timestamp': record.extractTimestamp,
        ':file': record.fileName,
        ':counts': record.counts,
        ':now': deps.clock.now().toISOString(),
      },
    }),
  );
}

/**
 * Forgets the extracts after `extractNumber` (their records and checkpoints): after a deliberate rebuild from an
 * older Full the sync applies them again (their change records have deterministic ids: nothing is doubled).
 */
export async function forgetExtractsAfter(deps: Dependencies, extractNumber: number): Promise<number[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND sk > :after',
      ExpressionAttributeValues: { ':pk': keys.kbo.extractsPk, ':after': keys.kbo.extract(extractNumber).sk },
      ProjectionExpression: 'extractNumber',
    }),
  );
  const forgotten = (result.Items ?? []).map((i) => Number(i.extractNumber));
  for (const n of forgotten) {
    await deps.db.send(new DeleteCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.checkpoint(n) }));
    await deps.db.send(new DeleteCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.extract(n) }));
  }
  return forgotten;
}

/** The extract applied last (highest number), or undefined before the first import. */
/**
 * Every enterprise and establishment the table knows (digits), for a reconciling Full reload: what the new Full
 * lacks has left KBO. Queries of the entity index (gsi2, keys.kbo.entityIndex: 100 partitions per kind), the
 * sort keys alone, 16 at a time.
 */
export async function knownEntityDigits(deps: Dependencies, parallel = 16): Promise<{ enterprises: string[]; establishments: string[] }> {
  const partition = async (pk: string) => {
    const digits: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deps.db.send(
        new QueryCommand({
          TableName: deps.config.TABLE_NAME,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'gsi2sk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) digits.push(String(item.gsi2sk));
      start = page.LastEvaluatedKey;
    } while (start);
    return digits;
  };
  const all = async (kind: 'enterprise' | 'establishment') => {
    const pks = keys.kbo.entityIndexShards.map((shard) => keys.kbo.entityIndexOf(kind, shard));
    const found: string[] = [];
    for (let i = 0; i < pks.length; i += parallel) found.push(...(await Promise.all(pks.slice(i, i + parallel).map(partition))).flat());
    return found;
  };
  return { enterprises: await all('enterprise'), establishments: await all('establishment') };
}

/** The record of one applied extract, or undefined. */
export async function getExtract(deps: Dependencies, extractNumber: number): Promise<ExtractRecord | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.extract(extractNumber) }));
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...record } = result.Item;
  return record as ExtractRecord;
}

export async function getLatestExtract(deps: Dependencies): Promise<ExtractRecord | undefined> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.kbo.extractsPk },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = result.Items?.[0];
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...record } = item;
  return record as ExtractRecord;
}

// --- reading ---------------------------------------------------------------------------------------------

export type { Address } from '../domain/kbo.ts';

export type PublicName = { language: string; type: string; value: string };

export type EstablishmentProfile = {
  establishmentNumber: string;
  startDate: string | null;
  status: EntityStatus;
  name: string | null;
  names: PublicName[];
  address: Address | null;
  region: Region;
};

export type EnterpriseProfile = {
  enterpriseNumber: string;
  name: string | null;
  names: PublicName[];
  status: EntityStatus;
  juridicalSituation: { code: string; class: JuridicalSituationClass };
  juridicalForm: string | null;
  typeOfEnterprise: TypeOfEnterprise;
  startDate: string | null;
  seat: Address | null;
  establishments: EstablishmentProfile[];
  kboExtractNumber: number | null;
};

const text = (item: Record<string, unknown>, attribute: string): string | null => {
  const value = item[attribute];
  return typeof value === 'string' ? value : null;
};
const status = (item: Record<string, unknown>): EntityStatus => (item.status === 'stopped' ? 'stopped' : 'active');
const publicName = ({ language, type, value }: KboName): PublicName => ({ language, type, value });

/**
 * The enterprise profile with its establishments: ONE (paginated) Query of gsi1 `ENT#<enterprise>` under `KBO#`
 * (the enterprise item sorts first); undefined when unknown.
 */
export async function getEnterpriseProfile(deps: Dependencies, enterpriseDigits: string): Promise<EnterpriseProfile | undefined> {
  const items = await queryEntities(deps, enterpriseDigits, keys.kbo.entitiesIndexSkPrefix);
  const profile = items.find((i) => i.kind === 'enterprise');
  if (!profile) return undefined;
  return enterpriseProfileOf(
    profile,
    items.filter((i) => i.kind === 'establishment'),
  );
}

/** The profile of an enterprise item with these of its establishment items. */
export function enterpriseProfileOf(profile: Record<string, unknown>, establishments: readonly Record<string, unknown>[]): EnterpriseProfile {
  const names = namesOf(profile).map(describeName);
  const juridicalSituation = text(profile, 'juridicalSituation');
  return {
    enterpriseNumber: text(profile, 'enterpriseNumber') ?? '',
    name: displayName(names),
    names: names.map(publicName),
    status: status(profile),
    juridicalSituation: { code: juridicalSituation ?? '', class: juridicalSituationClass(juridicalSituation) },
    juridicalForm: text(profile, 'juridicalForm'),
    typeOfEnterprise: enterpriseTypes[text(profile, 'typeOfEnterprise') ?? ''] ?? 'unknown',
    startDate: text(profile, 'startDate'),
    seat: presentedAddressOf(profile, 'REGO'),
    establishments: establishments.map((e) => {
      const establishmentNames = namesOf(e).map(describeName);
      const address = presentedAddressOf(e, 'BAET');
      return {
        establishmentNumber: text(e, 'establishmentNumber') ?? '',
        startDate: text(e, 'startDate'),
        status: status(e),
        name: displayName(establishmentNames),
        names: establishmentNames.map(publicName),
        address,
        region: regionOf(address),
      };
    }),
    kboExtractNumber: typeof profile.kboExtractNumber === 'number' ? profile.kboExtractNumber : null,
  };
}

/** An establishment's KBO item (`EST#<establishment>` / `KBO`), or undefined when the table does not know it. */
export async function getEstablishmentItem(deps: Dependencies, establishmentDigits: string, consistent = false): Promise<StoredItem | undefined> {
  const result = await deps.db.send(
    new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.kbo.establishment(establishmentDigits), ...(consistent ? { ConsistentRead: true } : {}) }),
  );
  return result.Item as StoredItem | undefined;
}

/** The enterprise an establishment belongs to: a GetItem of the establishment's item. */
export async function findEnterpriseOfEstablishment(
  deps: Dependencies,
  establishmentDigits: string,
): Promise<{ enterpriseNumber: string; enterpriseDigits: string; establishmentNumber: string; status: EntityStatus } | undefined> {
  const item = await getEstablishmentItem(deps, establishmentDigits);
  if (!item) return undefined;
  const enterpriseNumber = text(item, 'enterpriseNumber') ?? '';
  return {
    enterpriseNumber,
    enterpriseDigits: kboDigits(enterpriseNumber),
    establishmentNumber: text(item, 'establishmentNumber') ?? '',
    status: status(item),
  };
}
