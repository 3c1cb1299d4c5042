// Named errors of the Salesforce client: auth failures, rejected records, unavailability and bad input. None carries
// a token, a key or a record's field values.
import { FastLexError } from '../../shared/errors';

/**
 * Salesforce refused to authenticate (e.g. `invalid_grant`, `invalid_client_id`), also after one forced refresh of
 * the credentials secret, or rejected a freshly issued session. Not retryable without a configuration change.
 */
export class SalesforceAuthError extends FastLexError {
  override readonly name: string = 'SalesforceAuthError';
  constructor(
    /** OAuth `error` (e.g. `invalid_grant`) or REST `errorCode` (e.g. `INVALID_SESSION_ID`). */
    public readonly errorCode: string,
    /** Salesforce's `error_description` or message (these never contain the assertion or token). */
    public readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(`Salesforce authentication failed: ${errorCode}: ${description}.`, options);
  }
}

/** The credentials secret does not hold the JSON object the client needs; `field` names what is wrong. */
export class SalesforceCredentialsError extends FastLexError {
  override readonly name: string = 'SalesforceCredentialsError';
  constructor(public readonly secretId: string, public readonly field: string, reason: string) {
    super(`Salesforce credentials secret '${secretId}': ${field} ${reason}. Expected JSON `
      + '{"clientId": string, "username": string, "privateKey": PEM string, "loginUrl": https URL, "audience"?: string}.');
  }
}

/** One error entry of a Salesforce REST error body. `message` may quote record values: do not log it verbatim. */
export interface SalesforceErrorDetail {
  readonly errorCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/**
 * Salesforce rejected the record (validation rule, required field, unknown field, duplicate rule...). Retrying the
 * same request will fail the same way. The error message names the code and fields only; Salesforce's own message,
 * which can contain the values sent (phone numbers, emails), is in `details` for deliberate use.
 */
export class SalesforceRecordError extends FastLexError {
  override readonly name: string = 'SalesforceRecordError';
  public readonly errorCode: string;
  public readonly fields: readonly string[];
  constructor(public readonly operation: string, public readonly details: readonly SalesforceErrorDetail[]) {
    const first = details[0] ?? { errorCode: 'UNKNOWN', fields: [] };
    const fields = [...new Set(details.flatMap((d) => d.fields))];
    super(`Salesforce rejected ${operation}: ${details.map((d) => d.errorCode).join(', ')}`
      + `${fields.length ? ` on field(s) ${fields.join(', ')}` : ''}.`);
    this.errorCode = first.errorCode;
    this.fields = fields;
  }
}

/** Salesforce (or the network to it) kept failing with 429/5xx or a connection error; retrying later may succeed. */
export class SalesforceUnavailableError extends FastLexError {
  override readonly name: string = 'SalesforceUnavailableError';
  constructor(
    public readonly operation: string,
    /** Attempts made before giving up (1 when the operation is not safe to retry). */
    public readonly attempts: number,
    /** HTTP-level code: `ERROR_HTTP_503`, `SERVER_UNAVAILABLE`, `UND_ERR_SOCKET`, ... */
    public readonly errorCode: string,
    options?: { cause?: unknown },
  ) {
    super(`Salesforce unavailable for ${operation} after ${attempts} attempt(s): ${errorCode}.`, options);
  }
}

/** A call was made with arguments Salesforce would reject or that would change its meaning (e.g. an `Id` field). */
export class SalesforceInputError extends FastLexError {
  override readonly name: string = 'SalesforceInputError';
  constructor(public readonly argument: string, reason: string) {
    super(`Invalid ${argument}: ${reason}.`);
  }
}
