// Errors of the Lex fulfillment runtime.
import { FastLexError } from '../../shared/errors';

/** The event is not a Lex V2 code hook event; `field` names what is missing or wrong. */
export class LexEventError extends FastLexError {
  override readonly name: string = 'LexEventError';
  constructor(public readonly field: string, reason: string) {
    super(`Not a valid Lex V2 event: '${field}' ${reason}.`);
  }
}
