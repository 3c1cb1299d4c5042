// The intents of a CachedLexFulfillment checked at synth and turned into the wire format the handler parses.
import { Token, type Duration } from 'aws-cdk-lib';
import { LEX_RUNTIME_MESSAGE_MAX_CHARS } from '../../shared/lex-limits';
import { DEFAULT_APOLOGY, DEFAULT_EMBEDDING_THRESHOLD, DEFAULT_FALLBACK_INTENTS } from '../../shared/defaults';
import type { IntentCacheConfig, IntentCacheConfigs, QuestionAnswersConfig, WorkflowIntentConfigs } from '../../shared/wire';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AnswerScope, type CachedLexFulfillmentProps, type IntentResponse, type WorkflowIntent } from './props';

/** The intents' cache configuration (`FAST_LEX_ENV.intents`), after the checks a user's mistake fails at synth. */
export function intentCacheConfigs(id: string, props: CachedLexFulfillmentProps): IntentCacheConfigs {
  const where = `CachedLexFulfillment '${id}'`;
  if (!props.intents || props.intents.length === 0) {
    throw new Error(`${where}: 'intents' needs at least one intent with a 'staticAnswer'.`);
  }
  if (props.fallbackAnswer !== undefined) checkFits(where, "'fallbackAnswer'", props.fallbackAnswer);
  const out: Record<string, IntentCacheConfig> = {};
  const names = new Set<string>();
  for (const intent of props.intents) {
    if (!intent.intentName || intent.intentName.includes('#')) {
      throw new Error(`${where}: intent name '${intent.intentName}' must be non-empty and must not contain '#'.`);
    }
    if (names.has(intent.intentName)) {
      throw new Error(`${where}: intent '${intent.intentName}' is configured twice in 'intents'.`);
    }
    names.add(intent.intentName);
    if (!intent.staticAnswer || intent.staticAnswer.trim() === '') {
      throw new Error(`${where}: intent '${intent.intentName}' needs a non-empty 'staticAnswer' (what a caller hears on a cache miss).`);
    }
    checkFits(where, `intent '${intent.intentName}': 'staticAnswer'`, intent.staticAnswer);
    if (intent.ttl && !intent.ttl.isUnresolved() && intent.ttl.toMilliseconds() < 1000) {
      throw new Error(`${where}: intent '${intent.intentName}': 'ttl' must be at least 1 second.`);
    }
    out[intent.intentName] = {
      staticAnswer: intent.staticAnswer,
      prompt: intent.prompt,
      system: intent.systemPrompt,
      ttlSeconds: wholeSeconds(intent.ttl),
      staleSeconds: wholeSeconds(intent.staleWindow),
      contextFields: intent.contextFields,
      maxTokens: intent.maxTokens,
      voiceSyncDeadlineMs: voiceDeadlineMs(where, intent),
      questions: questionsConfig(where, intent),
    };
  }
  for (const name of props.fallbackIntentNames ?? DEFAULT_FALLBACK_INTENTS) {
    if (!out[name]) out[name] = { staticAnswer: props.fallbackAnswer ?? DEFAULT_APOLOGY };
  }
  for (const w of props.workflowIntents ?? []) {
    if (names.has(w.intentName)) {
      throw new Error(`${where}: intent '${w.intentName}' is in both 'intents' and 'workflowIntents'; an intent is answered one way.`);
    }
    if ((w.stateMachine === undefined) === (w.workflow === undefined)) {
      throw new Error(`${where}: workflow intent '${w.intentName}' needs exactly one of 'stateMachine' and 'workflow' (the workflow object, `
        + 'e.g. a DemoCallWorkflow, whose input requirements are then checked).');
    }
    if (!w.answer || w.answer.trim() === '') {
      throw new Error(`${where}: workflow intent '${w.intentName}' needs a non-empty 'answer'.`);
    }
    checkFits(where, `workflow intent '${w.intentName}': 'answer'`, w.answer);
  }
  return out;
}

/** The workflow intents (`FAST_LEX_ENV.workflows`), or undefined when there are none. */
export function workflowIntentConfigs(workflowIntents: readonly WorkflowIntent[]): WorkflowIntentConfigs | undefined {
  if (!workflowIntents.length) return undefined;
  return Object.fromEntries(workflowIntents.map((w) => [
    w.intentName, { stateMachineArn: stateMachineOf(w).stateMachineArn, answer: w.answer, input: w.inputSlots },
  ]));
}

