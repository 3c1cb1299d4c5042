// A local Amazon Connect stand-in for outbound calls: the real StartOutboundVoiceContact route (REST-JSON,
// `PUT /contact/outbound-voice`), ClientToken idempotency, throttling with the real error shape, call records, and
// DescribeContact (`GET /contacts/{InstanceId}/{ContactId}`) of the calls it placed.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { delay, listenLocal, parseJsonObject, readRequestText, sendAwsError, type LocalEndpoint } from './local-server';

/** Errors the stand-in can script, with the HTTP status Amazon Connect uses for them. */
export const CONNECT_ERROR_STATUS = {
  TooManyRequestsException: 429,
  LimitExceededException: 429,
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  DestinationNotAllowedException: 403,
  InternalServiceException: 500,
} as const;
export type ConnectErrorType = keyof typeof CONNECT_ERROR_STATUS;

/** One outbound call the stand-in placed. It keeps the destination so tests can check it; never log it. */
export interface OutboundCallRecord {
  readonly contactId: string;
  readonly instanceId: string;
  readonly contactFlowId: string;
  readonly destinationPhoneNumber: string;
  readonly sourcePhoneNumber?: string;
  readonly queueId?: string;
  readonly clientToken?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** When the stand-in answered with the ContactId (ms since epoch): the moment the call counts as placed. */
  readonly placedAt: number;
}

/** One request the stand-in received, whatever it answered. */
export interface OutboundCallRequest {
  readonly clientToken?: string;
  readonly receivedAt: number;
  /**
   * `placed`, `replayed` (same ClientToken: same ContactId, no new call), `placed-response-lost` (placed, then
   * answered 500 as if the response was lost) or the error type sent.
   */
  readonly outcome: 'placed' | 'replayed' | 'placed-response-lost' | ConnectErrorType;
}

export interface ConnectStandInOptions {
  /** Delay before each answer, ms. @default 0 */
  readonly latencyMs?: number;
  /**
   * Token-bucket rate limit: requests per second and burst, like the service's 2/s and 5 burst. Requests over it get
   * `TooManyRequestsException` (429). @default - no limit
   */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /** Instance ids accepted; others get ResourceNotFoundException. @default - any */
  readonly instanceIds?: readonly string[];
  /** Port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /** Clock (ms). @default Date.now */
  readonly now?: () => number;
  /** Region and account of the contact ARNs it reports. @default 'us-east-1', '123456789012' */
  readonly region?: string;
  readonly account?: string;
}

/** How a contact ended, ms since epoch. */
interface ContactEnd {
  readonly initiatedAt: number;
  readonly connectedAt?: number;
  readonly disconnectedAt: number;
  readonly disconnectReason: string;
}

/** A running Connect stand-in. */
export interface ConnectStandIn extends LocalEndpoint {
  /** Calls placed (one per distinct ClientToken), in order. */
  readonly calls: readonly OutboundCallRecord[];
  /** Every StartOutboundVoiceContact request, in order. */
  readonly requests: readonly OutboundCallRequest[];
  /** The next requests fail with these errors, in order (after the latency). */
  failNext(...errors: ConnectErrorType[]): void;
  /**
   * The next `count` calls are placed, but the caller gets `InternalServiceException` (500), as when the response is
   * lost after Connect started the contact: what makes a retry without the same ClientToken dial twice.
   */
  loseNextResponses(count: number): void;
  setLatency(ms: number): void;
  /**
   * The EventBridge event Amazon Connect sends when the contact ends (`Amazon Connect Contact Event`,
   * `DISCONNECTED`), or another event type of the contact. `connected: false` describes a call nobody answered.
   */
  contactEvent(contactId: string, options?: { eventType?: string; connected?: boolean; disconnectReason?: string; durationSeconds?: number; region?: string; account?: string }): ConnectContactEventShape;
  /**
   * Ends a placed contact without sending anything (as when its DISCONNECTED event is lost): DescribeContact then
   * reports its DisconnectTimestamp. `contactEvent` of a DISCONNECTED event ends it the same way.
   */
  endContact(contactId: string, options?: { connected?: boolean; disconnectReason?: string; durationSeconds?: number }): void;
  /** DescribeContact requests received, in order (the contact ids asked for). */
  readonly describeRequests: readonly string[];
  /** Forgets calls, requests, scripted failures and rate-limit state. */
  reset(): void;
}

