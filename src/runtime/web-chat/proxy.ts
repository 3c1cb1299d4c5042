// The web-chat proxy: issues sessions and relays one visitor message to Lex RecognizeText, safely and at most once.
import { createHash, randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LexRuntimeV2Client, RecognizeTextCommand, type LexRuntimeV2ClientConfig, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_WEB_CHAT_LOCALE_ID, DEFAULT_WEB_CHAT_RATE_LIMIT, DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS, DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS } from '../../shared/defaults';
import { FAST_LEX_ENV } from '../../shared/env';
import { ConfigurationError } from '../../shared/errors';
import { LEX_TEST_ALIAS_ID } from '../../shared/lex';
import {
  LEX_RESERVED_ATTRIBUTE_PREFIX,
  WEB_CHAT_MAX_TEXT_CHARACTERS,
  WEB_CHAT_MESSAGE_ID_PATTERN,
  WEB_CHAT_PATHS,
  WEB_CHAT_SESSION_ID_PATTERN,
  WEB_CHAT_STREAM_REQUEST_ATTRIBUTE,
  WEB_CHAT_STREAM_TICKET_ATTRIBUTE,
  type WebChatErrorCode,
  type WebChatErrorResponse,
  type WebChatMessageRequest,
} from '../../shared/web-chat';
import { numberEnv, optionalEnv, requiredEnv, type Environment } from '../env';
import { mapLexError, toWebChatResponse } from './lex-answer';
import { WebChatSessionStore } from './session-store';

