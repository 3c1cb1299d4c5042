// Lambda entry point of the lead-to-call workflow: the .waitForTaskToken task, which stores the task token against
// the call (and resumes at once if the call already ended); links the contact to the call if the call step could not.
// Configuration: FAST_LEX_CALL_CONTEXT_TABLE.
import { SFNClient } from '@aws-sdk/client-sfn';
import { callContextStoreFromEnvironment } from '../runtime/workflow/environment';
import { createAwaitCallStep } from '../runtime/workflow/steps';

let step: ReturnType<typeof createAwaitCallStep> | undefined;

export async function handler(event: Parameters<ReturnType<typeof createAwaitCallStep>>[0]) {
  step ??= createAwaitCallStep({ store: callContextStoreFromEnvironment(), sfn: new SFNClient({}) });
  return step(event);
}
