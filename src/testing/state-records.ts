// Turns aws-local-stepfunctions' event log of one execution into one record per state (entry, exit, attempts,
// errors) and the execution's failure, if any.
import type { LocalStateRecord } from './local-workflow';

/** What the event log says about an execution once it has ended. */
export interface CollectedStates {
  readonly states: LocalStateRecord[];
  readonly failure: { readonly error?: string; readonly cause?: string };
}

interface MutableRecord { name: string; type: string; enteredAt: number; exitedAt?: number; status: LocalStateRecord['status']; attempts: number; errors: string[] }

/** Reads the event log to its end; times in the records are relative to `startedAt` (ms since epoch). */
export async function collectStateRecords(eventLogs: AsyncIterable<unknown>, startedAt: number): Promise<CollectedStates> {
  const records = new Map<string, MutableRecord>();
  let failure: CollectedStates['failure'] = {};
  try {
    for await (const event of eventLogs) {
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
  } catch {
    // The log ends with the execution; an aborted log keeps what was recorded.
  }
  const states = [...records.values()].map((r) => ({
    name: r.name, type: r.type, enteredAtMs: r.enteredAt - startedAt,
    exitedAtMs: r.exitedAt === undefined ? undefined : r.exitedAt - startedAt,
    durationMs: r.exitedAt === undefined ? undefined : r.exitedAt - r.enteredAt,
    status: r.status, attempts: r.attempts, errors: r.errors,
  }));
  return { states, failure };
}
