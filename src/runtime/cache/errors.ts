// Named errors of the response cache: bad intent configuration, unknown intents and unreadable generation requests.
import { FastLexError } from '../errors';

/** The intent configuration (usually the `FAST_LEX_INTENTS` JSON) is invalid; `intent` and `field` say where. */
export class IntentConfigError extends FastLexError {
  constructor(public readonly intent: string, public readonly field: string, reason: string) {
    super(`Invalid cache configuration for intent '${intent}': '${field}' ${reason}.`);
  }
}

/** `respond` was called for an intent that has no configuration and no `'*'` catch-all entry. */
export class UnknownIntentError extends FastLexError {
  constructor(public readonly intent: string) {
    super(`No cache configuration for intent '${intent}' (and no '*' entry): add it to the intents configuration.`);
  }
}

/** A required setting (environment variable or option) is missing or malformed. */
export class CacheConfigurationError extends FastLexError {
  constructor(public readonly setting: string, reason: string) {
    super(`Cache setting '${setting}' ${reason}.`);
  }
}

/**
 * An SQS message body is not a generation request this version understands. The worker reports such a message as
 * a batch item failure so SQS redrives it to the dead-letter queue instead of dropping it.
 */
export class GenerationRequestError extends FastLexError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Not a valid generation request: ${reason}.`, options);
  }
}
