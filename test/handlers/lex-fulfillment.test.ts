// The prebundled Lex fulfillment handler, run as shipped (assets/handlers/lex-fulfillment/index.js) against
// DynamoDB (dynalite and moto), SQS and Step Functions (moto) and the Bedrock stand-in, through real SDK clients.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, ListExecutionsCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConverseGenerator } from '../../src/runtime/bedrock/converse';
import { DynamoResponseStore } from '../../src/runtime/cache/dynamo-store';
import { createGeneratorWorker } from '../../src/runtime/cache/generator-worker';
import { type LexV2Response } from '../../src/runtime/lex/types';
import { type IntentCacheConfigs } from '../../src/shared/wire';
import { LOCAL_CREDENTIALS, lexResponseProblems, localDynamoDbClient, startBedrockStandIn, startMotoServer, type BedrockStandIn, type LocalEndpoint } from '../../src/testing';
import { DYNAMODB_BACKENDS } from '../helpers/backends';
import { deliverOnce, freshQueues, freshTable, localBedrockClient, localSqsClient, receive, REGION } from '../runtime/cache/fixtures';
import * as events from './fixtures/lex-v2-events';

const BUNDLE = join(__dirname, '..', '..', 'assets', 'handlers', 'lex-fulfillment', 'index.js');
const INTENTS: IntentCacheConfigs = {
  GreetingIntent: { staticAnswer: 'Hello! I am Atlas.', prompt: 'Greet a visitor in one sentence.', contextFields: ['localeId'] },
  AboutTechnologyIntent: { staticAnswer: 'We use Amazon Lex and Bedrock.', prompt: 'Explain our technology, topic {{slots.topic}}.', contextFields: ['slots.topic'] },
  FallbackIntent: { staticAnswer: "Sorry, I didn't catch that. You can ask about our technology or request a demo." },
};
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

type Handler = (event: unknown, context?: unknown) => Promise<LexV2Response>;

/** Loads the bundle afresh, as a new Lambda instance would (module scope starts empty). */
function freshInstance(): Handler {
  const req = createRequire(__filename);
  delete req.cache[req.resolve(BUNDLE)];
  return req(BUNDLE).handler as Handler;
}

