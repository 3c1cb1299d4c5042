// A bounded, per-process cache over AWS Secrets Manager: fresh values for `maxAgeMs`, stale-while-revalidate after
// that, one Secrets Manager call for any number of concurrent gets, the last good value while refreshes fail (up to a
// bounded staleness), and `invalidate()` for consumers that learn a secret was rotated.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LRUCache } from 'lru-cache';
import { SecretFetchError, SecretFormatError, SecretNotFoundError, SecretStaleError } from './errors';

/** The default freshness window: 5 minutes, the TTL of the AWS Parameters and Secrets Lambda Extension. */
export const DEFAULT_SECRET_MAX_AGE_MS = 5 * 60 * 1000;
/** The default time a value may be served past its `maxAgeMs` while refreshes fail: 15 minutes. */
export const DEFAULT_SECRET_MAX_STALENESS_MS = 15 * 60 * 1000;

export interface SecretCacheOptions {
  /** Client used for GetSecretValue. @default - a `SecretsManagerClient` with default config, created on first fetch */
  readonly client?: SecretsManagerClient;
  /** How long a value is served without asking Secrets Manager again. @default 300000 (5 minutes) */
  readonly maxAgeMs?: number;
  /**
   * How long past `maxAgeMs` a value may still be served: immediately while a background refresh runs
   * (stale-while-revalidate), and as the fallback when refreshes fail. Past it a get waits for Secrets Manager and
   * throws `SecretStaleError` if that fails. @default 900000 (15 minutes)
   */
  readonly maxStalenessMs?: number;
  /** Most secrets (per version stage) kept; the least recently used go first. @default 100 */
  readonly maxEntries?: number;
  /** Clock. @default Date.now */
  readonly now?: () => number;
  /**
   * Deadline of one GetSecretValue call, ms (retries included): a hung Secrets Manager fails the step in time for its
   * retry instead of holding it to the Lambda's timeout. @default 3000
   */
  readonly timeoutMs?: number;
}

export interface GetSecretOptions {
  /** Freshness window for this call. @default - the cache's `maxAgeMs` */
  readonly maxAgeMs?: number;
  /** Skip the cache and wait for Secrets Manager (e.g. after the secret was rotated). @default false */
  readonly forceRefresh?: boolean;
  /** Version stage to read. @default 'AWSCURRENT' */
  readonly versionStage?: string;
}

/** One cached secret version as Secrets Manager returned it. */
export interface SecretValue {
  readonly secretId: string;
  /** `SecretString`, when the secret is a string. */
  readonly string?: string;
  /** `SecretBinary`, when the secret is binary. */
  readonly binary?: Uint8Array;
  readonly versionId?: string;
  /** When it was fetched, by the cache's clock (ms since epoch). */
  readonly fetchedAt: number;
}

interface Entry extends SecretValue {
  json?: { value: unknown };
}

interface Flight {
  readonly promise: Promise<Entry>;
  readonly forced: boolean;
}

