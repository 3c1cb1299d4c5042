// The two-tier response cache a Lex fulfillment Lambda calls: answer from memory or DynamoDB, never wait for Bedrock.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { buildCacheKey } from '../cache-key';
import { ConverseGenerator, DEFAULT_MAX_TOKENS, DEFAULT_MODEL_ID } from '../bedrock/converse';
import { DynamoResponseStore, type CachedAnswer } from './dynamo-store';
import { CacheConfigurationError, UnknownIntentError } from './errors';
import { GENERATION_REQUEST_VERSION, SqsGenerationQueue, type GenerationQueue, type GenerationRequest } from './generation-request';
import {
  CATCH_ALL_INTENT,
  DEFAULT_STALE_SECONDS,
  DEFAULT_TTL_SECONDS,
  canonicalContextObject,
  keyOptionsFor,
  parseIntentConfigs,
  renderPrompt,
  validateIntentConfigs,
  type IntentCacheConfig,
  type IntentCacheConfigs,
} from './intent-config';
import { MemoryTier, type MemoryTierOptions } from './memory-tier';
import { CacheMetric, CacheMetrics } from './metrics';

/**
 * Environment variables the cache and the generator worker read; constructs set them. Endpoints are not here: the
 * AWS SDK reads `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SQS` and `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` itself.
 */
export const CACHE_ENV = {
  /** Name of the ResponseCacheTable. Required. */
  TABLE_NAME: 'FAST_LEX_CACHE_TABLE',
  /** URL of the generation request queue. Required by the cache; used by the worker for retry back-off. */
  QUEUE_URL: 'FAST_LEX_GENERATION_QUEUE_URL',
  /** `IntentCacheConfigs` as JSON. Required by the cache. */
  INTENTS: 'FAST_LEX_INTENTS',
  /** Bedrock model or inference profile id. Default `us.anthropic.claude-haiku-4-5-20251001-v1:0`. */
  MODEL_ID: 'FAST_LEX_MODEL_ID',
  /** Bedrock maxTokens. Default 150. */
  MAX_TOKENS: 'FAST_LEX_MAX_TOKENS',
  /** Deadline of one Bedrock call in the worker, ms. Default 10000. */
  GENERATION_TIMEOUT_MS: 'FAST_LEX_GENERATION_TIMEOUT_MS',
  /** Synchronous generation deadline on a miss, ms; 0 or unset: off. */
  SYNC_DEADLINE_MS: 'FAST_LEX_SYNC_DEADLINE_MS',
  /** L1 bound, entries. Default 1000. */
  L1_MAX_ENTRIES: 'FAST_LEX_L1_MAX_ENTRIES',
  /** L1 bound, bytes. Default 16777216. */
  L1_MAX_BYTES: 'FAST_LEX_L1_MAX_BYTES',
  /** How long a refresh lease holds before another request may enqueue again, ms. Default 60000. */
  REFRESH_LEASE_MS: 'FAST_LEX_REFRESH_LEASE_MS',
  /** Bedrock guardrail id and version applied to every generation; both or neither. */
  GUARDRAIL_ID: 'FAST_LEX_GUARDRAIL_ID',
  GUARDRAIL_VERSION: 'FAST_LEX_GUARDRAIL_VERSION',
} as const;

/** How an answer was found. */
export type CacheStatus =
  | 'l1-hit' // fresh, from memory
  | 'l2-hit' // fresh, from DynamoDB (now also in memory)
  | 'stale' // past its TTL but inside the stale window; a refresh was requested
  | 'miss' // no answer: the static answer, and a generation was requested (unless one already runs)
  | 'sync-generated' // no answer: generated within the synchronous deadline
  | 'fallback' // the static answer because something failed (DynamoDB unreachable, synchronous generation failed)
  | 'static'; // the intent has no prompt: always the static answer

export interface CacheResponse {
  readonly answer: string;
  readonly status: CacheStatus;
  readonly key: string;
  readonly intent: string;
  /** Epoch ms the answer was generated; absent for static answers. */
  readonly generatedAt?: number;
  /** This call enqueued a generation request. */
  readonly enqueued: boolean;
}

export interface RespondOptions {
  /** Aborts a synchronous generation early (e.g. the Lambda's remaining time). */
  readonly signal?: AbortSignal;
  /** Accepted for logging by callers; never enters the key. */
  readonly sessionId?: string;
}

