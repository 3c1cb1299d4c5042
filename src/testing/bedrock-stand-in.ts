// A local Bedrock Runtime stand-in: the real Converse, ConverseStream and (Titan V2) InvokeModel routes, response
// and error shapes, on 127.0.0.1, with a model's latency.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { offlineAnswer } from './bedrock-stand-in-answer';
import { STAND_IN_EMBEDDING_HEADER, STAND_IN_EMBEDDING_LABEL, TITAN_EMBED_TEXT_V2, parseTitanRequest, titanResponse } from './bedrock-stand-in-embedding';
import { EVENT_STREAM_CONTENT_TYPE, deltaChunks, eventFrame, exceptionFrame, type BedrockStreamExceptionType } from './bedrock-stand-in-stream';
import { listenBothProtocols } from './local-server-h2';
import { readRequestText, sendAwsError, type LocalEndpoint } from './local-server';

type Request = IncomingMessage | Http2ServerRequest;
// Both expose the same writeHead/end API; writes go through `as ServerResponse` because TypeScript cannot call a
// method on a union of overloaded signatures.
type Response = ServerResponse | Http2ServerResponse;

/** The Bedrock errors the stand-in can script, with the HTTP status the real service uses. */
export const BEDROCK_ERROR_STATUS = {
  ThrottlingException: 429,
  ValidationException: 400,
  ModelTimeoutException: 408,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
} as const;
export type BedrockErrorType = keyof typeof BEDROCK_ERROR_STATUS;

const DEFAULT_ERROR_MESSAGES: Record<BedrockErrorType, string> = {
  ThrottlingException: 'Too many requests, please wait before trying again.',
  ValidationException: 'The provided model identifier is invalid.',
  ModelTimeoutException: 'Model has timed out in processing the request. Try your request again.',
  ServiceUnavailableException: 'Service is temporarily unavailable.',
  InternalServerException: 'The server encountered an internal error.',
};

/**
 * The stand-in's default latency: published figures for the default model, Claude Haiku 4.5 on Bedrock, the same
 * ones `src/report/model.ts` uses (research row B2b): about 0.7 s to the first token (Artificial Analysis, Claude 3.5
 * Haiku on Amazon Bedrock: 0.70-0.81 s; none is published for 4.5) and ~150 output tokens/s (Claude Haiku 4.5 on
 * Bedrock: 150-180 tokens/s, learn.cloudbuckle.com "What Affects Claude Response Time"). Embeddings: no AWS figure is
 * published for Titan Text Embeddings V2; 50 ms is the one third-party figure found (theneuralbase.com, "Embedding
 * model selection": Titan about 50 ms per request), taken as an assumption.
 */
export const BEDROCK_STAND_IN_DEFAULT_LATENCY = { timeToFirstTokenMs: 700, outputTokensPerSecond: 150, embeddingMs: 50 } as const;

/** How fast the stand-in's model answers: Converse takes `timeToFirstTokenMs` + output tokens / `outputTokensPerSecond`. */
export interface BedrockStandInLatency {
  /** @default 700 */
  readonly timeToFirstTokenMs?: number;
  /** `Infinity`: every token at once, after the first. @default 150 */
  readonly outputTokensPerSecond?: number;
}

/** How a ConverseStream can be cut short after some chunks: an exception event, or silence with the connection open. */
export type BedrockStreamInterruption = BedrockStreamExceptionType | 'hang';

/** One Converse or ConverseStream request the stand-in received. */
export interface ConverseCall {
  readonly modelId: string;
  readonly operation: 'converse' | 'converse-stream';
  /** The parsed JSON request body (`messages`, `system`, `inferenceConfig`, ...). */
  readonly body: Record<string, unknown>;
  /** Text of the last user message. */
  readonly prompt: string;
  /**
   * What the stand-in did: answered; the error it sent (before any answer); the exception event that cut a stream;
   * `hung` (a stream left silent); `aborted` (the client went away first).
   */
  readonly outcome: 'answered' | BedrockErrorType | BedrockStreamExceptionType | 'hung' | 'aborted';
}

