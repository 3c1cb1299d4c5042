// The figures of the latency/cost model, each with its source: current published or measured figures for the
// optimized system by default, the seed's (the slow system's) figures as SEED_MODEL; and how to override them and
// the load from JSON files.
import * as fs from 'fs';
import { FastLexError } from '../shared/errors';

/** Bad input to the report: a file that is missing, not JSON, or names a figure the model does not have. */
export class ReportInputError extends FastLexError {
  override readonly name: string = 'ReportInputError';
}

/** A number and where it comes from. */
export interface Figure {
  readonly value: number;
  readonly source: string;
}

/** A point of the memory → speed table. */
export interface MemorySpeedPoint {
  readonly memoryMb: number;
  readonly speed: number;
}

/** Every figure the report uses. */
export interface LatencyModel {
  readonly lexNluMs: Figure;
  readonly lexResponseMs: Figure;
  readonly coldStartProbability: Figure;
  readonly coldStartBaseMs: Figure;
  readonly coldStartMsPerMb: Figure;
  readonly secretsManagerMs: Figure;
  readonly dynamoDbReadMs: Figure;
  readonly dynamoDbReadWarmMs: Figure;
  readonly dynamoDbWriteMs: Figure;
  readonly bedrockMs: Figure;
  readonly connectStartCallMs: Figure;
  readonly otherAwsCallMs: Figure;
  readonly serviceTaskMs: Figure;
  readonly computeMsAt1x: Figure;
  readonly cacheHitRate: Figure;
  readonly alternativeMemoryMb: Figure;
  readonly alternativeProvisionedConcurrency: Figure;
  readonly stepFunctionsStandardPerTransitionUsd: Figure;
  readonly stepFunctionsExpressPerMillionRequestsUsd: Figure;
  readonly stepFunctionsExpressPerGbSecondUsd: Figure;
  readonly stepFunctionsExpressMemoryGb: Figure;
  readonly memorySpeed: { readonly points: MemorySpeedPoint[]; readonly source: string };
  /** Bedrock latency by model: the first entry whose `modelIdContains` is in the function's model id wins; else `bedrockMs`. */
  readonly bedrockModels: { readonly models: BedrockModelFigure[]; readonly source: string };
}

/** The latency of one Bedrock model family for a short answer. */
export interface BedrockModelFigure {
  /** A part of the model or inference profile id, e.g. `claude-haiku-4-5`. */
  readonly modelIdContains: string;
  /** One generation of about 150 output tokens, in ms. */
  readonly ms: number;
  readonly source: string;
}

const SEED = 'seed atlas-engine-architecture.md';

