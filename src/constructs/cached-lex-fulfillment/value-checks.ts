// The checks of CachedLexFulfillment's plain values at synth (model id, token limits, deadlines, turn budget,
// guardrail, memory), each naming the prop as written in TypeScript (camelCase, also in Python) and the fix.
import { Duration, Token } from 'aws-cdk-lib';
import { INFERENCE_PROFILE_PREFIXES } from '../../shared/bedrock-defaults';
import { DEFAULT_TURN_BUDGET_MS } from '../../shared/fault-tolerance';
import type { CachedLexFulfillmentProps } from './props';

/** Lex waits at most this long for a fulfillment code hook (the default fulfillment timeout). */
export const LEX_CODE_HOOK_TIMEOUT = Duration.seconds(30);

const MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d{0,12}:(foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model|imported-model)\/\S+$/;
const MODEL_ID = /^[a-z0-9-]+(\.[a-z0-9][a-z0-9_:-]*)+$/;

/** Throws when a value would fail at deploy time or on the first turn; unresolved tokens pass. */
export function checkValues(where: string, props: CachedLexFulfillmentProps, functionTimeout: Duration): void {
  checkModelId(where, 'modelId', props.modelId);
  for (const intent of props.intents ?? []) checkModelId(where, `intents[${intent.intentName}].questionMatching.embeddingModelId`, intent.questionMatching?.embeddingModelId);
  for (const bound of ['perSession', 'perMinute'] as const) checkWholeNumber(where, `generationLimits.${bound}`, props.generationLimits?.[bound], 1);
  checkWholeNumber(where, 'maxTokens', props.maxTokens, 1);
  for (const intent of props.intents ?? []) checkWholeNumber(where, `intents[${intent.intentName}].maxTokens`, intent.maxTokens, 1);
  const memory = props.fulfillmentMemorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < 256 || memory > 10240)) {
    throw new Error(`${where}: 'fulfillmentMemorySize' must be a whole number of MB from 256 to 10240, got ${memory}. `
      + 'The fulfillment function answers while a person waits; below 256 MB Lambda gives it too little CPU (a turn takes ~500 ms longer at 128 MB).');
  }
  if (props.fulfillmentTimeout && !props.fulfillmentTimeout.isUnresolved()) {
    const s = props.fulfillmentTimeout.toSeconds({ integral: false });
    if (s < 1 || s > 900) throw new Error(`${where}: 'fulfillmentTimeout' must be between 1 second and 15 minutes, got ${props.fulfillmentTimeout.toHumanString()}.`);
  }
  if (props.fulfillmentHandler !== undefined && props.fulfillmentCode === undefined) {
    throw new Error(`${where}: 'fulfillmentHandler' names a handler in 'fulfillmentCode', which is not set. Pass your bundled code as `
      + "'fulfillmentCode' (e.g. lambda.Code.fromAsset('dist/fulfillment')), or leave both out for the prebundled handler.");
  }
  if (props.fulfillmentHandler !== undefined && !Token.isUnresolved(props.fulfillmentHandler) && !/^[^\s]+\.[A-Za-z_$][\w$]*$/.test(props.fulfillmentHandler)) {
    throw new Error(`${where}: 'fulfillmentHandler' must be 'file.export' (e.g. 'index.handler'), got '${props.fulfillmentHandler}'.`);
  }
  const deadline = props.syncGenerationDeadline;
  if (deadline && !deadline.isUnresolved()) {
    const ms = deadline.toMilliseconds();
    if (ms <= 0) throw new Error(`${where}: 'syncGenerationDeadline' must be above 0; leave it out to answer every miss at once.`);
    if (!functionTimeout.isUnresolved() && ms >= functionTimeout.toMilliseconds()) {
      throw new Error(`${where}: 'syncGenerationDeadline' (${deadline.toHumanString()}) must be shorter than the fulfillment function's timeout `
        + `(${functionTimeout.toHumanString()}, 'fulfillmentTimeout'), or the function is killed before it can fall back to the static answer.`);
    }
    if (ms >= LEX_CODE_HOOK_TIMEOUT.toMilliseconds()) {
      throw new Error(`${where}: 'syncGenerationDeadline' (${deadline.toHumanString()}) must be shorter than the 30 seconds Lex waits for a code hook.`);
    }
  }
  checkTurnBudget(where, props.turnBudget, functionTimeout);
  const g = props.guardrail;
  if (g && !Token.isUnresolved(g.guardrailId) && !/^[A-Za-z0-9_-]{1,64}$/.test(g.guardrailId)) {
    throw new Error(`${where}: 'guardrail.guardrailId' must be the guardrail's id (the last part of its ARN, not the ARN), got '${g.guardrailId}'.`);
  }
  if (g && !Token.isUnresolved(g.guardrailVersion) && !/^(DRAFT|[1-9][0-9]{0,7})$/.test(g.guardrailVersion)) {
    throw new Error(`${where}: 'guardrail.guardrailVersion' must be a version number such as '1', or 'DRAFT', got '${g.guardrailVersion}'.`);
  }
}

