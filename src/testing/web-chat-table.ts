// Creates the web chat's table (what LexWebChat deploys) on a local DynamoDB, for tests and the offline example.
import { CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WEB_CHAT_TABLE_SCHEMA } from '../shared/web-chat';

/** Creates a table in the web chat schema (one string partition key) and waits until it is active. */
export async function createWebChatTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: WEB_CHAT_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: WEB_CHAT_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
  }));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 } as never, { TableName: tableName });
}
