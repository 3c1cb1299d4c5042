// Reads the workflow handlers' configuration from environment variables. Each handler wires its own clients (see
// src/handlers/demo-*.ts) so that a bundle carries only the SDKs its step uses (jsforce alone is about 1.5 MB).
import { CallContextStore } from './call-context';
import { WorkflowConfigurationError } from './errors';
import { DEFAULT_CALL_CONTEXT_TTL_SECONDS, WORKFLOW_ENV } from './schema';

/** Environment variables as a plain record (process.env in a Lambda). */
export type WorkflowEnvironment = Readonly<Record<string, string | undefined>>;

/** A required variable, or `WorkflowConfigurationError` naming it. */
export function requiredEnv(env: WorkflowEnvironment, name: string, what: string): string {
  const v = env[name];
  if (!v) throw new WorkflowConfigurationError(name, `is not set (${what})`);
  return v;
}

/** A positive whole number, or the fallback when unset. */
export function positiveIntEnv(env: WorkflowEnvironment, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new WorkflowConfigurationError(name, `must be a positive whole number, got '${raw}'`);
  return n;
}

/** The call-context store the environment names. */
export function callContextStoreFromEnvironment(env: WorkflowEnvironment = process.env): CallContextStore {
  return new CallContextStore({
    tableName: requiredEnv(env, WORKFLOW_ENV.callContextTable, 'the call-context table name'),
    ttlSeconds: positiveIntEnv(env, WORKFLOW_ENV.callContextTtlSeconds, DEFAULT_CALL_CONTEXT_TTL_SECONDS),
  });
}

/** STANDARD (resume the waiting execution) or EXPRESS (update the lead from the event). */
export function workflowModeFromEnvironment(env: WorkflowEnvironment = process.env): 'STANDARD' | 'EXPRESS' {
  return env[WORKFLOW_ENV.workflowMode] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
}
