// The fast conversation path of a Lex V2 bot as one construct: bot alias -> provisioned fulfillment alias -> response
// cache, with generation moved off the turn to a queue and a worker. The bot wiring and the intents' wire format live
// beside this file.
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../shared/bedrock-defaults';
import { DEFAULT_BOT_ALIAS_NAME, DEFAULT_BOT_LOCALE_IDS, DEFAULT_FALLBACK_INTENTS, DEFAULT_MAX_TOKENS } from '../../shared/defaults';
import { CONFIG_LAYER_INTENTS_PATH, FAST_LEX_INTENTS_FILE_ENV } from '../../shared/config-file';
import { FAST_LEX_ENV } from '../../shared/env';
import { grantBedrockInvoke } from '../bedrock-access';
import type { ICallContextSource } from '../call-context-source';
import { FastLexMetrics, type CacheMetricOptions } from '../fast-lex-monitoring/metrics';
import { prebundledHandler } from '../handler-code';
import { ResponseCacheTable } from '../response-cache-table';
import { RightSizedFunction, WorkloadProfile } from '../right-sized-function';
import { aliasLocaleIds, assertQualifiedCodeHook, codeHookLocaleSettings } from './bot-wiring';
import { answeredIntentNames, checkBot, enableFulfillmentCodeHooks } from './bot-checks';
import { publishBotVersion } from './bot-version';
import { intentCacheConfigs, stateMachineOf, workflowIntentConfigs } from './intents';
import { intentsConfigLayer } from './config-layer';
import { DEFAULT_PROGRESS_TIMEOUT, progressCodeHookSettings, type ProgressMessages } from './progress-messages';
import { checkValues } from './value-checks';

export type { ProgressMessages } from './progress-messages';
export * from './props';
import type { BedrockGuardrail, CachedLexFulfillmentProps, WorkflowIntent } from './props';

/**
 * The fulfillment function's timeout: the LATENCY_CRITICAL profile's 10 s, or 5 s more than the progress messages'
 * timeout, so that Lex plays the timeout response before Lambda stops the function.
 */
function defaultFulfillmentTimeout(progress?: ProgressMessages): Duration {
  const lexTimeout = progress ? (progress.timeout ?? DEFAULT_PROGRESS_TIMEOUT) : undefined;
  if (!lexTimeout || lexTimeout.isUnresolved()) return Duration.seconds(10);
  return Duration.seconds(Math.max(10, lexTimeout.toSeconds() + 5));
}

/** The default Bedrock model: the US cross-region inference profile of Claude Haiku 4.5. */
export { DEFAULT_BEDROCK_MODEL_ID };

