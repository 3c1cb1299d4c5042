// Measured beside modelled: the comparison's arithmetic on the Atlas example's report, the file format's checks, the
// chart's measured bars, axis and legend, and `--from-cloudwatch` against moto's CloudWatch (GetMetricData, with data
// points this test puts there with PutMetricData: CloudWatch API Reference, "GetMetricData", "PutMetricData"), with
// request -> call placed read from execution histories on the Step Functions stand-in (API Reference, "ListExecutions",
// "GetExecutionHistory": https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html)
// and the contact's InitiationTimestamp from the Connect stand-in (Amazon Connect API Reference, "DescribeContact").
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../examples/atlas-engine/bin/app';
import { main } from '../../src/cli/main';
import {
  buildReport, compareMeasured, leafSteps, MEASURED_FORMAT, measuredFromRun, modelledMs, readMeasuredLatencies, renderSvg,
  ReportInputError, tickStep, writeMeasuredLatencies, type LatencyReport, type MeasuredLatencies, type PathReport,
} from '../../src/report';
import { ConnectClient, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
import {
  LOCAL_CREDENTIALS, recordedExecution, startConnectStandIn, startMotoServer, startStepFunctionsStandIn, type LocalEndpoint, type LocalExecution,
} from '../../src/testing';

const REGION = 'us-east-1';
let outdir: string;
let report: LatencyReport;
let lex: PathReport;
let workflow: PathReport;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'atlas-measured-'));
  const context = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'examples', 'atlas-engine', 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir, context });
  buildApp(app);
  app.synth();
  report = buildReport(outdir);
  lex = report.paths.find((p) => p.kind === 'lex-code-hook')!;
  workflow = report.paths.find((p) => p.kind === 'state-machine')!;
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const file = (paths: MeasuredLatencies['paths']): MeasuredLatencies => ({ format: MEASURED_FORMAT, source: 'test', measuredAt: '2026-12-01T00:00:00Z', paths });

describe('measured beside modelled', () => {
  it('agrees when neither figure is more than the factor times the other, and names the step that is not', () => {
    const handler = modelledMs(lex, 'Handler')!; // every step of the turn but Lex's own
    const createLead = modelledMs(workflow, 'CreateLead')!;

    const c = compareMeasured(report, file([
      { kind: 'lex-code-hook', steps: [{ name: 'Handler', ms: handler * 2.9, samples: 10 }] },
      { kind: 'state-machine', steps: [{ name: 'CreateLead', ms: createLead * 3.1, samples: 1 }, { name: 'Nowhere', ms: 5, samples: 1 }] },
    ]));

    expect(handler).toBeCloseTo(lex.current.totalMs - 500 - 500, 6);
    expect(c.factor).toBe(3);
    expect(c.rows.map((r) => [r.step, r.withinFactor])).toEqual([['Handler', true], ['CreateLead', false], ['Nowhere', undefined]]);
    expect(c.rows[0].ratio).toBeCloseTo(2.9, 6);
    expect(c.differing).toEqual([`${workflow.name}: CreateLead`]);
  });

  it('counts figures under 1 ms as 1 ms, so two sub-millisecond figures agree', () => {
    const tiny: LatencyReport = { ...report, paths: [{ ...lex, current: { ...lex.current, segments: [{ kind: 'step', step: { name: 'Compute', ms: 0.05, detail: '' } }] } }] };

    const c = compareMeasured(tiny, file([{ kind: 'lex-code-hook', steps: [{ name: 'Compute', ms: 0.9, samples: 3 }] }]));

    expect(c.rows[0]).toMatchObject({ ratio: 1, withinFactor: true });
  });

  it('does not compare a task that waits for a callback: the wait is not modelled', () => {
    const waiting = leafSteps([...workflow.current.segments, ...(workflow.current.afterCall ?? [])]).find((s) => s.waits);

    expect(waiting, 'the Atlas workflow waits for the call').toBeDefined();
    expect(modelledMs(workflow, waiting!.name)).toBeUndefined();
  });

  it('writes the file npm run atlas writes and reads it back; refuses another format and a path the app lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'measured-file-'));
    const written = writeMeasuredLatencies(dir, measuredFromRun({
      source: 'a run', lexTurnsMs: [2, 4], criticalPathMs: 1500,
      workflowStates: [{ name: 'CreateLead', type: 'Task', durationMs: 700 }, { name: 'Done', type: 'Succeed', durationMs: 0 }],
    }));

    const read = readMeasuredLatencies(written);
    expect(read.paths).toEqual([
      { kind: 'lex-code-hook', steps: [{ name: 'Handler', ms: 3, samples: 2 }] },
      { kind: 'state-machine', steps: [{ name: 'CreateLead', ms: 700, samples: 1 }, { name: 'Critical path', ms: 1500, samples: 1 }] },
    ]);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ format: 'x', paths: [] }));
    expect(() => readMeasuredLatencies(join(dir, 'other.json'))).toThrow(/"format" must be "cdk-fast-lex\/measured-latency@1"/);
    expect(() => compareMeasured(report, file([{ kind: 'state-machine', logicalId: 'Nope', steps: [] }]))).toThrow(ReportInputError);
  });

  it('draws measured beside modelled bars, a time axis per path and a legend', () => {
    const measured = report.paths.length;
    const withMeasured = buildReport(outdir, { measured: file([{ kind: 'lex-code-hook', steps: [{ name: 'Handler', ms: 3, samples: 4 }] }]) });

    const svg = renderSvg(withMeasured);

    expect((svg.match(/<rect class="measured"/g) ?? []).length).toBe(1);
    expect((svg.match(/<rect class="modelled"/g) ?? []).length).toBe(1);
    // One axis per path, and one under the comparison.
    expect((svg.match(/<g class="axis">/g) ?? []).length).toBe(measured + 1);
    expect(svg).toMatch(/<g class="legend">.*Lex NLU.*measured/s);
    expect([tickStep(1040), tickStep(9), tickStep(3000)]).toEqual([500, 2, 1000]);
  });
});