/** The EventBridge envelope of an Amazon Connect contact event, as the stand-in builds it. */
export interface ConnectContactEventShape {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Amazon Connect Contact Event';
  readonly source: 'aws.connect';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: {
    readonly contactId: string;
    readonly channel: 'VOICE';
    readonly instanceArn: string;
    readonly initiationMethod: 'API';
    readonly eventType: string;
    readonly initiationTimestamp: string;
    readonly connectedToSystemTimestamp?: string;
    readonly disconnectTimestamp?: string;
    readonly disconnectReason?: string;
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Starts an Amazon Connect stand-in on 127.0.0.1 that answers `StartOutboundVoiceContact` like the service:
 * `PUT /contact/outbound-voice` with a JSON body, `200 {"ContactId": "..."}`; errors as REST-JSON sends them (status,
 * `x-amzn-ErrorType` header, JSON `Message`), so the real `ConnectClient` raises its real `TooManyRequestsException`.
 * A repeated `ClientToken` returns the first call's ContactId and places no second call. DescribeContact
 * (`GET /contacts/{InstanceId}/{ContactId}`) reports a placed call, ended once `endContact` or a DISCONNECTED
 * `contactEvent` ended it. Other Connect operations get 404 `UnknownOperationException`.
 *
 * @example
 * import { ConnectClient, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
 * import { LOCAL_CREDENTIALS, startConnectStandIn } from 'cdk-fast-lex/testing';
 *
 * const connect = await startConnectStandIn({ latencyMs: 100, rateLimit: { perSecond: 2, burst: 5 } });
 * const client = new ConnectClient({ endpoint: connect.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
 * const input = {
 *   InstanceId: '11111111-2222-3333-4444-555555555555', ContactFlowId: '66666666-7777-8888-9999-000000000000',
 *   DestinationPhoneNumber: '+14155552671', SourcePhoneNumber: '+14155550100', ClientToken: 'order-42',
 * };
 * const { ContactId } = await client.send(new StartOutboundVoiceContactCommand(input));
 * await client.send(new StartOutboundVoiceContactCommand(input)); // same ContactId, still one call
 * connect.failNext('TooManyRequestsException');                  // the next request gets HTTP 429
 * const event = connect.contactEvent(ContactId!);                // a DISCONNECTED event for your handler
 * await connect.stop();
 *
 * // Code that builds its own client (a bundled handler) can be pointed at it with AWS_ENDPOINT_URL_CONNECT.
 */
export async function startConnectStandIn(options: ConnectStandInOptions = {}): Promise<ConnectStandIn> {
  const now = options.now ?? Date.now;
  let latencyMs = options.latencyMs ?? 0;
  let failures: ConnectErrorType[] = [];
  let lostResponses = 0;
  const calls: OutboundCallRecord[] = [];
  const requests: OutboundCallRequest[] = [];
  const byToken = new Map<string, OutboundCallRecord>();
  const instances = options.instanceIds ? new Set(options.instanceIds) : undefined;
  const limit = options.rateLimit;
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  let tokens = limit?.burst ?? 0;
  let refilledAt = now();

  const takeToken = (): boolean => {
    if (!limit) return true;
    const t = now();
    tokens = Math.min(limit.burst, tokens + ((t - refilledAt) / 1000) * limit.perSecond);
    refilledAt = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRequestText(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const describe = /^\/contacts\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && describe) {
      if (latencyMs > 0) await delay(latencyMs);
      describeContact(res, decodeURIComponent(describe[1]), decodeURIComponent(describe[2]));
      return;
    }
    if (req.method !== 'PUT' || url.pathname.replace(/\/$/, '') !== '/contact/outbound-voice') {
      sendError(res, 404, 'UnknownOperationException', `The stand-in serves only StartOutboundVoiceContact, not ${req.method} ${url.pathname}.`);
      return;
    }
    const receivedAt = now();
    const body = parseJsonObject(raw);
    if (!body) {
      sendError(res, 400, 'InvalidRequestException', 'The request body is not valid JSON.');
      return;
    }
    const clientToken = typeof body.ClientToken === 'string' ? body.ClientToken : undefined;
    // Rate and scripted failures are decided on arrival, as the service's front door does.
    const scripted = failures.shift();
    const throttled = !scripted && !takeToken();
    if (latencyMs > 0) await delay(latencyMs);
    const fail = (type: ConnectErrorType, message: string) => {
      requests.push({ clientToken, receivedAt, outcome: type });
      sendError(res, CONNECT_ERROR_STATUS[type], type, message);
    };
    if (scripted) return fail(scripted, 'Injected failure.');
    if (throttled) return fail('TooManyRequestsException', 'Rate exceeded');
    const invalid = validate(body, instances);
    if (invalid) return fail(invalid.type, invalid.message);
    const replay = clientToken ? byToken.get(clientToken) : undefined;
    if (replay) {
      requests.push({ clientToken, receivedAt, outcome: 'replayed' });
      sendJson(res, 200, { ContactId: replay.contactId });
      return;
    }
    const record: OutboundCallRecord = {
      contactId: randomUUID(),
      instanceId: String(body.InstanceId),
      contactFlowId: String(body.ContactFlowId),
      destinationPhoneNumber: String(body.DestinationPhoneNumber),
      sourcePhoneNumber: typeof body.SourcePhoneNumber === 'string' ? body.SourcePhoneNumber : undefined,
      queueId: typeof body.QueueId === 'string' ? body.QueueId : undefined,
      clientToken,
      attributes: (body.Attributes ?? {}) as Record<string, string>,
      placedAt: now(),
    };
    calls.push(record);
    if (clientToken) byToken.set(clientToken, record);
    if (lostResponses > 0) {
      lostResponses--;
      requests.push({ clientToken, receivedAt, outcome: 'placed-response-lost' });
      sendError(res, 500, 'InternalServiceException', 'Request processing failed.');
      return;
    }
    requests.push({ clientToken, receivedAt, outcome: 'placed' });
    sendJson(res, 200, { ContactId: record.contactId });
  }

  const endings = new Map<string, ContactEnd>();
  const describeRequests: string[] = [];
  const endContact = (contactId: string, o: { connected?: boolean; disconnectReason?: string; durationSeconds?: number } = {}): ContactEnd => {
    const call = calls.find((c) => c.contactId === contactId);
    const started = call?.placedAt ?? now();
    const connected = o.connected ?? true;
    const end: ContactEnd = {
      initiatedAt: started,
      ...(connected ? { connectedAt: started + 5000 } : {}),
      disconnectedAt: started + (o.durationSeconds ?? 90) * 1000,
      disconnectReason: o.disconnectReason ?? (connected ? 'CUSTOMER_DISCONNECT' : 'CUSTOMER_NEVER_ARRIVED'),
    };
    endings.set(contactId, end);
    return end;
  };

  /**
   * DescribeContact (Amazon Connect API Reference): `GET /contacts/{InstanceId}/{ContactId}`, `200 {"Contact": {...}}`
   * with timestamps as epoch seconds (REST-JSON); an unknown instance or contact is `ResourceNotFoundException` (404).
   * A contact in progress has no DisconnectTimestamp.
   */
  function describeContact(res: ServerResponse, instanceId: string, contactId: string): void {
    describeRequests.push(contactId);
    if (instanceId.length > 100 || contactId.length > 256) {
      sendError(res, 400, 'InvalidParameterException', 'InstanceId is at most 100 characters and ContactId at most 256.');
      return;
    }
    const call = calls.find((c) => c.contactId === contactId && c.instanceId === instanceId);
    if ((instances && !instances.has(instanceId)) || !call) {
      sendError(res, 404, 'ResourceNotFoundException', 'Contact not found.');
      return;
    }
    const end = endings.get(contactId);
    const seconds = (ms: number) => ms / 1000;
    sendJson(res, 200, {
      Contact: {
        Arn: `arn:aws:connect:${region}:${account}:instance/${instanceId}/contact/${contactId}`,
        Id: contactId,
        InitiationMethod: 'API',
        Channel: 'VOICE',
        InitiationTimestamp: seconds(call.placedAt),
        LastUpdateTimestamp: seconds(end?.disconnectedAt ?? call.placedAt),
        ...(end?.connectedAt !== undefined ? { ConnectedToSystemTimestamp: seconds(end.connectedAt) } : {}),
        ...(end ? { DisconnectTimestamp: seconds(end.disconnectedAt), DisconnectReason: end.disconnectReason } : {}),
      },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, 500, 'InternalServiceException', String(err)));
  });
  const endpoint = await listenLocal(server, options.port ?? 0);
  return {
    ...endpoint,
    calls,
    requests,
    failNext: (...errors) => { failures.push(...errors); },
    loseNextResponses: (count) => { lostResponses += count; },
    setLatency: (ms) => { latencyMs = ms; },
    describeRequests,
    endContact: (contactId, o) => { endContact(contactId, o); },
    contactEvent: (contactId, o = {}) => {
      const call = calls.find((c) => c.contactId === contactId);
      const region = o.region ?? options.region ?? 'us-east-1';
      const account = o.account ?? options.account ?? '123456789012';
      const started = new Date(call?.placedAt ?? now());
      const connected = o.connected ?? true;
      const ended = new Date(started.getTime() + (o.durationSeconds ?? 90) * 1000);
      const eventType = o.eventType ?? 'DISCONNECTED';
      // The contact has ended when Connect sends its DISCONNECTED event: DescribeContact says so from now on.
      if (eventType === 'DISCONNECTED' && call) endContact(contactId, o);
      const instanceArn = `arn:aws:connect:${region}:${account}:instance/${call?.instanceId ?? 'unknown'}`;
      return {
        'version': '0',
        'id': randomUUID(),
        'detail-type': 'Amazon Connect Contact Event',
        'source': 'aws.connect',
        account,
        'time': (eventType === 'DISCONNECTED' ? ended : started).toISOString(),
        region,
        'resources': [instanceArn, `${instanceArn}/contact/${contactId}`],
        'detail': {
          contactId,
          channel: 'VOICE',
          instanceArn,
          initiationMethod: 'API',
          eventType,
          initiationTimestamp: started.toISOString(),
          ...(connected ? { connectedToSystemTimestamp: new Date(started.getTime() + 5000).toISOString() } : {}),
          ...(eventType === 'DISCONNECTED' ? {
            disconnectTimestamp: ended.toISOString(),
            disconnectReason: o.disconnectReason ?? (connected ? 'CUSTOMER_DISCONNECT' : 'CUSTOMER_NEVER_ARRIVED'),
          } : {}),
        },
      };
    },
    reset: () => {
      calls.length = 0;
      endings.clear();
      describeRequests.length = 0;
      requests.length = 0;
      byToken.clear();
      failures = [];
      lostResponses = 0;
      tokens = limit?.burst ?? 0;
      refilledAt = now();
    },
  };
}

function validate(body: Record<string, unknown>, instances?: Set<string>): { type: ConnectErrorType; message: string } | undefined {
  for (const field of ['InstanceId', 'ContactFlowId', 'DestinationPhoneNumber']) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      return { type: 'InvalidParameterException', message: `1 validation error detected: Value null at '${field[0].toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null` };
    }
  }
  if (instances && !instances.has(String(body.InstanceId))) return { type: 'ResourceNotFoundException', message: 'Instance not found.' };
  if (!E164.test(String(body.DestinationPhoneNumber))) return { type: 'InvalidParameterException', message: 'DestinationPhoneNumber is not in E.164 format.' };
  if (body.SourcePhoneNumber === undefined && body.QueueId === undefined) {
    return { type: 'InvalidParameterException', message: 'Either SourcePhoneNumber or QueueId must be provided.' };
  }
  if (typeof body.ClientToken === 'string' && body.ClientToken.length > 500) {
    return { type: 'InvalidParameterException', message: 'ClientToken must be at most 500 characters.' };
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() });
  res.end(JSON.stringify(payload));
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  // Connect's error members are capitalised (`Message`).
  sendAwsError(res, status, { protocol: 'rest-json', type, message, messageMember: 'Message' });
}

