// The seed's conversation path as one construct: Lex V2 bot alias -> fulfillment alias (provisioned) -> response
// cache, with generation moved off the turn to a queue and a worker (seed: "Optimized Architecture").
import { Duration, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantBedrockInvoke } from './bedrock-access';
import { FastLexMetrics, type CacheMetricOptions } from './fast-lex-monitoring/metrics';
import { prebundledHandler } from './handler-code';
import { ResponseCacheTable } from './response-cache-table';
import { RightSizedFunction, WorkloadProfile } from './right-sized-function';
import { DEFAULT_BEDROCK_MODEL_ID } from '../shared/bedrock-defaults';

/** The default Bedrock model: the US cross-region inference profile of Claude Haiku 4.5. */
export { DEFAULT_BEDROCK_MODEL_ID };

/**
 * How one intent is answered through the response cache.
 */
export interface IntentResponse {
  /** The intent name, as in the bot. */
  readonly intentName: string;
  /** The answer served at once on a cache miss, and whenever the cache cannot help. */
  readonly staticAnswer: string;
  /**
   * The prompt for Bedrock. `{{slots.name}}`-style placeholders are filled from the cache-key context.
   * @default - the intent always answers with `staticAnswer`
   */
  readonly prompt?: string;
  /**
   * System prompt for Bedrock.
   * @default - none
   */
  readonly systemPrompt?: string;
  /**
   * How long a generated answer is fresh.
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
  /**
   * How long after `ttl` the old answer is still served while a new one is generated.
   * @default Duration.minutes(5)
   */
  readonly staleWindow?: Duration;
  /**
   * The context fields that change the answer and so form the cache key, as dotted paths
   * (`slots.company`, `localeId`, `call.scenario`).
   * @default - every context field except volatile ones (session and request ids, timestamps)
   */
  readonly contextFields?: string[];
  /**
   * Bedrock maxTokens for this intent.
   * @default - the construct's `maxTokens`
   */
  readonly maxTokens?: number;
}

/**
 * An intent that starts a state machine with its slots as input and answers at once.
 */
export interface WorkflowIntent {
  /** The intent name, as in the bot. */
  readonly intentName: string;
  /** The state machine to start (e.g. `DemoCallWorkflow.stateMachine`). */
  readonly stateMachine: sfn.IStateMachine;
  /** What the user hears at once, e.g. "Thanks! We'll call you in a moment." */
  readonly answer: string;
  /**
   * Where each slot goes in the execution input: input path (dotted) to slot name, e.g.
   * `{ 'lead.phone': 'phoneNumber' }` for `DemoCallWorkflow`.
   * @default - `{ intent, slots, localeId, requestedAt }` with every filled slot under `slots`
   */
  readonly inputSlots?: { [inputPath: string]: string };
}

/**
 * A Bedrock guardrail applied to every generation.
 */
export interface BedrockGuardrail {
  /** Guardrail id. */
  readonly guardrailId: string;
  /** Guardrail version, e.g. '1' or 'DRAFT'. */
  readonly guardrailVersion: string;
}

/**
 * Properties of `CachedLexFulfillment`.
 */
