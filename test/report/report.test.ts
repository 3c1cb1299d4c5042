// The latency/cost report on the seed-current and clean apps: figures checked against arithmetic written out here from
// the model's data and the AWS prices, the CLI run once, and the SVG checked for well-formedness and one bar per step.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildReport, DEFAULT_MODEL, LatencyReport, SEED_MODEL, leafSteps, loadLoad, modelFromOverrides, PathReport, renderSvg,
  ReportInputError, Segment, writeReport,
} from '../../src/report';
import { main } from '../../src/cli/main';
import { cleanStack, FULFILLMENT_SOURCE, newApp, SEED_LAYER_BYTES, seedCurrentStack, TASK_SOURCE } from '../checks/fixtures';

// SEED_MODEL's figures (the seed's; the report of the seed uses them), restated so the arithmetic below does not call
// the code it checks.
const LEX_NLU = 500;
const LEX_RESPONSE = 500;
const P_COLD = 0.3;
const COLD_BASE = 1300;
const COLD_PER_MB = 61.3;
const SECRETS = 300;
const DDB_READ = 200;
const DDB_READ_WARM = 50;
const BEDROCK = 2500;
const CONNECT = 800;
const COMPUTE_1X = 200;
const HIT_RATE = 0.5;
// us-east-1 Lambda and Step Functions list prices.
const X86_GBS = 0.0000166667;
const ARM_PC_DURATION_GBS = 0.0000077778;
const ARM_PC_GBS = 0.0000033334;
const ARM_GBS = 0.0000133334;
const PER_REQUEST = 0.2 / 1e6;
const MONTH_S = 30 * 24 * 3600;
const SFN_TRANSITION = 0.000025;
const SFN_EXPRESS_REQUEST = 1 / 1e6;
const SFN_EXPRESS_GBS = 0.00001667;

const MB = 1024 * 1024;
const coldMs = (bytes: number) => COLD_BASE + COLD_PER_MB * (bytes / MB);
const taskCold = P_COLD * coldMs(Buffer.byteLength(TASK_SOURCE));

let assemblyDir: string;
let report: LatencyReport;
const pathNamed = (name: string): PathReport => {
  const p = report.paths.find((x) => x.name === name);
  if (!p) throw new Error(`no path ${name} in ${report.paths.map((x) => x.name).join(', ')}`);
  return p;
};
const stepMs = (segments: Segment[]) => Object.fromEntries(leafSteps(segments).map((s) => [s.name, s.ms]));

beforeAll(() => {
  const app = newApp();
  const seed = seedCurrentStack(app);
  Validations.of(seed.stack).acknowledge({ id: 'FastLex-L9', reason: 'the cache table is rebuilt by the migration' });
  cleanStack(app);
  assemblyDir = app.synth().directory;
  report = buildReport(assemblyDir, { model: SEED_MODEL });
});

