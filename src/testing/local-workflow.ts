// Runs a synthesized Step Functions state machine offline: the definition taken from the CloudFormation template,
// each Lambda task resolved to the function's deployed asset (the bundled handler) run in-process, interpreted by
// aws-local-stepfunctions; `.waitForTaskToken` tasks are driven through a local Step Functions callback stand-in.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import type { StepFunctionsStandIn, TaskTokenResult } from './step-functions-stand-in';

/** A Lambda function run in-process. */
export interface LocalLambda {
  /** The handler (`exports.handler` of the bundle). */
  readonly handler: (event: unknown, context: unknown) => unknown;
  /**
   * The function's environment variables. They are set around the synchronous start of each invocation, where the
   * workflow handlers read their configuration, then restored. @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** The function's logical id or name, for reports. */
  readonly name?: string;
}

/** Any other task: a local function standing in for the state's resource (keyed by state name). */
export type LocalTaskHandler = (input: unknown) => unknown;

export interface LocalWorkflowOptions {
  /** The Amazon States Language definition (object or JSON string), resolved: no CloudFormation tokens left. */
  readonly definition: object | string;
  /** Lambda functions by the ARN the definition names (function or alias ARN; a qualified ARN also matches its base). */
  readonly lambdas?: Readonly<Record<string, LocalLambda>>;
  /** Local functions for other Task states, by state name. They win over `lambdas`. */
  readonly taskHandlers?: Readonly<Record<string, LocalTaskHandler>>;
  /** Needed when the definition has `.waitForTaskToken` tasks: it issues their tokens and receives the callbacks. */
  readonly stepFunctions?: StepFunctionsStandIn;
  /**
   * Environment variables set for the whole process while executions run (endpoint overrides such as
   * `AWS_ENDPOINT_URL_DYNAMODB`, credentials, region), restored by `close()`. @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** Retry pauses in ms by state name (aws-local-stepfunctions `retryIntervalOverrides`). @default - the definition's */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  /** The state machine ARN for the context object. @default - arn:aws:states:us-east-1:123456789012:stateMachine:local */
  readonly stateMachineArn?: string;
}

/** What one state did during an execution. Times are ms since the execution started. */
export interface LocalStateRecord {
  readonly name: string;
  readonly type: string;
  readonly enteredAtMs: number;
  readonly exitedAtMs?: number;
  readonly durationMs?: number;
  /** SUCCEEDED, CAUGHT (failed, then a Catch took over) or FAILED. */
  readonly status: 'SUCCEEDED' | 'CAUGHT' | 'FAILED' | 'RUNNING';
  /** Attempts made (1 + retries). */
  readonly attempts: number;
  /** Error names of failed attempts, in order. */
  readonly errors: readonly string[];
}

/** The result of one local execution. */
export interface LocalExecution {
  readonly executionArn: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Wall-clock start, ms since epoch. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** One record per state, in order of entry (a state in a loop or retried keeps one record). */
  readonly states: readonly LocalStateRecord[];
}

