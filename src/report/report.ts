// The latency/cost report of a synthesized cloud assembly: per Lex bot alias and per state machine, the critical path
// with estimated latencies, the monthly cost for a stated load, and the LatencyChecks findings. The parts live beside
// it: assembly.ts (reading), function-latency.ts, critical-path.ts, text.ts.
import { runRules } from '../checks/rules';
import { LAMBDA_PRICES_US_EAST_1, LambdaPriceTable } from '../shared/pricing';
import { readAssembly } from './assembly';
import { lexPaths, workflowPaths } from './critical-path';
import { compareMeasured, MeasuredComparison, MeasuredLatencies } from './measured';
import { DEFAULT_LOAD, DEFAULT_MODEL, LatencyModel, Load, SEED_MODEL } from './model';

export { readAssembly } from './assembly';
export { leafSteps, segmentsMs } from './critical-path';
export { functionSteps, lambdaMonthlyUsd } from './function-latency';
export { renderText } from './text';

/** One bar of the critical path. */
export interface Step {
  readonly name: string;
  readonly ms: number;
  readonly detail: string;
  /** This step places the outbound call: what follows it is off the critical path. */
  readonly placesCall?: boolean;
  /** The task then waits (a callback or a job): the wait is not part of `ms`. */
  readonly waits?: boolean;
  /** The function this step invokes (logical id), for measured figures by function. */
  readonly functionLogicalId?: string;
}

/** A step, or branches that run side by side (the group lasts as long as its longest branch). */
export type Segment =
  | { readonly kind: 'step'; readonly step: Step }
  | { readonly kind: 'parallel'; readonly name: string; readonly ms: number; readonly branches: Segment[][] };

/** One variant (current or alternative) of a path. */
export interface Variant {
  /** The critical path. */
  readonly segments: Segment[];
  /** What runs after the call is placed (UpdateLead, the wait for the call): not on the critical path. */
  readonly afterCall?: Segment[];
  readonly totalMs: number;
  readonly monthlyUsd: number;
  /** How the monthly cost is made up, line by line. */
  readonly costLines: string[];
}

/** A Lex bot alias code hook, or a state machine. */
export interface PathReport {
  readonly kind: 'lex-code-hook' | 'state-machine';
  readonly name: string;
  readonly stack: string;
  readonly logicalId: string;
  /** Invocations per month the cost is computed for. */
  readonly monthlyLoad: number;
  readonly current: Variant;
  /** The same path with the fixes the rules ask for (see the README of the report). */
  readonly alternative: Variant;
  readonly notes: string[];
  /** The critical path's totals with the seed's (the slow system's) figures, for comparison. */
  readonly withSeedFigures?: { readonly totalMs: number; readonly alternativeTotalMs: number };
  /** The code hook function (logical id) of a Lex path. */
  readonly functionLogicalId?: string;
  /** The bot of a Lex path: its id when the template names it, else the logical id of its AWS::Lex::Bot; the locale. */
  readonly lex?: { readonly botId?: string; readonly botLogicalId?: string; readonly localeId: string };
}

/** A LatencyChecks finding in a template of the assembly. */
export interface ReportFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly message: string;
  /** The reason given when the finding is acknowledged. */
  readonly acknowledged?: string;
}

/** The whole report. */
export interface LatencyReport {
  readonly assembly: string;
  readonly model: LatencyModel;
  readonly load: Load;
  readonly paths: PathReport[];
  readonly findings: ReportFinding[];
  /** Measured beside modelled, when measurements were given. */
  readonly measured?: MeasuredComparison;
}

/** Options of `buildReport`. */
export interface ReportOptions {
  readonly model?: LatencyModel;
  readonly load?: Load;
  readonly prices?: LambdaPriceTable;
  /** Measurements to put beside the model (`npm run atlas`'s file, or CloudWatch's). */
  readonly measured?: MeasuredLatencies;
  /** @default DEFAULT_AGREEMENT_FACTOR (3) */
  readonly agreementFactor?: number;
}

/** Builds the report of the cloud assembly in `assemblyDir`. */
export function buildReport(assemblyDir: string, options: ReportOptions = {}): LatencyReport {
  const model = options.model ?? DEFAULT_MODEL;
  const load = options.load ?? DEFAULT_LOAD;
  const prices = options.prices ?? LAMBDA_PRICES_US_EAST_1;
  const templates = readAssembly(assemblyDir);
  const paths: PathReport[] = [];
  const findings: ReportFinding[] = [];
  for (const tm of templates) {
    const modelled = [...lexPaths(tm, model, load, prices), ...workflowPaths(tm, model, load, prices)];
    // The same paths with the slow system's figures: the "current" side of the comparison the seed made.
    const slow = model === SEED_MODEL ? modelled : [...lexPaths(tm, SEED_MODEL, load, prices), ...workflowPaths(tm, SEED_MODEL, load, prices)];
    paths.push(...modelled.map((p, i) => ({ ...p, withSeedFigures: { totalMs: slow[i].current.totalMs, alternativeTotalMs: slow[i].alternative.totalMs } })));
    for (const f of runRules(tm)) {
      const reason = tm.acknowledgement(f.logicalId, f.ruleId);
      findings.push({
        ruleId: f.ruleId, severity: f.severity, stack: tm.stackName, logicalId: f.logicalId, message: f.message,
        ...(reason !== undefined && reason.trim() !== '' ? { acknowledged: reason } : {}),
      });
    }
  }
  const report: LatencyReport = { assembly: assemblyDir, model, load, paths, findings };
  return options.measured ? { ...report, measured: compareMeasured(report, options.measured, options.agreementFactor) } : report;
}

