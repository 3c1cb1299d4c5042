// The two-tier response cache a Lex fulfillment Lambda calls: answer from memory or DynamoDB, never wait for Bedrock.
// Longer than 400 lines on purpose: one class whose private methods are the steps of one algorithm (lookup, near
// hit, stale serve, unshared and bounded questions, lease, enqueue or ticket, synchronous generation, turn budget);
// what they use lives beside it: the key, the stores, the answered questions (question-answers.ts), the matcher, the
// safety check, the generation bounds and tickets.
import { LRUCache } from 'lru-cache';
import { DEFAULT_STALE_SECONDS, DEFAULT_TTL_SECONDS } from '../../shared/defaults';
import type { ConverseGenerator } from '../bedrock/converse';
import type { Environment } from '../env';
import { buildCacheKey, buildQuestionKeys } from './cache-key';
import { answerEntry, type CachedAnswer, type DynamoResponseStore } from './dynamo-store';
import { responseCacheOptionsFromEnvironment, type ResponseCacheEnvironmentOverrides } from './environment';
import { UnknownIntentError } from './errors';
import { GENERATION_REQUEST_VERSION, type GenerationQueue, type GenerationRequest } from './generation-request';
import {
  CATCH_ALL_INTENT,
  canonicalContextObject,
  keyOptionsFor,
  promptContextObject,
  renderPrompt,
  validateIntentConfigs,
  type IntentCacheConfig,
  type IntentCacheConfigs,
} from './intent-config';
import { MemoryTier, type MemoryTierOptions } from './memory-tier';
import { completeAnswer } from './complete-answer';
import { CacheMetric, CacheMetrics, type CacheMetricName } from './metrics';
import { TurnBudget, TurnBudgetExceededError } from './turn-budget';
import { GenerationBudget, type GenerationLimits } from './generation-budget';
import { bedrockQuestionEmbedders, maxAgeMs, QuestionAnswers, type NearQuestion, type QuestionEmbedderFactory, type QuestionLookup } from './question-answers';
import { questionSignature } from './question-match';
import { questionShareability } from './question-safety';
import { encodeEmbedding, QuestionStore } from './question-store';
import { GenerationTickets } from './generation-ticket';

/** How an answer was found. */
export type CacheStatus =
  | 'l1-hit' // fresh, from memory
  | 'l2-hit' // fresh, from DynamoDB (now also in memory)
  | 'stale' // past its TTL but inside the stale window; a refresh was requested
  | 'miss' // no answer: the static answer, and a generation was requested (unless one already runs)
  | 'sync-generated' // no answer: generated within the synchronous deadline
  | 'fallback' // the static answer because something failed (DynamoDB unreachable, synchronous generation failed)
  | 'static' // the intent has no prompt: always the static answer
  | 'near-hit' // per-question: the fresh answer of a paraphrase (see `score` and `matchedBy`), no model call
  | 'unshared' // per-question: the question holds personal data or instructions; answered for its asker only, never stored
  | 'limited'; // per-question: a new question past the generation bounds; the static answer, nothing generated

export interface CacheResponse {
  readonly answer: string;
  readonly status: CacheStatus;
  readonly key: string;
  readonly intent: string;
  /** Epoch ms the answer was generated; absent for static answers. */
  readonly generatedAt?: number;
  /** This call enqueued a generation request. */
  readonly enqueued: boolean;
  /** A near hit's match score (lexical 0..1, or the embedding's cosine similarity). */
  readonly score?: number;
  /** How a near hit was found. */
  readonly matchedBy?: 'lexical' | 'embedding';
  /** Why an `unshared` question was not shared. */
  readonly unsharedReason?: 'personal-data' | 'instructions';
  /**
   * A `streamable` miss: the id of the generation ticket this call wrote instead of queueing (it holds the refresh
   * lease). The caller hands it to the streaming client alone; `answer` is the static answer, for when the stream fails.
   */
  readonly ticket?: string;
}

