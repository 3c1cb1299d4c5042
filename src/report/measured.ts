// Measured latencies beside the modelled ones: the file format (`measured-latency.json`), its writer and reader, and
// the step-by-step comparison that names the steps whose figures differ by more than a stated factor.
import * as fs from 'fs';
import * as path from 'path';
import { ReportInputError } from './model';
import type { LatencyReport, PathReport } from './report';
import { leafSteps } from './critical-path';

/** The file `npm run atlas` writes into the assembly folder, and `report --measured` reads. */
export const MEASURED_FILE_NAME = 'measured-latency.json';
/** The `format` field of a measured file. */
export const MEASURED_FORMAT = 'cdk-fast-lex/measured-latency@1';
/** Measured and modelled agree when neither is more than this many times the other. */
export const DEFAULT_AGREEMENT_FACTOR = 3;
/** Figures below this count as this, so two sub-millisecond figures never "differ" 50x. */
export const AGREEMENT_FLOOR_MS = 1;

/**
 * Step names a measured path may use: a step of the modelled critical path (`Compute`, a state name such as
 * `CreateLead`), or one of these.
 */
export const MeasuredStepName = {
  /** The whole critical path: a Lex turn as Lex reports it, a workflow from its start to the call being placed. */
  CRITICAL_PATH: 'Critical path',
  /** A Lex turn's code hook: every step of the path but Lex's own (NLU and response). */
  HANDLER: 'Handler',
} as const;

/** One measured step. */
export interface MeasuredStep {
  readonly name: string;
  /** The mean, in ms. */
  readonly ms: number;
  /** How many measurements the mean is of. */
  readonly samples: number;
}

/** The measurements of one path. */
export interface MeasuredPath {
  readonly kind: 'lex-code-hook' | 'state-machine';
  /**
   * The path's logical id (the bot alias or state machine) as the report names it.
   * @default - every path of that kind
   */
  readonly logicalId?: string;
  readonly steps: MeasuredStep[];
}

/** A measured file. */
export interface MeasuredLatencies {
  readonly format: typeof MEASURED_FORMAT;
  /** Where the figures come from (`npm run atlas (offline)`, `CloudWatch GetMetricData ...`). */
  readonly source: string;
  /** ISO 8601. */
  readonly measuredAt: string;
  readonly paths: MeasuredPath[];
}

/** One step, measured beside modelled. */
export interface StepComparison {
  readonly path: string;
  readonly step: string;
  /** Absent when the model has no such step. */
  readonly modelledMs?: number;
  readonly measuredMs: number;
  readonly samples: number;
  /** The larger over the smaller (each at least AGREEMENT_FLOOR_MS). */
  readonly ratio?: number;
  readonly withinFactor?: boolean;
}

/** Measured beside modelled for a whole report. */
export interface MeasuredComparison {
  readonly source: string;
  readonly measuredAt: string;
  readonly factor: number;
  readonly rows: StepComparison[];
  /** `path: step` of every row outside the factor. */
  readonly differing: string[];
}

/** The mean of some samples as a measured step (undefined for none). */
export function measuredStep(name: string, samplesMs: readonly number[]): MeasuredStep | undefined {
  if (samplesMs.length === 0) return undefined;
  return { name, ms: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length, samples: samplesMs.length };
}

/** What an offline run of the whole system measured (`npm run atlas`). */
export interface RunMeasurements {
  readonly source: string;
  /** The code hook's time of each Lex turn answered through the cache, in ms. */
  readonly lexTurnsMs: readonly number[];
  /** The workflow's states as the run recorded them. */
  readonly workflowStates: ReadonlyArray<{ readonly name: string; readonly type: string; readonly durationMs?: number }>;
  /** From the workflow's start to the call being placed, in ms. */
  readonly criticalPathMs: number;
}

/** The measured paths of an offline run: the Lex code hook (`Handler`), each Task state and the workflow's critical path. */
export function measuredFromRun(run: RunMeasurements): { source: string; paths: MeasuredPath[] } {
  const handler = measuredStep(MeasuredStepName.HANDLER, run.lexTurnsMs);
  const states = run.workflowStates.filter((s) => s.type === 'Task' && s.durationMs !== undefined)
    .map((s) => ({ name: s.name, ms: s.durationMs!, samples: 1 }));
  return {
    source: run.source,
    paths: [
      { kind: 'lex-code-hook', steps: handler ? [handler] : [] },
      { kind: 'state-machine', steps: [...states, { name: MeasuredStepName.CRITICAL_PATH, ms: run.criticalPathMs, samples: 1 }] },
    ],
  };
}