export interface ResponseCacheOptions {
  readonly intents: IntentCacheConfigs;
  /** L2. */
  readonly store: DynamoResponseStore;
  /** Where generation requests go. */
  readonly queue: GenerationQueue;
  /** L1: an instance (to share one across caches) or its bounds. @default - a new MemoryTier with default bounds */
  readonly memory?: MemoryTier | MemoryTierOptions;
  /** Needed only for synchronous mode. @default - none: synchronous mode stays off */
  readonly generator?: ConverseGenerator;
  /** Synchronous generation deadline on a miss, ms; 0 is off (the default): a miss never waits for Bedrock. @default 0 */
  readonly syncDeadlineMs?: number;
  /** Refresh lease, ms. @default 60000 */
  readonly refreshLeaseMs?: number;
  /** @default - a new CacheMetrics */
  readonly metrics?: CacheMetrics;
  /** Epoch-ms clock for freshness. @default Date.now */
  readonly clock?: () => number;
  /** Receives degraded-path errors (never context values). @default console.warn as one JSON line */
  readonly onError?: (event: string, err: unknown, fields: Record<string, unknown>) => void;
}

/** Overrides for `ResponseCache.fromEnvironment` (clients pointed elsewhere, a shared L1, a fake clock). */
export type ResponseCacheEnvironmentOverrides = Partial<Omit<ResponseCacheOptions, 'store' | 'queue'>> & {
  readonly dynamoDb?: DynamoDBClient;
  readonly sqs?: SQSClient;
};

/**
 * Answers an intent from L1 (memory) or L2 (DynamoDB); on a miss serves the intent's static answer at once and
 * enqueues one generation request; inside the stale window serves the old answer and enqueues one refresh.
 *
 * Keep one instance in module scope so L1 survives between invocations of a warm Lambda, and call
 * `publishMetrics()` before the handler returns.
 *
 * @example
 * const cache = ResponseCache.fromEnvironment();
 * export const handler = async (event: LexV2Event) => {
 *   const { answer } = await cache.respond(event.sessionState.intent.name, { product: slot(event, 'product') });
 *   cache.publishMetrics();
 *   return close(event, answer);
 * };
 */
export class ResponseCache {
  /** Builds a cache from `CACHE_ENV` variables; throws `CacheConfigurationError` naming a missing one. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env, overrides: ResponseCacheEnvironmentOverrides = {}): ResponseCache {
    const tableName = required(env, CACHE_ENV.TABLE_NAME);
    const queueUrl = required(env, CACHE_ENV.QUEUE_URL);
    const intents = overrides.intents ?? parseIntentConfigs(required(env, CACHE_ENV.INTENTS));
    const syncDeadlineMs = overrides.syncDeadlineMs ?? numberFrom(env, CACHE_ENV.SYNC_DEADLINE_MS, 0);
    const clock = overrides.clock;
    const generator = overrides.generator ?? (syncDeadlineMs > 0 || Object.values(intents).some((i) => (i.syncDeadlineMs ?? 0) > 0)
      ? new ConverseGenerator({ modelId: env[CACHE_ENV.MODEL_ID] || DEFAULT_MODEL_ID, maxTokens: numberFrom(env, CACHE_ENV.MAX_TOKENS, DEFAULT_MAX_TOKENS), guardrail: guardrailFrom(env) })
      : undefined);
    return new ResponseCache({
      ...overrides,
      intents,
      syncDeadlineMs,
      generator,
      store: new DynamoResponseStore({ client: overrides.dynamoDb ?? new DynamoDBClient({}), tableName, clock }),
      queue: new SqsGenerationQueue(overrides.sqs ?? new SQSClient({}), queueUrl),
      memory: overrides.memory ?? {
        maxEntries: numberFrom(env, CACHE_ENV.L1_MAX_ENTRIES, 1000),
        maxBytes: numberFrom(env, CACHE_ENV.L1_MAX_BYTES, 16 * 1024 * 1024),
        clock,
      },
      refreshLeaseMs: overrides.refreshLeaseMs ?? numberFrom(env, CACHE_ENV.REFRESH_LEASE_MS, 60_000),
    });
  }

  readonly memory: MemoryTier;
  readonly metrics: CacheMetrics;
  readonly store: DynamoResponseStore;
  private readonly intents: IntentCacheConfigs;
  private readonly queue: GenerationQueue;
  private readonly generator?: ConverseGenerator;
  private readonly syncDeadlineMs: number;
  private readonly refreshLeaseMs: number;
  private readonly clock: () => number;
  private readonly onError: NonNullable<ResponseCacheOptions['onError']>;
  // In-process coalescing: one L2 read, one refresh request and one synchronous generation per key at a time.
  private readonly lookups = new Map<string, Promise<CachedAnswer | undefined>>();
  private readonly refreshes = new Map<string, Promise<boolean>>();
  private readonly syncRuns = new Map<string, Promise<SyncResult>>();
  // Keys this process already holds the refresh lease for: no DynamoDB write per stale serve while it lasts.
  private readonly localLeases = new Map<string, number>();

  constructor(options: ResponseCacheOptions) {
    this.intents = validateIntentConfigs(options.intents);
    this.store = options.store;
    this.queue = options.queue;
    this.memory = options.memory instanceof MemoryTier ? options.memory : new MemoryTier({ clock: options.clock, ...options.memory });
    this.generator = options.generator;
    this.syncDeadlineMs = options.syncDeadlineMs ?? 0;
    this.refreshLeaseMs = options.refreshLeaseMs ?? 60_000;
    this.metrics = options.metrics ?? new CacheMetrics();
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? ((event, err, fields) => {
      console.warn(JSON.stringify({ level: 'WARN', event, error: (err as Error)?.name, message: (err as Error)?.message, ...fields }));
    });
  }

  /** The configuration `respond` uses for an intent (its own entry, else `'*'`); throws `UnknownIntentError`. */
  configFor(intent: string): IntentCacheConfig {
    const config = Object.prototype.hasOwnProperty.call(this.intents, intent) ? this.intents[intent] : this.intents[CATCH_ALL_INTENT];
    if (!config) throw new UnknownIntentError(intent);
    return config;
  }

