import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConverseGenerator } from '../../src/runtime/bedrock/converse';
import { DynamoResponseStore, REFRESH_MARKER_SORT_KEY } from '../../src/runtime/cache/dynamo-store';
import { SqsGenerationQueue } from '../../src/runtime/cache/generation-request';
import { createGeneratorWorker, type GeneratorWorkerOptions } from '../../src/runtime/cache/generator-worker';
import { CacheMetrics } from '../../src/runtime/cache/metrics';
import { ResponseCache } from '../../src/runtime/cache/response-cache';
import { type IntentCacheConfigs } from '../../src/shared/wire';
import { DYNAMODB_BACKENDS } from '../helpers/backends';
import { deliverOnce, drain, freshQueues, freshTable, localBedrockClient, receive, sqsEvent, useLocalBackends } from '../runtime/cache/fixtures';

const INTENTS: IntentCacheConfigs = {
  AboutDemo: { staticAnswer: 'Our demo shows Atlas answering calls.', prompt: 'Describe the demo for {{industry}}.', contextFields: ['industry'] },
};
const BUNDLE = join(__dirname, '..', '..', 'assets', 'handlers', 'generator-worker', 'index.js');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(DYNAMODB_BACKENDS)('generator worker on $name', (backend) => {
  const local = useLocalBackends(backend);

  /** A table and queues, the fulfillment side's cache, and a worker wired to them. */
  async function world(workerOptions: Partial<GeneratorWorkerOptions> = {}) {
    local.bedrock.reset();
    local.bedrock.setLatency(0);
    local.bedrock.setResponder(({ prompt }) => `Generated: ${prompt}`);
    const tableName = await freshTable(local.ddb);
    const queues = await freshQueues(local.sqs);
    const store = new DynamoResponseStore({ client: local.ddb, tableName });
    const cache = new ResponseCache({ intents: INTENTS, store, queue: new SqsGenerationQueue(local.sqs, queues.queueUrl), onError: () => undefined });
    const metrics = new CacheMetrics({ sink: () => undefined });
    const worker = createGeneratorWorker({
      store,
      generator: new ConverseGenerator({ client: localBedrockClient(local.bedrock.endpoint) }),
      sqs: local.sqs,
      queueUrl: queues.queueUrl,
      backoffBaseSeconds: 0,
      metrics,
      logger: silent,
      ...workerOptions,
    });
    return { tableName, ...queues, store, cache, metrics, worker };
  }

  async function marker(tableName: string, key: string) {
    return (await local.ddb.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: key }, SK: { S: REFRESH_MARKER_SORT_KEY } } }))).Item;
  }

  it('generates the answer for a miss, writes it to L2 and releases the refresh lease', async () => {
    const { tableName, queueUrl, cache, worker } = await world();
    const miss = await cache.respond('AboutDemo', { industry: 'retail' });
    expect(await marker(tableName, miss.key)).toBeDefined();

    const { delivered, response } = await deliverOnce(local.sqs, queueUrl, worker);
    const next = await new ResponseCache({ intents: INTENTS, store: cache.store, queue: { enqueue: async () => undefined } }).respond('AboutDemo', { industry: 'retail' });

    expect(delivered).toHaveLength(1);
    expect(response?.batchItemFailures).toEqual([]);
    expect(next).toMatchObject({ status: 'l2-hit', answer: 'Generated: Describe the demo for retail.' });
    expect(await marker(tableName, miss.key)).toBeUndefined();
    expect(await receive(local.sqs, queueUrl)).toHaveLength(0);
  });

  it('reports throttled and timed-out calls as batch item failures, and SQS redelivers until one succeeds', async () => {
    const { queueUrl, cache, worker, metrics } = await world();
    await cache.respond('AboutDemo', { industry: 'energy' });
    local.bedrock.failNext('ThrottlingException', 'ModelTimeoutException');

    const first = await deliverOnce(local.sqs, queueUrl, worker);
    const second = await deliverOnce(local.sqs, queueUrl, worker);
    const third = await deliverOnce(local.sqs, queueUrl, worker);

    expect(first.response?.batchItemFailures).toEqual([{ itemIdentifier: first.delivered[0].MessageId }]);
    expect(second.response?.batchItemFailures).toEqual([{ itemIdentifier: first.delivered[0].MessageId }]);
    expect(third.response?.batchItemFailures).toEqual([]);
    expect(third.delivered[0].Attributes?.ApproximateReceiveCount).toBe('3');
    expect(local.bedrock.calls.map((c) => c.outcome)).toEqual(['ThrottlingException', 'ModelTimeoutException', 'answered']);
    expect(metrics.snapshot('AboutDemo')).toMatchObject({ GenerationFailure: 2, GenerationSuccess: 1 });
    expect((await cache.store.newest(cache.keyFor('AboutDemo', { industry: 'energy' })))?.answer).toBe('Generated: Describe the demo for energy.');
  });

  it('backs off a throttled message by extending its visibility timeout', async () => {
    const { queueUrl, dlqUrl, cache, worker } = await world({ backoffBaseSeconds: 30 });
    await cache.respond('AboutDemo', { industry: 'energy' });
    local.bedrock.failNext('ThrottlingException');

    const first = await deliverOnce(local.sqs, queueUrl, worker);

    expect(first.response?.batchItemFailures).toHaveLength(1);
    expect(await receive(local.sqs, queueUrl)).toHaveLength(0); // hidden for 30 s, not deleted
    expect(await receive(local.sqs, dlqUrl)).toHaveLength(0);
  });

  it('fails poison messages on every receive until SQS moves them to the dead-letter queue', async () => {
    const { queueUrl, dlqUrl, worker } = await world();
    await local.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json' }));
    await local.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ version: 2, key: 'RESPONSE#AboutDemo#x' }) }));

    const responses: SQSBatchResponse[] = [];
    for (let i = 0; i < 5; i++) {
      const { response } = await deliverOnce(local.sqs, queueUrl, worker);
      if (response) responses.push(response);
    }

    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((r) => r.batchItemFailures.length > 0)).toBe(true);
    expect((await drain(local.sqs, dlqUrl)).map((m) => m.Body).sort()).toEqual(['not json', JSON.stringify({ version: 2, key: 'RESPONSE#AboutDemo#x' })].sort());
    expect(local.bedrock.calls).toHaveLength(0);
  });

  it('fails a request Bedrock rejects (ValidationException) without retrying it silently', async () => {
    const { queueUrl, cache, worker } = await world();
    await cache.respond('AboutDemo', { industry: 'energy' });
    local.bedrock.failNext('ValidationException');

    const { delivered, response } = await deliverOnce(local.sqs, queueUrl, worker);

    expect(response?.batchItemFailures).toEqual([{ itemIdentifier: delivered[0].MessageId }]);
    expect(await receive(local.sqs, queueUrl)).toHaveLength(1); // still on the queue, bound for the DLQ
  });

  it('counts an answer over the DynamoDB item limit, does not store it and does not fail the message', async () => {
    const { tableName, queueUrl, cache, worker, metrics } = await world();
    const miss = await cache.respond('AboutDemo', { industry: 'energy' });
    local.bedrock.setResponder(() => 'x'.repeat(401 * 1024)); // one "word", so the 150-token cut leaves it whole

    const { response } = await deliverOnce(local.sqs, queueUrl, worker);

    expect(response?.batchItemFailures).toEqual([]);
    expect(metrics.snapshot('AboutDemo').OversizeAnswer).toBe(1);
    expect(await cache.store.newest(miss.key)).toBeUndefined();
    expect(await marker(tableName, miss.key)).toBeUndefined();
  });

  it('skips the Bedrock call when a newer fresh answer is already stored (a duplicate request)', async () => {
    const { queueUrl, cache, worker } = await world();
    await cache.respond('AboutDemo', { industry: 'energy' });
    const [message] = await receive(local.sqs, queueUrl);
    await cache.put('AboutDemo', { industry: 'energy' }, 'Already generated.');

    const response = await worker(sqsEvent([message]));

    expect(response.batchItemFailures).toEqual([]);
    expect(local.bedrock.calls).toHaveLength(0);
  });

  it('runs as bundled, configured by environment variables only', async () => {
    expect(existsSync(BUNDLE), 'run `npx projen bundle` first').toBe(true);
    const { tableName, queueUrl, cache } = await world();
    await cache.respond('AboutDemo', { industry: 'logistics' });
    const messages = await receive(local.sqs, queueUrl);
    const script = `require(${JSON.stringify(BUNDLE)}).handler(JSON.parse(process.argv[1])).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;

    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(sqsEvent(messages))], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL_DYNAMODB: local.dynamo.endpoint,
        AWS_ENDPOINT_URL_SQS: local.sqsServer.endpoint,
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: local.bedrock.endpoint,
        FAST_LEX_CACHE_TABLE: tableName,
        FAST_LEX_GENERATION_QUEUE_URL: queueUrl,
        FAST_LEX_MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        FAST_LEX_MAX_TOKENS: '60',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });

    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ batchItemFailures: [] });
    expect(local.bedrock.calls[0].body).toMatchObject({ inferenceConfig: { maxTokens: 60 } });
    expect((await cache.store.newest(cache.keyFor('AboutDemo', { industry: 'logistics' })))?.answer).toBe('Generated: Describe the demo for logistics.');
  });
});