/** The part of a Lambda function URL event (payload format 2.0) the proxy reads. */
export interface FunctionUrlEvent {
  readonly rawPath?: string;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

/** A function URL answer. */
export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the proxy talks to and how strictly it limits a session. */
export interface WebChatProxyOptions {
  /** The bot id RecognizeText is sent to. */
  readonly botId: string;
  /** A published alias of the bot (not the test alias). */
  readonly botAliasId: string;
  /** The bot locale. @default 'en_US' */
  readonly localeId?: string;
  /** The DynamoDB table of sessions, rate windows and answers (partition key `pk`, TTL attribute `ttl`). */
  readonly tableName: string;
  /** Messages a session may send per rate window. @default 20 */
  readonly rateLimit?: number;
  /** Length of a rate window, seconds. @default 60 */
  readonly rateWindowSeconds?: number;
  /** How long an issued session id stays valid, seconds. @default 43200 (12 hours) */
  readonly sessionTtlSeconds?: number;
  /** @default - `webChatLexClient()`: the function's region, HTTP/1.1, an 8 s deadline that throws, one attempt */
  readonly lex?: LexRuntimeV2Client;
  /** @default - a client for the function's region */
  readonly dynamodb?: DynamoDBClient;
  /** Epoch-ms clock. @default Date.now */
  readonly clock?: () => number;
  /** Where one structured line per request goes (never the text). @default console.log */
  readonly log?: (line: string) => void;
}

/** The function URL handler `createWebChatProxy` builds. */
export type WebChatProxy = (event: FunctionUrlEvent) => Promise<FunctionUrlResult>;

/** A proxy answer that may be streamed: `stream`, when set, writes the body line by line instead of `body`. */
export interface ProxyResult extends FunctionUrlResult {
  readonly stream?: (write: (line: string) => void) => Promise<void>;
}

/** A turn whose answer carries a generation ticket, as the streaming proxy receives it (see stream-proxy.ts). */
export interface TicketTurn {
  readonly output: RecognizeTextCommandOutput;
  readonly ticket: string;
  readonly lexSessionId: string;
  readonly messageId: string;
  readonly store: WebChatSessionStore;
  readonly lex: LexRuntimeV2Client;
  readonly botId: string;
  readonly botAliasId: string;
  readonly localeId: string;
  readonly log: (line: string) => void;
}

/** Turns a ticket turn into the proxy's answer (the streaming proxy's part). */
export type TicketStreamer = (turn: TicketTurn) => Promise<ProxyResult>;

/** Request attributes the proxy forwards at most: enough for a channel or page tag, not a second payload. */
const MAX_REQUEST_ATTRIBUTES = 10;
const MAX_ATTRIBUTE_KEY_LENGTH = 100;
const MAX_ATTRIBUTE_VALUE_LENGTH = 1000;
/** A body larger than this is not a chat message (1,024 characters of 4-byte UTF-8 plus JSON fits well within). */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The Lex session id for a visitor's session id: its SHA-256, hex. Lex writes session ids to conversation logs and
 * CloudWatch; the visitor's id is a bearer token, so only a one-way function of it may appear there. The input has
 * 128 random bits, so a plain hash cannot be reversed by guessing and needs no key to manage (an HMAC would add a
 * secret without adding strength).
 */
export function lexSessionIdFor(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/**
 * The options from the environment the LexWebChat construct writes (`FAST_LEX_ENV.webChat*`); a missing or malformed
 * variable, or the test alias, is refused with `ConfigurationError` naming the variable.
 */
export function webChatProxyOptionsFromEnvironment(env: Environment = process.env): WebChatProxyOptions {
  const count = (name: string, fallback: number) => numberEnv(env, name, { fallback, min: 1, integer: true });
  const botAliasId = requiredEnv(env, FAST_LEX_ENV.webChatBotAliasId, 'the bot alias id');
  if (botAliasId === LEX_TEST_ALIAS_ID) {
    throw new ConfigurationError(FAST_LEX_ENV.webChatBotAliasId, `is ${LEX_TEST_ALIAS_ID}, the draft test alias; name a published alias`);
  }
  return {
    botId: requiredEnv(env, FAST_LEX_ENV.webChatBotId, 'the bot id'),
    botAliasId,
    localeId: optionalEnv(env, FAST_LEX_ENV.webChatLocaleId) ?? DEFAULT_WEB_CHAT_LOCALE_ID,
    tableName: requiredEnv(env, FAST_LEX_ENV.webChatTable, 'the web chat table name'),
    rateLimit: count(FAST_LEX_ENV.webChatRateLimit, DEFAULT_WEB_CHAT_RATE_LIMIT),
    rateWindowSeconds: count(FAST_LEX_ENV.webChatRateWindowSeconds, DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS),
    sessionTtlSeconds: count(FAST_LEX_ENV.webChatSessionTtlSeconds, DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS),
  };
}

/** Builds the proxy. Clients are created here, once, and reused by every request of a warm function. */
export function createWebChatProxy(options: WebChatProxyOptions): WebChatProxy {
  return createProxy(options);
}

/**
 * The proxy's request handling. With `streamer`, RecognizeText says the proxy can stream, and a turn whose answer
 * carries a generation ticket is answered by `streamer`; without, every answer is Lex's, whole.
 */
export function createProxy(options: WebChatProxyOptions, streamer?: TicketStreamer): (event: FunctionUrlEvent) => Promise<ProxyResult> {
  const lex = options.lex ?? webChatLexClient();
  const store = new WebChatSessionStore({
    client: options.dynamodb ?? new DynamoDBClient({}),
    tableName: options.tableName,
    rateLimit: options.rateLimit ?? DEFAULT_WEB_CHAT_RATE_LIMIT,
    rateWindowSeconds: options.rateWindowSeconds ?? DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS,
    sessionTtlSeconds: options.sessionTtlSeconds ?? DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS,
    clock: options.clock,
  });
  const log = options.log ?? ((line: string) => console.log(line));
  const localeId = options.localeId ?? DEFAULT_WEB_CHAT_LOCALE_ID;

  const issueSession = async (): Promise<FunctionUrlResult> => {
    const sessionId = randomBytes(16).toString('hex');
    await store.createSession(lexSessionIdFor(sessionId));
    log(JSON.stringify({ level: 'INFO', message: 'web chat session issued' }));
    return json(201, { sessionId });
  };

  const relayMessage = async (event: FunctionUrlEvent): Promise<ProxyResult> => {
    const parsed = parseMessageRequest(event);
    if ('error' in parsed) {
      const unknown = parsed.error === 'session-unknown';
      return failure(unknown ? 401 : 400, parsed.error, parsed.message, unknown);
    }
    const { sessionId, messageId, text } = parsed;
    const requestAttributes = streamer ? { ...parsed.requestAttributes, [WEB_CHAT_STREAM_REQUEST_ATTRIBUTE]: '1' } : parsed.requestAttributes;
    const lexSessionId = lexSessionIdFor(sessionId);

    // The rate count and the message's claim are two writes that do not depend on each other: one round trip, not two.
    // A claim taken for a message the rate then refuses is given back, so a retry later is answered.
    const [rate, claim] = await Promise.all([store.countMessage(lexSessionId), store.claimMessage(lexSessionId, messageId)]);
    if (rate !== 'allowed' && claim.kind === 'claimed') await store.releaseMessage(lexSessionId, messageId);
    if (rate === 'unknown-session') {
      return failure(401, 'session-unknown', 'Your chat session has ended. A new one is starting.', true);
    }
    if (rate === 'limited') {
      log(JSON.stringify({ level: 'WARN', message: 'web chat rate limited', lexSessionId }));
      return failure(429, 'rate-limited', 'You are sending messages faster than the assistant can answer. Please wait a minute and try again.', true);
    }

    if (claim.kind === 'answered') return { statusCode: 200, headers: JSON_HEADERS, body: claim.answer };
    if (claim.kind === 'in-progress') {
      return failure(409, 'in-progress', 'The assistant is still answering this message. Please wait a moment.', true);
    }

    const started = Date.now();
    try {
      // sessionState is never sent: Lex keeps the session, and whatever a browser says about it is not trusted.
      const output = await lex.send(new RecognizeTextCommand({
        botId: options.botId,
        botAliasId: options.botAliasId,
        localeId,
        sessionId: lexSessionId,
        text,
        ...(requestAttributes ? { requestAttributes } : {}),
      }));
      const ticket = streamer ? output.sessionState?.sessionAttributes?.[WEB_CHAT_STREAM_TICKET_ATTRIBUTE] : undefined;
      if (ticket) {
        log(JSON.stringify({ level: 'INFO', message: 'web chat turn', lexSessionId, ms: Date.now() - started, dialogAction: output.sessionState?.dialogAction?.type, streamed: true }));
        return await streamer!({ output, ticket, lexSessionId, messageId, store, lex, botId: options.botId, botAliasId: options.botAliasId, localeId, log });
      }
      const body = JSON.stringify(toWebChatResponse(output));
      await store.completeMessage(lexSessionId, messageId, body);
      log(JSON.stringify({ level: 'INFO', message: 'web chat turn', lexSessionId, ms: Date.now() - started, dialogAction: output.sessionState?.dialogAction?.type }));
      return { statusCode: 200, headers: JSON_HEADERS, body };
    } catch (err) {
      await store.releaseMessage(lexSessionId, messageId);
      const mapped = mapLexError(err);
      log(JSON.stringify({ level: 'ERROR', message: 'web chat turn failed', lexSessionId, error: (err as Error).name, status: mapped.status }));
      return { statusCode: mapped.status, headers: JSON_HEADERS, body: JSON.stringify(mapped.body) };
    }
  };

  return async (event) => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? '/';
    if (path !== WEB_CHAT_PATHS.session && path !== WEB_CHAT_PATHS.message) {
      return failure(404, 'not-found', 'There is nothing here.', false);
    }
    if (method !== 'POST') return { ...failure(405, 'method-not-allowed', 'Use POST.', false), headers: { ...JSON_HEADERS, allow: 'POST' } };
    try {
      return path === WEB_CHAT_PATHS.session ? await issueSession() : await relayMessage(event);
    } catch (err) {
      // DynamoDB unreachable or throttled: the visitor may try again; the log names the error, not the message.
      log(JSON.stringify({ level: 'ERROR', message: 'web chat proxy failed', error: `${(err as Error).name}: ${(err as Error).message}` }));
      return failure(503, 'unavailable', 'The chat is having trouble right now. Please try again in a moment.', true);
    }
  };
}

/** How long the proxy waits for Lex's answer to one message, ms: under the function's 10 s, with time to answer. */
export const WEB_CHAT_LEX_TIMEOUT_MS = 8_000;

/** Options of `webChatLexClient`. */
export interface WebChatLexClientOptions extends Omit<LexRuntimeV2ClientConfig, 'requestHandler' | 'maxAttempts'> {
  /** How long one RecognizeText may take before it fails with TimeoutError, ms. @default WEB_CHAT_LEX_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
}

/**
 * The proxy's Lex client. RecognizeText is one request and one answer, so HTTP/1.1 with keep-alive serves it (the
 * client's default HTTP/2 is for the streaming operations) and works with local Lex runtimes.
 *
 * - The deadline is real: `NodeHttpHandler`'s `requestTimeout` only logs a warning unless `throwOnRequestTimeout` is
 *   set (@smithy/node-http-handler 4.x), and a warning would let a slow turn run into the function's 10 s kill, where
 *   CloudFront serves an error page instead of the visitor's "did not answer in time".
 * - One attempt: a Lex turn is not idempotent. A retry re-sends the visitor's text, which Lex takes as a second turn
 *   (or refuses with ConflictException while the first still runs); the visitor's own retry, keyed by message id,
 *   is the safe one.
 */
export function webChatLexClient(options: WebChatLexClientOptions = {}): LexRuntimeV2Client {
  const { requestTimeoutMs = WEB_CHAT_LEX_TIMEOUT_MS, ...config } = options;
  return new LexRuntimeV2Client({
    ...config,
    requestHandler: new NodeHttpHandler({ requestTimeout: requestTimeoutMs, connectionTimeout: 2_000, throwOnRequestTimeout: true }),
    maxAttempts: 1,
  });
}

type Parsed = { sessionId: string; messageId: string; text: string; requestAttributes?: Record<string, string> } | { error: WebChatErrorCode; message: string };

/** Validates the body; every refusal says what the visitor can do about it. */
function parseMessageRequest(event: FunctionUrlEvent): Parsed {
  const raw = event.body ?? '';
  const bodyText = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(bodyText, 'utf8') > MAX_BODY_BYTES) {
    return { error: 'too-long', message: `That message is too long: the assistant reads up to ${WEB_CHAT_MAX_TEXT_CHARACTERS.toLocaleString('en-US')} characters. Please shorten it.` };
  }
  let body: Partial<WebChatMessageRequest>;
  try {
    body = JSON.parse(bodyText) as Partial<WebChatMessageRequest>;
  } catch {
    return { error: 'bad-request', message: 'The chat sent a message the assistant could not read. Please reload the page.' };
  }
  if (typeof body !== 'object' || body === null) return { error: 'bad-request', message: 'The chat sent a message the assistant could not read. Please reload the page.' };
  if (typeof body.sessionId !== 'string' || !WEB_CHAT_SESSION_ID_PATTERN.test(body.sessionId)) {
    return { error: 'session-unknown', message: 'Your chat session has ended. A new one is starting.' };
  }
  if (typeof body.messageId !== 'string' || !WEB_CHAT_MESSAGE_ID_PATTERN.test(body.messageId)) {
    return { error: 'bad-request', message: 'The chat sent a message the assistant could not read. Please reload the page.' };
  }
  const text = typeof body.text === 'string' ? body.text.trim() : '';
  if (text === '') return { error: 'empty', message: 'Type a message first.' };
  // Lex counts characters as UTF-16 code units ("Character limits are calculated as the number of Unicode code units",
  // Lex V2 quotas): an emoji is two, so counting code points would let through a message Lex refuses.
  const length = text.length;
  if (length > WEB_CHAT_MAX_TEXT_CHARACTERS) {
    return { error: 'too-long', message: `That message is ${length.toLocaleString('en-US')} characters long; the assistant reads up to ${WEB_CHAT_MAX_TEXT_CHARACTERS.toLocaleString('en-US')}. Please shorten it.` };
  }
  const requestAttributes = cleanRequestAttributes(body.requestAttributes);
  return { sessionId: body.sessionId, messageId: body.messageId, text, ...(requestAttributes ? { requestAttributes } : {}) };
}

/** Keeps string attributes within bounds and drops every reserved `x-amz-lex:` one. */
function cleanRequestAttributes(input: unknown): Record<string, string> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const kept = Object.entries(input as Record<string, unknown>)
    .filter(([k, v]) => typeof v === 'string'
      && !k.toLowerCase().startsWith(LEX_RESERVED_ATTRIBUTE_PREFIX)
      // Only the proxy says whether it streams: a page that claims it would leave the generation to no one.
      && k.toLowerCase() !== WEB_CHAT_STREAM_REQUEST_ATTRIBUTE
      && k.length > 0 && k.length <= MAX_ATTRIBUTE_KEY_LENGTH && v.length <= MAX_ATTRIBUTE_VALUE_LENGTH)
    .slice(0, MAX_REQUEST_ATTRIBUTES) as Array<[string, string]>;
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(status: number, body: unknown): FunctionUrlResult {
  return { statusCode: status, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function failure(status: number, error: WebChatErrorCode, message: string, retryable: boolean): FunctionUrlResult {
  const body: WebChatErrorResponse = { error, message, retryable };
  return json(status, body);
}
