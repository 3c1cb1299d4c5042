// Benchmark: critical path (execution start -> outbound call placed) of the lead-to-call workflow in four shapes,
// all interpreted by aws-local-stepfunctions against stand-ins with the seed's latencies, in one run at one machine
// load. Writes bench/results/workflow.json.
//   seedCurrent   the seed's workflow today: sequential, secret fetched and Salesforce connection opened per call
//   seedOptimized the seed's plan: cached secret, pooled Salesforce, Haiku; CreateLead then GenerateScenario, then the
//                 scenario write before the dial
//   oldOrder      DemoCallWorkflow's previous order, same bundled handlers: CreateLead | GenerateScenario, then the call
//   ours          DemoCallWorkflow as synthesized (the call right after Validate, beside the Lead and the scenario),
//                 bundled handlers, warm (second and later executions), and cold (the first)
// The goal: warm <= 1.1x and cold <= 1.6x the Connect stand-in's StartOutboundVoiceContact latency. pacingMs is the
// call pacer's reservation (one DynamoDB round trip when the bucket is idle), measured alone: it is on the critical path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ConnectClient, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConverseGenerator } from '../src/runtime/bedrock/converse';
import { CallPacer } from '../src/runtime/workflow/call-pacer';
import { SalesforceClient } from '../src/runtime/salesforce/salesforce-client';
import { SecretCache } from '../src/runtime/secrets/secret-cache';
import { LOCAL_CREDENTIALS, LocalWorkflow } from '../src/testing';
import { EXTERNAL_ID_FIELD, INSTANCE_ID, REGION, demoRequest, runCall, startWorld, type World } from '../test/support/demo-call-world';

