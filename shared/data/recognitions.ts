// Recognitions: pk `REC#<id>` sk `REC`; gsi1 `EST#<establishment>` / `REC#<programme>#<startDate>` so that
// "is this workplace recognised for this programme on that date" is one Query.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import ngeohash from 'ngeohash';
import { conflict } from '../http/problem.ts';
import type { Mentor } from '../domain/recognitions.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import type { Dependencies } from '../adapters/dependencies.ts';

export type Recognition = {
  id: string;
  applicationId: string;
  enterpriseNumber: string;
  establishmentNumber: string;
  programmeId: string;
  partnershipId: string;
  startDate: string;
  endDate: string;
  status: 'active' | 'revoked' | 'expired';
  mentors: RecognitionMentor[];
  /** Mentors the enterprise added after the recognition, waiting for the partnership's check. */
  pendingMentors: (Mentor & { requestedAt: string })[];
  placeAvailable: boolean;
  /** Where official notifications about this recognition go. */
  contactEmails: string[];
  /** Why it was revoked: a sanction, or the partnership's decision on a KBO change (changeId). */
  revocation: { sanctionId: string | null; changeId?: string | null; reasons: string; at: string } | null;
  /** What the public workplace search shows, copied from KBO at the decision: never personal data. */
  workplace: { name: string | null; postcode: string | null; municipality: string | null; sector: string; programmeName: string; location?: { latitude: number; longitude: number } | null };
  decidedBy: string;
  decidedAt: string;
  version: number;
};

export type RecognitionMentor = {
  id: string;
  name: string;
  birthDate: string | undefined;
  active: boolean;
  /** Withdrawn by a sanction: the enterprise cannot reactivate this mentor. */
  withdrawn: boolean;
  /** Mentor training must be finished by this date (partnership rule), unless exempted; null when not required. */
  trainingDeadline: string | null;
  trainingCompletedOn: string | null;
  trainingExempted: boolean;
};

export const recognitionKey = (id: string) => ({ pk: `REC#${id}`, sk: 'REC' });
const digits = (formatted: string) => formatted.replace(/\./g, '');

/**
 * A recognition with an available place is in the public search index: gsi2 `WORKPLACE#<programme>` /
 * `<postcode>#<id>`, so a search is one Query on one programme's partition, whatever the table's size.
 */
export function recognitionItem(r: Recognition) {
  const searchable = r.status === 'active' && r.placeAvailable;
  return {
    ...recognitionKey(r.id),
    gsi1pk: `EST#${digits(r.establishmentNumber)}`,
    gsi1sk: `REC#${r.programmeId}#${r.startDate}`,
    ...(searchable ? { gsi2pk: `WORKPLACE#${r.programmeId}`, gsi2sk: `${r.workplace.postcode ?? '0000'}#${r.id}` } : {}),
    ...r,
  };
}

export async function getRecognition(deps: Dependencies, id: string): Promise<Recognition | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: recognitionKey(id), ConsistentRead: true }));
  if (!result.Item) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r } = result.Item;
  return r as Recognition;
}

/**
 * The distance-search entry of a searchable recognition with a known location: pk `REC#<id>` sk `GEO`, gsi2
 * `WORKPLACEGEO#<programme>` / `<geohash, 9 characters>#<id>`. It holds keys and coordinates only; the search
 * reads the recognitions themselves (BatchGet) for what it shows, so an entry left behind by a change that did
 * not go through saveRecognition (a revocation) can never show a workplace that is no longer searchable.
 */
export function workplaceGeoItem(r: Recognition) {
  const location = r.workplace.location;
  if (r.status !== 'active' || !r.placeAvailable || !location) return null;
  return {
    pk: `REC#${r.id}`, sk: 'GEO', recognitionId: r.id, latitude: location.latitude, longitude: location.longitude,
    gsi2pk: `WORKPLACEGEO#${r.programmeId}`, gsi2sk: `${ngeohash.encode(location.latitude, location.longitude, 9)}#${r.id}`,
  };
}

/** Replaces the recognition if still at `expectedVersion`, keeping both search index entries in step. */
export async function saveRecognition(deps: Dependencies, next: Recognition, expectedVersion: number): Promise<Recognition> {
  const saved = { ...next, version: expectedVersion + 1 };
  const geo = workplaceGeoItem(saved);
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: deps.config.TABLE_NAME, Item: recognitionItem(saved), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } },
          geo ? { Put: { TableName: deps.config.TABLE_NAME, Item: geo } } : { Delete: { TableName: deps.config.TABLE_NAME, Key: { pk: `REC#${saved.id}`, sk: 'GEO' } } },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') throw conflict('version-conflict', 'De erkenning werd intussen gewijzigd. Lees ze opnieuw.');
    throw error;
  }
  return saved;
}

const earthRadiusKm = 6371.0088;
/** Great-circle distance in km (haversine). */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The geohash cells that cover a circle: the longest prefix whose cells are at least `radiusKm` high and wide
 * at that latitude, so the centre's cell and its 8 neighbours contain every point within the radius.
 */