  /** The cache key of an intent and context (throws `CacheKeyError` naming a field that has no canonical form). */
  keyFor(intent: string, context: Record<string, unknown> = {}): string {
    return buildCacheKey(intent, context, keyOptionsFor(this.configFor(intent)));
  }

  /** Answers an intent. Throws only for caller mistakes (unknown intent, uncanonicalisable context); never for AWS. */
  async respond(intent: string, context: Record<string, unknown> = {}, options: RespondOptions = {}): Promise<CacheResponse> {
    const config = this.configFor(intent);
    const key = buildCacheKey(intent, context, keyOptionsFor(config));
    if (config.prompt === undefined) {
      this.metrics.count(intent, CacheMetric.STATIC_ANSWER);
      return { answer: config.staticAnswer, status: 'static', key, intent, enqueued: false };
    }
    const now = this.clock();

    const local = this.memory.get(key);
    if (local && local.freshUntil > now) {
      this.metrics.count(intent, CacheMetric.L1_HIT);
      return { answer: local.answer, status: 'l1-hit', key, intent, generatedAt: local.generatedAt, enqueued: false };
    }

    // A stale L1 entry may have been refreshed by another Lambda: look in L2 before serving it.
    let stored: CachedAnswer | undefined;
    try {
      stored = await this.lookup(key);
    } catch (err) {
      this.metrics.count(intent, CacheMetric.STORE_ERROR);
      this.onError('cache.l2-read-failed', err, { intent, key });
      if (local) return this.serveStale(intent, config, context, key, local, false);
      this.metrics.count(intent, CacheMetric.FALLBACK);
      return { answer: config.staticAnswer, status: 'fallback', key, intent, enqueued: false };
    }
    const best = newer(stored, local);
    if (best && best.freshUntil > this.clock()) {
      this.memory.set(key, best);
      this.metrics.count(intent, CacheMetric.L2_HIT);
      return { answer: best.answer, status: 'l2-hit', key, intent, generatedAt: best.generatedAt, enqueued: false };
    }
    if (best) {
      this.memory.set(key, best);
      return this.serveStale(intent, config, context, key, best, true);
    }

    this.metrics.count(intent, CacheMetric.MISS);
    const deadline = config.syncDeadlineMs ?? this.syncDeadlineMs;
    if (deadline > 0 && this.generator) {
      return this.generateNow(intent, config, context, key, deadline, options.signal);
    }
    const enqueued = await this.requestGeneration(intent, config, context, key, 'miss');
    return { answer: config.staticAnswer, status: 'miss', key, intent, enqueued };
  }

