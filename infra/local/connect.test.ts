// A command-line tool without a running stage must not write into whatever DynamoDB answers on the stage's port:
// it uses a DynamoDB there only when its table carries the marker the stage writes at start, and refuses
// otherwise, with a message that says what to do. DynamoDB Local is not started on a port that is taken.
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { connectLocalStage } from './connect.ts';
import { tableDefinition } from '../../shared/data/table.ts';
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

describe("a stage's table kept from an earlier run", () => {
  it('gets the indexes declared since, with the items that have their keys', async () => {
    const tableName = `t${ulid().toLowerCase().slice(-10)}-table`;
    const [first, ...later] = tableDefinition.globalIndexes;
    const keyAttributes = [tableDefinition.partitionKey, tableDefinition.sortKey, first.partitionKey, first.sortKey];
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: first.name,
            KeySchema: [
              { AttributeName: first.partitionKey, KeyType: 'HASH' },
              { AttributeName: first.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const last = later.at(-1)!;
    const item = { pk: { S: 'A' }, sk: { S: 'B' }, [last.partitionKey]: { S: 'P' }, [last.sortKey]: { S: 'S' } };
    await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    await ensureTable(client, tableName, { timeToLive: false });
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(tableDefinition.globalIndexes.map((i) => i.name).sort());
    const found = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: last.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': last.partitionKey },
        ExpressionAttributeValues: { ':pk': { S: 'P' } },
      }),
    );
    expect(found.Items).toHaveLength(1);
  });
});
