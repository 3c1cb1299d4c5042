// SalesforceClient with real jsforce against the HTTPS Salesforce stand-in, its credentials in moto's Secrets Manager
// behind a proxy that counts GetSecretValue calls on the wire.
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SalesforceAuthError, SalesforceCredentialsError, SalesforceInputError, SalesforceRecordError, SalesforceUnavailableError } from '../../../src/runtime/salesforce/errors';
import { SalesforceClient, getSalesforceClient, resetSalesforceClients, type SalesforceClientOptions } from '../../../src/runtime/salesforce/salesforce-client';
import { SecretCache } from '../../../src/runtime/secrets/secret-cache';
import {
  LOCAL_CREDENTIALS, createJwtKeyPair, startMotoServer, startSalesforceStandIn, type LocalEndpoint, type SalesforceStandIn,
} from '../../../src/testing';
import { startAwsJsonProxy, type AwsJsonProxy } from '../../../src/testing';

const CLIENT_ID = '3MVG9-test-consumer-key';
const USERNAME = 'integration@example.com';
const PHONE = '+14155550123';

let moto: LocalEndpoint;
let proxy: AwsJsonProxy;
let admin: SecretsManagerClient;
let sf: SalesforceStandIn;
let keys: { privateKeyPem: string; publicKeyPem: string };
let dispatcher: Agent;
let secretId: string;
let secretSeq = 0;
let extSeq = 0;

const secretCalls = () => proxy.calls.GetSecretValue ?? 0;
const nextExternalId = () => `call-${Date.now()}-${++extSeq}`;

function credentials(privateKey: string) {
  return JSON.stringify({ clientId: CLIENT_ID, username: USERNAME, privateKey, loginUrl: sf.endpoint });
}

function newClient(options: Partial<SalesforceClientOptions> = {}): SalesforceClient {
  const secrets = new SecretCache({
    client: new SecretsManagerClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }),
  });
  return new SalesforceClient({ credentialsSecretId: secretId, secrets, dispatcher, sleep: async () => undefined, ...options });
}

beforeAll(async () => {
  moto = await startMotoServer();
  proxy = await startAwsJsonProxy(moto.endpoint);
  admin = new SecretsManagerClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  keys = createJwtKeyPair();
  sf = await startSalesforceStandIn({ publicKey: keys.publicKeyPem, clientId: CLIENT_ID, usernames: [USERNAME] });
});

afterAll(async () => {
  admin?.destroy();
  await sf?.stop();
  await proxy?.stop();
  await moto?.stop();
});

beforeEach(async () => {
  // A fresh secret, dispatcher (connection pool) and counters per test, so counts belong to this test alone.
  sf.setPublicKey(keys.publicKeyPem);
  secretId = `salesforce/jwt-${++secretSeq}`;
  await admin.send(new CreateSecretCommand({ Name: secretId, SecretString: credentials(keys.privateKeyPem) }));
  dispatcher = sf.createDispatcher();
  sf.resetCounters();
  sf.clearFailures();
  for (const key of Object.keys(proxy.calls)) delete proxy.calls[key];
});

afterEach(async () => {
  resetSalesforceClients();
  await dispatcher.close();
});