/** The seed's figures: the slow system as it was measured (the "current" side of the comparison). */
export const SEED_MODEL: LatencyModel = {
  lexNluMs: { value: 500, source: `${SEED}, Critical Path Analysis: "Lex Processing (500ms)"` },
  lexResponseMs: { value: 500, source: `${SEED}, Critical Path Analysis: "Lex Response (500ms)"` },
  coldStartProbability: { value: 0.3, source: `${SEED}, Provisioned Concurrency Analysis: "3-5s cold start on 30% of requests"` },
  coldStartBaseMs: {
    value: 1300,
    source: `${SEED}, cold start sequence without layers: package 100 + runtime 300 + imports 500 + clients 400 ms`,
  },
  coldStartMsPerMb: {
    value: 61.3,
    source: `${SEED}, cold start sequence: layers 800 + 900 + 200 ms for its 31 MB of layers (1900 / 31)`,
  },
  secretsManagerMs: { value: 300, source: `${SEED}: "Secrets Manager call: 300ms"` },
  dynamoDbReadMs: { value: 200, source: `${SEED}, handler execution: "Query DynamoDB: 200ms"` },
  dynamoDbReadWarmMs: {
    value: 50,
    source: `${SEED}, optimized: "DynamoDB cache check: 50ms" (a runtime keeping warm clients: FAST_LEX_RUNTIME)`,
  },
  dynamoDbWriteMs: { value: 100, source: `${SEED}, CreateLeadHandler: "DynamoDB write: 100ms"` },
  bedrockMs: { value: 2500, source: `${SEED}, handler execution: "Generate dynamic response (Bedrock): 2500ms"` },
  connectStartCallMs: { value: 800, source: `${SEED}, InvokeOutboundCallHandler: "Connect start_outbound_voice_contact: 800ms"` },
  otherAwsCallMs: { value: 20, source: `${SEED}, Network Latency Map: same-region calls 5-15 ms, rounded up; per other service` },
  serviceTaskMs: {
    value: 100,
    source: 'assumption: a direct Step Functions service integration costs about one same-region write (seed: 100 ms)',
  },
  computeMsAt1x: {
    value: 200,
    source: `${SEED}: "Response Processing (100ms)" at 512 MB, where its memory table gives 2.0x speed`,
  },
  cacheHitRate: { value: 0.5, source: `${SEED}, Caching Strategy: "Average: 0.5 * 50ms + 0.5 * 2500ms"` },
  alternativeMemoryMb: { value: 512, source: `${SEED}, Memory vs Performance: recommends 512 MB for the handlers on the critical path` },
  alternativeProvisionedConcurrency: { value: 1, source: `${SEED}: "version 28: 1 provisioned instance"` },
  stepFunctionsStandardPerTransitionUsd: { value: 0.000025, source: 'AWS Step Functions pricing, us-east-1: $0.025 per 1,000 state transitions' },
  stepFunctionsExpressPerMillionRequestsUsd: { value: 1.0, source: 'AWS Step Functions pricing, us-east-1: Express $1.00 per 1M requests' },
  stepFunctionsExpressPerGbSecondUsd: { value: 0.00001667, source: 'AWS Step Functions pricing, us-east-1: Express $0.00001667 per GB-second (first tier)' },
  stepFunctionsExpressMemoryGb: { value: 0.064, source: 'assumption: an Express execution uses the smallest 64 MB memory chunk' },
  memorySpeed: {
    points: [
      { memoryMb: 128, speed: 1.0 },
      { memoryMb: 256, speed: 1.5 },
      { memoryMb: 512, speed: 2.0 },
      { memoryMb: 1024, speed: 2.5 },
    ],
    source: `${SEED}, Memory vs Performance Trade-off table; linear between points, flat beyond the ends`,
  },
  bedrockModels: { models: [], source: `${SEED}: one figure (bedrockMs, Claude 3.5 Sonnet) for every model` },
};

const BENCH = 'README "Measured figures"';
const DDB = 'Amazon DynamoDB Developer Guide, "What is Amazon DynamoDB?": "single-digit millisecond performance at any scale"';

/**
 * Current figures for the optimized system, each with its source. Where no published figure exists (Lex's own
 * processing, Connect's outbound call API) the seed's figure is kept and says so: measure it with
 * `cdk-fast-lex report --from-cloudwatch` and pass the result with `--model`.
 */
