// The Lex V2 runtime's errors, as the stand-in raises them: the exception name the API reference lists ("Errors" of
// each action) and the HTTP status it comes with.

/** The runtime API's error types and their HTTP statuses (Lex V2 API reference, "Errors"). */
export const LEX_RUNTIME_ERRORS = {
  AccessDeniedException: 403,
  BadGatewayException: 502,
  ConflictException: 409,
  DependencyFailedException: 424,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  ValidationException: 400,
} as const;

export type LexRuntimeErrorType = keyof typeof LEX_RUNTIME_ERRORS;

/** How a code hook failed: it threw, it did not answer in time, or its answer is one Lex rejects. */
export type CodeHookFailure = 'threw' | 'timeout' | 'invalid';

/** An error the stand-in answers a runtime request with; the turn it ends changed nothing in the session. */
export class LexStandInError extends Error {
  /** The HTTP status Lex answers with. */
  readonly status: number;
  /** Set when the error comes from the code hook: the intent's failure or timeout response may answer it instead. */
  readonly codeHookFailure?: CodeHookFailure;

  constructor(readonly type: LexRuntimeErrorType, message: string, options?: { cause?: unknown; codeHookFailure?: CodeHookFailure }) {
    super(message, options);
    this.name = 'LexStandInError';
    this.status = LEX_RUNTIME_ERRORS[type];
    this.codeHookFailure = options?.codeHookFailure;
  }
}
