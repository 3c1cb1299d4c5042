// Named errors of the web-chat proxy.
import { FastLexError } from '../../shared/errors';

/** The proxy's environment is incomplete or wrong; `variable` names what to set. */
export class WebChatConfigurationError extends FastLexError {
  override readonly name: string = 'WebChatConfigurationError';
  constructor(public readonly variable: string, reason: string, options?: { cause?: unknown }) {
    super(`Web chat proxy: ${variable} ${reason}.`, options);
  }
}
