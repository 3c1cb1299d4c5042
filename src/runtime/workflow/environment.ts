// Reads the workflow handlers' configuration from environment variables. Each handler wires its own clients (see
// src/handlers/demo-*.ts) so that a bundle carries only the SDKs its step uses (jsforce alone is about 1.5 MB).
import { DEFAULT_CALL_CONTEXT_TTL_SECONDS } from '../../shared/call-context-schema';
import { FAST_LEX_ENV } from '../../shared/env';
import { numberEnv, requiredEnv, type Environment } from '../env';
import { CallContextStore } from './call-context';

/** The call-context store the environment names. */
export function callContextStoreFromEnvironment(env: Environment = process.env): CallContextStore {
  return new CallContextStore({
    tableName: requiredEnv(env, FAST_LEX_ENV.callContextTable, 'the call-context table name'),
    ttlSeconds: numberEnv(env, FAST_LEX_ENV.callContextTtlSeconds, { fallback: DEFAULT_CALL_CONTEXT_TTL_SECONDS, min: 1, integer: true }),
  });
}

/** STANDARD (resume the waiting execution) or EXPRESS (update the lead from the event). */
export function workflowModeFromEnvironment(env: Environment = process.env): 'STANDARD' | 'EXPRESS' {
  return env[FAST_LEX_ENV.workflowMode] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
}
