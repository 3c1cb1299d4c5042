// Contract values of the fault paths that constructs and runtime share: turn budget, phone allow-list, retryable names.

/**
 * The turn budget, ms: well under Lex's 30 s fulfillment limit and short enough that a caller on a phone line does not
 * hear a long silence. The handler also keeps 500 ms of the Lambda's remaining time for itself.
 */
export const DEFAULT_TURN_BUDGET_MS = 2_000;

/**
 * SDK client settings of the turn path (DynamoDB, SQS, Step Functions): two attempts, so a throttled or failed call
 * costs one short backoff, not three with growing delays, before the caller hears the stale or static answer; and a
 * TCP connect that gives up in half a second. The turn budget bounds the rest.
 */
export const TURN_CLIENT_CONFIG = { maxAttempts: 2, requestHandler: { connectionTimeout: 500 } } as const;

/** Time the fulfillment handler keeps back from the Lambda's remaining time to answer, ms. */
export const TURN_RESERVE_MS = 500;

/** Phone number types libphonenumber-js reports (`PhoneNumber.getType()`). */
export type PhoneNumberType =
  | 'MOBILE' | 'FIXED_LINE' | 'FIXED_LINE_OR_MOBILE' | 'PREMIUM_RATE' | 'TOLL_FREE' | 'SHARED_COST' | 'VOIP'
  | 'PERSONAL_NUMBER' | 'PAGER' | 'UAN' | 'VOICEMAIL';

/** What a demo request's phone number must be before anything is dialled (toll fraud stops here). */
export interface PhoneRules {
  /** Countries (ISO 3166-1 alpha-2) whose numbers may be called. Empty or absent: any country. */
  readonly allowedCountries?: readonly string[];
  /** Number types that may be called. @default DEFAULT_ALLOWED_PHONE_TYPES */
  readonly allowedTypes?: readonly PhoneNumberType[];
  /** The country national numbers are read in (e.g. 'US'); without it only `+` numbers pass. */
  readonly defaultCountry?: string;
}

/**
 * The types a demo call needs: a person's mobile or landline. Premium-rate, shared-cost, toll-free, VoIP, pager and
 * personal numbers are refused: they cost the caller's account money or reach no person.
 */
export const DEFAULT_ALLOWED_PHONE_TYPES: readonly PhoneNumberType[] = ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE'];

/** Amazon Connect's default StartOutboundVoiceContact quota: 2 requests per second, burst 5 (Service Quotas). */
export const DEFAULT_CALL_RATE_PER_SECOND = 2;
export const DEFAULT_CALL_BURST = 5;

/**
 * Deadlines of the workflow steps' AWS clients, ms: one HTTP attempt, and the TCP connect. A hung DynamoDB or Secrets
 * Manager fails the attempt in time for the SDK's and then Step Functions' retries. `throwOnRequestTimeout` makes the
 * request deadline real: without it `NodeHttpHandler` only logs a warning and waits on (@smithy/node-http-handler 4.x).
 */
export const STEP_CLIENT_TIMEOUTS = { requestTimeout: 3_000, connectionTimeout: 1_000, throwOnRequestTimeout: true } as const;

/** Error names the demo workflow retries besides `RETRYABLE_WORKFLOW_ERRORS`: an AWS dependency was down or slow. */
export const RETRYABLE_DEPENDENCY_ERRORS = {
  /** Secrets Manager or DynamoDB could not be reached, throttled, or did not answer in time. */
  dependencyUnavailable: 'DependencyUnavailableError',
} as const;
