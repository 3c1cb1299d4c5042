// The Atlas Engine on this machine: the synthesized template's tables, queues and secret recreated on local
// stand-ins, the real bundled handlers from the cloud assembly, the synthesized bot in the offline Lex runtime and the
// synthesized state machine in a local interpreter. Nothing here is a mock of our own code: only AWS and Salesforce
// are stood in for.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { CreateTableCommand, waitUntilTableExists, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { FAST_LEX_ENV } from 'cdk-fast-lex/runtime';
import { CALL_CONTEXT_PARTITION_KEY, CallContextStore, deriveInteractionKey } from 'cdk-fast-lex/runtime/workflow';
import {
  LOCAL_CREDENTIALS, LocalWorkflow, createJwtKeyPair, localDynamoDbClient, offlineAnswer, startAwsJsonProxy, startBedrockStandIn,
  answerCallOffline, startConnectStandIn, startLexStandIn, startLocalDynamoDb, startMotoServer, startSalesforceStandIn, startStepFunctionsStandIn,
  type BedrockStandIn, type ConnectStandIn, type LexStandIn, type LocalExecution, type OfflineCall, type StartExecutionRequest, type VoiceTurnResult,
} from 'cdk-fast-lex/testing';
import { sendText, type RemoteBot } from './remote';

/**
 * Stand-in latencies: the seed's figures (seed: "Bottleneck Analysis", "Optimized Step Functions"). Bedrock is not
 * here: the stand-in models the default model (Claude Haiku 4.5) from published figures, time to first token plus
 * output tokens at its speed (BEDROCK_STAND_IN_DEFAULT_LATENCY); `bedrockMs` replaces that with a fixed delay.
 */
export const SEED_LATENCIES = {
  secretsManagerMs: 300,
  salesforceOauthMs: 500,
  salesforceApiMs: 200,
  salesforceNewConnectionMs: 600,
  connectMs: 800,
  dynamoDbMs: 0, // loopback: the seed's 50 ms cache check is not added to the Lex turns
} as const;

export type Latencies = { -readonly [K in keyof typeof SEED_LATENCIES]: number } & {
  /** A fixed Bedrock delay per call instead of the stand-in's model of Haiku 4.5. @default - the model */
  bedrockMs?: number;
};

const REGION = 'us-west-2';
const ACCOUNT = '123456789012';
const CLIENT_ID = '3MVG9-atlas-offline';
const USERNAME = 'atlas@example.com';

interface CfnResource { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> }

export interface OfflineAtlasOptions {
  readonly template: { Resources: Record<string, CfnResource> };
  readonly assemblyDirectory: string;
  readonly latencies?: Partial<Latencies>;
  /** Where the bundles resolve the AWS SDK (the Lambda runtime provides it). */
  readonly nodeModulesFrom: string;
  /** The handlers' log lines (what CloudWatch would get), captured by the caller. */
  readonly output: HandlerOutput;
}

/** The handlers' output: every line, and the fulfillment handler's per-turn records. */
export interface HandlerOutput {
  readonly turnLines: Array<Record<string, unknown>>;
}

export interface TurnResult {
  /** The turn's round trip as the client sees it (RecognizeText, or the voice turn). */
  readonly latencyMs: number;
  /** Time spent in the fulfillment function (code hook), if Lex invoked it. */
  readonly handlerMs?: number;
  /** The handler's own log line for the turn (route and cache status), or Lex's own step when no code hook ran. */
  readonly status: string;
  readonly answer: string;
  readonly intent?: string;
  readonly dialogAction?: string;
  readonly slotToElicit?: string;
  /** On a voice turn, the progress messages Lex played while the code hook ran. */
  readonly progress?: readonly string[];
  /**
   * On a call, how long Lex listened before it acted (its end-of-speech silence after words, its start timeout after
   * silence), counted in `latencyMs`: a caller's turn lasts from the end of their speech to the bot's answer.
   */
  readonly lexWaitMs?: number;
  /** On a call, whether the callee spoke, pressed keys or stayed silent. */
  readonly input?: 'speech' | 'keypad' | 'silence';
  /** On a call, whether the callee could interrupt the prompt this turn answered (Lex V2 barge-in). */
  readonly bargeIn?: boolean;
}

