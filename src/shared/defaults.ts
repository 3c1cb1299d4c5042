// Defaults that a construct documents and configures and the runtime applies: each value written once.

/** What the user hears when an answer cannot be made; polite, and it keeps the conversation open. */
export const DEFAULT_APOLOGY = "Sorry, I didn't catch that. Could you say it another way?";

/** The intents answered like the fallback (ElicitIntent instead of Close). */
export const DEFAULT_FALLBACK_INTENTS: readonly string[] = ['FallbackIntent'];

/** Bedrock maxTokens of a generated answer: a spoken answer is short, and fewer tokens answer sooner. */
export const DEFAULT_MAX_TOKENS = 150;

/** Freshness of a generated answer, seconds. */
export const DEFAULT_TTL_SECONDS = 300;

/** Seconds after the TTL during which the old answer is still served while a refresh runs. */
export const DEFAULT_STALE_SECONDS = 300;

/** The name of the bot alias `CachedLexFulfillment` creates. */
export const DEFAULT_BOT_ALIAS_NAME = 'live';

/** The locales `CachedLexFulfillment` publishes when none are named. */
export const DEFAULT_BOT_LOCALE_IDS: readonly string[] = ['en_US'];

/** The locale the web chat page talks in when `LexWebChat` is not given one. */
export const DEFAULT_WEB_CHAT_LOCALE_ID = 'en_US';

/** Messages one web chat session may send per rate window: a person typing, not a script. */
export const DEFAULT_WEB_CHAT_RATE_LIMIT = 20;

/** Length of a web chat rate window, seconds. */
export const DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS = 60;

/** How long a web chat session id stays valid, seconds (12 hours). */
export const DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * Error names the demo workflow's state machine retries with backoff and jitter (besides Lambda service errors):
 * the workflow handlers throw errors of these names, and the construct writes them into its Retry rules.
 */
export const RETRYABLE_WORKFLOW_ERRORS = {
  /** Salesforce could not be reached or kept failing with 429/5xx. */
  leadServiceUnavailable: 'LeadServiceUnavailableError',
  /** Bedrock throttled or timed out while generating the scenario. */
  scenarioGenerationThrottled: 'ScenarioGenerationThrottledError',
  /** Amazon Connect refused the call for rate or had a 5xx. */
  outboundCallThrottled: 'OutboundCallThrottledError',
} as const;

/**
 * Most answered questions a per-question intent keeps matchable per context: a near-hit lookup over this many stays
 * within about 2 ms in the handler (`npm run bench:questions`).
 */
export const DEFAULT_MAX_ANSWERED_QUESTIONS = 10_000;

/**
 * New-question generations one conversation may cause: past it the visitor hears the intent's static answer. A person
 * asks a handful of new questions; a script asking thousands does not run up the Bedrock bill.
 */
export const DEFAULT_GENERATIONS_PER_SESSION = 20;

/**
 * New-question generations the whole bot may cause per minute, across every conversation (about 86,000 a day at
 * most: with Claude Haiku 4.5 at 150 output tokens, in the order of $1 an hour). Past it, static answers, and the
 * `GenerationBudgetExceeded` alarm.
 */
export const DEFAULT_GENERATIONS_PER_MINUTE = 60;

/** How long the per-session generation count is kept, seconds: a day, longer than any Lex session. */
export const GENERATION_SESSION_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * Cosine similarity at or above which the embedding stage of a per-question intent reuses an answer. Set high: a
 * wrong reuse serves one visitor the answer to another question, a missed one costs one generation.
 */
export const DEFAULT_EMBEDDING_THRESHOLD = 0.9;

/**
 * Longest a streamed web-chat answer may take, ms: past it the visitor reads the static answer with the reason, and
 * the generation goes to the generator queue. Well inside the refresh lease (60 s) the stream holds.
 */
export const DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS = 8_000;
