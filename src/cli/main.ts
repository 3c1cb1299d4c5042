#!/usr/bin/env node
// The `cdk-fast-lex` command: `cdk-fast-lex report <cdk.out> [options]` (see USAGE).
import { FastLexError } from '../shared/errors';
import { loadCloudWatchSdk, measuredFromCloudWatch, readStackResources } from '../report/cloudwatch';
import { measuredFromExecutionHistory } from '../report/execution-history';
import { DEFAULT_AGREEMENT_FACTOR, MeasuredLatencies, readMeasuredLatencies, writeMeasuredLatencies } from '../report/measured';
import { loadLoad, loadModel, ReportInputError } from '../report/model';
import { buildReport } from '../report/report';
import { writeReport } from '../report/write';

const USAGE = `Usage: cdk-fast-lex report <cdk.out> [--load <load.json>] [--model <model.json>|seed] [--out <dir>]
         [--measured <measured-latency.json> | --from-cloudwatch --stack-resources <file> [--hours <n>] [--region <r>]
          [--connect-instance <id>]]
         [--factor <n>]

Reads a synthesized CDK app and prints, per Lex bot alias and per state machine, the critical path with estimated
latencies and the monthly cost, and the LatencyChecks findings. Writes latency-report.{txt,json,svg} to --out
(default: ./fast-lex-report).
  --load     {"lexTurnsPerMonth": 100000, "workflowExecutionsPerMonth": 10000, "paths": {"<path name>": n}}
  --model    figures to override, e.g. {"coldStartProbability": {"value": 0.1, "source": "our CloudWatch p50"}};
             "seed" (or "base": "seed" in the file) starts from the slow system's figures instead of current ones
  --measured measured figures (npm run atlas writes cdk.out/measured-latency.json): shown beside the model, step by
             step, naming the steps where one is more than --factor (default ${DEFAULT_AGREEMENT_FACTOR}) times the other
  --from-cloudwatch  measures the deployed app over the last --hours (default 24) with CloudWatch GetMetricData: code
             hook and task function durations, Lex latency, execution times. --stack-resources is the output of
             'aws cloudformation describe-stack-resources --stack-name <stack>' (it maps logical to deployed ids);
             the measured figures are also written to <out>/measured-latency.json. Each workflow's request -> call
             placed (p50 as its critical path, and p99) comes from its executions' Step Functions histories
             (ListExecutions, GetExecutionHistory); with --connect-instance, also from Amazon Connect's record of
             each contact (DescribeContact: InitiationTimestamp)
`;

const VALUED = ['--load', '--model', '--out', '--measured', '--factor', '--stack-resources', '--hours', '--region', '--connect-instance'];

/** Runs the command with `argv` (without node and script); returns the exit code (a promise for --from-cloudwatch). */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 1 : 0;
  }
  const fail = (e: unknown): number => {
    if (e instanceof FastLexError) {
      err(`cdk-fast-lex: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  };
  try {
    if (command !== 'report') throw new ReportInputError(`unknown command "${command}"`);
    const options: Record<string, string> = {};
    const positional: string[] = [];
    let fromCloudWatch = false;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (VALUED.includes(a)) {
        if (rest[i + 1] === undefined) throw new ReportInputError(`${a} needs a value`);
        options[a.slice(2)] = rest[++i];
      } else if (a === '--from-cloudwatch') {
        fromCloudWatch = true;
      } else if (a.startsWith('--')) {
        throw new ReportInputError(`unknown option ${a}`);
      } else positional.push(a);
    }
    if (positional.length !== 1) throw new ReportInputError('give exactly one cloud assembly directory (cdk.out)');
    const factor = options.factor === undefined ? undefined : Number(options.factor);
    if (factor !== undefined && !(factor > 1)) throw new ReportInputError(`--factor must be a number > 1 (got "${options.factor}")`);
    if (fromCloudWatch && options.measured) throw new ReportInputError('give --measured or --from-cloudwatch, not both');
    if (!fromCloudWatch && (options['stack-resources'] || options.hours || options.region || options['connect-instance'])) {
      throw new ReportInputError('--stack-resources, --hours, --region and --connect-instance go with --from-cloudwatch');
    }
    const outDir = options.out ?? 'fast-lex-report';
    const base = { model: loadModel(options.model), load: loadLoad(options.load), agreementFactor: factor };
    const finish = (measured?: MeasuredLatencies): number => {
      const written = writeReport(positional[0], outDir, { ...base, measured });
      out(written.text);
      out(`\nWrote ${written.files.text}, ${written.files.json} and ${written.files.svg}\n`);
      return 0;
    };
    if (!fromCloudWatch) return finish(options.measured ? readMeasuredLatencies(options.measured) : undefined);

    if (!options['stack-resources']) throw new ReportInputError('--from-cloudwatch needs --stack-resources <describe-stack-resources output>');
    const hours = options.hours === undefined ? 24 : Number(options.hours);
    if (!(hours > 0)) throw new ReportInputError(`--hours must be a number > 0 (got "${options.hours}")`);
    const stackResources = readStackResources(options['stack-resources']);
    const { CloudWatchClient } = loadCloudWatchSdk();
    const region = options.region ? { region: options.region } : {};
    const client = new CloudWatchClient(region);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sfn = new (require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn')).SFNClient(region);
    const connectInstance = options['connect-instance'];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const connect = connectInstance ? new (require('@aws-sdk/client-connect') as typeof import('@aws-sdk/client-connect')).ConnectClient(region) : undefined;
    const end = new Date();
    const start = new Date(end.getTime() - hours * 3600_000);
    const report = buildReport(positional[0], base);
    const physicalIds = new Map(stackResources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
    return Promise.all([
      measuredFromCloudWatch(report, { client, stackResources, start, end }),
      // The metrics stand without the histories (no states:ListExecutions permission, say): said, not fatal.
      measuredFromExecutionHistory(report, { sfn, physicalIds, start, end, connect: connect && connectInstance ? { client: connect, instanceId: connectInstance } : undefined })
        .catch((e: Error) => {
          out(`Step Functions execution histories not read (${e?.name ?? 'Error'}: ${e?.message ?? e}): request -> call placed is not measured\n`);
          return [];
        }),
    ])
      .then(([fromMetrics, fromHistory]) => {
        const measured = mergeMeasured(fromMetrics, fromHistory);
        const file = writeMeasuredLatencies(outDir, measured);
        out(`Measured from CloudWatch and Step Functions execution histories: ${measured.paths.reduce((n, p) => n + p.steps.length, 0)} figures (written to ${file})\n`);
        return finish(measured);
      })
      .catch(fail)
      .finally(() => {
        client.destroy();
        sfn.destroy();
        connect?.destroy();
      });
  } catch (e) {
    return fail(e);
  }
}

/** The metric figures with the execution histories' steps added to their paths. */
function mergeMeasured(fromMetrics: MeasuredLatencies, fromHistory: MeasuredLatencies['paths']): MeasuredLatencies {
  const paths = fromMetrics.paths.map((p) => {
    const more = fromHistory.find((h) => h.kind === p.kind && h.logicalId === p.logicalId);
    return more ? { ...p, steps: [...p.steps, ...more.steps] } : p;
  });
  for (const h of fromHistory) if (!paths.some((p) => p.kind === h.kind && p.logicalId === h.logicalId)) paths.push(h);
  return { ...fromMetrics, source: `${fromMetrics.source}; Step Functions execution histories`, paths };
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => { process.exitCode = code; });
}
