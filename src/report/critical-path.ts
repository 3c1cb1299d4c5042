// The critical paths: a Lex turn through its code hook, and a state machine's longest path, with both variants.
import {
  AslMachine, AslState, children, dependsOn, integrationPattern, invokedFunction, isPlainTask, machineType, next,
  parseDefinition,
} from '../checks/asl';
import { flatten, FunctionFacts, JsonObject, Qualifier, TemplateModel } from '../checks/template-model';
import { LambdaPriceTable } from '../shared/pricing';
import { functionSteps, lambdaMonthlyUsd, variantShape } from './function-latency';
import { LatencyModel, Load } from './model';
import type { PathReport, Segment, Step, Variant } from './report';
import { round } from './text';

/** Sum of a sequence of segments. */
export function segmentsMs(segments: Segment[]): number {
  return segments.reduce((sum, s) => sum + (s.kind === 'step' ? s.step.ms : s.ms), 0);
}

/** Every step of a sequence, branches included. */
export function leafSteps(segments: Segment[]): Step[] {
  return segments.flatMap((s) => (s.kind === 'step' ? [s.step] : s.branches.flatMap(leafSteps)));
}

const step = (name: string, ms: number, detail = ''): Segment => ({ kind: 'step', step: { name, ms, detail } });

export function lexPaths(tm: TemplateModel, model: LatencyModel, load: Load, prices: LambdaPriceTable): PathReport[] {
  const reports: PathReport[] = [];
  const covered = new Set<string>();
  for (const alias of tm.ofType('AWS::Lex::BotAlias')) {
    const settings = Array.isArray(alias.properties.BotAliasLocaleSettings) ? alias.properties.BotAliasLocaleSettings : [];
    tm.codeHooks(alias).forEach((hook, i) => {
      const locale = flatten((settings[i] as JsonObject | undefined)?.LocaleId) || String(i);
      const target = tm.functionTarget(hook);
      if (target.functionId) covered.add(target.functionId);
      const provisioned = target.qualifier === Qualifier.LOCAL ? target.provisioned : 0;
      const botId = alias.properties.BotId as unknown;
      const getAtt = (botId as JsonObject | null)?.['Fn::GetAtt'];
      const bot = typeof botId === 'string' ? { botId } : Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? { botLogicalId: getAtt[0] } : {};
      reports.push({
        ...lexPath(tm, model, load, prices, `${tm.stackName}/${alias.logicalId} (${locale})`, alias.logicalId, target.functionId, provisioned, target.text),
        lex: { ...bot, localeId: locale },
      });
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
    ...(fn ? { functionLogicalId: fn.logicalId } : {}),
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
        const placesCall = steps.some((x) => x.placesCall);
        return {
          segments: [{ kind: 'step', step: {
            name: s.name, ms, detail, functionLogicalId: fn.logicalId, ...(placesCall ? { placesCall } : {}), ...(wait ? { waits: true } : {}),
          } }],
          ms, transitions: 1,
          invocations: [{ facts: f, durationMs: ms, provisioned, ...variantShape(model, f, alternative) }],
        };
      }
      const ms = model.serviceTaskMs.value;
      const resource = flatten(b.Resource).replace(/^arn:aws:states:::/, '');
      const placesCall = /^(aws-sdk:)?connect:startOutboundVoiceContact/i.test(resource);
      return {
        segments: [{ kind: 'step', step: { name: s.name, ms, detail: `${resource}${wait}`, ...(placesCall ? { placesCall } : {}), ...(wait ? { waits: true } : {}) } }],
        ms, transitions: 1, invocations: [],
      };
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

export function workflowPaths(tm: TemplateModel, model: LatencyModel, load: Load, prices: LambdaPriceTable): PathReport[] {
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
      // Billed (Express) for the whole execution; the caller waits only until the call is placed.
      const executionMs = segmentsMs(segments);
      const cut = untilCallPlaced(segments);
      segments = cut.segments;
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
        const billedSeconds = Math.ceil(executionMs / 100) / 10;
        const c = executions * (model.stepFunctionsExpressPerMillionRequestsUsd.value / 1e6)
          + executions * billedSeconds * model.stepFunctionsExpressMemoryGb.value * model.stepFunctionsExpressPerGbSecondUsd.value;
        costLines.push(`Step Functions EXPRESS: ${executions} requests, ${billedSeconds} s each = $${c.toFixed(2)}`);
        usd += c;
      } else {
        const c = executions * transitions * model.stepFunctionsStandardPerTransitionUsd.value;
        costLines.push(`Step Functions STANDARD: ${executions} x ${transitions} transitions = $${c.toFixed(2)}`);
        usd += c;
      }
      return { segments, ...(cut.afterCall.length > 0 ? { afterCall: cut.afterCall } : {}), totalMs, monthlyUsd: usd, costLines };
    };
    if (type === 'EXPRESS' && waits) notes.push('EXPRESS cannot run .waitForTaskToken/.sync tasks (FastLex-L7): the alternative is priced as STANDARD');
    reports.push({
      kind: 'state-machine', name, stack: tm.stackName, logicalId: sm.logicalId, monthlyLoad: executions,
      current: variant(false), alternative: variant(true), notes,
    });
  }
  return reports;
}


/**
 * The critical path ends where the outbound call is placed: the caller's phone rings then, and what follows (waiting
 * for the call to end, updating the lead) runs while they talk. When the call is placed in one branch of a Parallel
 * state, the critical path goes through that branch only: the other branches run while the phone rings, and are
 * listed after the call.
 */
function untilCallPlaced(segments: Segment[]): { segments: Segment[]; afterCall: Segment[] } {
  const i = segments.findIndex((s) => leafSteps([s]).some((x) => x.placesCall));
  if (i < 0) return { segments, afterCall: [] };
  const at = segments[i];
  if (at.kind === 'step') return { segments: segments.slice(0, i + 1), afterCall: segments.slice(i + 1) };
  const b = at.branches.findIndex((branch) => leafSteps(branch).some((x) => x.placesCall));
  const inBranch = untilCallPlaced(at.branches[b]);
  const others = at.branches.filter((_, j) => j !== b);
  const beside: Segment[] = others.length === 0 ? [] : [{
    kind: 'parallel', name: `${at.name} (beside the call)`, ms: Math.max(0, ...others.map(segmentsMs)), branches: others,
  }];
  return { segments: [...segments.slice(0, i), ...inBranch.segments], afterCall: [...inBranch.afterCall, ...beside, ...segments.slice(i + 1)] };
}
