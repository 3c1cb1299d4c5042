import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConverseGenerator } from '../../../src/runtime/bedrock/converse';
import { DynamoResponseStore, REFRESH_MARKER_SORT_KEY, answerEntry } from '../../../src/runtime/cache/dynamo-store';
import { CacheKeyError, UnknownIntentError } from '../../../src/runtime/cache/errors';
import { SqsGenerationQueue, parseGenerationRequest } from '../../../src/runtime/cache/generation-request';
import { CacheMetrics } from '../../../src/runtime/cache/metrics';
import { ResponseCache } from '../../../src/runtime/cache/response-cache';
import { type IntentCacheConfigs } from '../../../src/shared/wire';
import { LOCAL_CREDENTIALS } from '../../../src/testing';
import { DYNAMODB_BACKENDS } from '../../helpers/backends';
import { drain, freshQueues, freshTable, localBedrockClient, manualClock, useLocalBackends } from './fixtures';

const INTENTS: IntentCacheConfigs = {
  AboutDemo: {
    staticAnswer: 'Our demo shows Atlas answering calls.',
    prompt: 'Describe the Atlas demo for a {{industry}} company.',
    contextFields: ['industry'],
    ttlSeconds: 300,
    staleSeconds: 120,
  },
  Greeting: { staticAnswer: 'Hello! How can I help?' },
};

const quiet = () => undefined;

