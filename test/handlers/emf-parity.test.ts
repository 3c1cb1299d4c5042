// Every metric FastLexMonitoring reads from the runtime's namespace is one the shipped handlers emit: the bundled
// fulfillment and generator handlers run against dynalite, moto (SQS) and the Bedrock stand-in with the environment
// the synthesized template gives them, and the EMF documents they print are compared with the alarms and dashboard;
// the bundled UpdateLead handler runs on the workflow's failure path (Salesforce down) for the kept-request alarm.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CachedLexFulfillment, DemoCallWorkflow, FastLexMonitoring } from '../../src';
import { DynamoResponseStore } from '../../src/runtime/cache';
import { LOCAL_CREDENTIALS, localDynamoDbClient, startBedrockStandIn, startLocalDynamoDb, startMotoServer, type BedrockStandIn, type LocalEndpoint } from '../../src/testing';
import { minimalBot } from '../helpers/bot';
import { deliverOnce, freshQueues, freshTable, localSqsClient, REGION } from '../runtime/cache/fixtures';
import * as events from './fixtures/lex-v2-events';
import { ACCOUNT, INSTANCE_ID, demoRequest, runCall, startWorld } from '../support/demo-call-world';

const BUNDLES = join(__dirname, '..', '..', 'assets', 'handlers');
const GREETING = { intentName: 'GreetingIntent', staticAnswer: 'Hello! I am Atlas.', prompt: 'Greet a visitor in one sentence.', contextFields: ['localeId'] };

/** One metric series: namespace, name and dimensions (names and values), as CloudWatch keys it. */
function seriesKey(namespace: string, name: string, dimensions: Record<string, unknown>): string {
  const dims = Object.keys(dimensions).sort().map((k) => `${k}=${String(dimensions[k])}`);
  return `${namespace} ${name} {${dims.join(', ')}}`;
}

/** The series an EMF document publishes: each metric under each of its dimension sets (EMF specification). */
function seriesOf(doc: Record<string, any>): string[] {
  return (doc._aws.CloudWatchMetrics as Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>).flatMap((d) =>
    d.Dimensions.flatMap((set) => d.Metrics.map((m) => seriesKey(d.Namespace, m.Name, Object.fromEntries(set.map((k) => [k, doc[k]]))))));
}

/** Loads a bundle afresh, as a new Lambda instance would. */
function freshInstance<T>(name: string): T {
  const req = createRequire(__filename);
  const path = join(BUNDLES, name, 'index.js');
  delete req.cache[req.resolve(path)];
  return req(path).handler as T;
}

/** Runs `fn`, capturing what is written to stdout (where Powertools prints EMF in Lambda), and returns the EMF documents. */
async function capturingEmf(fn: () => Promise<void>): Promise<Array<Record<string, any>>> {
  const docs: Array<Record<string, any>> = [];
  const write = process.stdout.write;
  const log = console.log;
  const grab = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      try {
        const parsed = JSON.parse(line);
        if (parsed && typeof parsed === 'object' && '_aws' in parsed) docs.push(parsed);
      } catch {
        // a plain log line
      }
    }
  };
  process.stdout.write = ((chunk: unknown) => { grab(chunk); return true; }) as typeof process.stdout.write;
  console.log = (...args: unknown[]) => grab(args[0]);
  try {
    await fn();
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
  return docs;
}