/** One InvokeModel (embedding) request the stand-in received. */
export interface EmbeddingCall {
  readonly modelId: string;
  /** The parsed JSON request body (`inputText`, `dimensions`, ...); undefined when it was not JSON. */
  readonly body?: unknown;
  readonly outcome: 'answered' | BedrockErrorType | 'aborted';
}

/** What a responder returns: text, or text with a stop reason (e.g. `guardrail_intervened`). */
export type ConverseReply = string | { readonly text: string; readonly stopReason?: string };

export interface BedrockStandInOptions {
  /**
   * A fixed delay for every call instead of the model below: Converse answers after it, ConverseStream sends its
   * first token after it and the rest at once, InvokeModel answers after it. `0` makes every call immediate, for
   * tests that do not measure time.
   * @default - the model: `timeToFirstTokenMs` + tokens / `outputTokensPerSecond`; `embeddingLatencyMs`
   */
  readonly latencyMs?: number;
  /** @default 700 (BEDROCK_STAND_IN_DEFAULT_LATENCY) */
  readonly timeToFirstTokenMs?: number;
  /** @default 150 (BEDROCK_STAND_IN_DEFAULT_LATENCY) */
  readonly outputTokensPerSecond?: number;
  /** Delay of an InvokeModel (embedding) call, ms. @default - `latencyMs` if set, else 50 */
  readonly embeddingLatencyMs?: number;
  /**
   * Produces the answer text. Output is cut to `inferenceConfig.maxTokens` words (a word stands for a token), with
   * stopReason `max_tokens`, as a model stops.
   * @default offlineAnswer - short sentences built from the request, saying they come from the offline stand-in
   */
  readonly responder?: (call: { modelId: string; prompt: string; body: Record<string, unknown> }) => ConverseReply;
  /** Model ids accepted on Converse and ConverseStream; any other gets ValidationException. @default - any */
  readonly models?: readonly string[];
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
}

/** A running stand-in: its endpoint, the calls it saw, and knobs to script what comes next. */
export interface BedrockStandIn extends LocalEndpoint {
  /** Every Converse and ConverseStream request so far, in arrival order of their outcome. */
  readonly calls: readonly ConverseCall[];
  /** Every InvokeModel (embedding) request so far. */
  readonly embeddings: readonly EmbeddingCall[];
  /** The next N Converse/ConverseStream requests fail with these errors, in order (after the time to first token). */
  failNext(...errors: BedrockErrorType[]): void;
  /** The next N embedding requests fail with these errors, in order (after the embedding latency). */
  failNextEmbedding(...errors: BedrockErrorType[]): void;
  /** The next ConverseStream sends `afterChunks` text chunks, then the exception event, or hangs. */
  interruptNextStream(afterChunks: number, how: BedrockStreamInterruption): void;
  /** Changes the latency of later requests: a number is a fixed delay (see `latencyMs`), an object the model. */
  setLatency(latency: number | BedrockStandInLatency): void;
  /** Changes the delay of later embedding requests, ms. */
  setEmbeddingLatency(ms: number): void;
  /** Changes the answer of later requests. */
  setResponder(responder: NonNullable<BedrockStandInOptions['responder']>): void;
  /** Forgets recorded calls and scripted failures and interruptions. */
  reset(): void;
}

