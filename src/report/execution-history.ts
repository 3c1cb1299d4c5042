// Request -> call placed, measured where the workflow is deployed: from each execution's Step Functions history (the
// ExecutionStarted event to the exit of the state that places the call) and, where the execution data holds the
// contact id, from Amazon Connect's own record of the contact (DescribeContact's InitiationTimestamp).
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ConnectClient } from '@aws-sdk/client-connect';
import { leafSteps } from './critical-path';
import { MeasuredPath, MeasuredStep, MeasuredStepName } from './measured';
import type { LatencyReport } from './report';

/** Step names of the figures read from execution histories (the p50 is the path's `Critical path`). */
export const HISTORY_STEPS = {
  p99: 'Critical path p99 (execution history)',
  connectP50: 'Critical path p50 (Connect contact initiated)',
  connectP99: 'Critical path p99 (Connect contact initiated)',
} as const;

/** Options of `callPlacedFromHistory`. */
export interface ExecutionHistoryReadOptions {
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly stateMachineArn: string;
  /** The state that places the call (the report's critical path ends there). */
  readonly stepName: string;
  readonly start: Date;
  readonly end: Date;
  /** Most executions read (the newest in the window). @default 200 */
  readonly maxExecutions?: number;
  /** With the instance id, each placed contact is looked up with DescribeContact. @default - not looked up */
  readonly connect?: { readonly client: Pick<ConnectClient, 'send'>; readonly instanceId: string };
}

/** The figures of one state machine. */
export interface CallPlacedFigures {
  /** ms from ExecutionStarted to the call step's exit, one per execution that placed a call. */
  readonly historyMs: number[];
  /** ms from ExecutionStarted to the contact's InitiationTimestamp in Connect. */
  readonly connectMs: number[];
  /** Executions in the window that were read. */
  readonly executions: number;
}

/** Reads request -> call placed of the executions started in the window. */
export async function callPlacedFromHistory(o: ExecutionHistoryReadOptions): Promise<CallPlacedFigures> {
  const { ListExecutionsCommand, GetExecutionHistoryCommand } = await import('@aws-sdk/client-sfn');
  const max = o.maxExecutions ?? 200;
  const executions: Array<{ executionArn: string; startDate: Date }> = [];
  let token: string | undefined;
  // Newest first: stop at the first execution older than the window.
  listing: do {
    const out = await o.sfn.send(new ListExecutionsCommand({ stateMachineArn: o.stateMachineArn, maxResults: 100, nextToken: token }));
    for (const e of out.executions ?? []) {
      if (!e.startDate || !e.executionArn) continue;
      if (e.startDate < o.start) break listing;
      if (e.startDate <= o.end) executions.push({ executionArn: e.executionArn, startDate: e.startDate });
      if (executions.length >= max) break listing;
    }
    token = out.nextToken;
  } while (token);

  const historyMs: number[] = [];
  const connectMs: number[] = [];
  for (const e of executions) {
    let started: number | undefined;
    let placed: { at: number; output?: string } | undefined;
    let next: string | undefined;
    do {
      const out = await o.sfn.send(new GetExecutionHistoryCommand({
        executionArn: e.executionArn, maxResults: 1000, nextToken: next, includeExecutionData: o.connect !== undefined,
      }));
      for (const ev of out.events ?? []) {
        if (ev.type === 'ExecutionStarted' && ev.timestamp) started = ev.timestamp.getTime();
        if (!placed && ev.timestamp && ev.type?.endsWith('StateExited') && ev.stateExitedEventDetails?.name === o.stepName) {
          placed = { at: ev.timestamp.getTime(), output: ev.stateExitedEventDetails.output };
        }
      }
      next = out.nextToken;
    } while (next && !placed);
    if (started === undefined || !placed) continue; // the call was not placed (a refused request, a failure before)
    historyMs.push(placed.at - started);
    const contactId = contactIdOf(placed.output);
    if (o.connect && contactId) {
      const initiated = await contactInitiated(o.connect, contactId);
      if (initiated !== undefined) connectMs.push(initiated - started);
    }
  }
  return { historyMs, connectMs, executions: executions.length };
}

/** The measured steps of every state machine of the report that places a call, read from its executions. */
export async function measuredFromExecutionHistory(
  report: LatencyReport,
  o: Omit<ExecutionHistoryReadOptions, 'stateMachineArn' | 'stepName' | 'connect'> & {
    readonly physicalIds: ReadonlyMap<string, string>;
    readonly connect?: ExecutionHistoryReadOptions['connect'];
  },
): Promise<MeasuredPath[]> {
  const paths: MeasuredPath[] = [];
  for (const p of report.paths) {
    if (p.kind !== 'state-machine') continue;
    const call = leafSteps(p.current.segments).find((s) => s.placesCall);
    const arn = o.physicalIds.get(p.logicalId);
    if (!call || !arn) continue;
    const figures = await callPlacedFromHistory({ ...o, stateMachineArn: arn, stepName: call.name });
    const steps: MeasuredStep[] = [];
    if (figures.historyMs.length > 0) {
      steps.push({ name: MeasuredStepName.CRITICAL_PATH, ms: percentile(figures.historyMs, 50), samples: figures.historyMs.length });
      steps.push({ name: HISTORY_STEPS.p99, ms: percentile(figures.historyMs, 99), samples: figures.historyMs.length });
    }
    if (figures.connectMs.length > 0) {
      steps.push({ name: HISTORY_STEPS.connectP50, ms: percentile(figures.connectMs, 50), samples: figures.connectMs.length });
      steps.push({ name: HISTORY_STEPS.connectP99, ms: percentile(figures.connectMs, 99), samples: figures.connectMs.length });
    }
    if (steps.length > 0) paths.push({ kind: 'state-machine', logicalId: p.logicalId, steps });
  }
  return paths;
}

/** The nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function contactIdOf(output: string | undefined): string | undefined {
  if (!output) return undefined;
  try {
    const parsed = JSON.parse(output) as { contactId?: unknown };
    return typeof parsed?.contactId === 'string' ? parsed.contactId : undefined;
  } catch {
    return undefined;
  }
}

async function contactInitiated(connect: NonNullable<ExecutionHistoryReadOptions['connect']>, contactId: string): Promise<number | undefined> {
  const { DescribeContactCommand } = await import('@aws-sdk/client-connect');
  try {
    const out = await connect.client.send(new DescribeContactCommand({ InstanceId: connect.instanceId, ContactId: contactId }));
    return out.Contact?.InitiationTimestamp?.getTime();
  } catch {
    return undefined; // contacts older than Connect keeps, or not of this instance: the history figure stands alone
  }
}
