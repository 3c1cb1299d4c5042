// Named errors of the lead-to-call workflow. Each sets `name` to a string literal, not the class name: handlers are
// minified, and Step Functions matches Retry and Catch rules on the error name the Lambda runtime reports.
import { FastLexError } from '../errors';

/** The demo request is not usable (bad phone number, missing lead field). Raised before any side effect. */
export class InvalidDemoRequestError extends FastLexError {
  constructor(
    /** The path of the offending field, e.g. `lead.phone`. */
    public readonly field: string,
    reason: string,
  ) {
    super(`Invalid demo request: '${field}' ${reason}.`);
    this.name = 'InvalidDemoRequestError';
  }
}

/** Salesforce could not be reached or kept failing with 429/5xx: Step Functions retries the step with backoff. */
export class LeadServiceUnavailableError extends FastLexError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeadServiceUnavailableError';
  }
}

/** Salesforce refused the write (rejected record, failed authentication, bad input): retrying cannot help. */
export class LeadWriteError extends FastLexError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeadWriteError';
  }
}

/** Bedrock throttled or timed out: Step Functions retries the step with backoff. */
export class ScenarioGenerationThrottledError extends FastLexError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioGenerationThrottledError';
  }
}

/** Bedrock failed for a reason a retry will not fix (bad model id, empty answer). */
export class ScenarioGenerationError extends FastLexError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioGenerationError';
  }
}

/** Amazon Connect refused the call for rate (TooManyRequestsException, LimitExceededException) or had a 5xx. */
export class OutboundCallThrottledError extends FastLexError {
  constructor(public readonly connectError: string, options?: { cause?: unknown }) {
    super(`Amazon Connect did not place the call: ${connectError}. The step is retried with the same ClientToken.`, options);
    this.name = 'OutboundCallThrottledError';
  }
}

/** Amazon Connect rejected the call (bad instance, flow, number or permission): retrying cannot help. */
export class OutboundCallRejectedError extends FastLexError {
  constructor(public readonly connectError: string, detail: string, options?: { cause?: unknown }) {
    super(`Amazon Connect rejected the call: ${connectError}: ${detail}`, options);
    this.name = 'OutboundCallRejectedError';
  }
}

/** No call context exists for the key or contact (not written yet, expired, or never made). */
export class CallContextNotFoundError extends FastLexError {
  constructor(public readonly key: string) {
    super(`No call context for ${key}.`);
    this.name = 'CallContextNotFoundError';
  }
}

/** A handler's configuration (environment variable) is missing or malformed. */
export class WorkflowConfigurationError extends FastLexError {
  constructor(public readonly variable: string, reason: string) {
    super(`Workflow configuration: environment variable ${variable} ${reason}.`);
    this.name = 'WorkflowConfigurationError';
  }
}

/** Error names the state machine retries with backoff and jitter (besides Lambda service errors). */
export const RETRYABLE_WORKFLOW_ERRORS = [
  'LeadServiceUnavailableError',
  'ScenarioGenerationThrottledError',
  'OutboundCallThrottledError',
] as const;