export interface CachedLexFulfillmentProps {
  /** Intents answered through the response cache. */
  readonly intents: IntentResponse[];
  /**
   * What the fallback intent (and any intent not configured) answers; the conversation stays open.
   * @default "Sorry, I didn't catch that. Could you say it another way?"
   */
  readonly fallbackAnswer?: string;
  /**
   * The intents answered like the fallback (ElicitIntent).
   * @default ['FallbackIntent']
   */
  readonly fallbackIntentNames?: string[];
  /**
   * Intents that start a workflow.
   * @default - none
   */
  readonly workflowIntents?: WorkflowIntent[];
  /**
   * The response cache table.
   * @default - a new ResponseCacheTable with its secure defaults
   */
  readonly cacheTable?: ResponseCacheTable;
  /**
   * Bedrock model id or inference profile id used by the generator worker.
   * @default DEFAULT_BEDROCK_MODEL_ID (Claude Haiku 4.5, US inference profile)
   */
  readonly modelId?: string;
  /**
   * Bedrock maxTokens (the seed: 150 saves about 500 ms over 512).
   * @default 150
   */
  readonly maxTokens?: number;
  /**
   * A guardrail for every generation.
   * @default - none
   */
  readonly guardrail?: BedrockGuardrail;
  /**
   * Generate synchronously on a miss within this deadline before falling back to the static answer.
   * @default - off: a miss answers at once and generates in the background
   */
  readonly syncGenerationDeadline?: Duration;
  /**
   * Secrets the fulfillment function may read (names passed as `FAST_LEX_SECRET_<n>`), with the runtime's cache.
   * @default - none
   */
  readonly secrets?: secretsmanager.ISecret[];
  /**
   * A table of call contexts (DemoCallWorkflow.callContextTable): the handler reads the scenario of a phone call by
   * the `interactionKey` session attribute.
   * @default - none
   */
  readonly callContextTable?: dynamodb.ITable;
  /**
   * Provisioned instances of the fulfillment function (the seed: 2, for redundancy).
   * @default 2
   */
  readonly provisionedConcurrency?: number;
  /**
   * Memory of the fulfillment function in MB.
   * @default 512
   */
  readonly fulfillmentMemorySize?: number;
  /**
   * The bot to wire: the construct creates a bot version and a bot alias whose code hook is the fulfillment alias.
   * @default - no bot is wired; call `attachToBotAlias` or use `botAliasLocaleSettings` for your own alias
   */
  readonly bot?: lex.CfnBot;
  /**
   * Locales of `bot` to enable on the alias.
   * @default ['en_US']
   */
  readonly botLocaleIds?: string[];
  /**
   * Name of the bot alias the construct creates.
   * @default 'live'
   */
  readonly botAliasName?: string;
}

/**
 * The fast conversation path of a Lex V2 bot.
 *
 * Creates (or takes) a `ResponseCacheTable`; a latency-critical fulfillment function (prebundled handler, arm64,
 * provisioned concurrency on its `live` alias) that answers from the cache in milliseconds and never waits on
 * Bedrock; an encrypted generation queue with a dead-letter queue; and a generator worker that calls Bedrock
 * (Converse) and fills the cache for the next turn. Given a `CfnBot`, it creates a bot version and a bot alias
 * whose code hook names the fulfillment **alias** ARN, with a Lambda permission scoped to that bot alias.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as lex from 'aws-cdk-lib/aws-lex';
 *
 * const stack = new Stack(new App(), 'Bot');
 * declare const bot: lex.CfnBot;
 * new CachedLexFulfillment(stack, 'Fulfillment', {
 *   bot,
 *   intents: [{
 *     intentName: 'GreetingIntent',
 *     staticAnswer: 'Hello! How can I help?',
 *     prompt: 'Greet a visitor of our demo line in one friendly sentence.',
 *   }],
 * });
 */
export class CachedLexFulfillment extends Construct {
  /** The response cache table. */
  public readonly cacheTable: ResponseCacheTable;
  /** The fulfillment function; Lex invokes `fulfillmentFunction.alias`. */
  public readonly fulfillmentFunction: RightSizedFunction;
  /** The generator worker. */
  public readonly generatorFunction: RightSizedFunction;
  /** Generation requests. */
  public readonly generationQueue: sqs.Queue;
  /** Generation requests that failed every attempt. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The bot version, when `bot` was given. */
  public readonly botVersion?: lex.CfnBotVersion;
  /** The bot alias, when `bot` was given. */
  public readonly botAlias?: lex.CfnBotAlias;

