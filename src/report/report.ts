// The latency/cost report of a synthesized cloud assembly: per Lex bot alias and per state machine, the critical path
// with estimated latencies, the monthly cost for a stated load, and the LatencyChecks findings.
import * as fs from 'fs';
import * as path from 'path';
import {
  AslMachine, AslState, children, dependsOn, integrationPattern, invokedFunction, isPlainTask, machineType, next,
  parseDefinition,
} from '../checks/asl';
import { readsCacheTable, readsSecretsUncached, RULES, runRules } from '../checks/rules';
import {
  flatten, FunctionFacts, grants, JsonObject, Qualifier, TemplateModel,
} from '../checks/template-model';
import { LAMBDA_PRICES_US_EAST_1, LambdaPriceTable, SECONDS_PER_MONTH } from '../shared/pricing';
import { DEFAULT_LOAD, DEFAULT_MODEL, LatencyModel, Load, ReportInputError, speedAt } from './model';

/** One bar of the critical path. */
export interface Step {
  readonly name: string;
  readonly ms: number;
  readonly detail: string;
}

/** A step, or branches that run side by side (the group lasts as long as its longest branch). */
export type Segment =
  | { readonly kind: 'step'; readonly step: Step }
  | { readonly kind: 'parallel'; readonly name: string; readonly ms: number; readonly branches: Segment[][] };

/** One variant (current or alternative) of a path. */
export interface Variant {
  readonly segments: Segment[];
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
}

/** Options of `buildReport`. */
export interface ReportOptions {
  readonly model?: LatencyModel;
  readonly load?: Load;
  readonly prices?: LambdaPriceTable;
}

/** Sum of a sequence of segments. */
export function segmentsMs(segments: Segment[]): number {
  return segments.reduce((sum, s) => sum + (s.kind === 'step' ? s.step.ms : s.ms), 0);
}

/** Every step of a sequence, branches included. */
export function leafSteps(segments: Segment[]): Step[] {
  return segments.flatMap((s) => (s.kind === 'step' ? [s.step] : s.branches.flatMap(leafSteps)));
}

const step = (name: string, ms: number, detail = ''): Segment => ({ kind: 'step', step: { name, ms, detail } });

// ---------------------------------------------------------------------------------------------------------------
// Reading a cloud assembly.

/** The templates of a cloud assembly (nested assemblies of stages included). */
export function readAssembly(dir: string): TemplateModel[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new ReportInputError(`${dir} is not a cloud assembly: it has no manifest.json (run \`cdk synth\` first)`);
  }
  let manifest: JsonObject;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as JsonObject;
  } catch (cause) {
    throw new ReportInputError(`${manifestPath} is not valid JSON`, { cause });
  }
  const artifacts = (manifest.artifacts ?? {}) as Record<string, JsonObject>;
  const assetPaths = new Map<string, string>();
  for (const a of Object.values(artifacts)) {
    if (a.type !== 'cdk:asset-manifest') continue;
    const file = path.join(dir, String((a.properties as JsonObject)?.file ?? ''));
    if (!fs.existsSync(file)) continue;
    const files = (JSON.parse(fs.readFileSync(file, 'utf8')).files ?? {}) as Record<string, { source?: { path?: string } }>;
    for (const [hash, f] of Object.entries(files)) if (f.source?.path) assetPaths.set(hash, path.join(dir, f.source.path));
  }
  const models: TemplateModel[] = [];
  for (const [id, a] of Object.entries(artifacts)) {
    const props = (a.properties ?? {}) as JsonObject;
    if (a.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      models.push(...readAssembly(path.join(dir, props.directoryName)));
      continue;
    }
    if (a.type !== 'aws:cloudformation:stack' || typeof props.templateFile !== 'string') continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, props.templateFile), 'utf8')) as JsonObject;
    let metadata = (a.metadata ?? {}) as Record<string, Array<{ type: string; data: unknown }>>;
    if (typeof a.additionalMetadataFile === 'string' && fs.existsSync(path.join(dir, a.additionalMetadataFile))) {
      metadata = { ...metadata, ...JSON.parse(fs.readFileSync(path.join(dir, a.additionalMetadataFile), 'utf8')) };
    }
    const model = new TemplateModel({
      stackName: typeof a.displayName === 'string' ? a.displayName : id,
      resources: (template.Resources ?? {}) as JsonObject,
      assetDir: dir,
      assetPaths,
      acknowledgements: acknowledgementsFromMetadata(metadata),
    });
    models.push(model);
  }
  return models;
}