describe('report --from-cloudwatch (moto CloudWatch)', () => {
  let moto: LocalEndpoint;
  const saved = { ...process.env };
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  it('reads the alias and task durations, Lex latency and execution time of the deployed app and compares them', async () => {
    const fnName = (id: string) => `atlas-${id.slice(0, 20)}`;
    const resources = [
      ...new Set([lex.functionLogicalId!, ...leafSteps([...workflow.current.segments, ...(workflow.current.afterCall ?? [])]).map((s) => s.functionLogicalId).filter((x): x is string => !!x)]),
    ].map((id) => ({ LogicalResourceId: id, PhysicalResourceId: fnName(id), ResourceType: 'AWS::Lambda::Function' }));
    resources.push({ LogicalResourceId: lex.logicalId, PhysicalResourceId: 'ALIAS12345|BOT1234567', ResourceType: 'AWS::Lex::BotAlias' });
    resources.push({ LogicalResourceId: workflow.logicalId, PhysicalResourceId: 'arn:aws:states:us-east-1:123456789012:stateMachine:demo', ResourceType: 'AWS::StepFunctions::StateMachine' });
    const createLead = leafSteps(workflow.current.afterCall ?? []).find((s) => s.name === 'CreateLead')!; // beside the call
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const datum = (MetricName: string, dims: Record<string, string>, Value: number, minutesAgo: number): MetricDatum => ({
      MetricName, Value, Unit: 'Milliseconds', Timestamp: at(minutesAgo), Dimensions: Object.entries(dims).map(([Name, v]) => ({ Name, Value: v })),
    });
    const cw = new CloudWatchClient({ endpoint: moto.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [
      datum('Duration', { FunctionName: fnName(lex.functionLogicalId!) }, 4, 30),
      datum('Duration', { FunctionName: fnName(lex.functionLogicalId!) }, 6, 20),
      datum('Duration', { FunctionName: fnName(createLead.functionLogicalId!) }, 800, 10),
    ] }));
    const lexDims = { BotId: 'BOT1234567', BotAliasId: 'ALIAS12345', LocaleId: 'en_US' };
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lex', MetricData: [
      datum('RuntimeSuccessfulRequestLatency', { ...lexDims, Operation: 'RecognizeText' }, 900, 30),
      datum('RuntimeSuccessfulRequestLatency', { ...lexDims, Operation: 'RecognizeText' }, 1100, 25),
      datum('RuntimeSuccessfulRequestLatency', { ...lexDims, Operation: 'StartConversation', InputMode: 'Speech' }, 1500, 15),
      // Another bot's turns: not read.
      datum('RuntimeSuccessfulRequestLatency', { ...lexDims, BotId: 'OTHERBOT00', Operation: 'RecognizeText' }, 99_000, 15),
    ] }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/States', MetricData: [
      datum('ExecutionTime', { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:demo' }, 62_000, 12),
    ] }));
    cw.destroy();
    const dir = mkdtempSync(join(tmpdir(), 'from-cw-'));
    const resourcesFile = join(dir, 'resources.json');
    writeFileSync(resourcesFile, JSON.stringify({ StackResources: resources }));
    Object.assign(process.env, {
      // No Step Functions here (a closed port): the metrics stand without the execution histories, and the report says so.
      AWS_ENDPOINT_URL_CLOUDWATCH: moto.endpoint, AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9', AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const printed: string[] = [];

    const code = await main(['report', outdir, '--from-cloudwatch', '--stack-resources', resourcesFile, '--hours', '2', '--out', join(dir, 'out')], (s) => printed.push(s));

    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'out', 'latency-report.json'), 'utf8')) as LatencyReport;
    const row = (step: string) => json.measured!.rows.find((r) => r.step === step)!;
    expect(row('Handler')).toMatchObject({ measuredMs: 5, samples: 2, modelledMs: modelledMs(lex, 'Handler') });
    expect(row('Critical path').measuredMs).toBeCloseTo((900 + 1100 + 1500) / 3, 6);
    expect(row('Critical path').samples).toBe(3);
    expect(row('CreateLead')).toMatchObject({ measuredMs: 800, samples: 1 });
    expect(row('Execution (whole, CloudWatch ExecutionTime)').measuredMs).toBe(62_000);
    expect(row('Execution (whole, CloudWatch ExecutionTime)').modelledMs).toBeUndefined(); // it includes the call
    expect(readMeasuredLatencies(join(dir, 'out', 'measured-latency.json')).source).toMatch(/^CloudWatch GetMetricData, /);
    expect(printed.join('')).toContain('Measured beside modelled (CloudWatch GetMetricData');
    expect(printed.join('')).toMatch(/Step Functions execution histories not read \(.*\): request -> call placed is not measured/);
  });

  it('measures request -> call placed of the deployed workflow from its execution histories (p50, p99) and from Connect\'s contacts', async () => {
    const sfnLocal = await startStepFunctionsStandIn();
    const instanceId = '11111111-2222-3333-4444-555555555555';
    const connectLocal = await startConnectStandIn({ instanceIds: [instanceId] });
    const machineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:demo-history';
    const connect = new ConnectClient({ endpoint: connectLocal.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const callStep = leafSteps(workflow.current.segments).find((st) => st.placesCall)!.name;
      // Five executions that placed a call 700-1100 ms after they started, one refused before any call, one too old.
      const now = Date.now();
      const execution = async (i: number, placedAfterMs: number | undefined, minutesAgo = 10): Promise<LocalExecution> => {
        const startedAt = now - minutesAgo * 60_000 + i;
        const states: LocalExecution['states'] = [
          { name: 'ValidateRequest', type: 'Task', enteredAtMs: 0, exitedAtMs: 40, durationMs: 40, status: placedAfterMs === undefined ? 'FAILED' : 'SUCCEEDED', attempts: 1, errors: [] },
          ...(placedAfterMs === undefined ? [] : [
            { name: 'CallLeadAndScenario', type: 'Parallel', enteredAtMs: 41, exitedAtMs: 1_900, durationMs: 1_859, status: 'SUCCEEDED' as const, attempts: 1, errors: [] },
            { name: callStep, type: 'Task', enteredAtMs: 42, exitedAtMs: placedAfterMs, durationMs: placedAfterMs - 42, status: 'SUCCEEDED' as const, attempts: 1, errors: [] },
          ]),
        ];
        return { executionArn: `${machineArn.replace(':stateMachine:', ':execution:')}:e${i}`, status: placedAfterMs === undefined ? 'FAILED' : 'SUCCEEDED', startedAt, durationMs: 2_000, states };
      };
      for (const [i, ms] of [700, 800, 900, 1_000, 1_100].entries()) {
        const placed = await connect.send(new StartOutboundVoiceContactCommand({
          InstanceId: instanceId, ContactFlowId: '66666666-7777-8888-9999-000000000000', DestinationPhoneNumber: '+14155552671', SourcePhoneNumber: '+14155550100', ClientToken: `history-${i}`,
        }));
        const e = await execution(i, ms);
        // The contact was initiated when the stand-in placed it: that many ms after this execution "started".
        const initiatedAfter = connectLocal.calls.at(-1)!.placedAt - e.startedAt;
        sfnLocal.recordExecution(recordedExecution(machineArn, { ...e, startedAt: e.startedAt }, { [callStep]: { contactId: placed.ContactId, interactionKey: 'k' } }));
        expect(initiatedAfter).toBeGreaterThan(0);
      }
      sfnLocal.recordExecution(recordedExecution(machineArn, await execution(9, undefined)));
      sfnLocal.recordExecution(recordedExecution(machineArn, await execution(10, 500, 600))); // 10 hours ago: outside --hours 2
      const dir = mkdtempSync(join(tmpdir(), 'from-history-'));
      const resourcesFile = join(dir, 'resources.json');
      writeFileSync(resourcesFile, JSON.stringify({ StackResources: [{ LogicalResourceId: workflow.logicalId, PhysicalResourceId: machineArn }] }));
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_CLOUDWATCH: moto.endpoint, AWS_ENDPOINT_URL_SFN: sfnLocal.endpoint, AWS_ENDPOINT_URL_CONNECT: connectLocal.endpoint, AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      });
      const printed: string[] = [];

      const code = await main(['report', outdir, '--from-cloudwatch', '--stack-resources', resourcesFile, '--hours', '2', '--connect-instance', instanceId, '--out', join(dir, 'out')], (x) => printed.push(x));

      expect(code, printed.join('')).toBe(0);
      const json = JSON.parse(readFileSync(join(dir, 'out', 'latency-report.json'), 'utf8')) as LatencyReport;
      const row = (step: string) => json.measured!.rows.find((r) => r.path === workflow.name && r.step === step);
      // The p50 is the workflow's measured critical path, beside the modelled one; the p99 is shown with it.
      expect(row('Critical path')).toMatchObject({ measuredMs: 900, samples: 5, modelledMs: workflow.current.totalMs });
      expect(row('Critical path p99 (execution history)')).toMatchObject({ measuredMs: 1_100, samples: 5 });
      // Connect's own record of each contact: initiated after the execution started, for all five.
      expect(row('Critical path p50 (Connect contact initiated)')).toMatchObject({ samples: 5 });
      expect(row('Critical path p50 (Connect contact initiated)')!.measuredMs).toBeGreaterThan(0);
      expect(sfnLocal.calls.filter((c) => c.operation === 'GetExecutionHistory')).toHaveLength(6); // the old one is not read
    } finally {
      connect.destroy();
      await Promise.all([sfnLocal.stop(), connectLocal.stop()]);
    }
  });

  it('names what is missing: the stack resources file, and a file that is not describe-stack-resources output', () => {
    const errors: string[] = [];
    expect(main(['report', outdir, '--from-cloudwatch'], () => undefined, (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/--from-cloudwatch needs --stack-resources/);
    const bad = join(mkdtempSync(join(tmpdir(), 'bad-res-')), 'r.json');
    writeFileSync(bad, JSON.stringify({ Stacks: [] }));
    expect(main(['report', outdir, '--from-cloudwatch', '--stack-resources', bad], () => undefined, (s) => errors.push(s))).toBe(2);
    expect(errors.join('')).toMatch(/expected the output of 'aws cloudformation describe-stack-resources'/);
  });
});