  /**
   * Stores an answer in both tiers (what the worker does, usable to warm the cache). Oversize answers are counted
   * as `OversizeAnswer` and not stored; the result says so.
   */
  async put(intent: string, context: Record<string, unknown>, answer: string, generatedAt = this.clock()): Promise<{ key: string; stored: boolean }> {
    const config = this.configFor(intent);
    const key = buildCacheKey(intent, context, keyOptionsFor(config));
    const entry = answerEntry(intent, answer, generatedAt, config.ttlSeconds ?? DEFAULT_TTL_SECONDS, config.staleSeconds ?? DEFAULT_STALE_SECONDS);
    const stored = await this.storeAnswer(key, entry);
    return { key, stored };
  }

  /** Publishes the metrics counted since the last call (one EMF document per intent). */
  publishMetrics(): void {
    this.metrics.flush();
  }

  private lookup(key: string): Promise<CachedAnswer | undefined> {
    let pending = this.lookups.get(key);
    if (!pending) {
      pending = this.store.newest(key).finally(() => this.lookups.delete(key));
      this.lookups.set(key, pending);
    }
    return pending;
  }

  private async serveStale(intent: string, config: IntentCacheConfig, context: Record<string, unknown>, key: string, entry: CachedAnswer, canRefresh: boolean): Promise<CacheResponse> {
    this.metrics.count(intent, CacheMetric.STALE_SERVED);
    const enqueued = canRefresh ? await this.requestGeneration(intent, config, context, key, 'stale') : false;
    return { answer: entry.answer, status: 'stale', key, intent, generatedAt: entry.generatedAt, enqueued };
  }

  /** One refresh per key: coalesced in this process, then a conditional write (the lease) across Lambdas. */
  private requestGeneration(intent: string, config: IntentCacheConfig, context: Record<string, unknown>, key: string, reason: GenerationRequest['reason']): Promise<boolean> {
    const leaseUntil = this.localLeases.get(key);
    if (leaseUntil !== undefined && leaseUntil > this.clock()) return Promise.resolve(false);
    let pending = this.refreshes.get(key);
    if (pending) return pending.then(() => false); // the first caller reports the enqueue
    pending = this.claimAndEnqueue(intent, config, context, key, reason).finally(() => this.refreshes.delete(key));
    this.refreshes.set(key, pending);
    return pending;
  }

  private async claimAndEnqueue(intent: string, config: IntentCacheConfig, context: Record<string, unknown>, key: string, reason: GenerationRequest['reason'], alreadyClaimed = false): Promise<boolean> {
    try {
      if (!alreadyClaimed && !(await this.store.claimRefresh(key, this.refreshLeaseMs))) return false;
    } catch (err) {
      this.metrics.count(intent, CacheMetric.STORE_ERROR);
      this.onError('cache.lease-failed', err, { intent, key });
      return false;
    }
    this.localLeases.set(key, this.clock() + this.refreshLeaseMs);
    try {
      await this.queue.enqueue(this.requestFor(intent, config, context, key, reason));
      this.metrics.count(intent, CacheMetric.REFRESH_ENQUEUED);
      return true;
    } catch (err) {
      this.metrics.count(intent, CacheMetric.ENQUEUE_FAILURE);
      this.onError('cache.enqueue-failed', err, { intent, key });
      // Give the lease back so the next request can try again rather than wait for it to run out.
      this.localLeases.delete(key);
      await this.store.releaseRefresh(key).catch((e) => this.onError('cache.lease-release-failed', e, { intent, key }));
      return false;
    }
  }

  private requestFor(intent: string, config: IntentCacheConfig, context: Record<string, unknown>, key: string, reason: GenerationRequest['reason']): GenerationRequest {
    const canonical = canonicalContextObject(config, context);
    return {
      version: GENERATION_REQUEST_VERSION,
      key,
      intent,
      context: canonical,
      prompt: renderPrompt(config, canonical)!,
      system: config.system,
      maxTokens: config.maxTokens,
      ttlSeconds: config.ttlSeconds ?? DEFAULT_TTL_SECONDS,
      staleSeconds: config.staleSeconds ?? DEFAULT_STALE_SECONDS,
      reason,
      requestedAt: this.clock(),
    };
  }

