// The floor of the cold-start figure: the smallest function that makes one bare DynamoDB GetItem. It is bundled
// with the same settings as every Lambda and run the same way, so what the real functions take beyond it is
// their own cost (more code to load, configuration, more clients, the first request's work).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

type Event = { tableName: string; endpoint: string; region: string };

export const handler = async (event: Event): Promise<{ found: boolean }> => {
  const client = new DynamoDBClient({ region: event.region, endpoint: event.endpoint });
  // Any key: a miss is the same request as a hit.
  const item = await client.send(new GetItemCommand({ TableName: event.tableName, Key: { pk: { S: 'cold-start' }, sk: { S: 'cold-start' } } }));
  return { found: item.Item !== undefined };
};