/**
 * Starts a Bedrock Runtime stand-in on 127.0.0.1 that answers like the real service:
 * `POST /model/{modelId}/converse` (`output.message.content[].text`, `stopReason`, `usage`, `metrics.latencyMs`),
 * `POST /model/{modelId}/converse-stream` (the same answer as AWS event-stream frames: messageStart,
 * contentBlockDelta chunks paced at the output speed, contentBlockStop, messageStop, metadata), and
 * `POST /model/amazon.titan-embed-text-v2:0/invoke` (a deterministic embedding, labelled as a stand-in). Errors as
 * the AWS REST-JSON protocol sends them (status, `x-amzn-ErrorType` header, JSON `message`), so the real
 * `BedrockRuntimeClient` raises its real `ThrottlingException`, `ValidationException` or `ModelTimeoutException`.
 * The default answer says it comes from the offline stand-in and names what was asked (`offlineAnswer`); the
 * default latency is the default model's published figures (BEDROCK_STAND_IN_DEFAULT_LATENCY). Use it to test a bot
 * offline with the same code path as production; only the endpoint differs.
 *
 * @example
 * import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
 * import { LOCAL_CREDENTIALS, startBedrockStandIn } from 'cdk-fast-lex/testing';
 *
 * const bedrock = await startBedrockStandIn({ latencyMs: 0, responder: ({ prompt }) => `You asked: ${prompt}` });
 * const client = new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
 * const out = await client.send(new ConverseCommand({
 *   modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
 *   messages: [{ role: 'user', content: [{ text: 'What is Atlas?' }] }],
 * }));
 * console.log(out.output?.message?.content?.[0]?.text); // "You asked: What is Atlas?"
 * bedrock.failNext('ThrottlingException');             // the next call gets HTTP 429
 * await bedrock.stop();
 *
 * // Code that builds its own client (a bundled handler) can be pointed at it with the SDK's environment variable:
 * // AWS_ENDPOINT_URL_BEDROCK_RUNTIME=<bedrock.endpoint>
 */
