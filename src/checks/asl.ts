// Parses the Amazon States Language definition of an AWS::StepFunctions::StateMachine and answers the questions the
// latency rules and report ask of it: which tasks wait for a callback, which consecutive tasks are independent.
import { dig, flatten, isObject, JsonObject, TemplateResource } from './template-model';

/** A state of a definition, with its name. */
export interface AslState {
  readonly name: string;
  readonly body: JsonObject;
}

/** A parsed definition: `StartAt` and `States`. */
export interface AslMachine {
  readonly startAt: string;
  readonly states: Map<string, AslState>;
}

/**
 * The definition of a state machine resource, parsed. Reads `Definition` (an object) or `DefinitionString` (a string,
 * or an `Fn::Join` around intrinsics that `flatten` replaces by placeholders, with `DefinitionSubstitutions` applied).
 * Returns undefined for `DefinitionS3Location` or anything that does not parse: the rules then say nothing.
 */
export function parseDefinition(sm: TemplateResource): AslMachine | undefined {
  const p = sm.properties;
  let raw: unknown = p.Definition;
  if (!isObject(raw) && p.DefinitionString !== undefined) {
    const substitutions = isObject(p.DefinitionSubstitutions) ? p.DefinitionSubstitutions : {};
    let text = flatten(p.DefinitionString, substitutions);
    text = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, name: string) =>
      name in substitutions ? flatten(substitutions[name]).replace(/"/g, '') : m);
    try {
      raw = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return toMachine(raw);
}

function toMachine(raw: unknown): AslMachine | undefined {
  if (!isObject(raw) || typeof raw.StartAt !== 'string' || !isObject(raw.States)) return undefined;
  const states = new Map<string, AslState>();
  for (const [name, body] of Object.entries(raw.States)) {
    if (isObject(body)) states.set(name, { name, body });
  }
  return { startAt: raw.StartAt, states };
}

/** The nested machines of a Parallel (branches) or Map (ItemProcessor / Iterator) state. */
export function children(state: AslState): AslMachine[] {
  const b = state.body;
  if (b.Type === 'Parallel' && Array.isArray(b.Branches)) {
    return b.Branches.map(toMachine).filter((m): m is AslMachine => m !== undefined);
  }
  if (b.Type === 'Map') {
    const m = toMachine(b.ItemProcessor ?? b.Iterator);
    return m ? [m] : [];
  }
  return [];
}

/** Every state of a machine, nested ones included. */
export function allStates(machine: AslMachine): AslState[] {
  const out: AslState[] = [];
  for (const s of machine.states.values()) {
    out.push(s);
    for (const c of children(s)) out.push(...allStates(c));
  }
  return out;
}

/** The integration pattern a Task's resource asks for. */
export function integrationPattern(state: AslState): 'callback' | 'sync' | 'request-response' {
  const resource = flatten(state.body.Resource);
  if (resource.endsWith('.waitForTaskToken')) return 'callback';
  if (/\.sync(:\d+)?$/.test(resource)) return 'sync';
  return 'request-response';
}

/** Whether a state is a plain request/response Task, the only kind the parallelisation advice is about. */
export function isPlainTask(state: AslState | undefined): state is AslState {
  return state !== undefined && state.body.Type === 'Task' && integrationPattern(state) === 'request-response';
}

/**
 * Whether `later` (the next Task) could depend on data produced by `earlier`. Heuristic, deliberately cautious (it
 * answers "depends" when unsure, so the rule stays quiet):
 * - `earlier` with no `ResultPath` (default `$`) or `ResultPath: "$"` replaces the whole state: depends;
 *   `ResultPath: null` discards the result: independent;
 * - `earlier` with `Assign`, `Output`, `OutputPath`, `ResultSelector` to a whole-state path, or JSONata: depends;
 * - otherwise `later` depends when its `InputPath`, `Parameters`, `Arguments` or `ItemsPath` mention `earlier`'s
 *   `ResultPath` (or a path inside it), or pass the whole state (`$` or no `Parameters`/`InputPath` filter at all).
 */
export function dependsOn(later: AslState, earlier: AslState): boolean {
  const e = earlier.body;
  const l = later.body;
  if (e.QueryLanguage === 'JSONata' || l.QueryLanguage === 'JSONata' || e.Assign !== undefined) return true;
  if (e.ResultPath === null) return false;
  if (typeof e.ResultPath !== 'string' || e.ResultPath === '$') return true;
  if (typeof e.OutputPath === 'string' && e.OutputPath !== '$') return true;
  const resultPath = e.ResultPath;
  const inputs = [l.InputPath, l.Parameters, l.Arguments, l.ItemsPath].filter((v) => v !== undefined);
  if (l.Parameters === undefined && l.Arguments === undefined) {
    // Without Parameters the whole (InputPath-filtered) state is the task's input.
    const inputPath = typeof l.InputPath === 'string' ? l.InputPath : '$';
    if (l.InputPath !== null && !pathIsDisjoint(inputPath, resultPath)) return true;
  }
  return jsonPaths(inputs).some((p) => !pathIsDisjoint(p, resultPath));
}

/** The JSONPath strings (`$...`, not the context object `$$`) mentioned in values. */
function jsonPaths(values: unknown[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/(?<![$\w])\$(?!\$)[A-Za-z0-9_.[\]'"*@?()=<>!-]*/g)) out.push(m[0]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) Object.values(v).forEach(visit);
  };
  values.forEach(visit);
  return out;
}

/** Whether two JSONPaths name disjoint parts of the state (neither is a prefix of the other). */
function pathIsDisjoint(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/\[['"]([^'"]+)['"]\]/g, '.$1').replace(/\[\d+\]|\[\*\]/g, '');
  const x = norm(a);
  const y = norm(b);
  const prefix = (p: string, q: string) => q === p || q.startsWith(p + '.') || q.startsWith(p + '[');
  return !(prefix(x, y) || prefix(y, x));
}

/** The next state of a sequence step (`Next`), if any. */
export function next(state: AslState): string | undefined {
  return typeof state.body.Next === 'string' ? state.body.Next : undefined;
}

/** Pairs of consecutive plain Task states (A's `Next` is B) where B does not depend on A. */
export function independentPairs(machine: AslMachine): Array<[AslState, AslState]> {
  const pairs: Array<[AslState, AslState]> = [];
  const visit = (m: AslMachine) => {
    for (const s of m.states.values()) {
      const n = m.states.get(next(s) ?? '');
      if (isPlainTask(s) && isPlainTask(n) && !dependsOn(n, s)) pairs.push([s, n]);
      children(s).forEach(visit);
    }
  };
  visit(machine);
  return pairs;
}

/** The state machine type (`STANDARD` unless said otherwise). */
export function machineType(sm: TemplateResource): string {
  return flatten(sm.properties.StateMachineType) || 'STANDARD';
}

/** The Lambda a Task invokes: `FunctionName` of `lambda:invoke`, or the function ARN used as the resource. */
export function invokedFunction(state: AslState): unknown {
  const resource = flatten(state.body.Resource);
  if (resource.includes(':::lambda:invoke')) {
    return dig(state.body, 'Parameters', 'FunctionName') ?? dig(state.body, 'Arguments', 'FunctionName');
  }
  if (resource.includes(':lambda:') || resource.startsWith('{{getatt:') || resource.startsWith('{{ref:')) return resource;
  return undefined;
}