export interface RespondOptions {
  /** Aborts a synchronous generation early (e.g. the Lambda's remaining time). */
  readonly signal?: AbortSignal;
  /** Accepted for logging by callers; never enters the key. */
  readonly sessionId?: string;
  /**
   * The turn's deadline: bounds the L2 read, the lease write and SendMessage. When it runs out the caller gets the
   * stale or static answer. @default - unbounded (each call runs on its client's own timeouts)
   */
  readonly budget?: TurnBudget;
  /**
   * This turn's synchronous generation deadline on a miss, ms, in place of the intent's and the cache's (the
   * fulfillment handler passes the intent's `voiceSyncDeadlineMs` on a voice turn). @default - the intent's, else the cache's
   */
  readonly syncDeadlineMs?: number;
  /**
   * The visitor's words (`inputTranscript`). A per-question intent (`IntentCacheConfig.questions`) answers them rather
   * than the intent; other intents ignore them. Never logged. @default - the intent's answer for the context
   */
  readonly question?: string;
  /**
   * The client can stream a generated answer itself (the web chat proxy): a miss that would be queued writes a
   * generation ticket instead (`CacheResponse.ticket`, see generation-ticket.ts). @default false
   */
  readonly streamable?: boolean;
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
  /** Most keys whose refresh lease this process remembers; the oldest are forgotten first. @default 1000 */
  readonly maxLocalLeases?: number;
  /** @default - a new CacheMetrics */
  readonly metrics?: CacheMetrics;
  /** Epoch-ms clock for freshness. @default Date.now */
  readonly clock?: () => number;
  /** Where per-question intents keep their answered questions. @default - a QuestionStore on `store`'s table */
  readonly questionStore?: QuestionStore;
  /** Bounds on new-question generations. @default - DEFAULT_GENERATIONS_PER_SESSION and DEFAULT_GENERATIONS_PER_MINUTE */
  readonly generationLimits?: GenerationLimits;
  /**
   * The embedding stage's models (intents with `questions.embedding`), one embedder per model and size.
   * @default - Bedrock (`BedrockEmbedder`, Titan Text Embeddings V2 by default), created on first use
   */
  readonly embedders?: QuestionEmbedderFactory;
  /** Receives degraded-path errors (never context values). @default console.warn as one JSON line */
  readonly onError?: (event: string, err: unknown, fields: Record<string, unknown>) => void;
}

/**
 * Answers an intent from L1 (memory) or L2 (DynamoDB); on a miss serves the intent's static answer at once and
 * enqueues one generation request; inside the stale window serves the old answer and enqueues one refresh.
 *
 * Keep one instance in module scope so L1 survives between invocations of a warm Lambda, and call
 * `publishMetrics()` before the handler returns.
 *
 * @example
 * const cache = ResponseCache.fromEnvironment();
 * export const handler = async (raw: unknown) => {
 *   const event = parseLexEvent(raw);
 *   const { answer } = await cache.respond(event.sessionState.intent!.name, { slots: slotValues(event) });
 *   cache.publishMetrics();
 *   return closeResponse(event, answer, event.sessionState.sessionAttributes ?? {});
 * };
 */