describe.each(DYNAMODB_BACKENDS)('ResponseCache on $name', (backend) => {
  const local = useLocalBackends(backend);

  /** A cache as a Lambda would hold it, on its own table and queue. Caches made by one `world` share both. */
  async function world(clock = manualClock()) {
    const tableName = await freshTable(local.ddb);
    const { queueUrl } = await freshQueues(local.sqs);
    const make = (extra: Partial<ConstructorParameters<typeof ResponseCache>[0]> = {}) => new ResponseCache({
      intents: INTENTS,
      store: new DynamoResponseStore({ client: local.ddb, tableName, clock: clock.now }),
      queue: new SqsGenerationQueue(local.sqs, queueUrl),
      clock: clock.now,
      onError: quiet,
      ...extra,
    });
    return { tableName, queueUrl, clock, make };
  }

  it('answers a miss with the static answer and enqueues exactly one versioned generation request', async () => {
    const { queueUrl, make } = await world();
    const cache = make();

    const result = await cache.respond('AboutDemo', { industry: '  Health Care ', sessionId: 'abc-123' });

    expect(result).toMatchObject({ answer: INTENTS.AboutDemo.staticAnswer, status: 'miss', enqueued: true });
    const messages = await drain(local.sqs, queueUrl);
    expect(messages).toHaveLength(1);
    const request = parseGenerationRequest(messages[0].Body!);
    expect(request).toMatchObject({
      version: 1,
      key: result.key,
      intent: 'AboutDemo',
      context: { industry: 'health care' },
      // The key folds case; the prompt keeps the caller's, so Bedrock reads names as they were said.
      prompt: 'Describe the Atlas demo for a Health Care company.',
      ttlSeconds: 300,
      staleSeconds: 120,
      reason: 'miss',
    });
    expect(messages[0].Body).not.toContain('abc-123');
  });

  it('enqueues one request for many concurrent misses, within one process and across two', async () => {
    const { queueUrl, make } = await world();
    const lambdaA = make();
    const lambdaB = make();

    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => lambdaA.respond('AboutDemo', { industry: 'retail' })),
      ...Array.from({ length: 8 }, () => lambdaB.respond('AboutDemo', { industry: 'RETAIL' })),
    ]);

    expect(results.every((r) => r.status === 'miss' && r.answer === INTENTS.AboutDemo.staticAnswer)).toBe(true);
    expect(results.filter((r) => r.enqueued)).toHaveLength(1);
    expect(await drain(local.sqs, queueUrl)).toHaveLength(1);
  });

  it('fills L1 from an L2 hit, then answers from L1', async () => {
    const { tableName, clock, make } = await world();
    const writer = new DynamoResponseStore({ client: local.ddb, tableName, clock: clock.now });
    const cache = make();
    const key = cache.keyFor('AboutDemo', { industry: 'retail' });
    await writer.put(key, answerEntry('AboutDemo', 'Generated for retail.', clock.now(), 300, 120));

    const first = await cache.respond('AboutDemo', { industry: 'retail' });
    const second = await cache.respond('AboutDemo', { industry: ' Retail ' });

    expect(first).toMatchObject({ status: 'l2-hit', answer: 'Generated for retail.', enqueued: false });
    expect(second).toMatchObject({ status: 'l1-hit', answer: 'Generated for retail.' });
    expect(cache.memory.size).toBe(1);
    expect(cache.metrics.snapshot('AboutDemo')).toMatchObject({ CacheHitL1: 1, CacheHitL2: 1 });
  });

  it('checks expiry on read: an answer past its stale window is a miss even though DynamoDB still holds it', async () => {
    const { tableName, queueUrl, clock, make } = await world();
    const cache = make();
    const key = cache.keyFor('AboutDemo', { industry: 'retail' });
    await cache.put('AboutDemo', { industry: 'retail' }, 'Old answer.');
    clock.advance((300 + 120 + 1) * 1000);

    const result = await cache.respond('AboutDemo', { industry: 'retail' });

    expect(result).toMatchObject({ status: 'miss', answer: INTENTS.AboutDemo.staticAnswer, enqueued: true });
    const items = await new DynamoResponseStore({ client: local.ddb, tableName, clock: () => 0 }).newest(key);
    expect(items?.answer).toBe('Old answer.'); // still in the table: no TTL sweep happened
    expect(await drain(local.sqs, queueUrl)).toHaveLength(1);
  });

  it('serves a stale answer to concurrent callers in two Lambdas and requests one refresh', async () => {
    const { tableName, queueUrl, clock, make } = await world();
    const writer = new DynamoResponseStore({ client: local.ddb, tableName, clock: clock.now });
    const lambdaA = make();
    const lambdaB = make();
    const key = lambdaA.keyFor('AboutDemo', { industry: 'retail' });
    await writer.put(key, answerEntry('AboutDemo', 'Yesterday\'s answer.', clock.now(), 300, 120));
    await lambdaA.respond('AboutDemo', { industry: 'retail' }); // now in lambdaA's L1 too
    clock.advance(301 * 1000);

    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? lambdaA : lambdaB).respond('AboutDemo', { industry: 'retail' })));

    expect(results.every((r) => r.status === 'stale' && r.answer === 'Yesterday\'s answer.')).toBe(true);
    const messages = await drain(local.sqs, queueUrl);
    expect(messages).toHaveLength(1);
    expect(parseGenerationRequest(messages[0].Body!).reason).toBe('stale');
    const marker = await local.ddb.send(new GetItemCommand({ TableName: tableName, Key: { PK: { S: key }, SK: { S: REFRESH_MARKER_SORT_KEY } } }));
    expect(marker.Item).toBeDefined();
  });

  it('prefers a newer L2 answer over a stale L1 entry (another Lambda refreshed it)', async () => {
    const { tableName, clock, make } = await world();
    const writer = new DynamoResponseStore({ client: local.ddb, tableName, clock: clock.now });
    const cache = make();
    const key = cache.keyFor('AboutDemo', { industry: 'retail' });
    await writer.put(key, answerEntry('AboutDemo', 'First answer.', clock.now(), 300, 120));
    await cache.respond('AboutDemo', { industry: 'retail' });
    clock.advance(301 * 1000);
    await writer.put(key, answerEntry('AboutDemo', 'Refreshed answer.', clock.now(), 300, 120));

    const result = await cache.respond('AboutDemo', { industry: 'retail' });

    expect(result).toMatchObject({ status: 'l2-hit', answer: 'Refreshed answer.' });
  });

  it('does not cache an answer over the DynamoDB item limit, counts it and does not throw', async () => {
    const { make } = await world();
    const cache = make();

    const put = await cache.put('AboutDemo', { industry: 'retail' }, 'x'.repeat(401 * 1024));
    const next = await cache.respond('AboutDemo', { industry: 'retail' });

    expect(put.stored).toBe(false);
    expect(cache.metrics.snapshot('AboutDemo').OversizeAnswer).toBe(1);
    expect(next.status).toBe('miss');
  });

  it('answers a prompt-less intent with its static answer and never enqueues', async () => {
    const { queueUrl, make } = await world();

    const result = await make().respond('Greeting', { name: 'Ana' });

    expect(result).toMatchObject({ status: 'static', answer: INTENTS.Greeting.staticAnswer, enqueued: false });
    expect(await drain(local.sqs, queueUrl)).toHaveLength(0);
  });

  it('counts an enqueue failure, still answers, and releases the lease so the next miss can enqueue', async () => {
    const { queueUrl, make } = await world();
    const broken = make({ queue: new SqsGenerationQueue(local.sqs, `${queueUrl}-missing`) });
    const healthy = make();

    const failed = await broken.respond('AboutDemo', { industry: 'retail' });
    const retried = await healthy.respond('AboutDemo', { industry: 'retail' });

    expect(failed).toMatchObject({ status: 'miss', answer: INTENTS.AboutDemo.staticAnswer, enqueued: false });
    expect(broken.metrics.snapshot('AboutDemo').EnqueueFailure).toBe(1);
    expect(retried.enqueued).toBe(true);
    expect(await drain(local.sqs, queueUrl)).toHaveLength(1);
  });

  it('in synchronous mode returns the generated answer when Bedrock answers within the deadline', async () => {
    const { queueUrl, make } = await world();
    local.bedrock.setLatency(0);
    const cache = make({ syncDeadlineMs: 2000, generator: new ConverseGenerator({ client: localBedrockClient(local.bedrock.endpoint) }) });

    const result = await cache.respond('AboutDemo', { industry: 'retail' });
    const elsewhere = await make().respond('AboutDemo', { industry: 'retail' });

    // The stand-in's default answer names the prompt's subject and says it is the offline stand-in.
    expect(result).toMatchObject({ status: 'sync-generated', answer: expect.stringMatching(/^The offline Bedrock stand-in, not a model, answers here about Atlas\./) });
    expect(local.bedrock.calls.at(-1)?.prompt).toBe('Describe the Atlas demo for a retail company.');
    expect(elsewhere).toMatchObject({ status: 'l2-hit', answer: result.answer });
    expect(await drain(local.sqs, queueUrl)).toHaveLength(0);
  });

  it('in synchronous mode falls back to the static answer and enqueues when Bedrock misses the deadline', async () => {
    const { queueUrl, make } = await world();
    local.bedrock.setLatency(5000);
    const cache = make({ syncDeadlineMs: 100, generator: new ConverseGenerator({ client: localBedrockClient(local.bedrock.endpoint) }) });
    try {
      const result = await cache.respond('AboutDemo', { industry: 'energy' });

      expect(result).toMatchObject({ status: 'fallback', answer: INTENTS.AboutDemo.staticAnswer, enqueued: true });
      expect(cache.metrics.snapshot('AboutDemo')).toMatchObject({ GenerationFailure: 1, Fallback: 1 });
      const messages = await drain(local.sqs, queueUrl);
      expect(messages.map((m) => parseGenerationRequest(m.Body!).reason)).toEqual(['sync-failed']);
    } finally {
      local.bedrock.setLatency(0);
    }
  });
});

