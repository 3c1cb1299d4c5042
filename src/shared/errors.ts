// The base of every error the runtime SDK throws, shared with the report and the CLI.

/**
 * Base class of every error the runtime SDK throws. Subclasses set `name` as a string literal: handlers are
 * minified, and callers (Step Functions Retry and Catch among them) match on the name.
 */
export class FastLexError extends Error {
  override readonly name: string = 'FastLexError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A required setting (an environment variable or an option) is missing or malformed; `setting` names it. */
export class ConfigurationError extends FastLexError {
  override readonly name: string = 'ConfigurationError';
  constructor(public readonly setting: string, public readonly reason: string, options?: { cause?: unknown }) {
    super(`Setting '${setting}' ${reason}.`, options);
  }
}