  constructor(scope: Construct, id: string, props: CachedLexFulfillmentProps) {
    super(scope, id);
    const intents = validateIntents(id, props);
    const modelId = props.modelId ?? DEFAULT_BEDROCK_MODEL_ID;
    const maxTokens = props.maxTokens ?? 150;

    this.cacheTable = props.cacheTable ?? new ResponseCacheTable(this, 'Cache');

    this.deadLetterQueue = new sqs.Queue(this, 'GenerationDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.generationQueue = new sqs.Queue(this, 'GenerationQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the worker timeout, as Lambda recommends for SQS event sources.
      visibilityTimeout: Duration.minutes(6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const common: Record<string, string> = {
      FAST_LEX_CACHE_TABLE: this.cacheTable.table.tableName,
      FAST_LEX_GENERATION_QUEUE_URL: this.generationQueue.queueUrl,
      FAST_LEX_INTENTS: Stack.of(this).toJsonString(intents),
      FAST_LEX_MODEL_ID: modelId,
      FAST_LEX_MAX_TOKENS: String(maxTokens),
      FAST_LEX_RUNTIME: '1',
    };
    if (props.guardrail) {
      common.FAST_LEX_GUARDRAIL_ID = props.guardrail.guardrailId;
      common.FAST_LEX_GUARDRAIL_VERSION = props.guardrail.guardrailVersion;
    }

    this.fulfillmentFunction = new RightSizedFunction(this, 'Fulfillment', {
      profile: WorkloadProfile.LATENCY_CRITICAL,
      code: prebundledHandler('lex-fulfillment'),
      memorySize: props.fulfillmentMemorySize,
      provisionedConcurrency: props.provisionedConcurrency,
      description: 'Lex V2 fulfillment: answers from the response cache, never waits on Bedrock',
      environment: { ...common, ...this.fulfillmentEnvironment(props) },
    });
    this.cacheTable.grantReadWriteCache(this.fulfillmentFunction);
    this.generationQueue.grantSendMessages(this.fulfillmentFunction);
    for (const secret of props.secrets ?? []) {
      secret.grantRead(this.fulfillmentFunction);
    }
    if (props.callContextTable) {
      props.callContextTable.grantReadData(this.fulfillmentFunction);
    }
    for (const w of props.workflowIntents ?? []) {
      w.stateMachine.grantStartExecution(this.fulfillmentFunction);
    }

    this.generatorFunction = new RightSizedFunction(this, 'Generator', {
      profile: WorkloadProfile.ASYNC_WORKER,
      code: prebundledHandler('generator-worker'),
      description: 'Generates answers with Bedrock (Converse) for the response cache',
      environment: common,
    });
    this.cacheTable.grantReadWriteCache(this.generatorFunction);
    this.generatorFunction.alias.addEventSource(new SqsEventSource(this.generationQueue, {
      batchSize: 4,
      reportBatchItemFailures: true,
    }));
    this.grantBedrock(this.generatorFunction, modelId, props.guardrail);

    if (props.bot) {
      const { version, alias } = this.wireBot(props.bot, props.botLocaleIds ?? ['en_US'], props.botAliasName ?? 'live');
      this.botVersion = version;
      this.botAlias = alias;
    }
  }

  /**
   * Locale settings for a bot alias of your own: the code hook names the fulfillment alias ARN with interface
   * version '1.0'. Call `grantInvokeToBotAlias` as well.
   */
  public botAliasLocaleSettings(localeIds: string[]): lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty[] {
    return localeIds.map((localeId) => ({
      localeId,
      botAliasLocaleSetting: {
        enabled: true,
        codeHookSpecification: {
          lambdaCodeHook: { lambdaArn: this.fulfillmentFunction.alias.functionArn, codeHookInterfaceVersion: '1.0' },
        },
      },
    }));
  }

  /**
   * Lets one bot alias invoke the fulfillment alias (principal lexv2.amazonaws.com, scoped by source ARN).
   */
  public grantInvokeToBotAlias(id: string, botId: string, botAliasId: string): void {
    this.fulfillmentFunction.alias.addPermission(id, {
      principal: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: Stack.of(this).formatArn({ service: 'lex', resource: 'bot-alias', resourceName: `${botId}/${botAliasId}` }),
    });
  }

  /**
   * Points an existing bot alias's code hook at the fulfillment alias, for every locale it has (or `en_US`), and
   * grants it invoke. Refuses an alias whose code hook names an unqualified function ARN: that runs `$LATEST`,
   * which provisioned concurrency never covers (the seed's defect).
   */
  public attachToBotAlias(botAlias: lex.CfnBotAlias): void {
    const stack = Stack.of(this);
    const current = stack.resolve(botAlias.botAliasLocaleSettings) as unknown;
    const items = Array.isArray(current) ? current as Array<Record<string, any>> : [];
    for (const item of items) {
      const arn = item?.botAliasLocaleSetting?.codeHookSpecification?.lambdaCodeHook?.lambdaArn
        ?? item?.BotAliasLocaleSetting?.CodeHookSpecification?.LambdaCodeHook?.LambdaArn;
      if (arn !== undefined) assertQualifiedCodeHook(this.node.id, arn, stack.resolve(this.fulfillmentFunction.function.functionArn));
    }
    const locales = items.map((i) => i.localeId ?? i.LocaleId).filter((l): l is string => typeof l === 'string');
    botAlias.botAliasLocaleSettings = this.botAliasLocaleSettings(locales.length > 0 ? locales : ['en_US']);
    this.grantInvokeToBotAlias(`LexInvoke${botAlias.node.id}`, botAlias.botId, botAlias.attrBotAliasId);
  }

  private fulfillmentEnvironment(props: CachedLexFulfillmentProps): Record<string, string> {
    const env: Record<string, string> = {};
    if (props.workflowIntents?.length) {
      env.FAST_LEX_WORKFLOWS = Stack.of(this).toJsonString(Object.fromEntries(props.workflowIntents.map((w) => [
        w.intentName, { stateMachineArn: w.stateMachine.stateMachineArn, answer: w.answer, input: w.inputSlots },
      ])));
    }
    env.FAST_LEX_FALLBACK_INTENTS = (props.fallbackIntentNames ?? ['FallbackIntent']).join(',');
    if (props.fallbackAnswer) env.FAST_LEX_APOLOGY = props.fallbackAnswer;
    if (props.syncGenerationDeadline) env.FAST_LEX_SYNC_DEADLINE_MS = String(props.syncGenerationDeadline.toMilliseconds());
    if (props.callContextTable) env.FAST_LEX_CALL_CONTEXT_TABLE = props.callContextTable.tableName;
    (props.secrets ?? []).forEach((s, i) => { env[`FAST_LEX_SECRET_${i}`] = s.secretArn; });
    return env;
  }

  private grantBedrock(fn: RightSizedFunction, modelId: string, guardrail?: BedrockGuardrail): void {
    const stack = Stack.of(this);
    grantBedrockInvoke(fn, modelId);
    if (guardrail) {
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['bedrock:ApplyGuardrail'],
        resources: [stack.formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: guardrail.guardrailId })],
      }));
    }
  }

  private wireBot(bot: lex.CfnBot, localeIds: string[], aliasName: string): { version: lex.CfnBotVersion; alias: lex.CfnBotAlias } {
    const version = new lex.CfnBotVersion(this, 'BotVersion', {
      botId: bot.attrId,
      botVersionLocaleSpecification: localeIds.map((localeId) => ({
        localeId,
        botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' },
      })),
      description: 'Published by CachedLexFulfillment',
    });
    const alias = new lex.CfnBotAlias(this, 'BotAlias', {
      botId: bot.attrId,
      botAliasName: aliasName,
      botVersion: version.attrBotVersion,
      botAliasLocaleSettings: this.botAliasLocaleSettings(localeIds),
      description: 'Invokes the fulfillment alias (provisioned), never $LATEST',
    });
    this.grantInvokeToBotAlias('LexInvoke', bot.attrId, alias.attrBotAliasId);
    return { version, alias };
  }

  /**
   * The response cache hit rate in percent, of the whole bot or one intent (`options.intentName`), from the
   * fulfillment function's EMF metrics: for dashboards and monitoring facades (cdk-monitoring-constructs).
   */
  public metricCacheHitRate(options: CacheMetricOptions = {}): cloudwatch.MathExpression {
    return FastLexMetrics.cacheHitRate(options);
  }

  /** The duration of the fulfillment alias (the one Lex invokes), p99 over one minute unless given. */
  public metricFulfillmentLatency(statistic?: string, period?: Duration): cloudwatch.Metric {
    return FastLexMetrics.fulfillmentLatency(this.fulfillmentFunction.alias, statistic, period);
  }
}

