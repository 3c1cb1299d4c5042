import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebChatProxy, lexSessionIdFor, webChatProxyOptionsFromEnvironment, type FunctionUrlEvent, type WebChatProxy } from '../../../src/runtime/web-chat/proxy';
import { FAST_LEX_ENV } from '../../../src/shared/env';
import { ConfigurationError } from '../../../src/shared/errors';
import { createWebChatTable, localDynamoDbClient, startAwsJsonProxy, startLexStandIn, type LexStandIn, type LocalEndpoint } from '../../../src/testing';
import { DYNAMODB_BACKENDS } from '../../helpers/backends';
import { FALLBACK, GREETING, lexClient, WEB_CHAT_BOT } from './web-chat-bot';

function post(path: string, body?: unknown): FunctionUrlEvent {
  return { rawPath: path, requestContext: { http: { method: 'POST' } }, body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false };
}

describe.each(DYNAMODB_BACKENDS)('web chat proxy on $name', (backend) => {
  let dynamo: LocalEndpoint;
  let dynamodb: DynamoDBClient;
  let lex: LexStandIn;
  let logs: string[];
  let now: number;
  let proxy: WebChatProxy;

  let tableName: string;

  beforeAll(async () => {
    dynamo = await backend.start();
    dynamodb = localDynamoDbClient(dynamo.endpoint);
  });
  afterAll(async () => {
    await dynamo?.stop();
  });
  // A fresh Lex runtime per test: its turn records and sessions start empty.
  beforeEach(async () => {
    tableName = `chat-${randomUUID().slice(0, 8)}`;
    [lex] = await Promise.all([startLexStandIn({ bot: WEB_CHAT_BOT }), createWebChatTable(dynamodb, tableName)]);
    logs = [];
    now = Date.UTC(2026, 11, 1, 12, 0, 0);
    proxy = createWebChatProxy({ botId: lex.botId, botAliasId: lex.botAliasId, tableName, lex: lexClient(lex.endpoint), dynamodb, rateLimit: 3, rateWindowSeconds: 60, clock: () => now, log: (l) => logs.push(l) });
  });
  afterEach(async () => {
    await lex?.close();
  });

  /** What the bot's fulfillment function received on the n-th code hook call. */
  function hookEvent(n = 0): { requestAttributes?: Record<string, string>; sessionState: { sessionAttributes?: Record<string, string> } } {
    return lex.codeHookCalls[n].event as never;
  }

  async function session(): Promise<string> {
    const res = await proxy(post('/api/session'));
    expect(res.statusCode).toBe(201);
    return (JSON.parse(res.body) as { sessionId: string }).sessionId;
  }

  async function say(sessionId: string, text: string, extra: Record<string, unknown> = {}) {
    const res = await proxy(post('/api/message', { sessionId, messageId: randomUUID(), text, ...extra }));
    return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any> };
  }

  it('issues a 128-bit random session id and talks to Lex under its SHA-256, never the id itself', async () => {
    const a = await session();
    const b = await session();

    const reply = await say(a, 'hello');

    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(reply).toEqual({ status: 200, body: { messages: [{ text: GREETING }], dialogAction: 'Close' } });
    expect(lex.turns).toHaveLength(1);
    // The stand-in serves one bot alias and answers any other bot, alias or locale with ResourceNotFoundException.
    expect(lex.turns[0]).toMatchObject({ operation: 'RecognizeText', localeId: 'en_US', sessionId: lexSessionIdFor(a), text: 'hello' });
    expect(lex.turns[0].sessionId).not.toContain(a);
  });

  it('refuses a session id it did not issue, telling the visitor a new session is starting', async () => {
    const reply = await say('0123456789abcdef0123456789abcdef', 'hello');

    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: 'session-unknown', message: 'Your chat session has ended. A new one is starting.', retryable: true });
    expect(lex.turns).toHaveLength(0);
  });

  it('refuses a session that has outlived its time to live', async () => {
    const id = await session();
    now += 13 * 60 * 60 * 1000;

    const reply = await say(id, 'hello');

    expect(reply.body.error).toBe('session-unknown');
    expect(lex.turns).toHaveLength(0);
  });

  it('never forwards client session attributes and strips reserved x-amz-lex: request attributes', async () => {
    const id = await session();

    await say(id, 'hello', {
      sessionState: { sessionAttributes: { isAdmin: 'true' }, dialogAction: { type: 'Close' } },
      sessionAttributes: { isAdmin: 'true' },
      requestAttributes: { 'x-amz-lex:accept-content-types': 'SSML', 'X-AMZ-LEX:time-zone': 'UTC', page: 'pricing', nested: { a: 1 } },
    });

    // Had the proxy sent sessionState, Lex would have kept its session attributes and passed them to the bot's function.
    expect(lex.codeHookCalls).toHaveLength(1);
    expect(hookEvent().sessionState.sessionAttributes).toEqual({});
    expect(hookEvent().requestAttributes).toEqual({ page: 'pricing' });
  });

  it('answers an empty message with "Type a message first." without calling Lex', async () => {
    const id = await session();

    const reply = await say(id, '   ');

    expect(reply).toEqual({ status: 400, body: { error: 'empty', message: 'Type a message first.', retryable: false } });
    expect(lex.turns).toHaveLength(0);
  });

  it('refuses 1,025 characters naming the length and the limit, and accepts exactly 1,024', async () => {
    const id = await session();

    const over = await say(id, 'a'.repeat(1025));
    const exact = await say(id, 'b'.repeat(1024));

    expect(over.status).toBe(400);
    expect(over.body.message).toBe('That message is 1,025 characters long; the assistant reads up to 1,024. Please shorten it.');
    expect(exact).toEqual({ status: 200, body: { messages: [{ text: FALLBACK }], dialogAction: 'Close' } });
    expect(lex.turns.map((t) => t.text.length)).toEqual([1024]);
  });

  // Lex V2 quotas: "Character limits are calculated as the number of Unicode code units"
  // (https://docs.aws.amazon.com/lexv2/latest/dg/quotas.html); RecognizeText takes 1-1,024 characters of text.
  it('counts a message in UTF-16 code units as Lex does: 1,024 with emoji is too long when it is 1,025 units', async () => {
    const id = await session();
    const emoji = '😀'; // one code point, two UTF-16 code units

    const over = await say(id, `${emoji}${'a'.repeat(1023)}`);
    const exact = await say(id, `${emoji}${'b'.repeat(1022)}`);

    expect(over.status).toBe(400);
    expect(over.body.message).toBe('That message is 1,025 characters long; the assistant reads up to 1,024. Please shorten it.');
    expect(exact.status).toBe(200);
    expect(lex.turns.map((t) => t.text.length)).toEqual([1024]);
  });

  // NodeHttpHandlerOptions.requestTimeout: "a warning will be emitted unless throwOnRequestTimeout=true"
  // (@smithy/types http/httpHandlerInitialization.d.ts); RecognizeText is a new turn each time it is sent
  // (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_RecognizeText.html).
  it('answers "did not answer in time" when Lex hangs, having sent the visitor\'s text once, and the retry reaches Lex', async () => {
    const hung = await startAwsJsonProxy(lex.endpoint);
    try {
      hung.hang = true;
      const slow = createWebChatProxy({ botId: lex.botId, botAliasId: lex.botAliasId, tableName, lex: lexClient(hung.endpoint, 300), dynamodb, clock: () => now, log: (l) => logs.push(l) });
      const id = JSON.parse((await slow(post('/api/session'))).body).sessionId as string;
      const message = { sessionId: id, messageId: 'msg-00000009', text: 'hello' };

      const timedOut = await slow(post('/api/message', message));
      const sent = hung.calls.unknown;
      hung.release();
      const retried = await slow(post('/api/message', message));

      expect(timedOut.statusCode).toBe(504);
      expect(JSON.parse(timedOut.body)).toEqual({ error: 'failed', message: 'The assistant did not answer in time. Please try again.', retryable: true });
      expect(sent).toBe(1);
      expect(logs.some((l) => l.includes('"web chat turn failed"') && l.includes('"error":"TimeoutError"'))).toBe(true);
      expect(retried.statusCode).toBe(200);
    } finally {
      await hung.stop();
    }
  });

  it('answers the message past the rate limit politely, and again once the window has passed', async () => {
    const id = await session();
    for (const text of ['one', 'two', 'three']) expect((await say(id, text)).status).toBe(200);

    const limited = await say(id, 'four');
    now += 60_000;
    const later = await say(id, 'five');

    expect(limited).toEqual({ status: 429, body: { error: 'rate-limited', message: 'You are sending messages faster than the assistant can answer. Please wait a minute and try again.', retryable: true } });
    expect(later.status).toBe(200);
    expect(lex.turns.map((t) => t.text)).toEqual(['one', 'two', 'three', 'five']);
  });

  it('sends a retried message id to Lex once and replays the first answer', async () => {
    const id = await session();
    const message = { sessionId: id, messageId: 'msg-00000001', text: 'book a demo' };

    const first = await proxy(post('/api/message', message));
    const retry = await proxy(post('/api/message', message));

    expect(retry.statusCode).toBe(200);
    expect(retry.body).toBe(first.body);
    expect(JSON.parse(first.body).dialogAction).toBe('ElicitSlot');
    expect(lex.turns).toHaveLength(1);
  });

  it('lets the visitor retry after a Lex failure, and that retry reaches Lex', async () => {
    const id = await session();
    lex.failNext('ThrottlingException');
    const message = { sessionId: id, messageId: 'msg-00000002', text: 'hello' };

    const failed = await proxy(post('/api/message', message));
    const retried = await proxy(post('/api/message', message));

    expect(failed.statusCode).toBe(503);
    expect(JSON.parse(failed.body)).toEqual({ error: 'busy', message: 'The assistant is busy right now. Please try again in a moment.', retryable: true });
    expect(retried.statusCode).toBe(200);
    expect(JSON.parse(retried.body)).toEqual({ messages: [{ text: GREETING }], dialogAction: 'Close' });
    // Lex refuses a throttled request before it becomes a turn, so the stand-in records the retry only; the 'busy'
    // answer above can only have come from Lex, so the first request reached it too.
    expect(lex.turns.map((t) => t.text)).toEqual(['hello']);
  });

  // The statuses Lex answers with are LEX_RUNTIME_ERRORS of the stand-in (Lex V2 API reference, RecognizeText, Errors).
  it.each([
    ['DependencyFailedException', 502, 'The assistant could not answer that just now. Please try again.'],
    ['ResourceNotFoundException', 503, 'The chat assistant is not available right now. Please try again later.'],
    ['AccessDeniedException', 503, 'The chat assistant is not available right now. Please try again later.'],
    ['ValidationException', 400, 'The assistant could not read that message. Please rephrase it.'],
  ] as const)('turns Lex %s into a true answer for the visitor', async (error, status, message) => {
    const id = await session();
    lex.failNext(error);

    const reply = await say(id, 'hello');

    expect(reply.status).toBe(status);
    expect(reply.body.message).toBe(message);
  });

  it('tells the visitor the assistant is not available when the alias it was given does not exist', async () => {
    const wrongAlias = createWebChatProxy({ botId: lex.botId, botAliasId: 'NOSUCHALIA', tableName, lex: lexClient(lex.endpoint), dynamodb, clock: () => now, log: (l) => logs.push(l) });
    const id = JSON.parse((await wrongAlias(post('/api/session'))).body).sessionId as string;

    const res = await wrongAlias(post('/api/message', { sessionId: id, messageId: randomUUID(), text: 'hello' }));

    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ error: 'unavailable', message: 'The chat assistant is not available right now. Please try again later.', retryable: false });
    expect(lex.turns).toHaveLength(0);
  });

  it('renders response cards as buttons and SSML as plain text', async () => {
    const id = await session();

    // BookDemo's CompanySize prompt is two message groups: SSML, and an ImageResponseCard with two buttons.
    const reply = await say(id, 'demo');

    expect(reply.body).toEqual({
      messages: [{ text: 'Which size?' }, { text: '', title: 'Company size', buttons: [{ text: 'Small', value: '10' }, { text: 'Large', value: '1000' }] }],
      dialogAction: 'ElicitSlot',
    });
  });

  it('logs no utterance and no visitor session id', async () => {
    const id = await session();
    lex.failNext('ThrottlingException');

    await say(id, 'my phone is 555-0100');
    await say(id, 'my phone is 555-0100 again');

    const all = logs.join('\n');
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(all).not.toContain('555-0100');
    expect(all).not.toContain(id);
  });

  it('refuses other paths and methods', async () => {
    expect((await proxy({ rawPath: '/api/message', requestContext: { http: { method: 'GET' } } })).statusCode).toBe(405);
    expect((await proxy(post('/api/other'))).statusCode).toBe(404);
    expect((await proxy(post('/api/message', 'not json'))).statusCode).toBe(400);
  });
});

