// Reads the response cache's and the generator worker's configuration from the environment the constructs write
// (`FAST_LEX_ENV`), all of it first, then builds the clients.
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../shared/bedrock-defaults';
import { FAST_LEX_INTENTS_FILE_ENV } from '../../shared/config-file';
import { DEFAULT_GENERATIONS_PER_MINUTE, DEFAULT_GENERATIONS_PER_SESSION, DEFAULT_MAX_TOKENS } from '../../shared/defaults';
import { FAST_LEX_ENV } from '../../shared/env';
import { ConfigurationError } from '../../shared/errors';
import { TURN_CLIENT_CONFIG } from '../../shared/fault-tolerance';
import { ConverseGenerator, DEFAULT_GENERATION_TIMEOUT_MS } from '../bedrock/converse';
import { numberEnv, optionalEnv, requiredEnv, type Environment } from '../env';
import { DynamoResponseStore } from './dynamo-store';
import { SqsGenerationQueue } from './generation-request';
import type { GeneratorWorkerOptions } from './generator-worker';
import { parseIntentConfigs } from './intent-config';
import type { ResponseCacheOptions } from './response-cache';

/** Overrides for `ResponseCache.fromEnvironment` (clients pointed elsewhere, a shared L1, a fake clock). */
export type ResponseCacheEnvironmentOverrides = Partial<Omit<ResponseCacheOptions, 'store' | 'queue'>> & {
  readonly dynamoDb?: DynamoDBClient;
  readonly sqs?: SQSClient;
};

/** Overrides for `generatorWorkerFromEnvironment`. */
export type GeneratorWorkerEnvironmentOverrides = Partial<GeneratorWorkerOptions> & { readonly dynamoDb?: DynamoDBClient };

/** The Bedrock guardrail the environment names, if any; one of its two variables without the other is a mistake. */
export function guardrailFromEnvironment(env: Environment): { identifier: string; version: string } | undefined {
  const identifier = optionalEnv(env, FAST_LEX_ENV.guardrailId);
  const version = optionalEnv(env, FAST_LEX_ENV.guardrailVersion);
  if (!identifier && !version) return undefined;
  if (!identifier || !version) {
    throw new ConfigurationError(identifier ? FAST_LEX_ENV.guardrailVersion : FAST_LEX_ENV.guardrailId,
      `is missing: ${FAST_LEX_ENV.guardrailId} and ${FAST_LEX_ENV.guardrailVersion} go together`);
  }
  return { identifier, version };
}

/**
 * The intents configuration as JSON: from the file `FAST_LEX_INTENTS_FILE` names (the layer CachedLexFulfillment
 * writes, read once at init from local disk), else from `FAST_LEX_INTENTS`.
 */
export function intentsJson(env: Environment): string {
  const file = optionalEnv(env, FAST_LEX_INTENTS_FILE_ENV);
  if (file === undefined) return requiredEnv(env, FAST_LEX_ENV.intents, 'the intents configuration');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigurationError(FAST_LEX_INTENTS_FILE_ENV, `names '${file}', which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}

/** The `ResponseCache` options the environment describes; throws `ConfigurationError` naming a bad variable. */
export function responseCacheOptionsFromEnvironment(env: Environment, overrides: ResponseCacheEnvironmentOverrides = {}): ResponseCacheOptions {
  const tableName = requiredEnv(env, FAST_LEX_ENV.cacheTable, 'the response cache table');
  const queueUrl = requiredEnv(env, FAST_LEX_ENV.generationQueueUrl, 'the generation queue');
  const intents = overrides.intents ?? parseIntentConfigs(intentsJson(env));
  const syncDeadlineMs = overrides.syncDeadlineMs ?? numberEnv(env, FAST_LEX_ENV.syncDeadlineMs, { fallback: 0 });
  const needsGenerator = syncDeadlineMs > 0 || Object.values(intents).some((i) => (i.syncDeadlineMs ?? 0) > 0 || (i.voiceSyncDeadlineMs ?? 0) > 0);
  const generatorSettings = needsGenerator && !overrides.generator ? {
    modelId: optionalEnv(env, FAST_LEX_ENV.modelId) ?? DEFAULT_BEDROCK_MODEL_ID,
    maxTokens: numberEnv(env, FAST_LEX_ENV.maxTokens, { fallback: DEFAULT_MAX_TOKENS, min: 1, integer: true }),
    guardrail: guardrailFromEnvironment(env),
  } : undefined;
  const memory = overrides.memory ?? {
    maxEntries: numberEnv(env, FAST_LEX_ENV.l1MaxEntries, { fallback: 1000 }),
    maxBytes: numberEnv(env, FAST_LEX_ENV.l1MaxBytes, { fallback: 16 * 1024 * 1024 }),
    clock: overrides.clock,
  };
  const refreshLeaseMs = overrides.refreshLeaseMs ?? numberEnv(env, FAST_LEX_ENV.refreshLeaseMs, { fallback: 60_000 });
  const generationLimits = overrides.generationLimits ?? {
    perSession: numberEnv(env, FAST_LEX_ENV.generationsPerSession, { fallback: DEFAULT_GENERATIONS_PER_SESSION, min: 1, integer: true }),
    perMinute: numberEnv(env, FAST_LEX_ENV.generationsPerMinute, { fallback: DEFAULT_GENERATIONS_PER_MINUTE, min: 1, integer: true }),
  };

  return {
    ...overrides,
    intents,
    syncDeadlineMs,
    memory,
    refreshLeaseMs,
    generationLimits,
    generator: overrides.generator ?? (generatorSettings ? new ConverseGenerator(generatorSettings) : undefined),
    store: new DynamoResponseStore({ client: overrides.dynamoDb ?? new DynamoDBClient({ ...TURN_CLIENT_CONFIG }), tableName, clock: overrides.clock }),
    queue: new SqsGenerationQueue(overrides.sqs ?? new SQSClient({ ...TURN_CLIENT_CONFIG }), queueUrl),
  };
}

/** The generator worker's options the environment describes; throws `ConfigurationError` naming a bad variable. */
export function generatorWorkerOptionsFromEnvironment(env: Environment, overrides: GeneratorWorkerEnvironmentOverrides = {}): GeneratorWorkerOptions {
  const tableName = requiredEnv(env, FAST_LEX_ENV.cacheTable, 'the response cache table');
  const queueUrl = optionalEnv(env, FAST_LEX_ENV.generationQueueUrl);
  const generatorSettings = {
    modelId: optionalEnv(env, FAST_LEX_ENV.modelId) ?? DEFAULT_BEDROCK_MODEL_ID,
    maxTokens: numberEnv(env, FAST_LEX_ENV.maxTokens, { fallback: DEFAULT_MAX_TOKENS, min: 1, integer: true }),
    timeoutMs: numberEnv(env, FAST_LEX_ENV.generationTimeoutMs, { fallback: DEFAULT_GENERATION_TIMEOUT_MS, min: 1, integer: true }),
    guardrail: guardrailFromEnvironment(env),
  };
  return {
    store: new DynamoResponseStore({ client: overrides.dynamoDb ?? new DynamoDBClient({}), tableName, clock: overrides.clock }),
    generator: new ConverseGenerator(generatorSettings),
    sqs: queueUrl ? new SQSClient({}) : undefined,
    queueUrl,
    ...overrides,
  };
}
