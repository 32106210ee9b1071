// The DynamoDB document client of the table (DynamoDB Local when the local stage sets its endpoint).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';
import { localCredentials } from './local.ts';

export function createDynamoDbClient(config: Config): DynamoDBDocumentClient {
  const endpoint = config.LOCAL_DYNAMODB_ENDPOINT;
  const dynamo = new DynamoDBClient({ region: config.AWS_REGION, ...(endpoint ? { endpoint, credentials: localCredentials } : {}) });
  return DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
}
