// Lambda entry point of the lead-to-call workflow: Amazon Connect contact events from EventBridge. STANDARD mode
// resumes the waiting execution with the call outcome (and updates the Lead itself when the wait already timed out);
// EXPRESS mode (the execution did not wait) updates the Lead.
// Configuration: FAST_LEX_CALL_CONTEXT_TABLE, FAST_LEX_WORKFLOW_MODE, and in EXPRESS mode the Salesforce variables.
import { SFNClient } from '@aws-sdk/client-sfn';
import { getSalesforceClient } from '../runtime/salesforce/salesforce-client';
import { optionalEnv, requiredEnv } from '../runtime/env';
import { callContextStoreFromEnvironment, workflowModeFromEnvironment } from '../runtime/workflow/environment';
import { createCallCompletedHandler } from '../runtime/workflow/steps';
import type { ConnectContactEvent } from '../runtime/workflow/types';
import { FAST_LEX_ENV } from '../shared/env';

let step: ReturnType<typeof createCallCompletedHandler> | undefined;

export async function handler(event: ConnectContactEvent) {
  if (!step) {
    const mode = workflowModeFromEnvironment();
    step = createCallCompletedHandler({
      store: callContextStoreFromEnvironment(),
      mode,
      sfn: mode === 'STANDARD' ? new SFNClient({}) : undefined,
      // EXPRESS: the Lead is updated here. STANDARD: only when the event comes after the wait timed out.
      leads: mode === 'EXPRESS' || optionalEnv(process.env, FAST_LEX_ENV.salesforceSecretId) !== undefined
        ? getSalesforceClient({ credentialsSecretId: requiredEnv(process.env, FAST_LEX_ENV.salesforceSecretId, 'the Salesforce credentials secret') })
        : undefined,
      externalIdField: mode === 'EXPRESS' ? requiredEnv(process.env, FAST_LEX_ENV.externalIdField, 'the Lead external-id field') : undefined,
    });
  }
  return step(event);
}
