// The props of CachedLexFulfillment: the intents it answers, the workflows it starts, the bot it wires.
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { ICallContextSource } from '../call-context-source';
import type { ResponseCacheTableOptions } from '../response-cache-table';
import type { IWorkflowInputContract } from '../workflow-input-contract';
import type { ProgressMessages } from './progress-messages';

/**
 * How one intent is answered through the response cache.
 */
export interface IntentResponse extends AnswerSettings {
  /** The intent name, as in the bot. */
  readonly intentName: string;
}

/**
 * How an intent is answered (an `IntentResponse` without its name; `FastLexBot.fallback` takes one).
 */
export interface AnswerSettings {
  /** The answer served at once on a cache miss, and whenever the cache cannot help. */
  readonly staticAnswer: string;
  /**
   * The prompt for Bedrock. `{{slots.name}}`-style placeholders are filled from the cache-key context.
   * @default - the intent always answers with `staticAnswer`
   */
  readonly prompt?: string;
  /**
   * System prompt for Bedrock.
   * @default - none
   */
  readonly systemPrompt?: string;
  /**
   * How long a generated answer is fresh.
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
  /**
   * How long after `ttl` the old answer is still served while a new one is generated.
   * @default Duration.minutes(5)
   */
  readonly staleWindow?: Duration;
  /**
   * The context fields that change the answer and so form the cache key, as dotted paths
   * (`slots.company`, `localeId`, `call.scenario`).
   * @default - every context field except volatile ones (session and request ids, timestamps)
   */
  readonly contextFields?: string[];
  /**
   * Bedrock maxTokens for this intent.
   * @default - the construct's `maxTokens`
   */
  readonly maxTokens?: number;
  /**
   * On a phone call (a voice turn from Amazon Connect), how long a cache miss waits for the generated answer while
   * Lex plays the intent's progress messages (`progressMessages`): the caller hears "One moment..." and then the real
   * answer instead of the static one. Past it, the static answer. Web chat turns never wait. At most 25 seconds.
   * @default - voice turns are answered like text turns: the static answer at once on a miss
   */
  readonly voiceGenerationDeadline?: Duration;
  /**
   * Whether the intent answers the intent or each question asked. `AnswerScope.QUESTION` puts the visitor's words
   * (`inputTranscript`; on a call, Lex's transcription) into the prompt, quoted as data the model must not take as
   * instructions, and into the cache key; a paraphrase of an answered question reuses its answer without a model call
   * (status `near-hit`). A question holding personal data or instructions is answered for its asker only. Needs a
   * `prompt`. Use it for open questions and the fallback intent; keep greetings at the intent.
   * @default AnswerScope.INTENT
   */
  readonly answerScope?: AnswerScope;
  /**
   * How a per-question intent matches paraphrases and how many answered questions it keeps.
   * @default - the defaults of `QuestionMatching`
   */
  readonly questionMatching?: QuestionMatching;
}

/**
 * What one answer of an intent is for.
 */
export enum AnswerScope {
  /** One answer for the intent and its context fields, whatever the words (greetings, fixed facts). */
  INTENT = 'INTENT',
  /** One answer per question: the visitor's words are part of the prompt and of the cache key. */
  QUESTION = 'QUESTION',
}

/**
 * How a per-question intent (`AnswerScope.QUESTION`) finds the answer of a paraphrase.
 */
export interface QuestionMatching {
  /**
   * Lexical match score (0 to 1) at or above which the answer of an answered question is reused for a new one. Test a
   * threshold with `matchQuestions` of `cdk-fast-lex/runtime/cache`: it decides with the same code.
   * @default DEFAULT_NEAR_MATCH_THRESHOLD (0.9)
   */
  readonly nearMatchThreshold?: number;
  /**
   * Words that never change what is asked of this intent, usually the product's or the assistant's own name, which
   * visitors use and leave out alike ("how do you use Lex" / "how does Atlas use Lex"). They never make two questions
   * exactly equal; they only let a near match ignore them.
   * @default - none
   */
  readonly ignoredWords?: string[];
  /**
   * Most answered questions kept matchable per intent and context (newest first).
   * @default DEFAULT_MAX_ANSWERED_QUESTIONS (10,000)
   */
  readonly maxQuestions?: number;
  /**
   * How long an answered question stays matchable.
   * @default - as long as its answer may be served (`ttl` plus `staleWindow`)
   */
  readonly maxAge?: Duration;
  /**
   * A Bedrock embedding model asked, after a lexical miss and before a generation, for the nearest answered question
   * (paraphrases that share few words). One embedding call instead of a generation; never on the hit path. The
   * fulfillment function gets `bedrock:InvokeModel` on this model.
   * @default - no embedding stage
   */
  readonly embeddingModelId?: string;
  /**
   * Cosine similarity at or above which the embedding stage reuses the nearest answered question's answer.
   * @default DEFAULT_EMBEDDING_THRESHOLD (0.9)
   */
  readonly embeddingThreshold?: number;
}