/** Runs `fn` and captures the handler's JSON log lines (EMF metric documents left out). */
async function withLogs<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const log = console.log;
  const error = console.error;
  const grab = (...args: unknown[]) => {
    try {
      const parsed = JSON.parse(String(args[0]));
      if (parsed && typeof parsed === 'object' && !('_aws' in parsed)) lines.push(parsed);
    } catch {
      // not one of ours
    }
  };
  console.log = grab;
  console.error = grab;
  try {
    return { result: await fn(), lines };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe.each(DYNAMODB_BACKENDS)('prebundled lex-fulfillment handler on $name', (backend) => {
  let dynamo: LocalEndpoint;
  let moto: LocalEndpoint;
  let bedrock: BedrockStandIn;
  let ddb: DynamoDBClient;
  let sqs: SQSClient;
  let sfn: SFNClient;
  let stateMachineArn: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    expect(existsSync(BUNDLE), `missing ${BUNDLE}: run 'npx projen bundle'`).toBe(true);
    [dynamo, moto, bedrock] = await Promise.all([backend.start(), startMotoServer(), startBedrockStandIn({ latencyMs: 0 })]);
    ddb = localDynamoDbClient(dynamo.endpoint);
    sqs = localSqsClient(moto.endpoint);
    sfn = new SFNClient({ endpoint: moto.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    stateMachineArn = (await sfn.send(new CreateStateMachineCommand({
      name: `demo-${backend.name}`,
      roleArn: 'arn:aws:iam::123456789012:role/demo',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
    }))).stateMachineArn!;
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([dynamo?.stop(), moto?.stop(), bedrock?.stop()]);
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  async function deploy() {
    const tableName = await freshTable(ddb);
    const queues = await freshQueues(sqs);
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: moto.endpoint,
      AWS_ENDPOINT_URL_SFN: moto.endpoint,
      FAST_LEX_CACHE_TABLE: tableName,
      FAST_LEX_GENERATION_QUEUE_URL: queues.queueUrl,
      FAST_LEX_INTENTS: JSON.stringify(INTENTS),
      FAST_LEX_FALLBACK_INTENTS: 'FallbackIntent',
      FAST_LEX_WORKFLOWS: JSON.stringify({ RequestDemoIntent: {
        stateMachineArn,
        answer: "Thanks! We'll call you in a moment.",
        input: { 'lead.lastName': 'name', 'lead.company': 'company', 'lead.phone': 'phoneNumber' },
      } }),
    });
    return { tableName, ...queues };
  }

  it('answers every documented event shape with a valid Lex V2 response', async () => {
    await deploy();
    const handler = freshInstance();

    for (const event of [events.textGreeting, events.speechAboutTechnology, events.dialogRequestDemo, events.fallback, events.noSessionAttributes, events.extraUnknownFields]) {
      const { result: response } = await withLogs(() => handler(event));

      expect(lexResponseProblems(response), `${event.inputMode} ${event.invocationSource} ${event.sessionState.intent?.name}`).toEqual([]);
    }
  });

  it('answers a first greeting at once with the static answer, keeps session attributes and enqueues one generation', async () => {
    const { queueUrl } = await deploy();
    const handler = freshInstance();

    const response = await handler(events.textGreeting);

    expect(response.sessionState.dialogAction.type).toBe('Close');
    expect(response.sessionState.intent).toMatchObject({ name: 'GreetingIntent', state: 'Fulfilled' });
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: 'Hello! I am Atlas.' }]);
    expect(response.sessionState.sessionAttributes).toMatchObject({ visitor: 'returning' });
    // Intent names only: session attributes reach the client and the conversation logs, so no utterance or answer.
    expect(JSON.parse(response.sessionState.sessionAttributes!.fastLexHistory)).toEqual([{ i: 'GreetingIntent' }]);
    const queued = await receive(sqs, queueUrl);
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0].Body!)).toMatchObject({ intent: 'GreetingIntent' });
  });

  it('on a call waits for the generated answer within the voice deadline, and answers a web turn at once', async () => {
    const { queueUrl } = await deploy();
    // The greeting waits up to 3 s on voice turns (CachedLexFulfillment.voiceGenerationDeadline).
    process.env.FAST_LEX_INTENTS = JSON.stringify({ ...INTENTS, GreetingIntent: { ...INTENTS.GreetingIntent, voiceSyncDeadlineMs: 3000 } });
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = bedrock.endpoint;
    bedrock.reset();
    bedrock.setLatency(300);
    bedrock.setResponder(() => 'Welcome to Atlas, on the phone.');
    const handler = freshInstance();

    const call = await handler({ ...events.textGreeting, sessionId: 'caller', inputMode: 'Speech' });
    // A web visitor asking the same, in another locale (so another cache key): no waiting on a text turn.
    const web = await handler({ ...events.textGreeting, sessionId: 'web-visitor', bot: { ...events.textGreeting.bot, localeId: 'en_GB' } });

    // The caller (Lex plays the progress messages meanwhile) hears the generated answer, in a valid Close.
    expect(call.messages).toEqual([{ contentType: 'PlainText', content: 'Welcome to Atlas, on the phone.' }]);
    expect(call.sessionState.dialogAction.type).toBe('Close');
    expect(lexResponseProblems(call)).toEqual([]);
    // The web visitor hears the static answer at once; its generation goes to the worker, not to Bedrock in the turn.
    expect(web.messages).toEqual([{ contentType: 'PlainText', content: 'Hello! I am Atlas.' }]);
    expect(await receive(sqs, queueUrl)).toHaveLength(1);
    expect(bedrock.calls).toHaveLength(1);
  });

  it('serves the generated answer on the next turn once the worker has run (miss, then L2 hit, then L1 hit)', async () => {
    const { tableName, queueUrl } = await deploy();
    bedrock.setResponder(() => 'Welcome to Atlas, the demo line that answers fast.');
    const handler = freshInstance();
    const worker = createGeneratorWorker({
      store: new DynamoResponseStore({ client: ddb, tableName }),
      generator: new ConverseGenerator({ client: localBedrockClient(bedrock.endpoint) }),
      logger: silent,
    });

    const { result: [second, third], lines } = await withLogs(async () => {
      await handler(events.textGreeting);
      await deliverOnce(sqs, queueUrl, worker);
      return [await handler(events.textGreeting), await handler(events.textGreeting)];
    });

    expect(second.messages![0]).toEqual({ contentType: 'PlainText', content: 'Welcome to Atlas, the demo line that answers fast.' });
    expect(third.messages![0]).toEqual(second.messages![0]);
    expect(lines.filter((l) => l.message === 'lex turn').map((l) => l.status)).toEqual(['miss', 'l2-hit', 'l1-hit']);
  });

  it('answers the fallback intent with ElicitIntent so the conversation stays open', async () => {
    await deploy();
    const handler = freshInstance();

    const response = await handler(events.fallback);

    expect(response.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(response.messages![0].contentType).toBe('PlainText');
    expect((response.messages![0] as { content: string }).content).toMatch(/^Sorry, I didn't catch that/);
  });

  // A silent caller reaches the fallback intent with no words ("Audio input is noise",
  // https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html); Connect's Lex block returns only when the
  // bot closes an intent, so an ElicitIntent would keep the caller in the bot hearing the apology on every silence.
  it('closes the fallback intent of a silent call turn, without words, so the contact flow asks again or says goodbye', async () => {
    await deploy();
    const handler = freshInstance();

    const response = await handler({ ...events.fallback, inputMode: 'Speech', inputTranscript: '', requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' } });

    expect(response.sessionState.dialogAction.type).toBe('Close');
    expect(response.sessionState.intent).toMatchObject({ name: 'FallbackIntent', state: 'Fulfilled' });
    expect(response.messages).toBeUndefined();
    expect(lexResponseProblems(response)).toEqual([]);
  });

  it('delegates dialog turns to Lex so it elicits the slots the bot defines', async () => {
    await deploy();
    const handler = freshInstance();

    const response = await handler(events.dialogRequestDemo);

    expect(response.sessionState.dialogAction.type).toBe('Delegate');
    expect(response.sessionState.intent).toMatchObject({ name: 'RequestDemoIntent', slots: { name: null, company: null, phoneNumber: null } });
    expect(response.messages).toBeUndefined();
  });

  it('refuses a premium-rate number with the phone rules it loads from their own file beside index.js, and starts nothing', async () => {
    await deploy();
    const handler = freshInstance();
    const before = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
    const event = structuredClone(events.fulfillRequestDemo);
    event.sessionState.intent!.slots!.phoneNumber = { shape: 'Scalar', value: { originalValue: '+1 900 555 0123', interpretedValue: '+19005550123', resolvedValues: [] } } as never;
    event.sessionState.originatingRequestId = 'req-premium-1';

    const response = await handler(event);

    // What the caller hears: why, and a question for another number; the slot is cleared for the answer.
    expect(response.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'phoneNumber' });
    expect((response.messages![0] as { content: string }).content).toContain('that phone number is a premium-rate number');
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? []).toHaveLength(before.length);
    // The metadata is not in the handler's own file: a cold start never parses it.
    expect(readFileSync(BUNDLE, 'utf8')).not.toContain('country_calling_codes');
    expect(readFileSync(join(dirname(BUNDLE), 'demo-request-rules.js'), 'utf8')).toContain('country_calling_codes');
  });

  it('starts the demo workflow with the slots mapped into its input and answers at once', async () => {
    await deploy();
    const handler = freshInstance();
    const before = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];

    const response = await handler(events.fulfillRequestDemo);

    expect(response.sessionState.dialogAction.type).toBe('Close');
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: "Thanks! We'll call you in a moment." }]);
    const after = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
    expect(after.length - before.length).toBe(1);
    const started = after.find((e) => !before.some((b) => b.executionArn === e.executionArn))!;
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(JSON.parse(described.input!)).toEqual({
      lead: { lastName: 'Ada Lovelace', company: 'Analytical Engines', phone: '+12065550100' },
    });
  });

  it.each(events.malformed)('answers a malformed event (%s) with a polite ElicitIntent and logs the error', async (_name, event) => {
    await deploy();
    const handler = freshInstance();

    const { result: response, lines } = await withLogs(() => handler(event));

    expect(lexResponseProblems(response)).toEqual([]);
    expect(response.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: "Sorry, I didn't catch that. Could you say it another way?" }]);
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', route: 'error', error: expect.stringMatching(/^LexEventError: Not a valid Lex V2 event/) })]);
  });

  it('answers an event with a non-string session attribute normally, leaving the attribute out and logging its name', async () => {
    await deploy();
    const handler = freshInstance();

    const { result: response, lines } = await withLogs(() => handler(events.nonStringSessionAttribute));

    expect(lexResponseProblems(response)).toEqual([]);
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: 'Hello! I am Atlas.' }]);
    expect(response.sessionState.sessionAttributes).not.toHaveProperty('n');
    expect(response.sessionState.sessionAttributes).toMatchObject({ visitor: 'returning' });
    expect(lines).toContainEqual({ level: 'WARN', message: 'session attribute dropped: not a string', attribute: 'n', type: 'number' });
  });

  it('answers with the static text when DynamoDB is unreachable, never an exception', async () => {
    await deploy();
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9'; // nothing listens on the discard port
    const handler = freshInstance();

    const { result: response, lines } = await withLogs(() => handler(events.textGreeting));

    expect(response.messages).toEqual([{ contentType: 'PlainText', content: 'Hello! I am Atlas.' }]);
    expect(lines.find((l) => l.message === 'lex turn')).toMatchObject({ status: 'fallback' });
  });

  it('apologises instead of failing when its configuration is missing', async () => {
    await deploy();
    delete process.env.FAST_LEX_INTENTS;
    const handler = freshInstance();

    const { result: response, lines } = await withLogs(() => handler(events.textGreeting));

    expect(lexResponseProblems(response)).toEqual([]);
    expect(response.sessionState.dialogAction.type).toBe('ElicitIntent');
    expect(JSON.stringify(lines)).toMatch(/FAST_LEX_INTENTS/);
  });

  it('never writes slot values, utterances or answers into its log lines', async () => {
    await deploy();
    const handler = freshInstance();

    const { lines } = await withLogs(async () => {
      await handler(events.fulfillRequestDemo);
      await handler(events.textGreeting);
    });

    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of ['+12065550100', '206 555', 'Ada', 'Analytical', 'Hello there', 'Hello! I am Atlas']) {
      expect(text).not.toContain(secret);
    }
  });

  // Lex V2 "Response format" (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html) and the quotas
  // (https://docs.aws.amazon.com/lexv2/latest/dg/quotas.html), as the test kit's lexResponseProblems checks them.
  // Last in the block: the mutated events start demo executions, which would crowd the listing the test above reads.
  it('answers 150 mutated events (odd slots, states, session attributes, silent calls) with a response Lex accepts', async () => {
    await deploy();
    const handler = freshInstance();
    let seed = 7;
    const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
    const failures: string[] = [];

    for (let i = 0; i < 150; i++) {
      const base = JSON.parse(JSON.stringify(pick([events.textGreeting, events.speechAboutTechnology, events.dialogRequestDemo, events.fulfillRequestDemo, events.fallback]))) as any;
      const intent = base.sessionState.intent;
      intent.name = pick([intent.name, 'FallbackIntent', 'GreetingIntent', 'RequestDemoIntent', 'NoSuchIntent']);
      intent.state = pick([intent.state, 'ReadyForFulfillment', 'Waiting', 'Nonsense']);
      intent.confirmationState = pick([intent.confirmationState, 'Confirmed', 'Denied', 'Maybe']);
      intent.slots = { ...intent.slots, [pick(['topic', 'name', 'phoneNumber'])]: pick([null, { value: { originalValue: 'purple' } }, { value: { interpretedValue: 'x' } }, { shape: 'List', values: [{ value: {} }] }]) };
      base.inputMode = pick(['Text', 'Speech', 'DTMF']);
      base.inputTranscript = pick(['', 'hello', '😀'.repeat(300)]);
      base.invocationSource = pick(['FulfillmentCodeHook', 'DialogCodeHook']);
      base.sessionState.sessionAttributes = pick([{}, { interactionKey: 'call-1' }, { history: 'h'.repeat(13_000) }, { count: 3, interactionKey: 'k' }]);
      const { result: response } = await withLogs(() => handler(base));
      const problems = lexResponseProblems(response);
      if (problems.length > 0) failures.push(`#${i} ${intent.name}/${base.invocationSource}/${base.inputMode}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
