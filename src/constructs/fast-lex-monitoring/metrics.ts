// Metric builders for every part of the system: Lex V2 (its V2 dimensions), the fulfillment alias, the response
// cache's EMF metrics, Bedrock, Step Functions and Connect. Usable alone, e.g. with cdk-monitoring-constructs.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  CACHE_METRICS_NAMESPACE,
  CacheMetric,
  CacheMetricDimension,
  FULFILLMENT_METRICS_SERVICE,
} from '../../shared/cache-metrics';

/** The `AWS/Lex` runtime metrics of a Lex V2 bot alias. */
export enum LexRuntimeMetric {
  /** Requests. */
  REQUEST_COUNT = 'RuntimeRequestCount',
  /** Latency of successful requests, ms. */
  SUCCESSFUL_REQUEST_LATENCY = 'RuntimeSuccessfulRequestLatency',
  /** Lex's own errors (HTTP 5xx). */
  SYSTEM_ERRORS = 'RuntimeSystemErrors',
  /** Callers' errors (HTTP 4xx). */
  USER_ERRORS = 'RuntimeUserErrors',
  /** Throttled requests. */
  THROTTLED_EVENTS = 'RuntimeThrottledEvents',
  /** Code hook (Lambda) errors. */
  LAMBDA_ERRORS = 'RuntimeLambdaErrors',
  /** Code hook responses Lex could not read. */
  INVALID_LAMBDA_RESPONSES = 'RuntimeInvalidLambdaResponses',
  /** Utterances no intent matched. */
  MISSED_UTTERANCE_COUNT = 'MissedUtteranceCount',
}

/**
 * One Lex V2 runtime operation, as it appears in the `Operation` (and for speech, `InputMode`) dimension.
 */
export interface LexOperationDimensions {
  /** `RecognizeText`, `RecognizeUtterance` or `StartConversation`. */
  readonly operation: string;
  /**
   * The `InputMode` dimension: Lex adds it for `RecognizeUtterance` and `StartConversation` (`Speech`, `DTMF`, `Text`).
   * @default - no InputMode dimension (what `RecognizeText` publishes)
   */
  readonly inputMode?: string;
}

/**
 * A Lex V2 bot alias and the locales and operations to watch.
 */
export interface LexBotMetricsScope {
  /** The bot id. */
  readonly botId: string;
  /** The bot alias id. */
  readonly botAliasId: string;
  /**
   * Locales of the alias.
   * @default ['en_US']
   */
  readonly localeIds?: string[];
  /**
   * The operations to sum over. CloudWatch matches a dimension set exactly, so each operation is its own series.
   * @default - RecognizeText; RecognizeUtterance and StartConversation with InputMode Speech (Amazon Connect)
   */
  readonly operations?: LexOperationDimensions[];
}

/**
 * Options of the response cache metrics.
 */
export interface CacheMetricOptions {
  /**
   * The namespace the fulfillment function publishes to (`POWERTOOLS_METRICS_NAMESPACE`).
   * @default 'CdkFastLex'
   */
  readonly namespace?: string;
  /**
   * The `service` dimension (`POWERTOOLS_SERVICE_NAME` of the fulfillment function).
   * @default 'Fulfillment'
   */
  readonly service?: string;
  /**
   * One intent; without it, the whole bot.
   * @default - every intent (the `[service]` dimension set)
   */
  readonly intentName?: string;
  /**
   * The period.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * The operations a bot alias serves by default: text (the Lex console, web chat), speech and keypad (Amazon Connect).
 * InputMode is "speech, text, or DTMF" and CloudWatch matches a dimension set exactly, so keypad turns on a call are a
 * series of their own (Lex V2 developer guide, "Monitoring Amazon Lex V2 with Amazon CloudWatch").
 */
export const DEFAULT_LEX_OPERATIONS: LexOperationDimensions[] = [
  { operation: 'RecognizeText' },
  { operation: 'RecognizeUtterance', inputMode: 'Speech' },
  { operation: 'StartConversation', inputMode: 'Speech' },
  { operation: 'StartConversation', inputMode: 'DTMF' },
];

/**
 * The operations whose `RuntimeSuccessfulRequestLatency` is one turn's: "between the time the request was made and
 * the response was passed back". RecognizeText and RecognizeUtterance answer one request per turn; StartConversation
 * is one stream for the whole call (its length is `RuntimeRequestLength`), so its latency is not a turn's.
 */
export const PER_TURN_LATENCY_OPERATIONS: readonly string[] = ['RecognizeText', 'RecognizeUtterance'];

/** CloudWatch's limit on the metrics one alarm's expression may read. */
export const MAX_METRICS_PER_ALARM = 10;

/**
 * Builders of the metrics `FastLexMonitoring` alarms on, for dashboards and monitoring facades of your own.
 */
export class FastLexMetrics {
  /**
   * The response cache hit rate in percent: `100 * (CacheHitL1 + CacheHitL2 + CacheNearHit) / (the same + CacheMiss +
   * StaleServed)`, from the fulfillment function's EMF metrics. A near hit (a paraphrase's answer) counts as a hit;
   * static answers (intents without a prompt, unshared and limited questions) are not counted.
   */
  public static cacheHitRate(options: CacheMetricOptions = {}): cloudwatch.MathExpression {
    const m = (name: string) => FastLexMetrics.cacheCount(name, options);
    return new cloudwatch.MathExpression({
      // FILL: a bot without per-question intents never emits CacheNearHit, which must not blank the whole rate.
      expression: '100 * (l1 + l2 + FILL(near, 0)) / (l1 + l2 + FILL(near, 0) + miss + stale)',
      usingMetrics: { l1: m(CacheMetric.L1_HIT), l2: m(CacheMetric.L2_HIT), near: m(CacheMetric.NEAR_HIT), miss: m(CacheMetric.MISS), stale: m(CacheMetric.STALE_SERVED) },
      label: options.intentName ? `Cache hit rate ${options.intentName} (%)` : 'Cache hit rate (%)',
      period: options.period ?? Duration.minutes(5),
    });
  }