const UNQUALIFIED_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+$/;

/**
 * Throws when a code hook ARN names a function without a version or alias: Lex then invokes `$LATEST`, which
 * provisioned concurrency never covers, so every cold start lands on a caller (the seed's 3-5 s turns).
 */
function assertQualifiedCodeHook(id: string, resolvedArn: unknown, resolvedFunctionArn: unknown): void {
  const unqualified = (typeof resolvedArn === 'string' && !Token.isUnresolved(resolvedArn) && UNQUALIFIED_FUNCTION_ARN.test(resolvedArn))
    || JSON.stringify(resolvedArn) === JSON.stringify(resolvedFunctionArn)
    || isGetAttArnOfFunction(resolvedArn);
  if (unqualified) {
    throw new Error(
      `CachedLexFulfillment '${id}': the bot alias's code hook names an unqualified Lambda function ARN (${JSON.stringify(resolvedArn)}). `
      + 'Lex would invoke $LATEST, which provisioned concurrency never covers, so callers meet cold starts (the seed\'s defect: '
      + '"Lex pointing to $LATEST, not version 28"). Name an alias or version ARN: attachToBotAlias() sets the fulfillment alias for you.',
    );
  }
}

function isGetAttArnOfFunction(value: unknown): boolean {
  // { 'Fn::GetAtt': [logicalId, 'Arn'] } is a function's unqualified ARN; an alias or version is a Ref.
  const getAtt = (value as Record<string, unknown> | null)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn';
}

