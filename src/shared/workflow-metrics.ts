// The demo call workflow's EMF metric contract: what its step handlers emit and what FastLexMonitoring alarms on.
import { CACHE_METRICS_NAMESPACE } from './cache-metrics';

/** The namespace the workflow's functions publish to (their `POWERTOOLS_METRICS_NAMESPACE`). */
export const WORKFLOW_METRICS_NAMESPACE = CACHE_METRICS_NAMESPACE;

/** The `service` dimension of the UpdateLead / MarkLeadFailed function's documents (its `POWERTOOLS_SERVICE_NAME`). */
export const UPDATE_LEAD_METRICS_SERVICE = 'demo-call-workflow-update-lead';

/** Dimension names. */
export const WorkflowMetricDimension = {
  SERVICE: 'service',
} as const;

/** Metric names. */
export const WorkflowMetric = {
  /**
   * The failure path kept a request whose retries were spent (`SPENT#` in the call-context table): counted once per
   * failed execution, not again when the failure step itself is retried.
   */
  SPENT_REQUEST_KEPT: 'SpentRequestKept',
} as const;
export type WorkflowMetricName = (typeof WorkflowMetric)[keyof typeof WorkflowMetric];
