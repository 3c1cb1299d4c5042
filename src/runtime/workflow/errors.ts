// Named errors of the lead-to-call workflow. Each sets `name` to a string literal, not the class name: handlers are
// minified, and Step Functions matches Retry and Catch rules on the error name the Lambda runtime reports.
import { RETRYABLE_WORKFLOW_ERRORS } from '../../shared/defaults';
import { FastLexError } from '../../shared/errors';
import { RETRYABLE_DEPENDENCY_ERRORS } from '../../shared/fault-tolerance';

/** The demo request is not usable (bad phone number, missing lead field). Raised before any side effect. */
export class InvalidDemoRequestError extends FastLexError {
  override readonly name: string = 'InvalidDemoRequestError';
  /** What a caller can be told, after "that <field>": e.g. `is a premium-rate number, which we do not call`. */
  public readonly spokenReason: string;
  constructor(
    /** The path of the offending field, e.g. `lead.phone`. */
    public readonly field: string,
    /** Why, after the field name, e.g. `is not a valid phone number`. */
    public readonly reason: string,
    spokenReason?: string,
  ) {
    super(`Invalid demo request: '${field}' ${reason}.`);
    this.spokenReason = spokenReason ?? reason;
  }
}

/**
 * An AWS dependency of a step (Secrets Manager, DynamoDB) could not be reached, throttled, or did not answer in time:
 * Step Functions retries the step with backoff.
 */
export class DependencyUnavailableError extends FastLexError {
  override readonly name: string = RETRYABLE_DEPENDENCY_ERRORS.dependencyUnavailable;
}

/** Salesforce could not be reached or kept failing with 429/5xx: Step Functions retries the step with backoff. */
export class LeadServiceUnavailableError extends FastLexError {
  override readonly name: string = RETRYABLE_WORKFLOW_ERRORS.leadServiceUnavailable;
}

/** Salesforce refused the write (rejected record, failed authentication, bad input): retrying cannot help. */
export class LeadWriteError extends FastLexError {
  override readonly name: string = 'LeadWriteError';
}

/** Bedrock throttled or timed out: Step Functions retries the step with backoff. */
export class ScenarioGenerationThrottledError extends FastLexError {
  override readonly name: string = RETRYABLE_WORKFLOW_ERRORS.scenarioGenerationThrottled;
}

/** Bedrock failed for a reason a retry will not fix (bad model id, empty answer). */
export class ScenarioGenerationError extends FastLexError {
  override readonly name: string = 'ScenarioGenerationError';
}

/** Amazon Connect refused the call for rate (TooManyRequestsException, LimitExceededException) or had a 5xx. */
export class OutboundCallThrottledError extends FastLexError {
  override readonly name: string = RETRYABLE_WORKFLOW_ERRORS.outboundCallThrottled;
  constructor(public readonly connectError: string, options?: { cause?: unknown; detail?: string }) {
    super(`Amazon Connect did not place the call: ${connectError}${options?.detail ? ` (${options.detail})` : ''}. The step is retried with the same ClientToken.`, options);
  }
}

/** Amazon Connect rejected the call (bad instance, flow, number or permission): retrying cannot help. */
export class OutboundCallRejectedError extends FastLexError {
  override readonly name: string = 'OutboundCallRejectedError';
  constructor(public readonly connectError: string, detail: string, options?: { cause?: unknown }) {
    super(`Amazon Connect rejected the call: ${connectError}: ${detail}`, options);
  }
}

/** Runs a call to an AWS dependency; any failure becomes `DependencyUnavailableError`, which the workflow retries. */
export async function dependency<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new DependencyUnavailableError(`${what} failed: ${(err as Error)?.name ?? 'Error'}`, { cause: err });
  }
}
