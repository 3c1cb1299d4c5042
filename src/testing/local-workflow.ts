// Runs a synthesized Step Functions state machine offline: the definition taken from the CloudFormation template,
// each Lambda task resolved to the function's deployed asset (the bundled handler) run in-process, interpreted by
// aws-local-stepfunctions; `.waitForTaskToken` tasks are driven through a local Step Functions callback stand-in.
import { CfnResolver, type CfnResource, type CfnResolverOptions, type Json } from './cfn-resolver';
import { invokeLocalLambda, setProcessEnvironment, templateLambdas, type LocalLambda } from './lambda-bundle';
import { collectStateRecords } from './state-records';
import type { StepFunctionsStandIn, TaskTokenResult } from './step-functions-stand-in';
import { visitStates } from './visit-states';

export type { LocalLambda } from './lambda-bundle';

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
export interface FromTemplateOptions extends CfnResolverOptions {
  /** The cloud assembly directory holding `asset.<hash>` directories (`app.synth().directory`). */
  readonly assemblyDirectory: string;
  /** Logical id of the state machine. @default - the only one in the template */
  readonly stateMachineLogicalId?: string;
  /** Extra or replacement environment variables per function logical id (e.g. a local secret id). */
  readonly functionEnvironment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the bundles' bare imports (`@aws-sdk/*`, provided by the Lambda runtime) resolve. @default process.cwd() */
  readonly nodeModulesFrom?: string;
}

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
    const lambdas = templateLambdas(resources, { ...options, owner: 'LocalWorkflow' }, resolver);
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
  private readonly restoreEnvironment: () => void;
  private executions = 0;

  constructor(private readonly options: LocalWorkflowOptions) {
    this.definition = normaliseResultPaths((typeof options.definition === 'string' ? JSON.parse(options.definition) : JSON.parse(JSON.stringify(options.definition))) as Record<string, unknown>);
    this.stateMachineArn = options.stateMachineArn ?? 'arn:aws:states:us-east-1:123456789012:stateMachine:local';
    this.restoreEnvironment = setProcessEnvironment(options.environment);
  }

  /** Runs one execution to its end. */
  async run(input: unknown, runOptions: { executionName?: string } = {}): Promise<LocalExecution> {
    // Loaded lazily: the interpreter is a test-kit dependency that handlers never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StateMachine } = require('aws-local-stepfunctions') as { StateMachine: InterpreterConstructor };
    const name = runOptions.executionName ?? `local-${process.pid}-${++this.executions}-${Date.now()}`;
    const executionArn = this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const overrides: Record<string, (i: unknown) => Promise<unknown>> = {};
    visitStates(this.definition, (stateName, state) => { if (state.Type === 'Task') overrides[stateName] = this.taskOverride(stateName, state); });
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
    const collecting = collectStateRecords(execution.eventLogs, startedAt);
    let status: LocalExecution['status'] = 'SUCCEEDED';
    let output: unknown;
    try {
      output = await execution.result;
    } catch (err) {
      const n = (err as Error)?.name;
      status = n === 'ExecutionTimeoutError' ? 'TIMED_OUT' : n === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
    }
    const { states, failure } = await collecting;
    const durationMs = Date.now() - startedAt;
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
    this.restoreEnvironment();
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
    return invokeLocalLambda(lambda, arn, event);
  }
}

/** The part of aws-local-stepfunctions' API used here. */
type InterpreterConstructor = new (definition: unknown, options?: unknown) => {
  run(input: unknown, options?: unknown): { result: Promise<unknown>; eventLogs: AsyncIterable<unknown>; abort(): void };
};

/**
 * aws-local-stepfunctions 3.0 treats `"ResultPath": "$"` as a field named `$` instead of "replace the input"; the
 * ASL default (no ResultPath) means the same thing, so the field is dropped.
 */
function normaliseResultPaths(definition: Record<string, unknown>): Record<string, unknown> {
  visitStates(definition, (_, s) => {
    if (s.ResultPath === '$') delete s.ResultPath;
    for (const c of (s.Catch ?? []) as Record<string, unknown>[]) if (c.ResultPath === '$') delete c.ResultPath;
  });
  return definition;
}
