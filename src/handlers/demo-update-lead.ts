// Lambda entry point of the lead-to-call workflow: writes the call outcome (UpdateLead) or the workflow's failure
// (MarkLeadFailed) to the Salesforce Lead. Configuration: FAST_LEX_SALESFORCE_SECRET_ID, FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD.
import { getSalesforceClient } from '../runtime/salesforce/salesforce-client';
import { requiredEnv } from '../runtime/env';
import { createUpdateLeadStep, type UpdateLeadEvent } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

let step: ReturnType<typeof createUpdateLeadStep> | undefined;

export async function handler(event: UpdateLeadEvent) {
  step ??= createUpdateLeadStep({
    leads: getSalesforceClient({ credentialsSecretId: requiredEnv(process.env, FAST_LEX_ENV.salesforceSecretId, 'the Salesforce credentials secret') }),
    externalIdField: requiredEnv(process.env, FAST_LEX_ENV.externalIdField, 'the Lead external-id field'),
  });
  return step(event);
}
