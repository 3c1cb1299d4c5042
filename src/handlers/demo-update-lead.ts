// Lambda entry point of the lead-to-call workflow: writes the call outcome (UpdateLead) or the workflow's failure
// (MarkLeadFailed) to the Salesforce Lead; the failure path first keeps the request in the call-context table and
// publishes the SpentRequestKept metric (EMF on stdout) that FastLexMonitoring alarms on. A call whose event never came
// is looked up with DescribeContact. Configuration: FAST_LEX_SALESFORCE_SECRET_ID, FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD,
// FAST_LEX_CALL_CONTEXT_TABLE, FAST_LEX_CONNECT_INSTANCE_ID.
import { ConnectClient } from '@aws-sdk/client-connect';
import { getSalesforceClient } from '../runtime/salesforce/salesforce-client';
import { optionalEnv, requiredEnv } from '../runtime/env';
import { callContextStoreFromEnvironment, spentRequestStoreFromEnvironment } from '../runtime/workflow/environment';
import { contactOutcomeReader } from '../runtime/workflow/contact-state';
import { publishSpentRequestKept } from '../runtime/workflow/metrics';
import { createUpdateLeadStep, type UpdateLeadEvent } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

let step: ReturnType<typeof createUpdateLeadStep> | undefined;

export async function handler(event: UpdateLeadEvent) {
  const hasTable = optionalEnv(process.env, FAST_LEX_ENV.callContextTable) !== undefined;
  const instanceId = optionalEnv(process.env, FAST_LEX_ENV.connectInstanceId);
  // Read at the start, with the function's environment: the namespace and service the alarm reads.
  const metricsOptions = { namespace: process.env.POWERTOOLS_METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME };
  step ??= createUpdateLeadStep({
    leads: getSalesforceClient({ credentialsSecretId: requiredEnv(process.env, FAST_LEX_ENV.salesforceSecretId, 'the Salesforce credentials secret') }),
    externalIdField: requiredEnv(process.env, FAST_LEX_ENV.externalIdField, 'the Lead external-id field'),
    store: hasTable ? callContextStoreFromEnvironment() : undefined,
    spent: spentRequestStoreFromEnvironment(),
    onSpentRequestKept: () => publishSpentRequestKept(metricsOptions),
    describeContact: instanceId ? contactOutcomeReader({ connect: new ConnectClient({ maxAttempts: 3 }), instanceId }) : undefined,
  });
  return step(event);
}