export const DEFAULT_MODEL: LatencyModel = {
  ...SEED_MODEL,
  lexNluMs: { value: 500, source: `no published Lex V2 figure; ${SEED_MODEL.lexNluMs.source} (AWS/Lex RuntimeSuccessfulRequestLatency measures it)` },
  lexResponseMs: { value: 500, source: `no published Lex V2 figure; ${SEED_MODEL.lexResponseMs.source}` },
  coldStartBaseMs: {
    value: 300,
    source: `${BENCH}: the fulfillment bundle's init is 67 ms (npm run bench:fulfillment), plus an assumed ~230 ms for Lambda to start the sandbox and Node`,
  },
  dynamoDbReadMs: { value: 30, source: `${DDB}; assumption: plus ~25 ms for a new TLS connection of a client made per call` },
  dynamoDbReadWarmMs: { value: 5, source: `${DDB}: a GetItem on a kept-alive connection` },
  dynamoDbWriteMs: { value: 10, source: `${DDB}, rounded up for a conditional write` },
  computeMsAt1x: {
    value: 20,
    source: `${BENCH}: the handler's own work is 0.1 ms (L1 hit) to 6.3 ms (miss) on a developer machine (npm run bench:fulfillment); `
      + 'assumption: x3 at 128 MB, where Lambda gives a fraction of a vCPU (Lambda Developer Guide, "Configure Lambda function memory": CPU in proportion to memory)',
  },
  bedrockMs: { value: 1700, source: 'the default model (Claude Haiku 4.5): see bedrockModels' },
  bedrockModels: {
    models: [
      {
        modelIdContains: 'claude-haiku-4-5',
        ms: 1700,
        source: 'about 0.7 s to the first token (Artificial Analysis, Claude 3.5 Haiku on Amazon Bedrock: 0.70-0.81 s; none published for 4.5) '
          + '+ 150 tokens at ~150 tokens/s (Claude Haiku 4.5 on Bedrock: 150-180 tokens/s, learn.cloudbuckle.com "What Affects Claude Response Time")',
      },
      {
        modelIdContains: 'claude-3-5-haiku',
        ms: 3100,
        source: 'Artificial Analysis, Claude 3.5 Haiku on Amazon Bedrock (standard): 0.75 s to the first token, 65 tokens/s; 150 tokens',
      },
      {
        modelIdContains: 'claude-sonnet-4',
        ms: 2500,
        source: 'assumption: 1 s to the first token + 150 tokens at ~100 tokens/s (Sonnet on Bedrock: 80-120 tokens/s, learn.cloudbuckle.com)',
      },
      { modelIdContains: 'claude-3-5-sonnet', ms: 2500, source: SEED_MODEL.bedrockMs.source },
    ],
    source: 'per model family, for about 150 output tokens (the constructs\' default maxTokens)',
  },
};

/** The load the monthly cost is computed for. */
export interface Load {
  /** Conversation turns (code hook invocations) per month, per Lex bot alias. */
  readonly lexTurnsPerMonth: number;
  /** Executions per month, per state machine. */
  readonly workflowExecutionsPerMonth: number;
  /** Per-path overrides, by the path's name as the report prints it. */
  readonly paths: Record<string, number>;
}

export const DEFAULT_LOAD: Load = { lexTurnsPerMonth: 100_000, workflowExecutionsPerMonth: 10_000, paths: {} };

function readJson(file: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ReportInputError(`cannot read the ${what} file ${file}`, { cause });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (cause) {
    throw new ReportInputError(`the ${what} file ${file} is not a JSON object`, { cause });
  }
}

/**
 * The default model (or `"base": "seed"`, the seed's) with the figures of a JSON file applied. Each key names a figure and holds either a number (its
 * source then reads "override from <file>") or `{ "value": n, "source": "..." }`; `memorySpeed` holds
 * `{ "points": [{ "memoryMb": 128, "speed": 1 }, ...], "source": "..." }`.
 */
export function modelFromOverrides(overrides: Record<string, unknown>, origin: string, base: LatencyModel = DEFAULT_MODEL): LatencyModel {
  const named = overrides.base;
  if (named !== undefined && named !== 'seed' && named !== 'default') {
    throw new ReportInputError(`${origin}: "base" must be "seed" (the slow system's figures) or "default" (current figures)`);
  }
  const model: Record<string, unknown> = { ...(named === 'seed' ? SEED_MODEL : named === 'default' ? DEFAULT_MODEL : base) };
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'base') continue;
    if (!(key in DEFAULT_MODEL)) {
      throw new ReportInputError(`${origin}: unknown figure "${key}"; known figures: ${Object.keys(DEFAULT_MODEL).join(', ')}`);
    }
    if (key === 'bedrockModels') {
      const v = value as { models?: unknown; source?: unknown };
      const models = Array.isArray(v?.models) ? v.models : undefined;
      if (!models || !models.every((m) => typeof m?.modelIdContains === 'string' && isFiniteNumber(m?.ms) && m.ms >= 0)) {
        throw new ReportInputError(`${origin}: bedrockModels needs "models": [{ "modelIdContains": string, "ms": number >= 0, "source": string }, ...]`);
      }
      model.bedrockModels = {
        models: models.map((m) => ({ modelIdContains: m.modelIdContains, ms: m.ms, source: typeof m.source === 'string' ? m.source : `override from ${origin}` })),
        source: typeof v.source === 'string' ? v.source : `override from ${origin}`,
      };
    } else if (key === 'memorySpeed') {
      const v = value as { points?: unknown; source?: unknown };
      const points = Array.isArray(v?.points) ? v.points : undefined;
      if (!points || points.length === 0 || !points.every((p) => isFiniteNumber(p?.memoryMb) && isFiniteNumber(p?.speed) && p.speed > 0)) {
        throw new ReportInputError(`${origin}: memorySpeed needs "points": [{ "memoryMb": number, "speed": number > 0 }, ...]`);
      }
      const sorted = [...points].sort((a, b) => a.memoryMb - b.memoryMb);
      model.memorySpeed = { points: sorted, source: typeof v.source === 'string' ? v.source : `override from ${origin}` };
    } else if (isFiniteNumber(value)) {
      model[key] = { value, source: `override from ${origin}` };
    } else if (typeof value === 'object' && value !== null && isFiniteNumber((value as Figure).value)) {
      const f = value as Figure;
      model[key] = { value: f.value, source: typeof f.source === 'string' ? f.source : `override from ${origin}` };
    } else {
      throw new ReportInputError(`${origin}: figure "${key}" must be a number or { "value": number, "source": string }`);
    }
  }
  return model as unknown as LatencyModel;
}

