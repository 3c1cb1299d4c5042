// Lambda entry point of the lead-to-call workflow: upserts the Salesforce Lead on its external id (a retry never
// makes a second Lead). Configuration: FAST_LEX_SALESFORCE_SECRET_ID, FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD.
import { getSalesforceClient } from '../runtime/salesforce/salesforce-client';
import { requiredEnv } from '../runtime/env';
import { createCreateLeadStep } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

// Module scope, built on the first event: the secret cache and the Salesforce connection survive between invocations.
let step: ReturnType<typeof createCreateLeadStep> | undefined;

export async function handler(event: Parameters<ReturnType<typeof createCreateLeadStep>>[0]) {
  step ??= createCreateLeadStep({
    leads: getSalesforceClient({ credentialsSecretId: requiredEnv(process.env, FAST_LEX_ENV.salesforceSecretId, 'the Salesforce credentials secret') }),
    externalIdField: requiredEnv(process.env, FAST_LEX_ENV.externalIdField, 'the Lead external-id field'),
  });
  return step(event);
}
