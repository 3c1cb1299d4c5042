// Step Functions execution histories in GetExecutionHistory's shapes, made from local executions: the Step Functions
// stand-in serves them, so code that reads a deployed workflow's history (the report's request -> call placed
// figures) runs offline against the real SFNClient.
import type { LocalExecution } from './local-workflow';

/** One HistoryEvent as GetExecutionHistory returns it (the fields the stand-in fills). */
export interface HistoryEvent {
  /** Epoch seconds (the AWS JSON protocol's timestamp form). */
  readonly timestamp: number;
  /** e.g. ExecutionStarted, TaskStateEntered, TaskStateExited, ExecutionSucceeded. */
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly stateEnteredEventDetails?: { readonly name: string };
  readonly stateExitedEventDetails?: { readonly name: string; readonly output?: string };
}

/** An execution the stand-in lists (ListExecutions) and whose history it serves (GetExecutionHistory). */
export interface RecordedExecution {
  readonly stateMachineArn: string;
  readonly executionArn: string;
  readonly name: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** Epoch ms. */
  readonly startDate: number;
  /** Epoch ms. @default - running */
  readonly stopDate?: number;
  readonly events: readonly HistoryEvent[];
}

/**
 * The history of a local execution: ExecutionStarted, each state's `<Type>StateEntered` and (when it succeeded)
 * `<Type>StateExited` at the times the interpreter recorded, and how the execution ended. `outputs` gives the output
 * of states by name (the stand-in's history has no execution data otherwise, as with `includeExecutionData: false`).
 */
export function recordedExecution(stateMachineArn: string, execution: LocalExecution, outputs: Readonly<Record<string, unknown>> = {}): RecordedExecution {
  const at = (ms: number) => (execution.startedAt + ms) / 1000;
  const raw: Array<Omit<HistoryEvent, 'id' | 'previousEventId'>> = [{ timestamp: at(0), type: 'ExecutionStarted' }];
  for (const s of execution.states) {
    raw.push({ timestamp: at(s.enteredAtMs), type: `${s.type}StateEntered`, stateEnteredEventDetails: { name: s.name } });
    if (s.exitedAtMs !== undefined && s.status === 'SUCCEEDED') {
      const output = outputs[s.name];
      raw.push({
        timestamp: at(s.exitedAtMs), type: `${s.type}StateExited`,
        stateExitedEventDetails: { name: s.name, ...(output === undefined ? {} : { output: JSON.stringify(output) }) },
      });
    }
  }
  const ended = execution.status === 'SUCCEEDED' ? 'ExecutionSucceeded' : execution.status === 'TIMED_OUT' ? 'ExecutionTimedOut'
    : execution.status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionFailed';
  raw.push({ timestamp: at(execution.durationMs), type: ended });
  // Stable by time: events of one millisecond keep the interpreter's order.
  const events = raw.map((e, i) => ({ e, i })).sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i)
    .map(({ e }, i) => ({ ...e, id: i + 1, previousEventId: i }));
  const name = execution.executionArn.split(':').pop()!;
  return {
    stateMachineArn, executionArn: execution.executionArn, name, status: execution.status,
    startDate: execution.startedAt, stopDate: execution.startedAt + execution.durationMs, events,
  };
}
