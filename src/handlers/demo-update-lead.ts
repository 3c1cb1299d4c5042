// Lambda entry point of the lead-to-call workflow: writes the call outcome (UpdateLead) or the workflow's failure
// (MarkLeadFailed) to the Salesforce Lead; the failure path first keeps the request in the call-context table.
// Configuration: FAST_LEX_SALESFORCE_SECRET_ID, FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD, FAST_LEX_CALL_CONTEXT_TABLE.
import { getSalesforceClient } from '../runtime/salesforce/salesforce-client';
import { optionalEnv, requiredEnv } from '../runtime/env';
import { callContextStoreFromEnvironment, spentRequestStoreFromEnvironment } from '../runtime/workflow/environment';
import { createUpdateLeadStep, type UpdateLeadEvent } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

let step: ReturnType<typeof createUpdateLeadStep> | undefined;

export async function handler(event: UpdateLeadEvent) {
  const hasTable = optionalEnv(process.env, FAST_LEX_ENV.callContextTable) !== undefined;
  step ??= createUpdateLeadStep({
    leads: getSalesforceClient({ credentialsSecretId: requiredEnv(process.env, FAST_LEX_ENV.salesforceSecretId, 'the Salesforce credentials secret') }),
    externalIdField: requiredEnv(process.env, FAST_LEX_ENV.externalIdField, 'the Lead external-id field'),
    store: hasTable ? callContextStoreFromEnvironment() : undefined,
    spent: spentRequestStoreFromEnvironment(),
  });
  return step(event);
}
