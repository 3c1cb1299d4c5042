// Measured latencies of a deployed app from CloudWatch (GetMetricData): the code hook alias durations and Lex's own
// latency per Lex path, each task function's duration and the whole execution time per state machine.
import * as fs from 'fs';
import type { CloudWatchClient, GetMetricDataCommandOutput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { leafSteps } from './critical-path';
import { MEASURED_FORMAT, MeasuredLatencies, MeasuredPath, MeasuredStep, MeasuredStepName } from './measured';
import { ReportInputError } from './model';
import type { LatencyReport } from './report';

/** One row of `aws cloudformation describe-stack-resources`: how a logical id was deployed. */
export interface StackResource {
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId: string;
  readonly ResourceType?: string;
  readonly StackName?: string;
}

/** The Lex V2 operations whose latency is read (Lex publishes each as its own series). */
export const LEX_LATENCY_SERIES: ReadonlyArray<Record<string, string>> = [
  { Operation: 'RecognizeText' },
  { Operation: 'RecognizeUtterance', InputMode: 'Speech' },
  { Operation: 'StartConversation', InputMode: 'Speech' },
];

/** The step name for a state machine's whole execution (it includes the call, so the model has no figure for it). */
export const WHOLE_EXECUTION_STEP = 'Execution (whole, CloudWatch ExecutionTime)';

/** Options of `measuredFromCloudWatch`. */
export interface CloudWatchReadOptions {
  /** A CloudWatch client (its region and credentials are the deployed app's). */
  readonly client: Pick<CloudWatchClient, 'send'>;
  /** The deployed stacks' resources (`aws cloudformation describe-stack-resources --stack-name <stack>`). */
  readonly stackResources: readonly StackResource[];
  readonly start: Date;
  readonly end: Date;
}

/** Reads `describe-stack-resources` output (`{ "StackResources": [...] }`, or a bare array, or several files' worth). */
export function readStackResources(file: string): StackResource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ReportInputError(`cannot read the stack resources file ${file} as JSON`, { cause });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { StackResources?: unknown })?.StackResources;
  if (!Array.isArray(list) || !list.every((r) => typeof r?.LogicalResourceId === 'string' && typeof r?.PhysicalResourceId === 'string')) {
    throw new ReportInputError(`${file}: expected the output of 'aws cloudformation describe-stack-resources' ({ "StackResources": [{ "LogicalResourceId", "PhysicalResourceId" }] })`);
  }
  return list as StackResource[];
}

interface Query { readonly path: number; readonly step: string; readonly series: MetricDataQuery['MetricStat'][] }

/**
 * The mean of each figure over the window, as a measured file. Each figure is the average of its series weighted by
 * their sample counts; a figure with no data points in the window is left out (and so not compared).
 */
export async function measuredFromCloudWatch(report: LatencyReport, options: CloudWatchReadOptions): Promise<MeasuredLatencies> {
  const physical = new Map(options.stackResources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  const seconds = Math.max(60, Math.ceil((options.end.getTime() - options.start.getTime()) / 60_000) * 60);
  const stat = (namespace: string, metricName: string, dims: Record<string, string>) => ({
    Metric: { Namespace: namespace, MetricName: metricName, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) },
    Period: seconds,
    Stat: 'Average',
  });
  const duration = (logicalId: string | undefined) => {
    const name = logicalId === undefined ? undefined : physical.get(logicalId);
    return name === undefined ? [] : [stat('AWS/Lambda', 'Duration', { FunctionName: name })];
  };
  const queries: Query[] = [];
  report.paths.forEach((p, i) => {
    if (p.kind === 'lex-code-hook') {
      queries.push({ path: i, step: MeasuredStepName.HANDLER, series: duration(p.functionLogicalId) });
      // A bot alias's physical id is "<botAliasId>|<botId>"; its bot's is the bot id.
      const [aliasId, botFromAlias] = (physical.get(p.logicalId) ?? '').split('|');
      const botId = p.lex?.botId ?? botFromAlias ?? (p.lex?.botLogicalId ? physical.get(p.lex.botLogicalId) : undefined);
      if (aliasId && botId && p.lex) {
        queries.push({
          path: i,
          step: MeasuredStepName.CRITICAL_PATH,
          series: LEX_LATENCY_SERIES.map((op) => stat('AWS/Lex', 'RuntimeSuccessfulRequestLatency',
            { BotId: botId, BotAliasId: aliasId, LocaleId: p.lex!.localeId, ...op })),
        });
      }
    } else {
      // Every task: those after the call (beside it, or once it is placed) are measured too.
      for (const s of leafSteps([...p.current.segments, ...(p.current.afterCall ?? [])])) {
        if (s.functionLogicalId) queries.push({ path: i, step: s.name, series: duration(s.functionLogicalId) });
      }
      const arn = physical.get(p.logicalId);
      if (arn) queries.push({ path: i, step: WHOLE_EXECUTION_STEP, series: [stat('AWS/States', 'ExecutionTime', { StateMachineArn: arn })] });
    }
  });

  // Each series twice (Average, SampleCount), ids q<query>_<series>_<a|n>; GetMetricData takes 500 queries a call.
  const all: MetricDataQuery[] = queries.flatMap((q, qi) => q.series.flatMap((m, si) => [
    { Id: `q${qi}_${si}_a`, MetricStat: m, ReturnData: true },
    { Id: `q${qi}_${si}_n`, MetricStat: { ...m!, Stat: 'SampleCount' }, ReturnData: true },
  ]));
  const values = new Map<string, number[]>();
  const { GetMetricDataCommand } = loadCloudWatchSdk();
  for (let i = 0; i < all.length; i += 500) {
    let token: string | undefined;
    do {
      const out: GetMetricDataCommandOutput = await options.client.send(new GetMetricDataCommand({
        StartTime: options.start, EndTime: options.end, MetricDataQueries: all.slice(i, i + 500), NextToken: token,
      }));
      for (const r of out.MetricDataResults ?? []) values.set(r.Id!, [...(values.get(r.Id!) ?? []), ...(r.Values ?? [])]);
      token = out.NextToken;
    } while (token);
  }

  const byPath = new Map<number, MeasuredStep[]>();
  queries.forEach((q, qi) => {
    let weighted = 0;
    let samples = 0;
    q.series.forEach((_, si) => {
      const avg = values.get(`q${qi}_${si}_a`) ?? [];
      const n = values.get(`q${qi}_${si}_n`) ?? [];
      avg.forEach((a, k) => { weighted += a * (n[k] ?? 1); samples += n[k] ?? 1; });
    });
    if (samples > 0) byPath.set(q.path, [...(byPath.get(q.path) ?? []), { name: q.step, ms: weighted / samples, samples }]);
  });
  const paths: MeasuredPath[] = [...byPath].map(([i, steps]) => ({ kind: report.paths[i].kind, logicalId: report.paths[i].logicalId, steps }));
  return {
    format: MEASURED_FORMAT,
    source: `CloudWatch GetMetricData, ${options.start.toISOString()} to ${options.end.toISOString()}`,
    measuredAt: options.end.toISOString(),
    paths,
  };
}

type CloudWatchSdk = typeof import('@aws-sdk/client-cloudwatch');

/** The CloudWatch SDK, loaded only for `--from-cloudwatch` (users of the constructs do not need it). */
export function loadCloudWatchSdk(): CloudWatchSdk {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@aws-sdk/client-cloudwatch') as CloudWatchSdk;
  } catch (cause) {
    throw new ReportInputError('--from-cloudwatch needs @aws-sdk/client-cloudwatch: npm install --save-dev @aws-sdk/client-cloudwatch', { cause });
  }
}