/** A turn's sender: a web visitor (RecognizeText) or a caller on the Connect voice channel. */
export interface TurnOptions {
  /** @default false */
  readonly voice?: boolean;
  /** Session attributes the caller's contact flow sets (voice) or the web page sends. @default - none */
  readonly sessionAttributes?: Record<string, string>;
}

/** A running offline Atlas Engine. */
export class OfflineAtlas {
  static async start(options: OfflineAtlasOptions): Promise<OfflineAtlas> {
    const latencies: Latencies = { ...SEED_LATENCIES, ...options.latencies };
    const stops: Array<() => Promise<void>> = [];
    const savedCas = tls.getCACertificates('default');
    try {
      const dynamo = await startLocalDynamoDb();
      stops.push(() => dynamo.stop());
      const moto = await startMotoServer({ motoServerPath: process.env.MOTO_SERVER });
      stops.push(() => moto.stop());
      const keys = createJwtKeyPair();
      const salesforce = await startSalesforceStandIn({
        publicKey: keys.publicKeyPem, clientId: CLIENT_ID, usernames: [USERNAME], externalIdFields: [externalIdField(options.template)],
        latency: { apiMs: latencies.salesforceApiMs, oauthMs: latencies.salesforceOauthMs, newConnectionMs: latencies.salesforceNewConnectionMs },
      });
      stops.push(() => salesforce.stop());
      // The bundled handlers carry their own HTTP client: trust the stand-in's self-signed certificate process-wide.
      tls.setDefaultCACertificates([...savedCas, salesforce.certificatePem]);
      stops.push(async () => tls.setDefaultCACertificates(savedCas));
      const bedrock = await startBedrockStandIn({ latencyMs: latencies.bedrockMs, responder: generatedText });
      stops.push(() => bedrock.stop());
      const connect = await startConnectStandIn({ latencyMs: latencies.connectMs, instanceIds: [connectInstanceId(options.template)] });
      stops.push(() => connect.stop());
      const dynamoProxy = await startAwsJsonProxy(dynamo.endpoint, latencies.dynamoDbMs);
      stops.push(() => dynamoProxy.stop());
      const secretsProxy = await startAwsJsonProxy(moto.endpoint, latencies.secretsManagerMs);
      stops.push(() => secretsProxy.stop());

      const atlas = new OfflineAtlas(options, connect, bedrock, options.output);
      const sfnStandIn = await startStepFunctionsStandIn({ onStartExecution: (r) => atlas.onStartExecution(r) });
      stops.push(() => sfnStandIn.stop());

      // Recreate what the template deploys: tables (same keys and indexes), queues, the Salesforce secret.
      const ddb = localDynamoDbClient(dynamo.endpoint, REGION);
      const sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
      for (const [id, r] of Object.entries(options.template.Resources)) {
        if (r.Type === 'AWS::DynamoDB::Table') {
          await ddb.send(new CreateTableCommand(tableInput(id, r)));
          await waitUntilTableExists({ client: ddb, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 } as never, { TableName: id });
        } else if (r.Type === 'AWS::SQS::Queue') {
          await sqs.send(new CreateQueueCommand({ QueueName: id, Attributes: { VisibilityTimeout: '0' } }));
        }
      }
      const admin = new SecretsManagerClient({ endpoint: moto.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
      const secret = await admin.send(new CreateSecretCommand({
        Name: 'atlas-engine/salesforce',
        SecretString: JSON.stringify({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.privateKeyPem, loginUrl: salesforce.endpoint }),
      }));
      admin.destroy();

      const environment = {
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint,
        AWS_ENDPOINT_URL_SQS: moto.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsProxy.endpoint,
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
        AWS_ENDPOINT_URL_CONNECT: connect.endpoint,
        AWS_ENDPOINT_URL_SFN: sfnStandIn.endpoint,
      };
      // The app imports the secret by name; locally it lives at the ARN moto gave it.
      const functionEnvironment = Object.fromEntries(Object.entries(options.template.Resources)
        .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Environment?.Variables?.[FAST_LEX_ENV.salesforceSecretId] !== undefined)
        .map(([id]) => [id, { [FAST_LEX_ENV.salesforceSecretId]: secret.ARN! }]));
      // The queue's URL is moto's, not the regional one the template would resolve to.
      const queueId = generationQueueId(options.template);
      const queueUrl = `${moto.endpoint}/${ACCOUNT}/${queueId}`;
      atlas.workflow = LocalWorkflow.fromTemplate(options.template, {
        assemblyDirectory: options.assemblyDirectory,
        physicalNames: { [queueId]: queueUrl },
        region: REGION,
        account: ACCOUNT,
        stepFunctions: sfnStandIn,
        environment,
        functionEnvironment,
        nodeModulesFrom: options.nodeModulesFrom,
      });
      atlas.sqs = sqs;
      atlas.queueUrl = queueUrl;
      // The synthesized bot, its alias and the fulfillment function behind the alias's code hook, run as Lex would.
      const lex = await startLexStandIn({
        assembly: options.assemblyDirectory, region: REGION, account: ACCOUNT, physicalNames: { [queueId]: queueUrl },
        functionEnvironment, nodeModulesFrom: options.nodeModulesFrom,
      });
      stops.push(() => lex.close());
      atlas.lex = lex;
      atlas.lexClient = new LexRuntimeV2Client({ endpoint: lex.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
      const callTable = Object.entries(options.template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table'
        && r.Properties?.KeySchema?.[0]?.AttributeName === CALL_CONTEXT_PARTITION_KEY)?.[0] ?? fail('call-context table');
      atlas.calls = new CallContextStore({ tableName: callTable, client: ddb });
      atlas.stops = stops;
      return atlas;
    } catch (err) {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      throw err;
    }
  }

  /** Executions the bot started, by execution ARN. */
  readonly executions = new Map<string, { request: StartExecutionRequest; done: Promise<LocalExecution>; startedAt: number }>();
  /** The offline Lex runtime running the synthesized bot. */
  lex!: LexStandIn;
  private lexClient!: LexRuntimeV2Client;
  private workflow!: LocalWorkflow;
  private sqs!: SQSClient;
  private calls!: CallContextStore;
  /** The generation queue's URL on the local SQS (the web chat's proxy hands failed streams to it). */
  queueUrl!: string;
  private stops: Array<() => Promise<void>> = [];
  private readonly fulfillmentId: string;
  private readonly generatorId: string;
  private readonly callCompletedId: string;

  private readonly template: OfflineAtlasOptions['template'];
  private readonly assemblyDirectory: string;

  private constructor(options: OfflineAtlasOptions, readonly connect: ConnectStandIn, readonly bedrock: BedrockStandIn, private readonly output: HandlerOutput) {
    this.template = options.template;
    this.assemblyDirectory = options.assemblyDirectory;
    const fns = Object.entries(options.template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const byEnv = (key: string) => fns.find(([, r]) => r.Properties?.Environment?.Variables?.[key] !== undefined)?.[0];
    this.fulfillmentId = byEnv('FAST_LEX_FALLBACK_INTENTS') ?? fail('the fulfillment function');
    this.generatorId = fns.find(([id, r]) => id !== this.fulfillmentId && r.Properties?.Environment?.Variables?.FAST_LEX_CACHE_TABLE !== undefined)?.[0] ?? fail('the generator function');
    this.callCompletedId = fns.find(([id]) => /CallCompleted/.test(id))?.[0] ?? fail('the call-completed function');
  }

  /**
   * The fulfillment function's init time: a new Node process loading its bundle from the cloud assembly until the
   * handler is exported (median of 5). With provisioned concurrency Lambda pays it before any caller arrives.
   */
  initMs(): number {
    const key = String(this.template.Resources[this.fulfillmentId].Properties?.Code?.S3Key ?? '');
    const bundle = join(this.assemblyDirectory, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
    const script = `const s=process.hrtime.bigint();require(${JSON.stringify(bundle)}).handler;console.log(Number(process.hrtime.bigint()-s)/1e6)`;
    const samples = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()));
    return samples.sort((a, b) => a - b)[2];
  }

  /** The bot's ids, as RecognizeText addresses them. */
  get bot(): RemoteBot {
    return { botId: this.lex.botId, botAliasId: this.lex.botAliasId, localeId: this.lex.localeId };
  }

  /** One turn of a session through the offline Lex runtime: RecognizeText with the real client, or a voice turn. */
  async turn(text: string, sessionId: string, options: TurnOptions = {}): Promise<TurnResult> {
    const seen = this.output.turnLines.length;
    if (options.voice) {
      const started = performance.now();
      const out = await this.lex.voiceTurn({ sessionId, transcript: text, sessionAttributes: options.sessionAttributes });
      return this.resultOf(voiceTurnSent(out, performance.now() - started), seen);
    }
    return this.resultOf(await sendText(this.lexClient, this.bot, sessionId, text, options.sessionAttributes), seen);
  }

  /**
   * The call Connect placed, answered as Connect would: the synthesized flow walked for the call's contact attributes
   * (its greeting, its hand-over to the bot with the `interactionKey` session attribute), the callee's words as voice
   * turns on the offline Lex runtime, then silence (played as Lex hears it: a turn with no words, which reaches the
   * fallback intent), the goodbye and the hang-up. `between` runs after each turn.
   */
  async answerCall(contactId: string, calleeSays: readonly string[], between: (said: string, turn: TurnResult) => Promise<void>): Promise<OfflineCall> {
    const placed = this.connect.calls.find((c) => c.contactId === contactId) ?? fail(`the call ${contactId}`);
    let seen = this.output.turnLines.length;
    let started = performance.now();
    return answerCallOffline({
      template: this.template,
      lex: this.lex,
      attributes: placed.attributes,
      contactId,
      region: REGION,
      account: ACCOUNT,
      callee: (_lastSpoken, turn) => {
        seen = this.output.turnLines.length;
        started = performance.now();
        return calleeSays[turn];
      },
      // The turn's time runs from the end of the callee's speech: Lex's listening wait, then the bot's processing.
      onTurn: async ({ said, result, lexWaitMs, input, bargeIn }) => between(said, {
        ...this.resultOf(voiceTurnSent(result, lexWaitMs + performance.now() - started), seen), lexWaitMs, input, bargeIn,
      }),
    });
  }

  /** A turn's result, named by the handler's log line for it, or by what Lex did when no code hook ran. */
  private resultOf(sent: Omit<TurnResult, 'status' | 'handlerMs'>, seen: number): TurnResult {
    const record = this.lex.turns.at(-1);
    const calls = record?.codeHookCalls ?? [];
    const line = this.output.turnLines.slice(seen).at(-1);
    // A turn Lex answered itself (a slot prompt, the confirmation) is named by what Lex did: elicit-slot, confirm-intent.
    const handled = String(line?.status ?? line?.route ?? '-') + (typeof line?.score === 'number' ? ` ${line.score.toFixed(2)}` : '');
    const status = calls.length > 0 ? handled : (sent.dialogAction ?? '-').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
    return { ...sent, status, handlerMs: calls.length > 0 ? calls.reduce((t, c) => t + c.durationMs, 0) : undefined };
  }

  /**
   * What Lambda's SQS event source does for the generator: poll, invoke with a batch, delete what succeeded.
   * Returns the number of answers generated and the time it took.
   */
  async runGenerator(): Promise<{ generated: number; ms: number }> {
    const started = performance.now();
    let generated = 0;
    for (;;) {
      const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 4, WaitTimeSeconds: 0, AttributeNames: ['All'] }));
      if (Messages.length === 0) break;
      const result = await this.workflow.invokeFunction(this.generatorId, sqsEvent(Messages, this.queueUrl)) as { batchItemFailures: Array<{ itemIdentifier: string }> };
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      const done = Messages.filter((m) => !failed.has(m.MessageId!));
      generated += done.length;
      if (done.length > 0) {
        await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      if (failed.size > 0) break;
    }
    return { generated, ms: performance.now() - started };
  }

  /** The call the workflow placed for an execution, once Connect has it (the callee's phone rings). */
  async waitForCall(executionArn: string, timeoutMs = 30_000): Promise<{ contactId: string; interactionKey: string; placedAt: number }> {
    const interactionKey = deriveInteractionKey(executionArn);
    const execution = this.executions.get(executionArn);
    if (!execution) throw new Error(`No execution ${executionArn} was started.`);
    let ended = false;
    void execution.done.finally(() => { ended = true; });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const call = this.connect.calls.find((c) => c.attributes.interactionKey === interactionKey);
      // The call counts once the workflow has also linked its contact id to the call context: a DISCONNECTED event
      // before that finds no call and is ignored (then only the call timeout ends the wait), as a real ring delay
      // makes impossible.
      if (call && (await this.calls.getItem(interactionKey))?.contactId) {
        return { contactId: call.contactId, interactionKey, placedAt: call.placedAt };
      }
      if (ended) {
        const result = await execution.done;
        throw new Error(`The workflow ended (${result.status}: ${result.error ?? ''} ${result.cause ?? ''}) without placing a call.`);
      }
      if (Date.now() > deadline) throw new Error('No outbound call was placed within the timeout.');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Hangs up: the DISCONNECTED contact event, delivered to the call-completed handler as EventBridge would. */
  async hangUp(contactId: string): Promise<void> {
    await this.workflow.invokeFunction(this.callCompletedId, this.connect.contactEvent(contactId, { region: REGION, account: ACCOUNT }));
  }

  async stop(): Promise<void> {
    this.lexClient?.destroy();
    this.workflow?.close();
    this.sqs?.destroy();
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
  }

  private onStartExecution(request: StartExecutionRequest): void {
    const startedAt = Date.now();
    // Step Functions answers StartExecution before the execution runs. In one process, starting the interpreter at
    // once would hold the event loop while the fulfillment handler still reads that answer, and count in its turn;
    // a short delay keeps them apart. The critical path is measured from `startedAt`, so it includes the delay.
    const done = new Promise<void>((r) => setTimeout(r, 25)).then(() => this.workflow.run(request.input, { executionName: request.name }));
    this.executions.set(request.executionArn, { request, done, startedAt });
  }

}

function fail(what: string): never {
  throw new Error(`The synthesized template has no ${what}: is this the Atlas Engine app?`);
}

/**
 * What the Bedrock stand-in answers: the demo call's scenario (its prompt, and the answers built on it, are the
 * example's own), else the stand-in's default answer, which says it is the offline stand-in and names what was asked.
 */
function generatedText(call: { modelId: string; prompt: string; body: Record<string, unknown> }): string {
  if (/scenario/i.test(call.prompt)) return 'Scenario: Atlas calls the visitor, greets them by name and walks through how their team would book demos by voice.';
  return offlineAnswer(call);
}

function tableInput(id: string, r: CfnResource): CreateTableCommandInput {
  const p = r.Properties ?? {};
  return {
    TableName: id,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: any) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })),
  };
}