export async function startBedrockStandIn(options: BedrockStandInOptions = {}): Promise<BedrockStandIn> {
  const fixed = options.latencyMs;
  let timeToFirstTokenMs = fixed ?? options.timeToFirstTokenMs ?? BEDROCK_STAND_IN_DEFAULT_LATENCY.timeToFirstTokenMs;
  let tokensPerSecond = fixed !== undefined ? Infinity : options.outputTokensPerSecond ?? BEDROCK_STAND_IN_DEFAULT_LATENCY.outputTokensPerSecond;
  let embeddingMs = options.embeddingLatencyMs ?? fixed ?? BEDROCK_STAND_IN_DEFAULT_LATENCY.embeddingMs;
  let responder = options.responder ?? offlineAnswer;
  let failures: BedrockErrorType[] = [];
  let embeddingFailures: BedrockErrorType[] = [];
  let interruptions: Array<{ afterChunks: number; how: BedrockStreamInterruption }> = [];
  const calls: ConverseCall[] = [];
  const embeddings: EmbeddingCall[] = [];
  const models = options.models ? new Set(options.models) : undefined;
  const tokenMs = () => (tokensPerSecond > 0 && Number.isFinite(tokensPerSecond) ? 1000 / tokensPerSecond : 0);

  const onRequest = (req: Request, res: Response) => {
    handle(req, res).catch((err) => sendError(res, 'InternalServerException', String(err)));
  };

  async function handle(req: Request, res: Response): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(url.pathname);
    const raw = await readRequestText(req);
    if (req.method !== 'POST' || !match) {
      (res as ServerResponse).writeHead(404, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' });
      res.end(JSON.stringify({ message: `No route for ${req.method} ${url.pathname}` }));
      return;
    }
    const modelId = decodeURIComponent(match[1]);
    if (match[2] === 'invoke') return invoke(req, res, modelId, raw);
    const operation = match[2] as ConverseCall['operation'];
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      sendError(res, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
      return;
    }
    const prompt = lastUserText(body);
    const record = (outcome: ConverseCall['outcome']) => calls.push({ modelId, operation, body, prompt, outcome });
    const invalid = validate(modelId, body, models);
    if (invalid) {
      record('ValidationException');
      sendError(res, 'ValidationException', invalid);
      return;
    }
    const scripted = failures.shift();
    const started = Date.now();
    const interruption = operation === 'converse-stream' ? interruptions.shift() : undefined;
    const answer = shapeAnswer(responder({ modelId, prompt, body }), body);
    if (scripted) {
      if (await waitOrClose(req, res, timeToFirstTokenMs)) return void record('aborted');
      record(scripted);
      sendError(res, scripted, DEFAULT_ERROR_MESSAGES[scripted]);
      return;
    }
    const usage = { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, totalTokens: answer.inputTokens + answer.outputTokens };
    if (operation === 'converse') {
      if (await waitOrClose(req, res, timeToFirstTokenMs + answer.outputTokens * tokenMs())) return void record('aborted');
      record('answered');
      (res as ServerResponse).writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': requestId() });
      res.end(JSON.stringify({
        output: { message: { role: 'assistant', content: [{ text: answer.text }] } },
        stopReason: answer.stopReason,
        usage,
        metrics: { latencyMs: Date.now() - started },
      }));
      return;
    }
    // ConverseStream (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html): the
    // headers at once, messageStart with the first token, each later chunk at the output speed.
    (res as ServerResponse).writeHead(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-RequestId': requestId() });
    const chunks = deltaChunks(answer.text);
    const at = (i: number) => started + timeToFirstTokenMs + i * tokenMs();
    if (await waitOrClose(req, res, at(0) - Date.now())) return void record('aborted');
    (res as ServerResponse).write(eventFrame('messageStart', { role: 'assistant' }));
    for (let i = 0; i < chunks.length; i++) {
      if (interruption && interruption.afterChunks === i) return interrupt(res, interruption.how, record);
      if (i > 0 && await waitOrClose(req, res, at(i) - Date.now())) return void record('aborted');
      (res as ServerResponse).write(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunks[i] } }));
    }
    if (interruption) return interrupt(res, interruption.how, record);
    if (await waitOrClose(req, res, at(chunks.length) - Date.now())) return void record('aborted');
    record('answered');
    (res as ServerResponse).write(eventFrame('contentBlockStop', { contentBlockIndex: 0 }));
    (res as ServerResponse).write(eventFrame('messageStop', { stopReason: answer.stopReason }));
    res.end(eventFrame('metadata', { usage, metrics: { latencyMs: Date.now() - started } }));
  }

  function interrupt(res: Response, how: BedrockStreamInterruption, record: (outcome: ConverseCall['outcome']) => void): void {
    record(how === 'hang' ? 'hung' : how);
    // A hung stream stays open, silent, until the client gives up (or the stand-in stops).
    if (how !== 'hang') res.end(exceptionFrame(how));
  }

  /** InvokeModel: Titan Text Embeddings V2 only (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html). */
  async function invoke(req: Request, res: Response, modelId: string, raw: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      embeddings.push({ modelId, outcome: 'ValidationException' });
      sendError(res, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
      return;
    }
    const record = (outcome: EmbeddingCall['outcome']) => embeddings.push({ modelId, body, outcome });
    if (modelId !== TITAN_EMBED_TEXT_V2) {
      record('ValidationException');
      sendError(res, 'ValidationException', `The offline Bedrock stand-in serves InvokeModel for ${TITAN_EMBED_TEXT_V2} only; ${modelId} is not served.`);
      return;
    }
    const request = parseTitanRequest(body);
    if (typeof request === 'string') {
      record('ValidationException');
      sendError(res, 'ValidationException', request);
      return;
    }
    const scripted = embeddingFailures.shift();
    const started = Date.now();
    if (await waitOrClose(req, res, embeddingMs)) return void record('aborted');
    if (scripted) {
      record(scripted);
      sendError(res, scripted, DEFAULT_ERROR_MESSAGES[scripted]);
      return;
    }
    record('answered');
    const payload = titanResponse(request);
    (res as ServerResponse).writeHead(200, {
      'content-type': 'application/json',
      'x-amzn-RequestId': requestId(),
      'X-Amzn-Bedrock-Input-Token-Count': String(payload.inputTextTokenCount),
      'X-Amzn-Bedrock-Invocation-Latency': String(Date.now() - started),
      [STAND_IN_EMBEDDING_HEADER]: STAND_IN_EMBEDDING_LABEL,
    });
    res.end(JSON.stringify(payload));
  }

  const endpoint = await listenBothProtocols(onRequest, options.port ?? 0);
  return {
    ...endpoint,
    calls,
    embeddings,
    failNext: (...errors) => { failures.push(...errors); },
    failNextEmbedding: (...errors) => { embeddingFailures.push(...errors); },
    interruptNextStream: (afterChunks, how) => { interruptions.push({ afterChunks, how }); },
    setLatency: (latency) => {
      if (typeof latency === 'number') {
        timeToFirstTokenMs = latency;
        tokensPerSecond = Infinity;
        return;
      }
      timeToFirstTokenMs = latency.timeToFirstTokenMs ?? timeToFirstTokenMs;
      tokensPerSecond = latency.outputTokensPerSecond ?? tokensPerSecond;
    },
    setEmbeddingLatency: (ms) => { embeddingMs = ms; },
    setResponder: (r) => { responder = r; },
    reset: () => { calls.length = 0; embeddings.length = 0; failures = []; embeddingFailures = []; interruptions = []; },
  };
}

