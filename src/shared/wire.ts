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
