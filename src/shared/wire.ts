// The JSON the constructs write into the handlers' environment and the runtime parses: typed once, here.

/**
 * How one intent is answered through the response cache. Every field is plain JSON: `JSON.stringify` of an
 * `IntentCacheConfigs` is what `CachedLexFulfillment` writes into `FAST_LEX_ENV.intents`.
 */
export interface IntentCacheConfig {
  /** Served at once on a miss, and whenever the cache cannot help (store down, generation failed). */
  readonly staticAnswer: string;
  /**
   * The user prompt sent to Bedrock. `{{field}}` placeholders are filled from the canonical context (dotted paths
   * work: `{{slots.company}}`); a prompt without placeholders gets the canonical context appended as JSON.
   * @default - no generation: the intent always answers with `staticAnswer` (status `static`)
   */
  readonly prompt?: string;
  /** System prompt for Bedrock. @default - none */
  readonly system?: string;
  /** Seconds a generated answer counts as fresh. @default DEFAULT_TTL_SECONDS */
  readonly ttlSeconds?: number;
  /** Seconds after the TTL during which the old answer is served while a refresh is requested. 0 disables. @default DEFAULT_STALE_SECONDS */
  readonly staleSeconds?: number;
  /**
   * The context fields that change the answer (dotted paths allowed); only they enter the cache key.
   * @default - every context field except the volatile ones (session ids, timestamps, request ids)
   */
  readonly contextFields?: readonly string[];
  /** More context fields to leave out of the key. @default - only the volatile ones */
  readonly excludeFields?: readonly string[];
  /** Keep the case of string values in the key (and the prompt). @default false */
  readonly caseSensitive?: boolean;
  /** Bedrock `maxTokens` for this intent. @default - the generator's (DEFAULT_MAX_TOKENS) */
  readonly maxTokens?: number;
  /**
   * Synchronous generation deadline on a miss, in ms; overrides the cache-wide setting. 0 turns it off.
   * @default - the cache-wide `syncDeadlineMs` (off unless set)
   */
  readonly syncDeadlineMs?: number;
  /**
   * On a voice turn (Amazon Connect), how long a miss waits for the generated answer, in ms, while Lex plays the
   * intent's progress messages; past it the caller hears the static answer. RecognizeText turns never wait for it.
   * @default - voice turns are answered like text turns
   */
  readonly voiceSyncDeadlineMs?: number;
  /**
   * Answer each question, not the intent: the visitor's words (`inputTranscript`) enter the prompt, quoted as data,
   * and the cache key, as a normalised question signature; a paraphrase of an answered question reuses its answer.
   * @default - one answer per intent and context (greetings and the like)
   */
  readonly questions?: QuestionAnswersConfig;
}

/** How a per-question intent matches, keeps and shares its answers (`IntentCacheConfig.questions`). */
export interface QuestionAnswersConfig {
  /** Lexical score (0..1) at or above which an answered question's answer is reused. @default DEFAULT_NEAR_MATCH_THRESHOLD */
  readonly nearMatchThreshold?: number;
  /** Words that never change what is asked of this intent (the product's own name): a near match ignores them. @default - none */
  readonly ignoredWords?: readonly string[];
  /** Most answered questions kept per intent and context, newest first. @default DEFAULT_MAX_ANSWERED_QUESTIONS */
  readonly maxQuestions?: number;
  /** How long an answered question stays matchable, seconds. @default DEFAULT_QUESTION_INDEX_MAX_AGE_SECONDS */
  readonly maxAgeSeconds?: number;
  /**
   * After a lexical miss, ask this Bedrock embedding model for the nearest answered question before paying for a
   * generation (never on the hit path).
   * @default - no embedding stage
   */
  readonly embedding?: QuestionEmbeddingConfig;
}

/** The embedding stage of a per-question intent. */
export interface QuestionEmbeddingConfig {
  /** Bedrock embedding model id. */
  readonly modelId: string;
  /** Cosine similarity at or above which the nearest answered question's answer is reused. */
  readonly threshold: number;
  /** Embedding dimensions. @default 256 */
  readonly dimensions?: number;
}

/** Intent name (or `'*'` for every other intent) to its configuration. */
export type IntentCacheConfigs = Record<string, IntentCacheConfig>;

/**
 * An intent that starts a Step Functions execution with its slots as input and answers at once. `JSON.stringify` of
 * a `WorkflowIntentConfigs` is what `CachedLexFulfillment` writes into `FAST_LEX_ENV.workflows`.
 */
export interface WorkflowIntentConfig {
  /** State machine to start. */
  readonly stateMachineArn: string;
  /** What the user hears while the workflow runs, e.g. "We'll call you in a moment." */
  readonly answer: string;
  /**
   * Where each slot goes in the execution input, as `{ "<dotted.input.path>": "<slotName>" }`, e.g.
   * `{ "lead.phone": "phoneNumber" }`. Unfilled slots are left out.
   * @default - `{ intent, slots, localeId, requestedAt }` with every filled slot under `slots`
   */
  readonly input?: Record<string, string>;
}

/** Intent name to workflow. */
export type WorkflowIntentConfigs = Record<string, WorkflowIntentConfig>;