/** The model of a JSON file (see `modelFromOverrides`), `seed` for SEED_MODEL, or the default model. */
export function loadModel(file?: string): LatencyModel {
  if (file === 'seed') return SEED_MODEL;
  return file ? modelFromOverrides(readJson(file, 'model'), file) : DEFAULT_MODEL;
}

/** The Bedrock latency of a model id: the first matching model figure, else `bedrockMs`. */
export function bedrockFigure(model: LatencyModel, modelId: string | undefined): { ms: number; source: string } {
  const hit = modelId === undefined ? undefined : model.bedrockModels.models.find((m) => modelId.includes(m.modelIdContains));
  return hit ? { ms: hit.ms, source: hit.source } : { ms: model.bedrockMs.value, source: model.bedrockMs.source };
}

/** The load of a JSON file `{ "lexTurnsPerMonth": n, "workflowExecutionsPerMonth": n, "paths": { name: n } }`. */
export function loadLoad(file?: string): Load {
  if (!file) return DEFAULT_LOAD;
  const raw = readJson(file, 'load');
  for (const key of Object.keys(raw)) {
    if (!(key in DEFAULT_LOAD)) throw new ReportInputError(`${file}: unknown load key "${key}"; known: ${Object.keys(DEFAULT_LOAD).join(', ')}`);
  }
  const count = (key: string, v: unknown, fallback: number) => {
    if (v === undefined) return fallback;
    if (!isFiniteNumber(v) || v < 0) throw new ReportInputError(`${file}: "${key}" must be a number >= 0`);
    return v;
  };
  const paths: Record<string, number> = {};
  if (raw.paths !== undefined) {
    if (typeof raw.paths !== 'object' || raw.paths === null) throw new ReportInputError(`${file}: "paths" must be an object`);
    for (const [name, v] of Object.entries(raw.paths)) paths[name] = count(`paths.${name}`, v, 0);
  }
  return {
    lexTurnsPerMonth: count('lexTurnsPerMonth', raw.lexTurnsPerMonth, DEFAULT_LOAD.lexTurnsPerMonth),
    workflowExecutionsPerMonth: count('workflowExecutionsPerMonth', raw.workflowExecutionsPerMonth, DEFAULT_LOAD.workflowExecutionsPerMonth),
    paths,
  };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Speed factor of a memory size, from the model's table (linear between points, flat beyond the ends). */
export function speedAt(model: LatencyModel, memoryMb: number): number {
  const pts = model.memorySpeed.points;
  if (memoryMb <= pts[0].memoryMb) return pts[0].speed;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    if (memoryMb <= b.memoryMb) return a.speed + ((b.speed - a.speed) * (memoryMb - a.memoryMb)) / (b.memoryMb - a.memoryMb);
  }
  return pts[pts.length - 1].speed;
}
