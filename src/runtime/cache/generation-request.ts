// The SQS message that asks the generator worker for a fresh answer: its versioned body and the queue that sends it.
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GenerationRequestError } from './errors';

/** The body version this code writes and reads. A worker fails any other version to the DLQ rather than guess. */
export const GENERATION_REQUEST_VERSION = 1;

/**
 * Body of a generation request, version 1 (JSON). Self-contained: the worker needs no intent configuration.
 *
 * ```json
 * { "version": 1, "key": "RESPONSE#AboutDemo#3f2a…", "intent": "AboutDemo",
 *   "context": { "product": "atlas" }, "prompt": "Describe the demo of atlas.", "system": "Be brief.",
 *   "maxTokens": 150, "ttlSeconds": 300, "staleSeconds": 300, "reason": "miss", "requestedAt": 1767225600000 }
 * ```
 */
export interface GenerationRequest {
  readonly version: typeof GENERATION_REQUEST_VERSION;
  /** The cache key the answer is written under (`RESPONSE#{intent}#{hash}`). */
  readonly key: string;
  readonly intent: string;
  /** The canonical context (only the fields that enter the key; no session ids). */
  readonly context: Record<string, unknown>;
  /** The rendered user prompt. */
  readonly prompt: string;
  readonly system?: string;
  /** @default - the worker's `FAST_LEX_MAX_TOKENS` (150) */
  readonly maxTokens?: number;
  /** Freshness of the answer to write, seconds. */
  readonly ttlSeconds: number;
  /** Stale window of the answer to write, seconds. */
  readonly staleSeconds: number;
  /** Why it was asked for: no answer (`miss`), an answer past its TTL (`stale`), a synchronous try that failed. */
  readonly reason: 'miss' | 'stale' | 'sync-failed';
  /** Epoch ms when it was asked for; the worker skips the call when a newer answer is already stored. */
  readonly requestedAt: number;
  /**
   * A per-question intent's question: once the answer is stored, the worker keeps it among the intent's answered
   * questions, so its paraphrases find the answer. Only questions that may be shared are ever sent.
   * @default - an intent-level answer
   */
  readonly question?: GenerationRequestQuestion;
}

/** The question a generation answers (`GenerationRequest.question`). */
export interface GenerationRequestQuestion {
  /** The visitor's words. */
  readonly text: string;
  /** `QUESTIONS#{intent}#{context hash}`. */
  readonly partition: string;
  /** Epoch ms after which the question is no longer matchable. */
  readonly expiresAt: number;
  /** The question's embedding (float32, base64), when the intent has an embedding stage. */
  readonly embedding?: string;
}

/** Serialises a request (the SQS message body). */
export function encodeGenerationRequest(request: GenerationRequest): string {
  return JSON.stringify(request);
}

/** Parses and checks a message body; throws `GenerationRequestError` for anything else. */
export function parseGenerationRequest(body: string): GenerationRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new GenerationRequestError('the body is not JSON', { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new GenerationRequestError('the body is not a JSON object');
  const r = value as Record<string, unknown>;
  if (r.version !== GENERATION_REQUEST_VERSION) {
    throw new GenerationRequestError(`version ${JSON.stringify(r.version)} is not supported (this worker reads version ${GENERATION_REQUEST_VERSION})`);
  }
  for (const field of ['key', 'intent', 'prompt'] as const) {
    if (typeof r[field] !== 'string' || (r[field] as string) === '') throw new GenerationRequestError(`'${field}' must be a non-empty string`);
  }
  if (!(r.key as string).startsWith(`RESPONSE#${r.intent as string}#`)) throw new GenerationRequestError("'key' does not belong to 'intent'");
  for (const field of ['ttlSeconds', 'staleSeconds', 'requestedAt'] as const) {
    if (typeof r[field] !== 'number' || !Number.isFinite(r[field]) || (r[field] as number) < 0) throw new GenerationRequestError(`'${field}' must be a number >= 0`);
  }
  if (r.maxTokens !== undefined && (!Number.isInteger(r.maxTokens) || (r.maxTokens as number) < 1)) throw new GenerationRequestError("'maxTokens' must be a positive integer");
  if (r.system !== undefined && typeof r.system !== 'string') throw new GenerationRequestError("'system' must be a string");
  if (r.context === null || typeof r.context !== 'object' || Array.isArray(r.context)) throw new GenerationRequestError("'context' must be an object");
  if (!['miss', 'stale', 'sync-failed'].includes(r.reason as string)) throw new GenerationRequestError("'reason' must be miss, stale or sync-failed");
  if (r.question !== undefined) {
    const q = r.question as Record<string, unknown> | null;
    if (q === null || typeof q !== 'object' || typeof q.text !== 'string' || q.text === '' || typeof q.partition !== 'string'
      || !q.partition.startsWith(`QUESTIONS#${r.intent as string}#`) || typeof q.expiresAt !== 'number' || (q.embedding !== undefined && typeof q.embedding !== 'string')) {
      throw new GenerationRequestError("'question' must hold 'text', the intent's 'partition' and 'expiresAt'");
    }
  }
  return r as unknown as GenerationRequest;
}

/** Where generation requests go. */
export interface GenerationQueue {
  /** Sends one request; `options.abortSignal` bounds the call (the turn's budget). */
  enqueue(request: GenerationRequest, options?: { readonly abortSignal?: AbortSignal }): Promise<void>;
}

/** Sends generation requests to an SQS queue. */
export class SqsGenerationQueue implements GenerationQueue {
  constructor(private readonly client: SQSClient, readonly queueUrl: string) {}

  async enqueue(request: GenerationRequest, options: { readonly abortSignal?: AbortSignal } = {}): Promise<void> {
    await this.client.send(new SendMessageCommand({
      QueueUrl: this.queueUrl,
      MessageBody: encodeGenerationRequest(request),
      // Lets consumers route or filter without parsing the body.
      MessageAttributes: {
        version: { DataType: 'Number', StringValue: String(request.version) },
        intent: { DataType: 'String', StringValue: request.intent },
      },
    }), options);
  }
}