  /** One of the response cache's counters (Sum), for the whole bot or one intent. */
  public static cacheCount(metricName: string, options: CacheMetricOptions = {}): cloudwatch.Metric {
    const dimensionsMap: Record<string, string> = { [CacheMetricDimension.SERVICE]: options.service ?? FULFILLMENT_METRICS_SERVICE };
    if (options.intentName) dimensionsMap[CacheMetricDimension.INTENT] = options.intentName;
    return new cloudwatch.Metric({
      namespace: options.namespace ?? CACHE_METRICS_NAMESPACE,
      metricName,
      dimensionsMap,
      statistic: cloudwatch.Stats.SUM,
      period: options.period ?? Duration.minutes(5),
    });
  }

  /** The duration of a function alias (the one Lex invokes) at a statistic, `p99` by default. */
  public static fulfillmentLatency(alias: lambda.IFunction, statistic?: string, period?: Duration): cloudwatch.Metric {
    return alias.metricDuration({ statistic: statistic ?? cloudwatch.Stats.p(99), period: period ?? Duration.minutes(1) });
  }

  /** One Lex V2 runtime metric of one locale and operation, with the V2 dimensions. */
  public static lexRuntime(metricName: LexRuntimeMetric, botId: string, botAliasId: string, localeId: string,
    operation: LexOperationDimensions, statistic?: string, period?: Duration): cloudwatch.Metric {
    const dimensionsMap: Record<string, string> = { BotId: botId, BotAliasId: botAliasId, LocaleId: localeId, Operation: operation.operation };
    if (operation.inputMode) dimensionsMap.InputMode = operation.inputMode;
    return new cloudwatch.Metric({
      namespace: 'AWS/Lex',
      metricName,
      dimensionsMap,
      statistic: statistic ?? cloudwatch.Stats.SUM,
      period: period ?? Duration.minutes(5),
    });
  }

  /**
   * A Lex V2 runtime metric over every locale and operation of a scope: the sum of counts (missing series count 0),
   * or for a latency statistic the highest of the series.
   */
  public static lexRuntimeAcrossOperations(metricName: LexRuntimeMetric, scope: LexBotMetricsScope, statistic?: string,
    period?: Duration): cloudwatch.MathExpression {
    const stat = statistic ?? cloudwatch.Stats.SUM;
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    // Ids unique per metric and statistic: a graph of several of these expressions must not reuse one.
    const base = metricName.replace(/^Runtime/, '');
    const prefix = `${base.charAt(0).toLowerCase()}${base.slice(1)}${stat === cloudwatch.Stats.SUM ? '' : `_${stat.replace(/[^A-Za-z0-9]/g, '')}`}_`;
    let i = 0;
    for (const localeId of scope.localeIds ?? ['en_US']) {
      for (const operation of scope.operations ?? DEFAULT_LEX_OPERATIONS) {
        usingMetrics[`${prefix}${i++}`] = FastLexMetrics.lexRuntime(metricName, scope.botId, scope.botAliasId, localeId, operation, stat, period);
      }
    }
    const ids = Object.keys(usingMetrics);
    const isCount = stat === cloudwatch.Stats.SUM;
    return new cloudwatch.MathExpression({
      expression: isCount ? ids.map((id) => `FILL(${id}, 0)`).join(' + ') : `MAX([${ids.join(', ')}])`,
      usingMetrics,
      label: `${metricName} (${isCount ? 'sum' : `highest ${stat}`} over ${ids.length} series)`,
      period: period ?? Duration.minutes(5),
    });
  }

  /** An `AWS/Bedrock` metric of one model id or inference profile id. */
  public static bedrock(metricName: string, modelId: string, statistic?: string, period?: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Bedrock',
      metricName,
      dimensionsMap: { ModelId: modelId },
      statistic: statistic ?? cloudwatch.Stats.SUM,
      period: period ?? Duration.minutes(5),
    });
  }

  /** An `AWS/Connect` per-flow metric (`ContactFlowErrors`, `ContactFlowFatalErrors`). */
  public static contactFlow(metricName: string, instanceId: string, contactFlowName: string, period?: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Connect',
      metricName,
      dimensionsMap: { InstanceId: instanceId, MetricGroup: 'ContactFlow', ContactFlowName: contactFlowName },
      statistic: cloudwatch.Stats.SUM,
      period: period ?? Duration.minutes(5),
    });
  }

  private constructor() {}
}