/**
 * Acknowledgements recorded in the assembly's construct metadata (`aws:cdk:acknowledged-rules` on a path apply to the
 * resources at or below that path, the nearest winning), by logical id.
 */
function acknowledgementsFromMetadata(metadata: Record<string, Array<{ type: string; data: unknown }>>): Map<string, Map<string, string>> {
  const logicalIds = new Map<string, string>();
  const acks = new Map<string, Map<string, string>>();
  for (const [p, entries] of Object.entries(metadata)) {
    for (const e of entries) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') logicalIds.set(p, e.data);
      if (e.type === 'aws:cdk:acknowledged-rules' && typeof e.data === 'object' && e.data !== null) {
        const m = acks.get(p) ?? new Map<string, string>();
        for (const [id, reason] of Object.entries(e.data)) m.set(id.replace(/^[^:]+::/, ''), typeof reason === 'string' ? reason : '');
        acks.set(p, m);
      }
    }
  }
  const result = new Map<string, Map<string, string>>();
  for (const [p, logicalId] of logicalIds) {
    const merged = new Map<string, string>();
    for (let cur = p; cur !== ''; cur = cur.substring(0, cur.lastIndexOf('/'))) {
      for (const [rule, reason] of acks.get(cur) ?? []) if (!merged.has(rule)) merged.set(rule, reason);
    }
    result.set(logicalId, merged);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Function latency.

interface FunctionContext {
  readonly provisioned: number;
  readonly conversation: boolean;
  readonly alternative: boolean;
}

/** Memory and architecture a variant runs a function with. */
function variantShape(model: LatencyModel, f: FunctionFacts, alternative: boolean) {
  return {
    memoryMb: alternative ? Math.max(f.memoryMb, model.alternativeMemoryMb.value) : f.memoryMb,
    architecture: alternative ? 'arm64' : f.architecture,
  };
}

const NOT_COUNTED_SERVICES = new Set(['secretsmanager', 'dynamodb', 'bedrock', 'connect', 'logs', 'xray', 'kms', 'cloudwatch', 'ec2']);

/**
 * The steps of one invocation, inferred from what the function's role may call (each permission family is one call
 * in sequence, as the seed's handlers did), plus its cold start and its own compute time.
 */
export function functionSteps(
  model: LatencyModel, tm: TemplateModel, f: FunctionFacts, ctx: FunctionContext,
): Step[] {
  const steps: Step[] = [];
  const { memoryMb } = variantShape(model, f, ctx.alternative);
  const sizeMb = ((f.codeBytes ?? 0) + f.layerBytes) / 1048576;
  const coldMs = model.coldStartBaseMs.value + model.coldStartMsPerMb.value * sizeMb;
  const provisioned = ctx.alternative && ctx.conversation ? Math.max(ctx.provisioned, model.alternativeProvisionedConcurrency.value) : ctx.provisioned;
  const p = provisioned > 0 ? 0 : model.coldStartProbability.value;
  steps.push({
    name: 'Cold start',
    ms: p * coldMs,
    detail: provisioned > 0 ? `provisioned concurrency ${provisioned}` : `${pct(p)} x ${round(coldMs)} ms (${sizeMb.toFixed(1)} MB code and layers)`,
  });
  if (grants(f, ['secretsmanager:GetSecretValue'])) {
    const cached = ctx.alternative || !readsSecretsUncached(f);
    steps.push({ name: 'Secrets Manager', ms: cached ? 0 : model.secretsManagerMs.value, detail: cached ? 'cached' : 'every invocation' });
  }
  if (grants(f, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'])) {
    const warm = ctx.alternative || f.runtimeMarker;
    steps.push({ name: 'DynamoDB read', ms: warm ? model.dynamoDbReadWarmMs.value : model.dynamoDbReadMs.value, detail: warm ? 'warm client' : '' });
  }
  if (grants(f, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'])) {
    steps.push({ name: 'DynamoDB write', ms: model.dynamoDbWriteMs.value, detail: '' });
  }
  if (grants(f, ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:Converse', 'bedrock:ConverseStream'])) {
    const cached = readsCacheTable(tm, f) || (ctx.alternative && ctx.conversation);
    const miss = 1 - model.cacheHitRate.value;
    steps.push({
      name: 'Bedrock',
      ms: cached ? miss * model.bedrockMs.value : model.bedrockMs.value,
      detail: cached ? `${pct(miss)} cache misses x ${model.bedrockMs.value} ms` : 'every invocation',
    });
  }
  if (grants(f, ['connect:StartOutboundVoiceContact'])) {
    steps.push({ name: 'Connect outbound call', ms: model.connectStartCallMs.value, detail: '' });
  }
  const others = new Set(f.grants.flatMap((g) => g.actions.map((a) => a.split(':')[0])).filter((s) => s !== '*' && !NOT_COUNTED_SERVICES.has(s)));
  if (others.size > 0) {
    steps.push({ name: 'Other AWS calls', ms: others.size * model.otherAwsCallMs.value, detail: [...others].sort().join(', ') });
  }
  const speed = speedAt(model, memoryMb);
  steps.push({ name: 'Compute', ms: model.computeMsAt1x.value / speed, detail: `${memoryMb} MB, ${speed.toFixed(2)}x` });
  return steps;
}

/** Monthly Lambda cost of a function for a number of invocations of a given duration. */
export function lambdaMonthlyUsd(
  prices: LambdaPriceTable,
  o: { invocations: number; durationMs: number; memoryMb: number; architecture: string; provisioned: number },
): number {
  const gb = o.memoryMb / 1024;
  const arm = o.architecture === 'arm64';
  const durationPrice = o.provisioned > 0
    ? (arm ? prices.provisionedDurationPerGbSecondArm : prices.provisionedDurationPerGbSecondX86)
    : (arm ? prices.durationPerGbSecondArm : prices.durationPerGbSecondX86);
  const provisionedPrice = arm ? prices.provisionedPerGbSecondArm : prices.provisionedPerGbSecondX86;
  return o.invocations * (prices.requestsPerMillion / 1e6)
    + o.invocations * (o.durationMs / 1000) * gb * durationPrice
    + o.provisioned * gb * SECONDS_PER_MONTH * provisionedPrice;
}

// ---------------------------------------------------------------------------------------------------------------
// Paths.

function lexPaths(tm: TemplateModel, model: LatencyModel, load: Load, prices: LambdaPriceTable): PathReport[] {
  const reports: PathReport[] = [];
  const covered = new Set<string>();
  for (const alias of tm.ofType('AWS::Lex::BotAlias')) {
    const settings = Array.isArray(alias.properties.BotAliasLocaleSettings) ? alias.properties.BotAliasLocaleSettings : [];
    tm.codeHooks(alias).forEach((hook, i) => {
      const locale = flatten((settings[i] as JsonObject | undefined)?.LocaleId) || String(i);
      const target = tm.functionTarget(hook);
      if (target.functionId) covered.add(target.functionId);
      const provisioned = target.qualifier === Qualifier.LOCAL ? target.provisioned : 0;
      reports.push(lexPath(tm, model, load, prices, `${tm.stackName}/${alias.logicalId} (${locale})`, alias.logicalId,
        target.functionId, provisioned, target.text));
    });
  }
  // Functions Lex may invoke (a lexv2.amazonaws.com permission) whose bot alias is not in this app.
  for (const [fnId, provisioned] of tm.conversationFunctions()) {
    if (covered.has(fnId)) continue;
    reports.push(lexPath(tm, model, load, prices, `${tm.stackName}/${fnId} (Lex permission)`, fnId, fnId, provisioned, fnId));
  }
  return reports;
}

function lexPath(
  tm: TemplateModel, model: LatencyModel, load: Load, prices: LambdaPriceTable,
  name: string, logicalId: string, functionId: string | undefined, provisioned: number, targetText: string,
): PathReport {
  const fn = tm.get(functionId, 'AWS::Lambda::Function');
  const turns = load.paths[name] ?? load.lexTurnsPerMonth;
  const notes: string[] = fn ? [] : [`the code hook ${targetText} is not a function of this app: its latency is not estimated`];
  const variant = (alternative: boolean): Variant => {
    const segments: Segment[] = [step('Lex NLU', model.lexNluMs.value)];
    let costLines: string[] = [];
    let monthlyUsd = 0;
    if (fn) {
      const f = tm.functionFacts(fn);
      const steps = functionSteps(model, tm, f, { provisioned, conversation: true, alternative });
      segments.push(...steps.map((s) => ({ kind: 'step' as const, step: s })));
      const shape = variantShape(model, f, alternative);
      const pc = alternative ? Math.max(provisioned, model.alternativeProvisionedConcurrency.value) : provisioned;
      const durationMs = steps.reduce((sum, s) => sum + s.ms, 0);
      monthlyUsd = lambdaMonthlyUsd(prices, { invocations: turns, durationMs, ...shape, provisioned: pc });
      costLines = [`${fn.logicalId}: ${turns} x ${round(durationMs)} ms at ${shape.memoryMb} MB ${shape.architecture}` +
        (pc > 0 ? `, ${pc} provisioned` : '') + ` = $${monthlyUsd.toFixed(2)}`];
    }
    segments.push(step('Lex response', model.lexResponseMs.value));
    return { segments, totalMs: segmentsMs(segments), monthlyUsd, costLines };
  };
  return {
    kind: 'lex-code-hook', name, stack: tm.stackName, logicalId, monthlyLoad: turns,
    current: variant(false), alternative: variant(true), notes,
  };
}

interface Walk {
  readonly segments: Segment[];
  readonly ms: number;
  readonly transitions: number;
  /** The Lambda invocations along the way, for the cost. */
  readonly invocations: Array<{ facts: FunctionFacts; durationMs: number; provisioned: number; memoryMb: number; architecture: string }>;
}

const EMPTY: Walk = { segments: [], ms: 0, transitions: 0, invocations: [] };

function workflowWalker(tm: TemplateModel, model: LatencyModel, alternative: boolean) {
  /** One state's own segment (without what follows it). */
  const own = (s: AslState): Walk => {
    const b = s.body;
    if (b.Type === 'Task') {
      const pattern = integrationPattern(s);
      const target = invokedFunction(s) !== undefined ? tm.functionTarget(invokedFunction(s)) : undefined;
      const fn = tm.get(target?.functionId, 'AWS::Lambda::Function');
      const wait = pattern === 'callback' ? ', then waits for the callback (not counted)' : pattern === 'sync' ? ', then waits for the job (not counted)' : '';
      if (fn && target) {
        const f = tm.functionFacts(fn);
        const provisioned = target.qualifier === Qualifier.LOCAL ? target.provisioned : 0;
        const steps = functionSteps(model, tm, f, { provisioned, conversation: false, alternative });
        const ms = steps.reduce((sum, x) => sum + x.ms, 0);
        const detail = steps.filter((x) => x.ms > 0).map((x) => `${x.name} ${round(x.ms)}`).join(' + ') + wait;
        return {
          segments: [{ kind: 'step', step: { name: s.name, ms, detail } }], ms, transitions: 1,
          invocations: [{ facts: f, durationMs: ms, provisioned, ...variantShape(model, f, alternative) }],
        };
      }
      const ms = model.serviceTaskMs.value;
      return { segments: [step(s.name, ms, `${flatten(b.Resource).replace(/^arn:aws:states:::/, '')}${wait}`)], ms, transitions: 1, invocations: [] };
    }
    if (b.Type === 'Parallel' || b.Type === 'Map') {
      const branches = children(s).map((m) => longest(m, m.startAt, new Set()));
      const ms = Math.max(0, ...branches.map((w) => w.ms));
      return {
        segments: [{ kind: 'parallel', name: s.name, ms, branches: branches.map((w) => w.segments) }],
        ms,
        transitions: 1 + branches.reduce((sum, w) => sum + w.transitions, 0),
        invocations: branches.flatMap((w) => w.invocations),
      };
    }
    if (b.Type === 'Wait') {
      const ms = typeof b.Seconds === 'number' ? b.Seconds * 1000 : 0;
      return { segments: ms > 0 ? [step(s.name, ms, 'Wait state')] : [], ms, transitions: 1, invocations: [] };
    }
    return { ...EMPTY, transitions: 1 };
  };
  /** The longest path from a state to the end (loops are cut where they return to a visited state). */
  const longest = (m: AslMachine, name: string, seen: Set<string>): Walk => {
    const s = m.states.get(name);
    if (!s || seen.has(name)) return EMPTY;
    const visited = new Set(seen).add(name);
    const here = own(s);
    const successors = s.body.Type === 'Choice'
      ? [...(Array.isArray(s.body.Choices) ? s.body.Choices : []).map((c) => (c as JsonObject).Next), s.body.Default]
      : [next(s)];
    let best = EMPTY;
    for (const n of successors) {
      if (typeof n !== 'string') continue;
      const w = longest(m, n, visited);
      if (w.ms > best.ms || best === EMPTY) best = w;
    }
    return {
      segments: [...here.segments, ...best.segments],
      ms: here.ms + best.ms,
      transitions: here.transitions + best.transitions,
      invocations: [...here.invocations, ...best.invocations],
    };
  };
  return longest;
}

/**
 * Runs consecutive independent plain Task states of the critical path side by side, as FastLex-L8 suggests: a task
 * joins the group before it when it depends on none of the group's tasks.
 */
function parallelise(segments: Segment[], machine: AslMachine): { segments: Segment[]; groups: number } {
  const out: Segment[] = [];
  let group: Array<{ seg: Segment; state: AslState }> = [];
  let groups = 0;
  const flush = () => {
    if (group.length > 1) {
      groups++;
      out.push({
        kind: 'parallel', name: group.map((g) => g.state.name).join(' | '),
        ms: Math.max(...group.map((g) => segmentsMs([g.seg]))), branches: group.map((g) => [g.seg]),
      });
    } else out.push(...group.map((g) => g.seg));
    group = [];
  };
  for (const seg of segments) {
    const state = seg.kind === 'step' ? machine.states.get(seg.step.name) : undefined;
    if (!isPlainTask(state)) {
      flush();
      out.push(seg);
      continue;
    }
    const previous = group[group.length - 1];
    const consecutive = previous !== undefined && next(previous.state) === state.name;
    if (!consecutive || group.some((g) => dependsOn(state, g.state))) flush();
    group.push({ seg, state });
  }
  flush();
  return { segments: out, groups };
}

function workflowPaths(tm: TemplateModel, model: LatencyModel, load: Load, prices: LambdaPriceTable): PathReport[] {
  const reports: PathReport[] = [];
  for (const sm of tm.ofType('AWS::StepFunctions::StateMachine')) {
    const name = `${tm.stackName}/${sm.logicalId}`;
    const machine = parseDefinition(sm);
    const notes: string[] = [];
    if (!machine) {
      notes.push('the definition could not be read (DefinitionS3Location, or intrinsics the report cannot follow)');
    }
    const executions = load.paths[name] ?? load.workflowExecutionsPerMonth;
    const type = machineType(sm);
    const waits = machine ? [...machine.states.values()].some((s) => s.body.Type === 'Task' && integrationPattern(s) !== 'request-response') : false;
    const variant = (alternative: boolean): Variant => {
      if (!machine) return { segments: [], totalMs: 0, monthlyUsd: 0, costLines: [] };
      const walk = workflowWalker(tm, model, alternative)(machine, machine.startAt, new Set());
      let segments = walk.segments;
      let transitions = walk.transitions;
      if (alternative) {
        const p = parallelise(segments, machine);
        segments = p.segments;
        transitions += p.groups;
      }
      const totalMs = segmentsMs(segments);
      const costLines: string[] = [];
      let usd = 0;
      for (const inv of walk.invocations) {
        const c = lambdaMonthlyUsd(prices, { invocations: executions, durationMs: inv.durationMs, memoryMb: inv.memoryMb, architecture: inv.architecture, provisioned: inv.provisioned });
        costLines.push(`${inv.facts.logicalId}: ${executions} x ${round(inv.durationMs)} ms at ${inv.memoryMb} MB ${inv.architecture} = $${c.toFixed(2)}`);
        usd += c;
      }
      // An Express workflow cannot wait for a callback (FastLex-L7): the alternative is a Standard one.
      const variantType = alternative && type === 'EXPRESS' && waits ? 'STANDARD' : type;
      if (variantType === 'EXPRESS') {
        const billedSeconds = Math.ceil(totalMs / 100) / 10;
        const c = executions * (model.stepFunctionsExpressPerMillionRequestsUsd.value / 1e6)
          + executions * billedSeconds * model.stepFunctionsExpressMemoryGb.value * model.stepFunctionsExpressPerGbSecondUsd.value;
        costLines.push(`Step Functions EXPRESS: ${executions} requests, ${billedSeconds} s each = $${c.toFixed(2)}`);
        usd += c;
      } else {
        const c = executions * transitions * model.stepFunctionsStandardPerTransitionUsd.value;
        costLines.push(`Step Functions STANDARD: ${executions} x ${transitions} transitions = $${c.toFixed(2)}`);
        usd += c;
      }
      return { segments, totalMs, monthlyUsd: usd, costLines };
    };
    if (type === 'EXPRESS' && waits) notes.push('EXPRESS cannot run .waitForTaskToken/.sync tasks (FastLex-L7): the alternative is priced as STANDARD');
    reports.push({
      kind: 'state-machine', name, stack: tm.stackName, logicalId: sm.logicalId, monthlyLoad: executions,
      current: variant(false), alternative: variant(true), notes,
    });
  }
  return reports;
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
    paths.push(...lexPaths(tm, model, load, prices), ...workflowPaths(tm, model, load, prices));
    for (const f of runRules(tm)) {
      const reason = tm.acknowledgement(f.logicalId, f.ruleId);
      findings.push({
        ruleId: f.ruleId, severity: f.severity, stack: tm.stackName, logicalId: f.logicalId, message: f.message,
        ...(reason !== undefined && reason.trim() !== '' ? { acknowledged: reason } : {}),
      });
    }
  }
  return { assembly: assemblyDir, model, load, paths, findings };
}

// ---------------------------------------------------------------------------------------------------------------
// Text.

function round(ms: number): string {
  return (Math.round(ms * 10) / 10).toString();
}

function pct(p: number): string {
  return `${Math.round(p * 1000) / 10} %`;
}

function rows(segments: Segment[], indent = ''): Array<[string, number, string]> {
  return segments.flatMap((s): Array<[string, number, string]> => {
    if (s.kind === 'step') return [[indent + s.step.name, s.step.ms, s.step.detail]];
    return [
      [`${indent}${s.name} (parallel: longest branch)`, s.ms, ''],
      ...s.branches.flatMap((b, i) => rows(b, `${indent}  [${i + 1}] `)),
    ];
  });
}

/** The report as a text table. */
export function renderText(report: LatencyReport): string {
  const out: string[] = [];
  const money = (n: number) => `$${n.toFixed(2)}`;
  const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
  const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
  out.push(`cdk-fast-lex latency/cost report of ${report.assembly}`);
  out.push(`Load: ${report.load.lexTurnsPerMonth} Lex turns/month per bot alias, ${report.load.workflowExecutionsPerMonth} executions/month per state machine.`);
  out.push('Estimates from the latency model (figures and sources in the JSON output); alternative = with the LatencyChecks fixes.');
  for (const p of report.paths) {
    out.push('', `${p.kind === 'lex-code-hook' ? 'Lex code hook' : 'State machine'} ${p.name}`);
    for (const [label, variant] of [['current', p.current], ['alternative', p.alternative]] as const) {
      out.push(`  ${label}:`);
      for (const [name, ms, detail] of rows(variant.segments)) out.push(`    ${pad(name, 46)} ${lpad(round(ms), 9)} ms  ${detail}`);
      out.push(`    ${pad('critical path', 46)} ${lpad(round(variant.totalMs), 9)} ms`);
      out.push(`    ${pad(`monthly cost (${p.monthlyLoad}/month)`, 46)} ${lpad(money(variant.monthlyUsd), 12)}`);
      for (const line of variant.costLines) out.push(`      ${line}`);
    }
    for (const n of p.notes) out.push(`  note: ${n}`);
  }
  out.push('', 'LatencyChecks findings:');
  if (report.findings.length === 0) out.push('  none');
  for (const f of report.findings) {
    const title = RULES.find((r) => r.id === f.ruleId)?.title ?? '';
    out.push(`  ${pad(f.ruleId, 11)} ${pad(f.severity, 8)} ${f.stack}/${f.logicalId}: ${title}: ${f.message}` +
      (f.acknowledged ? ` [acknowledged: ${f.acknowledged}]` : ''));
  }
  return out.join('\n') + '\n';
}