describe('ResponseCache without AWS', () => {
  // Port 9 (discard) has no listener on loopback: connection refused at once; one attempt, no SDK retries.
  const unreachable = new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

  function offline(extra: Partial<ConstructorParameters<typeof ResponseCache>[0]> = {}) {
    return new ResponseCache({
      intents: INTENTS,
      store: new DynamoResponseStore({ client: unreachable, tableName: 'none' }),
      queue: { enqueue: async () => { throw new Error('not reached'); } },
      onError: quiet,
      ...extra,
    });
  }

  it('falls back to the static answer when DynamoDB cannot be reached', async () => {
    const cache = offline();

    const result = await cache.respond('AboutDemo', { industry: 'retail' });

    expect(result).toMatchObject({ status: 'fallback', answer: INTENTS.AboutDemo.staticAnswer, enqueued: false });
    expect(cache.metrics.snapshot('AboutDemo')).toMatchObject({ StoreError: 1, Fallback: 1 });
  });

  it('throws UnknownIntentError for an intent without configuration', async () => {
    await expect(offline().respond('Nope', {})).rejects.toBeInstanceOf(UnknownIntentError);
  });

  it('uses the catch-all entry for other intents', () => {
    const cache = offline({ intents: { ...INTENTS, '*': { staticAnswer: 'Sorry?' } } });

    expect(cache.configFor('Anything').staticAnswer).toBe('Sorry?');
  });

  it('throws CacheKeyError naming a context field that has no canonical form', async () => {
    const error = await offline().respond('AboutDemo', { industry: Number.NaN }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CacheKeyError);
    expect((error as CacheKeyError).field).toBe('industry');
  });

  it('publishes one EMF document per intent, with a per-intent and a whole-service dimension set', async () => {
    const documents: Array<Record<string, unknown>> = [];
    const cache = offline({ metrics: new CacheMetrics({ namespace: 'Test', sink: (emf) => documents.push(emf) }) });
    await cache.respond('AboutDemo', { industry: 'retail' });
    await cache.respond('Greeting', {});

    cache.publishMetrics();

    expect(documents).toHaveLength(2);
    const demo = documents.find((d) => d.intent === 'AboutDemo')!;
    expect(demo).toMatchObject({ Fallback: 1, StoreError: 1 });
    const aws = demo._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> };
    expect(aws.CloudWatchMetrics[0].Namespace).toBe('Test');
    expect(aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'intent'], ['service']]);
    expect(documents.find((d) => d.intent === 'Greeting')).toMatchObject({ StaticAnswer: 1 });
  });

  it('builds itself from environment variables and names a missing one', () => {
    const env = { FAST_LEX_CACHE_TABLE: 't', FAST_LEX_GENERATION_QUEUE_URL: 'http://127.0.0.1:1/q', FAST_LEX_INTENTS: JSON.stringify(INTENTS) };

    expect(ResponseCache.fromEnvironment(env).configFor('Greeting').staticAnswer).toBe(INTENTS.Greeting.staticAnswer);
    expect(() => ResponseCache.fromEnvironment({ ...env, FAST_LEX_CACHE_TABLE: '' })).toThrow(/FAST_LEX_CACHE_TABLE/);
  });
});
