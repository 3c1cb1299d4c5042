// The properties of FastLexMonitoring and the alarm thresholds, each with its documented default.
import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { LexBotMetricsScope } from './metrics';
import type { CachedLexFulfillment } from '../cached-lex-fulfillment';
import type { DemoCallWorkflow } from '../demo-call-workflow';
import type { LexCallFlow } from '../lex-call-flow';

/**
 * Alarm thresholds. Each field names the alarm it sets; the README's "Operate it" table lists them all.
 */
export interface FastLexAlarmThresholds {
  /**
   * Fulfillment alias p99 duration, over 3 one-minute periods (all three must breach). The handler answers from the
   * cache in milliseconds, so a p99 near this means cold starts or a slow DynamoDB.
   * @default Duration.millis(500)
   */
  readonly fulfillmentP99Duration?: Duration;
  /**
   * Fulfillment alias errors in 5 minutes.
   * @default 1
   */
  readonly fulfillmentErrors?: number;
  /**
   * Fulfillment alias throttles in 5 minutes.
   * @default 1
   */
  readonly fulfillmentThrottles?: number;
  /**
   * Invocations in 5 minutes that provisioned concurrency could not take (each one a possible cold start).
   * @default 1
   */
  readonly provisionedConcurrencySpillover?: number;
  /**
   * Lex code hook errors, and (a second alarm) invalid code hook responses, in 5 minutes.
   * @default 1
   */
  readonly lexCodeHookErrors?: number;
  /**
   * Lex throttled requests in 5 minutes.
   * @default 1
   */
  readonly lexThrottles?: number;
  /**
   * Lex p99 latency of successful requests, over 3 five-minute periods. Speech requests include the caller's
   * utterance, so this is far above the code hook's own time.
   * @default Duration.seconds(3)
   */
  readonly lexP99Latency?: Duration;
  /**
   * Age of the oldest message of the generation queue. Answers are fresh for 5 minutes by default: a backlog older
   * than that means callers hear stale or static answers.
   * @default Duration.minutes(5)
   */
  readonly generationQueueOldestMessageAge?: Duration;
  /**
   * Messages on the generation dead-letter queue.
   * @default 1
   */
  readonly generationDeadLetterMessages?: number;
  /**
   * Workflow executions failed, timed out or aborted (each its own alarm), in 5 minutes.
   * @default 1
   */
  readonly workflowFailures?: number;
  /**
   * Bedrock throttled invocations of the model, in 5 minutes.
   * @default 5
   */
  readonly bedrockThrottles?: number;
  /**
   * Bedrock average invocation latency of the model, over 3 five-minute periods.
   * @default Duration.seconds(5)
   */
  readonly bedrockAverageLatency?: Duration;
  /**
   * Connect contact flow errors of the flow, in 5 minutes.
   * @default 1
   */
  readonly contactFlowErrors?: number;
  /**
   * Lowest whole-bot cache hit rate in percent, over 3 five-minute periods (all three must breach).
   * @default 50
   */
  readonly cacheHitRatePercent?: number;
}

/**
 * Properties of `FastLexMonitoring`.
 */
export interface FastLexMonitoringProps {
  /** The conversation path to watch. */
  readonly fulfillment: CachedLexFulfillment;
  /**
   * The demo call workflow to watch.
   * @default - no workflow alarms
   */
  readonly workflow?: DemoCallWorkflow;
  /**
   * The bot alias to watch, when `fulfillment` did not create it.
   * @default - the bot alias `fulfillment` created (its id and locales), else no Lex alarms
   */
  readonly bot?: LexBotMetricsScope;
  /**
   * The Bedrock model id or inference profile id the generator calls (the `ModelId` dimension of `AWS/Bedrock`).
   * @default DEFAULT_BEDROCK_MODEL_ID (what CachedLexFulfillment uses by default)
   */
  readonly bedrockModelId?: string;
  /**
   * The Connect flow that hands calls to the bot, for its flow-error alarm. Conflicts with `connectInstanceId` and
   * `contactFlowName`, which name a flow of your own.
   * @default - the flow `connectInstanceId` and `contactFlowName` name, else no Connect alarm
   */
  readonly callFlow?: LexCallFlow;
  /**
   * The Amazon Connect instance id (not its ARN) a flow of your own runs in.
   * @default - no Connect alarm
   */
  readonly connectInstanceId?: string;
  /**
   * The name of the contact flow that hands calls to the bot.
   * @default - no Connect alarm
   */
  readonly contactFlowName?: string;
  /**
   * Where alarms (and their return to OK) are sent.
   * @default - a new SNS topic encrypted with a new KMS key (rotation on), TLS enforced
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Alarm thresholds.
   * @default - the defaults documented on each field
   */
  readonly thresholds?: FastLexAlarmThresholds;
  /**
   * The dashboard's name.
   * @default - CloudFormation generates one
   */
  readonly dashboardName?: string;
  /**
   * The namespace of the runtime's EMF metrics.
   * @default 'CdkFastLex'
   */
  readonly metricsNamespace?: string;
}
