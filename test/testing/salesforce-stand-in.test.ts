// The Salesforce stand-in answers like Salesforce: the JWT bearer token endpoint's checks and error bodies, and the
// Lead REST routes driven by real jsforce over verified TLS.
import { Connection } from 'jsforce';
import { setDispatcher } from 'jsforce/lib/request';
import { fetch, type Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signJwtBearerAssertion } from '../../src/runtime/salesforce/jwt-bearer';
import {
  JWT_BEARER_GRANT_TYPE, createJwtKeyPair, startSalesforceStandIn, type SalesforceStandIn,
} from '../../src/testing';

const CLIENT_ID = 'consumer-key';
const USERNAME = 'bot@example.com';
let keys: { privateKeyPem: string; publicKeyPem: string };
let sf: SalesforceStandIn;
let dispatcher: Agent;

function assertion(overrides: Partial<Parameters<typeof signJwtBearerAssertion>[0]> = {}): string {
  return signJwtBearerAssertion({
    clientId: CLIENT_ID, username: USERNAME, audience: 'https://login.salesforce.com', privateKey: keys.privateKeyPem, ...overrides,
  });
}

async function token(jwt: string, grantType = JWT_BEARER_GRANT_TYPE) {
  const res = await fetch(`${sf.endpoint}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion: jwt }).toString(),
    dispatcher,
  });
  return { status: res.status, body: await res.json() as Record<string, string> };
}

async function connect(version = '62.0'): Promise<Connection> {
  const conn = new Connection({ loginUrl: sf.endpoint, version });
  await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE, assertion: assertion() });
  return conn;
}

beforeAll(async () => {
  keys = createJwtKeyPair();
  sf = await startSalesforceStandIn({ publicKey: keys.publicKeyPem, clientId: CLIENT_ID, usernames: [USERNAME] });
});

afterAll(async () => { await sf?.stop(); });

beforeEach(() => {
  dispatcher = sf.createDispatcher();
  setDispatcher(dispatcher);
  sf.resetCounters();
  sf.clearFailures();
});

afterEach(async () => {
  setDispatcher();
  await dispatcher.close();
});

describe('Salesforce stand-in: token endpoint', () => {
  it('issues a token for a valid JWT bearer assertion', async () => {
    const { status, body } = await token(assertion());

    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: sf.endpoint, access_token: expect.any(String) });
    expect(body.id).toMatch(/\/id\/00D\w+\/005\w+$/);
  });

  it.each([
    ['a signature by another key', () => assertion({ privateKey: createJwtKeyPair().privateKeyPem }), 'invalid_grant', 'invalid assertion'],
    ['a wrong audience', () => assertion({ audience: 'https://example.com' }), 'invalid_grant', 'audience is invalid'],
    ['an expired assertion', () => assertion({ now: () => Date.now() - 10 * 60_000 }), 'invalid_grant', 'expired authorization code'],
    ['an unknown user', () => assertion({ username: 'someone@else.com' }), 'invalid_grant', "user hasn't approved this consumer"],
    ['an unknown consumer key', () => assertion({ clientId: 'other' }), 'invalid_client_id', 'client identifier invalid'],
    ['a malformed assertion', () => 'not.a-jwt', 'invalid_grant', 'invalid assertion'],
  ])('refuses %s like Salesforce', async (_name, make, error, description) => {
    const { status, body } = await token(make());

    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });

  it('refuses other grant types', async () => {
    const { status, body } = await token(assertion(), 'password');

    expect(status).toBe(400);
    expect(body.error).toBe('unsupported_grant_type');
  });

  it('accepts an assertion signed by the new key after setPublicKey, and no longer the old one', async () => {
    const rotated = createJwtKeyPair();
    sf.setPublicKey(rotated.publicKeyPem);
    try {
      expect((await token(assertion({ privateKey: rotated.privateKeyPem }))).status).toBe(200);
      expect((await token(assertion())).status).toBe(400);
    } finally {
      sf.setPublicKey(keys.publicKeyPem);
    }
  });
});

describe('Salesforce stand-in: Lead REST routes through jsforce', () => {
  it('shows why create is unsafe to retry: a second create makes a second Lead', async () => {
    const conn = await connect();

    await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'Acme', External_Id__c: 'dup-1' });
    await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'Acme', External_Id__c: 'dup-1' });

    expect(sf.leads().filter((l) => l.External_Id__c === 'dup-1')).toHaveLength(2);
  });

  it('upserts by external id: 201 created, then 200 with created=false from API 46.0', async () => {
    const conn = await connect();

    const created = await conn.sobject('Lead').upsert({ External_Id__c: 'up-1', LastName: 'Doe', Company: 'Acme' }, 'External_Id__c');
    const updated = await conn.sobject('Lead').upsert({ External_Id__c: 'up-1', Status: 'Working' }, 'External_Id__c');

    expect(created).toMatchObject({ success: true, created: true, id: expect.any(String) });
    expect(updated).toMatchObject({ success: true, created: false, id: (created as { id: string }).id });
    expect(sf.leads().find((l) => l.External_Id__c === 'up-1')).toMatchObject({ LastName: 'Doe', Status: 'Working' });
  });

  it('answers an updating upsert with 204 before API 46.0', async () => {
    const conn = await connect('45.0');
    await conn.sobject('Lead').upsert({ External_Id__c: 'old-1', LastName: 'Doe', Company: 'Acme' }, 'External_Id__c');

    const updated = await conn.sobject('Lead').upsert({ External_Id__c: 'old-1', Status: 'Working' }, 'External_Id__c');

    expect(updated).toEqual({ success: true, errors: [] }); // jsforce's value for 204 No Content
  });

  it('updates and reads a Lead by Id, and answers NOT_FOUND for an unknown one', async () => {
    const conn = await connect();
    const { id } = await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'Acme' }) as { id: string };

    await conn.sobject('Lead').update({ Id: id, Status: 'Qualified' });
    const lead = await conn.sobject('Lead').retrieve(id);
    const missing = await conn.sobject('Lead').retrieve('00Q999999999999AAA').catch((e: { errorCode?: string }) => e.errorCode);

    expect(lead).toMatchObject({ Id: id, Status: 'Qualified', attributes: { type: 'Lead' } });
    expect(missing).toBe('NOT_FOUND');
  });

  it('rejects a Lead without required fields with REQUIRED_FIELD_MISSING and the field names', async () => {
    const conn = await connect();

    const error = await conn.sobject('Lead').create({ LastName: 'Doe' }).catch((e: { errorCode?: string; data?: unknown }) => e);

    expect(error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', data: { fields: ['Company'] } });
  });

  it('answers 401 INVALID_SESSION_ID for a revoked token', async () => {
    const conn = await connect();
    sf.revokeTokens();

    const res = await fetch(`${sf.endpoint}/services/data/v62.0/sobjects/Lead/00Q000000000001AAA`, {
      headers: { authorization: `Bearer ${conn.accessToken}` }, dispatcher,
    });

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('injects 503 SERVER_UNAVAILABLE for the requested number of requests', async () => {
    const conn = await connect();
    sf.failNext({ count: 1 });

    const first = await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'Acme' }).catch((e: { errorCode?: string }) => e.errorCode);
    const second = await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'Acme' });

    expect(first).toBe('SERVER_UNAVAILABLE');
    expect(second).toMatchObject({ success: true });
  });

  it('counts OAuth calls, requests, created Leads and TLS handshakes', async () => {
    const conn = await connect();
    await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'Acme' });
    const handshakesBefore = sf.counters.tlsHandshakes;
    const other = sf.createDispatcher();
    try {
      await fetch(`${sf.endpoint}/services/data/v62.0/sobjects/Lead/x`, { dispatcher: other }).then((r) => r.text());
    } finally {
      await other.close();
    }

    expect(sf.counters).toMatchObject({ oauthCalls: 1, requests: 2, leadsCreated: 1 });
    expect(handshakesBefore).toBeGreaterThanOrEqual(1);
    expect(sf.counters.tlsHandshakes - handshakesBefore).toBe(1); // a new client pays one handshake
  });
});

describe('Salesforce stand-in: TLS', () => {
  it('is refused by a client that does not trust its certificate', async () => {
    const error = await fetch(`${sf.endpoint}/services/oauth2/token`, { method: 'POST' }).catch((e: { cause?: { code?: string } }) => e);

    expect((error as { cause?: { code?: string } }).cause?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