/** Options of `LocalWorkflow.fromTemplate`. */
export interface FromTemplateOptions {
  /** The cloud assembly directory holding `asset.<hash>` directories (`app.synth().directory`). */
  readonly assemblyDirectory: string;
  /** Logical id of the state machine. @default - the only one in the template */
  readonly stateMachineLogicalId?: string;
  /**
   * Physical names for resources, by logical id (what `Ref` returns for tables, queues...). A queue's may be its full
   * URL (a local SQS endpoint's), which `Ref` then returns as it is. @default - the logical id
   */
  readonly physicalNames?: Readonly<Record<string, string>>;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly account?: string;
  /** Extra or replacement environment variables per function logical id (e.g. a local secret id). */
  readonly functionEnvironment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the bundles' bare imports (`@aws-sdk/*`, provided by the Lambda runtime) resolve. @default process.cwd() */
  readonly nodeModulesFrom?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The `$$.Task.Token` placeholder the interpreter sees; each callback task swaps in a fresh token. */
const TOKEN_PLACEHOLDER = '__FAST_LEX_LOCAL_TASK_TOKEN__';
const CALLBACK_LAMBDA = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/**
 * A state machine run offline. Build it from a synthesized stack (`fromStack`), a template (`fromTemplate`), or a
 * plain definition with local handlers (constructor). `run(input)` resolves with the status, output and per-state
 * timings; a failed execution resolves too (status FAILED, error and cause), it does not throw.
 *
 * How `.waitForTaskToken` tasks run (aws-local-stepfunctions cannot): the task's Lambda is invoked with a token from
 * the Step Functions stand-in; the task then waits until someone calls SendTaskSuccess/SendTaskFailure on the
 * stand-in with that token (the real SFNClient, from a handler), or its `TimeoutSeconds`/`HeartbeatSeconds` pass,
 * which fails the task with `States.Timeout`/`States.HeartbeatTimeout` as Step Functions does.
 *
 * @example
 * const sfnLocal = await startStepFunctionsStandIn();
 * const workflow = LocalWorkflow.fromStack(stack, {
 *   stepFunctions: sfnLocal,
 *   environment: { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_SFN: sfnLocal.endpoint },
 * });
 * const execution = await workflow.run({ lead: { lastName: 'Doe', company: 'Acme', phone: '+14155552671' } });
 * console.log(execution.status, execution.states.map((s) => `${s.name} ${s.durationMs} ms`));
 * workflow.close();
 */
export class LocalWorkflow {
  /**
   * From a stack: synthesizes its app, takes the state machine's definition from the template and each function's
   * code from its asset in the cloud assembly.
   */
  static fromStack(
    stack: { readonly artifactId: string; readonly node: { readonly root: unknown } },
    options: Omit<LocalWorkflowOptions, 'definition' | 'lambdas'> & Omit<FromTemplateOptions, 'assemblyDirectory'> = {},
  ): LocalWorkflow {
    const root = stack.node.root as { synth(): { directory: string; getStackArtifact(id: string): { template: unknown } } };
    const assembly = root.synth();
    return LocalWorkflow.fromTemplate(assembly.getStackArtifact(stack.artifactId).template as object, { ...options, assemblyDirectory: assembly.directory });
  }

