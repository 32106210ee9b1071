// KBO data in the single table (keys: keys.ts and README.md next to this file). One item collection per
// enterprise holds the enterprise, its names and seat, and its establishments with their names and address, so
// one Query on the enterprise's partition returns the whole profile. Keys use the 10 digits; values keep the
// formatted numbers.
import { createHash } from 'node:crypto';
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
  presentAddress,
  type Address,
  type AddressRecord,
  type EnterpriseRecord,
  type EntityStatus,
  type EstablishmentRecord,
  type ExtractType,
  type JuridicalSituationClass,
  type KboName,
  type NameRecord,
  type TypeOfEnterprise,
} from '../domain/kbo.ts';
import { regionOf, type Region } from '../domain/region.ts';

export type KboItem = Record<string, unknown> & TableKey;
export type ItemKey = TableKey;

/** Where an entity's names and addresses live: its enterprise's collection, under the establishment when it is one. */
export type KboOwner = { enterpriseDigits: string; establishmentDigits: string | null };

/**
 * Names of one entity share type and language (a French and a Dutch commercial name are two rows, but so can
 * be two Dutch ones), so the key ends in a short hash of the text: the same row always gets the same key.
 */
const textHash = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex').slice(0, 8);

// --- items -----------------------------------------------------------------------------------------------

export function enterpriseItem(record: EnterpriseRecord): KboItem {
  const digits = kboDigits(record.enterpriseNumber);
  return {
    ...keys.enterprise.profile(record.enterpriseNumber),
    gsi2pk: keys.kbo.entityIndex('enterprise', digits),
    gsi2sk: digits,
    kind: 'enterprise',
    ...record,
  };
}

export function establishmentItem(record: EstablishmentRecord): KboItem {
  return {
    pk: keys.enterprise.pk(record.enterpriseNumber),
    sk: keys.kbo.establishmentSk(record.establishmentNumber),
    gsi1pk: keys.kbo.establishmentIndex(record.establishmentNumber),
    gsi1sk: keys.kbo.enterpriseIndexSk(record.enterpriseNumber),
    kind: 'establishment',
    ...record,
  };
}

/**
 * Where an establishment lives: its home item (EST#<establishment> / ENTERPRISE). The same fact as the establishment item's
 * gsi1 entry, under a key the KBO sync can BatchGet (an address row names only the establishment): a hundred
 * establishments per request instead of one Query each.
 */
export function establishmentHomeItem(owner: { enterpriseDigits: string; establishmentDigits: string }): KboItem {
  return {
    ...keys.kbo.establishmentHome(owner.establishmentDigits),
    gsi2pk: keys.kbo.entityIndex('establishment', owner.establishmentDigits),
    gsi2sk: owner.establishmentDigits,
    kind: 'establishmentHome',
    enterpriseDigits: owner.enterpriseDigits,
  };
}

export function nameItem(owner: KboOwner, record: NameRecord): KboItem {
  return {
    pk: keys.enterprise.pk(owner.enterpriseDigits),
    sk: keys.kbo.nameSk(owner.establishmentDigits, record.type, record.language, textHash(record.denomination)),
    kind: 'name',
    ...record,
  };
}

export function addressItem(owner: KboOwner, record: AddressRecord): KboItem {
  return {
    pk: keys.enterprise.pk(owner.enterpriseDigits),
    sk: keys.kbo.addressSk(owner.establishmentDigits, record.typeOfAddress),
    kind: 'address',
    ...record,
  };
}

/** The record a stored name item holds (what nameItem was given). */
export const nameRecordOf = (item: StoredItem): NameRecord => ({
  entityNumber: String(item.entityNumber),
  language: String(item.language),
  type: String(item.type),
  denomination: String(item.denomination),
});

