// The workflow steps' DynamoDB client gives up on a hung DynamoDB at STEP_CLIENT_TIMEOUTS per attempt, instead of
// waiting on until Lambda kills the step.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stepDynamoDbClient } from '../../src/runtime/workflow/environment';
import { STEP_CLIENT_TIMEOUTS } from '../../src/shared/fault-tolerance';
import { startAwsJsonProxy, type AwsJsonProxy } from '../../src/testing';
import { setProcessEnvironment } from '../../src/testing/lambda-bundle';

describe('the workflow steps\' DynamoDB client against a DynamoDB that never answers', () => {
  let hung: AwsJsonProxy;
  let restore: () => void;

  beforeEach(async () => {
    // The proxy reads each request and never answers: nothing is forwarded, so no backend is needed behind it.
    hung = await startAwsJsonProxy('http://127.0.0.1:9');
    hung.hang = true;
    restore = setProcessEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: hung.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  });
  afterEach(async () => {
    restore();
    await hung.stop();
  });

  // NodeHttpHandlerOptions.requestTimeout: "If exceeded, a warning will be emitted unless throwOnRequestTimeout=true"
  // (@smithy/types, http/httpHandlerInitialization.d.ts, @smithy/node-http-handler 4.x); DynamoDB GetItem is a read and
  // safe to retry (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html).
  it('fails each attempt at its request deadline with TimeoutError and stops after three attempts', async () => {
    // The module-scope client is created on this first call, so it reads the environment set above.
    const client = stepDynamoDbClient();

    const error = await client.send(new GetItemCommand({ TableName: 'calls', Key: { pk: { S: 'x' } } })).catch((e: Error) => e);

    expect(STEP_CLIENT_TIMEOUTS.throwOnRequestTimeout).toBe(true);
    expect((error as Error).name).toBe('TimeoutError');
    expect(hung.calls.GetItem).toBe(3);
  }, 30_000);
});
