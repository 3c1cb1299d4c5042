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