describe('SalesforceClient', () => {
  it('makes one OAuth call, one TLS handshake and one secret read over many lead operations', async () => {
    const client = newClient();

    for (let i = 0; i < 10; i++) {
      const { id } = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme', Phone: PHONE });
      await client.updateLead(id!, { Status: 'Working' });
    }

    expect(sf.counters.requests).toBe(20);
    expect(sf.counters.oauthCalls).toBe(1);
    // One connection per host: jsforce streams PATCH bodies, and with more allowed, undici would open a second one.
    expect(sf.counters.tlsHandshakes).toBe(1);
    expect(secretCalls()).toBe(1);
  });

  it('authenticates once for concurrent first calls', async () => {
    const client = newClient();

    await Promise.all(Array.from({ length: 5 }, () =>
      client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme' })));

    expect(sf.counters.oauthCalls).toBe(1);
    expect(secretCalls()).toBe(1);
  });

  it('re-authenticates once when the token is revoked, then succeeds', async () => {
    const client = newClient();
    const { id } = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme' });
    sf.revokeTokens();

    await client.updateLead(id!, { Status: 'Working' });

    expect(sf.counters.oauthCalls).toBe(2);
    expect(sf.counters.requests).toBe(3); // upsert, rejected update, retried update
    expect(secretCalls()).toBe(1);
    expect(sf.leads().find((l) => l.Id === id)?.Status).toBe('Working');
  });

  it('refreshes the secret once and retries when the private key was rotated', async () => {
    const warnings: string[] = [];
    const client = newClient({ logger: { warn: (m, a) => warnings.push(`${m} ${JSON.stringify(a)}`) } });
    await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme', Phone: PHONE });
    const rotated = createJwtKeyPair();
    await admin.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: credentials(rotated.privateKeyPem) }));
    sf.setPublicKey(rotated.publicKeyPem);
    sf.revokeTokens();

    const result = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Roe', Company: 'Acme', Phone: PHONE });

    expect(result.created).toBe(true);
    expect(sf.counters.oauthCalls).toBe(3); // initial, refused with the cached key, accepted with the rotated key
    expect(secretCalls()).toBe(2);
    expect(client.stats.credentialRefreshes).toBe(1);
    const logged = warnings.join('\n');
    expect(logged).toContain(secretId);
    expect(logged).not.toContain(PHONE);
    expect(logged).not.toContain('PRIVATE KEY');
    expect(logged).not.toContain('00D000000000001!'); // the stand-in's token prefix
  });

  it('throws SalesforceAuthError after exactly one forced secret refresh when the key is simply wrong', async () => {
    sf.setPublicKey(createJwtKeyPair().publicKeyPem);
    const client = newClient();

    const error = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect((error as SalesforceAuthError).errorCode).toBe('invalid_grant');
    expect(secretCalls()).toBe(2);
    expect(sf.counters.oauthCalls).toBe(1); // the refreshed secret is unchanged, so no pointless second token request
    expect(sf.counters.requests).toBe(0);
  });

  it('makes one Lead when an upsert is retried, as Step Functions would after a timeout', async () => {
    const client = newClient();
    const externalId = nextExternalId();

    const first = await client.upsertLead('External_Id__c', externalId, { LastName: 'Doe', Company: 'Acme', Phone: PHONE });
    const retried = await client.upsertLead('External_Id__c', externalId, { LastName: 'Doe', Company: 'Acme', Phone: PHONE });

    expect(first).toEqual({ id: expect.any(String), created: true });
    expect(retried).toEqual({ id: first.id, created: false });
    expect(sf.leads().filter((l) => l.External_Id__c === externalId)).toHaveLength(1);
  });

  it('makes one Lead when the response to a committed upsert is lost and the client retries', async () => {
    const client = newClient();
    const externalId = nextExternalId();
    sf.failNext({ status: 503, afterWrite: true });

    const result = await client.upsertLead('External_Id__c', externalId, { LastName: 'Doe', Company: 'Acme' });

    expect(result.created).toBe(false);
    expect(client.stats.retries).toBe(1);
    expect(sf.counters.leadsCreated).toBe(1);
    expect(sf.leads().filter((l) => l.External_Id__c === externalId)).toHaveLength(1);
  });

  it('keeps external ids with reserved URL characters intact', async () => {
    const client = newClient();
    const externalId = `a/b?c#${nextExternalId()}`;

    await client.upsertLead('External_Id__c', externalId, { LastName: 'Doe', Company: 'Acme' });
    await client.upsertLead('External_Id__c', externalId, { LastName: 'Doe', Company: 'Acme' });

    expect(sf.leads().filter((l) => l.External_Id__c === externalId)).toHaveLength(1);
  });

  it('retries 503s with backoff and gives up with SalesforceUnavailableError', async () => {
    const delays: number[] = [];
    const client = newClient({ maxAttempts: 3, sleep: async (ms) => { delays.push(ms); }, random: () => 0.5 });
    const { id } = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme' });
    sf.failNext({ status: 503, count: 2 });
    await client.updateLead(id!, { Status: 'Working' });
    sf.failNext({ status: 503, count: 3 });

    const error = await client.updateLead(id!, { Status: 'Closed' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SalesforceUnavailableError);
    expect((error as SalesforceUnavailableError).attempts).toBe(3);
    expect((error as SalesforceUnavailableError).errorCode).toBe('SERVER_UNAVAILABLE');
    expect(delays).toEqual([100, 200, 100, 200]);
    expect(sf.leads().find((l) => l.Id === id)?.Status).toBe('Working');
  });

  it('throws SalesforceRecordError with errorCode and fields, without retrying or quoting values', async () => {
    const client = newClient();

    const error = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Phone: PHONE })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SalesforceRecordError);
    expect((error as SalesforceRecordError).errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect((error as SalesforceRecordError).fields).toEqual(['Company']);
    expect((error as Error).message).not.toContain(PHONE);
    expect(sf.counters.requests).toBe(1);
  });

  it('gives up with SalesforceAuthError when Salesforce keeps rejecting fresh sessions', async () => {
    const client = newClient();
    const { id } = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme' });
    sf.failNext({ status: 401, errorCode: 'INVALID_SESSION_ID', count: 10 });

    const error = await client.getLead(id!).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(sf.counters.oauthCalls).toBe(2);
  });

  it('reads a Lead, or undefined when there is none', async () => {
    const client = newClient();
    const { id } = await client.upsertLead('External_Id__c', nextExternalId(), { LastName: 'Doe', Company: 'Acme', Phone: PHONE });

    const lead = await client.getLead(id!, ['LastName', 'Phone']);
    const missing = await client.getLead('00Q999999999999AAA');

    expect(lead).toMatchObject({ Id: id, LastName: 'Doe', Phone: PHONE });
    expect(lead).not.toHaveProperty('Company');
    expect(missing).toBeUndefined();
  });

  it('rejects bad input with SalesforceInputError before calling Salesforce', async () => {
    const client = newClient();

    await expect(client.upsertLead('External_Id__c', 'x', { Id: '00Q000000000001AAA', LastName: 'Doe' }))
      .rejects.toBeInstanceOf(SalesforceInputError);
    await expect(client.upsertLead('External Id', 'x', { LastName: 'Doe' })).rejects.toBeInstanceOf(SalesforceInputError);
    await expect(client.updateLead('../../Account/1', { LastName: 'Doe' })).rejects.toBeInstanceOf(SalesforceInputError);
    expect(sf.counters.oauthCalls + sf.counters.requests).toBe(0);
  });

  it('names the missing field of a malformed credentials secret', async () => {
    await admin.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify({ clientId: CLIENT_ID, privateKey: 'k' }) }));
    const client = newClient();

    const error = await client.getLead('00Q000000000001AAA').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SalesforceCredentialsError);
    expect((error as SalesforceCredentialsError).field).toBe('username');
  });

  it('keeps one client per credentials secret in module scope', () => {
    const options = { credentialsSecretId: secretId, dispatcher };

    expect(getSalesforceClient(options)).toBe(getSalesforceClient(options));
    expect(getSalesforceClient({ ...options, credentialsSecretId: 'other' })).not.toBe(getSalesforceClient(options));
  });
});
