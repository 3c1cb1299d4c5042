// The props of FastLexBot: one object per intent (its utterances, slots, confirmation and answer), the locales, the bot.
import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { ICallContextSource } from '../call-context-source';
import type { AnswerSettings, BedrockGuardrail, IntentResponse } from '../cached-lex-fulfillment/props';
import type { ProgressMessages } from '../cached-lex-fulfillment/progress-messages';
import type { ResponseCacheTableOptions } from '../response-cache-table';
import type { IWorkflowInputContract } from '../workflow-input-contract';

/**
 * A slot of an intent: what Lex asks for, in the order the intent lists its slots.
 */
export interface FastLexSlot {
  /** The slot name, as `{Name}` in utterances and prompts. */
  readonly name: string;
  /** A built-in type (`AMAZON.FirstName`, `AMAZON.PhoneNumber`, ...) or the name of a custom slot type of the locale. */
  readonly slotTypeName: string;
  /** What Lex asks to fill it, e.g. "Which company are you with?". */
  readonly prompt: string;
  /**
   * How often Lex asks again when the answer does not fill the slot (0 to 5).
   * @default 2
   */
  readonly maxRetries?: number;
  /**
   * Whether the intent can be fulfilled without it.
   * @default false (Lex asks until it is filled)
   */
  readonly optional?: boolean;
  /**
   * Whether a caller can interrupt the prompt.
   * @default true
   */
  readonly allowInterrupt?: boolean;
}

/**
 * The question Lex asks once every slot is filled; a "no" ends the intent with the declination, nothing fulfilled.
 */
export interface FastLexConfirmation {
  /** The question, e.g. "Shall we call {PhoneNumber}?" (slot names in braces). */
  readonly prompt: string;
  /** What Lex says after a "no". */
  readonly declination: string;
  /**
   * How often Lex asks again when the answer is neither yes nor no (0 to 5).
   * @default 2
   */
  readonly maxRetries?: number;
}

/**
 * How an intent starts a workflow instead of answering from the cache: its `staticAnswer` is what the caller hears at
 * once, the slots go into the execution input.
 */
export interface FastLexWorkflowStart {
  /**
   * The state machine to start. Set this or `workflow`.
   * @default - `workflow.workflowStateMachine`
   */
  readonly stateMachine?: sfn.IStateMachine;
  /**
   * The workflow to start when it declares what its input needs (a `DemoCallWorkflow`); `inputSlots` is checked against it.
   * @default - `stateMachine`
   */
  readonly workflow?: IWorkflowInputContract;
  /**
   * Where each slot goes in the execution input: input path (dotted) to slot name.
   * @default - `{ intent, slots, localeId, requestedAt }` with every filled slot under `slots`
   */
  readonly inputSlots?: { [inputPath: string]: string };
}

/**
 * One intent in one object: what the caller says (`utterances`), what Lex asks (`slots`, `confirmation`) and the
 * answer. The answer's fields are those of `IntentResponse` (`intentName` is the intent's name), and go to
 * `CachedLexFulfillment` as they are: every answer setting it has is one an intent here has.
 */
export interface FastLexIntent extends IntentResponse {
  /** Sample utterances Lex learns the intent from (slot names in braces: "call me at {PhoneNumber}"). */
  readonly utterances: string[];
  /**
   * A description, shown in the Lex console.
   * @default - none
   */
  readonly description?: string;
  /**
   * The slots Lex fills before the intent is fulfilled, asked in this order.
   * @default - none
   */
  readonly slots?: FastLexSlot[];
  /**
   * A question asked once every slot is filled.
   * @default - none
   */
  readonly confirmation?: FastLexConfirmation;
  /**
   * The intent starts this workflow (its `staticAnswer` is what the caller hears at once).
   * @default - answered from the response cache, unless `startsWorkflow` is set
   */
  readonly workflow?: FastLexWorkflowStart;
  /**
   * The intent starts a workflow given later with `FastLexBot.startWorkflow()`: one built after the bot, such as a
   * `DemoCallWorkflow` whose call flow needs the bot's alias. Synth fails if none is given.
   * @default false
   */
  readonly startsWorkflow?: boolean;
}

/** A value of a custom slot type and the words that mean the same. */
export interface FastLexSlotValue {
  /** The value. */
  readonly value: string;
  /**
   * Synonyms resolved to `value`.
   * @default - none
   */
  readonly synonyms?: string[];
}

/**
 * A custom slot type: a list of values Lex learns from.
 */
export interface FastLexSlotType {
  /** The name slots refer to in `slotTypeName`. */
  readonly name: string;
  /** The values (at least one). */
  readonly values: FastLexSlotValue[];
  /**
   * Whether the slot keeps what the caller said (`true`: "expand values") or only the listed values and synonyms.
   * @default true
   */
  readonly keepOriginalValue?: boolean;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
}

/** The voice Lex speaks with on calls. */
export interface FastLexVoice {
  /** An Amazon Polly voice id, e.g. 'Joanna'. */
  readonly voiceId: string;
  /**
   * The Polly engine: 'standard', 'neural', 'long-form' or 'generative'.
   * @default - Lex's default for the voice
   */
  readonly engine?: string;
}

/**
 * A language of the bot and its intents.
 */
