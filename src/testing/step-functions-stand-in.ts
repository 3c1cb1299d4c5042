// A local Step Functions stand-in for the callback API (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) over the
// AWS JSON 1.0 protocol, so handlers that resume a `.waitForTaskToken` task run unchanged against the real SFNClient;
// it also lists recorded executions and serves their histories (ListExecutions, GetExecutionHistory).
import type { RecordedExecution } from './execution-history';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal, parseJsonObject, readRequestText, sendAwsError, type LocalEndpoint } from './local-server';

/** How a waiting task ended. */
export type TaskTokenResult =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown }
  | { readonly status: 'FAILED'; readonly error?: string; readonly cause?: string };

/** A task waiting for its token. */
export interface PendingTask {
  readonly taskToken: string;
  /** Settles when SendTaskSuccess or SendTaskFailure arrives for the token. */
  readonly result: Promise<TaskTokenResult>;
  /** Heartbeats received so far. */
  readonly heartbeats: number;
  /** Called on each SendTaskHeartbeat. */
  onHeartbeat(listener: () => void): void;
  /** Ends the wait as Step Functions does on a timeout: later calls with the token get `TaskTimedOut`. */
  expire(): void;
}

/** A running stand-in. */
export interface StepFunctionsStandIn extends LocalEndpoint {
  /** Makes a token that `SendTask*` calls can complete. */
  createTask(): PendingTask;
  /** Every callback call received: operation and whether it was accepted. */
  readonly calls: ReadonlyArray<{ readonly operation: string; readonly accepted: boolean }>;
  /** Records an execution for ListExecutions and GetExecutionHistory (e.g. `recordedExecution(arn, localExecution)`). */
  recordExecution(execution: RecordedExecution): void;
}

interface TaskState {
  settled: boolean;
  expired: boolean;
  heartbeats: number;
  listeners: Array<() => void>;
  resolve: (r: TaskTokenResult) => void;
}

/**
 * Starts a Step Functions stand-in on 127.0.0.1 for the task-token callback API. Tokens come from `createTask()`;
 * unknown tokens get `InvalidToken`, finished ones `TaskTimedOut` (as the service answers for a closed task).
 * With `onStartExecution`, StartExecution is served too. Every other operation gets `UnknownOperationException`. Point the real `SFNClient` at `endpoint` (or set
 * `AWS_ENDPOINT_URL_SFN` for code that builds its own client).
 *
 * @example
 * import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
 * import { LOCAL_CREDENTIALS, startStepFunctionsStandIn } from 'cdk-fast-lex/testing';
 *
 * const sfnLocal = await startStepFunctionsStandIn();
 * const task = sfnLocal.createTask();
 * const sfn = new SFNClient({ endpoint: sfnLocal.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
 * await sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"ok":true}' }));
 * console.log(await task.result); // { status: 'SUCCEEDED', output: { ok: true } }
 * await sfnLocal.stop();
 */
/** A StartExecution request the stand-in received. */
export interface StartExecutionRequest {
  readonly stateMachineArn: string;
  readonly name: string;
  /** The parsed JSON input. */
  readonly input: unknown;
  /** The ARN the stand-in answers with. */
  readonly executionArn: string;
}

export interface StepFunctionsStandInOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /**
   * Serves StartExecution: called with each accepted request after the answer is sent, as the service starts an
   * execution asynchronously (e.g. run it with `LocalWorkflow`). A repeated name with the same input is answered
   * with the first execution, as Standard workflows do; with other input, `ExecutionAlreadyExists`.
   * @default - StartExecution is answered with `UnknownOperationException`
   */
  readonly onStartExecution?: (request: StartExecutionRequest) => void;
}