describe('the report of the seed built the current way', () => {
  it('estimates the Lex turn from the seed figures', () => {
    const live = pathNamed('SeedCurrent/LiveBotAlias (en_US)');
    const cold = P_COLD * coldMs(SEED_LAYER_BYTES + Buffer.byteLength(FULFILLMENT_SOURCE)); // 30 % x 3200.3 ms
    const current = LEX_NLU + cold + SECRETS + DDB_READ + BEDROCK + COMPUTE_1X / 1.0 + LEX_RESPONSE;
    expect(current).toBeCloseTo(5160.09, 1);
    expect(live.current.totalMs).toBeCloseTo(current, 6);
    expect(stepMs(live.current.segments)).toEqual({
      'Lex NLU': 500, 'Cold start': expect.closeTo(cold, 6), 'Secrets Manager': 300, 'DynamoDB read': 200, 'Bedrock': 2500,
      'Compute': 200, 'Lex response': 500,
    });
    // Alternative: provisioned (no cold start), cached secret, warm client, response cache, 512 MB (2.0x).
    const alternative = LEX_NLU + 0 + 0 + DDB_READ_WARM + (1 - HIT_RATE) * BEDROCK + COMPUTE_1X / 2.0 + LEX_RESPONSE;
    expect(alternative).toBe(2400);
    expect(live.alternative.totalMs).toBeCloseTo(alternative, 6);
  });

  it('prices the Lex turn for the stated load', () => {
    const live = pathNamed('SeedCurrent/LiveBotAlias (en_US)');
    const turns = 100_000;
    const billedS = (live.current.totalMs - LEX_NLU - LEX_RESPONSE) / 1000; // the function's part, init included
    const current = turns * PER_REQUEST + turns * billedS * (128 / 1024) * X86_GBS;
    expect(live.current.monthlyUsd).toBeCloseTo(current, 9);
    const altBilledS = (2400 - 1000) / 1000;
    const alternative = turns * PER_REQUEST + turns * altBilledS * 0.5 * ARM_PC_DURATION_GBS + 1 * 0.5 * MONTH_S * ARM_PC_GBS;
    expect(alternative).toBeCloseTo(4.88, 2);
    expect(live.alternative.monthlyUsd).toBeCloseTo(alternative, 9);
  });

  it('runs the workflow tasks in sequence, and the independent ones side by side in the alternative', () => {
    const wf = report.paths.find((p) => p.kind === 'state-machine' && p.stack === 'SeedCurrent')!;
    const createLead = taskCold + SECRETS + COMPUTE_1X;
    const generate = taskCold + BEDROCK + COMPUTE_1X;
    const invokeCall = taskCold + CONNECT + COMPUTE_1X; // then waits for the call: not counted
    const updateLead = taskCold + COMPUTE_1X;
    // The critical path ends when the call is placed; UpdateLead runs while the caller talks.
    expect(wf.current.totalMs).toBeCloseTo(createLead + generate + invokeCall, 6);
    expect(wf.current.segments.map((s) => (s.kind === 'step' ? s.step.name : s.name)))
      .toEqual(['CreateLead', 'GenerateScenario', 'InvokeOutboundCall']);
    expect(wf.current.afterCall?.map((s) => (s.kind === 'step' ? s.step.name : s.name))).toEqual(['UpdateLead']);

    const alt = (extra: number) => taskCold + extra + COMPUTE_1X / 2.0; // 512 MB, secrets cached
    const altTotal = Math.max(alt(0), alt(BEDROCK)) + alt(CONNECT); // UpdateLead after the call
    expect(wf.alternative.totalMs).toBeCloseTo(altTotal, 6);
    const group = wf.alternative.segments[0];
    expect(group.kind === 'parallel' && group.branches.map((b) => leafSteps(b).map((s) => s.name))).toEqual([['CreateLead'], ['GenerateScenario']]);

    // EXPRESS now: requests + duration (rounded up to 100 ms, 64 MB), plus the four functions at 128 MB x86.
    const n = 10_000;
    const lambda = [createLead, generate, invokeCall, updateLead]
      .reduce((sum, ms) => sum + n * PER_REQUEST + n * (ms / 1000) * (128 / 1024) * X86_GBS, 0);
    // Express bills the whole execution, UpdateLead included.
    const express = n * SFN_EXPRESS_REQUEST + n * (Math.ceil((createLead + generate + invokeCall + updateLead) / 100) / 10) * 0.064 * SFN_EXPRESS_GBS;
    expect(wf.current.monthlyUsd).toBeCloseTo(lambda + express, 9);
    // The alternative must be STANDARD (it waits for a callback): 4 task transitions + 1 Parallel state.
    const altLambda = [alt(0), alt(BEDROCK), alt(CONNECT), alt(0)]
      .reduce((sum, ms) => sum + n * PER_REQUEST + n * (ms / 1000) * 0.5 * ARM_GBS, 0);
    expect(wf.alternative.monthlyUsd).toBeCloseTo(altLambda + n * 5 * SFN_TRANSITION, 9);
  });

  it('lists the LatencyChecks findings, with the acknowledged one marked and its reason', () => {
    const seedFindings = report.findings.filter((f) => f.stack === 'SeedCurrent');
    expect(seedFindings.map((f) => f.ruleId).sort()).toEqual(['FastLex-L1', 'FastLex-L10', 'FastLex-L10', 'FastLex-L2',
      'FastLex-L3', 'FastLex-L4', 'FastLex-L5', 'FastLex-L6', 'FastLex-L7', 'FastLex-L8', 'FastLex-L9']);
    expect(seedFindings.filter((f) => f.acknowledged).map((f) => [f.ruleId, f.acknowledged]))
      .toEqual([['FastLex-L9', 'the cache table is rebuilt by the migration']]);
  });
});

