// A local HTTPS stand-in for the parts of Salesforce a lead workflow uses: the OAuth 2.0 JWT bearer token endpoint
// and the REST sObject routes for Lead (create, upsert by external id, update, get), answering with Salesforce's
// status codes and error bodies so that real jsforce can be pointed at it.
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { Agent } from 'undici';
import { delay, listenLocal, readRequestText, type LocalEndpoint } from './local-server';
import { createSelfSignedCertificate } from './self-signed-certificate';

/** The JWT bearer grant type Salesforce expects at /services/oauth2/token. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Latencies the stand-in adds, to model a WAN link to Salesforce. All in milliseconds; change them at any time. */
export interface SalesforceStandInLatency {
  /** Added to every REST API request. @default 0 */
  apiMs: number;
  /** Added to every token request. @default 0 */
  oauthMs: number;
  /**
   * Added once to the first request on each new TLS connection: the cost of TCP + TLS handshakes over a WAN, so that
   * a client that reuses connections pays it once. @default 0
   */
  newConnectionMs: number;
}

export interface SalesforceStandInOptions {
  /** The connected app's certificate or public key (PEM or KeyObject) that JWT assertions must verify against. */
  readonly publicKey: string | KeyObject;
  /** The connected app's consumer key: the JWT `iss`. */
  readonly clientId: string;
  /** Users allowed to get a token (the JWT `sub`). */
  readonly usernames: readonly string[];
  /**
   * Accepted JWT `aud` values. @default - `https://login.salesforce.com`, `https://test.salesforce.com` and the
   * stand-in's own URL
   */
  readonly audiences?: readonly string[];
  /** Fields that may be used for upsert by external id. @default ['External_Id__c'] */
  readonly externalIdFields?: readonly string[];
  /** Initial latencies. @default - none */
  readonly latency?: Partial<SalesforceStandInLatency>;
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** Clock used to check `exp`. @default Date.now */
  readonly now?: () => number;
}

/** Counters of what reached the stand-in. */
export interface SalesforceStandInCounters {
  /** Token requests (successful or not). */
  oauthCalls: number;
  /** TLS handshakes completed (new connections). */
  tlsHandshakes: number;
  /** REST API requests (not counting token requests). */
  requests: number;
  /** Leads created (by create or by an upsert that inserted). */
  leadsCreated: number;
}

/** A failure to inject into the next REST API requests. */
export interface InjectedFailure {
  /** HTTP status. @default 503 */
  readonly status?: number;
  /** Salesforce errorCode in the body. @default 'SERVER_UNAVAILABLE' */
  readonly errorCode?: string;
  /** How many requests fail. @default 1 */
  readonly count?: number;
  /**
   * Apply the write first and fail afterwards, like a response lost after Salesforce committed: what makes a retried
   * plain create duplicate a record. @default false
   */
  readonly afterWrite?: boolean;
}

/** A Lead as stored by the stand-in. */
export interface StandInLead {
  readonly Id: string;
  readonly [field: string]: unknown;
}

/** A running stand-in. `endpoint` is both its login URL and the `instance_url` its tokens point to. */
export interface SalesforceStandIn extends LocalEndpoint {
  /** PEM of its self-signed server certificate (made at start); trust it with `createDispatcher()`. */
  readonly certificatePem: string;
  readonly counters: SalesforceStandInCounters;
  readonly latency: SalesforceStandInLatency;
  /** Leads stored so far, in creation order (copies). */
  leads(): StandInLead[];
  /** Invalidates every access token issued so far: the next API call gets 401 INVALID_SESSION_ID. */
  revokeTokens(): void;
  /** Replaces the connected app's certificate (a key rotation); issued tokens stay valid, as in Salesforce. */
  setPublicKey(publicKey: string | KeyObject): void;
  /** Makes the next REST API request(s) fail. */
  failNext(failure?: InjectedFailure): void;
  /** Sets every counter to zero. */
  resetCounters(): void;
  /** Drops failures injected with `failNext` that have not happened yet. */
  clearFailures(): void;
  /**
   * An undici dispatcher (HTTP/1.1, keep-alive) that trusts this stand-in's certificate, for jsforce's
   * `setDispatcher` (or the `dispatcher` option of the Salesforce client). The caller closes it.
   */
  createDispatcher(): Agent;
}

