// Lambda entry point of the lead-to-call workflow: stores the call context and places the Amazon Connect call with a
// ClientToken derived from the execution. Configuration: FAST_LEX_CALL_CONTEXT_TABLE, FAST_LEX_CONNECT_INSTANCE_ID,
// FAST_LEX_CONTACT_FLOW_ID, FAST_LEX_SOURCE_PHONE_NUMBER or FAST_LEX_QUEUE_ID.
import { ConnectClient } from '@aws-sdk/client-connect';
import { optionalEnv, requiredEnv } from '../runtime/env';
import { callContextStoreFromEnvironment, callPacerFromEnvironment } from '../runtime/workflow/environment';
import { createInvokeOutboundCallStep, type InvokeOutboundCallEvent } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

let step: ReturnType<typeof createInvokeOutboundCallStep> | undefined;

export async function handler(event: InvokeOutboundCallEvent) {
  step ??= createInvokeOutboundCallStep({
    store: callContextStoreFromEnvironment(),
    // One attempt: Step Functions retries with backoff and jitter, with the same ClientToken, so it never dials twice.
    connect: new ConnectClient({ maxAttempts: 1 }),
    instanceId: requiredEnv(process.env, FAST_LEX_ENV.connectInstanceId, 'the Amazon Connect instance id'),
    contactFlowId: requiredEnv(process.env, FAST_LEX_ENV.contactFlowId, 'the contact flow id'),
    sourcePhoneNumber: optionalEnv(process.env, FAST_LEX_ENV.sourcePhoneNumber),
    queueId: optionalEnv(process.env, FAST_LEX_ENV.queueId),
    // Calls paced to the account's rate across every execution (FAST_LEX_CALL_RATE_PER_SECOND), when configured.
    pacer: callPacerFromEnvironment(),
  });
  return step(event);
}