/** The synthesized app: what the functions' environments say and what the monitoring reads. */
function synth() {
  const stack = new Stack(new App(), 'Parity', { env: { account: '123456789012', region: REGION } });
  const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { bot: minimalBot(stack), intents: [GREETING] });
  new FastLexMonitoring(stack, 'Monitoring', { fulfillment });
  const template = Template.fromStack(stack).toJSON();
  const envOf = (prefix: string) => {
    const [fn] = Object.entries(template.Resources).filter(([id, r]: [string, any]) => id.startsWith(prefix) && r.Type === 'AWS::Lambda::Function');
    const vars = (fn[1] as any).Properties.Environment.Variables as Record<string, unknown>;
    return { POWERTOOLS_SERVICE_NAME: String(vars.POWERTOOLS_SERVICE_NAME), POWERTOOLS_METRICS_NAMESPACE: String(vars.POWERTOOLS_METRICS_NAMESPACE) };
  };
  const fulfillmentEnv = envOf('FulfillmentFunction');
  const generatorEnv = envOf('FulfillmentGeneratorFunction');
  const runtimeNamespaces = new Set([fulfillmentEnv.POWERTOOLS_METRICS_NAMESPACE, generatorEnv.POWERTOOLS_METRICS_NAMESPACE]);

  const read: string[] = [];
  const searched: Array<{ ns: string; dimNames: string[]; fixed: Record<string, string>; name: string }> = [];
  for (const r of Object.values(template.Resources) as any[]) {
    if (r.Type === 'AWS::CloudWatch::Alarm') {
      const p = r.Properties;
      const stats = p.Metrics ? p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric) : [p];
      for (const m of stats) {
        if (runtimeNamespaces.has(m.Namespace)) read.push(seriesKey(m.Namespace, m.MetricName, Object.fromEntries(m.Dimensions.map((d: any) => [d.Name, d.Value]))));
      }
    }
    if (r.Type === 'AWS::CloudWatch::Dashboard') {
      const body = r.Properties.DashboardBody;
      const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((x: unknown) => (typeof x === 'string' ? x : 'TOKEN')).join('');
      for (const w of JSON.parse(text).widgets) {
        for (const m of (w.properties?.metrics ?? []) as unknown[][]) {
          // SEARCH('{ns,dim1,dim2} dim1="v" MetricName="name"', ...): the series it finds have exactly those dimensions.
          const search = /SEARCH\('\{([^}]+)\} (.*?) MetricName="([^"]+)"'/.exec(typeof m[0] === 'object' ? String((m[0] as { expression?: string }).expression) : '');
          if (search) {
            const [ns, ...dimNames] = search[1].split(',');
            const fixed = Object.fromEntries([...search[2].matchAll(/(\w+)="([^"]+)"/g)].map((x) => [x[1], x[2]]));
            if (runtimeNamespaces.has(ns)) searched.push({ ns, dimNames, fixed, name: search[3] });
          }
          if (typeof m[0] === 'string' && runtimeNamespaces.has(m[0])) {
            const dims: Record<string, unknown> = {};
            const plain = m.filter((x) => typeof x === 'string') as string[];
            for (let i = 2; i + 1 < plain.length; i += 2) dims[plain[i]] = plain[i + 1];
            read.push(seriesKey(plain[0], plain[1], dims));
          }
        }
      }
    }
  }
  return { fulfillmentEnv, generatorEnv, read: [...new Set(read)].sort(), searched };
}

