// Text generation with the Bedrock Converse API: one model-agnostic call, a deadline, and classified errors.
import type { BedrockRuntimeClient, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../shared/bedrock-defaults';
import { DEFAULT_MAX_TOKENS } from '../../shared/defaults';
import { BedrockGenerationError, BedrockThrottledError, BedrockTimeoutError, BedrockValidationError } from './errors';

/** Default deadline of one call. */
export const DEFAULT_GENERATION_TIMEOUT_MS = 10_000;

export interface ConverseGeneratorOptions {
  /**
   * The client. Retries are left to the caller (SQS redelivery, or the static answer): build it with `maxAttempts: 1`.
   * @default - `new BedrockRuntimeClient({ maxAttempts: 1 })` (region and endpoint from the environment)
   */
  readonly client?: BedrockRuntimeClient;
  /** Model id or inference profile id. @default DEFAULT_BEDROCK_MODEL_ID */
  readonly modelId?: string;
  /** @default DEFAULT_MAX_TOKENS */
  readonly maxTokens?: number;
  /** @default - the model's default */
  readonly temperature?: number;
  /** Deadline of each call, ms. @default 10000 */
  readonly timeoutMs?: number;
  /** Millisecond clock for latency. @default performance.now */
  readonly now?: () => number;
  /** A Bedrock guardrail applied to every call (Converse `guardrailConfig`). @default - none */
  readonly guardrail?: { readonly identifier: string; readonly version: string };
}

export interface GenerateOptions {
  readonly system?: string;
  readonly maxTokens?: number;
  /** Aborts the call (e.g. a synchronous-mode deadline); an abort is reported as `BedrockTimeoutError`. */
  readonly signal?: AbortSignal;
  /** Deadline of this call, ms. @default - the generator's `timeoutMs` */
  readonly timeoutMs?: number;
}

export interface Generation {
  readonly text: string;
  /** `end_turn`, `max_tokens`, ... as Bedrock reports it. */
  readonly stopReason: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Wall-clock latency of the call as seen by the caller, ms. */
  readonly latencyMs: number;
  /** Latency Bedrock reports (`metrics.latencyMs`). */
  readonly modelLatencyMs?: number;
}

/** Calls Converse with one user message; throws only `BedrockGenerationError` subclasses. */
export class ConverseGenerator {
  readonly modelId: string;
  readonly maxTokens: number;
  private clientInstance?: BedrockRuntimeClient;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ConverseGeneratorOptions = {}) {
    this.modelId = options.modelId ?? DEFAULT_BEDROCK_MODEL_ID;
    this.maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GENERATION_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
    this.clientInstance = options.client;
  }

  /**
   * The SDK module is loaded on first use, not at import: the fulfillment bundle includes this class for the
   * optional synchronous mode, and loading the Bedrock client would add to every cold start that never uses it.
   */
  private async sdk(): Promise<{ client: BedrockRuntimeClient; ConverseCommand: typeof import('@aws-sdk/client-bedrock-runtime').ConverseCommand }> {
    const mod = await import('@aws-sdk/client-bedrock-runtime');
    this.clientInstance ??= new mod.BedrockRuntimeClient({ maxAttempts: 1 });
    return { client: this.clientInstance, ConverseCommand: mod.ConverseCommand };
  }

  async generate(prompt: string, options: GenerateOptions = {}): Promise<Generation> {
    const deadlineMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(deadlineMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const started = this.now();
    let out: ConverseCommandOutput;
    try {
      const { client, ConverseCommand } = await this.sdk();
      out = await client.send(new ConverseCommand({
        modelId: this.modelId,
        messages: [{ role: 'user', content: [{ text: prompt }] }],
        system: options.system ? [{ text: options.system }] : undefined,
        inferenceConfig: {
          maxTokens: options.maxTokens ?? this.maxTokens,
          temperature: this.options.temperature,
        },
        guardrailConfig: this.options.guardrail
          ? { guardrailIdentifier: this.options.guardrail.identifier, guardrailVersion: this.options.guardrail.version }
          : undefined,
      }), { abortSignal: signal });
    } catch (err) {
      throw classifyBedrockError(err, this.modelId, signal.aborted ? Math.round(this.now() - started) : undefined);
    }
    const text = (out.output?.message?.content ?? []).map((block) => block.text ?? '').join('').trim();
    if (text === '') {
      throw new BedrockGenerationError(`Bedrock model ${this.modelId} returned no text (stopReason ${out.stopReason}).`, this.modelId, false);
    }
    return {
      text,
      stopReason: out.stopReason ?? 'unknown',
      inputTokens: out.usage?.inputTokens ?? 0,
      outputTokens: out.usage?.outputTokens ?? 0,
      latencyMs: this.now() - started,
      modelLatencyMs: out.metrics?.latencyMs,
    };
  }
}

/** Maps an SDK error (or an abort, with the ms it came after) to a named error. */
export function classifyBedrockError(err: unknown, modelId: string, abortedAfterMs?: number): BedrockGenerationError {
  if (err instanceof BedrockGenerationError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (abortedAfterMs !== undefined || e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return new BedrockTimeoutError(modelId, abortedAfterMs, { cause: err });
  }
  switch (e?.name) {
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
      return new BedrockThrottledError(modelId, { cause: err });
    case 'ModelTimeoutException':
      return new BedrockTimeoutError(modelId, undefined, { cause: err });
    case 'ValidationException':
      return new BedrockValidationError(modelId, e.message ?? 'ValidationException', { cause: err });
    default: {
      const status = e?.$metadata?.httpStatusCode;
      const retriable = status === undefined || status >= 500 || status === 429 || e?.name === 'ModelNotReadyException' || e?.name === 'ServiceUnavailableException';
      return new BedrockGenerationError(`Bedrock call to ${modelId} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, modelId, retriable, { cause: err });
    }
  }
}