export class ResponseCache {
  /** Builds a cache from `FAST_LEX_ENV` variables; throws `ConfigurationError` naming a missing or malformed one. */
  static fromEnvironment(env: Environment = process.env, overrides: ResponseCacheEnvironmentOverrides = {}): ResponseCache {
    return new ResponseCache(responseCacheOptionsFromEnvironment(env, overrides));
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
  private readonly storeReads = new Map<string, Promise<CachedAnswer | undefined>>();
  private readonly refreshes = new Map<string, Promise<boolean>>();
  private readonly syncRuns = new Map<string, Promise<SyncResult>>();
  // Keys this process already holds the refresh lease for: no DynamoDB write per stale serve while it lasts.
  private readonly localLeases = new Map<string, number>();
  private readonly maxLocalLeases: number;
  private readonly questions: QuestionAnswers;
  /** Signatures of recently asked questions, by their exact words. */
  private readonly signatures = new LRUCache<string, string>({ max: 10_000 });
  private readonly generationBudget: GenerationBudget;
  private readonly tickets: GenerationTickets;

  constructor(options: ResponseCacheOptions) {
    this.intents = validateIntentConfigs(options.intents);
    this.store = options.store;
    this.queue = options.queue;
    this.memory = options.memory instanceof MemoryTier ? options.memory : new MemoryTier({ clock: options.clock, ...options.memory });
    this.generator = options.generator;
    this.syncDeadlineMs = options.syncDeadlineMs ?? 0;
    this.refreshLeaseMs = options.refreshLeaseMs ?? 60_000;
    this.maxLocalLeases = Math.max(1, options.maxLocalLeases ?? 1000);
    this.metrics = options.metrics ?? new CacheMetrics();
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? ((event, err, fields) => {
      console.warn(JSON.stringify({ level: 'WARN', event, error: (err as Error)?.name, message: (err as Error)?.message, ...fields }));
    });
    const questionStore = options.questionStore ?? new QuestionStore(this.store.client, this.store.tableName);
    this.questions = new QuestionAnswers({ store: questionStore, embedders: options.embedders ?? bedrockQuestionEmbedders(), clock: this.clock });
    this.generationBudget = new GenerationBudget(this.store.client, this.store.tableName, options.generationLimits, this.clock);
    this.tickets = new GenerationTickets(this.store.client, this.store.tableName, this.clock);
  }

  /** The configuration `respond` uses for an intent (its own entry, else `'*'`); throws `UnknownIntentError`. */
  configFor(intent: string): IntentCacheConfig {
    const config = Object.prototype.hasOwnProperty.call(this.intents, intent) ? this.intents[intent] : this.intents[CATCH_ALL_INTENT];
    if (!config) throw new UnknownIntentError(intent);
    return config;
  }

  /**
   * The cache key of an intent and context, and of a question for a per-question intent (throws `CacheKeyError` naming
   * a field that has no canonical form).
   */
  keyFor(intent: string, context: Record<string, unknown> = {}, question?: string): string {
    return this.lookupFor(intent, context, question).key;
  }

  /** Answers an intent. Throws only for caller mistakes (unknown intent, uncanonicalisable context); never for AWS. */
  async respond(intent: string, context: Record<string, unknown> = {}, options: RespondOptions = {}): Promise<CacheResponse> {
    const lookup = this.lookupFor(intent, context, options.question);
    const response = await this.answer(lookup, options);
    // One outcome per answer, counted here: the per-intent counts add up to the number of turns answered.
    this.metrics.count(intent, OUTCOME_METRIC[response.status]);
    return response;
  }

  /**
   * Stores an answer in both tiers (what the worker does, usable to warm the cache). Oversize answers are counted
   * as `OversizeAnswer` and not stored; the result says so.
   */
  async put(intent: string, context: Record<string, unknown>, answer: string, generatedAt = this.clock(), question?: string): Promise<{ key: string; stored: boolean }> {
    const lookup = this.lookupFor(intent, context, question);
    const stored = await this.storeAnswer(lookup.key, this.entryFor(lookup, answer, generatedAt));
    if (stored && lookup.question) await this.questions.remember(lookup.config, lookup.question, lookup.key, generatedAt);
    return { key: lookup.key, stored };
  }

  /** What every step needs to answer this intent (and, for a per-question intent, this question). */
  private lookupFor(intent: string, context: Record<string, unknown>, text?: string): Lookup {
    const config = this.configFor(intent);
    const keyOptions = keyOptionsFor(config);
    const asked = text?.trim();
    if (!config.questions || !asked) return { intent, config, context, key: buildCacheKey(intent, context, keyOptions) };
    // The same words again (the commonest repeat) skip the analysis: a signature costs tens of microseconds.
    let signature = this.signatures.get(asked);
    if (signature === undefined) {
      signature = questionSignature(asked);
      this.signatures.set(asked, signature);
    }
    const { key, partition } = buildQuestionKeys(intent, context, signature, keyOptions);
    return { intent, config, context, key, question: { text: asked, signature, partition } };
  }

  /** Publishes the metrics counted since the last call (one EMF document per intent). */
  publishMetrics(): void {
    this.metrics.flush();
  }

  /** Keys whose refresh lease this process remembers (bounded by `maxLocalLeases`). */
  get localLeaseCount(): number {
    return this.localLeases.size;
  }

  private async answer(lookup: Lookup, options: RespondOptions): Promise<CacheResponse> {
    const { intent, config, key } = lookup;
    const budget = options.budget ?? TurnBudget.unbounded();
    if (config.prompt === undefined) return this.staticAnswer(lookup, 'static');
    // A per-question intent with no words to answer (a silent caller, a custom route that passed none): nothing to
    // generate, and nothing an intent-level answer should be cached for.
    if (config.questions && !lookup.question) return this.staticAnswer(lookup, 'static');
    const now = this.clock();

    const local = this.memory.get(key);
    if (local && local.freshUntil > now) return this.served(lookup, 'l1-hit', local);
    const question = lookup.question;
    if (question) {
      // A paraphrase this process has answered, with its answer still in memory: no I/O at all.
      const near = this.questions.nearInMemory(config, question);
      const entry = near && this.memory.get(near.key);
      if (near && entry && entry.freshUntil > now) return this.nearHit(lookup, entry, near);
    }

    // A stale L1 entry may have been refreshed by another Lambda: look in L2 before serving it. A per-question intent
    // brings its answered questions up to date at the same time (one Query of what was added since the last read).
    let stored: CachedAnswer | undefined;
    // Started now, awaited only if the exact answer is not there: an exact hit never waits for the questions.
    const synced = question ? this.questions.sync(config, question, budget).catch((err) => {
      this.countFault(intent, err);
      this.onError('cache.questions-read-failed', err, { intent });
    }) : undefined;
    try {
      stored = await budget.run('DynamoDB Query (L2 read)', (abortSignal) => this.readStore(key, abortSignal));
    } catch (err) {
      this.countFault(intent, err);
      this.onError('cache.l2-read-failed', err, { intent, key });
      return local ? this.serveStale(lookup, local, false) : this.staticAnswer(lookup, 'fallback');
    }
    const best = newer(stored, local);
    if (best) this.memory.set(key, best);
    if (best && best.freshUntil > this.clock()) return this.served(lookup, 'l2-hit', best);
    if (best) return this.serveStale(lookup, best, true, budget);

    if (question) {
      await synced;
      const lexical = await this.reuseNear(lookup, question, 'lexical', budget);
      if (lexical) return lexical;
      const shareable = questionShareability(question.text);
      if (!shareable.share) return this.answerUnshared(lookup, shareable.reason, this.syncDeadline(lookup, options, budget), options, budget);
      // From here every new question may reach a model (the embedding stage, then a generation): the bounds come first,
      // so a flood of new questions pays for neither.
      if (!(await this.withinGenerationBounds(lookup, options, budget))) return this.staticAnswer(lookup, 'limited');
      const embedded = await this.reuseNear(lookup, question, 'embedding', budget);
      if (embedded) return embedded;
    }

    if (options.streamable) return this.ticketed(lookup, budget);
    const deadline = this.syncDeadline(lookup, options, budget);
    if (deadline > 0 && this.generator) return this.generateNow(lookup, deadline, options.signal ?? (options.budget ? budget.signal : undefined));
    const enqueued = await this.requestGeneration(lookup, 'miss', budget);
    return this.staticAnswer(lookup, 'miss', enqueued);
  }

  /**
   * A streaming client's miss: the lease as for a queued generation, then a ticket rather than a message. Another
   * holder of the lease is already generating: the static answer. A ticket that cannot be written: queued as usual.
   */
  private async ticketed(lookup: Lookup, budget: TurnBudget): Promise<CacheResponse> {
    const { intent, key } = lookup;
    try {
      if (!(await budget.run('DynamoDB PutItem (refresh lease)', (abortSignal) => this.store.claimRefresh(key, this.refreshLeaseMs, { abortSignal })))) {
        return this.staticAnswer(lookup, 'miss');
      }
    } catch (err) {
      this.countFault(intent, err);
      this.onError('cache.lease-failed', err, { intent, key });
      return this.staticAnswer(lookup, 'miss');
    }
    this.rememberLease(key);
    try {
      const request = this.requestFor(lookup, 'miss');
      const ticket = await budget.run('DynamoDB PutItem (generation ticket)', (abortSignal) => this.tickets.write(request, this.refreshLeaseMs, { abortSignal }));
      return { ...this.staticAnswer(lookup, 'miss'), ticket };
    } catch (err) {
      this.countFault(intent, err);
      this.onError('cache.ticket-failed', err, { intent, key });
      return this.staticAnswer(lookup, 'miss', await this.claimAndEnqueue(lookup, 'miss', true, budget));
    }
  }

  /** How long a miss may wait for its generation now: the turn's, else the intent's, else the cache's, within the budget. */
  private syncDeadline(lookup: Lookup, options: RespondOptions, budget: TurnBudget): number {
    return Math.min(options.syncDeadlineMs ?? lookup.config.syncDeadlineMs ?? this.syncDeadlineMs, budget.remainingMs());
  }

  private served(lookup: Lookup, status: CacheStatus, entry: CachedAnswer, enqueued = false): CacheResponse {
    return { answer: entry.answer, status, key: lookup.key, intent: lookup.intent, generatedAt: entry.generatedAt, enqueued };
  }

  private staticAnswer(lookup: Lookup, status: CacheStatus, enqueued = false): CacheResponse {
    return { answer: lookup.config.staticAnswer, status, key: lookup.key, intent: lookup.intent, enqueued };
  }

  private nearHit(lookup: Lookup, entry: CachedAnswer, near: NearQuestion): CacheResponse {
    return { ...this.served(lookup, 'near-hit', entry), key: near.key, score: near.score, matchedBy: near.via };
  }

  /**
   * A paraphrase's fresh answer, found lexically among the answered questions just read, or by the embedding stage
   * (one embedding call, only where a generation would otherwise follow, within the generation bounds). A question
   * whose answer is gone is forgotten.
   */
  private async reuseNear(lookup: Lookup, question: QuestionLookup, via: NearQuestion['via'], budget: TurnBudget): Promise<CacheResponse | undefined> {
    const { intent, config } = lookup;
    let near: NearQuestion | undefined;
    if (via === 'lexical') {
      near = this.questions.nearInMemory(config, question);
    } else if (config.questions?.embedding) {
      try {
        near = await this.questions.nearByEmbedding(config, question, budget);
        this.metrics.count(intent, CacheMetric.EMBEDDING_LOOKUP);
      } catch (err) {
        this.countFault(intent, err);
        this.onError('cache.embedding-failed', err, { intent });
      }
    }
    if (!near) return undefined;
    let entry = this.memory.get(near.key);
    if (!entry || entry.freshUntil <= this.clock()) {
      try {
        const key = near.key;
        entry = await budget.run('DynamoDB Query (near answer)', (abortSignal) => this.readStore(key, abortSignal));
      } catch (err) {
        this.countFault(intent, err);
        this.onError('cache.l2-read-failed', err, { intent, key: near.key });
        return undefined;
      }
    }
    if (entry && entry.freshUntil > this.clock()) {
      this.memory.set(near.key, entry);
      return this.nearHit(lookup, entry, near);
    }
    this.questions.forget(question, near.key);
    return undefined;
  }

  /**
   * A question that must not be shared. Instructions are never sent to the model: the static answer. Personal data is
   * answered by the model for its asker only when the turn may wait for it (a call's voice deadline), and never stored,
   * indexed or enqueued; otherwise the static answer.
   */
  private async answerUnshared(lookup: Lookup, reason: 'personal-data' | 'instructions', deadlineMs: number, options: RespondOptions, budget: TurnBudget): Promise<CacheResponse> {
    const { intent, config } = lookup;
    this.metrics.count(intent, CacheMetric.UNSHARED_QUESTION);
    const unshared = { ...this.staticAnswer(lookup, 'unshared'), unsharedReason: reason };
    if (reason === 'instructions' || deadlineMs <= 0 || !this.generator) return unshared;
    if (!(await this.withinGenerationBounds(lookup, options, budget))) return { ...unshared, status: 'limited' };
    try {
      const generation = await this.generator.generate(renderPrompt(config, promptContextObject(config, lookup.context), lookup.question!.text)!, {
        system: config.system, maxTokens: config.maxTokens, timeoutMs: deadlineMs, signal: options.signal ?? budget.signal,
      });
      this.metrics.timing(intent, CacheMetric.GENERATION_LATENCY, generation.latencyMs);
      this.metrics.count(intent, CacheMetric.GENERATION_SUCCESS);
      const complete = completeAnswer(generation.text, generation.stopReason);
      if (complete.kind === 'unusable') return unshared;
      return { ...unshared, answer: complete.text, generatedAt: this.clock() };
    } catch (err) {
      this.metrics.count(intent, CacheMetric.GENERATION_FAILURE);
      this.onError('cache.private-generation-failed', err, { intent });
      return unshared;
    }
  }

  /** Takes one new-question generation from the bounds; a refusal is counted (the alarm reads it). */
  private async withinGenerationBounds(lookup: Lookup, options: RespondOptions, budget: TurnBudget): Promise<boolean> {
    try {
      const verdict = await budget.run('DynamoDB UpdateItem (generation budget)', (abortSignal) => this.generationBudget.take(options.sessionId, { abortSignal }));
      if (verdict.allowed) return true;
      this.metrics.count(lookup.intent, CacheMetric.GENERATION_BUDGET_EXCEEDED);
      this.onError('cache.generation-budget-exceeded', new Error(`the ${verdict.bound} bound is reached`), { intent: lookup.intent, bound: verdict.bound });
      return false;
    } catch (err) {
      // The count cannot be kept: generating anyway would leave the bill unbounded while the table is down.
      this.countFault(lookup.intent, err);
      this.onError('cache.generation-budget-failed', err, { intent: lookup.intent });
      return false;
    }
  }

  private readStore(key: string, abortSignal?: AbortSignal): Promise<CachedAnswer | undefined> {
    let pending = this.storeReads.get(key);
    if (!pending) {
      pending = this.store.newest(key, { abortSignal }).finally(() => this.storeReads.delete(key));
      this.storeReads.set(key, pending);
    }
    return pending;
  }

  private async serveStale(lookup: Lookup, entry: CachedAnswer, canRefresh: boolean, budget = TurnBudget.unbounded()): Promise<CacheResponse> {
    const enqueued = canRefresh ? await this.requestGeneration(lookup, 'stale', budget) : false;
    return this.served(lookup, 'stale', entry, enqueued);
  }

  /** One refresh per key: coalesced in this process, then a conditional write (the lease) across Lambdas. */
  private requestGeneration(lookup: Lookup, reason: GenerationRequest['reason'], budget: TurnBudget): Promise<boolean> {
    const { key } = lookup;
    const leaseUntil = this.localLeases.get(key);
    if (leaseUntil !== undefined && leaseUntil > this.clock()) return Promise.resolve(false);
    if (leaseUntil !== undefined) this.localLeases.delete(key);
    let pending = this.refreshes.get(key);
    if (pending) return pending.then(() => false); // the first caller reports the enqueue
    pending = this.claimAndEnqueue(lookup, reason, false, budget).finally(() => this.refreshes.delete(key));
    this.refreshes.set(key, pending);
    return pending;
  }

  /**
   * Takes the lease, then sends the request, both inside the turn's budget. A failed send is tried once more while at
   * least half the budget is left. If that fails too the request is dropped on purpose, and the lease given back: the
   * request holds nothing of the caller's (it is rebuilt from the key's intent and context), the caller already has
   * the static answer, and the next miss of the same key asks again at once. Keeping it elsewhere would need a second
   * dependency on the turn path that is down in the same outages.
   */
  private async claimAndEnqueue(lookup: Lookup, reason: GenerationRequest['reason'], alreadyClaimed = false, budget = TurnBudget.unbounded()): Promise<boolean> {
    const { intent, key } = lookup;
    try {
      if (!alreadyClaimed && !(await budget.run('DynamoDB PutItem (refresh lease)', (abortSignal) => this.store.claimRefresh(key, this.refreshLeaseMs, { abortSignal })))) {
        return false;
      }
    } catch (err) {
      this.countFault(intent, err);
      this.onError('cache.lease-failed', err, { intent, key });
      return false;
    }
    this.rememberLease(key);
    const request = this.requestFor(lookup, reason);
    const send = () => budget.run('SQS SendMessage', (abortSignal) => this.queue.enqueue(request, { abortSignal }));
    try {
      try {
        await send();
      } catch (first) {
        // Not after a deadline, nor after throttling (the client already backed off once): only a plain failure.
        if (first instanceof TurnBudgetExceededError || isThrottling(first) || budget.remainingMs() < budget.budgetMs / 2) throw first;
        this.metrics.count(intent, CacheMetric.ENQUEUE_RETRIED);
        await send();
      }
      this.metrics.count(intent, CacheMetric.REFRESH_ENQUEUED);
      return true;
    } catch (err) {
      this.metrics.count(intent, CacheMetric.ENQUEUE_FAILURE);
      if (err instanceof TurnBudgetExceededError) this.metrics.count(intent, CacheMetric.TURN_BUDGET_EXCEEDED);
      this.onError('cache.enqueue-failed', err, { intent, key });
      // Give the lease back so the next request can try again rather than wait for it to run out. Not awaited: the
      // caller has waited long enough, and a lease that cannot be released ends by itself.
      this.localLeases.delete(key);
      void this.store.releaseRefresh(key, { abortSignal: AbortSignal.timeout(1000) }).catch((e) => this.onError('cache.lease-release-failed', e, { intent, key }));
      return false;
    }
  }

  /** Remembers a lease this process holds; forgets expired ones, then the oldest, beyond `maxLocalLeases`. */
  private rememberLease(key: string): void {
    const now = this.clock();
    this.localLeases.delete(key);
    this.localLeases.set(key, now + this.refreshLeaseMs);
    if (this.localLeases.size <= this.maxLocalLeases) return;
    for (const [k, until] of this.localLeases) {
      if (until <= now) this.localLeases.delete(k);
    }
    // Map keeps insertion order, so the first keys are the oldest leases.
    for (const k of this.localLeases.keys()) {
      if (this.localLeases.size <= this.maxLocalLeases) break;
      this.localLeases.delete(k);
    }
  }

  private countFault(intent: string, err: unknown): void {
    this.metrics.count(intent, err instanceof TurnBudgetExceededError ? CacheMetric.TURN_BUDGET_EXCEEDED : CacheMetric.STORE_ERROR);
  }

  private requestFor(lookup: Lookup, reason: GenerationRequest['reason']): GenerationRequest {
    const { intent, config, context, key } = lookup;
    const canonical = canonicalContextObject(config, context);
    return {
      version: GENERATION_REQUEST_VERSION,
      key,
      intent,
      context: canonical,
      prompt: renderPrompt(config, promptContextObject(config, context), lookup.question?.text)!,
      system: config.system,
      maxTokens: config.maxTokens,
      ttlSeconds: config.ttlSeconds ?? DEFAULT_TTL_SECONDS,
      staleSeconds: config.staleSeconds ?? DEFAULT_STALE_SECONDS,
      reason,
      requestedAt: this.clock(),
      question: lookup.question ? {
        text: lookup.question.text,
        partition: lookup.question.partition,
        expiresAt: this.clock() + maxAgeMs(config),
        embedding: lookup.question.embedding ? encodeEmbedding(lookup.question.embedding) : undefined,
      } : undefined,
    };
  }

  /** Synchronous mode: try Bedrock within the deadline, else the static answer and a background request. */
  private async generateNow(lookup: Lookup, deadlineMs: number, signal?: AbortSignal): Promise<CacheResponse> {
    const { key } = lookup;
    let run = this.syncRuns.get(key);
    const first = !run;
    if (!run) {
      run = this.runSync(lookup, deadlineMs, signal).finally(() => this.syncRuns.delete(key));
      this.syncRuns.set(key, run);
    }
    const result = await run;
    switch (result.kind) {
      case 'generated':
        return this.served(lookup, 'sync-generated', result.entry);
      case 'busy':
        // Another Lambda holds the lease and is generating: answer now, its result lands in L2.
        return this.staticAnswer(lookup, 'miss');
      case 'failed':
        return this.staticAnswer(lookup, 'fallback', first && result.enqueued);
    }
  }

  private async runSync(lookup: Lookup, deadlineMs: number, signal?: AbortSignal): Promise<SyncResult> {
    const { intent, config, context, key } = lookup;
    try {
      if (!(await this.store.claimRefresh(key, this.refreshLeaseMs))) return { kind: 'busy' };
    } catch (err) {
      this.metrics.count(intent, CacheMetric.STORE_ERROR);
      this.onError('cache.lease-failed', err, { intent, key });
      return { kind: 'failed', enqueued: false };
    }
    try {
      const generation = await this.generator!.generate(renderPrompt(config, promptContextObject(config, context), lookup.question?.text)!, {
        system: config.system,
        maxTokens: config.maxTokens,
        timeoutMs: deadlineMs,
        signal,
      });
      this.metrics.timing(intent, CacheMetric.GENERATION_LATENCY, generation.latencyMs);
      this.metrics.count(intent, CacheMetric.GENERATION_SUCCESS);
      const complete = completeAnswer(generation.text, generation.stopReason);
      if (complete.kind === 'unusable') {
        this.metrics.count(intent, complete.reason === 'max_tokens' ? CacheMetric.TRUNCATED_ANSWER : CacheMetric.GUARDRAIL_INTERVENED);
        await this.store.releaseRefresh(key).catch((err) => this.onError('cache.lease-release-failed', err, { intent, key }));
        return { kind: 'failed', enqueued: false };
      }
      if (complete.kind === 'trimmed') this.metrics.count(intent, CacheMetric.TRUNCATED_ANSWER);
      const entry = this.entryFor(lookup, complete.text, this.clock());
      const stored = await this.storeAnswer(key, entry).catch((err) => {
        this.metrics.count(intent, CacheMetric.STORE_ERROR);
        this.onError('cache.l2-write-failed', err, { intent, key });
        return false;
      });
      if (stored && lookup.question) {
        await this.questions.remember(config, lookup.question, key, entry.generatedAt).catch((err) => {
          this.metrics.count(intent, CacheMetric.STORE_ERROR);
          this.onError('cache.question-write-failed', err, { intent, key });
        });
      }
      await this.store.releaseRefresh(key).catch((err) => this.onError('cache.lease-release-failed', err, { intent, key }));
      return { kind: 'generated', entry };
    } catch (err) {
      this.metrics.count(intent, CacheMetric.GENERATION_FAILURE);
      this.onError('cache.sync-generation-failed', err, { intent, key });
      // We still hold the lease: hand the work to the worker.
      const enqueued = await this.claimAndEnqueue(lookup, 'sync-failed', true);
      return { kind: 'failed', enqueued };
    }
  }

  private entryFor(lookup: Lookup, answer: string, generatedAt: number): CachedAnswer {
    const { intent, config } = lookup;
    return answerEntry(intent, answer, generatedAt, config.ttlSeconds ?? DEFAULT_TTL_SECONDS, config.staleSeconds ?? DEFAULT_STALE_SECONDS);
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

/** One `respond` call: what every step of finding the answer needs. */
interface Lookup {
  readonly intent: string;
  readonly config: IntentCacheConfig;
  readonly context: Record<string, unknown>;
  readonly key: string;
  /** A per-question intent's question; absent for intent-level answers. */
  readonly question?: QuestionLookup;
}

/** The outcome metric of each status. A synchronously generated answer was a miss that did not have to wait. */
const OUTCOME_METRIC: Record<CacheStatus, CacheMetricName> = {
  'l1-hit': CacheMetric.L1_HIT,
  'l2-hit': CacheMetric.L2_HIT,
  'stale': CacheMetric.STALE_SERVED,
  'miss': CacheMetric.MISS,
  'sync-generated': CacheMetric.MISS,
  'fallback': CacheMetric.FALLBACK,
  'static': CacheMetric.STATIC_ANSWER,
  'near-hit': CacheMetric.NEAR_HIT,
  'unshared': CacheMetric.STATIC_ANSWER,
  'limited': CacheMetric.STATIC_ANSWER,
};

type SyncResult = { kind: 'generated'; entry: CachedAnswer } | { kind: 'busy' } | { kind: 'failed'; enqueued: boolean };

function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean } };
  return e?.$retryable?.throttling === true || /Throttl|TooManyRequests|RequestLimitExceeded|ProvisionedThroughputExceeded/.test(e?.name ?? '');
}

function newer(a: CachedAnswer | undefined, b: CachedAnswer | undefined): CachedAnswer | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.generatedAt >= b.generatedAt ? a : b;
}
