// The alarms: one table of what each watches, what it means and what to do, and the code that creates them.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { FastLexMetrics, LexBotMetricsScope, LexRuntimeMetric, MAX_METRICS_PER_ALARM, DEFAULT_LEX_OPERATIONS, PER_TURN_LATENCY_OPERATIONS } from './metrics';
import type { FastLexAlarmThresholds } from './props';
import { UPDATE_LEAD_METRICS_SERVICE, WORKFLOW_METRICS_NAMESPACE, WorkflowMetric, WorkflowMetricDimension } from '../../shared/workflow-metrics';
import { CacheMetric } from '../../shared/cache-metrics';
import type { CachedLexFulfillment } from '../cached-lex-fulfillment';
import type { DemoCallWorkflow } from '../demo-call-workflow';

/** What an alarm is for: the text of its AlarmDescription and of the README table. */
export interface AlarmDoc {
  readonly part: string;
  readonly means: string;
  readonly action: string;
}

/** Every alarm, by the construct id it gets. */
export const ALARM_DOCS: Record<string, AlarmDoc> = {
  FulfillmentP99Duration: {
    part: 'Fulfillment alias',
    means: 'The p99 of the handler Lex waits on is high: cold starts (spillover), a slow DynamoDB, or a synchronous generation deadline.',
    action: 'Check ProvisionedConcurrencySpilloverInvocations and the handler\'s logs for StoreError; raise provisioned concurrency or turn syncGenerationDeadline off.',
  },
  FulfillmentErrors: {
    part: 'Fulfillment alias',
    means: 'The fulfillment handler threw: Lex tells the caller it could not answer.',
    action: 'Read the function\'s log group for the error; a configuration error names the environment variable to fix.',
  },
  FulfillmentThrottles: {
    part: 'Fulfillment alias',
    means: 'Lambda refused invocations: the account or reserved concurrency is exhausted.',
    action: 'Raise the account\'s concurrency quota or provisioned concurrency; look for another function taking the account\'s concurrency.',
  },
  ProvisionedConcurrencySpillover: {
    part: 'Fulfillment alias',
    means: 'More turns arrived at once than provisioned instances: the rest ran on-demand and may have started cold.',
    action: 'Raise provisionedConcurrency or add provisionedConcurrencyScaling (target tracking on utilisation).',
  },
  LexCodeHookErrors: {
    part: 'Lex V2 bot alias',
    means: 'Lex could not run the code hook (the function failed, timed out or was not allowed): the caller hears an error.',
    action: 'Check the fulfillment alias alarms and the function\'s logs; a permission error means the bot alias is not granted invoke.',
  },
  LexInvalidCodeHookResponses: {
    part: 'Lex V2 bot alias',
    means: 'The code hook answered with a response Lex could not read.',
    action: 'Lex\'s conversation logs name the field; a handler change that broke the response shape is the usual cause.',
  },
  LexThrottles: {
    part: 'Lex V2 bot alias',
    means: 'Lex throttled runtime requests: the bot is above its runtime quota.',
    action: 'Request a higher Lex V2 runtime quota (Service Quotas) for the region.',
  },
  LexP99Latency: {
    part: 'Lex V2 bot alias',
    means: 'Lex\'s own p99 for a successful RecognizeText or RecognizeUtterance turn is high; users wait. (Calls on Connect are one StartConversation stream each, whose latency is not a turn\'s and is not read.)',
    action: 'Compare with the fulfillment alias p99: if that is low, the time is in Lex (speech recognition, many slots).',
  },
  GenerationDeadLetter: {
    part: 'Generation queue',
    means: 'A generation request failed every attempt: that answer stays static (or stale) until the next request.',
    action: 'Read the generator\'s logs for the Bedrock error (access, guardrail, model id); redrive the DLQ when fixed.',
  },
  GenerationQueueAge: {
    part: 'Generation queue',
    means: 'Generation requests wait longer than an answer stays fresh: the worker is behind or failing.',
    action: 'Check Bedrock throttles and the generator\'s errors; raise the worker\'s concurrency or the model\'s quota.',
  },
  WorkflowFailed: {
    part: 'Demo call workflow',
    means: 'An execution failed: a lead was not created, or the call was not placed.',
    action: 'Open the execution in the Step Functions console; the failed state names the step and error.',
  },
  WorkflowTimedOut: {
    part: 'Demo call workflow',
    means: 'An execution timed out: a lost contact event (the call never reported its end) ends here.',
    action: 'Check the contact event rule and its DLQ; the call may have ended without an event.',
  },
  WorkflowAborted: {
    part: 'Demo call workflow',
    means: 'An execution was stopped by hand or by a redeploy.',
    action: 'Confirm it was intended; otherwise look in CloudTrail for StopExecution.',
  },
  SpentRequestKept: {
    part: 'Demo call workflow',
    means: 'A demo request ran out of retries and was kept in the call-context table (SPENT#): that prospect has no call yet, or was called and the Lead not updated.',
    action: 'List the kept requests with SpentRequestStore.list() (callPlaced says whether the prospect was called), fix the dependency the error names, then re-drive each with SpentRequestStore.redrive().',
  },
  BedrockThrottles: {
    part: 'Bedrock',
    means: 'Bedrock throttled the generator for this model: answers are regenerated late.',
    action: 'Request a higher tokens-per-minute quota or use a cross-region inference profile.',
  },
  BedrockLatency: {
    part: 'Bedrock',
    means: 'The model answers slowly; callers are not kept waiting (generation is off the turn), but answers refresh late.',
    action: 'Lower maxTokens, use a faster model, or check the AWS Health Dashboard for Bedrock.',
  },
  ContactFlowErrors: {
    part: 'Amazon Connect',
    means: 'The contact flow took an error branch: callers may hear an error prompt or be disconnected.',
    action: 'Read the flow\'s logs in CloudWatch Logs for the block that failed. They exist only if the instance has flow logs enabled (Connect console, Data storage, "Enable flow logs"; instance attribute CONTACTFLOW_LOGS) as well as the flow\'s Set logging behavior block.',
  },
  GenerationBudgetExceeded: {
    part: 'Response cache',
    means: 'New questions of per-question intents passed the generation bounds (per conversation or per minute): visitors heard static answers instead of generated ones.',
    action: 'One conversation asking many new questions is a script (check the web chat rate limit); many conversations mean real demand: raise generationLimits.perMinute if the Bedrock bill allows.',
  },
  CacheHitRate: {
    part: 'Response cache',
    means: 'Fewer turns are answered from the cache: callers hear static answers while generation catches up.',
    action: 'Check the generation alarms; a new context field in the cache key (contextFields) also lowers the rate.',
  },
};