/** Writes `measured-latency.json` into a folder (the cloud assembly); returns its path. */
export function writeMeasuredLatencies(dir: string, figures: { source: string; paths: MeasuredPath[]; measuredAt?: string }): string {
  const file = path.join(dir, MEASURED_FILE_NAME);
  const body: MeasuredLatencies = {
    format: MEASURED_FORMAT, source: figures.source, measuredAt: figures.measuredAt ?? new Date().toISOString(), paths: figures.paths,
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}

/** Reads and checks a measured file. */
export function readMeasuredLatencies(file: string): MeasuredLatencies {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ReportInputError(`cannot read the measured file ${file} as JSON`, { cause });
  }
  const m = parsed as Partial<MeasuredLatencies>;
  if (m?.format !== MEASURED_FORMAT) {
    throw new ReportInputError(`${file}: "format" must be "${MEASURED_FORMAT}" (found ${JSON.stringify(m?.format)})`);
  }
  if (!Array.isArray(m.paths)) throw new ReportInputError(`${file}: "paths" must be an array`);
  m.paths.forEach((p, i) => {
    if (p?.kind !== 'lex-code-hook' && p?.kind !== 'state-machine') {
      throw new ReportInputError(`${file}: paths[${i}].kind must be "lex-code-hook" or "state-machine"`);
    }
    if (!Array.isArray(p.steps) || !p.steps.every((s) => typeof s?.name === 'string' && Number.isFinite(s?.ms) && s.ms >= 0)) {
      throw new ReportInputError(`${file}: paths[${i}].steps must be [{ "name": string, "ms": number >= 0, "samples": number }, ...]`);
    }
  });
  return { format: MEASURED_FORMAT, source: String(m.source ?? file), measuredAt: String(m.measuredAt ?? ''), paths: m.paths };
}

/** The modelled figure of a measured step name on a path (current variant), if the model has one. */
export function modelledMs(p: PathReport, stepName: string): number | undefined {
  const steps = leafSteps([...p.current.segments, ...(p.current.afterCall ?? [])]);
  if (stepName === MeasuredStepName.CRITICAL_PATH) return p.current.totalMs;
  if (stepName === MeasuredStepName.HANDLER && p.kind === 'lex-code-hook') {
    return steps.filter((s) => s.name !== 'Lex NLU' && s.name !== 'Lex response').reduce((sum, s) => sum + s.ms, 0);
  }
  const named = steps.filter((s) => s.name === stepName);
  // A task that waits for a callback lasts as long as what it waits for, which the model does not estimate.
  if (named.length === 0 || named.some((s) => s.waits)) return undefined;
  return named.reduce((sum, s) => sum + s.ms, 0);
}

/** Puts measured beside modelled, step by step, and names the steps outside `factor`. */
export function compareMeasured(report: LatencyReport, measured: MeasuredLatencies, factor = DEFAULT_AGREEMENT_FACTOR): MeasuredComparison {
  if (!(factor > 1)) throw new ReportInputError(`the agreement factor must be > 1 (got ${factor})`);
  const rows: StepComparison[] = [];
  for (const mp of measured.paths) {
    const targets = report.paths.filter((p) => p.kind === mp.kind && (mp.logicalId === undefined || p.logicalId === mp.logicalId));
    if (targets.length === 0) {
      throw new ReportInputError(`the measured file names a ${mp.kind} path${mp.logicalId ? ` '${mp.logicalId}'` : ''} the assembly does not have`);
    }
    for (const p of targets) {
      for (const s of mp.steps) {
        const modelled = modelledMs(p, s.name);
        if (modelled === undefined) {
          rows.push({ path: p.name, step: s.name, measuredMs: s.ms, samples: s.samples });
          continue;
        }
        const a = Math.max(modelled, AGREEMENT_FLOOR_MS);
        const b = Math.max(s.ms, AGREEMENT_FLOOR_MS);
        const ratio = Math.max(a, b) / Math.min(a, b);
        rows.push({ path: p.name, step: s.name, modelledMs: modelled, measuredMs: s.ms, samples: s.samples, ratio, withinFactor: ratio <= factor });
      }
    }
  }
  return {
    source: measured.source,
    measuredAt: measured.measuredAt,
    factor,
    rows,
    differing: rows.filter((r) => r.withinFactor === false).map((r) => `${r.path}: ${r.step}`),
  };
}
