// The web-chat proxy with Lambda response streaming: a new question's answer is generated here, from the ticket the
// fulfillment wrote, and painted word by word; everything else is the buffered proxy's answer, written at once.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSessionCommand, PutSessionCommand } from '@aws-sdk/client-lex-runtime-v2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS } from '../../shared/defaults';
import { FAST_LEX_ENV } from '../../shared/env';
import {
  WEB_CHAT_STREAM_CONTENT_TYPE,
  WEB_CHAT_STREAM_TICKET_ATTRIBUTE,
  type WebChatMessageResponse,
  type WebChatStreamEvent,
  type WebChatStreamFailure,
} from '../../shared/web-chat';
import { ConverseGenerator } from '../bedrock/converse';
import { BedrockTimeoutError } from '../bedrock/errors';
import { completeAnswer } from '../cache/complete-answer';
import { DynamoResponseStore } from '../cache/dynamo-store';
import { guardrailFromEnvironment } from '../cache/environment';
import { SqsGenerationQueue, type GenerationQueue } from '../cache/generation-request';
import { GenerationTickets, queueTicket, storeTicketAnswer } from '../cache/generation-ticket';
import { numberEnv, optionalEnv, type Environment } from '../env';
import { toWebChatResponse } from './lex-answer';
import { createProxy, webChatProxyOptionsFromEnvironment, type FunctionUrlEvent, type ProxyResult, type TicketStreamer, type TicketTurn, type WebChatProxyOptions } from './proxy';

/** What the streaming proxy needs beyond the buffered one's options. */
export interface WebChatStreamingOptions {
  /** The response cache table: its tickets, answers, answered questions and refresh leases. */
  readonly cacheTableName: string;
  /** Streams the answer (ConverseStream). */
  readonly generator: ConverseGenerator;
  /** Where a generation that failed goes, so the next asker still gets the answer. @default - none: the lease is released */
  readonly queue?: GenerationQueue;
  /** Longest a streamed answer may take, ms. @default DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS */
  readonly deadlineMs?: number;
  /** @default - the proxy's client */
  readonly cacheDynamodb?: DynamoDBClient;
}

/** Status and headers of a response, as Lambda's `HttpResponseStream.from` takes them. */
export interface ResponseMetadata {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
}

/** What a streamed response is written to: the function URL's response stream once its metadata is set. */
export interface ResponseWriter {
  write(chunk: string): unknown;
  end(): unknown;
  /** A Node stream's error event (the visitor went away). */
  on?(event: 'error', listener: (err: Error) => void): unknown;
}

/** The streaming handler: answers `event` through `open(metadata)`, which returns where the body goes. */
export type StreamingWebChatProxy = (event: FunctionUrlEvent, open: (metadata: ResponseMetadata) => ResponseWriter) => Promise<void>;

/** What the visitor reads under the static answer when the stream did not complete. */
export const STREAM_FAILURE_NOTICES: Readonly<Record<WebChatStreamFailure, string>> = {
  failed: 'The full answer could not be written just now, so here is the short one. Ask again in a minute for the full answer.',
  deadline: 'The full answer took too long, so here is the short one. Ask again in a minute for the full answer.',
  refused: 'The full answer was withheld by the content filter, so here is the short one.',
  incomplete: 'The full answer was cut off, so here is the short one.',
};

/**
 * Builds the streaming proxy. A turn whose answer carries a generation ticket streams NDJSON `WebChatStreamEvent`s;
 * every other answer is the buffered proxy's, byte for byte.
 */
export function createStreamingWebChatProxy(options: WebChatProxyOptions & { readonly streaming?: WebChatStreamingOptions }): StreamingWebChatProxy {
  const dynamodb = options.dynamodb ?? new DynamoDBClient({});
  const handle = options.streaming ? createProxy({ ...options, dynamodb }, ticketStreamer(options.streaming, dynamodb, options.clock)) : createProxy({ ...options, dynamodb });
  return async (event, open) => {
    const result = await handle(event);
    const out = open({ statusCode: result.statusCode, headers: result.headers });
    if (!result.stream) {
      out.write(result.body);
      out.end();
      return;
    }
    let reading = true;
    out.on?.('error', () => { reading = false; });
    try {
      await result.stream((line) => {
        if (!reading) return;
        // A visitor who left (reload, closed tab) no longer reads: the answer is still stored and kept for a retry.
        try {
          out.write(line);
        } catch {
          reading = false;
        }
      });
    } finally {
      out.end();
    }
  };
}

