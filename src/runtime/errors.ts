// Named errors of the runtime SDK: each sets `name` and keeps the `cause`, so callers can branch on them.

/** Base class of every error the runtime SDK throws. */
export class FastLexError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A context value cannot be turned into a cache key; `field` names the offending path. */
export class CacheKeyError extends FastLexError {
  constructor(public readonly field: string, reason: string) {
    super(`Cannot build a cache key: context field '${field}' ${reason}.`);
  }
}
