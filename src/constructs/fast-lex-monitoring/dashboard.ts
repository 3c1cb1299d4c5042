// The dashboard: an alarm status row, then one row per part of the system, in the order a turn meets them.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmContext } from './alarms';
import { DEFAULT_LEX_OPERATIONS, FastLexMetrics, LexRuntimeMetric, PER_TURN_LATENCY_OPERATIONS } from './metrics';
import { CACHE_METRICS_NAMESPACE, CacheMetric, CacheMetricDimension, FULFILLMENT_METRICS_SERVICE, GENERATOR_METRICS_SERVICE } from '../../shared/cache-metrics';

const WIDTH = 24;
const FIVE_MINUTES = Duration.minutes(5);

/** The rows of the dashboard, each a title and its graphs; the titles are what the tests and README name. */
export function dashboardRows(ctx: AlarmContext, alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[][] {
  const rows: cloudwatch.IWidget[][] = [];
  const row = (title: string, widgets: cloudwatch.IWidget[]) => {
    rows.push([new cloudwatch.TextWidget({ markdown: `## ${title}`, width: WIDTH, height: 1 }), ...widgets]);
  };
  const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = [], width = 8) =>
    new cloudwatch.GraphWidget({ title, left, right, width, height: 6 });

  rows.push([new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: WIDTH, height: 4 })]);

  if (ctx.bot) {
    const across = (name: LexRuntimeMetric, stat?: string) => FastLexMetrics.lexRuntimeAcrossOperations(name, ctx.bot!, stat, FIVE_MINUTES);
    // Latency of the per-turn operations only: a StartConversation stream lasts the whole call.
    const perTurn = { ...ctx.bot, operations: (ctx.bot.operations ?? DEFAULT_LEX_OPERATIONS).filter((o) => PER_TURN_LATENCY_OPERATIONS.includes(o.operation)) };
    const latency = (stat: string) => FastLexMetrics.lexRuntimeAcrossOperations(LexRuntimeMetric.SUCCESSFUL_REQUEST_LATENCY, perTurn, stat, FIVE_MINUTES);
    row('Lex turns and latency', [
      graph('Turns', [across(LexRuntimeMetric.REQUEST_COUNT)], [across(LexRuntimeMetric.MISSED_UTTERANCE_COUNT)]),
      ...(perTurn.operations.length > 0 ? [graph('Successful turn latency, text and utterance (p50, p99)', [latency(cloudwatch.Stats.p(50)), latency(cloudwatch.Stats.p(99))])] : []),
      graph('Errors and throttles', [
        across(LexRuntimeMetric.LAMBDA_ERRORS), across(LexRuntimeMetric.INVALID_LAMBDA_RESPONSES),
        across(LexRuntimeMetric.SYSTEM_ERRORS), across(LexRuntimeMetric.THROTTLED_EVENTS),
      ]),
    ]);
  }

  const alias = ctx.fulfillment.fulfillmentFunction.alias;
  const sum = { statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES };
  row('Fulfillment alias', [
    graph('Duration (p50, p99)', [
      FastLexMetrics.fulfillmentLatency(alias, cloudwatch.Stats.p(50)), FastLexMetrics.fulfillmentLatency(alias),
    ]),
    graph('Invocations, errors, throttles', [alias.metricInvocations(sum), alias.metricErrors(sum), alias.metricThrottles(sum)]),
    graph('Provisioned concurrency', [alias.metric('ProvisionedConcurrencySpilloverInvocations', sum)],
      [alias.metric('ProvisionedConcurrencyUtilization', { statistic: cloudwatch.Stats.MAXIMUM, period: FIVE_MINUTES })]),
  ]);

  const namespace = ctx.metricsNamespace ?? CACHE_METRICS_NAMESPACE;
  const byIntent = (metricName: string) => new cloudwatch.MathExpression({
    expression: `SEARCH('{${namespace},${CacheMetricDimension.SERVICE},${CacheMetricDimension.INTENT}} `
      + `${CacheMetricDimension.SERVICE}="${FULFILLMENT_METRICS_SERVICE}" MetricName="${metricName}"', 'Sum', 300)`,
    label: metricName,
    period: FIVE_MINUTES,
  });
  row('Response cache by intent', [
    graph('Whole-bot hit rate (%)', [FastLexMetrics.cacheHitRate({ namespace })]),
    graph('Hits (L1 + L2) by intent', [byIntent(CacheMetric.L1_HIT), byIntent(CacheMetric.L2_HIT)]),
    graph('Misses, stale, fallbacks by intent', [byIntent(CacheMetric.MISS), byIntent(CacheMetric.STALE_SERVED), byIntent(CacheMetric.FALLBACK)]),
  ]);

  const generator = (name: string, stat = cloudwatch.Stats.SUM) => new cloudwatch.Metric({
    namespace, metricName: name, dimensionsMap: { [CacheMetricDimension.SERVICE]: GENERATOR_METRICS_SERVICE }, statistic: stat, period: FIVE_MINUTES,
  });
  const max = { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) };
  row('Generation', [
    graph('Queue and dead-letter queue', [
      ctx.fulfillment.generationQueue.metricApproximateNumberOfMessagesVisible(max),
      ctx.fulfillment.deadLetterQueue.metricApproximateNumberOfMessagesVisible(max),
    ], [ctx.fulfillment.generationQueue.metricApproximateAgeOfOldestMessage(max)]),
    graph('Generations', [generator(CacheMetric.GENERATION_SUCCESS), generator(CacheMetric.GENERATION_FAILURE)]),
    graph('Generation latency (p50, p99)', [generator(CacheMetric.GENERATION_LATENCY, cloudwatch.Stats.p(50)),
      generator(CacheMetric.GENERATION_LATENCY, cloudwatch.Stats.p(99))]),
  ]);

  row(`Bedrock (${ctx.bedrockModelId})`, [
    graph('Invocations and throttles', [FastLexMetrics.bedrock('Invocations', ctx.bedrockModelId),
      FastLexMetrics.bedrock('InvocationThrottles', ctx.bedrockModelId)]),
    graph('Invocation latency (average)', [FastLexMetrics.bedrock('InvocationLatency', ctx.bedrockModelId, cloudwatch.Stats.AVERAGE)]),
    graph('Client and server errors', [FastLexMetrics.bedrock('InvocationClientErrors', ctx.bedrockModelId),
      FastLexMetrics.bedrock('InvocationServerErrors', ctx.bedrockModelId)]),
  ]);

  if (ctx.workflow) {
    const sm = ctx.workflow.stateMachine;
    row('Demo call workflow', [
      graph('Executions', [sm.metricStarted(sum), sm.metricSucceeded(sum)]),
      graph('Failed, timed out, aborted', [sm.metricFailed(sum), sm.metricTimedOut(sum), sm.metricAborted(sum)]),
      graph('Execution time (p50, p99)', [sm.metricTime({ statistic: cloudwatch.Stats.p(50), period: FIVE_MINUTES }),
        sm.metricTime({ statistic: cloudwatch.Stats.p(99), period: FIVE_MINUTES })]),
    ]);
  }

  if (ctx.connect) {
    const { instanceId, contactFlowName } = ctx.connect;
    row(`Amazon Connect (${contactFlowName})`, [
      graph('Contact flow errors', [FastLexMetrics.contactFlow('ContactFlowErrors', instanceId, contactFlowName),
        FastLexMetrics.contactFlow('ContactFlowFatalErrors', instanceId, contactFlowName)], [], 12),
    ]);
  }
  return rows;
}
