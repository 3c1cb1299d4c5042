// Errors of the Lex fulfillment runtime.
import { FastLexError } from '../errors';

/** The event is not a Lex V2 code hook event; `field` names what is missing or wrong. */
export class LexEventError extends FastLexError {
  constructor(public readonly field: string, reason: string) {
    super(`Not a valid Lex V2 event: '${field}' ${reason}.`);
  }
}

/** The fulfillment handler's configuration (environment variables) is missing or wrong. */
export class FulfillmentConfigurationError extends FastLexError {}
