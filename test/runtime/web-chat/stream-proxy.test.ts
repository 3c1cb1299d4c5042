// The streaming web-chat proxy through the real clients: Lex (offline runtime) runs the real fulfillment handler on a
// real response cache; a new question's answer streams from ConverseStream (Bedrock stand-in, AWS event-stream
// framing) and is stored for the next asker; failures, the deadline and a guardrail refusal show the static answer
// with a reason. AWS pages: Lambda response streaming (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html and
// https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html),
// Lex V2 GetSession (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_GetSession.html) and
// PutSession (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_PutSession.html).
import { randomUUID } from 'node:crypto';
import { GetSessionCommand } from '@aws-sdk/client-lex-runtime-v2';
import { describe, expect, it } from 'vitest';
import { ConverseGenerator } from '../../../src/runtime/bedrock/converse';
import { DynamoResponseStore } from '../../../src/runtime/cache/dynamo-store';
import { SqsGenerationQueue, parseGenerationRequest } from '../../../src/runtime/cache/generation-request';
import { ResponseCache } from '../../../src/runtime/cache/response-cache';
import { createFulfillmentHandler } from '../../../src/runtime/lex/fulfillment';
import { createWebChatProxy, lexSessionIdFor, type FunctionUrlEvent } from '../../../src/runtime/web-chat/proxy';
import { STREAM_FAILURE_NOTICES, createStreamingWebChatProxy, type ResponseMetadata } from '../../../src/runtime/web-chat/stream-proxy';
import { WEB_CHAT_STREAM_CONTENT_TYPE, WEB_CHAT_STREAM_TICKET_ATTRIBUTE, type WebChatStreamEvent } from '../../../src/shared/web-chat';
import type { IntentCacheConfigs } from '../../../src/shared/wire';
import { createWebChatTable, startLexStandIn, type LexBotDefinition } from '../../../src/testing';
import { DYNAMODB_BACKENDS } from '../../helpers/backends';
import { drain, freshQueues, freshTable, localBedrockClient, useLocalBackends } from '../cache/fixtures';
import { lexClient } from './web-chat-bot';

const STATIC = 'Atlas runs on Amazon Lex, Amazon Bedrock and Amazon Connect.';
const GREETING = 'Hello! Ask me anything about Atlas.';
const INTENTS: IntentCacheConfigs = {
  AboutTech: { staticAnswer: STATIC, prompt: 'Answer a question about the technology of the Atlas Engine in two sentences.', contextFields: ['localeId'], ttlSeconds: 3600, questions: {} },
  Hello: { staticAnswer: GREETING },
};

const say = (value: string) => ({ message: { plainTextMessage: { value } } });