function checkTurnBudget(where: string, budget: Duration | undefined, functionTimeout: Duration): void {
  if (!budget || budget.isUnresolved()) return;
  const ms = budget.toMilliseconds({ integral: false });
  if (!(ms > 0) || !Number.isInteger(ms)) {
    throw new Error(`${where}: 'turnBudget' must be a whole number of milliseconds above 0, got ${budget.toHumanString()}. `
      + `Leave it out for the default of ${DEFAULT_TURN_BUDGET_MS} ms.`);
  }
  if (!functionTimeout.isUnresolved() && ms >= functionTimeout.toMilliseconds({ integral: false })) {
    throw new Error(`${where}: 'turnBudget' (${budget.toHumanString()}) must be shorter than the fulfillment function's timeout `
      + `(${functionTimeout.toHumanString()}): lower 'turnBudget' or raise 'fulfillmentTimeout', or Lambda ends the turn before the handler can give the stale or static answer.`);
  }
  if (ms >= LEX_CODE_HOOK_TIMEOUT.toMilliseconds()) {
    throw new Error(`${where}: 'turnBudget' (${budget.toHumanString()}) must be shorter than the 30 seconds Lex waits for a code hook; `
      + `a caller should hear an answer within a few seconds (the default is ${DEFAULT_TURN_BUDGET_MS} ms).`);
  }
}

/** Throws unless `modelId` is a Bedrock foundation model id, inference profile id or model ARN, naming `prop`; tokens pass. */
export function checkModelId(where: string, prop: string, modelId: string | undefined): void {
  if (modelId === undefined || Token.isUnresolved(modelId)) return;
  const hint = "Use a foundation model id ('anthropic.claude-haiku-4-5-20251001-v1:0'), a cross-region inference profile id "
    + "('us.anthropic.claude-haiku-4-5-20251001-v1:0') or an ARN ('arn:aws:bedrock:...:inference-profile/...').";
  if (modelId.startsWith('arn:')) {
    if (!MODEL_ARN.test(modelId)) throw new Error(`${where}: '${prop}' '${modelId}' is not a Bedrock model or inference profile ARN. ${hint}`);
    return;
  }
  const segments = modelId.split(':')[0].split('.');
  const profileShaped = segments.length === 3 && INFERENCE_PROFILE_PREFIXES.includes(segments[0]);
  if (!MODEL_ID.test(modelId) || !(segments.length === 2 || profileShaped)) {
    throw new Error(`${where}: '${prop}' '${modelId}' is neither a foundation model id (provider.model) nor an inference profile id `
      + `(${INFERENCE_PROFILE_PREFIXES.join('|')}.provider.model). ${hint}`);
  }
}

function checkWholeNumber(where: string, prop: string, value: number | undefined, min: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min) throw new Error(`${where}: '${prop}' must be a whole number of ${min} or more, got ${value}.`);
}