/** Stand-in latencies from the seed ("Step Functions Workflow", "Salesforce Authentication"). */
const LATENCY = {
  secretsManagerMs: 300,
  salesforceOauthMs: 500,
  // 800 ms unpooled (a new TLS connection: 600 + the request: 200), 200 ms on a pooled connection.
  salesforceApiMs: 200,
  salesforceNewConnectionMs: 600,
  bedrockMs: 750,
  connectMs: 800,
  dynamoDbMs: 100,
};
/** What the old order could not avoid: max(warm CreateLead, GenerateScenario) + the Connect call. */
const OLD_LIMIT_MS = Math.max(LATENCY.salesforceApiMs, LATENCY.bedrockMs) + LATENCY.connectMs;
const GOAL = { warm: 1.1, cold: 1.6 };
const RUNS = { seedCurrent: 3, seedOptimized: 3, oldOrder: 5, ours: 7, pacing: 21 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const world = await startWorld({}, LATENCY);
  try {
    const ours = await measureOurs(world, 'new');
    const oldOrder = await measureOurs(world, 'old');
    const pacing = await measurePacing(world);
    const seedCurrent = await measureSeed(world, 'current');
    const seedOptimized = await measureSeed(world, 'optimized');
    const warm = median(ours.warm);
    const result = {
      criticalPathMs: {
        seedCurrent: median(seedCurrent), seedOptimized: median(seedOptimized), oldOrder: median(oldOrder.warm), ours: warm,
      },
      oursColdMs: ours.cold,
      connectMs: LATENCY.connectMs,
      oursOverConnect: { warm: ratio(warm, LATENCY.connectMs), cold: ratio(ours.cold, LATENCY.connectMs) },
      goal: { warmOverConnect: GOAL.warm, coldOverConnect: GOAL.cold },
      pacingMs: median(pacing),
      oldOrderLimitMs: OLD_LIMIT_MS,
      runsMs: { seedCurrent, seedOptimized, oldOrder: oldOrder.warm, ours: ours.warm, pacing },
      latenciesMs: LATENCY,
      note: 'criticalPathMs: execution start to the Connect stand-in answering StartOutboundVoiceContact, median of runs; '
        + 'aws-local-stepfunctions in-process, so Step Functions state transitions and Lambda invoke overhead are not included. '
        + 'pacingMs: CallPacer.reserve() alone against the same DynamoDB proxy (median).',
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'workflow.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('\nWorkflow critical path (start -> outbound call placed), stand-ins at the seed\'s latencies');
    console.table({
      seedCurrent: { ms: result.criticalPathMs.seedCurrent, shape: 'sequential, no caching' },
      seedOptimized: { ms: result.criticalPathMs.seedOptimized, shape: 'the seed\'s plan (cached, pooled, sequential)' },
      oldOrder: { ms: result.criticalPathMs.oldOrder, shape: 'CreateLead | GenerateScenario, then the call (warm)' },
      ours: { ms: warm, shape: 'Validate + pacing + the call, beside the Lead and the scenario (warm)' },
      oursCold: { ms: ours.cold, shape: 'the same, first execution' },
      pacing: { ms: result.pacingMs, shape: 'the pacer\'s reservation alone (on the critical path)' },
      connect: { ms: LATENCY.connectMs, shape: 'StartOutboundVoiceContact at the stand-in' },
    });
    console.log(`ours is ${result.oursOverConnect.warm}x (warm) and ${result.oursOverConnect.cold}x (cold) the Connect latency; `
      + `goal ${GOAL.warm}x and ${GOAL.cold}x; wrote bench/results/workflow.json`);
  } finally {
    await world.stop();
  }
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

/** The pacer's reservation alone: the DynamoDB round trip(s) it adds before every dial. */
async function measurePacing(world: World): Promise<number[]> {
  const ddb = new DynamoDBClient({ region: REGION, credentials: LOCAL_CREDENTIALS, endpoint: world.endpoints.dynamoDb });
  // A generous rate, so every reservation finds the bucket as a quiet account's is: no wait, only the write.
  const pacer = new CallPacer({ tableName: world.tableName, client: ddb, perSecond: 1000, burst: 1000 });
  const runs: number[] = [];
  try {
    await pacer.reserve();
    for (let i = 0; i < RUNS.pacing; i++) {
      const t0 = performance.now();
      await pacer.reserve();
      runs.push(Math.round(performance.now() - t0));
      await new Promise((r) => setTimeout(r, 5));
    }
    return runs;
  } finally {
    ddb.destroy();
  }
}

/**
 * DemoCallWorkflow as synthesized ('new'), or its previous order built from the same states and bundled handlers
 * ('old'): one cold execution, then warm ones, each hung up once placed.
 */
async function measureOurs(world: World, order: 'new' | 'old'): Promise<{ cold: number; warm: number[] }> {
  const workflow = world.newWorkflow();
  if (order === 'old') toOldOrder(workflow.definition as { StartAt: string; States: Record<string, any> });
  const criticalPath = async (i: number) => {
    const before = world.connect.calls.length;
    const execution = await runCall(world, workflow, demoRequest({ requestId: `bench-${order}-${Date.now()}-${i}` }));
    if (execution.status !== 'SUCCEEDED') throw new Error(`${order}: ${execution.error}: ${execution.cause}`);
    return world.connect.calls[before].placedAt - execution.startedAt;
  };
  const cold = await criticalPath(0);
  const warm: number[] = [];
  for (let i = 1; i <= (order === 'new' ? RUNS.ours : RUNS.oldOrder); i++) warm.push(await criticalPath(i));
  return { cold, warm };
}

/**
 * Rewrites the synthesized definition into the order before the call was placed first: Validate, CreateLead |
 * GenerateScenario (neither writing to the call), the call with the scenario and the Lead id, then the rest as today.
 */
function toOldOrder(def: { StartAt: string; States: Record<string, any> }): void {
  const parallel = def.States.CallLeadAndScenario;
  const [callBranch, leadBranch, scenarioBranch] = parallel.Branches;
  const call = callBranch.States.InvokeOutboundCall;
  const strip = (state: any) => {
    const { ['interactionKey.$']: _key, ...parameters } = state.Parameters;
    const { Catch: _catch, Next: _next, ...rest } = state;
    return { ...rest, Parameters: parameters, End: true };
  };
  def.States.ValidateRequest.Next = 'LeadAndScenario';
  def.States.LeadAndScenario = {
    Type: 'Parallel', ResultPath: '$.prepared', Next: 'InvokeOutboundCall', ResultSelector: { 'lead.$': '$[0]', 'scenario.$': '$[1]' },
    Catch: parallel.Catch,
    Branches: [
      { StartAt: 'CreateLead', States: { CreateLead: strip(leadBranch.States.CreateLead) } },
      { StartAt: 'GenerateScenario', States: { GenerateScenario: strip(scenarioBranch.States.GenerateScenario) } },
    ],
  };
  const { End: _end, ...callState } = call;
  def.States.InvokeOutboundCall = {
    ...callState, Next: 'JoinCall', ResultPath: '$.placed', Catch: parallel.Catch,
    Parameters: { ...call.Parameters, 'scenario.$': '$.prepared.scenario.scenario', 'leadId.$': '$.prepared.lead.leadId' },
  };
  def.States.JoinCall.Parameters = {
    ...def.States.JoinCall.Parameters, 'placed.$': '$.placed', 'leadId.$': '$.prepared.lead.leadId', 'lead.$': '$.prepared.lead', scenario: 'READY',
  };
  delete def.States.JoinCall.Parameters['scenario.$'];
  delete def.States.CallLeadAndScenario;
}

/**
 * The seed's shapes as ASL (what its diagrams show), each task a local function built from the same runtime pieces
 * against the same stand-ins; only caching and pooling differ.
 */
async function measureSeed(world: World, shape: 'current' | 'optimized'): Promise<number[]> {
  const aws = { region: REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...aws, endpoint: world.endpoints.dynamoDb });
  const connect = new ConnectClient({ ...aws, endpoint: world.connect.endpoint, maxAttempts: 1 });
  const secretsClient = () => new SecretsManagerClient({ ...aws, endpoint: world.endpoints.secretsManager });
  const pooledSecrets = new SecretCache({ client: secretsClient() });
  const pooledDispatcher = world.salesforce.createDispatcher();
  let pooled: SalesforceClient | undefined;
  const salesforce = () => {
    if (shape === 'optimized') return (pooled ??= new SalesforceClient({ credentialsSecretId: world.secretArn, secrets: pooledSecrets, dispatcher: pooledDispatcher }));
    // The seed today: the secret fetched and a new connection (TLS + OAuth) on every call.
    return new SalesforceClient({ credentialsSecretId: world.secretArn, secrets: new SecretCache({ client: secretsClient() }), dispatcher: world.salesforce.createDispatcher() });
  };
  const generator = new ConverseGenerator({ client: new BedrockRuntimeClient({ ...aws, endpoint: world.bedrock.endpoint, maxAttempts: 1 }) });
  const table = world.tableName;
  const definition = {
    StartAt: 'CreateLead',
    States: {
      CreateLead: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:SeedCreateLead', Next: 'GenerateScenario' },
      GenerateScenario: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:SeedGenerateScenario', Next: 'InvokeOutboundCall' },
      InvokeOutboundCall: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:SeedInvokeOutboundCall', End: true },
    },
  };
  let seq = 0;
  const workflow = new LocalWorkflow({
    definition,
    taskHandlers: {
      CreateLead: async (input) => {
        const { lead, requestId } = input as { lead: Record<string, string>; requestId: string };
        const out = await salesforce().upsertLead(EXTERNAL_ID_FIELD, requestId, { LastName: lead.lastName, Company: lead.company, Phone: lead.phone });
        await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `LEAD#${requestId}` }, leadId: { S: out.id ?? '' } } }));
        return { ...(input as object), leadId: out.id };
      },
      GenerateScenario: async (input) => {
        const g = await generator.generate(`Write a demo scenario for ${(input as { lead: { company: string } }).lead.company}.`);
        return { ...(input as object), scenario: g.text };
      },
      InvokeOutboundCall: async (input) => {
        const { lead, requestId, scenario } = input as { lead: Record<string, string>; requestId: string; scenario: string };
        const key = `seed-${requestId}`;
        // The seed writes the scenario, then dials, then records the contact id: all in sequence.
        await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: `CALL#${key}` }, scenario: { S: scenario } } }));
        const call = await connect.send(new StartOutboundVoiceContactCommand({
          InstanceId: INSTANCE_ID, ContactFlowId: '66666666-7777-8888-9999-000000000000', DestinationPhoneNumber: lead.phone,
          SourcePhoneNumber: '+14155550100', Attributes: { interactionKey: key },
        }));
        await dynamo.send(new UpdateItemCommand({
          TableName: table, Key: { pk: { S: `CALL#${key}` } }, UpdateExpression: 'SET contactId = :c', ExpressionAttributeValues: { ':c': { S: call.ContactId! } },
        }));
        return { contactId: call.ContactId };
      },
    },
  });
  const run = async () => {
    const before = world.connect.calls.length;
    const request = demoRequest() as { lead: Record<string, string> };
    const execution = await workflow.run({ ...request, requestId: `bench-seed-${shape}-${Date.now()}-${++seq}` });
    if (execution.status !== 'SUCCEEDED') throw new Error(`seed ${shape}: ${execution.error}: ${execution.cause}`);
    return world.connect.calls[before].placedAt - execution.startedAt;
  };
  try {
    if (shape === 'optimized') await run(); // warm the cache and the pool, as the seed's plan assumes
    const runs: number[] = [];
    for (let i = 0; i < RUNS[shape === 'current' ? 'seedCurrent' : 'seedOptimized']; i++) runs.push(await run());
    return runs;
  } finally {
    workflow.close();
    dynamo.destroy();
    connect.destroy();
    await pooledDispatcher.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
