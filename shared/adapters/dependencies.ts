// Everything a handler talks to, created once per cold start (outside the handler) and passed in.
// Tests and the local stage build the same object pointed at the emulators.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Config } from '../config.ts';
import { systemClock, type Clock } from './clock.ts';
import { createKeyring, type Keyring } from './keyring.ts';

export type Dependencies = {
  config: Config;
  db: DynamoDBDocumentClient;
  s3: S3Client;
  sqs: SQSClient;
  sfn: SFNClient;
  clock: Clock;
  /** Derived HMAC keys (cursor seals, learner keys); nothing is derived until a request needs it. */
  keys: Keyring;
};

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDependencies(config: Config, overrides: Partial<Dependencies> = {}): Dependencies {
  const region = config.AWS_REGION;
  const local = config.LOCAL_AWS_ENDPOINT;
  const dynamo = new DynamoDBClient({
    region,
    ...(config.LOCAL_DYNAMODB_ENDPOINT ? { endpoint: config.LOCAL_DYNAMODB_ENDPOINT, credentials: localCredentials } : {}),
  });
  const db = DynamoDBDocumentClient.from(dynamo, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const s3 = new S3Client({ region, ...(local ? { endpoint: local, forcePathStyle: true, credentials: localCredentials } : {}) });
  const sqs = new SQSClient({ region, ...(local ? { endpoint: local, credentials: localCredentials } : {}) });
  const sfnEndpoint = config.LOCAL_SFN_ENDPOINT;
  const sfn = new SFNClient({ region, ...(sfnEndpoint ? { endpoint: sfnEndpoint, credentials: localCredentials } : {}) });
  return { config, db, s3, sqs, sfn, clock: systemClock, keys: createKeyring(config), ...overrides };
}
