// Starts one DynamoDB Local (in memory) and one S3/SQS emulator for the whole test run. Each test file
// then creates its own table, buckets and queues (createTestEnvironment), so files can run in parallel.
import { freePort } from '../free-port.ts';
import type { TestProject } from 'vitest/node';
import { startAwsEmulator, startDynamo } from '../emulators.ts';

export default async function setup(project: TestProject) {
  const dynamo = await startDynamo({ port: await freePort() });
  const aws = await startAwsEmulator({ port: 0 });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('awsEndpoint', aws.endpoint);
  return async () => {
    await aws.stop();
    await dynamo.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    awsEndpoint: string;
  }
}