  /** From a synthesized template and its cloud assembly directory. */
  static fromTemplate(
    template: object,
    options: Omit<LocalWorkflowOptions, 'definition' | 'lambdas'> & FromTemplateOptions,
  ): LocalWorkflow {
    const resources = ((template as { Resources?: Record<string, CfnResource> }).Resources ?? {});
    const resolver = new CfnResolver(resources, options);
    const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
    const machine = options.stateMachineLogicalId ? machines.find(([id]) => id === options.stateMachineLogicalId) : machines.length === 1 ? machines[0] : undefined;
    if (!machine) {
      throw new Error(`LocalWorkflow: ${machines.length} state machines in the template (${machines.map(([id]) => id).join(', ') || 'none'}); `
        + 'set stateMachineLogicalId.');
    }
    const [machineId, machineResource] = machine;
    const definition = resolver.resolve(machineResource.Properties?.DefinitionString as Json);
    const lambdas: Record<string, LocalLambda> = {};
    const nodeModules = ModuleCtor._nodeModulePaths(options.nodeModulesFrom ?? process.cwd());
    linkNodeModules(options.assemblyDirectory, options.nodeModulesFrom ?? process.cwd());
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const key = (r.Properties?.Code as { S3Key?: Json })?.S3Key;
      const hash = typeof key === 'string' ? key.replace(/\.zip$/, '') : undefined;
      if (!hash) continue; // inline code or an image: not run locally
      const [file, exportName] = splitHandler(String(r.Properties?.Handler ?? 'index.handler'));
      const dir = join(options.assemblyDirectory, `asset.${hash}`);
      let loaded: Record<string, unknown> | undefined;
      const env = onLocalDisk({
        ...(resolver.resolve((r.Properties?.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Record<string, string>),
        ...options.functionEnvironment?.[id],
      }, layerDirectories(resources, r, options.assemblyDirectory));
      const lambda: LocalLambda = {
        name: id,
        environment: env,
        // Loaded on first use, a fresh module per LocalWorkflow: no module state leaks between workflows.
        handler: (event, context) => {
          loaded ??= loadModule(join(dir, `${file}.js`), nodeModules);
          const fn = loaded[exportName];
          if (typeof fn !== 'function') throw new Error(`LocalWorkflow: ${join(dir, file)}.js exports no '${exportName}' (function ${id}).`);
          return (fn as (e: unknown, c: unknown) => unknown)(event, context);
        },
      };
      lambdas[resolver.functionArn(id)] = lambda;
      for (const [aliasId, a] of Object.entries(resources)) {
        if (a.Type === 'AWS::Lambda::Alias' && resolver.refersTo(a.Properties?.FunctionName as Json, id)) {
          lambdas[resolver.resolve({ Ref: aliasId }) as string] = lambda;
        }
      }
    }
    return new LocalWorkflow({
      ...options,
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      lambdas,
      stateMachineArn: options.stateMachineArn ?? resolver.resolve({ Ref: machineId }) as string,
    });
  }

  /** The resolved definition. */
  readonly definition: Record<string, unknown>;
  readonly stateMachineArn: string;
  private readonly savedEnv = new Map<string, string | undefined>();
  private executions = 0;

  constructor(private readonly options: LocalWorkflowOptions) {
    this.definition = normaliseResultPaths((typeof options.definition === 'string' ? JSON.parse(options.definition) : JSON.parse(JSON.stringify(options.definition))) as Record<string, unknown>);
    this.stateMachineArn = options.stateMachineArn ?? 'arn:aws:states:us-east-1:123456789012:stateMachine:local';
    for (const [k, v] of Object.entries(options.environment ?? {})) {
      this.savedEnv.set(k, process.env[k]);
      process.env[k] = v;
    }
  }

  /** Runs one execution to its end. */
  async run(input: unknown, runOptions: { executionName?: string } = {}): Promise<LocalExecution> {
    // Loaded lazily: the interpreter is a test-kit dependency that handlers never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StateMachine } = require('aws-local-stepfunctions') as { StateMachine: InterpreterConstructor };
    const name = runOptions.executionName ?? `local-${process.pid}-${++this.executions}-${Date.now()}`;
    const executionArn = this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const overrides: Record<string, (i: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of allTaskStates(this.definition)) overrides[stateName] = this.taskOverride(stateName, state);
    const machine = new StateMachine(this.definition, { validationOptions: { checkArn: false, checkPaths: false } });
    const startedAt = Date.now();
    const execution = machine.run(input, {
      overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides: this.options.retryIntervalOverrides },
      context: {
        Execution: { Id: executionArn, Name: name, Input: input, StartTime: new Date(startedAt).toISOString(), RoleArn: 'arn:aws:iam::123456789012:role/local' },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(':').pop() },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    const records = new Map<string, { name: string; type: string; enteredAt: number; exitedAt?: number; status: LocalStateRecord['status']; attempts: number; errors: string[] }>();
    let failure: { error?: string; cause?: string } = {};
    const collecting = (async () => {
      for await (const event of execution.eventLogs) {
        const e = event as { type: string; timestamp: number; state?: { name: string; type: string }; Error?: string; Cause?: unknown };
        if (e.type === 'ExecutionFailed') failure = { error: e.Error, cause: typeof e.Cause === 'string' ? e.Cause : JSON.stringify(e.Cause) };
        if (!e.state) continue;
        const rec = records.get(e.state.name);
        if (e.type === 'StateEntered') {
          if (!rec) records.set(e.state.name, { name: e.state.name, type: e.state.type, enteredAt: e.timestamp, status: 'RUNNING', attempts: 1, errors: [] });
        } else if (rec) {
          if (e.type === 'StateExited') { rec.exitedAt = e.timestamp; if (rec.status !== 'CAUGHT') rec.status = 'SUCCEEDED'; }
          if (e.type === 'StateFailed') { rec.errors.push(e.Error ?? 'Error'); rec.exitedAt = e.timestamp; rec.status = 'FAILED'; }
          if (e.type === 'StateRetried') { rec.attempts++; rec.status = 'RUNNING'; }
          if (e.type === 'StateCaught') { rec.status = 'CAUGHT'; }
        }
      }
    })();
    let status: LocalExecution['status'] = 'SUCCEEDED';
    let output: unknown;
    try {
      output = await execution.result;
    } catch (err) {
      const n = (err as Error)?.name;
      status = n === 'ExecutionTimeoutError' ? 'TIMED_OUT' : n === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
    }
    await collecting.catch(() => undefined);
    const durationMs = Date.now() - startedAt;
    const states = [...records.values()].map((r) => ({
      name: r.name, type: r.type, enteredAtMs: r.enteredAt - startedAt,
      exitedAtMs: r.exitedAt === undefined ? undefined : r.exitedAt - startedAt,
      durationMs: r.exitedAt === undefined ? undefined : r.exitedAt - r.enteredAt,
      status: r.status, attempts: r.attempts, errors: r.errors,
    }));
    return status === 'SUCCEEDED'
      ? { executionArn, status, output, startedAt, durationMs, states }
      : { executionArn, status, ...failure, startedAt, durationMs, states };
  }

  /**
   * Invokes one of the workflow's functions directly, outside any execution: e.g. the handler an EventBridge rule
   * targets. `functionName` is the function's logical id (from a template) or an ARN the definition names.
   */
  async invokeFunction(functionName: string, event: unknown): Promise<unknown> {
    const arn = Object.entries(this.options.lambdas ?? {}).find(([a, l]) => l.name === functionName || a === functionName)?.[0];
    if (!arn) throw new Error(`LocalWorkflow: no function '${functionName}' (known: ${[...new Set(Object.values(this.options.lambdas ?? {}).map((l) => l.name))].join(', ')}).`);
    return this.invoke(arn, event, '(direct invocation)');
  }

  /** Restores the environment variables set for the runs. */
  close(): void {
    for (const [k, v] of this.savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.savedEnv.clear();
  }

  private taskOverride(stateName: string, state: Record<string, unknown>): (input: unknown) => Promise<unknown> {
    const custom = this.options.taskHandlers?.[stateName];
    if (custom) return async (input) => custom(input);
    const resource = String(state.Resource ?? '');
    if (resource === CALLBACK_LAMBDA) return (input) => this.callbackTask(stateName, state, input as { FunctionName: string; Payload: unknown });
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const out = await this.invoke(FunctionName, Payload, stateName);
        return { ExecutedVersion: '$LATEST', Payload: out, StatusCode: 200 };
      };
    }
    if (resource.startsWith('arn:aws:lambda:') || resource.startsWith('arn:aws-')) return (input) => this.invoke(resource, input, stateName);
    return async () => {
      throw Object.assign(new Error(`LocalWorkflow: no local handler for state '${stateName}' (resource ${resource}); pass taskHandlers['${stateName}'].`), { name: 'States.Runtime' });
    };
  }

  private async callbackTask(stateName: string, state: Record<string, unknown>, input: { FunctionName: string; Payload: unknown }): Promise<unknown> {
    const sfn = this.options.stepFunctions;
    if (!sfn) throw Object.assign(new Error(`LocalWorkflow: state '${stateName}' waits for a task token; pass a stepFunctions stand-in.`), { name: 'States.Runtime' });
    const task = sfn.createTask();
    const payload = JSON.parse(JSON.stringify(input.Payload ?? {}).split(TOKEN_PLACEHOLDER).join(task.taskToken));
    // The task's own Lambda runs first (it stores the token); its errors fail the task like an invoke error.
    await this.invoke(input.FunctionName, payload, stateName);
    const timeoutMs = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds * 1000 : undefined;
    const heartbeatMs = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds * 1000 : undefined;
    const timers: NodeJS.Timeout[] = [];
    const expired = new Promise<TaskTokenResult>((_, reject) => {
      const fail = (name: string) => () => { task.expire(); reject(Object.assign(new Error(name), { name })); };
      if (timeoutMs !== undefined) timers.push(setTimeout(fail('States.Timeout'), timeoutMs));
      if (heartbeatMs !== undefined) {
        let beat = setTimeout(fail('States.HeartbeatTimeout'), heartbeatMs);
        timers.push(beat);
        task.onHeartbeat(() => { clearTimeout(beat); beat = setTimeout(fail('States.HeartbeatTimeout'), heartbeatMs); timers.push(beat); });
      }
    });
    try {
      const result = await Promise.race([task.result, expired]);
      if (result.status === 'SUCCEEDED') return result.output;
      throw Object.assign(new Error(result.cause ?? result.error ?? 'Task failed'), { name: result.error ?? 'States.TaskFailed' });
    } finally {
      for (const t of timers) clearTimeout(t);
    }
  }

  private async invoke(arn: string, event: unknown, stateName: string): Promise<unknown> {
    const lambda = this.options.lambdas?.[arn] ?? this.options.lambdas?.[arn.split(':').slice(0, 7).join(':')];
    if (!lambda) throw Object.assign(new Error(`LocalWorkflow: state '${stateName}' invokes ${arn}, which has no local function.`), { name: 'States.Runtime' });
    const context = { functionName: lambda.name ?? arn, invokedFunctionArn: arn, awsRequestId: `${Date.now()}`, getRemainingTimeInMillis: () => 30_000 };
    // Like Lambda: the event and the result cross a JSON boundary.
    const copy = JSON.parse(JSON.stringify(event ?? null));
    const result = await withEnvironment(lambda.environment, () => lambda.handler(copy, context));
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }
}

/** Sets `env` for the synchronous start of `fn` (where handlers read their configuration), then restores it. */
/** The staged asset directories of a function's layers (`Layers: [{ Ref: <LayerVersion> }]`), in order. */
function layerDirectories(resources: Record<string, CfnResource>, fn: CfnResource, assemblyDirectory: string): string[] {
  const layers = Array.isArray(fn.Properties?.Layers) ? fn.Properties!.Layers as Array<{ Ref?: string }> : [];
  return layers.flatMap((l) => {
    const key = (resources[l?.Ref ?? '']?.Properties?.Content as { S3Key?: unknown } | undefined)?.S3Key;
    return typeof key === 'string' ? [join(assemblyDirectory, `asset.${key.replace(/\.zip$/, '')}`)] : [];
  });
}

/** Lambda extracts layers under /opt: an environment value naming a file there points at the staged layer instead. */
function onLocalDisk(env: Record<string, string>, layerDirs: string[]): Record<string, string> {
  if (layerDirs.length === 0) return env;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => {
    if (typeof v !== 'string' || !v.startsWith('/opt/')) return [k, v];
    const found = layerDirs.map((d) => join(d, v.slice('/opt/'.length))).find((f) => existsSync(f));
    return [k, found ?? v];
  }));
}