export async function startStepFunctionsStandIn(options: StepFunctionsStandInOptions = {}): Promise<StepFunctionsStandIn> {
  const executions = new Map<string, { input: string; executionArn: string; startDate: number }>();
  const tasks = new Map<string, TaskState>();
  const calls: Array<{ operation: string; accepted: boolean }> = [];
  const recorded: RecordedExecution[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, 500, 'InternalFailure', String(err)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRequestText(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    if (req.method === 'POST' && operation === 'StartExecution' && options.onStartExecution) {
      startExecution(raw, res, options.onStartExecution);
      return;
    }
    if (req.method === 'POST' && (operation === 'ListExecutions' || operation === 'GetExecutionHistory')) {
      calls.push({ operation, accepted: true });
      const answer = operation === 'ListExecutions' ? listExecutions(recorded, parseJsonObject(raw) ?? {}) : executionHistory(recorded, parseJsonObject(raw) ?? {});
      if (typeof answer.error === 'string') return sendError(res, 400, answer.error, String(answer.message));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify(answer));
      return;
    }
    if (req.method !== 'POST' || !['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'].includes(operation)) {
      calls.push({ operation: operation || target, accepted: false });
      sendError(res, 400, 'UnknownOperationException', `The stand-in serves only the task-token callbacks, not '${target}'.`);
      return;
    }
    const body = parseJsonObject(raw);
    if (!body) {
      sendError(res, 400, 'SerializationException', 'The request body is not valid JSON.');
      return;
    }
    const token = typeof body.taskToken === 'string' ? body.taskToken : '';
    const task = tasks.get(token);
    const reject = (type: string, message: string) => {
      calls.push({ operation, accepted: false });
      sendError(res, 400, type, message);
    };
    if (!task) return reject('InvalidToken', 'Invalid Token.');
    if (task.settled || task.expired) return reject('TaskTimedOut', 'Task Timed Out.');
    if (operation === 'SendTaskHeartbeat') {
      task.heartbeats++;
      for (const l of task.listeners) l();
    } else if (operation === 'SendTaskSuccess') {
      let output: unknown;
      try {
        output = JSON.parse(String(body.output));
      } catch {
        return reject('InvalidOutput', 'Invalid Output: the output is not valid JSON.');
      }
      task.settled = true;
      task.resolve({ status: 'SUCCEEDED', output });
    } else {
      task.settled = true;
      task.resolve({ status: 'FAILED', error: body.error as string | undefined, cause: body.cause as string | undefined });
    }
    calls.push({ operation, accepted: true });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() });
    res.end('{}');
  }

  function startExecution(raw: string, res: ServerResponse, onStart: (request: StartExecutionRequest) => void): void {
    let body: Record<string, unknown>;
    let input: unknown;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
      input = JSON.parse(typeof body.input === 'string' ? body.input : '{}');
    } catch {
      calls.push({ operation: 'StartExecution', accepted: false });
      sendError(res, 400, 'InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not valid JSON.');
      return;
    }
    const stateMachineArn = String(body.stateMachineArn ?? '');
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(stateMachineArn)) {
      calls.push({ operation: 'StartExecution', accepted: false });
      sendError(res, 400, 'InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
      return;
    }
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : randomUUID();
    const key = `${stateMachineArn}\u0000${name}`;
    const inputText = JSON.stringify(input);
    const previous = executions.get(key);
    if (previous && previous.input !== inputText) {
      calls.push({ operation: 'StartExecution', accepted: false });
      sendError(res, 400, 'ExecutionAlreadyExists', `Execution Already Exists: '${previous.executionArn}'`);
      return;
    }
    const executionArn = previous?.executionArn ?? stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const startDate = previous?.startDate ?? Date.now() / 1000;
    calls.push({ operation: 'StartExecution', accepted: true });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() });
    res.end(JSON.stringify({ executionArn, startDate }));
    if (!previous) {
      executions.set(key, { input: inputText, executionArn, startDate });
      onStart({ stateMachineArn, name, input, executionArn });
    }
  }

  const endpoint = await listenLocal(server, options.port ?? 0);
  return {
    ...endpoint,
    calls,
    recordExecution: (execution) => { recorded.push(execution); },
    createTask: () => {
      // Real tokens are long opaque strings; this one is too, so length limits in handlers are exercised.
      const taskToken = `AQ${randomBytes(96).toString('base64url')}`;
      let resolve!: (r: TaskTokenResult) => void;
      const result = new Promise<TaskTokenResult>((r) => { resolve = r; });
      const state: TaskState = { settled: false, expired: false, heartbeats: 0, listeners: [], resolve };
      tasks.set(taskToken, state);
      return {
        taskToken,
        result,
        get heartbeats() { return state.heartbeats; },
        onHeartbeat: (l) => { state.listeners.push(l); },
        expire: () => { state.expired = true; },
      };
    },
  };
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendAwsError(res, status, { protocol: 'json-1.0', type, message, qualifiedType: `com.amazonaws.sfn#${type}` });
}

type Answer = { error: string; message: string } | { error?: undefined; [key: string]: unknown };

/** A page of `items` from `nextToken` (the index, as the stand-in issues it); maxResults 1-1000, default 100. */
function page<T>(items: readonly T[], body: Record<string, unknown>): { items: T[]; nextToken?: string } | { error: string; message: string } {
  const max = body.maxResults === undefined || body.maxResults === 0 ? 100 : Number(body.maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000) return { error: 'ValidationException', message: 'maxResults must be between 0 and 1000' };
  const from = body.nextToken === undefined ? 0 : Number(body.nextToken);
  if (!Number.isInteger(from) || from < 0 || from > items.length) return { error: 'InvalidToken', message: 'Invalid Token.' };
  const slice = items.slice(from, from + max);
  return from + max < items.length ? { items: slice, nextToken: String(from + max) } : { items: slice };
}

/** ListExecutions: the state machine's executions, most recent first (API Reference, "ListExecutions"). */
function listExecutions(recorded: readonly RecordedExecution[], body: Record<string, unknown>): Answer {
  const mine = recorded.filter((e) => e.stateMachineArn === body.stateMachineArn && (body.statusFilter === undefined || e.status === body.statusFilter))
    .sort((a, b) => b.startDate - a.startDate);
  const p = page(mine, body);
  if ('error' in p) return p;
  return {
    executions: p.items.map((e) => ({
      executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status,
      startDate: e.startDate / 1000, ...(e.stopDate === undefined ? {} : { stopDate: e.stopDate / 1000 }),
    })),
    ...(p.nextToken ? { nextToken: p.nextToken } : {}),
  };
}

/** GetExecutionHistory: the events in order, or newest first with reverseOrder (API Reference, "GetExecutionHistory"). */
function executionHistory(recorded: readonly RecordedExecution[], body: Record<string, unknown>): Answer {
  const execution = recorded.find((e) => e.executionArn === body.executionArn);
  if (!execution) return { error: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${String(body.executionArn)}'` };
  const events = body.reverseOrder === true ? [...execution.events].reverse() : execution.events;
  const withData = body.includeExecutionData !== false;
  const p = page(events.map((e) => (withData || !e.stateExitedEventDetails?.output ? e
    : { ...e, stateExitedEventDetails: { name: e.stateExitedEventDetails.name } })), body);
  if ('error' in p) return p;
  return { events: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
}