describe('webChatProxyOptionsFromEnvironment', () => {
  const base = { [FAST_LEX_ENV.webChatBotId]: 'B', [FAST_LEX_ENV.webChatBotAliasId]: 'A', [FAST_LEX_ENV.webChatTable]: 'T' };

  it('reads the variables the construct writes', () => {
    expect(webChatProxyOptionsFromEnvironment({ ...base, [FAST_LEX_ENV.webChatRateLimit]: '5' })).toMatchObject({ botId: 'B', botAliasId: 'A', tableName: 'T', localeId: 'en_US', rateLimit: 5 });
  });

  it('refuses a missing table, the test alias and a rate limit that is not a positive integer, naming the variable', () => {
    expect(() => webChatProxyOptionsFromEnvironment({ ...base, [FAST_LEX_ENV.webChatTable]: '' })).toThrow(ConfigurationError);
    expect(() => webChatProxyOptionsFromEnvironment({ ...base, [FAST_LEX_ENV.webChatTable]: '' })).toThrow("Setting 'FAST_LEX_WEB_CHAT_TABLE' is not set (the web chat table name).");
    expect(() => webChatProxyOptionsFromEnvironment({ ...base, [FAST_LEX_ENV.webChatBotAliasId]: 'TSTALIASID' })).toThrow(/'FAST_LEX_WEB_CHAT_BOT_ALIAS_ID' is TSTALIASID/);
    expect(() => webChatProxyOptionsFromEnvironment({ ...base, [FAST_LEX_ENV.webChatRateLimit]: '0' })).toThrow(/'FAST_LEX_WEB_CHAT_RATE_LIMIT' must be a whole number >= 1, got '0'/);
  });
});