export function coveringCells(centre: { latitude: number; longitude: number }, radiusKm: number): string[] {
  const kmPerDegreeLat = 111.32;
  const kmPerDegreeLon = 111.32 * Math.cos((Math.min(89, Math.abs(centre.latitude) + radiusKm / kmPerDegreeLat) * Math.PI) / 180);
  let precision = 1;
  for (let p = 9; p >= 1; p--) {
    const bits = p * 5;
    const lonBits = Math.ceil(bits / 2);
    const latBits = Math.floor(bits / 2);
    if ((180 / 2 ** latBits) * kmPerDegreeLat >= radiusKm && (360 / 2 ** lonBits) * kmPerDegreeLon >= radiusKm) { precision = p; break; }
  }
  const cell = ngeohash.encode(centre.latitude, centre.longitude, precision);
  return [...new Set([cell, ...ngeohash.neighbors(cell)])].sort();
}

/** At most this many candidates are read per search; beyond it the answer says `truncated`. */
export const maxDistanceCandidates = 2000;

/**
 * Searchable recognitions of a programme within `radiusKm` of `centre`, nearest first: one Query per covering
 * cell on the programme's partition of the distance index (9 at most), the exact distance filter, then one
 * BatchGet of the recognitions for what is shown. The work grows with the workplaces near the centre, never
 * with the table.
 */
export async function searchWorkplacesNear(deps: Dependencies, programmeId: string, centre: { latitude: number; longitude: number }, radiusKm: number) {
  const candidates: { recognitionId: string; distanceKm: number }[] = [];
  let read = 0;
  for (const cell of coveringCells(centre, radiusKm)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deps.db.send(new QueryCommand({
        TableName: deps.config.TABLE_NAME, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :cell)',
        ExpressionAttributeValues: { ':pk': `WORKPLACEGEO#${programmeId}`, ':cell': cell }, ExclusiveStartKey: start, Limit: 500,
      }));
      for (const item of page.Items ?? []) {
        const d = distanceKm(centre, { latitude: item.latitude as number, longitude: item.longitude as number });
        if (d <= radiusKm) candidates.push({ recognitionId: item.recognitionId as string, distanceKm: Math.round(d * 10) / 10 });
      }
      read += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start && read < maxDistanceCandidates);
  }
  candidates.sort((a, b) => a.distanceKm - b.distanceKm || a.recognitionId.localeCompare(b.recognitionId));
  return { candidates, truncated: read >= maxDistanceCandidates };
}

/** The recognitions with these ids (BatchGet, in chunks of 100), in the order given; missing ones left out. */
export async function getRecognitions(deps: Dependencies, ids: string[]): Promise<Recognition[]> {
  const found = new Map<string, Recognition>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(recognitionKey);
    while (keys?.length) {
      const result: BatchGetCommandOutput = await deps.db.send(new BatchGetCommand({ RequestItems: { [deps.config.TABLE_NAME]: { Keys: keys } } }));
      for (const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r } of result.Responses?.[deps.config.TABLE_NAME] ?? []) found.set(r.id as string, r as Recognition);
      keys = result.UnprocessedKeys?.[deps.config.TABLE_NAME]?.Keys;
    }
  }
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

export type WorkplaceQuery = { programmeId: string; postcodePrefix?: string | undefined; municipality?: string | undefined; cursor?: string | undefined; limit: number };

export async function searchWorkplaces(deps: Dependencies, query: WorkplaceQuery): Promise<{ items: Recognition[]; cursor: string | null }> {
  const partition = { attribute: 'gsi2pk', value: `WORKPLACE#${query.programmeId}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: query.postcodePrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :postcode)' : 'gsi2pk = :pk',
      ...(query.municipality ? { FilterExpression: 'workplace.municipality = :municipality' } : {}),
      ExpressionAttributeValues: { ':pk': partition.value, ...(query.postcodePrefix ? { ':postcode': query.postcodePrefix } : {}), ...(query.municipality ? { ':municipality': query.municipality } : {}) },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      Limit: query.limit,
    }),
  );
  return { items: (result.Items ?? []).map(({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r }) => r as Recognition), cursor: encodeCursor(result.LastEvaluatedKey as never) };
}

/** The next number of the day's recognition ids: an atomic counter, so two decisions never share an id. */
export async function nextRecognitionSequence(deps: Dependencies): Promise<number> {
  const result = await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: { pk: 'COUNTER#RECOGNITION', sk: 'COUNTER' },
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(result.Attributes!.value);
}

export async function findRecognitions(deps: Dependencies, establishmentDigits: string, programmeId: string | undefined): Promise<Recognition[]> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `EST#${establishmentDigits}`, ':prefix': programmeId ? `REC#${programmeId}#` : 'REC#' },
    }),
  );
  return (result.Items ?? []).map(({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r }) => r as Recognition);
}