/** The reply cut to `inferenceConfig.maxTokens` (a word stands for a token), with its stop reason and token counts. */
function shapeAnswer(reply: ConverseReply, body: Record<string, unknown>): { text: string; stopReason: string; inputTokens: number; outputTokens: number } {
  const replyText = typeof reply === 'string' ? reply : reply.text;
  const maxTokens = Number((body.inferenceConfig as { maxTokens?: number } | undefined)?.maxTokens ?? 4096);
  const words = replyText.split(/(\s+)/);
  const wordCount = words.filter((w) => w.trim() !== '').length;
  const cut = wordCount > maxTokens;
  const text = cut ? words.slice(0, maxTokens * 2 - 1).join('') : replyText;
  const stopReason = cut ? 'max_tokens' : (typeof reply === 'string' ? 'end_turn' : reply.stopReason ?? 'end_turn');
  const inputTokens = countWords(JSON.stringify(body.messages ?? [])) + countWords(JSON.stringify(body.system ?? []));
  return { text, stopReason, inputTokens, outputTokens: Math.min(wordCount, maxTokens) };
}

function validate(modelId: string, body: Record<string, unknown>, models?: Set<string>): string | undefined {
  if (models && !models.has(modelId)) return 'The provided model identifier is invalid.';
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  const maxTokens = (body.inferenceConfig as { maxTokens?: unknown } | undefined)?.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || maxTokens < 1)) {
    return "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1";
  }
  return undefined;
}

function sendError(res: Response, type: BedrockErrorType, message: string): void {
  sendAwsError(res as ServerResponse, BEDROCK_ERROR_STATUS[type], {
    protocol: 'rest-json', type, message, qualifiedType: `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? body.messages as Array<{ role?: string; content?: Array<{ text?: string }> }> : [];
  const user = [...messages].reverse().find((m) => m.role === 'user');
  return (user?.content ?? []).map((c) => c.text ?? '').join('');
}

function countWords(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}


/** Waits `ms`; resolves true early if the client goes away (an aborted SDK call). */
function waitOrClose(req: Request, res: Response, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { cleanup(); resolve(false); }, ms);
    const onClose = () => { cleanup(); resolve(true); };
    const cleanup = () => { clearTimeout(timer); res.off('close', onClose); req.off('aborted', onClose); };
    res.on('close', onClose);
    req.on('aborted', onClose);
  });
}

let counter = 0;
function requestId(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}
