// Reads the workflow handlers' configuration from environment variables. Each handler wires its own clients (see
// src/handlers/demo-*.ts) so that a bundle carries only the SDKs its step uses (jsforce alone is about 1.5 MB).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEFAULT_CALL_CONTEXT_TTL_SECONDS } from '../../shared/call-context-schema';
import { FAST_LEX_ENV } from '../../shared/env';
import { DEFAULT_CALL_BURST, STEP_CLIENT_TIMEOUTS } from '../../shared/fault-tolerance';
import { numberEnv, optionalEnv, requiredEnv, type Environment } from '../env';
import { CallContextStore } from './call-context';
import { CallPacer } from './call-pacer';
import { SpentRequestStore } from './spent-requests';

/**
 * The DynamoDB client of the workflow steps: every attempt bounded (`STEP_CLIENT_TIMEOUTS`), three attempts, then the
 * step fails with `DependencyUnavailableError` and Step Functions retries it with backoff. One per process.
 */
let stepDynamoDb: DynamoDBClient | undefined;
export function stepDynamoDbClient(): DynamoDBClient {
  return (stepDynamoDb ??= new DynamoDBClient({ maxAttempts: 3, requestHandler: { ...STEP_CLIENT_TIMEOUTS } }));
}

/** The call pacer the environment configures (`FAST_LEX_CALL_RATE_PER_SECOND`), or undefined when calls are not paced. */
export function callPacerFromEnvironment(env: Environment = process.env): CallPacer | undefined {
  if (optionalEnv(env, FAST_LEX_ENV.callRatePerSecond) === undefined) return undefined;
  return new CallPacer({
    tableName: requiredEnv(env, FAST_LEX_ENV.callContextTable, 'the call-context table name'),
    client: stepDynamoDbClient(),
    perSecond: numberEnv(env, FAST_LEX_ENV.callRatePerSecond, { fallback: 2, min: 0.01 }),
    burst: numberEnv(env, FAST_LEX_ENV.callBurst, { fallback: DEFAULT_CALL_BURST, min: 1, integer: true }),
  });
}

/** Where the failure path keeps spent requests: the call-context table, when the function has it. */
export function spentRequestStoreFromEnvironment(env: Environment = process.env): SpentRequestStore | undefined {
  const tableName = optionalEnv(env, FAST_LEX_ENV.callContextTable);
  return tableName ? new SpentRequestStore({ tableName, client: stepDynamoDbClient() }) : undefined;
}

/** The call-context store the environment names. */
export function callContextStoreFromEnvironment(env: Environment = process.env): CallContextStore {
  return new CallContextStore({
    client: stepDynamoDbClient(),
    tableName: requiredEnv(env, FAST_LEX_ENV.callContextTable, 'the call-context table name'),
    ttlSeconds: numberEnv(env, FAST_LEX_ENV.callContextTtlSeconds, { fallback: DEFAULT_CALL_CONTEXT_TTL_SECONDS, min: 1, integer: true }),
  });
}

/** STANDARD (resume the waiting execution) or EXPRESS (update the lead from the event). */
export function workflowModeFromEnvironment(env: Environment = process.env): 'STANDARD' | 'EXPRESS' {
  return env[FAST_LEX_ENV.workflowMode] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
}
