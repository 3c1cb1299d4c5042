// Lambda entry point of the lead-to-call workflow: upserts the Salesforce Lead on its external id (a retry never
// makes a second Lead) and writes its id to the call, which is already placed. Configuration:
// FAST_LEX_SALESFORCE_SECRET_ID, FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD, FAST_LEX_CALL_CONTEXT_TABLE (optional).
import { getSalesforceClient } from '../runtime/salesforce/salesforce-client';
import { optionalEnv, requiredEnv } from '../runtime/env';
import { callContextStoreFromEnvironment } from '../runtime/workflow/environment';
import { createCreateLeadStep } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

// Module scope, built on the first event: the secret cache and the Salesforce connection survive between invocations.
let step: ReturnType<typeof createCreateLeadStep> | undefined;

export async function handler(event: Parameters<ReturnType<typeof createCreateLeadStep>>[0]) {
  step ??= createCreateLeadStep({
    leads: getSalesforceClient({ credentialsSecretId: requiredEnv(process.env, FAST_LEX_ENV.salesforceSecretId, 'the Salesforce credentials secret') }),
    externalIdField: requiredEnv(process.env, FAST_LEX_ENV.externalIdField, 'the Lead external-id field'),
    store: optionalEnv(process.env, FAST_LEX_ENV.callContextTable) === undefined ? undefined : callContextStoreFromEnvironment(),
  });
  return step(event);
}