function withEnvironment<T>(env: Readonly<Record<string, string>> | undefined, fn: () => T): T {
  if (!env) return fn();
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Bundles leave the AWS SDK to the Lambda runtime, and some load it with a dynamic `import()`, which resolves by
 * walking up from the file (module.paths do not apply): a `node_modules` link in the assembly directory (a temporary
 * directory of the synthesis) makes those imports find the project's packages.
 */
function linkNodeModules(assemblyDirectory: string, from: string): void {
  const target = join(from, 'node_modules');
  const link = join(assemblyDirectory, 'node_modules');
  if (existsSync(link) || !existsSync(target)) return;
  try {
    symlinkSync(target, link, 'dir');
  } catch {
    // A read-only assembly: CommonJS requires still resolve through module.paths.
  }
}

/** Compiles a CommonJS bundle as a fresh module whose bare imports also resolve from `extraPaths`. */
const ModuleCtor = (nodeModule as unknown as { Module: {
  new (id: string, parent?: unknown): { filename: string; paths: string[]; exports: Record<string, unknown>; _compile(code: string, file: string): void };
  _nodeModulePaths(p: string): string[];
}; }).Module;

function loadModule(file: string, extraPaths: string[]): Record<string, unknown> {
  const mod = new ModuleCtor(file);
  mod.filename = file;
  mod.paths = [...ModuleCtor._nodeModulePaths(dirname(file)), ...extraPaths];
  mod._compile(readFileSync(file, 'utf8'), file);
  return mod.exports;
}

/**
 * aws-local-stepfunctions 3.0 treats `"ResultPath": "$"` as a field named `$` instead of "replace the input"; the
 * ASL default (no ResultPath) means the same thing, so the field is dropped.
 */
function normaliseResultPaths(definition: Record<string, unknown>): Record<string, unknown> {
  const visit = (def: Record<string, unknown>) => {
    for (const s of Object.values((def.States ?? {}) as Record<string, Record<string, unknown>>)) {
      if (s.ResultPath === '$') delete s.ResultPath;
      for (const c of (s.Catch ?? []) as Record<string, unknown>[]) if (c.ResultPath === '$') delete c.ResultPath;
      for (const b of (s.Branches ?? []) as Record<string, unknown>[]) visit(b);
      if (s.Iterator) visit(s.Iterator as Record<string, unknown>);
      if (s.ItemProcessor) visit(s.ItemProcessor as Record<string, unknown>);
    }
  };
  visit(definition);
  return definition;
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

function allTaskStates(definition: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  const visit = (def: Record<string, unknown>) => {
    for (const [name, s] of Object.entries((def.States ?? {}) as Record<string, Record<string, unknown>>)) {
      if (s.Type === 'Task') out.push([name, s]);
      for (const b of (s.Branches ?? []) as Record<string, unknown>[]) visit(b);
      if (s.Iterator) visit(s.Iterator as Record<string, unknown>);
      if (s.ItemProcessor) visit(s.ItemProcessor as Record<string, unknown>);
    }
  };
  visit(definition);
  return out;
}

/** The part of aws-local-stepfunctions' API used here. */
type InterpreterConstructor = new (definition: unknown, options?: unknown) => {
  run(input: unknown, options?: unknown): { result: Promise<unknown>; eventLogs: AsyncIterable<unknown>; abort(): void };
};

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * A value of a synthesized template with its CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Select,
 * Fn::Split, Fn::Sub) resolved as LocalWorkflow resolves them, with local physical names.
 */
export function resolveTemplateValue(
  resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>,
  value: unknown,
  options: Pick<FromTemplateOptions, 'physicalNames' | 'region' | 'account'> = {},
): unknown {
  return new CfnResolver(resources as Record<string, CfnResource>, { assemblyDirectory: '', ...options }).resolve(value as Json);
}

/** Resolves the CloudFormation intrinsics CDK emits in definitions and environments, with local physical names. */
class CfnResolver {
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly resources: Record<string, CfnResource>, private readonly options: FromTemplateOptions) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
  }

  functionArn(logicalId: string): string {
    const name = this.resolve((this.resources[logicalId]?.Properties?.FunctionName as Json) ?? this.physicalName(logicalId));
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  refersTo(value: Json | undefined, logicalId: string): boolean {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
    const v = value as Record<string, Json>;
    return v.Ref === logicalId || (Array.isArray(v['Fn::GetAtt']) && v['Fn::GetAtt'][0] === logicalId);
  }

  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = value[k];
      switch (k) {
        case 'Ref': return this.ref(String(arg));
        case 'Fn::GetAtt': return this.getAtt(...(arg as [string, string]));
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Json[]];
          return (this.resolve(parts) as Json[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [i, list] = arg as [number, Json];
          return (this.resolve(list) as Json[])[Number(i)];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, Json];
          return String(this.resolve(s)).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = (typeof arg === 'string' ? [arg, {}] : arg) as [string, Record<string, Json>];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => String(
            name in vars ? this.resolve(vars[name]) : name.includes('.') ? this.getAtt(...(name.split('.') as [string, string])) : this.ref(name),
          ));
        }
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private physicalName(logicalId: string): string {
    return this.options.physicalNames?.[logicalId] ?? logicalId;
  }

  private ref(id: string): Json {
    switch (id) {
      case 'AWS::Partition': return 'aws';
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.account;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'local';
      case 'AWS::NoValue': return null;
    }
    const r = this.resources[id];
    if (!r) return this.physicalName(id); // a parameter or an unknown reference: its local name
    switch (r.Type) {
      case 'AWS::Lambda::Function': return this.resolve((r.Properties?.FunctionName as Json) ?? this.physicalName(id));
      case 'AWS::Lambda::Alias': {
        const fn = r.Properties?.FunctionName as Json;
        const fnName = typeof fn === 'object' && fn && !Array.isArray(fn) && 'Ref' in fn ? this.ref(String(fn.Ref)) : this.resolve(fn);
        return `arn:aws:lambda:${this.region}:${this.account}:function:${fnName}:${this.resolve(r.Properties?.Name as Json)}`;
      }
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${this.region}:${this.account}:stateMachine:${this.resolve((r.Properties?.StateMachineName as Json) ?? this.physicalName(id))}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${this.physicalName(id)}`;
      case 'AWS::SQS::Queue': {
        const name = this.physicalName(id);
        return /^https?:\/\//.test(name) ? name : `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
      }
      default: return this.physicalName(id);
    }
  }

  private getAtt(id: string, attribute: string): Json {
    const r = this.resources[id];
    const name = String(this.ref(id));
    if (attribute !== 'Arn') return `${name}.${attribute}`;
    switch (r?.Type) {
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
      case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${this.region}:${this.account}:table/${name}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${this.region}:${this.account}:${this.physicalName(id).split('/').pop()}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${this.account}:role/${name}`;
      default: return name.startsWith('arn:') ? name : `arn:aws:local:${this.region}:${this.account}:${name}`;
    }
  }
}
