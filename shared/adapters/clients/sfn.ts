// The Step Functions client that starts executions (the local stage's own endpoint when it is set).
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Config } from '../../config.ts';
import { localCredentials } from './local.ts';

export function createSfnClient(config: Config): SFNClient {
  const endpoint = config.LOCAL_SFN_ENDPOINT;
  return new SFNClient({ region: config.AWS_REGION, ...(endpoint ? { endpoint, credentials: localCredentials } : {}) });
}
