// Everything a handler talks to, passed in. A Lambda entry builds it once per cold start with only the clients its
// function uses (shared/adapters/cold-start.ts), so its bundle carries nothing else; the local stage, the tests and
// the CLIs build it here with every client, pointed at the emulators.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Config } from '../config.ts';
import { systemClock, type Clock } from './clock.ts';
import { createKeyring, type Keyring } from './keyring.ts';
import { createDynamoDbClient } from './clients/dynamodb.ts';
import { createS3Client } from './clients/s3.ts';
import { createSqsClient } from './clients/sqs.ts';
import { createSfnClient } from './clients/sfn.ts';

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

/** Every client, for the local stage, the tests and the CLIs; a Lambda entry asks for its own (cold-start.ts). */
export function createDependencies(config: Config, overrides: Partial<Dependencies> = {}): Dependencies {
  return {
    config,
    db: createDynamoDbClient(config),
    s3: createS3Client(config),
    sqs: createSqsClient(config),
    sfn: createSfnClient(config),
    clock: systemClock,
    keys: createKeyring(config),
    ...overrides,
  };
}