/** Streams a ticket's answer: the generation, then the answer stored (or queued), kept for retries, and put in the Lex session. */
function ticketStreamer(streaming: WebChatStreamingOptions, dynamodb: DynamoDBClient, clock?: () => number): TicketStreamer {
  const cacheClient = streaming.cacheDynamodb ?? dynamodb;
  const store = new DynamoResponseStore({ client: cacheClient, tableName: streaming.cacheTableName, clock });
  const tickets = new GenerationTickets(cacheClient, streaming.cacheTableName, clock);
  const deadlineMs = streaming.deadlineMs ?? DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS;
  const completion = { store, queue: streaming.queue, clock };

  return async (turn: TicketTurn): Promise<ProxyResult> => {
    const first = toWebChatResponse(turn.output);
    const request = await tickets.take(turn.ticket).catch((err: unknown) => {
      turn.log(JSON.stringify({ level: 'ERROR', message: 'web chat ticket unreadable', error: (err as Error).name }));
      return undefined;
    });
    if (!request) {
      // Taken already or expired: the lease holder answers the next asker; this visitor reads Lex's answer.
      const body = JSON.stringify(first);
      await turn.store.completeMessage(turn.lexSessionId, turn.messageId, body);
      return { statusCode: 200, headers: JSON_HEADERS, body };
    }
    return {
      statusCode: 200,
      headers: { 'content-type': WEB_CHAT_STREAM_CONTENT_TYPE, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      body: '',
      stream: async (write) => {
        const send = (event: WebChatStreamEvent) => write(JSON.stringify(event) + '\n');
        send({ type: 'start', messages: first.messages, ...(first.dialogAction ? { dialogAction: first.dialogAction } : {}) });
        const started = Date.now();
        let failure: WebChatStreamFailure | undefined;
        let answer: string | undefined;
        const stream = streaming.generator.stream(request.prompt, { system: request.system, maxTokens: request.maxTokens, timeoutMs: deadlineMs });
        try {
          for await (const delta of stream) send({ type: 'delta', text: delta.text });
          const generation = await stream.result;
          const complete = completeAnswer(generation.text, generation.stopReason);
          if (complete.kind === 'unusable') {
            failure = complete.reason === 'max_tokens' ? 'incomplete' : 'refused';
            // Not queued: the same prompt with the same limit stops the same way (as the worker does).
            await store.releaseRefresh(request.key).catch(() => undefined);
          } else {
            answer = complete.text;
            const stored = await storeTicketAnswer(request, complete.text, completion).catch((err: unknown) => {
              turn.log(JSON.stringify({ level: 'ERROR', message: 'web chat answer not stored', error: (err as Error).name }));
              return false;
            });
            send({ type: 'done', text: complete.text, ...(complete.kind === 'trimmed' ? { trimmed: true } : {}) });
            turn.log(JSON.stringify({ level: 'INFO', message: 'web chat stream', lexSessionId: turn.lexSessionId, ms: Date.now() - started, firstTokenMs: Math.round(generation.firstTokenMs), stored }));
          }
        } catch (err) {
          failure = err instanceof BedrockTimeoutError ? 'deadline' : 'failed';
          const queued = await queueTicket(request, completion).catch(() => false);
          turn.log(JSON.stringify({ level: 'WARN', message: 'web chat stream failed', lexSessionId: turn.lexSessionId, ms: Date.now() - started, error: (err as Error).name, queued }));
        }
        if (failure) send({ type: 'failed', reason: failure, message: STREAM_FAILURE_NOTICES[failure] });
        // A retry of this message id (a reload during the stream) gets what this visitor read.
        const read: WebChatMessageResponse = answer !== undefined
          ? { messages: [{ text: answer }], ...(first.dialogAction ? { dialogAction: first.dialogAction } : {}) }
          : { ...first, notice: STREAM_FAILURE_NOTICES[failure!] };
        await turn.store.completeMessage(turn.lexSessionId, turn.messageId, JSON.stringify(read)).catch((err: unknown) => {
          turn.log(JSON.stringify({ level: 'ERROR', message: 'web chat answer not kept for retries', error: (err as Error).name }));
          return turn.store.releaseMessage(turn.lexSessionId, turn.messageId).catch(() => undefined);
        });
        await recordInSession(turn, read).catch((err: unknown) => {
          turn.log(JSON.stringify({ level: 'WARN', message: 'web chat session not updated', lexSessionId: turn.lexSessionId, error: (err as Error).name }));
        });
      },
    };
  };
}

/**
 * Lex stays the record of the dialog: the session's state as Lex left it (GetSession), without the ticket, with the
 * messages the visitor read (PutSession). The dialog action, intent and contexts are written back unchanged.
 */
async function recordInSession(turn: TicketTurn, read: WebChatMessageResponse): Promise<void> {
  const bot = { botId: turn.botId, botAliasId: turn.botAliasId, localeId: turn.localeId, sessionId: turn.lexSessionId };
  const session = await turn.lex.send(new GetSessionCommand(bot));
  const state = session.sessionState ?? {};
  const attributes = { ...(state.sessionAttributes ?? {}) };
  delete attributes[WEB_CHAT_STREAM_TICKET_ATTRIBUTE];
  const out = await turn.lex.send(new PutSessionCommand({
    ...bot,
    sessionState: { ...state, sessionAttributes: attributes },
    messages: [...read.messages.map((m) => ({ contentType: 'PlainText' as const, content: m.text })), ...(read.notice ? [{ contentType: 'PlainText' as const, content: read.notice }] : [])],
  }));
  // The response body (audio, for an audio content type) is not needed: drained so the connection is reused.
  await (out.audioStream as { transformToByteArray?: () => Promise<Uint8Array> } | undefined)?.transformToByteArray?.().catch(() => undefined);
}

/** The streaming proxy from the environment LexWebChat writes; without `webChatStreamCacheTable` nothing streams. */
export function streamingWebChatProxyOptionsFromEnvironment(env: Environment = process.env): WebChatProxyOptions & { readonly streaming?: WebChatStreamingOptions } {
  const base = webChatProxyOptionsFromEnvironment(env);
  const cacheTableName = optionalEnv(env, FAST_LEX_ENV.webChatStreamCacheTable);
  if (!cacheTableName) return base;
  const queueUrl = optionalEnv(env, FAST_LEX_ENV.webChatStreamQueueUrl);
  const deadlineMs = numberEnv(env, FAST_LEX_ENV.webChatStreamDeadlineMs, { fallback: DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS, min: 1, integer: true });
  return {
    ...base,
    streaming: {
      cacheTableName,
      deadlineMs,
      generator: new ConverseGenerator({ modelId: optionalEnv(env, FAST_LEX_ENV.modelId), guardrail: guardrailFromEnvironment(env), timeoutMs: deadlineMs }),
      queue: queueUrl ? new SqsGenerationQueue(new SQSClient({}), queueUrl) : undefined,
    },
  };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
