// Lambda entry point of the lead-to-call workflow: generates the call scenario with Bedrock Converse and writes it to
// the call, which is already ringing (or notes that none will come). Configuration: FAST_LEX_MODEL_ID,
// FAST_LEX_MAX_TOKENS, FAST_LEX_SCENARIO_PROMPT, FAST_LEX_CALL_CONTEXT_TABLE (optional); endpoints from AWS_ENDPOINT_URL_*.
import { DEFAULT_BEDROCK_MODEL_ID } from '../shared/bedrock-defaults';
import { DEFAULT_MAX_TOKENS } from '../shared/defaults';
import { ConverseGenerator } from '../runtime/bedrock/converse';
import { numberEnv, optionalEnv } from '../runtime/env';
import { callContextStoreFromEnvironment } from '../runtime/workflow/environment';
import { createGenerateScenarioStep } from '../runtime/workflow/steps';
import { FAST_LEX_ENV } from '../shared/env';

let step: ReturnType<typeof createGenerateScenarioStep> | undefined;

export async function handler(event: Parameters<ReturnType<typeof createGenerateScenarioStep>>[0]) {
  if (!step) {
    const maxTokens = numberEnv(process.env, FAST_LEX_ENV.maxTokens, { fallback: DEFAULT_MAX_TOKENS, min: 1, integer: true });
    step = createGenerateScenarioStep({
      // One attempt per invocation (the generator's default): Step Functions retries throttling with backoff and jitter.
      model: new ConverseGenerator({ modelId: optionalEnv(process.env, FAST_LEX_ENV.modelId) ?? DEFAULT_BEDROCK_MODEL_ID, maxTokens }),
      prompt: optionalEnv(process.env, FAST_LEX_ENV.scenarioPrompt),
      maxTokens,
      store: optionalEnv(process.env, FAST_LEX_ENV.callContextTable) === undefined ? undefined : callContextStoreFromEnvironment(),
    });
  }
  return step(event);
}