function connectInstanceId(template: OfflineAtlasOptions['template']): string {
  const text = JSON.stringify(template);
  const match = /instance\/([0-9a-f-]{36})/.exec(text);
  return match ? match[1] : fail('Amazon Connect instance');
}

function externalIdField(template: OfflineAtlasOptions['template']): string {
  for (const r of Object.values(template.Resources)) {
    const v = r.Properties?.Environment?.Variables;
    for (const [k, value] of Object.entries(v ?? {})) if (/EXTERNAL_ID/.test(k) && typeof value === 'string') return value;
  }
  return 'Atlas_Request_Id__c';
}

function generationQueueId(template: OfflineAtlasOptions['template']): string {
  const id = Object.entries(template.Resources).find(([i, r]) => r.Type === 'AWS::SQS::Queue' && /GenerationQueue/.test(i))?.[0];
  return id ?? fail('generation queue');
}

function sqsEvent(messages: Message[], queueUrl: string): unknown {
  const name = queueUrl.split('/').pop();
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body, md5OfBody: m.MD5OfBody,
      attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1', SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()), SenderId: 'local', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {}, eventSource: 'aws:sqs', eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`, awsRegion: REGION,
    })),
  };
}

/** What a voice turn sent back, in the shape the text turns report. */
function voiceTurnSent(out: VoiceTurnResult, latencyMs: number): Omit<TurnResult, 'status' | 'handlerMs'> {
  const state = out.sessionState as { intent?: { name?: string }; dialogAction?: { type?: string; slotToElicit?: string } };
  return {
    latencyMs, intent: state.intent?.name, dialogAction: state.dialogAction?.type, slotToElicit: state.dialogAction?.slotToElicit,
    answer: out.messages.map((m) => ('content' in m ? m.content : '')).join(' '),
    // What Lex played while the code hook ran (fulfillment start and update messages), with when it played them.
    progress: out.progress.map((p) => `${p.messages.map((m) => ('content' in m ? m.content : '')).join(' ')} (at ${Math.round(p.atMs)} ms)`),
  };
}
