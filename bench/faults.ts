// Benchmark of the fault paths: the Lex turn under a hanging and a throttling DynamoDB and SQS (real clients with the
// SDK's defaults, through the fault proxy, dynalite and moto), p50/p99 against the turn budget; and a burst of 100 demo
// requests through the synthesized workflow against the Connect stand-in limited to Connect's 2/s, burst 5: calls
// placed and time to the last call. Writes bench/results/faults.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoResponseStore } from '../src/runtime/cache/dynamo-store';
import { SqsGenerationQueue } from '../src/runtime/cache/generation-request';
import { CacheMetrics } from '../src/runtime/cache/metrics';
import { ResponseCache } from '../src/runtime/cache/response-cache';
import { createFulfillmentHandler, type TurnLog } from '../src/runtime/lex/fulfillment';
import { DEFAULT_TURN_BUDGET_MS, TURN_CLIENT_CONFIG } from '../src/shared/fault-tolerance';
import {
  LOCAL_CREDENTIALS, LOCAL_REGION, createResponseCacheTable, lexEvent, lexResponseProblems, serviceUnavailable, startAwsJsonProxy, startLocalDynamoDb,
  startMotoServer, throttling, type AwsJsonProxy, type LocalExecution,
} from '../src/testing';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { demoRequest, startWorld } from '../test/support/demo-call-world';

const TURNS = 60;
const CONCURRENCY = 10;
const BURST = 100;
const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const round = (n: number) => Math.round(n * 10) / 10;

interface Scenario { readonly name: string; readonly arrange: (p: { ddb: AwsJsonProxy; sqs: AwsJsonProxy }) => void }
const SCENARIOS: Scenario[] = [
  { name: 'no fault', arrange: () => undefined },
  { name: 'DynamoDB hangs', arrange: ({ ddb }) => { ddb.hang = true; } },
  { name: 'DynamoDB throttles', arrange: ({ ddb }) => { ddb.failWith = throttling('ProvisionedThroughputExceededException'); } },
  { name: 'SQS hangs', arrange: ({ sqs }) => { sqs.hang = true; } },
  { name: 'SQS throttles', arrange: ({ sqs }) => { sqs.failWith = throttling('ThrottlingException'); } },
  { name: 'SQS slow (300 ms)', arrange: ({ sqs }) => { sqs.latencyMs = 300; } },
  { name: 'SQS down (500s)', arrange: ({ sqs }) => { sqs.failWith = serviceUnavailable('InternalError'); } },
];

async function turnFaults() {
  const [dynamo, moto] = await Promise.all([startLocalDynamoDb(), startMotoServer()]);
  const admin = { ddb: new DynamoDBClient({ ...client, endpoint: dynamo.endpoint }), sqs: new SQSClient({ ...client, endpoint: moto.endpoint }) };
  const rows: Record<string, unknown>[] = [];
  try {
    for (const scenario of SCENARIOS) {
      // With the budget and the turn's client settings (as shipped), then without either (before this change).
      for (const budgetMs of [DEFAULT_TURN_BUDGET_MS, undefined]) {
        const [ddb, sqs] = await Promise.all([startAwsJsonProxy(dynamo.endpoint), startAwsJsonProxy(moto.endpoint)]);
        const tableName = `faults-${Date.now()}-${rows.length}`;
        await createResponseCacheTable(admin.ddb, tableName);
        const queueUrl = (await admin.sqs.send(new CreateQueueCommand({ QueueName: `faults-${Date.now()}-${rows.length}` }))).QueueUrl!;
        const cache = new ResponseCache({
          intents: { AboutIntent: { staticAnswer: 'We build fast voice bots.', prompt: 'Tell me about {{slots.topic}}.', contextFields: ['slots.topic'] } },
          // The clients as ResponseCache.fromEnvironment builds them (TURN_CLIENT_CONFIG), or with the SDK's defaults.
          store: new DynamoResponseStore({ client: new DynamoDBClient({ ...client, ...(budgetMs ? TURN_CLIENT_CONFIG : {}), endpoint: ddb.endpoint }), tableName }),
          queue: new SqsGenerationQueue(new SQSClient({ ...client, ...(budgetMs ? TURN_CLIENT_CONFIG : {}), endpoint: sqs.endpoint }), queueUrl),
          onError: () => undefined,
          metrics: new CacheMetrics({ sink: () => undefined }),
        });
        const lines: TurnLog[] = [];
        // Without a budget the turn runs on the SDK's defaults: bounded here only by a 10 s watchdog, which a real
        // turn does not have (Lex gives up at 30 s, the Lambda at its timeout).
        const handler = createFulfillmentHandler({ cache, turnBudgetMs: budgetMs ?? 3_600_000, log: (l) => lines.push(l) });
        scenario.arrange({ ddb, sqs });
        const times: number[] = [];
        let invalid = 0;
        let unanswered = 0;
        let next = 0;
        const lane = async () => {
          while (next < TURNS) {
            const i = next++;
            const started = performance.now();
            const event = lexEvent({ intent: 'AboutIntent', slots: { topic: `topic ${i}` }, sessionId: `bench-${i}` });
            const watchdog = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
            const result = await Promise.race([handler(event, { getRemainingTimeInMillis: () => 30_000 }), watchdog]);
            times.push(performance.now() - started);
            if (result === 'timeout') unanswered++;
            else if (lexResponseProblems(result).length) invalid++;
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, lane));
        ddb.release(); sqs.release();
        await Promise.all([ddb.stop(), sqs.stop()]);
        rows.push({
          scenario: scenario.name, budgetMs: budgetMs ?? 'none (SDK defaults)', turns: TURNS,
          p50Ms: round(pct(times, 50)), p99Ms: round(pct(times, 99)), unansweredAt10s: unanswered, invalidAnswers: invalid,
          statuses: Object.entries(lines.reduce<Record<string, number>>((m, l) => ({ ...m, [l.status ?? l.route]: (m[l.status ?? l.route] ?? 0) + 1 }), {})).map(([k, v]) => `${k} ${v}`).join(', '),
        });
      }
    }
  } finally {
    // Leases given back in the background (1 s deadline each) finish before dynalite closes.
    await new Promise((r) => setTimeout(r, 1_500));
    admin.ddb.destroy(); admin.sqs.destroy();
    await Promise.all([dynamo.stop(), moto.stop()]);
  }
  return rows;
}

