// Cache metrics as CloudWatch embedded metric format (Powertools Metrics), one document per intent on each flush.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Metric names, also the keys of `CacheMetrics.snapshot()`. */
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
  GENERATION_LATENCY: 'GenerationLatency',
  /** A call on the turn path ran out of the turn's budget; the caller got the stale or static answer. */
  TURN_BUDGET_EXCEEDED: 'TurnBudgetExceeded',
  /** A generation request was sent again within the turn after its first send failed. */
  ENQUEUE_RETRIED: 'EnqueueRetried',
  /** Bedrock stopped at maxTokens: the answer was trimmed to its last whole sentence (or not cached). */
  TRUNCATED_ANSWER: 'TruncatedAnswer',
  /** Bedrock's guardrail intervened: its refusal is not cached. */
  GUARDRAIL_INTERVENED: 'GuardrailIntervened',
} as const;
export type CacheMetricName = (typeof CacheMetric)[keyof typeof CacheMetric];

export interface CacheMetricsOptions {
  /** CloudWatch namespace. @default - `POWERTOOLS_METRICS_NAMESPACE`, else `CdkFastLex` */
  readonly namespace?: string;
  /** `service` dimension. @default - `POWERTOOLS_SERVICE_NAME`, else `cdk-fast-lex` */
  readonly serviceName?: string;
  /**
   * Receives each EMF document instead of stdout (tests, other log pipelines).
   * @default - Powertools prints it to stdout, where Lambda sends it to CloudWatch Logs
   */
  readonly sink?: (emf: Record<string, unknown>) => void;
}

/**
 * Counts cache events per intent in memory and publishes them on `flush()` (call it once per invocation). Counts
 * are aggregated before publishing so a busy invocation emits one small document per intent, with `intent` as a
 * dimension: hit rate per intent is `(CacheHitL1 + CacheHitL2) / (CacheHitL1 + CacheHitL2 + CacheMiss + StaleServed)`.
 */
export class CacheMetrics {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly timings = new Map<string, Map<string, number[]>>();
  private readonly totals = new Map<string, Map<string, number>>();
  private readonly namespace: string;
  private readonly serviceName: string;

  constructor(private readonly options: CacheMetricsOptions = {}) {
    this.namespace = options.namespace ?? process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CdkFastLex';
    this.serviceName = options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? 'cdk-fast-lex';
  }

  /** Adds to a counter of one intent. */
  count(intent: string, name: CacheMetricName, value = 1): void {
    for (const target of [this.counts, this.totals]) {
      const m = target.get(intent) ?? new Map<string, number>();
      m.set(name, (m.get(name) ?? 0) + value);
      target.set(intent, m);
    }
  }

  /** Records a duration in ms. */
  timing(intent: string, name: CacheMetricName, ms: number): void {
    const m = this.timings.get(intent) ?? new Map<string, number[]>();
    m.set(name, [...(m.get(name) ?? []), ms]);
    this.timings.set(intent, m);
    this.count(intent, name, 0); // keeps the intent visible in snapshot()
  }

  /** Counters since this object was made (flushes do not reset them): for tests, benchmarks and health checks. */
  snapshot(intent?: string): Record<string, number> {
    const out: Record<string, number> = {};
    const intents = intent === undefined ? [...this.totals.keys()] : [intent];
    for (const i of intents) {
      for (const [name, value] of this.totals.get(i) ?? []) out[name] = (out[name] ?? 0) + value;
    }
    return out;
  }

  /** Publishes and clears what was counted since the last flush. Does nothing when nothing was counted. */
  flush(): void {
    const intents = new Set([...this.counts.keys(), ...this.timings.keys()]);
    for (const intent of intents) {
      const metrics = new Metrics({ namespace: this.namespace, serviceName: this.serviceName, defaultDimensions: { intent } });
      let any = false;
      for (const [name, value] of this.counts.get(intent) ?? []) {
        if (value > 0) {
          metrics.addMetric(name, MetricUnit.Count, value);
          any = true;
        }
      }
      for (const [name, values] of this.timings.get(intent) ?? []) {
        for (const v of values) metrics.addMetric(name, MetricUnit.Milliseconds, v);
        any = any || values.length > 0;
      }
      if (!any) continue;
      if (this.options.sink) {
        this.options.sink(metrics.serializeMetrics() as unknown as Record<string, unknown>);
        metrics.clearMetrics();
      } else {
        metrics.publishStoredMetrics();
      }
    }
    this.counts.clear();
    this.timings.clear();
  }
}
