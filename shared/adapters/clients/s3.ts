// The S3 client of the documents and KBO inbox buckets (the local S3 emulator, path-style, when its endpoint is set).
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config.ts';
import { localCredentials } from './local.ts';

export function createS3Client(config: Config): S3Client {
  const endpoint = config.LOCAL_AWS_ENDPOINT;
  return new S3Client({ region: config.AWS_REGION, ...(endpoint ? { endpoint, forcePathStyle: true, credentials: localCredentials } : {}) });
}