describe('the report of the clean app', () => {
  it('has no findings and a provisioned, cached Lex turn', () => {
    expect(report.findings.filter((f) => f.stack === 'Clean')).toEqual([]);
    const live = pathNamed('Clean/LiveBotAlias (en_US)');
    expect(live.current.totalMs).toBe(LEX_NLU + 0 + 0 + DDB_READ_WARM + COMPUTE_1X / 2.0 + LEX_RESPONSE);
    const n = 100_000;
    expect(live.current.monthlyUsd).toBeCloseTo(n * PER_REQUEST + n * 0.15 * 0.5 * ARM_PC_DURATION_GBS + 2 * 0.5 * MONTH_S * ARM_PC_GBS, 9);
  });

  it('takes the longest branch of the Parallel state', () => {
    const wf = report.paths.find((p) => p.kind === 'state-machine' && p.stack === 'Clean')!;
    const at256 = COMPUTE_1X / 1.5; // 256 MB runs 1.5x
    const branches = Math.max(taskCold + at256, taskCold + BEDROCK + COMPUTE_1X / 2.0);
    expect(wf.current.totalMs).toBeCloseTo(branches + (taskCold + at256) + (taskCold + at256), 6);
  });
});

describe('a function Lex may invoke whose bot is not in the app', () => {
  it('gets a path of its own, from its permission', () => {
    const app = newApp();
    const stack = new Stack(app, 'PermissionOnly');
    const fn = new lambda.Function(stack, 'Answer', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline(TASK_SOURCE),
      memorySize: 256, architecture: lambda.Architecture.ARM_64,
    });
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: 1 });
    live.addPermission('Lex', { principal: new iam.ServicePrincipal('lexv2.amazonaws.com') });
    const r = buildReport(app.synth().directory, { model: SEED_MODEL });
    expect(r.paths.map((p) => p.name)).toEqual([expect.stringMatching(/^PermissionOnly\/Answer[0-9A-F]{8} \(Lex permission\)$/)]);
    // Provisioned (no cold start), 256 MB runs 1.5x.
    expect(r.paths[0].current.totalMs).toBeCloseTo(LEX_NLU + 0 + COMPUTE_1X / 1.5 + LEX_RESPONSE, 6);
  });
});