/**
 * The fast conversation path of a Lex V2 bot.
 *
 * Creates (or takes) a `ResponseCacheTable`; a latency-critical fulfillment function (prebundled handler, arm64,
 * provisioned concurrency on its `live` alias) that answers from the cache in milliseconds and never waits on
 * Bedrock; an encrypted generation queue with a dead-letter queue; and a generator worker that calls Bedrock
 * (Converse) and fills the cache for the next turn. Given a `CfnBot`, it creates a bot version and a bot alias
 * whose code hook names the fulfillment **alias** ARN, with a Lambda permission scoped to that bot alias.
 *
 * The bot is checked at synth (its locales, intents, slots, fallback intent and auto-build against the props), the
 * fulfillment code hook of every intent the construct answers is turned on where it was left out, and every change
 * to the bot's locales publishes a new bot version that the alias then names (the old one is deleted once the alias
 * has moved). Error messages name props in camelCase, as in TypeScript (`fulfillmentMemorySize` is
 * `fulfillment_memory_size` in Python).
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
  /**
   * The Bedrock model used when `modelId` is not set: the US cross-region inference profile of Claude Haiku 4.5
   * (`CachedLexFulfillment.DEFAULT_BEDROCK_MODEL_ID` in Python too).
   */
  public static readonly DEFAULT_BEDROCK_MODEL_ID: string = DEFAULT_BEDROCK_MODEL_ID;

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
  /**
   * The layer that holds the intents configuration (`/opt/fast-lex/intents.json`); undefined when the configuration
   * holds tokens and so travels in the environment.
   */
  public readonly configLayer?: lambda.LayerVersion;
  /** The bot version, when `bot` was given. */
  public readonly botVersion?: lex.CfnBotVersion;
  /** The bot alias, when `bot` was given. */
  public readonly botAlias?: lex.CfnBotAlias;
  /** The Bedrock model id (or ARN) answers are generated with; `LexWebChat` streams with the same one. */
  public readonly modelId: string;
  /** The guardrail applied to every generation, if any. */
  public readonly guardrail?: BedrockGuardrail;
  private readonly workflowIntents: WorkflowIntent[];
  private readonly configuredIntentNames: Set<string>;
  private readonly props: CachedLexFulfillmentProps;
  private callContextSource?: ICallContextSource;

  constructor(scope: Construct, id: string, props: CachedLexFulfillmentProps) {
    super(scope, id);
    if (props.existingCacheTable && props.cacheTableProps) {
      throw new Error(`CachedLexFulfillment '${id}': 'existingCacheTable' and 'cacheTableProps' conflict. Pass 'existingCacheTable' `
        + "to use your own table, or 'cacheTableProps' to let the construct create one, not both.");
    }
    this.props = props;
    const stack = Stack.of(this);
    const where = `CachedLexFulfillment '${id}'`;
    const fulfillmentTimeout = props.fulfillmentTimeout ?? defaultFulfillmentTimeout(props.progressMessages);
    checkValues(where, props, fulfillmentTimeout);
    const localeIds = props.botLocaleIds ?? DEFAULT_BOT_LOCALE_IDS;
    const progress = progressCodeHookSettings(this, where, props, fulfillmentTimeout);
    if (props.bot) {
      checkBot(where, props.bot, props, localeIds);
      enableFulfillmentCodeHooks(where, props.bot, localeIds, answeredIntentNames(props), (name) => progress.get(name) ?? {});
    }
    const intents = intentCacheConfigs(id, props);
    this.configuredIntentNames = new Set(Object.keys(intents));
    this.workflowIntents = [...(props.workflowIntents ?? [])];
    const modelId = props.modelId ?? DEFAULT_BEDROCK_MODEL_ID;
    this.modelId = modelId;
    this.guardrail = props.guardrail;

    this.cacheTable = new ResponseCacheTable(this, 'Cache', { existingTable: props.existingCacheTable, tableProps: props.cacheTableProps });

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
      [FAST_LEX_ENV.cacheTable]: this.cacheTable.table.tableName,
      [FAST_LEX_ENV.generationQueueUrl]: this.generationQueue.queueUrl,
      [FAST_LEX_ENV.modelId]: modelId,
      [FAST_LEX_ENV.maxTokens]: String(props.maxTokens ?? DEFAULT_MAX_TOKENS),
      [FAST_LEX_ENV.runtimeMarker]: '1',
    };
    if (props.guardrail) {
      common[FAST_LEX_ENV.guardrailId] = props.guardrail.guardrailId;
      common[FAST_LEX_ENV.guardrailVersion] = props.guardrail.guardrailVersion;
    }
    // The intents go in a layer file (any size, read from local disk at init); only a configuration holding tokens
    // stays in the environment.
    this.configLayer = intentsConfigLayer(this, 'IntentsConfig', intents);
    const fulfillmentOnly: Record<string, string> = {
      [FAST_LEX_ENV.fallbackIntents]: (props.fallbackIntentNames ?? DEFAULT_FALLBACK_INTENTS).join(','),
      ...(this.configLayer ? { [FAST_LEX_INTENTS_FILE_ENV]: CONFIG_LAYER_INTENTS_PATH } : { [FAST_LEX_ENV.intents]: stack.toJsonString(intents) }),
    };
    // Lazy: `addWorkflowIntent` may add intents after construction (a workflow that is built after this construct).
    fulfillmentOnly[FAST_LEX_ENV.workflows] = Lazy.string({ produce: () => stack.toJsonString(workflowIntentConfigs(this.workflowIntents) ?? {}) });
    if (props.fallbackAnswer) fulfillmentOnly[FAST_LEX_ENV.apology] = props.fallbackAnswer;
    if (props.syncGenerationDeadline) fulfillmentOnly[FAST_LEX_ENV.syncDeadlineMs] = String(props.syncGenerationDeadline.toMilliseconds());
    if (props.turnBudget) fulfillmentOnly[FAST_LEX_ENV.turnBudgetMs] = props.turnBudget.toMilliseconds().toString();
    if (props.generationLimits?.perSession !== undefined) fulfillmentOnly[FAST_LEX_ENV.generationsPerSession] = String(props.generationLimits.perSession);
    if (props.generationLimits?.perMinute !== undefined) fulfillmentOnly[FAST_LEX_ENV.generationsPerMinute] = String(props.generationLimits.perMinute);
    if (props.callContext) fulfillmentOnly[FAST_LEX_ENV.callContextTable] = props.callContext.callContextTable.tableName;
    // The workflow's phone rules, so a demo request is refused here, before the caller is promised a call.
    if (props.callContext?.phoneRulesJson) fulfillmentOnly[FAST_LEX_ENV.phoneRules] = props.callContext.phoneRulesJson;
    (props.secrets ?? []).forEach((s, i) => { fulfillmentOnly[`${FAST_LEX_ENV.secretPrefix}${i}`] = s.secretArn; });

    this.fulfillmentFunction = new RightSizedFunction(this, 'Fulfillment', {
      profile: WorkloadProfile.LATENCY_CRITICAL,
      code: props.fulfillmentCode ?? prebundledHandler('lex-fulfillment'),
      handler: props.fulfillmentCode ? (props.fulfillmentHandler ?? 'index.handler') : undefined,
      memorySize: props.fulfillmentMemorySize,
      timeout: fulfillmentTimeout,
      provisionedConcurrency: props.provisionedConcurrency,
      description: props.fulfillmentCode ? 'Lex V2 fulfillment (your code) with the cdk-fast-lex cache, queue and alias'
        : 'Lex V2 fulfillment: answers from the response cache, never waits on Bedrock',
      environment: { ...common, ...fulfillmentOnly },
    });
    if (this.configLayer) this.fulfillmentFunction.function.addLayers(this.configLayer);
    this.cacheTable.grantReadWriteCache(this.fulfillmentFunction);
    this.generationQueue.grantSendMessages(this.fulfillmentFunction);
    for (const secret of props.secrets ?? []) {
      secret.grantRead(this.fulfillmentFunction);
    }
    this.callContextSource = props.callContext;
    props.callContext?.grantReadCallContext(this.fulfillmentFunction);
    for (const w of this.workflowIntents) {
      stateMachineOf(w).grantStartExecution(this.fulfillmentFunction);
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
    // A turn that may wait for Bedrock (synchronous generation, or on calls) calls it from the fulfillment function.
    if (props.syncGenerationDeadline || props.intents.some((i) => i.voiceGenerationDeadline)) {
      this.grantBedrock(this.fulfillmentFunction, modelId, props.guardrail);
    }
    // The embedding stage of per-question intents runs on the turn, after a lexical miss.
    for (const embeddingModelId of new Set(Object.values(intents).flatMap((i) => i.questions?.embedding ? [i.questions.embedding.modelId] : []))) {
      grantBedrockInvoke(this.fulfillmentFunction, embeddingModelId);
    }

    if (props.bot) {
      const { version, alias } = this.wireBot(props.bot, localeIds, props.botAliasName ?? DEFAULT_BOT_ALIAS_NAME);
      this.botVersion = version;
      this.botAlias = alias;
    }
  }

  /**
   * Locale settings for a bot alias of your own: the code hook names the fulfillment alias ARN with interface
   * version '1.0'. Call `grantInvokeToBotAlias` as well.
   */
  public botAliasLocaleSettings(localeIds: string[]): lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty[] {
    return codeHookLocaleSettings(this.fulfillmentFunction.alias.functionArn, localeIds);
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
   * which provisioned concurrency never covers.
   */
  public attachToBotAlias(botAlias: lex.CfnBotAlias): void {
    const stack = Stack.of(this);
    const { localeIds, codeHookArns } = aliasLocaleIds(stack, botAlias);
    for (const arn of codeHookArns) assertQualifiedCodeHook(this.node.id, arn, stack.resolve(this.fulfillmentFunction.function.functionArn));
    botAlias.botAliasLocaleSettings = this.botAliasLocaleSettings(localeIds.length > 0 ? localeIds : [...DEFAULT_BOT_LOCALE_IDS]);
    this.grantInvokeToBotAlias(`LexInvoke${botAlias.node.id}`, botAlias.botId, botAlias.attrBotAliasId);
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

  private wireBot(bot: lex.CfnBot, localeIds: readonly string[], aliasName: string): { version: lex.CfnBotVersion; alias: lex.CfnBotAlias } {
    const version = publishBotVersion(this, bot, localeIds);
    const alias = new lex.CfnBotAlias(this, 'BotAlias', {
      botId: bot.attrId,
      botAliasName: aliasName,
      botVersion: version.attrBotVersion,
      botAliasLocaleSettings: this.botAliasLocaleSettings([...localeIds]),
      description: 'Invokes the fulfillment alias (provisioned), never $LATEST',
    });
    this.grantInvokeToBotAlias('LexInvoke', bot.attrId, alias.attrBotAliasId);
    return { version, alias };
  }

  /**
   * Adds an intent that starts a workflow, for a workflow built after this construct: a `DemoCallWorkflow` whose
   * call flow needs this construct's bot alias. Checked like an entry of `workflowIntents`, and its fulfillment code
   * hook turned on; `progressMessages` cover the intents of the props only.
   */
  public addWorkflowIntent(intent: WorkflowIntent): void {
    const where = `CachedLexFulfillment '${this.node.id}'`;
    if (this.configuredIntentNames.has(intent.intentName)) {
      throw new Error(`${where}: intent '${intent.intentName}' is in both 'intents' and a workflow intent; an intent is answered one way.`);
    }
    if (this.workflowIntents.some((w) => w.intentName === intent.intentName)) {
      throw new Error(`${where}: workflow intent '${intent.intentName}' is added twice.`);
    }
    if (!intent.answer || intent.answer.trim() === '') {
      throw new Error(`${where}: workflow intent '${intent.intentName}' needs a non-empty 'answer'.`);
    }
    if (this.props.bot) {
      // The same checks as for `workflowIntents`: the intent and its slots in the bot, the workflow's input contract.
      const localeIds = this.props.botLocaleIds ?? DEFAULT_BOT_LOCALE_IDS;
      checkBot(where, this.props.bot, { ...this.props, workflowIntents: [...this.workflowIntents, intent] }, localeIds);
      enableFulfillmentCodeHooks(where, this.props.bot, localeIds, [intent.intentName]);
    }
    this.workflowIntents.push(intent);
    stateMachineOf(intent).grantStartExecution(this.fulfillmentFunction);
  }

  /**
   * Reads the call context of phone calls from `source` (a `DemoCallWorkflow` built after this construct), with the
   * read-only grant it gives. The same as the `callContext` prop.
   */
  public readCallContextFrom(source: ICallContextSource): void {
    if (this.callContextSource) {
      throw new Error(`CachedLexFulfillment '${this.node.id}': the call context is read from one source; it is set already.`);
    }
    this.callContextSource = source;
    this.fulfillmentFunction.function.addEnvironment(FAST_LEX_ENV.callContextTable, source.callContextTable.tableName);
    // The workflow's phone rules, so the Lex turn refuses a number the workflow would refuse before promising a call.
    if (source.phoneRulesJson) this.fulfillmentFunction.function.addEnvironment(FAST_LEX_ENV.phoneRules, source.phoneRulesJson);
    source.grantReadCallContext(this.fulfillmentFunction);
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
