// The response cache's EMF metric contract: what the runtime emits and what the monitoring construct reads.

/** The namespace the constructs set (`POWERTOOLS_METRICS_NAMESPACE`) and the runtime falls back to. */
export const CACHE_METRICS_NAMESPACE = 'CdkFastLex';

/** The `service` dimension of the fulfillment function's documents (its `POWERTOOLS_SERVICE_NAME`). */
export const FULFILLMENT_METRICS_SERVICE = 'Fulfillment';

/** The `service` dimension of the generator worker's documents. */
export const GENERATOR_METRICS_SERVICE = 'Generator';

/** Dimension names. */
export const CacheMetricDimension = {
  SERVICE: 'service',
  INTENT: 'intent',
} as const;

/**
 * The dimension sets every cache document carries: per intent, and per service (the whole bot), so a hit rate of
 * the whole bot is metric math on plain metrics rather than a SEARCH over every intent.
 */
export const CACHE_METRIC_DIMENSION_SETS: ReadonlyArray<readonly string[]> = [
  [CacheMetricDimension.SERVICE, CacheMetricDimension.INTENT],
  [CacheMetricDimension.SERVICE],
];

/** Metric names, also the keys of the runtime's `CacheMetrics.snapshot()`. */
export const CacheMetric = {
  L1_HIT: 'CacheHitL1',
  L2_HIT: 'CacheHitL2',
  MISS: 'CacheMiss',
  STALE_SERVED: 'StaleServed',
  STATIC_ANSWER: 'StaticAnswer',
  FALLBACK: 'Fallback',
  REFRESH_ENQUEUED: 'RefreshEnqueued',
  ENQUEUE_FAILURE: 'EnqueueFailure',
  STORE_ERROR: 'StoreError',
  OVERSIZE_ANSWER: 'OversizeAnswer',
  GENERATION_SUCCESS: 'GenerationSuccess',
  GENERATION_FAILURE: 'GenerationFailure',
  /** A call on the turn path ran out of the turn's budget; the caller got the stale or static answer. */
  TURN_BUDGET_EXCEEDED: 'TurnBudgetExceeded',
  /** A generation request was sent again within the turn after its first send failed. */
  ENQUEUE_RETRIED: 'EnqueueRetried',
  /** Bedrock stopped at maxTokens: the answer was trimmed to its last whole sentence (or not cached). */
  TRUNCATED_ANSWER: 'TruncatedAnswer',
  /** Bedrock's guardrail intervened: its refusal is not cached. */
  GUARDRAIL_INTERVENED: 'GuardrailIntervened',
  GENERATION_LATENCY: 'GenerationLatency',
  /** A per-question intent reused the answer of a paraphrase (lexical or embedding match): no model call. */
  NEAR_HIT: 'CacheNearHit',
  /** A question was answered without being shared: it held personal data or instructions (see `questionShareability`). */
  UNSHARED_QUESTION: 'UnsharedQuestion',
  /** A new question's generation was refused by the per-session or per-minute bound: the static answer was served. */
  GENERATION_BUDGET_EXCEEDED: 'GenerationBudgetExceeded',
  /** One embedding call made after a lexical miss (the embedding stage of a per-question intent). */
  EMBEDDING_LOOKUP: 'EmbeddingLookup',
} as const;
export type CacheMetricName = (typeof CacheMetric)[keyof typeof CacheMetric];