/**
 * Bounds on new-question generations: every new question of a per-question intent costs one Bedrock call.
 */
export interface GenerationLimits {
  /**
   * New-question generations one conversation (Lex session) may cause; past it, the static answer.
   * @default DEFAULT_GENERATIONS_PER_SESSION (20)
   */
  readonly perSession?: number;
  /**
   * New-question generations the whole bot may cause per minute; past it, the static answer and the
   * `GenerationBudgetExceeded` alarm of `FastLexMonitoring`.
   * @default DEFAULT_GENERATIONS_PER_MINUTE (60)
   */
  readonly perMinute?: number;
}

/**
 * An intent that starts a state machine with its slots as input and answers at once.
 */
export interface WorkflowIntent {
  /** The intent name, as in the bot. */
  readonly intentName: string;
  /**
   * The state machine to start. Set this or `workflow`.
   * @default - `workflow.workflowStateMachine`
   */
  readonly stateMachine?: sfn.IStateMachine;
  /**
   * The workflow to start, when it declares what its input needs (a `DemoCallWorkflow`): `inputSlots` is then checked
   * against its requirements at synth. Set this or `stateMachine` (a `DemoCallWorkflow`'s state machine is recognised
   * and checked too).
   * @default - `stateMachine`
   */
  readonly workflow?: IWorkflowInputContract;
  /** What the user hears at once, e.g. "Thanks! We'll call you in a moment." */
  readonly answer: string;
  /**
   * Where each slot goes in the execution input: input path (dotted) to slot name, e.g.
   * `{ 'lead.phone': 'phoneNumber' }` for `DemoCallWorkflow`.
   * @default - `{ intent, slots, localeId, requestedAt }` with every filled slot under `slots`
   */
  readonly inputSlots?: { [inputPath: string]: string };
}

/**
 * A Bedrock guardrail applied to every generation.
 */
export interface BedrockGuardrail {
  /** Guardrail id. */
  readonly guardrailId: string;
  /** Guardrail version, e.g. '1' or 'DRAFT'. */
  readonly guardrailVersion: string;
}

/**
 * Properties of `CachedLexFulfillment`.
 */
