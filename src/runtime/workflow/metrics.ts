// The workflow steps' metrics as CloudWatch embedded metric format (Powertools Metrics): one document per event.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { UPDATE_LEAD_METRICS_SERVICE, WORKFLOW_METRICS_NAMESPACE, WorkflowMetric } from '../../shared/workflow-metrics';

export interface WorkflowMetricsOptions {
  /** @default - `POWERTOOLS_METRICS_NAMESPACE`, else `CdkFastLex` */
  readonly namespace?: string;
  /** @default - `POWERTOOLS_SERVICE_NAME`, else the UpdateLead function's service name */
  readonly serviceName?: string;
  /** Receives the EMF document instead of stdout. @default - Powertools prints it to stdout (CloudWatch Logs) */
  readonly sink?: (emf: Record<string, unknown>) => void;
}

/**
 * Publishes one `SpentRequestKept` (dimension `service`). No request id or phone number goes into the document:
 * the kept request is listed with `SpentRequestStore.list()`.
 */
export function publishSpentRequestKept(options: WorkflowMetricsOptions = {}): void {
  const metrics = new Metrics({
    namespace: options.namespace ?? process.env.POWERTOOLS_METRICS_NAMESPACE ?? WORKFLOW_METRICS_NAMESPACE,
    serviceName: options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? UPDATE_LEAD_METRICS_SERVICE,
  });
  metrics.addMetric(WorkflowMetric.SPENT_REQUEST_KEPT, MetricUnit.Count, 1);
  if (options.sink) {
    options.sink(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    metrics.clearMetrics();
  } else {
    metrics.publishStoredMetrics();
  }
}
