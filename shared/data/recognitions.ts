// Recognitions: pk `REC#<id>` sk `REC`; gsi1 `EST#<establishment>` / `REC#<programme>#<startDate>` so that
// "is this workplace recognised for this programme on that date" is one Query.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  workplace: { name: string | null; postcode: string | null; municipality: string | null; sector: string; programmeName: string };
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

/**
 * The recognitions ever decided on an establishment: `EST#<establishment>` / `RECOGNITIONS` with a string set
 * `recognitionIds`, added to in the decision transaction and never shrunk (a revoked one keeps its id; readers
 * check the status). The KBO sync reads these with BatchGet next to the establishment's enterprise
 * (`EST#<establishment>` / `ENTERPRISE`) instead of one Query per establishment.
 */
export const recognitionLinksKey = (establishmentDigits: string) => ({ pk: `EST#${establishmentDigits}`, sk: 'RECOGNITIONS' });

/** The Update (for a transaction or an UpdateCommand) that links a recognition to its establishment. */
export function recognitionLinkUpdate(table: string, r: Pick<Recognition, 'id' | 'establishmentNumber'>) {
  return {
    TableName: table,
    Key: recognitionLinksKey(digits(r.establishmentNumber)),
    UpdateExpression: 'ADD recognitionIds :id',
    ExpressionAttributeValues: { ':id': new Set([r.id]) },
  };
}

export async function getRecognition(deps: Dependencies, id: string): Promise<Recognition | undefined> {
  const result = await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: recognitionKey(id), ConsistentRead: true }));
  if (!result.Item) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r } = result.Item;
  return r as Recognition;
}

/** Replaces the recognition if still at `expectedVersion`, keeping the search index entry in step. */
export async function saveRecognition(deps: Dependencies, next: Recognition, expectedVersion: number): Promise<Recognition> {
  const saved = { ...next, version: expectedVersion + 1 };
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: recognitionItem(saved),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw conflict('version-conflict', 'De erkenning werd intussen gewijzigd. Lees ze opnieuw.');
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

export type WorkplaceQuery = {
  programmeId: string;
  postcodePrefix?: string | undefined;
  municipality?: string | undefined;
  cursor?: string | undefined;
  limit: number;
};

export async function searchWorkplaces(deps: Dependencies, query: WorkplaceQuery): Promise<{ items: Recognition[]; cursor: string | null }> {
  const partition = { attribute: 'gsi2pk', value: `WORKPLACE#${query.programmeId}` };
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      IndexName: 'gsi2',
      KeyConditionExpression: query.postcodePrefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :postcode)' : 'gsi2pk = :pk',
      ...(query.municipality ? { FilterExpression: 'workplace.municipality = :municipality' } : {}),
      ExpressionAttributeValues: {
        ':pk': partition.value,
        ...(query.postcodePrefix ? { ':postcode': query.postcodePrefix } : {}),
        ...(query.municipality ? { ':municipality': query.municipality } : {}),
      },
      ExclusiveStartKey: decodeCursor(query.cursor, partition),
      Limit: query.limit,
    }),
  );
  return {
    items: (result.Items ?? []).map(({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ...r }) => r as Recognition),
    cursor: encodeCursor(result.LastEvaluatedKey as never),
  };
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
