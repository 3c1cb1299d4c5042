// Lambda entry point of the lead-to-call workflow: generates the call scenario with Bedrock Converse.
// Configuration: FAST_LEX_MODEL_ID, FAST_LEX_MAX_TOKENS, FAST_LEX_SCENARIO_PROMPT; endpoint from AWS_ENDPOINT_URL_*.
import { ConverseGenerator, DEFAULT_MAX_TOKENS, DEFAULT_MODEL_ID } from '../runtime/bedrock/converse';
import { positiveIntEnv } from '../runtime/workflow/environment';
import { WORKFLOW_ENV } from '../runtime/workflow/schema';
import { createGenerateScenarioStep } from '../runtime/workflow/steps';

let step: ReturnType<typeof createGenerateScenarioStep> | undefined;

export async function handler(event: Parameters<ReturnType<typeof createGenerateScenarioStep>>[0]) {
  if (!step) {
    const maxTokens = positiveIntEnv(process.env, WORKFLOW_ENV.maxTokens, DEFAULT_MAX_TOKENS);
    step = createGenerateScenarioStep({
      // One attempt per invocation (the generator's default): Step Functions retries throttling with backoff and jitter.
      model: new ConverseGenerator({ modelId: process.env[WORKFLOW_ENV.modelId] || DEFAULT_MODEL_ID, maxTokens }),
      prompt: process.env[WORKFLOW_ENV.scenarioPrompt] || undefined,
      maxTokens,
    });
  }
  return step(event);
}
