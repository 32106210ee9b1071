// The SQS client that producers send with (the local emulator when its endpoint is set).
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../../config.ts';
import { localCredentials } from './local.ts';

export function createSqsClient(config: Config): SQSClient {
  const endpoint = config.LOCAL_AWS_ENDPOINT;
  return new SQSClient({ region: config.AWS_REGION, ...(endpoint ? { endpoint, credentials: localCredentials } : {}) });
}
