// A Salesforce client for Lambda: JWT bearer auth from a cached secret, one jsforce connection and access token per
// warm instance (re-authenticated on 401, one re-auth at a time), idempotent Lead writes with retries only where a
// retry cannot duplicate, and typed errors. Logs name operations and secrets, never tokens, keys or field values.
import { AsyncLocalStorage } from 'node:async_hooks';
// The core modules only: the package root also loads every API module (bulk, metadata, soap...), 600 KB more per bundle.
import { Connection } from 'jsforce/lib/connection';
import { OAuth2 } from 'jsforce/lib/oauth2';
import { setDispatcher } from 'jsforce/lib/request';
import { Agent, type Dispatcher } from 'undici';
import { getSecretCache, type SecretCache } from '../secrets/secret-cache';
import {
  SalesforceAuthError, SalesforceCredentialsError, SalesforceInputError, SalesforceRecordError,
  SalesforceUnavailableError, type SalesforceErrorDetail,
} from './errors';
import { signJwtBearerAssertion } from './jwt-bearer';

/** Default REST API version (Winter '25). */
export const DEFAULT_SALESFORCE_API_VERSION = '62.0';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The JSON object the credentials secret holds (a Secrets Manager string secret):
 * `{"clientId": "<connected app consumer key>", "username": "integration@example.com",
 *   "privateKey": "-----BEGIN PRIVATE KEY-----\n...", "loginUrl": "https://login.salesforce.com"}`.
 * `loginUrl` is where the token is requested (`https://login.salesforce.com`, `https://test.salesforce.com` or the
 * org's My Domain URL); `audience` is the JWT `aud` and defaults to `loginUrl`.
 */
export interface SalesforceCredentials {
  readonly clientId: string;
  readonly username: string;
  readonly privateKey: string;
  readonly loginUrl: string;
  readonly audience?: string;
}

/** Where the client writes warnings (e.g. a Powertools Logger). Messages carry no secrets and no field values. */
export interface SalesforceClientLogger {
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export interface SalesforceClientOptions {
  /** Secrets Manager id (name or ARN) of the JSON credentials, see `SalesforceCredentials`. */
  readonly credentialsSecretId: string;
  /** Cache the credentials are read through. @default - the process-wide `getSecretCache()` */
  readonly secrets?: SecretCache;
  /** REST API version. @default '62.0' */
  readonly apiVersion?: string;
  /**
   * undici dispatcher for every jsforce request in this process (jsforce keeps one module-wide dispatcher and has no
   * per-connection option, so this is installed with jsforce's `setDispatcher`). Use it to trust a test server's
   * certificate or tune keep-alive.
   * @default - a keep-alive undici Agent with one connection per host: a Lambda handles one event at a time, and
   * undici would otherwise open a second connection (another TLS handshake) after each streamed PATCH body
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Deadline of one HTTP exchange with Salesforce (connect, then headers, then body), ms: a hung Salesforce fails
   * the call as unavailable (retryable) instead of holding the step to its timeout. Applies to the default dispatcher.
   * @default 5000
   */
  readonly requestTimeoutMs?: number;
  /** Attempts for idempotent operations on 429/5xx/connection errors. @default 3 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each time, with full jitter. @default 200 */
  readonly retryBaseDelayMs?: number;
  /** Cap of one retry delay. @default 2000 */
  readonly retryMaxDelayMs?: number;
  readonly logger?: SalesforceClientLogger;
  /** Clock for JWT `exp`. @default Date.now */
  readonly now?: () => number;
  /** Waits between retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** Outcome of `upsertLead`. */
export interface LeadUpsertResult {
  /** Lead Id (always present from API 46.0 on). */
  readonly id?: string;
  /** True when this call inserted the Lead; false when it updated an existing one (including its own earlier try). */
  readonly created: boolean;
}

/** Field values of a Lead (API names), e.g. `{ LastName: 'Doe', Company: 'Acme', Phone: '+14155550100' }`. */
export type LeadFields = Readonly<Record<string, unknown>>;

/** What one client did: for tests, benchmarks and metrics. */
export interface SalesforceClientStats {
  /** Token requests made (initial auth, re-auth on 401, retry after a rotated key). */
  oauthCalls: number;
  /** Forced refreshes of the credentials secret after Salesforce rejected the cached key. */
  credentialRefreshes: number;
  /** Retries of idempotent operations after 429/5xx/connection errors. */
  retries: number;
}

interface OperationContext {
  refreshes: number;
  refreshError?: unknown;
}

const RETRYABLE_CODES = new Set(['SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG']);
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** A pooled Salesforce client. Use `getSalesforceClient` in handlers so a warm Lambda reuses one instance. */
export class SalesforceClient {
  readonly stats: SalesforceClientStats = { oauthCalls: 0, credentialRefreshes: 0, retries: 0 };
  private readonly secrets: SecretCache;
  private readonly apiVersion: string;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly context = new AsyncLocalStorage<OperationContext>();
  private conn?: Connection;
  private connecting?: Promise<Connection>;
  private lastRefreshError?: unknown;

  constructor(private readonly options: SalesforceClientOptions) {
    if (!options.credentialsSecretId) throw new SalesforceInputError('credentialsSecretId', 'it must be a non-empty string');
    this.secrets = options.secrets ?? getSecretCache();
    this.apiVersion = options.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION;
    if (!/^\d+\.\d$/.test(this.apiVersion)) throw new SalesforceInputError('apiVersion', "it must look like '62.0'");
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    const timeout = Math.max(1, options.requestTimeoutMs ?? 5000);
    setDispatcher(options.dispatcher ?? new Agent({ connect: { allowH2: false, timeout }, connections: 1, headersTimeout: timeout, bodyTimeout: timeout }));
  }

  /**
   * Creates or updates the Lead whose `externalIdField` equals `externalId` (PATCH .../Lead/{field}/{value}), so
   * repeating the call (a Step Functions retry, a lost response) never makes a second Lead. Retried on 429/5xx.
   */
  async upsertLead(externalIdField: string, externalId: string, fields: LeadFields): Promise<LeadUpsertResult> {
    if (!FIELD_NAME.test(externalIdField)) throw new SalesforceInputError('externalIdField', 'it must be a field API name');
    if (typeof externalId !== 'string' || externalId.length === 0 || externalId.length > 255) {
      throw new SalesforceInputError('externalId', 'it must be a string of 1 to 255 characters');
    }
    checkFields(fields, ['Id', externalIdField]);
    const record = { ...fields, [externalIdField]: encodeURIComponent(externalId) };
    const result = await this.run('upsertLead', true, (conn) =>
      conn.sobject('Lead').upsert(record as never, externalIdField) as Promise<unknown>);
    const body = (result ?? {}) as { id?: string; created?: boolean };
    return { id: body.id, created: body.created === true };
  }

  /** Sets the given fields on the Lead with this Id (PATCH .../Lead/{id}); absolute values, so retried on 429/5xx. */
  async updateLead(id: string, fields: LeadFields): Promise<void> {
    checkId(id);
    checkFields(fields, ['Id']);
    await this.run('updateLead', true, (conn) =>
      conn.sobject('Lead').update({ ...fields, Id: id } as never) as Promise<unknown>);
  }

  /** The Lead with this Id (only `fieldNames` when given), or undefined when Salesforce has none. */
  async getLead(id: string, fieldNames?: readonly string[]): Promise<Record<string, unknown> | undefined> {
    checkId(id);
    for (const f of fieldNames ?? []) if (!FIELD_NAME.test(f)) throw new SalesforceInputError('fieldNames', `'${f}' is not a field API name`);
    const query = fieldNames?.length ? `?fields=${fieldNames.join(',')}` : '';
    try {
      // jsforce would retry GETs itself (5 times from 500 ms); turned off so that one retry policy applies.
      return await this.run('getLead', true, (conn) =>
        conn.request<Record<string, unknown>>({ method: 'GET', url: `/sobjects/Lead/${id}${query}` }, { retry: { maxRetries: 0 } }));
    } catch (err) {
      if (err instanceof SalesforceRecordError && err.errorCode === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Forgets the connection and token; the next call authenticates again. */
  reset(): void {
    this.conn = undefined;
    this.connecting = undefined;
  }

  /** Runs one operation with its own refresh budget, retrying (only if idempotent) on unavailability. */
  private async run<T>(operation: string, idempotent: boolean, call: (conn: Connection) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const ctx: OperationContext = { refreshes: 0 };
      try {
        return await this.context.run(ctx, async () => call(await this.connection()));
      } catch (err) {
        const typed = this.classify(err, ctx, operation, attempt);
        if (typed instanceof SalesforceUnavailableError && idempotent && attempt < this.maxAttempts) {
          this.stats.retries++;
          const cap = Math.min(this.options.retryMaxDelayMs ?? 2000, (this.options.retryBaseDelayMs ?? 200) * 2 ** (attempt - 1));
          await this.sleep(Math.floor(this.random() * cap));
          continue;
        }
        throw typed;
      }
    }
  }

  private connection(): Promise<Connection> {
    if (this.conn) return Promise.resolve(this.conn);
    // Concurrent first calls share one authentication.
    this.connecting ??= (async () => {
      const creds = await this.credentials(false);
      const conn = new Connection({
        loginUrl: creds.loginUrl,
        version: this.apiVersion,
        refreshFn: (c, callback) => this.refresh(c, callback),
      });
      await this.authorize(conn, creds);
      this.conn = conn;
      return conn;
    })().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /**
   * jsforce calls this on a 401 (one refresh at a time per connection). JWT bearer gives no refresh token, so we sign
   * a new assertion. A second 401 within one operation means the new session is rejected too: give up, or jsforce
   * would keep refreshing.
   */
  private refresh(conn: Connection, callback: (err?: Error | null, accessToken?: string) => void): void {
    const ctx = this.context.getStore();
    if (ctx && ++ctx.refreshes > 1) {
      const err = new SalesforceAuthError('INVALID_SESSION_ID', 'Salesforce rejected a session it had just issued');
      ctx.refreshError = err;
      this.lastRefreshError = err;
      callback(err);
      return;
    }
    this.options.logger?.warn('Salesforce session rejected; re-authenticating', { secretId: this.options.credentialsSecretId });
    this.credentials(false)
      .then((creds) => this.authorize(conn, creds))
      .then(() => callback(null, conn.accessToken ?? undefined), (err: Error) => {
        if (ctx) ctx.refreshError = err;
        this.lastRefreshError = err;
        callback(err);
      });
  }

  /** Token request; if Salesforce refuses the cached key, one forced secret refresh and (if it changed) one retry. */
  private async authorize(conn: Connection, creds: SalesforceCredentials): Promise<void> {
    try {
      await this.requestToken(conn, creds);
    } catch (err) {
      if (!(err instanceof SalesforceAuthError)) throw err;
      this.stats.credentialRefreshes++;
      const fresh = await this.credentials(true);
      if (sameCredentials(fresh, creds)) throw err;
      this.options.logger?.warn('Salesforce refused the cached credentials; retrying with the rotated secret',
        { secretId: this.options.credentialsSecretId, errorCode: err.errorCode });
      await this.requestToken(conn, fresh);
    }
  }

  private async requestToken(conn: Connection, creds: SalesforceCredentials): Promise<void> {
    let assertion: string;
    try {
      assertion = signJwtBearerAssertion({
        clientId: creds.clientId, username: creds.username, audience: creds.audience ?? creds.loginUrl,
        privateKey: creds.privateKey, now: this.now,
      });
    } catch {
      throw new SalesforceCredentialsError(this.options.credentialsSecretId, 'privateKey', 'is not a readable PEM RSA private key');
    }
    if (conn.oauth2.loginUrl !== creds.loginUrl) conn.oauth2 = new OAuth2({ loginUrl: creds.loginUrl });
    this.stats.oauthCalls++;
    try {
      await conn.authorize({ grant_type: JWT_BEARER, assertion });
    } catch (err) {
      const unavailable = unavailableCode(err);
      if (unavailable) throw new SalesforceUnavailableError('authentication', 1, unavailable, { cause: err });
      const e = err as Error;
      throw new SalesforceAuthError(e.name && e.name !== 'Error' ? e.name : 'AUTH_FAILED', e.message);
    }
  }

  private async credentials(forceRefresh: boolean): Promise<SalesforceCredentials> {
    const id = this.options.credentialsSecretId;
    const value = await this.secrets.get(id, { forceRefresh });
    if (value.string === undefined) throw new SalesforceCredentialsError(id, 'the secret', 'is binary, not a JSON string');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(value.string);
    } catch {
      throw new SalesforceCredentialsError(id, 'the secret', 'is not JSON');
    }
    if (!parsed || typeof parsed !== 'object') throw new SalesforceCredentialsError(id, 'the secret', 'is not a JSON object');
    for (const field of ['clientId', 'username', 'privateKey', 'loginUrl']) {
      if (typeof parsed[field] !== 'string' || parsed[field] === '') throw new SalesforceCredentialsError(id, field, 'is missing or empty');
    }
    if (!/^https:\/\/[^/]+/.test(String(parsed.loginUrl))) throw new SalesforceCredentialsError(id, 'loginUrl', 'is not an https URL');
    if (parsed.audience !== undefined && typeof parsed.audience !== 'string') throw new SalesforceCredentialsError(id, 'audience', 'is not a string');
    return {
      clientId: String(parsed.clientId),
      username: String(parsed.username),
      privateKey: String(parsed.privateKey),
      loginUrl: String(parsed.loginUrl).replace(/\/+$/, ''),
      audience: parsed.audience as string | undefined,
    };
  }

  private classify(err: unknown, ctx: OperationContext, operation: string, attempt: number): Error {
    // jsforce rewraps a failed refresh as a plain Error; the typed one was kept by refresh().
    if (err instanceof Error && err.message.startsWith('Unable to refresh session')) {
      err = ctx.refreshError ?? this.lastRefreshError ?? err;
    }
    if (err instanceof SalesforceUnavailableError) {
      return new SalesforceUnavailableError(operation, attempt, err.errorCode, { cause: err.cause });
    }
    if (err instanceof SalesforceAuthError || err instanceof SalesforceCredentialsError || err instanceof SalesforceInputError) return err;
    const unavailable = unavailableCode(err);
    if (unavailable) return new SalesforceUnavailableError(operation, attempt, unavailable, { cause: err });
    const apiError = err as { errorCode?: unknown; data?: unknown; message?: string };
    if (typeof apiError?.errorCode === 'string') {
      if (apiError.errorCode === 'INVALID_SESSION_ID') {
        return new SalesforceAuthError('INVALID_SESSION_ID', 'Salesforce rejected the session after re-authentication');
      }
      return new SalesforceRecordError(operation, errorDetails(apiError.errorCode, apiError.data, apiError.message));
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

const clients = new Map<string, SalesforceClient>();

/**
 * The client for these credentials, kept in module scope so every invocation of a warm Lambda reuses its connection
 * and token. Options other than `credentialsSecretId` and `apiVersion` apply when the client is first created.
 */
export function getSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  const key = `${options.credentialsSecretId}\u0000${options.apiVersion ?? DEFAULT_SALESFORCE_API_VERSION}`;
  let client = clients.get(key);
  if (!client) {
    client = new SalesforceClient(options);
    clients.set(key, client);
  }
  return client;
}

/** Forgets every client made by `getSalesforceClient` (tests, or after changing configuration). */
export function resetSalesforceClients(): void {
  clients.clear();
}

/** The retryable code of a 429/5xx/connection failure, or undefined for anything else. */
function unavailableCode(err: unknown): string | undefined {
  const e = err as { name?: string; errorCode?: string; cause?: { code?: string; cause?: { code?: string } } };
  if (err instanceof TypeError) {
    // undici's fetch rejects with TypeError('fetch failed') and the socket error as cause.
    return e.cause?.code ?? e.cause?.cause?.code ?? 'NETWORK_ERROR';
  }
  const code = typeof e?.errorCode === 'string' ? e.errorCode : e?.name;
  if (typeof code !== 'string') return undefined;
  if (/^ERROR_HTTP_(429|5\d\d)$/.test(code) || RETRYABLE_CODES.has(code)) return code;
  return undefined;
}

function errorDetails(errorCode: string, data: unknown, message: string | undefined): SalesforceErrorDetail[] {
  const entries = Array.isArray(data) ? data : [data];
  const details = entries
    .filter((d): d is Record<string, unknown> => !!d && typeof d === 'object')
    .map((d) => ({
      errorCode: typeof d.errorCode === 'string' ? d.errorCode : errorCode,
      message: typeof d.message === 'string' ? d.message : '',
      fields: Array.isArray(d.fields) ? d.fields.map(String) : [],
    }));
  return details.length ? details : [{ errorCode, message: message ?? '', fields: [] }];
}

function checkFields(fields: LeadFields, forbidden: readonly string[]): void {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new SalesforceInputError('fields', 'it must be an object');
  for (const name of Object.keys(fields)) {
    if (!FIELD_NAME.test(name)) throw new SalesforceInputError('fields', `'${name}' is not a field API name`);
    if (forbidden.includes(name)) throw new SalesforceInputError('fields', `'${name}' is set by the call itself and must not be among the fields`);
  }
}

function checkId(id: string): void {
  if (typeof id !== 'string' || !RECORD_ID.test(id)) throw new SalesforceInputError('id', 'it must be a 15- or 18-character Salesforce Id');
}

function sameCredentials(a: SalesforceCredentials, b: SalesforceCredentials): boolean {
  return a.clientId === b.clientId && a.username === b.username && a.privateKey === b.privateKey
    && a.loginUrl === b.loginUrl && a.audience === b.audience;
}
