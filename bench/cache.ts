// Benchmark of the response cache against the seed's blocking design: writes bench/results/cache.json, prints a table.
//
// Every path uses the real SDK clients on loopback: dynalite (L2), moto (SQS), the Bedrock stand-in at 2,500 ms.
// - L1 hit: `respond` on a warm key, answered from memory.
// - L2 hit: the same with L1 cleared before each call (one DynamoDB Query, then L1 filled).
// - Miss: a new context each call: L2 Query, the refresh lease (conditional PutItem), SQS SendMessage, static answer.
//   Bedrock is never waited for, so its 2,500 ms does not appear here.
// - Blocking (the seed's design): one Converse call per turn plus the cache write. A handful of samples only, since
//   each takes 2.5 s; run one after another.
// speedupVsBlocking = blockingP50Ms / missP50Ms: the turn the seed blocks on versus the cache's slowest path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SQSClient, CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ConverseGenerator } from '../src/runtime/bedrock/converse';
import { DynamoResponseStore, answerEntry } from '../src/runtime/cache/dynamo-store';
import { SqsGenerationQueue } from '../src/runtime/cache/generation-request';
import { CacheMetrics } from '../src/runtime/cache/metrics';
import { ResponseCache } from '../src/runtime/cache/response-cache';
import { type IntentCacheConfigs } from '../src/shared/wire';
import {
  LOCAL_CREDENTIALS,
  createResponseCacheTable,
  localDynamoDbClient,
  startBedrockStandIn,
  startLocalDynamoDb,
  startMotoServer,
} from '../src/testing';

const MODEL_LATENCY_MS = 2500;
const L1_SAMPLES = 20_000;
const L2_SAMPLES = 500;
const MISS_SAMPLES = 300;
const BLOCKING_SAMPLES = 5;
const WARMUP = 50;

const INTENTS: IntentCacheConfigs = {
  AboutDemo: { staticAnswer: 'Our demo shows Atlas answering calls.', prompt: 'Describe the demo for {{industry}}.', contextFields: ['industry'] },
};

async function main(): Promise<void> {
  const [dynamo, moto, bedrock] = await Promise.all([startLocalDynamoDb(), startMotoServer(), startBedrockStandIn({ latencyMs: MODEL_LATENCY_MS })]);
  try {
    const ddb = localDynamoDbClient(dynamo.endpoint);
    const sqs = new SQSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    await createResponseCacheTable(ddb, 'bench-cache');
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-generation' }))).QueueUrl!;
    const store = new DynamoResponseStore({ client: ddb, tableName: 'bench-cache' });
    const cache = new ResponseCache({
      intents: INTENTS,
      store,
      queue: new SqsGenerationQueue(sqs, queueUrl),
      metrics: new CacheMetrics({ sink: () => undefined }),
    });
    const warm = { industry: 'retail' };
    await cache.put('AboutDemo', warm, 'A generated answer about the retail demo.');

    const l1 = await sample(L1_SAMPLES, async () => expectStatus(await cache.respond('AboutDemo', warm), 'l1-hit'));
    const l2 = await sample(L2_SAMPLES, async () => expectStatus(await cache.respond('AboutDemo', warm), 'l2-hit'), () => cache.memory.clear());
    let n = 0;
    // The worker keeps the queue short in production; here an untimed drain does (moto's SendMessage slows as a
    // queue grows, which would measure moto rather than the cache).
    const drain = async () => {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (got.Messages?.length) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: got.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    };
    const miss = await sample(MISS_SAMPLES, async () => expectStatus(await cache.respond('AboutDemo', { industry: `industry ${n++}` }), 'miss'), drain);

    // Where a miss spends its time: the three round trips, each timed alone (printed, not part of the JSON).
    const query = await sample(200, async () => { await store.newest(`RESPONSE#AboutDemo#q${n++}`); });
    const claim = await sample(200, async () => { await store.claimRefresh(`RESPONSE#AboutDemo#c${n++}`, 60_000); });
    const send = await sample(200, async () => { await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `{"n":${n++}}` })); }, drain);

    const generator = new ConverseGenerator({
      client: new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }),
    });
    const blocking = await sample(BLOCKING_SAMPLES, async () => {
      // The seed's turn: call the model, write the answer, then reply.
      const { text } = await generator.generate(`Describe the demo for industry ${n++}.`);
      await store.put(`RESPONSE#AboutDemo#blocking${n}`, answerEntry('AboutDemo', text, Date.now(), 300, 300));
    }, undefined, 1);

    const results = {
      l1HitP50Ms: round(pct(l1, 50)),
      l1HitP99Ms: round(pct(l1, 99)),
      l2HitP50Ms: round(pct(l2, 50)),
      l2HitP99Ms: round(pct(l2, 99)),
      missP50Ms: round(pct(miss, 50)),
      missP99Ms: round(pct(miss, 99)),
      blockingP50Ms: round(pct(blocking, 50)),
      speedupVsBlocking: Math.round(pct(blocking, 50) / pct(miss, 50)),
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'cache.json'), `${JSON.stringify(results, null, 2)}\n`);

    console.log(`Response cache (loopback: dynalite, moto SQS, Bedrock stand-in at ${MODEL_LATENCY_MS} ms)`);
    console.table({
      'L1 hit': { samples: L1_SAMPLES, p50Ms: results.l1HitP50Ms, p99Ms: results.l1HitP99Ms, goalP50Ms: '<= 0.1' },
      'L2 hit': { samples: L2_SAMPLES, p50Ms: results.l2HitP50Ms, p99Ms: results.l2HitP99Ms, goalP50Ms: '<= 5' },
      'Miss (static + enqueue)': { samples: MISS_SAMPLES, p50Ms: results.missP50Ms, p99Ms: results.missP99Ms, goalP50Ms: '<= 10' },
      'Blocking Bedrock (seed)': { samples: BLOCKING_SAMPLES, p50Ms: results.blockingP50Ms, p99Ms: '-', goalP50Ms: '-' },
    });
    console.log(`miss breakdown, p50 of each call alone: DynamoDB Query ${round(pct(query, 50))} ms, lease PutItem ${round(pct(claim, 50))} ms, SQS SendMessage (moto) ${round(pct(send, 50))} ms`);
    console.log(`speedupVsBlocking (blocking p50 / miss p50): ${results.speedupVsBlocking}x (goal >= 200x)`);
    console.log('wrote bench/results/cache.json');
  } finally {
    await Promise.all([dynamo.stop(), moto.stop(), bedrock.stop()]);
  }
}

/** Runs `fn` `count` times (after a warm-up) and returns each duration in ms; `before` runs untimed. */
async function sample(count: number, fn: () => Promise<void>, before?: () => unknown, warmup = WARMUP): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await before?.();
    await fn();
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    await before?.();
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

function expectStatus(result: { status: string }, status: string): void {
  if (result.status !== status) throw new Error(`expected ${status}, got ${result.status}`);
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(ms: number): number {
  return ms < 1 ? Number(ms.toFixed(4)) : Number(ms.toFixed(2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
