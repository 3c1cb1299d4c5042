import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createResponseCacheTable, localDynamoDbClient } from '../../src/testing';
import { DYNAMODB_BACKENDS } from '../helpers/backends';

describe.each(DYNAMODB_BACKENDS)('local DynamoDB backend: $name', (backend) => {
  it('creates the response cache table with the real DynamoDB client', async () => {
    const local = await backend.start();
    try {
      const client = localDynamoDbClient(local.endpoint);
      await createResponseCacheTable(client, 'cache');

      const tables = await client.send(new ListTablesCommand({}));

      expect(tables.TableNames).toContain('cache');
    } finally {
      await local.stop();
    }
  });
});