/** Cached reads of Secrets Manager secrets. Create one per process (see `getSecretCache`) or per test. */
export class SecretCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, Flight>();
  private readonly maxAgeMs: number;
  private readonly maxStalenessMs: number;
  private readonly now: () => number;
  private client?: SecretsManagerClient;
  private calls = 0;
  private readonly timeoutMs: number;

  constructor(options: SecretCacheOptions = {}) {
    this.client = options.client;
    this.maxAgeMs = nonNegative('maxAgeMs', options.maxAgeMs ?? DEFAULT_SECRET_MAX_AGE_MS);
    this.maxStalenessMs = nonNegative('maxStalenessMs', options.maxStalenessMs ?? DEFAULT_SECRET_MAX_STALENESS_MS);
    this.entries = new LRUCache<string, Entry>({ max: Math.max(1, options.maxEntries ?? 100) });
    this.now = options.now ?? Date.now;
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 3000);
  }

  /** The secret as Secrets Manager returned it (string or binary form, version id, fetch time). */
  async get(secretId: string, options: GetSecretOptions = {}): Promise<SecretValue> {
    const { json: _json, ...value } = await this.entry(secretId, options);
    return value;
  }

  /** A string secret's `SecretString`. Throws `SecretFormatError` for a binary secret. */
  async getString(secretId: string, options: GetSecretOptions = {}): Promise<string> {
    const entry = await this.entry(secretId, options);
    if (entry.string === undefined) throw new SecretFormatError(secretId, 'string', 'it holds binary data');
    return entry.string;
  }

  /** A binary secret's `SecretBinary`. Throws `SecretFormatError` for a string secret. */
  async getBinary(secretId: string, options: GetSecretOptions = {}): Promise<Uint8Array> {
    const entry = await this.entry(secretId, options);
    if (entry.binary === undefined) throw new SecretFormatError(secretId, 'binary', 'it holds a string');
    return entry.binary;
  }

  /**
   * A string secret parsed as a JSON object (parsed once per fetched version). The type parameter is not checked:
   * validate the fields you use. Throws `SecretFormatError` (without the text) when it is not a JSON object.
   */
  async getJson<T = Record<string, unknown>>(secretId: string, options: GetSecretOptions = {}): Promise<T> {
    const entry = await this.entry(secretId, options);
    if (!entry.json) {
      if (entry.string === undefined) throw new SecretFormatError(secretId, 'json', 'it holds binary data');
      let parsed: unknown;
      try {
        parsed = JSON.parse(entry.string);
      } catch {
        throw new SecretFormatError(secretId, 'json', 'its text does not parse as JSON');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new SecretFormatError(secretId, 'json', 'its JSON is not an object');
      }
      entry.json = { value: parsed };
    }
    return entry.json.value as T;
  }

  /**
   * Drops every cached version stage of the secret and detaches fetches in flight, so the next get asks Secrets
   * Manager. Call it when the secret was rejected (e.g. an auth failure after rotation).
   */
  invalidate(secretId: string): void {
    for (const key of [...this.entries.keys(), ...this.inFlight.keys()]) {
      if (key.startsWith(`${secretId}\u0000`)) {
        this.entries.delete(key);
        this.inFlight.delete(key);
      }
    }
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
  }

  /** GetSecretValue calls this cache has made (for tests and benchmarks). */
  get secretsManagerCalls(): number {
    return this.calls;
  }

  private async entry(secretId: string, options: GetSecretOptions): Promise<Entry> {
    if (!secretId) throw new TypeError('secretId must be a non-empty string');
    const key = `${secretId}\u0000${options.versionStage ?? 'AWSCURRENT'}`;
    if (options.forceRefresh) return this.fetch(key, secretId, options.versionStage, true);
    const cached = this.entries.get(key);
    if (!cached) return this.fetch(key, secretId, options.versionStage, false);
    const maxAgeMs = options.maxAgeMs ?? this.maxAgeMs;
    const age = this.now() - cached.fetchedAt;
    if (age <= maxAgeMs) return cached;
    if (age <= maxAgeMs + this.maxStalenessMs) {
      // Stale-while-revalidate: answer now, refresh once in the background. A failed refresh keeps the old value.
      this.fetch(key, secretId, options.versionStage, false).catch(() => undefined);
      return cached;
    }
    try {
      return await this.fetch(key, secretId, options.versionStage, false);
    } catch (err) {
      throw new SecretStaleError(secretId, age, err);
    }
  }

  /** One GetSecretValue per key at a time; a forced get does not join an unforced fetch that may predate rotation. */
  private fetch(key: string, secretId: string, versionStage: string | undefined, forced: boolean): Promise<Entry> {
    const current = this.inFlight.get(key);
    if (current && (current.forced || !forced)) return current.promise;
    const promise = (async (): Promise<Entry> => {
      this.client ??= new SecretsManagerClient({});
      this.calls++;
      let out;
      try {
        out = await this.client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: versionStage }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
      } catch (err) {
        throw (err as Error)?.name === 'ResourceNotFoundException'
          ? new SecretNotFoundError(secretId, err)
          : new SecretFetchError(secretId, err);
      }
      return {
        secretId,
        string: out.SecretString,
        binary: out.SecretString === undefined ? out.SecretBinary : undefined,
        versionId: out.VersionId,
        fetchedAt: this.now(),
      };
    })();
    const flight: Flight = { promise, forced };
    this.inFlight.set(key, flight);
    promise.then(
      (entry) => {
        // Only the latest fetch for the key may store: not one that invalidate() or a forced get superseded.
        if (this.inFlight.get(key) === flight) {
          this.entries.set(key, entry);
          this.inFlight.delete(key);
        }
      },
      () => {
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      },
    );
    return promise;
  }
}

let defaultCache: SecretCache | undefined;

/** The process-wide cache (module scope, so it survives between invocations of a warm Lambda), created lazily. */
export function getSecretCache(): SecretCache {
  defaultCache ??= new SecretCache();
  return defaultCache;
}

/** `getSecretCache().getString(...)`. */
export function getSecretString(secretId: string, options?: GetSecretOptions): Promise<string> {
  return getSecretCache().getString(secretId, options);
}

/** `getSecretCache().getJson(...)`. */
export function getSecretJson<T = Record<string, unknown>>(secretId: string, options?: GetSecretOptions): Promise<T> {
  return getSecretCache().getJson<T>(secretId, options);
}

/** `getSecretCache().getBinary(...)`. */
export function getSecretBinary(secretId: string, options?: GetSecretOptions): Promise<Uint8Array> {
  return getSecretCache().getBinary(secretId, options);
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}
