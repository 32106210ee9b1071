// A command-line tool without a running stage must not write into whatever DynamoDB answers on the stage's port:
// it uses a DynamoDB there only when its table carries the marker the stage writes at start, and refuses
// otherwise, with a message that says what to do. DynamoDB Local is not started on a port that is taken.
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { connectLocalStage } from './connect.ts';
import { ensureTable, localCredentials, localRegion, markStageTable, startDynamo } from './emulators.ts';

const endpoint = inject('dynamoEndpoint');
const port = Number(new URL(endpoint).port);
const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
const noStage = join(import.meta.dirname, 'no-such-dir', 'stage.json');
const tableNames = async () => (await client.send(new ListTablesCommand({}))).TableNames ?? [];

describe('a CLI without a running stage', () => {
  it('refuses a DynamoDB on the port whose table is not the stage’s, and creates or writes nothing there', async () => {
    const tableName = `t${ulid().toLowerCase().slice(-10)}-table`;
    await expect(connectLocalStage({ dynamoPort: port, tableName, stageFile: noStage })).rejects.toThrow(
      new RegExp(`Port ${port} .*not this project's local stage`),
    );
    expect(await tableNames()).not.toContain(tableName);
  });

  it('refuses a table of that name without the stage’s marker', async () => {
    const tableName = `t${ulid().toLowerCase().slice(-10)}-table`;
    await ensureTable(client, tableName, { timeToLive: false });
    await expect(connectLocalStage({ dynamoPort: port, tableName, stageFile: noStage })).rejects.toThrow(/not this project's local stage/);
  });

  it('uses a DynamoDB on the port whose table carries the stage’s marker (a stage’s DynamoDB Local left running)', async () => {
    const tableName = `t${ulid().toLowerCase().slice(-10)}-table`;
    await ensureTable(client, tableName, { timeToLive: false });
    await markStageTable(client, tableName);
    const stage = await connectLocalStage({ dynamoPort: port, tableName, stageFile: noStage });
    try {
      expect(stage.deps.config.TABLE_NAME).toBe(tableName);
    } finally {
      await stage.close();
    }
  });

  it('does not start DynamoDB Local on a port that something answers on', async () => {
    await expect(startDynamo({ port })).rejects.toThrow(new RegExp(`port ${port} is in use`));
  });
});
