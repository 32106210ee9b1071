// Recognitions: pk `REC#<id>` sk `REC`; gsi1 `EST#<establishment>` / `REC#<programme>#<startDate>` so that
// "is this workplace recognised for this programme on that date" is one Query.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  mentors: { id: string; name: string; birthDate: string | undefined; active: boolean }[];
  placeAvailable: boolean;
  decidedBy: string;
  decidedAt: string;
  version: number;
};

export const recognitionKey = (id: string) => ({ pk: `REC#${id}`, sk: 'REC' });
const digits = (formatted: string) => formatted.replace(/\./g, '');

export function recognitionItem(r: Recognition) {
  return { ...recognitionKey(r.id), gsi1pk: `EST#${digits(r.establishmentNumber)}`, gsi1sk: `REC#${r.programmeId}#${r.startDate}`, ...r };
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
  return (result.Items ?? []).map(({ pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...r }) => r as Recognition);
}
