// An in-process DynamoDB for tests and the offline example: dynalite (pure JS, in memory; no TTL deletion, no
// transactions). Needs the `dynalite` package installed beside cdk-fast-lex.
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, listenLocal, type LocalEndpoint } from './local-server';
import {
  CACHE_GENERATED_AT_ATTRIBUTE,
  CACHE_INTENT_ATTRIBUTE,
  CACHE_INTENT_INDEX,
  CACHE_PARTITION_KEY,
  CACHE_SORT_KEY,
} from '../shared/cache-schema';

export interface LocalDynamoDbOptions {
  /** Delay dynalite adds to table creation and deletion, in ms. @default 0 */
  readonly createTableMs?: number;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
}

/** Starts dynalite on 127.0.0.1 and returns its endpoint. */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalEndpoint> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: options.createTableMs ?? 0, deleteTableMs: 0, updateTableMs: 0 });
  return listenLocal(server, options.port ?? 0);
}

/** A DynamoDB client for a local endpoint (dynalite or moto). */
export function localDynamoDbClient(endpoint: string, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
}

/** Creates a table in the response cache schema (what `ResponseCacheTable` deploys) and waits until it is active. */
export async function createResponseCacheTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: CACHE_PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: CACHE_SORT_KEY, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: CACHE_PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: CACHE_SORT_KEY, AttributeType: 'S' },
      { AttributeName: CACHE_INTENT_ATTRIBUTE, AttributeType: 'S' },
      { AttributeName: CACHE_GENERATED_AT_ATTRIBUTE, AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: CACHE_INTENT_INDEX,
      KeySchema: [
        { AttributeName: CACHE_INTENT_ATTRIBUTE, KeyType: 'HASH' },
        { AttributeName: CACHE_GENERATED_AT_ATTRIBUTE, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  }));
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 } as never, { TableName: tableName });
}
