#!/usr/bin/env node
// The `cdk-fast-lex` command: `cdk-fast-lex report <cdk.out> [--load <json>] [--model <json>] [--out <dir>]`.
import { FastLexError } from '../shared/errors';
import { loadLoad, loadModel, ReportInputError } from '../report/model';
import { writeReport } from '../report/write';

const USAGE = `Usage: cdk-fast-lex report <cdk.out> [--load <load.json>] [--model <model.json>] [--out <dir>]

Reads a synthesized CDK app and prints, per Lex bot alias and per state machine, the critical path with estimated
latencies and the monthly cost, and the LatencyChecks findings. Writes latency-report.{txt,json,svg} to --out
(default: ./fast-lex-report).
  --load   {"lexTurnsPerMonth": 100000, "workflowExecutionsPerMonth": 10000, "paths": {"<path name>": n}}
  --model  figures to override, e.g. {"coldStartProbability": {"value": 0.1, "source": "our CloudWatch p50"}}
`;

/** Runs the command with `argv` (without node and script); returns the exit code. */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 1 : 0;
  }
  try {
    if (command !== 'report') throw new ReportInputError(`unknown command "${command}"`);
    const options: Record<string, string> = {};
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (['--load', '--model', '--out'].includes(a)) {
        if (rest[i + 1] === undefined) throw new ReportInputError(`${a} needs a value`);
        options[a.slice(2)] = rest[++i];
      } else if (a.startsWith('--')) {
        throw new ReportInputError(`unknown option ${a}`);
      } else positional.push(a);
    }
    if (positional.length !== 1) throw new ReportInputError('give exactly one cloud assembly directory (cdk.out)');
    const written = writeReport(positional[0], options.out ?? 'fast-lex-report', {
      model: loadModel(options.model),
      load: loadLoad(options.load),
    });
    out(written.text);
    out(`\nWrote ${written.files.text}, ${written.files.json} and ${written.files.svg}\n`);
    return 0;
  } catch (e) {
    if (e instanceof FastLexError) {
      err(`cdk-fast-lex: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
