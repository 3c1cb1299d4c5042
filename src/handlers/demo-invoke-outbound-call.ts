// Lambda entry point of the lead-to-call workflow: stores the call context and places the Amazon Connect call with a
// ClientToken derived from the execution. Configuration: FAST_LEX_CALL_CONTEXT_TABLE, FAST_LEX_CONNECT_INSTANCE_ID,
// FAST_LEX_CONTACT_FLOW_ID, FAST_LEX_SOURCE_PHONE_NUMBER or FAST_LEX_QUEUE_ID.
import { ConnectClient } from '@aws-sdk/client-connect';
import { callContextStoreFromEnvironment, requiredEnv } from '../runtime/workflow/environment';
import { WORKFLOW_ENV } from '../runtime/workflow/schema';
import { createInvokeOutboundCallStep, type InvokeOutboundCallEvent } from '../runtime/workflow/steps';

let step: ReturnType<typeof createInvokeOutboundCallStep> | undefined;

export async function handler(event: InvokeOutboundCallEvent) {
  step ??= createInvokeOutboundCallStep({
    store: callContextStoreFromEnvironment(),
    // One attempt: Step Functions retries with backoff and jitter, with the same ClientToken, so it never dials twice.
    connect: new ConnectClient({ maxAttempts: 1 }),
    instanceId: requiredEnv(process.env, WORKFLOW_ENV.connectInstanceId, 'the Amazon Connect instance id'),
    contactFlowId: requiredEnv(process.env, WORKFLOW_ENV.contactFlowId, 'the contact flow id'),
    sourcePhoneNumber: process.env[WORKFLOW_ENV.sourcePhoneNumber] || undefined,
    queueId: process.env[WORKFLOW_ENV.queueId] || undefined,
  });
  return step(event);
}