export interface CachedLexFulfillmentProps {
  /** Intents answered through the response cache. */
  readonly intents: IntentResponse[];
  /**
   * What the fallback intent (and any intent not configured) answers; the conversation stays open.
   * @default DEFAULT_APOLOGY ("Sorry, I didn't catch that. Could you say it another way?")
   */
  readonly fallbackAnswer?: string;
  /**
   * The intents answered like the fallback (ElicitIntent).
   * @default DEFAULT_FALLBACK_INTENTS (['FallbackIntent'])
   */
  readonly fallbackIntentNames?: string[];
  /**
   * Intents that start a workflow.
   * @default - none
   */
  readonly workflowIntents?: WorkflowIntent[];
  /**
   * A response cache table of your own, in the response cache schema (see `ResponseCacheTable`). Conflicts with
   * `cacheTableProps`.
   * @default - a new ResponseCacheTable from `cacheTableProps`
   */
  readonly existingCacheTable?: dynamodb.ITable;
  /**
   * Settings of the response cache table the construct creates. Conflicts with `existingCacheTable`.
   * @default - on-demand, AWS owned key, point-in-time recovery, retained on removal
   */
  readonly cacheTableProps?: ResponseCacheTableOptions;
  /**
   * Bedrock model id or inference profile id used by the generator worker.
   * @default DEFAULT_BEDROCK_MODEL_ID (Claude Haiku 4.5, US inference profile)
   */
  readonly modelId?: string;
  /**
   * Bedrock maxTokens of a generated answer (fewer tokens answer sooner: 150 is about 500 ms faster than 512 on Haiku).
   * @default DEFAULT_MAX_TOKENS (150)
   */
  readonly maxTokens?: number;
  /**
   * A guardrail for every generation.
   * @default - none
   */
  readonly guardrail?: BedrockGuardrail;
  /**
   * Bounds on the generations new questions of per-question intents cause, per conversation and per minute.
   * @default - DEFAULT_GENERATIONS_PER_SESSION (20) and DEFAULT_GENERATIONS_PER_MINUTE (60)
   */
  readonly generationLimits?: GenerationLimits;
  /**
   * Generate synchronously on a miss within this deadline before falling back to the static answer.
   * @default - off: a miss answers at once and generates in the background
   */
  readonly syncGenerationDeadline?: Duration;
  /**
   * Longest a turn spends on DynamoDB, SQS and Step Functions (cache read, refresh lease, generation request, call
   * context, starting a workflow). When it runs out the caller hears the stale or static answer (or, for a workflow
   * intent, that nothing was booked) instead of waiting on a hung or throttled service. The handler never uses more
   * than the function's remaining time less 500 ms; a `syncGenerationDeadline` or an intent's voice deadline is also
   * bounded by it. Must be above 0, shorter than `fulfillmentTimeout` and shorter than the 30 s Lex waits.
   * @default - 2 seconds (`DEFAULT_TURN_BUDGET_MS`)
   */
  readonly turnBudget?: Duration;
  /**
   * Secrets the fulfillment function may read (names passed as `FAST_LEX_SECRET_<n>`), with the runtime's cache.
   * @default - none
   */
  readonly secrets?: secretsmanager.ISecret[];
  /**
   * Where the call context of a phone call is kept (a `DemoCallWorkflow`): during a call the handler reads the call's
   * scenario by the `interactionKey` session attribute, with the read-only grant the source gives.
   * @default - none: answers do not depend on a call
   */
  readonly callContext?: ICallContextSource;
  /**
   * Provisioned instances of the fulfillment function: two, so one instance failing leaves one warm.
   * @default 2
   */
  readonly provisionedConcurrency?: number;
  /**
   * Memory of the fulfillment function in MB (256 to 10240).
   * @default 512
   */
  readonly fulfillmentMemorySize?: number;
  /**
   * Your own fulfillment code instead of the prebundled handler, e.g. a handler built on `createFulfillmentHandler`
   * of `cdk-fast-lex/runtime/lex`, bundled (`lambda.Code.fromAsset` of an esbuild output). The construct still
   * creates the function and wires the cache, queue, grants, alias and environment (`FAST_LEX_ENV`); your code reads
   * them with `fulfillmentOptionsFromEnvironment(process.env)`.
   * @default - the prebundled handler
   */
  readonly fulfillmentCode?: lambda.Code;
  /**
   * The handler of `fulfillmentCode` (`file.export`).
   * @default 'index.handler'
   */
  readonly fulfillmentHandler?: string;
  /**
   * Timeout of the fulfillment function. Lex waits at most 30 s for a code hook, or the progress messages' timeout.
   * @default Duration.seconds(10), or 5 s more than `progressMessages.timeout`
   */
  readonly fulfillmentTimeout?: Duration;
  /**
   * Progress messages for the intents that can take time (workflow intents; intents that generate on a miss), written
   * into the bot's intents (`fulfillmentCodeHook.fulfillmentUpdatesSpecification` and the post-fulfillment timeout
   * response). Lex plays them only on streaming conversations (Amazon Connect voice), never on RecognizeText (web chat).
   * @default - none
   */
  readonly progressMessages?: ProgressMessages;
  /**
   * The bot to wire: the construct creates a bot version and a bot alias whose code hook is the fulfillment alias.
   * @default - no bot is wired; call `attachToBotAlias` or use `botAliasLocaleSettings` for your own alias
   */
  readonly bot?: lex.CfnBot;
  /**
   * Locales of `bot` to enable on the alias.
   * @default DEFAULT_BOT_LOCALE_IDS (['en_US'])
   */
  readonly botLocaleIds?: string[];
  /**
   * Name of the bot alias the construct creates.
   * @default 'live'
   */
  readonly botAliasName?: string;
}
