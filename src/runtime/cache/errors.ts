// Named errors of the response cache: bad intent configuration, unknown intents, uncanonicalisable context and
// unreadable generation requests.
import { FastLexError } from '../../shared/errors';

/** The intent configuration (usually the `FAST_LEX_INTENTS` JSON) is invalid; `intent` and `field` say where. */
export class IntentConfigError extends FastLexError {
  override readonly name: string = 'IntentConfigError';
  constructor(public readonly intent: string, public readonly field: string, reason: string) {
    super(`Invalid cache configuration for intent '${intent}': '${field}' ${reason}.`);
  }
}

/** `respond` was called for an intent that has no configuration and no `'*'` catch-all entry. */
export class UnknownIntentError extends FastLexError {
  override readonly name: string = 'UnknownIntentError';
  constructor(public readonly intent: string) {
    super(`No cache configuration for intent '${intent}' (and no '*' entry): add it to the intents configuration.`);
  }
}


/**
 * An SQS message body is not a generation request this version understands. The worker reports such a message as
 * a batch item failure so SQS redrives it to the dead-letter queue instead of dropping it.
 */
export class GenerationRequestError extends FastLexError {
  override readonly name: string = 'GenerationRequestError';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Not a valid generation request: ${reason}.`, options);
  }
}

/** A context value cannot be turned into a cache key; `field` names the offending path. */
export class CacheKeyError extends FastLexError {
  override readonly name: string = 'CacheKeyError';
  constructor(public readonly field: string, reason: string) {
    super(`Cannot build a cache key: context field '${field}' ${reason}.`);
  }
}