async function connectBurst() {
  const world = await startWorld({ waitForCallCompletion: false }, { connectMs: 20, connectRateLimit: { perSecond: 2, burst: 5 } });
  try {
    // Step Functions' retry pause between attempts of a paced call (its real backoff: 1 s doubling to 20 s, jitter).
    const workflow = world.newWorkflow({ retryPauseMs: 5_000 });
    const started = Date.now();
    const placedAt: number[] = [];
    const executions: LocalExecution[] = await Promise.all(Array.from({ length: BURST }, async (_, i) => {
      const execution = await workflow.run(demoRequest({ requestId: `burst-${i}` }), { executionName: `burst-${i}-${started}` });
      if (execution.status === 'SUCCEEDED') placedAt.push(Date.now() - started);
      return execution;
    }));
    const contacts = new Set(world.connect.calls.map((c) => c.contactId));
    const throttled = world.connect.requests.filter((r) => r.outcome === 'TooManyRequestsException').length;
    return {
      requests: BURST, rate: '2/s, burst 5', callsPlaced: contacts.size,
      executionsSucceeded: executions.filter((e) => e.status === 'SUCCEEDED').length,
      failed: executions.filter((e) => e.status !== 'SUCCEEDED').map((e) => e.error).reduce<Record<string, number>>((m, e) => ({ ...m, [String(e)]: (m[String(e)] ?? 0) + 1 }), {}),
      timeToLastCallS: round((Math.max(...world.connect.calls.map((c) => c.placedAt)) - started) / 1000),
      lastExecutionDoneS: round(Math.max(...placedAt) / 1000),
      idealS: round((BURST - 5) / 2),
      throttledRequestsAtConnect: throttled,
      maxOutboundCallAttempts: Math.max(...executions.map((e) => e.states.find((s) => s.name === 'InvokeOutboundCall')?.attempts ?? 0)),
      leads: world.salesforce.leads().length,
    };
  } finally {
    await world.stop();
  }
}

async function main(): Promise<void> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const turns = only === 'burst' ? [] : await turnFaults();
  console.log(`\nLex turn under faults (${TURNS} turns, ${CONCURRENCY} at a time, each a new question: the miss path)`);
  console.table(turns);
  const burst = only === 'turns' ? {} : await connectBurst();
  console.log('\nBurst of demo requests through the synthesized workflow, Connect stand-in at 2/s, burst 5');
  console.table([burst]);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'faults.json'), `${JSON.stringify({ turns, burst }, null, 2)}\n`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