describe('EMF parity: what FastLexMonitoring reads, the bundled handlers emit', () => {
  let dynamo: LocalEndpoint;
  let moto: LocalEndpoint;
  let bedrock: BedrockStandIn;
  let ddb: DynamoDBClient;
  let sqs: SQSClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    for (const b of ['lex-fulfillment', 'generator-worker']) expect(existsSync(join(BUNDLES, b, 'index.js')), `run 'npx projen bundle'`).toBe(true);
    [dynamo, moto, bedrock] = await Promise.all([startLocalDynamoDb(), startMotoServer(), startBedrockStandIn({ latencyMs: 0 })]);
    ddb = localDynamoDbClient(dynamo.endpoint);
    sqs = localSqsClient(moto.endpoint);
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([dynamo?.stop(), moto?.stop(), bedrock?.stop()]);
  });

  it('emits every runtime metric series an alarm or the dashboard reads, with the same namespace and dimensions', async () => {
    const { fulfillmentEnv, generatorEnv, read, searched } = synth();
    const tableName = await freshTable(ddb);
    const { queueUrl } = await freshQueues(sqs);
    bedrock.setResponder(() => 'Welcome to Atlas.');
    const common = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: moto.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
      FAST_LEX_CACHE_TABLE: tableName,
      FAST_LEX_GENERATION_QUEUE_URL: queueUrl,
      FAST_LEX_INTENTS: JSON.stringify({
        GreetingIntent: { ...GREETING, ttlSeconds: 300, staleSeconds: 300 },
        // Open questions answered per question: near hits and the generation bound are emitted from this intent.
        FallbackIntent: { staticAnswer: 'Sorry?', prompt: 'Answer the visitor.', questions: { ignoredWords: ['Atlas'] } },
      }),
      FAST_LEX_GENERATIONS_PER_SESSION: '1',
      FAST_LEX_FALLBACK_INTENTS: 'FallbackIntent',
      FAST_LEX_MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      FAST_LEX_MAX_TOKENS: '150',
    };
    const as = (env: Record<string, string>) => { process.env = { ...saved, ...common, ...env }; };

    const docs = await capturingEmf(async () => {
      as(fulfillmentEnv);
      const lex = freshInstance<(e: unknown) => Promise<unknown>>('lex-fulfillment');
      await lex(events.textGreeting); // miss, enqueues a generation
      as(generatorEnv);
      const worker = freshInstance<(e: SQSEvent) => Promise<SQSBatchResponse>>('generator-worker');
      await deliverOnce(sqs, queueUrl, worker);
      as(fulfillmentEnv);
      await lex(events.textGreeting); // L2 hit
      await lex(events.textGreeting); // L1 hit
      // The stored answer, made stale (past fresh, inside the stale window), read by a new instance: stale served.
      const store = new DynamoResponseStore({ client: ddb, tableName });
      const items = (await ddb.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
      const key = items.map((i) => i.PK?.S).find((k): k is string => typeof k === 'string')!;
      const answer = (await store.newest(key))!;
      await store.put(key, { ...answer, freshUntil: Date.now() - 1000, staleUntil: Date.now() + 300_000 });
      await freshInstance<(e: unknown) => Promise<unknown>>('lex-fulfillment')(events.textGreeting);
      // A miss in another locale whose generation Bedrock throttles: a generation failure.
      await lex({ ...events.textGreeting, bot: { ...events.textGreeting.bot, localeId: 'en_GB' } });
      bedrock.failNext('ThrottlingException');
      as(generatorEnv);
      await deliverOnce(sqs, queueUrl, worker);
      // Per question: a new question (generated), a paraphrase of it (near hit), and a second new question in the same
      // conversation, past its bound of one generation (GenerationBudgetExceeded).
      as(fulfillmentEnv);
      const asked = (text: string, sessionId: string) => ({ ...events.fallback, inputTranscript: text, sessionId });
      await lex(asked('How do you use Lex?', 'visitor-1'));
      as(generatorEnv);
      await deliverOnce(sqs, queueUrl, worker);
      as(fulfillmentEnv);
      await lex(asked('How does Atlas use Lex?', 'visitor-2'));
      await lex(asked('Do you integrate with HubSpot?', 'visitor-1'));
    });

    const emitted = new Set(docs.flatMap(seriesOf));
    expect(read.length).toBeGreaterThanOrEqual(7);
    expect(read.filter((s) => !emitted.has(s)), `emitted:\n${[...emitted].sort().join('\n')}`).toEqual([]);
    // The dashboard's per-intent SEARCH graphs find at least one emitted series each (here, of GreetingIntent).
    const emittedDocs = docs.flatMap((d) => (d._aws.CloudWatchMetrics as Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>)
      .flatMap((c) => c.Dimensions.flatMap((set) => c.Metrics.map((m) => ({ ns: c.Namespace, name: m.Name, set: [...set].sort(), values: d })))));
    expect(searched.length).toBeGreaterThanOrEqual(5);
    for (const q of searched.filter((x) => ['CacheHitL1', 'CacheHitL2', 'CacheMiss', 'StaleServed'].includes(x.name))) {
      const found = emittedDocs.some((e) => e.ns === q.ns && e.name === q.name && e.set.join() === [...q.dimNames].sort().join()
        && Object.entries(q.fixed).every(([k, v]) => e.values[k] === v));
      expect(found, `SEARCH ${q.ns} ${q.name} {${q.dimNames}} ${JSON.stringify(q.fixed)}`).toBe(true);
    }
  });

  it('emits the kept-request series the workflow alarm reads when the bundled UpdateLead keeps a request (no Lead while the call was placed)', async () => {
    process.env = { ...saved };
    // What the alarm reads, from a stack with the workflow watched.
    const stack = new Stack(new App(), 'WorkflowParity', { env: { account: ACCOUNT, region: REGION } });
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { bot: minimalBot(stack), intents: [GREETING] });
    const workflow = new DemoCallWorkflow(stack, 'Workflow', {
      connectInstanceArn: `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`, contactFlowId: '66666666-7777-8888-9999-000000000000',
      sourcePhoneNumber: '+14155550100', salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Sf', 'salesforce/jwt'),
      salesforceExternalIdField: 'Demo_Request_Id__c',
    });
    new FastLexMonitoring(stack, 'Monitoring', { fulfillment, workflow });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[];
    const read = alarms.map((a) => a.Properties).filter((p) => p.MetricName === 'SpentRequestKept')
      .map((p) => seriesKey(p.Namespace, p.MetricName, Object.fromEntries(p.Dimensions.map((d: any) => [d.Name, d.Value]))));
    const world = await startWorld({}, { connectMs: 5 });
    try {
      world.salesforce.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 10_000 });

      let status: string | undefined;
      const docs = await capturingEmf(async () => {
        status = (await runCall(world, world.newWorkflow(), demoRequest({ requestId: 'parity-spent-1' }), { afterPlacedMs: 100 })).status;
      });
      // The failure path: a call Connect refuses, with Salesforce still down, so MarkLeadFailed runs through its retries.
      world.connect.failNext('DestinationNotAllowedException');
      let failedStatus: string | undefined;
      const failedDocs = await capturingEmf(async () => {
        failedStatus = (await runCall(world, world.newWorkflow(), demoRequest({ requestId: 'parity-spent-2' }), { hangUp: false })).status;
      });

      // The call was placed, so the execution reports it; the request the Lead could not take is kept, and counted.
      expect(status).toBe('SUCCEEDED');
      expect(read).toHaveLength(1);
      const kept = docs.filter((d) => 'SpentRequestKept' in d);
      expect(kept).toHaveLength(1);
      expect(kept.flatMap(seriesOf)).toEqual(read);
      expect(failedStatus).toBe('FAILED');
      const keptOnFailure = failedDocs.filter((d) => 'SpentRequestKept' in d);
      expect(keptOnFailure).toHaveLength(1); // once, though MarkLeadFailed ran through its retries
      expect(keptOnFailure.flatMap(seriesOf)).toEqual(read);
      // Nothing of the request goes into the document: no phone number, no name, no request id.
      expect(JSON.stringify(kept)).not.toMatch(/4155552671|Lovelace|parity-spent-1/);
    } finally {
      world.salesforce.clearFailures();
      await world.stop();
    }
  });
});