export interface FastLexLocale {
  /** A Lex V2 locale id, e.g. 'en_US', 'en_GB', 'es_US'. */
  readonly localeId: string;
  /** The intents; the construct adds `FallbackIntent` (on `AMAZON.FallbackIntent`). */
  readonly intents: FastLexIntent[];
  /**
   * Custom slot types.
   * @default - none
   */
  readonly slotTypes?: FastLexSlotType[];
  /**
   * Lex's confidence below which a turn goes to the fallback intent (0 to 1).
   * @default 0.4
   */
  readonly nluConfidenceThreshold?: number;
  /**
   * The voice on calls.
   * @default - Lex's default voice for the locale
   */
  readonly voice?: FastLexVoice;
}

/**
 * The fulfillment settings of a FastLexBot, passed to its `CachedLexFulfillment` as they are.
 */
export interface FastLexFulfillmentOptions {
  /**
   * What the fallback intent (and any intent not configured) answers.
   * @default DEFAULT_APOLOGY ("Sorry, I didn't catch that. Could you say it another way?")
   */
  readonly fallbackAnswer?: string;
  /**
   * How the fallback intent answers what no intent matches, e.g. each open question with Bedrock
   * (`{ staticAnswer, prompt, answerScope: AnswerScope.QUESTION }`).
   * @default - `fallbackAnswer`, always (no generation)
   */
  readonly fallback?: AnswerSettings;
  /**
   * Bedrock model id or inference profile id.
   * @default DEFAULT_BEDROCK_MODEL_ID (Claude Haiku 4.5, US inference profile)
   */
  readonly modelId?: string;
  /**
   * Bedrock maxTokens of a generated answer.
   * @default DEFAULT_MAX_TOKENS (150)
   */
  readonly maxTokens?: number;
  /**
   * A guardrail for every generation.
   * @default - none
   */
  readonly guardrail?: BedrockGuardrail;
  /**
   * Generate synchronously on a miss within this deadline before falling back to the static answer.
   * @default - off
   */
  readonly syncGenerationDeadline?: Duration;
  /**
   * Longest a turn spends on DynamoDB, SQS and Step Functions (see `CachedLexFulfillmentProps.turnBudget`).
   * @default - 2 seconds
   */
  readonly turnBudget?: Duration;
  /**
   * Secrets the fulfillment function may read.
   * @default - none
   */
  readonly secrets?: secretsmanager.ISecret[];
  /**
   * Where the call context of a phone call is kept (a `DemoCallWorkflow`).
   * @default - none
   */
  readonly callContext?: ICallContextSource;
  /**
   * Provisioned instances of the fulfillment function.
   * @default 2
   */
  readonly provisionedConcurrency?: number;
  /**
   * Memory of the fulfillment function in MB.
   * @default 512
   */
  readonly fulfillmentMemorySize?: number;
  /**
   * Your own fulfillment code instead of the prebundled handler.
   * @default - the prebundled handler
   */
  readonly fulfillmentCode?: lambda.Code;
  /**
   * The handler of `fulfillmentCode`.
   * @default 'index.handler'
   */
  readonly fulfillmentHandler?: string;
  /**
   * Timeout of the fulfillment function.
   * @default Duration.seconds(10), or 5 s more than `progressMessages.timeout`
   */
  readonly fulfillmentTimeout?: Duration;
  /**
   * Progress messages played on calls while a slow intent is fulfilled.
   * @default - none
   */
  readonly progressMessages?: ProgressMessages;
  /**
   * A response cache table of your own. Conflicts with `cacheTableProps`.
   * @default - a new ResponseCacheTable
   */
  readonly existingCacheTable?: dynamodb.ITable;
  /**
   * Settings of the response cache table the construct creates. Conflicts with `existingCacheTable`.
   * @default - on-demand, AWS owned key, point-in-time recovery, retained on removal
   */
  readonly cacheTableProps?: ResponseCacheTableOptions;
  /**
   * Name of the bot alias.
   * @default 'live'
   */
  readonly botAliasName?: string;
}

/**
 * Properties of `FastLexBot`: a bot of one locale (`intents`, `slotTypes` and `localeId`) or of several (`locales`).
 */
export interface FastLexBotProps extends FastLexFulfillmentOptions {
  /**
   * The bot's name (letters, digits, `_` and `-`, at most 100 characters).
   * @default - the stack name and the construct id
   */
  readonly botName?: string;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * The intents of a one-locale bot. Set this or `locales`.
   * @default - `locales`
   */
  readonly intents?: FastLexIntent[];
  /**
   * Custom slot types of a one-locale bot.
   * @default - none
   */
  readonly slotTypes?: FastLexSlotType[];
  /**
   * The locale of a one-locale bot.
   * @default 'en_US'
   */
  readonly localeId?: string;
  /**
   * Confidence threshold of a one-locale bot (0 to 1).
   * @default 0.4
   */
  readonly nluConfidenceThreshold?: number;
  /**
   * The voice of a one-locale bot.
   * @default - Lex's default voice for the locale
   */
  readonly voice?: FastLexVoice;
  /**
   * The locales of a bot of several languages. Set this or `intents`.
   * @default - one locale from `intents`, `slotTypes`, `localeId`, `nluConfidenceThreshold` and `voice`
   */
  readonly locales?: FastLexLocale[];
  /**
   * How long Lex keeps a conversation without a turn (1 minute to 24 hours).
   * @default Duration.minutes(5)
   */
  readonly idleSessionTtl?: Duration;
  /**
   * Whether the bot is directed at children under 13 (COPPA); Lex needs the answer.
   * @default false
   */
  readonly childDirected?: boolean;
  /**
   * The bot's role.
   * @default - a new role Lex assumes, allowed polly:SynthesizeSpeech for voice answers
   */
  readonly role?: iam.IRole;
}
