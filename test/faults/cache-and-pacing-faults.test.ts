// Answers the cache must not keep (Bedrock cut at maxTokens, a guardrail refusal), through the real generator worker,
// Converse client and Bedrock stand-in; and the shared call pacer against dynalite: a burst goes at Connect's rate.
import { describe, expect, it } from 'vitest';
import { ConverseGenerator } from '../../src/runtime/bedrock/converse';
import { DynamoResponseStore } from '../../src/runtime/cache/dynamo-store';
import { createGeneratorWorker } from '../../src/runtime/cache/generator-worker';
import { SqsGenerationQueue } from '../../src/runtime/cache/generation-request';
import { CacheMetric, CacheMetrics } from '../../src/runtime/cache/metrics';
import { ResponseCache } from '../../src/runtime/cache/response-cache';
import { CallPacer } from '../../src/runtime/workflow/call-pacer';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_BACKENDS } from '../helpers/backends';
import { deliverOnce, freshQueues, freshTable, localBedrockClient, useLocalBackends } from '../runtime/cache/fixtures';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const INTENTS = { AboutIntent: { staticAnswer: 'We build fast voice bots.', prompt: 'Tell me about us.', maxTokens: 12 } };

describe.each(DYNAMODB_BACKENDS.slice(0, 1))('answers the cache does not keep, on $name', (backend) => {
  const local = useLocalBackends(backend);

  async function setup() {
    const tableName = await freshTable(local.ddb);
    const { queueUrl } = await freshQueues(local.sqs);
    const metrics = new CacheMetrics({ sink: () => undefined });
    const store = new DynamoResponseStore({ client: local.ddb, tableName });
    const cache = new ResponseCache({ intents: INTENTS, store, queue: new SqsGenerationQueue(local.sqs, queueUrl), onError: () => undefined, metrics });
    const worker = createGeneratorWorker({ store, generator: new ConverseGenerator({ client: localBedrockClient(local.bedrock.endpoint) }), logger: silent, metrics });
    return { cache, worker, queueUrl, metrics };
  }

  it('trims an answer Bedrock cut at maxTokens to its last whole sentence, and counts it', async () => {
    const { cache, worker, queueUrl, metrics } = await setup();
    local.bedrock.setResponder(() => 'We build fast voice bots. They answer in milliseconds and never make a caller wait for');

    await cache.respond('AboutIntent');
    await deliverOnce(local.sqs, queueUrl, worker);
    const next = await cache.respond('AboutIntent');

    expect(next.answer).toBe('We build fast voice bots.');
    expect(metrics.snapshot('AboutIntent')[CacheMetric.TRUNCATED_ANSWER]).toBe(1);
  });

  it('keeps serving the static answer when Bedrock cut the only sentence, or its guardrail intervened', async () => {
    for (const reply of [
      'We build remarkably fast voice bots that answer callers in milliseconds without ever making anyone wait',
      { text: 'Sorry, the model cannot answer that.', stopReason: 'guardrail_intervened' },
    ]) {
      const { cache, worker, queueUrl, metrics } = await setup();
      local.bedrock.setResponder(() => reply);

      await cache.respond('AboutIntent');
      const result = await deliverOnce(local.sqs, queueUrl, worker);
      const next = await cache.respond('AboutIntent');

      expect(next).toMatchObject({ answer: 'We build fast voice bots.', status: 'miss' });
      expect(result.response?.batchItemFailures).toEqual([]); // not retried: the same prompt would stop the same way
      const counted = metrics.snapshot('AboutIntent');
      expect((counted[CacheMetric.TRUNCATED_ANSWER] ?? 0) + (counted[CacheMetric.GUARDRAIL_INTERVENED] ?? 0)).toBe(1);
    }
  });

  it('paces a burst of 12 reservations to 5 at once, then one every 500 ms (2/s), with no two in the same slot', async () => {
    const tableName = `pacing-${Date.now()}`;
    await local.ddb.send(new CreateTableCommand({
      TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    let now = 1_000_000;
    const pacer = new CallPacer({ tableName, client: local.ddb, perSecond: 2, burst: 5, now: () => now });

    const slots = await Promise.all(Array.from({ length: 12 }, () => pacer.reserve()));
    const waits = slots.map((s) => s.waitMs).sort((a, b) => a - b);
    now += 60_000; // a quiet minute later the bucket is full again
    const afterQuiet = await pacer.reserve();

    expect(waits).toEqual([0, 0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000, 3500]);
    expect(afterQuiet.waitMs).toBe(0);
  });
});
