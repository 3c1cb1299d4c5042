// Named errors of the secret cache: each names the secret, never its value.
import { FastLexError } from '../../shared/errors';

/** Secrets Manager could not be reached or refused the request, and no usable cached value exists. */
export class SecretFetchError extends FastLexError {
  override readonly name: string = 'SecretFetchError';
  /**
   * True when a later attempt may succeed: Secrets Manager unreachable, throttling, 5xx, or no answer in time. False
   * when it refused the request (no permission, no such secret, a key it cannot decrypt with).
   */
  public readonly retryable: boolean;
  constructor(public readonly secretId: string, cause: unknown) {
    super(`Could not fetch secret '${secretId}' from Secrets Manager: ${describeCause(cause)}.`, { cause });
    const name = (cause as Error)?.name ?? '';
    this.retryable = !PERMANENT_FAILURES.has(name);
  }
}

/** Secrets Manager's answers that a retry cannot change. */
const PERMANENT_FAILURES = new Set([
  'AccessDeniedException', 'ResourceNotFoundException', 'InvalidParameterException', 'InvalidRequestException', 'DecryptionFailure',
  'UnrecognizedClientException', 'ValidationException',
]);

/** Secrets Manager says the secret (or the requested version stage) does not exist. */
export class SecretNotFoundError extends SecretFetchError {
  override readonly name: string = 'SecretNotFoundError';
}

/**
 * Refreshing the secret has kept failing and the last good value is older than the allowed maximum staleness, so it
 * is no longer served.
 */
export class SecretStaleError extends FastLexError {
  override readonly name: string = 'SecretStaleError';
  constructor(public readonly secretId: string, public readonly ageMs: number, cause: unknown) {
    super(`Secret '${secretId}' could not be refreshed and its last good value is ${Math.round(ageMs / 1000)} s old, `
      + `beyond the allowed staleness: ${describeCause(cause)}.`, { cause });
  }
}

/**
 * The secret exists but does not have the requested form (JSON object, string or binary). Deliberately keeps no
 * cause: JSON.parse errors quote the text they failed on, which would be the secret itself.
 */
export class SecretFormatError extends FastLexError {
  override readonly name: string = 'SecretFormatError';
  constructor(public readonly secretId: string, public readonly expected: 'json' | 'string' | 'binary', reason: string) {
    super(`Secret '${secretId}' is not ${expected === 'json' ? 'a JSON object' : `a ${expected} secret`}: ${reason}.`);
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.name && cause.name !== 'Error' ? `${cause.name}: ${cause.message}` : cause.message;
  return String(cause);
}
