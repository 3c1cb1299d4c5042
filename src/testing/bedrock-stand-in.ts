// A local Bedrock Runtime stand-in: the real Converse route, response and error shapes, on 127.0.0.1.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { listenBothProtocols } from './local-server-h2';
import { readRequestBody, type LocalEndpoint } from './local-server';

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

/** One Converse request the stand-in received. */
export interface ConverseCall {
  readonly modelId: string;
  /** The parsed JSON request body (`messages`, `system`, `inferenceConfig`, ...). */
  readonly body: Record<string, unknown>;
  /** Text of the last user message. */
  readonly prompt: string;
  /** What the stand-in did: answered, or the scripted error type. */
  readonly outcome: 'answered' | BedrockErrorType | 'aborted';
}

/** What a responder returns: text, or text with a stop reason. */
export type ConverseReply = string | { readonly text: string; readonly stopReason?: string };

export interface BedrockStandInOptions {
  /** Delay before each answer (or scripted error), ms. The client may abort meanwhile. @default 0 */
  readonly latencyMs?: number;
  /**
   * Produces the answer text. Output is cut to `inferenceConfig.maxTokens` words (stopReason `max_tokens`).
   * @default - `Stand-in answer to: <prompt>`
   */
  readonly responder?: (call: { modelId: string; prompt: string; body: Record<string, unknown> }) => ConverseReply;
  /** Model ids accepted; any other gets ValidationException. @default - any */
  readonly models?: readonly string[];
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
}

/** A running stand-in: its endpoint, the calls it saw, and knobs to script what comes next. */
export interface BedrockStandIn extends LocalEndpoint {
  /** Every Converse request so far, in arrival order. */
  readonly calls: readonly ConverseCall[];
  /** The next N requests fail with these errors, in order (after the latency). */
  failNext(...errors: BedrockErrorType[]): void;
  /** Changes the latency of later requests. */
  setLatency(ms: number): void;
  /** Changes the answer of later requests. */
  setResponder(responder: NonNullable<BedrockStandInOptions['responder']>): void;
  /** Forgets recorded calls and scripted failures. */
  reset(): void;
}

/**
 * Starts a Bedrock Runtime stand-in on 127.0.0.1 that answers `POST /model/{modelId}/converse` like the real
 * service: `output.message.content[].text`, `stopReason`, `usage`, `metrics.latencyMs`; errors as the AWS REST-JSON
 * protocol sends them (status, `x-amzn-ErrorType` header, JSON `message`), so the real `BedrockRuntimeClient`
 * raises its real `ThrottlingException`, `ValidationException` or `ModelTimeoutException`. Use it to test a bot
 * offline with the same code path as production; only the endpoint differs.
 *
 * @example
 * import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
 * import { LOCAL_CREDENTIALS, startBedrockStandIn } from 'cdk-fast-lex/testing';
 *
 * const bedrock = await startBedrockStandIn({ latencyMs: 50, responder: ({ prompt }) => `You asked: ${prompt}` });
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
  let latencyMs = options.latencyMs ?? 0;
  let responder = options.responder ?? (({ prompt }) => `Stand-in answer to: ${prompt}`);
  let failures: BedrockErrorType[] = [];
  const calls: ConverseCall[] = [];
  const models = options.models ? new Set(options.models) : undefined;

  const onRequest = (req: Request, res: Response) => {
    handle(req, res).catch((err) => sendError(res, 'InternalServerException', String(err)));
  };

  async function handle(req: Request, res: Response): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/model\/([^/]+)\/converse$/.exec(url.pathname);
    const raw = await readBody(req);
    if (req.method !== 'POST' || !match) {
      (res as ServerResponse).writeHead(404, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' });
      res.end(JSON.stringify({ message: `No route for ${req.method} ${url.pathname}` }));
      return;
    }
    const modelId = decodeURIComponent(match[1]);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      sendError(res, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
      return;
    }
    const prompt = lastUserText(body);
    const scripted = failures.shift();
    const started = Date.now();
    const aborted = await waitOrClose(req, res, latencyMs);
    if (aborted) {
      calls.push({ modelId, body, prompt, outcome: 'aborted' });
      return;
    }
    if (scripted) {
      calls.push({ modelId, body, prompt, outcome: scripted });
      sendError(res, scripted, DEFAULT_ERROR_MESSAGES[scripted]);
      return;
    }
    const invalid = validate(modelId, body, models);
    if (invalid) {
      calls.push({ modelId, body, prompt, outcome: 'ValidationException' });
      sendError(res, 'ValidationException', invalid);
      return;
    }
    calls.push({ modelId, body, prompt, outcome: 'answered' });
    const reply = responder({ modelId, prompt, body });
    const replyText = typeof reply === 'string' ? reply : reply.text;
    const maxTokens = Number((body.inferenceConfig as { maxTokens?: number } | undefined)?.maxTokens ?? 4096);
    // A word stands in for a token: close enough to exercise max_tokens handling.
    const words = replyText.split(/(\s+)/);
    const wordCount = words.filter((w) => w.trim() !== '').length;
    const cut = wordCount > maxTokens;
    const text = cut ? words.slice(0, maxTokens * 2 - 1).join('') : replyText;
    const stopReason = cut ? 'max_tokens' : (typeof reply === 'string' ? 'end_turn' : reply.stopReason ?? 'end_turn');
    const inputTokens = countWords(JSON.stringify(body.messages ?? [])) + countWords(JSON.stringify(body.system ?? []));
    const outputTokens = Math.min(wordCount, maxTokens);
    const payload = JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: Date.now() - started },
    });
    (res as ServerResponse).writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': requestId() });
    res.end(payload);
  }

  const endpoint = await listenBothProtocols(onRequest, options.port ?? 0);
  return {
    ...endpoint,
    calls,
    failNext: (...errors) => { failures.push(...errors); },
    setLatency: (ms) => { latencyMs = ms; },
    setResponder: (r) => { responder = r; },
    reset: () => { calls.length = 0; failures = []; },
  };
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
  if (res.headersSent) return;
  // The REST-JSON protocol: the error type in x-amzn-ErrorType, a JSON body with `message`.
  (res as ServerResponse).writeHead(BEDROCK_ERROR_STATUS[type], { 'content-type': 'application/json', 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-RequestId': requestId() });
  res.end(JSON.stringify({ message }));
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? body.messages as Array<{ role?: string; content?: Array<{ text?: string }> }> : [];
  const user = [...messages].reverse().find((m) => m.role === 'user');
  return (user?.content ?? []).map((c) => c.text ?? '').join('');
}

function countWords(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

const readBody = async (req: Parameters<typeof readRequestBody>[0]): Promise<string> => (await readRequestBody(req)).toString('utf8');

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