  /** Synchronous mode: try Bedrock within the deadline, else the static answer and a background request. */
  private async generateNow(intent: string, config: IntentCacheConfig, context: Record<string, unknown>, key: string, deadlineMs: number, signal?: AbortSignal): Promise<CacheResponse> {
    let run = this.syncRuns.get(key);
    const first = !run;
    if (!run) {
      run = this.runSync(intent, config, context, key, deadlineMs, signal).finally(() => this.syncRuns.delete(key));
      this.syncRuns.set(key, run);
    }
    const result = await run;
    switch (result.kind) {
      case 'generated':
        return { answer: result.entry.answer, status: 'sync-generated', key, intent, generatedAt: result.entry.generatedAt, enqueued: false };
      case 'busy':
        // Another Lambda holds the lease and is generating: answer now, its result lands in L2.
        return { answer: config.staticAnswer, status: 'miss', key, intent, enqueued: false };
      case 'failed':
        this.metrics.count(intent, CacheMetric.FALLBACK);
        return { answer: config.staticAnswer, status: 'fallback', key, intent, enqueued: first && result.enqueued };
    }
  }

  private async runSync(intent: string, config: IntentCacheConfig, context: Record<string, unknown>, key: string, deadlineMs: number, signal?: AbortSignal): Promise<SyncResult> {
    try {
      if (!(await this.store.claimRefresh(key, this.refreshLeaseMs))) return { kind: 'busy' };
    } catch (err) {
      this.metrics.count(intent, CacheMetric.STORE_ERROR);
      this.onError('cache.lease-failed', err, { intent, key });
      return { kind: 'failed', enqueued: false };
    }
    const canonical = canonicalContextObject(config, context);
    try {
      const generation = await this.generator!.generate(renderPrompt(config, canonical)!, {
        system: config.system,
        maxTokens: config.maxTokens,
        timeoutMs: deadlineMs,
        signal,
      });
      this.metrics.timing(intent, CacheMetric.GENERATION_LATENCY, generation.latencyMs);
      this.metrics.count(intent, CacheMetric.GENERATION_SUCCESS);
      const entry = answerEntry(intent, generation.text, this.clock(), config.ttlSeconds ?? DEFAULT_TTL_SECONDS, config.staleSeconds ?? DEFAULT_STALE_SECONDS);
      await this.storeAnswer(key, entry).catch((err) => {
        this.metrics.count(intent, CacheMetric.STORE_ERROR);
        this.onError('cache.l2-write-failed', err, { intent, key });
      });
      await this.store.releaseRefresh(key).catch((err) => this.onError('cache.lease-release-failed', err, { intent, key }));
      return { kind: 'generated', entry };
    } catch (err) {
      this.metrics.count(intent, CacheMetric.GENERATION_FAILURE);
      this.onError('cache.sync-generation-failed', err, { intent, key });
      // We still hold the lease: hand the work to the worker.
      const enqueued = await this.claimAndEnqueue(intent, config, context, key, 'sync-failed', true);
      return { kind: 'failed', enqueued };
    }
  }

  private async storeAnswer(key: string, entry: CachedAnswer): Promise<boolean> {
    const result = await this.store.put(key, entry);
    if (!result.stored) {
      this.metrics.count(entry.intent, CacheMetric.OVERSIZE_ANSWER);
      return false;
    }
    this.memory.set(key, entry);
    return true;
  }
}

type SyncResult = { kind: 'generated'; entry: CachedAnswer } | { kind: 'busy' } | { kind: 'failed'; enqueued: boolean };

/** A cached-answer record for an answer generated at `generatedAt`. */
/** The guardrail the environment names, if any; one of the two variables without the other is a mistake. */
export function guardrailFrom(env: NodeJS.ProcessEnv): { identifier: string; version: string } | undefined {
  const identifier = env[CACHE_ENV.GUARDRAIL_ID];
  const version = env[CACHE_ENV.GUARDRAIL_VERSION];
  if (!identifier && !version) return undefined;
  if (!identifier || !version) {
    throw new CacheConfigurationError(identifier ? CACHE_ENV.GUARDRAIL_VERSION : CACHE_ENV.GUARDRAIL_ID, `is missing: ${CACHE_ENV.GUARDRAIL_ID} and ${CACHE_ENV.GUARDRAIL_VERSION} go together`);
  }
  return { identifier, version };
}

export function answerEntry(intent: string, answer: string, generatedAt: number, ttlSeconds: number, staleSeconds: number): CachedAnswer {
  const freshUntil = generatedAt + ttlSeconds * 1000;
  return { answer, intent, generatedAt, freshUntil, staleUntil: freshUntil + staleSeconds * 1000 };
}

function newer(a: CachedAnswer | undefined, b: CachedAnswer | undefined): CachedAnswer | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.generatedAt >= b.generatedAt ? a : b;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new CacheConfigurationError(name, 'is not set');
  return value;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new CacheConfigurationError(name, `must be a number >= 0, got '${raw}'`);
  return value;
}