/** The state machine a workflow intent starts (`intentCacheConfigs` checked that exactly one is set). */
export function stateMachineOf(w: WorkflowIntent): IStateMachine {
  return (w.workflow?.workflowStateMachine ?? w.stateMachine)!;
}

/** Refuses a static text longer than one Lex runtime message (generated answers are split at run time instead). */
function checkFits(where: string, what: string, text: string): void {
  if (!Token.isUnresolved(text) && text.length > LEX_RUNTIME_MESSAGE_MAX_CHARS) {
    throw new Error(`${where}: ${what} holds ${text.length} characters; a Lex message holds at most ${LEX_RUNTIME_MESSAGE_MAX_CHARS}. Shorten it.`);
  }
}

/** The intent's voice deadline in ms, checked: above 0 and under Lex's 30 s code hook limit with room to answer. */
function voiceDeadlineMs(where: string, intent: IntentResponse): number | undefined {
  const d = intent.voiceGenerationDeadline;
  if (d === undefined || d.isUnresolved()) return undefined;
  const ms = d.toMilliseconds();
  if (ms <= 0 || ms > 25_000) {
    throw new Error(`${where}: intent '${intent.intentName}': 'voiceGenerationDeadline' must be above 0 and at most 25 seconds `
      + `(Lex waits 30 seconds for a code hook), got ${d.toHumanString()}.`);
  }
  if (!intent.prompt) {
    throw new Error(`${where}: intent '${intent.intentName}' has a 'voiceGenerationDeadline' but no 'prompt': nothing is generated to wait for. Add a prompt or remove the deadline.`);
  }
  return ms;
}

/** A per-question intent's settings (`IntentCacheConfig.questions`), checked; undefined for an intent-level one. */
function questionsConfig(where: string, intent: IntentResponse): QuestionAnswersConfig | undefined {
  const at = `${where}: intent '${intent.intentName}'`;
  const m = intent.questionMatching;
  if (intent.answerScope !== AnswerScope.QUESTION) {
    if (m) throw new Error(`${at} has 'questionMatching' but answers the intent: set 'answerScope: AnswerScope.QUESTION' or remove 'questionMatching'.`);
    return undefined;
  }
  if (!intent.prompt) {
    throw new Error(`${at} answers each question ('answerScope: AnswerScope.QUESTION') but has no 'prompt': each answer is generated from the question. Add a prompt.`);
  }
  checkFraction(at, 'questionMatching.nearMatchThreshold', m?.nearMatchThreshold);
  checkFraction(at, 'questionMatching.embeddingThreshold', m?.embeddingThreshold);
  if (m?.maxQuestions !== undefined && !Token.isUnresolved(m.maxQuestions) && (!Number.isInteger(m.maxQuestions) || m.maxQuestions < 1 || m.maxQuestions > 100_000)) {
    throw new Error(`${at}: 'questionMatching.maxQuestions' must be a whole number from 1 to 100000 (a near-hit lookup stays near 2 ms at 10000), got ${m.maxQuestions}.`);
  }
  const maxAgeSeconds = m?.maxAge === undefined || m.maxAge.isUnresolved() ? undefined : Math.round(m.maxAge.toMilliseconds() / 1000);
  if (maxAgeSeconds !== undefined && maxAgeSeconds < 1) throw new Error(`${at}: 'questionMatching.maxAge' must be at least 1 second.`);
  if (m?.embeddingThreshold !== undefined && m.embeddingModelId === undefined) {
    throw new Error(`${at}: 'questionMatching.embeddingThreshold' is set but 'questionMatching.embeddingModelId' is not: name the embedding model (e.g. 'amazon.titan-embed-text-v2:0') or remove the threshold.`);
  }
  return {
    nearMatchThreshold: m?.nearMatchThreshold,
    ignoredWords: m?.ignoredWords,
    maxQuestions: m?.maxQuestions,
    maxAgeSeconds,
    embedding: m?.embeddingModelId === undefined ? undefined : { modelId: m.embeddingModelId, threshold: m.embeddingThreshold ?? DEFAULT_EMBEDDING_THRESHOLD },
  };
}

function checkFraction(at: string, prop: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!(value > 0 && value <= 1)) throw new Error(`${at}: '${prop}' must be above 0 and at most 1, got ${value}.`);
}

function wholeSeconds(d?: Duration): number | undefined {
  return d === undefined ? undefined : Math.round(d.toMilliseconds() / 1000);
}
