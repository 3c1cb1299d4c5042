// Text embeddings with Amazon Titan Text Embeddings V2 through InvokeModel: a deadline, classified errors, and cosine
// similarity to compare them.
import type { BedrockRuntimeClient, InvokeModelCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_EMBEDDING_MODEL_ID } from '../../shared/bedrock-defaults';
import { classifyBedrockError } from './converse';
import { BedrockGenerationError } from './errors';

/** Default deadline of one embedding call: an embedding is asked for only where a generation would follow. */
export const DEFAULT_EMBEDDING_TIMEOUT_MS = 2_000;

/** The output sizes Titan Text Embeddings V2 offers. */
export type EmbeddingDimensions = 256 | 512 | 1024;

export interface BedrockEmbedderOptions {
  /**
   * The client. Retries are left to the caller: build it with `maxAttempts: 1`.
   * @default - `new BedrockRuntimeClient({ maxAttempts: 1 })` (region and endpoint from the environment), on first use
   */
  readonly client?: BedrockRuntimeClient;
  /** @default DEFAULT_EMBEDDING_MODEL_ID ('amazon.titan-embed-text-v2:0') */
  readonly modelId?: string;
  /** Output size; smaller vectors are cheaper to keep and compare. @default 256 */
  readonly dimensions?: EmbeddingDimensions;
  /** Deadline of each call, ms. @default 2000 */
  readonly timeoutMs?: number;
}

export interface EmbedOptions {
  /** Aborts the call; an abort is reported as `BedrockTimeoutError`. */
  readonly signal?: AbortSignal;
  /** Deadline of this call, ms. @default - the embedder's `timeoutMs` */
  readonly timeoutMs?: number;
}

/**
 * Embeds text with Titan Text Embeddings V2 (InvokeModel, `{ inputText, dimensions, normalize: true }`), returning
 * the unit-length vector. Throws only the named errors `ConverseGenerator` throws: `BedrockThrottledError`,
 * `BedrockTimeoutError` (deadline or abort), `BedrockValidationError` (e.g. empty or too long text), or
 * `BedrockGenerationError`.
 *
 * @example
 * const embedder = new BedrockEmbedder();
 * const [a, b] = await Promise.all([embedder.embed('when will my card arrive'), embedder.embed("I still haven't got my card")]);
 * console.log(cosineSimilarity(a, b));
 */
export class BedrockEmbedder {
  readonly modelId: string;
  readonly dimensions: EmbeddingDimensions;
  private clientInstance?: BedrockRuntimeClient;
  private readonly timeoutMs: number;

  constructor(options: BedrockEmbedderOptions = {}) {
    this.modelId = options.modelId ?? DEFAULT_EMBEDDING_MODEL_ID;
    this.dimensions = options.dimensions ?? 256;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS;
    this.clientInstance = options.client;
  }

  async embed(text: string, options: EmbedOptions = {}): Promise<Float32Array> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const started = performance.now();
    let out: InvokeModelCommandOutput;
    try {
      // Loaded on first use, like ConverseGenerator's: a bundle that never embeds does not pay for it at cold start.
      const sdk = await import('@aws-sdk/client-bedrock-runtime');
      this.clientInstance ??= new sdk.BedrockRuntimeClient({ maxAttempts: 1 });
      out = await this.clientInstance.send(new sdk.InvokeModelCommand({
        modelId: this.modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true }),
      }), { abortSignal: signal });
    } catch (err) {
      throw classifyBedrockError(err, this.modelId, signal.aborted ? Math.round(performance.now() - started) : undefined);
    }
    let embedding: unknown;
    try {
      embedding = (JSON.parse(Buffer.from(out.body ?? new Uint8Array()).toString('utf8')) as { embedding?: unknown }).embedding;
    } catch (err) {
      throw new BedrockGenerationError(`Bedrock model ${this.modelId} returned a body that is not JSON.`, this.modelId, false, { cause: err });
    }
    if (!Array.isArray(embedding) || embedding.length !== this.dimensions || embedding.some((v) => typeof v !== 'number')) {
      throw new BedrockGenerationError(`Bedrock model ${this.modelId} returned no ${this.dimensions}-dimension embedding.`, this.modelId, false);
    }
    return Float32Array.from(embedding as number[]);
  }
}

/**
 * Cosine similarity of two vectors of the same length, from -1 to 1 (for unit vectors, their dot product); 0 when
 * either is all zeros. Throws a RangeError when the lengths differ: vectors of different models or sizes do not compare.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosineSimilarity: the vectors differ in length (${a.length} and ${b.length}).`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