/** What the alarms need. */
export interface AlarmContext {
  readonly fulfillment: CachedLexFulfillment;
  readonly workflow?: DemoCallWorkflow;
  readonly bot?: LexBotMetricsScope;
  readonly bedrockModelId: string;
  readonly connect?: { readonly instanceId: string; readonly contactFlowName: string };
  readonly thresholds: FastLexAlarmThresholds;
  readonly metricsNamespace?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Creates the alarms that apply; returns them by id. */
export function createAlarms(scope: Construct, ctx: AlarmContext): Record<string, cloudwatch.Alarm> {
  const t = ctx.thresholds;
  const alarms: Record<string, cloudwatch.Alarm> = {};
  const add = (id: string, metric: cloudwatch.IMetric, threshold: number, options: Partial<cloudwatch.CreateAlarmOptions> = {}) => {
    const doc = ALARM_DOCS[id];
    alarms[id] = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${doc.part}: ${doc.means} What to do: ${doc.action}`,
      ...options,
    });
  };
  const latencyOptions = { evaluationPeriods: 3, datapointsToAlarm: 3, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD };

  const alias = ctx.fulfillment.fulfillmentFunction.alias;
  add('FulfillmentP99Duration', FastLexMetrics.fulfillmentLatency(alias), ms(t.fulfillmentP99Duration, 500), latencyOptions);
  add('FulfillmentErrors', alias.metricErrors({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES }), t.fulfillmentErrors ?? 1);
  add('FulfillmentThrottles', alias.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES }), t.fulfillmentThrottles ?? 1);
  if (ctx.fulfillment.fulfillmentFunction.provisionedConcurrency > 0) {
    add('ProvisionedConcurrencySpillover', alias.metric('ProvisionedConcurrencySpilloverInvocations',
      { statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES }), t.provisionedConcurrencySpillover ?? 1);
  }

  if (ctx.bot) {
    const across = (name: LexRuntimeMetric, stat?: string) => FastLexMetrics.lexRuntimeAcrossOperations(name, ctx.bot!, stat, FIVE_MINUTES);
    add('LexCodeHookErrors', across(LexRuntimeMetric.LAMBDA_ERRORS), t.lexCodeHookErrors ?? 1);
    add('LexInvalidCodeHookResponses', across(LexRuntimeMetric.INVALID_LAMBDA_RESPONSES), t.lexCodeHookErrors ?? 1);
    add('LexThrottles', across(LexRuntimeMetric.THROTTLED_EVENTS), t.lexThrottles ?? 1);
    const perTurn = (ctx.bot.operations ?? DEFAULT_LEX_OPERATIONS).filter((o) => PER_TURN_LATENCY_OPERATIONS.includes(o.operation));
    if (perTurn.length > 0) {
      add('LexP99Latency', FastLexMetrics.lexRuntimeAcrossOperations(LexRuntimeMetric.SUCCESSFUL_REQUEST_LATENCY, { ...ctx.bot, operations: perTurn },
        cloudwatch.Stats.p(99), FIVE_MINUTES), ms(t.lexP99Latency, 3000), latencyOptions);
    }
  }

  add('GenerationDeadLetter', ctx.fulfillment.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
    statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1),
  }), t.generationDeadLetterMessages ?? 1);
  add('GenerationQueueAge', ctx.fulfillment.generationQueue.metricApproximateAgeOfOldestMessage({
    statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1),
  }), seconds(t.generationQueueOldestMessageAge, 300), { evaluationPeriods: 5, datapointsToAlarm: 5 });

  if (ctx.workflow) {
    const sm = ctx.workflow.stateMachine;
    const options = { statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES };
    add('WorkflowFailed', sm.metricFailed(options), t.workflowFailures ?? 1);
    add('WorkflowTimedOut', sm.metricTimedOut(options), t.workflowFailures ?? 1);
    add('WorkflowAborted', sm.metricAborted(options), t.workflowFailures ?? 1);
    // One kept request is one prospect waiting on an operator: no threshold prop.
    add('SpentRequestKept', new cloudwatch.Metric({
      namespace: WORKFLOW_METRICS_NAMESPACE, metricName: WorkflowMetric.SPENT_REQUEST_KEPT,
      dimensionsMap: { [WorkflowMetricDimension.SERVICE]: UPDATE_LEAD_METRICS_SERVICE }, ...options,
    }), 1);
  }

  add('BedrockThrottles', FastLexMetrics.bedrock('InvocationThrottles', ctx.bedrockModelId), t.bedrockThrottles ?? 5);
  add('BedrockLatency', FastLexMetrics.bedrock('InvocationLatency', ctx.bedrockModelId, cloudwatch.Stats.AVERAGE),
    ms(t.bedrockAverageLatency, 5000), latencyOptions);

  if (ctx.connect) {
    add('ContactFlowErrors', FastLexMetrics.contactFlow('ContactFlowErrors', ctx.connect.instanceId, ctx.connect.contactFlowName),
      t.contactFlowErrors ?? 1);
  }

  // One refusal means a visitor heard a static answer to a new question: no threshold prop.
  add('GenerationBudgetExceeded', FastLexMetrics.cacheCount(CacheMetric.GENERATION_BUDGET_EXCEEDED, { namespace: ctx.metricsNamespace }), 1);

  add('CacheHitRate', FastLexMetrics.cacheHitRate({ namespace: ctx.metricsNamespace }), t.cacheHitRatePercent ?? 50, {
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  });
  return alarms;
}

/** Refuses a bot scope whose alarms would read more series than CloudWatch allows in one alarm. */
export function validateBotScope(id: string, bot: LexBotMetricsScope): void {
  const series = (bot.localeIds ?? ['en_US']).length * (bot.operations ?? DEFAULT_LEX_OPERATIONS).length;
  if (series > MAX_METRICS_PER_ALARM) {
    throw new Error(`FastLexMonitoring '${id}': 'bot' has ${series} locale x operation series; a Lex alarm reads one metric per `
      + `series and CloudWatch allows ${MAX_METRICS_PER_ALARM} per alarm. Give fewer localeIds or operations, or one FastLexMonitoring per locale.`);
  }
  if ((bot.localeIds ?? ['en_US']).length === 0 || (bot.operations ?? DEFAULT_LEX_OPERATIONS).length === 0) {
    throw new Error(`FastLexMonitoring '${id}': 'bot.localeIds' and 'bot.operations' must not be empty (leave them out for the defaults).`);
  }
}

function ms(d: Duration | undefined, fallback: number): number {
  return d === undefined ? fallback : d.toMilliseconds();
}

function seconds(d: Duration | undefined, fallback: number): number {
  return d === undefined ? fallback : d.toSeconds();
}