function wholeSeconds(d?: Duration): number | undefined {
  return d === undefined ? undefined : Math.round(d.toMilliseconds() / 1000);
}

function validateIntents(id: string, props: CachedLexFulfillmentProps): Record<string, Record<string, unknown>> {
  const where = `CachedLexFulfillment '${id}'`;
  if (!props.intents || props.intents.length === 0) {
    throw new Error(`${where}: 'intents' needs at least one intent with a 'staticAnswer'.`);
  }
  const out: Record<string, Record<string, unknown>> = {};
  const names = new Set<string>();
  for (const intent of props.intents) {
    if (!intent.intentName || intent.intentName.includes('#')) {
      throw new Error(`${where}: intent name '${intent.intentName}' must be non-empty and must not contain '#'.`);
    }
    if (names.has(intent.intentName)) {
      throw new Error(`${where}: intent '${intent.intentName}' is configured twice in 'intents'.`);
    }
    names.add(intent.intentName);
    if (!intent.staticAnswer || intent.staticAnswer.trim() === '') {
      throw new Error(`${where}: intent '${intent.intentName}' needs a non-empty 'staticAnswer' (what a caller hears on a cache miss).`);
    }
    if (intent.ttl && !intent.ttl.isUnresolved() && intent.ttl.toMilliseconds() < 1000) {
      throw new Error(`${where}: intent '${intent.intentName}': 'ttl' must be at least 1 second.`);
    }
    out[intent.intentName] = {
      staticAnswer: intent.staticAnswer,
      prompt: intent.prompt,
      system: intent.systemPrompt,
      ttlSeconds: wholeSeconds(intent.ttl),
      staleSeconds: wholeSeconds(intent.staleWindow),
      contextFields: intent.contextFields,
      maxTokens: intent.maxTokens,
    };
  }
  const fallbacks = props.fallbackIntentNames ?? ['FallbackIntent'];
  for (const name of fallbacks) {
    if (!out[name]) out[name] = { staticAnswer: props.fallbackAnswer ?? "Sorry, I didn't catch that. Could you say it another way?" };
  }
  for (const w of props.workflowIntents ?? []) {
    if (names.has(w.intentName)) {
      throw new Error(`${where}: intent '${w.intentName}' is in both 'intents' and 'workflowIntents'; an intent is answered one way.`);
    }
    if (!w.answer || w.answer.trim() === '') {
      throw new Error(`${where}: workflow intent '${w.intentName}' needs a non-empty 'answer'.`);
    }
  }
  return out;
}