/** A bot whose code hook is the library's fulfillment handler on `cache`. */
function bot(cache: ResponseCache): LexBotDefinition {
  const fulfill = createFulfillmentHandler({ cache, log: () => undefined });
  return {
    name: 'StreamBot', botId: 'STREAMBOT1', botAliasId: 'LIVEALIAS1', botAliasName: 'live', botVersion: '1',
    botLocales: [{
      localeId: 'en_US',
      nluConfidenceThreshold: 0.4,
      intents: [
        { name: 'Hello', sampleUtterances: [{ utterance: 'hello' }], fulfillmentCodeHook: { enabled: true } },
        { name: 'AboutTech', sampleUtterances: [{ utterance: 'what technology do you use' }, { utterance: 'what runs the phone calls' }], fulfillmentCodeHook: { enabled: true } },
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', intentClosingSetting: { closingResponse: { messageGroupsList: [say('Sorry?')] } } },
      ],
    }],
    codeHooks: { en_US: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:stream-bot:live', lambda: { name: 'stream-bot', handler: (e) => fulfill(e) } } },
  };
}

function post(path: string, body?: unknown): FunctionUrlEvent {
  return { rawPath: path, requestContext: { http: { method: 'POST' } }, body: body === undefined ? undefined : JSON.stringify(body), isBase64Encoded: false };
}

describe.each(DYNAMODB_BACKENDS)('streaming web chat proxy on $name', (backend) => {
  const local = useLocalBackends(backend);

  async function world(deadlineMs = 5000) {
    const cacheTable = await freshTable(local.ddb);
    const chatTable = `chat-${randomUUID().slice(0, 8)}`;
    await createWebChatTable(local.ddb, chatTable);
    const { queueUrl } = await freshQueues(local.sqs);
    const cache = new ResponseCache({
      intents: INTENTS, store: new DynamoResponseStore({ client: local.ddb, tableName: cacheTable }), queue: new SqsGenerationQueue(local.sqs, queueUrl), onError: () => undefined,
    });
    const lex = await startLexStandIn({ bot: bot(cache) });
    const options = { botId: lex.botId, botAliasId: lex.botAliasId, tableName: chatTable, lex: lexClient(lex.endpoint), dynamodb: local.ddb, log: () => undefined };
    const proxy = createStreamingWebChatProxy({
      ...options,
      streaming: {
        cacheTableName: cacheTable, deadlineMs,
        generator: new ConverseGenerator({ client: localBedrockClient(local.bedrock.endpoint) }),
        queue: new SqsGenerationQueue(local.sqs, queueUrl),
      },
    });
    /** One request through the proxy, as a function URL in RESPONSE_STREAM mode delivers it. */
    const call = async (event: FunctionUrlEvent) => {
      let head: ResponseMetadata | undefined;
      const chunks: string[] = [];
      let ended = false;
      await proxy(event, (metadata) => {
        head = metadata;
        return { write: (c: string) => chunks.push(c), end: () => { ended = true; } };
      });
      return { head: head!, chunks, ended, body: chunks.join('') };
    };
    const session = async () => JSON.parse((await call(post('/api/session'))).body).sessionId as string;
    const ask = async (sessionId: string, text: string, messageId = randomUUID()) => {
      const res = await call(post('/api/message', { sessionId, messageId, text }));
      const streamed = res.head.headers['content-type'] === WEB_CHAT_STREAM_CONTENT_TYPE;
      return { ...res, streamed, events: streamed ? res.body.trim().split('\n').map((l) => JSON.parse(l) as WebChatStreamEvent) : [], json: streamed ? undefined : JSON.parse(res.body) };
    };
    const sessionOf = async (sessionId: string) => lexClient(lex.endpoint).send(new GetSessionCommand({ botId: lex.botId, botAliasId: lex.botAliasId, localeId: 'en_US', sessionId: lexSessionIdFor(sessionId) }));
    return { lex, cache, call, session, ask, sessionOf, queueUrl, buffered: createWebChatProxy(options), stop: () => lex.close() };
  }

  it('streams a new question\'s answer word by word, stores it for the next visitor, and puts what was read in the Lex session', async () => {
    const w = await world();
    local.bedrock.reset();
    local.bedrock.setResponder(() => 'Atlas uses Amazon Lex for the dialog. Bedrock writes new answers.');
    try {
      const visitor = await w.session();
      const first = await w.ask(visitor, 'what runs the phone calls');

      // The static answer comes first, held back by the page; then the generated words, one event per chunk.
      expect(first.streamed).toBe(true);
      expect(first.ended).toBe(true);
      expect(first.events[0]).toEqual({ type: 'start', messages: [{ text: STATIC }], dialogAction: 'Close' });
      const deltas = first.events.filter((e) => e.type === 'delta');
      expect(deltas.length).toBeGreaterThan(3);
      const painted = deltas.map((e) => (e as { text: string }).text).join('');
      expect(first.events.at(-1)).toEqual({ type: 'done', text: painted.trim() });
      expect(local.bedrock.calls.map((c) => c.operation)).toEqual(['converse-stream']);
      // One generation: nothing was queued for the worker.
      expect(await drain(local.sqs, w.queueUrl)).toHaveLength(0);

      // Lex's session holds what the visitor read, with the dialog state as Lex left it and no ticket.
      const kept = await w.sessionOf(visitor);
      expect(kept.messages).toEqual([{ contentType: 'PlainText', content: painted.trim() }]);
      expect(kept.sessionState?.dialogAction?.type).toBe('Close');
      expect(kept.sessionState?.sessionAttributes?.[WEB_CHAT_STREAM_TICKET_ATTRIBUTE]).toBeUndefined();

      // The next visitor who asks gets it from the cache, whole, without a model call.
      const second = await w.ask(await w.session(), 'what runs the phone calls');
      expect(second.streamed).toBe(false);
      expect(second.json).toEqual({ messages: [{ text: painted.trim() }], dialogAction: 'Close' });
      expect(local.bedrock.calls).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });

  it('answers hits, static intents and repeated message ids as one JSON body, exactly as the buffered proxy does', async () => {
    const w = await world();
    try {
      const visitor = await w.session();
      const hello = await w.ask(visitor, 'hello');
      expect(hello.streamed).toBe(false);
      expect(hello.json).toEqual({ messages: [{ text: GREETING }], dialogAction: 'Close' });

      // A reload during a stream sends the same message id again: it gets what the visitor read, once complete.
      local.bedrock.setResponder(() => 'Amazon Connect places the calls.');
      const id = randomUUID();
      const streamed = await w.ask(visitor, 'what technology do you use', id);
      const again = await w.ask(visitor, 'what technology do you use', id);
      expect(streamed.events.at(-1)).toEqual({ type: 'done', text: 'Amazon Connect places the calls.' });
      expect(again.json).toEqual({ messages: [{ text: 'Amazon Connect places the calls.' }], dialogAction: 'Close' });
    } finally {
      await w.stop();
    }
  });

  it('marks an answer that fails mid-stream, shows the static answer with the reason, and queues the generation for the next asker', async () => {
    const w = await world();
    local.bedrock.reset();
    local.bedrock.setResponder(() => 'Atlas uses Amazon Lex for the dialog and Bedrock for new answers.');
    local.bedrock.interruptNextStream(2, 'modelStreamErrorException');
    try {
      const visitor = await w.session();
      const id = randomUUID();
      const res = await w.ask(visitor, 'what runs the phone calls', id);

      // The visitor read two chunks, then the failure with its reason; the page keeps the half answer marked as such.
      expect(res.events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'failed']);
      expect(res.events.at(-1)).toEqual({ type: 'failed', reason: 'failed', message: STREAM_FAILURE_NOTICES.failed });
      const queued = (await drain(local.sqs, w.queueUrl)).map((m) => parseGenerationRequest(m.Body!));
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ intent: 'AboutTech', reason: 'sync-failed', question: { text: 'what runs the phone calls' } });
      // A retry (a reload) reads the static answer and the same reason.
      expect((await w.ask(visitor, 'what runs the phone calls', id)).json).toEqual({ messages: [{ text: STATIC }], dialogAction: 'Close', notice: STREAM_FAILURE_NOTICES.failed });
      expect((await w.sessionOf(visitor)).messages?.map((m) => m.content)).toEqual([STATIC, STREAM_FAILURE_NOTICES.failed]);
    } finally {
      await w.stop();
    }
  });

  it('gives up at the deadline: the static answer with the reason, and the generation queued', async () => {
    const w = await world(400);
    local.bedrock.reset();
    local.bedrock.interruptNextStream(1, 'hang');
    try {
      const res = await w.ask(await w.session(), 'what technology do you use');
      expect(res.events.map((e) => e.type)).toEqual(['start', 'delta', 'failed']);
      expect(res.events.at(-1)).toEqual({ type: 'failed', reason: 'deadline', message: STREAM_FAILURE_NOTICES.deadline });
      expect(await drain(local.sqs, w.queueUrl)).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });

  it('shows a guardrail refusal as a refusal, stores nothing and lets the next asker try again', async () => {
    const w = await world();
    local.bedrock.reset();
    local.bedrock.setResponder(() => ({ text: 'Sorry, the model cannot answer that.', stopReason: 'guardrail_intervened' }));
    try {
      const res = await w.ask(await w.session(), 'what technology do you use');
      expect(res.events.at(-1)).toEqual({ type: 'failed', reason: 'refused', message: STREAM_FAILURE_NOTICES.refused });
      expect(await drain(local.sqs, w.queueUrl)).toHaveLength(0);
      // The lease was released: the next asker's miss streams again (a new ticket), rather than the static answer alone.
      local.bedrock.setResponder(() => 'Amazon Lex runs the dialog.');
      const next = await w.ask(await w.session(), 'what technology do you use');
      expect(next.events.at(-1)).toEqual({ type: 'done', text: 'Amazon Lex runs the dialog.' });
    } finally {
      await w.stop();
    }
  });

  it('never lets the page claim it streams: the buffered proxy drops the attribute, and the miss is queued as before', async () => {
    const w = await world();
    try {
      const sessionId = JSON.parse((await w.buffered(post('/api/session'))).body).sessionId as string;
      const res = await w.buffered(post('/api/message', { sessionId, messageId: randomUUID(), text: 'what technology do you use', requestAttributes: { 'x-fast-lex-stream': '1' } }));
      expect(JSON.parse(res.body)).toEqual({ messages: [{ text: STATIC }], dialogAction: 'Close' });
      expect(w.lex.codeHookCalls.at(-1)!.event).not.toHaveProperty(['requestAttributes', 'x-fast-lex-stream']);
      expect(await drain(local.sqs, w.queueUrl)).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });
});