describe('model and load overrides', () => {
  it('recomputes with the overridden figures and keeps their sources', () => {
    const model = modelFromOverrides({ coldStartProbability: { value: 0.1, source: 'our CloudWatch p50' }, bedrockMs: 800 }, 'test', SEED_MODEL);
    const r = buildReport(assemblyDir, { model, load: { lexTurnsPerMonth: 5, workflowExecutionsPerMonth: 1, paths: {} } });
    const live = r.paths.find((p) => p.name === 'SeedCurrent/LiveBotAlias (en_US)')!;
    const cold = 0.1 * coldMs(SEED_LAYER_BYTES + Buffer.byteLength(FULFILLMENT_SOURCE));
    expect(live.current.totalMs).toBeCloseTo(LEX_NLU + cold + SECRETS + DDB_READ + 800 + COMPUTE_1X + LEX_RESPONSE, 6);
    expect(live.monthlyLoad).toBe(5);
    expect(r.model.coldStartProbability.source).toBe('our CloudWatch p50');
    expect(r.model.bedrockMs.source).toBe('override from test');
    expect(DEFAULT_MODEL.coldStartProbability.value).toBe(0.3);
  });

  it('rejects an unknown figure and a malformed load with a named error', () => {
    expect(() => modelFromOverrides({ coldStartProbabilty: 0.1 }, 'm.json')).toThrow(ReportInputError);
    expect(() => modelFromOverrides({ coldStartProbabilty: 0.1 }, 'm.json')).toThrow(/unknown figure "coldStartProbabilty"/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fast-lex-load-')), 'load.json');
    fs.writeFileSync(file, JSON.stringify({ lexTurnsPerMonth: -1 }));
    expect(() => loadLoad(file)).toThrow(/"lexTurnsPerMonth" must be a number >= 0/);
  });

  it('says what is wrong when the directory is not a cloud assembly', () => {
    const errors: string[] = [];
    const code = main(['report', os.tmpdir()], () => undefined, (s) => errors.push(s));
    expect(code).toBe(2);
    expect(errors.join('')).toMatch(/is not a cloud assembly: it has no manifest.json/);
  });
});

/** A small XML well-formedness check: balanced tags, quoted attributes, escaped text; returns the element names. */
function wellFormedElements(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const names: string[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, , selfClosing, text] = m;
    if (text !== undefined) {
      if (/&(?!(?:amp|lt|gt|quot|apos);)/.test(text) || text.includes('>')) throw new Error(`unescaped text: ${text}`);
      if (stack.length === 0 && text.trim() !== '') throw new Error('text outside the root element');
      continue;
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else {
      if (stack.length === 0 && names.length > 0) throw new Error('more than one root element');
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  if (consumed !== body.length) throw new Error(`not XML at offset ${consumed}: ${body.slice(consumed, consumed + 40)}`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return names;
}

describe('the command and the chart', () => {
  it('writes the text, the JSON figures and a well-formed SVG with one bar per step', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-lex-report-'));
    const modelFile = path.join(dir, 'model.json');
    fs.writeFileSync(modelFile, JSON.stringify({ base: 'seed', cacheHitRate: { value: 0.8, source: 'GreetingIntent, seed' } }));
    const loadFile = path.join(dir, 'load.json');
    fs.writeFileSync(loadFile, JSON.stringify({ lexTurnsPerMonth: 20000 }));
    const out = path.join(dir, 'out');
    const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const stdout = execFileSync(tsx, ['src/cli/main.ts', 'report', assemblyDir, '--model', modelFile, '--load', loadFile, '--out', out], { encoding: 'utf8' });

    expect(stdout).toContain('Lex code hook SeedCurrent/LiveBotAlias (en_US)');
    expect(stdout).toContain('FastLex-L7');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'latency-report.json'), 'utf8')) as LatencyReport;
    expect(json.model.cacheHitRate).toEqual({ value: 0.8, source: 'GreetingIntent, seed' });
    const live = json.paths.find((p) => p.name === 'SeedCurrent/LiveBotAlias (en_US)')!;
    expect(live.monthlyLoad).toBe(20000);
    // Alternative with an 80 % hit rate: 500 + 50 + 0.2 x 2500 + 100 + 500.
    expect(live.alternative.totalMs).toBeCloseTo(LEX_NLU + DDB_READ_WARM + 0.2 * BEDROCK + COMPUTE_1X / 2 + LEX_RESPONSE, 6);
    expect(fs.readFileSync(path.join(out, 'latency-report.txt'), 'utf8')).toContain('critical path');

    const svg = fs.readFileSync(path.join(out, 'latency-report.svg'), 'utf8');
    const elements = wellFormedElements(svg);
    expect(elements[0]).toBe('svg');
    const bars = (svg.match(/<rect class="step"/g) ?? []).length;
    const steps = json.paths.reduce((n, p) => n + leafSteps(p.current.segments).length + leafSteps(p.alternative.segments).length, 0);
    expect(bars).toBe(steps);
    expect(bars).toBeGreaterThan(0);
    // Parallel branches: a dashed frame for the seed alternative and for both variants of the clean workflow.
    expect((svg.match(/<rect class="parallel"/g) ?? []).length).toBe(3);
  });

  it('escapes names in the chart', () => {
    const svg = renderSvg({
      ...report,
      paths: [{ ...report.paths[0], name: 'A & <B>' }],
    });
    expect(() => wellFormedElements(svg)).not.toThrow();
    expect(svg).toContain('A &amp; &lt;B&gt;');
    // The check itself rejects what is not well formed.
    expect(() => wellFormedElements('<svg><rect></svg>')).toThrow(/unbalanced/);
    expect(() => wellFormedElements('<svg><text>A & B</text></svg>')).toThrow(/unescaped/);
    expect(() => wellFormedElements('<svg x=1></svg>')).toThrow(/not XML/);
  });

  it('writes the files through the library entry point too', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-lex-report-'));
    const written = writeReport(assemblyDir, out);
    expect(fs.existsSync(written.files.svg) && fs.existsSync(written.files.json) && fs.existsSync(written.files.text)).toBe(true);
  });
});
