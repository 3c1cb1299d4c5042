// SecretCache against moto's Secrets Manager (real protocol: versions, stages, PutSecretValue rotation), with a
// loopback proxy that counts GetSecretValue calls on the wire and injects AWS JSON errors moto cannot produce.
import {
  CreateSecretCommand, DeleteSecretCommand, PutSecretValueCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretFetchError, SecretFormatError, SecretNotFoundError, SecretStaleError } from '../../../src/runtime/secrets/errors';
import { SecretCache } from '../../../src/runtime/secrets/secret-cache';
import { LOCAL_CREDENTIALS, resetMotoServer, startMotoServer, type LocalEndpoint } from '../../../src/testing';
import { delay } from '../../../src/testing/local-server';
import { startAwsJsonProxy, type AwsJsonProxy } from '../../../src/testing';

let moto: LocalEndpoint;
let proxy: AwsJsonProxy;
let admin: SecretsManagerClient;
let clockMs: number;
const now = () => clockMs;
const MINUTE = 60_000;

function clientViaProxy(): SecretsManagerClient {
  // maxAttempts 1: the SDK's own retries would hide how many calls the cache made.
  return new SecretsManagerClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

function newCache(options: { maxEntries?: number; maxStalenessMs?: number } = {}): SecretCache {
  return new SecretCache({ client: clientViaProxy(), now, ...options });
}

const getCalls = () => proxy.calls.GetSecretValue ?? 0;

beforeAll(async () => {
  moto = await startMotoServer();
  proxy = await startAwsJsonProxy(moto.endpoint);
  admin = new SecretsManagerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  admin?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

beforeEach(async () => {
  await resetMotoServer(moto.endpoint);
  for (const key of Object.keys(proxy.calls)) delete proxy.calls[key];
  proxy.failWith = undefined;
  clockMs = Date.UTC(2026, 0, 1);
});

afterEach(() => { proxy.failWith = undefined; });

describe('SecretCache', () => {
  it('reads string, JSON and binary secrets', async () => {
    await admin.send(new CreateSecretCommand({ Name: 'plain', SecretString: 'hunter2' }));
    await admin.send(new CreateSecretCommand({ Name: 'creds', SecretString: '{"clientId":"abc","n":3}' }));
    await admin.send(new CreateSecretCommand({ Name: 'blob', SecretBinary: Buffer.from([0, 1, 2, 255]) }));
    const cache = newCache();

    expect(await cache.getString('plain')).toBe('hunter2');
    expect(await cache.getJson('creds')).toEqual({ clientId: 'abc', n: 3 });
    expect(Buffer.from(await cache.getBinary('blob'))).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('makes no call when constructed, and one call for concurrent first gets', async () => {
    await admin.send(new CreateSecretCommand({ Name: 'creds', SecretString: '{"a":1}' }));
    const cache = newCache();
    expect(getCalls()).toBe(0);

    const values = await Promise.all(Array.from({ length: 10 }, () => cache.getJson('creds')));

    expect(values).toHaveLength(10);
    expect(getCalls()).toBe(1);
  });

  it('serves the cached value within maxAge without calling Secrets Manager', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    const cache = newCache();
    await cache.getString('s');

    clockMs += 4 * MINUTE;
    await admin.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'v2' }));

    expect(await cache.getString('s')).toBe('v1');
    expect(getCalls()).toBe(1);
  });

  it('honours a per-call maxAge', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    const cache = newCache();
    await cache.getString('s');
    clockMs += 10_000;

    await cache.getString('s', { maxAgeMs: 5_000 });

    await vi.waitFor(() => expect(getCalls()).toBe(2));
  });

  it('serves a stale value at once and refreshes it in the background (stale-while-revalidate)', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    const cache = newCache();
    await cache.getString('s');
    await admin.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'v2' }));
    clockMs += 6 * MINUTE;

    const stale = await cache.getString('s');
    // Gets made while the background refresh is in flight join it, so polling adds no calls.
    await vi.waitFor(async () => expect(await cache.getString('s')).toBe('v2'));

    expect(stale).toBe('v1');
    expect(getCalls()).toBe(2);
  });

  it('fetches the rotated version on forceRefresh and after invalidate', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    const cache = newCache();
    const first = await cache.get('s');
    await admin.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'v2' }));

    const forced = await cache.get('s', { forceRefresh: true });
    await admin.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'v3' }));
    cache.invalidate('s');
    const afterInvalidate = await cache.getString('s');

    expect(forced.string).toBe('v2');
    expect(forced.versionId).not.toBe(first.versionId);
    expect(afterInvalidate).toBe('v3');
    expect(getCalls()).toBe(3);
  });

  it('reads another version stage separately from AWSCURRENT', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    await admin.send(new PutSecretValueCommand({ SecretId: 's', SecretString: 'v2' }));
    const cache = newCache();

    expect(await cache.getString('s')).toBe('v2');
    expect(await cache.getString('s', { versionStage: 'AWSPREVIOUS' })).toBe('v1');
  });

  it('serves the last good value while refreshes fail, then throws a SecretStaleError naming the secret', async () => {
    await admin.send(new CreateSecretCommand({ Name: 'salesforce/creds', SecretString: 'top-secret-value' }));
    const cache = newCache({ maxStalenessMs: 10 * MINUTE });
    await cache.getString('salesforce/creds');
    proxy.failWith = { status: 500, type: 'InternalServiceError', message: 'An error occurred on the server side.' };

    clockMs += 6 * MINUTE;
    const staleWhileFailing = await cache.getString('salesforce/creds');
    await delay(50);
    clockMs += 8 * MINUTE; // 14 min old: still within maxAge (5) + maxStaleness (10)
    const stillServed = await cache.getString('salesforce/creds');
    await delay(50);
    clockMs += 2 * MINUTE; // 16 min old: beyond the bound
    const error = await cache.getString('salesforce/creds').catch((e: unknown) => e);

    expect(staleWhileFailing).toBe('top-secret-value');
    expect(stillServed).toBe('top-secret-value');
    expect(error).toBeInstanceOf(SecretStaleError);
    expect((error as SecretStaleError).secretId).toBe('salesforce/creds');
    expect((error as Error).message).toContain("'salesforce/creds'");
    expect((error as Error).message).toContain('InternalServiceError');
    expect((error as Error).message).not.toContain('top-secret-value');
  });

  it('recovers once Secrets Manager answers again', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    const cache = newCache({ maxStalenessMs: 0 });
    await cache.getString('s');
    proxy.failWith = { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
    clockMs += 6 * MINUTE;
    await expect(cache.getString('s')).rejects.toBeInstanceOf(SecretStaleError);

    proxy.failWith = undefined;

    expect(await cache.getString('s')).toBe('v1');
  });

  it('serves the last good value when the secret was deleted, within the staleness bound', async () => {
    await admin.send(new CreateSecretCommand({ Name: 's', SecretString: 'v1' }));
    const cache = newCache();
    await cache.getString('s');
    await admin.send(new DeleteSecretCommand({ SecretId: 's', ForceDeleteWithoutRecovery: true }));
    clockMs += 6 * MINUTE;

    expect(await cache.getString('s')).toBe('v1');
  });

  it('throws SecretNotFoundError for a missing secret and SecretFetchError when unreachable', async () => {
    const cache = newCache();
    const missing = await cache.getString('nope').catch((e: unknown) => e);
    proxy.failWith = { status: 400, type: 'AccessDeniedException', message: 'not authorized' };
    const denied = await cache.getString('other').catch((e: unknown) => e);

    expect(missing).toBeInstanceOf(SecretNotFoundError);
    expect((missing as Error).message).toContain("'nope'");
    expect(denied).toBeInstanceOf(SecretFetchError);
    expect(denied).not.toBeInstanceOf(SecretNotFoundError);
    expect((denied as Error).message).toContain('AccessDeniedException');
  });

  it('rejects a non-JSON secret with a SecretFormatError that does not quote it', async () => {
    await admin.send(new CreateSecretCommand({ Name: 'bad', SecretString: 'not json p@ssw0rd' }));
    await admin.send(new CreateSecretCommand({ Name: 'arr', SecretString: '["p@ssw0rd"]' }));
    const cache = newCache();

    const notJson = await cache.getJson('bad').catch((e: unknown) => e);
    const notObject = await cache.getJson('arr').catch((e: unknown) => e);
    const notBinary = await cache.getBinary('bad').catch((e: unknown) => e);

    expect(notJson).toBeInstanceOf(SecretFormatError);
    expect((notJson as Error).message).not.toContain('p@ssw0rd');
    expect((notJson as Error).cause).toBeUndefined();
    expect(notObject).toBeInstanceOf(SecretFormatError);
    expect(notBinary).toBeInstanceOf(SecretFormatError);
  });

  it('keeps at most maxEntries secrets, evicting the least recently used', async () => {
    for (const name of ['a', 'b', 'c']) await admin.send(new CreateSecretCommand({ Name: name, SecretString: name }));
    const cache = newCache({ maxEntries: 2 });

    await cache.getString('a');
    await cache.getString('b');
    await cache.getString('c'); // evicts a
    await cache.getString('b'); // cached
    await cache.getString('a'); // fetched again

    expect(getCalls()).toBe(4);
  });
});