/** The record a stored address item holds: the item without its keys. */
export function addressRecordOf(item: StoredItem): AddressRecord {
  const { pk: _a, sk: _b, kind: _c, gsi1pk: _d, gsi1sk: _e, gsi2pk: _f, gsi2sk: _g, ...record } = item;
  return record as unknown as AddressRecord;
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

// --- an enterprise's collection --------------------------------------------------------------------------

/** One entity's items in its enterprise's collection: its own item (profile or establishment), names, addresses. */
export type StoredEntity = { self: StoredItem | undefined; names: StoredItem[]; addresses: StoredItem[] };

/** An enterprise's collection by entity: the enterprise's own items and each establishment's, in key order. */
export type EnterpriseCollection = { enterprise: StoredEntity; establishments: Map<string, StoredEntity> };

const noEntity = (): StoredEntity => ({ self: undefined, names: [], addresses: [] });

/** Sorts a collection's items by entity; items that are not KBO data (a mandate) are left out. */
export function readCollection(items: readonly StoredItem[]): EnterpriseCollection {
  const collection: EnterpriseCollection = { enterprise: noEntity(), establishments: new Map() };
  for (const item of items) {
    const { establishment, item: what } = keys.kbo.itemOf(String(item.sk));
    if (what === 'other') continue;
    let entity = collection.enterprise;
    if (establishment !== null) {
      entity = collection.establishments.get(establishment) ?? noEntity();
      collection.establishments.set(establishment, entity);
    }
    if (what === 'self') entity.self = item;
    else if (what === 'name') entity.names.push(item);
    else entity.addresses.push(item);
  }
  return collection;
}

/** The stored entity (enterprise or establishment) of a collection; empty when the collection lacks it. */
export const entityIn = (collection: EnterpriseCollection, establishmentDigits: string | null): StoredEntity =>
  establishmentDigits === null ? collection.enterprise : (collection.establishments.get(establishmentDigits) ?? noEntity());

/** The establishments a collection holds (their own item, not only names or an address). */
export const establishmentsIn = (collection: EnterpriseCollection): string[] =>
  [...collection.establishments].filter(([, entity]) => entity.self !== undefined).map(([digits]) => digits);

/** The address of a type (REGO, BAET) among an entity's address items. */
export const addressOfType = <T extends Record<string, unknown>>(addresses: readonly T[], typeOfAddress: string): T | undefined =>
  addresses.find((a) => a.typeOfAddress === typeOfAddress);

export type ReadOptions = { parallel?: number; onRequest?: () => void };

/** Which of these enterprises the table knows (their profile exists): BatchGets of 100 keys, keys only. */
export async function knownEnterprises(deps: Dependencies, enterpriseDigits: readonly string[], options: ReadOptions = {}): Promise<Set<string>> {
  const found = await batchGetItems(
    deps,
    enterpriseDigits.map((d) => keys.enterprise.profile(d)),
    { ...options, attributes: [] },
  );
  return new Set(enterpriseDigits.filter((d) => found.has(keyString(keys.enterprise.profile(d)))));
}

/** The enterprise each known establishment lives in (its home item), by establishment digits. */
export async function establishmentHomes(deps: Dependencies, establishmentDigits: readonly string[], options: ReadOptions = {}): Promise<Map<string, string>> {
  const found = await batchGetItems(
    deps,
    establishmentDigits.map((d) => keys.kbo.establishmentHome(d)),
    { ...options, attributes: ['enterpriseDigits'] },
  );
  const homes = new Map<string, string>();
  for (const digits of establishmentDigits) {
    const home = found.get(keyString(keys.kbo.establishmentHome(digits)))?.enterpriseDigits;
    if (typeof home === 'string') homes.set(digits, home);
  }
  return homes;
}

/** The collections of many enterprises: one (paginated) Query each, `parallel` at once. */
export async function getCollections(
  deps: Dependencies,
  enterpriseDigits: readonly string[],
  options: ReadOptions = {},
): Promise<Map<string, EnterpriseCollection>> {
  const collections = new Map<string, EnterpriseCollection>();
  await inPool(enterpriseDigits, options.parallel ?? 16, async (digits) => {
    collections.set(digits, readCollection(await queryPartition(deps, keys.enterprise.pk(digits), options.onRequest)));
  });
  return collections;
}

/** Runs `fn` over items with at most `limit` at once. */
async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
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
const toName = (item: StoredItem): KboName =>
  describeName({ language: text(item, 'language') ?? '0', type: text(item, 'type') ?? '', denomination: text(item, 'denomination') ?? '' });
const publicName = ({ language, type, value }: KboName): PublicName => ({ language, type, value });
const toAddress = (item: StoredItem | undefined): Address | null => (item ? presentAddress(item as unknown as AddressRecord) : null);

/** All items of one partition, following LastEvaluatedKey (an enterprise with many establishments spans pages). */
async function queryPartition(deps: Dependencies, pk: string, onRequest?: () => void): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    onRequest?.();
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as StoredItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The enterprise profile, assembled from ONE (paginated) Query on its item collection; undefined when unknown. */
export async function getEnterpriseProfile(deps: Dependencies, enterpriseDigits: string): Promise<EnterpriseProfile | undefined> {
  const { enterprise, establishments } = readCollection(await queryPartition(deps, keys.enterprise.pk(enterpriseDigits)));
  const profile = enterprise.self;
  if (!profile) return undefined;
  const names = enterprise.names.map(toName);
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
    seat: toAddress(addressOfType(enterprise.addresses, 'REGO')),
    establishments: [...establishments.values()]
      // Names or an address without their establishment item (a half-applied change) are not an establishment.
      .filter((e): e is StoredEntity & { self: StoredItem } => e.self !== undefined)
      .map((e) => {
        const establishmentNames = e.names.map(toName);
        const address = toAddress(addressOfType(e.addresses, 'BAET'));
        return {
          establishmentNumber: text(e.self, 'establishmentNumber') ?? '',
          startDate: text(e.self, 'startDate'),
          status: status(e.self),
          name: displayName(establishmentNames),
          names: establishmentNames.map(publicName),
          address,
          region: regionOf(address),
        };
      }),
    kboExtractNumber: typeof profile.kboExtractNumber === 'number' ? profile.kboExtractNumber : null,
  };
}

/** The enterprise an establishment belongs to, through gsi1 (EST#<establishment> / ENT#<enterprise>). */
export async function findEnterpriseOfEstablishment(
  deps: Dependencies,
  establishmentDigits: string,
): Promise<{ enterpriseNumber: string; enterpriseDigits: string; establishmentNumber: string; status: EntityStatus } | undefined> {
  // gsi1pk EST#<establishment> also holds the establishment's recognitions (REC#...): only ENT# is ours.
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.kbo.establishmentIndex(establishmentDigits), ':prefix': keys.kbo.enterpriseIndexSkPrefix },
    }),
  );
  const item = result.Items?.[0];
  if (!item) return undefined;
  const enterpriseNumber = text(item, 'enterpriseNumber') ?? '';
  return {
    enterpriseNumber,
    enterpriseDigits: kboDigits(enterpriseNumber),
    establishmentNumber: text(item, 'establishmentNumber') ?? '',
    status: status(item),
  };
}