/** Makes an RSA key pair for a test connected app: the private key goes into the credentials secret. */
export function createJwtKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/**
 * Starts the Salesforce stand-in on 127.0.0.1 over HTTPS with a self-signed certificate generated at start.
 *
 * @example
 * const keys = createJwtKeyPair();
 * const sf = await startSalesforceStandIn({ publicKey: keys.publicKeyPem, clientId: 'my-app', usernames: ['bot@example.com'] });
 * const client = new SalesforceClient({
 *   credentialsSecretId: 'salesforce/jwt', // JSON: { clientId, username, privateKey: keys.privateKeyPem, loginUrl: sf.endpoint }
 *   secrets: mySecretCache,
 *   dispatcher: sf.createDispatcher(),
 * });
 * await client.upsertLead('External_Id__c', 'order-42', { LastName: 'Doe', Company: 'Acme' });
 * console.log(sf.counters.oauthCalls, sf.leads().length);
 * await sf.stop();
 */
export async function startSalesforceStandIn(options: SalesforceStandInOptions): Promise<SalesforceStandIn> {
  const { keyPem, certPem } = createSelfSignedCertificate();
  const now = options.now ?? Date.now;
  const counters: SalesforceStandInCounters = { oauthCalls: 0, tlsHandshakes: 0, requests: 0, leadsCreated: 0 };
  const latency: SalesforceStandInLatency = { apiMs: 0, oauthMs: 0, newConnectionMs: 0, ...options.latency };
  const externalIdFields = new Set(options.externalIdFields ?? ['External_Id__c']);
  const usernames = new Set(options.usernames);
  let publicKey = toPublicKey(options.publicKey);
  let tokens = new Set<string>();
  const leads = new Map<string, Record<string, unknown>>();
  const failures: Array<Required<InjectedFailure>> = [];
  const seenSockets = new WeakSet<Socket>();
  let baseUrl = '';
  let audiences = new Set<string>();

  const server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: String(err) }]);
    });
  });
  server.on('secureConnection', () => { counters.tlsHandshakes++; });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!seenSockets.has(req.socket)) {
      seenSockets.add(req.socket);
      if (latency.newConnectionMs > 0) await delay(latency.newConnectionMs);
    }
    const body = await readRequestText(req);
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname === '/services/oauth2/token' && req.method === 'POST') {
      counters.oauthCalls++;
      if (latency.oauthMs > 0) await delay(latency.oauthMs);
      return token(res, new URLSearchParams(body));
    }
    counters.requests++;
    if (latency.apiMs > 0) await delay(latency.apiMs);
    const match = /^\/services\/data\/v(\d+)\.\d+\/sobjects\/Lead(?:\/([^/]+))?(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) {
      return sendJson(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const failure = failures[0];
    if (failure && !failure.afterWrite) {
      consumeFailure();
      return sendJson(res, failure.status, [{ errorCode: failure.errorCode, message: 'Injected failure' }]);
    }
    const apiVersion = Number(match[1]);
    const [, , first, second] = match;
    let fields: Record<string, unknown> = {};
    if (req.method === 'POST' || req.method === 'PATCH') {
      try {
        fields = JSON.parse(body || '{}');
      } catch {
        return sendJson(res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: 'The request body is not valid JSON' }]);
      }
    }
    const reply = (status: number, payload?: unknown) => {
      const after = failures[0];
      if (after?.afterWrite) {
        consumeFailure();
        return sendJson(res, after.status, [{ errorCode: after.errorCode, message: 'Injected failure' }]);
      }
      return payload === undefined ? sendEmpty(res, status) : sendJson(res, status, payload);
    };

    if (req.method === 'POST' && !first) {
      const missing = requiredMissing(fields);
      if (missing.length) return sendJson(res, 400, [requiredFieldsError(missing)]);
      const id = insert(fields);
      return reply(201, { id, success: true, errors: [] });
    }
    if (req.method === 'PATCH' && first && second) {
      const field = decodeURIComponent(first);
      const value = decodeURIComponent(second);
      if (!externalIdFields.has(field)) {
        return sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: `Provided external ID field does not exist or is not accessible: ${field}` }]);
      }
      if ('Id' in fields) return sendJson(res, 400, [{ errorCode: 'INVALID_FIELD', message: 'Unable to create/update fields: Id', fields: ['Id'] }]);
      const existing = [...leads.values()].filter((lead) => lead[field] === value);
      if (existing.length > 1) {
        return sendJson(res, 300, existing.map((lead) => `/services/data/v${match[1]}.0/sobjects/Lead/${String(lead.Id)}`));
      }
      if (existing.length === 1) {
        Object.assign(existing[0], fields);
        const id = String(existing[0].Id);
        // Salesforce answers an update by upsert with 200 and a body from API 46.0 on, with 204 before.
        return apiVersion >= 46 ? reply(200, { id, success: true, errors: [], created: false }) : reply(204);
      }
      const missing = requiredMissing(fields);
      if (missing.length) return sendJson(res, 400, [requiredFieldsError(missing)]);
      const id = insert({ ...fields, [field]: value });
      return reply(201, { id, success: true, errors: [], created: true });
    }
    if (req.method === 'PATCH' && first) {
      const lead = leads.get(first);
      if (!lead) return sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      if ('Id' in fields) return sendJson(res, 400, [{ errorCode: 'INVALID_FIELD', message: 'Unable to create/update fields: Id', fields: ['Id'] }]);
      Object.assign(lead, fields);
      return reply(204);
    }
    if (req.method === 'GET' && first) {
      const lead = leads.get(first);
      if (!lead) return sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      const wanted = url.searchParams.get('fields')?.split(',').filter(Boolean);
      const picked = wanted ? Object.fromEntries(wanted.map((f) => [f, lead[f] ?? null])) : lead;
      return sendJson(res, 200, { attributes: { type: 'Lead', url: url.pathname }, ...picked, Id: lead.Id });
    }
    return sendJson(res, 405, [{ errorCode: 'METHOD_NOT_ALLOWED', message: `HTTP Method '${req.method}' not allowed.` }]);
  }

  function token(res: ServerResponse, params: URLSearchParams): void {
    const invalidGrant = (description: string) => sendJson(res, 400, { error: 'invalid_grant', error_description: description });
    if (params.get('grant_type') !== JWT_BEARER_GRANT_TYPE) {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    const parts = (params.get('assertion') ?? '').split('.');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      if (parts.length !== 3) throw new Error('not a JWS');
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return invalidGrant('invalid assertion');
    }
    if (claims.iss !== options.clientId) {
      return sendJson(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
    }
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (header.alg !== 'RS256' || !verify('sha256', signed, publicKey, Buffer.from(parts[2], 'base64url'))) {
      return invalidGrant('invalid assertion');
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && audiences.has(a.replace(/\/$/, '')))) return invalidGrant('audience is invalid');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) return invalidGrant('expired authorization code');
    if (!claims.sub || !usernames.has(claims.sub)) return invalidGrant("user hasn't approved this consumer");
    const accessToken = `00D000000000001!${randomBytes(24).toString('base64url')}`;
    tokens.add(accessToken);
    return sendJson(res, 200, {
      access_token: accessToken,
      scope: 'api',
      instance_url: baseUrl,
      id: `${baseUrl}/id/00D000000000001AAA/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(now()),
    });
  }

  function insert(fields: Record<string, unknown>): string {
    const id = `00Q${String(leads.size + 1).padStart(12, '0')}AAA`;
    leads.set(id, { ...fields, Id: id });
    counters.leadsCreated++;
    return id;
  }

  function consumeFailure(): void {
    const failure = failures[0];
    if (failure.count <= 1) failures.shift();
    else failures[0] = { ...failure, count: failure.count - 1 };
  }

  const local = await listenLocal(server as unknown as import('node:http').Server, options.port ?? 0, 'https');
  baseUrl = local.endpoint;
  audiences = new Set([...(options.audiences ?? ['https://login.salesforce.com', 'https://test.salesforce.com', baseUrl])]
    .map((a) => a.replace(/\/$/, '')));

  return {
    ...local,
    certificatePem: certPem,
    counters,
    latency,
    leads: () => [...leads.values()].map((lead) => ({ ...lead }) as StandInLead),
    revokeTokens: () => { tokens = new Set(); },
    setPublicKey: (key) => { publicKey = toPublicKey(key); },
    failNext: (failure = {}) => {
      failures.push({
        status: failure.status ?? 503,
        errorCode: failure.errorCode ?? 'SERVER_UNAVAILABLE',
        count: failure.count ?? 1,
        afterWrite: failure.afterWrite ?? false,
      });
    },
    clearFailures: () => { failures.length = 0; },
    resetCounters: () => { Object.assign(counters, { oauthCalls: 0, tlsHandshakes: 0, requests: 0, leadsCreated: 0 }); },
    // jsforce fetches through its own undici Agent (not the global dispatcher), so NODE_EXTRA_CA_CERTS (read only at
    // process start) and undici's setGlobalDispatcher do not reach it, and disabling verification would test nothing.
    // A dispatcher that trusts exactly this certificate, installed with jsforce's setDispatcher, keeps TLS verified.
    // One connection per host, as the Salesforce client's default: reuse shows in the handshake counter.
    createDispatcher: () => new Agent({ connect: { ca: certPem, allowH2: false }, connections: 1 }),
  };
}

function toPublicKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPublicKey(key) : key;
}

function requiredMissing(fields: Record<string, unknown>): string[] {
  return ['LastName', 'Company'].filter((f) => fields[f] === undefined || fields[f] === null || fields[f] === '');
}

function requiredFieldsError(missing: string[]) {
  return { message: `Required fields are missing: [${missing.join(', ')}]`, errorCode: 'REQUIRED_FIELD_MISSING', fields: missing };
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

