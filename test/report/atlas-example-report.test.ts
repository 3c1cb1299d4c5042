// The latency/cost report on the Atlas Engine example: the conversation path's figures checked against arithmetic
// written out here from the model's defaults (current figures for the optimized system) and the AWS prices.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../examples/atlas-engine/bin/app';
import { buildReport, leafSteps, type LatencyReport } from '../../src/report';

const LEX_NLU = 500; // no published Lex figure: the seed's
const LEX_RESPONSE = 500;
const DDB_READ_WARM = 5; // DynamoDB's single-digit milliseconds, on the runtime's kept-alive client
const DDB_WRITE = 10; // the refresh lease, written on a miss only
const OTHER_AWS_CALL = 20; // each other service the role may call (SQS, Step Functions), on a miss only
const MISS = 0.5; // the model's cache hit rate is 0.5
const COMPUTE_1X = 20; // at 128 MB; 512 MB runs 2.0x faster (seed: "Memory vs Performance")
// The example lets a call's new question wait for its answer (voiceGenerationDeadline), so the fulfillment role may
// call Bedrock: the model, which reads calls from permissions, counts Claude Haiku 4.5 (1,700 ms) on every miss. That
// is the phone's case; a web turn never waits.
const BEDROCK_HAIKU_45 = 1700;
const ARM_PC_GBS = 0.0000033334;
const ARM_PC_DURATION_GBS = 0.0000077778;
const PER_REQUEST = 0.2 / 1e6;
const MONTH_S = 30 * 24 * 3600;

describe('the latency/cost report on the Atlas Engine example', () => {
  let outdir: string;
  let report: LatencyReport;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'atlas-report-'));
    const context = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'examples', 'atlas-engine', 'cdk.json'), 'utf8')).context;
    const app = new App({ outdir, context });
    buildApp(app);
    app.synth();
    report = buildReport(outdir);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('puts a Lex turn at 1,890 ms with no cold start, as the model computes by hand', () => {
    const lex = report.paths.find((p) => p.kind === 'lex-code-hook')!;
    const expected = LEX_NLU + 0 + DDB_READ_WARM + MISS * DDB_WRITE + MISS * 2 * OTHER_AWS_CALL + MISS * BEDROCK_HAIKU_45 + COMPUTE_1X / 2 + LEX_RESPONSE;

    expect(expected).toBe(1890);
    expect(lex.current.totalMs).toBeCloseTo(expected, 6);
    expect(Object.fromEntries(leafSteps(lex.current.segments).map((s) => [s.name, s.ms]))).toMatchObject({ 'Cold start': 0 });
  });

  it('keeps the seed\'s figures beside them: the same Lex turn at 2,470 ms', () => {
    const lex = report.paths.find((p) => p.kind === 'lex-code-hook')!;
    // SEED_MODEL: DynamoDB read 50, write 100, other calls 20, Bedrock 2,500, compute 200 ms at 1x; the same miss-only counting.
    const expected = 500 + 50 + MISS * 100 + MISS * 2 * 20 + MISS * 2500 + 200 / 2 + 500;

    expect(expected).toBe(2470);
    expect(lex.withSeedFigures?.totalMs).toBeCloseTo(expected, 6);
  });

  it('prices the conversation path: two provisioned 512 MB arm64 instances and 100,000 turns', () => {
    const lex = report.paths.find((p) => p.kind === 'lex-code-hook')!;
    const handlerMs = DDB_READ_WARM + MISS * DDB_WRITE + MISS * 2 * OTHER_AWS_CALL + MISS * BEDROCK_HAIKU_45 + COMPUTE_1X / 2; // 890 ms billed per turn
    const expected = 2 * 0.5 * MONTH_S * ARM_PC_GBS + 100_000 * (handlerMs / 1000) * 0.5 * ARM_PC_DURATION_GBS + 100_000 * PER_REQUEST;

    expect(expected).toBeCloseTo(9.00628, 5);
    expect(lex.current.monthlyUsd).toBeCloseTo(expected, 6);
  });

  it('places the call right after ValidateRequest, with CreateLead and GenerateScenario side by side beside it, and finds nothing to fix', () => {
    const workflow = report.paths.find((p) => p.kind === 'state-machine')!;
    const beside = (workflow.current.afterCall ?? []).find((s) => s.kind === 'parallel');

    expect(leafSteps(workflow.current.segments).map((s) => s.name)).toEqual(['ValidateRequest', 'InvokeOutboundCall']);
    expect(beside && beside.kind === 'parallel' && beside.branches.map((b) => leafSteps(b).map((s) => s.name))).toEqual([['CreateLead'], ['GenerateScenario']]);
    expect(report.findings.filter((f) => !f.acknowledged)).toEqual([]);
  });

  it('ends the workflow\'s critical path when the call is placed, and lists what runs after it apart', () => {
    const workflow = report.paths.find((p) => p.kind === 'state-machine')!;
    const names = (segments: typeof workflow.current.segments) => leafSteps(segments).map((s) => s.name);

    expect(names(workflow.current.segments).at(-1)).toBe('InvokeOutboundCall');
    expect(names(workflow.current.afterCall ?? [])).toContain('UpdateLead');
    expect(names(workflow.current.segments)).not.toContain('UpdateLead');
  });
});
