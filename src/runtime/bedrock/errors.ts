// Named errors of Bedrock generation, so callers branch on retriable (throttled, timed out) versus permanent failures.
import { FastLexError } from '../../shared/errors';

/** Base class: a Converse call failed. `retriable` says whether trying again later can help. */
export class BedrockGenerationError extends FastLexError {
  override readonly name: string = 'BedrockGenerationError';
  constructor(message: string, public readonly modelId: string, public readonly retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bedrock refused the call for rate (ThrottlingException, HTTP 429, or ServiceQuotaExceededException). Retriable. */
export class BedrockThrottledError extends BedrockGenerationError {
  override readonly name: string = 'BedrockThrottledError';
  constructor(modelId: string, options?: { cause?: unknown }) {
    super(`Bedrock throttled the call to ${modelId}.`, modelId, true, options);
  }
}

/** The model did not answer in time: ModelTimeoutException (HTTP 408), or a deadline (`elapsedMs` set). Retriable. */
export class BedrockTimeoutError extends BedrockGenerationError {
  override readonly name: string = 'BedrockTimeoutError';
  constructor(modelId: string, public readonly elapsedMs: number | undefined, options?: { cause?: unknown }) {
    super(elapsedMs === undefined
      ? `Bedrock model ${modelId} timed out (ModelTimeoutException).`
      : `Bedrock model ${modelId} call was aborted after ${elapsedMs} ms (deadline).`, modelId, true, options);
  }
}

/** Bedrock rejected the request (ValidationException, HTTP 400: bad model id, bad parameters). Not retriable. */
export class BedrockValidationError extends BedrockGenerationError {
  override readonly name: string = 'BedrockValidationError';
  constructor(modelId: string, detail: string, options?: { cause?: unknown }) {
    super(`Bedrock rejected the request to ${modelId}: ${detail}`, modelId, false, options);
  }
}
