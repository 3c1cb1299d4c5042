// Text generation with the Bedrock Converse API (whole, or streamed): one model-agnostic call, a deadline, and
// classified errors.
import type { BedrockRuntimeClient, ConverseCommandInput, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
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

/** One text delta of a streamed answer, in order. */
export interface GenerationDelta {
  readonly text: string;
}

/** A streamed answer, once it ended: the whole text, as `generate` returns it, and when its first words came. */
export interface StreamedGeneration extends Generation {
  /** From the call to the first text delta, ms. */
  readonly firstTokenMs: number;
}

/**
 * A streamed answer: iterate it (once) for the text deltas as Bedrock sends them; `result` settles when the stream
 * ends, with the stop reason, token counts and latency. A failure before or during the stream is thrown by the
 * iteration and rejects `result` with the same named error `generate` throws (`BedrockTimeoutError` past the
 * deadline, `BedrockThrottledError`, ...). A reader that stops iterating early ends the call, and `result` rejects.
 */
export interface GenerationStream extends AsyncIterable<GenerationDelta> {
  readonly result: Promise<StreamedGeneration>;
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
  private async sdk(): Promise<{ client: BedrockRuntimeClient; sdk: typeof import('@aws-sdk/client-bedrock-runtime') }> {
    const mod = await import('@aws-sdk/client-bedrock-runtime');
    this.clientInstance ??= new mod.BedrockRuntimeClient({ maxAttempts: 1 });
    return { client: this.clientInstance, sdk: mod };
  }

  /** The Converse (and ConverseStream) request: one user message, the system prompt, limits and guardrail. */
  private request(prompt: string, options: GenerateOptions): ConverseCommandInput {
    return {
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
    };
  }

  /** The call's deadline (`timeoutMs`), joined with the caller's signal and any others. */
  private signal(options: GenerateOptions, ...more: AbortSignal[]): AbortSignal {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    return AbortSignal.any([timeout, ...(options.signal ? [options.signal] : []), ...more]);
  }

  async generate(prompt: string, options: GenerateOptions = {}): Promise<Generation> {
    const signal = this.signal(options);
    const started = this.now();
    let out: ConverseCommandOutput;
    try {
      const { client, sdk } = await this.sdk();
      out = await client.send(new sdk.ConverseCommand(this.request(prompt, options)), { abortSignal: signal });
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

  /**
   * Calls ConverseStream with the same request as `generate` and the same options; the deadline covers the whole
   * stream. See `GenerationStream`.
   *
   * @example
   * const answer = generator.stream('What is Atlas?', { system: 'Be brief.', timeoutMs: 8000 });
   * for await (const { text } of answer) process.stdout.write(text);
   * const { stopReason, latencyMs } = await answer.result;
   */
  stream(prompt: string, options: GenerateOptions = {}): GenerationStream {
    const stopped = new AbortController();
    const signal = this.signal(options, stopped.signal);
    let settle!: { resolve: (g: StreamedGeneration) => void; reject: (e: Error) => void };
    let settled = false;
    const result = new Promise<StreamedGeneration>((resolve, reject) => { settle = { resolve, reject }; });
    result.catch(() => undefined); // a reader of the deltas alone sees the error from the iteration
    const finish = (outcome: StreamedGeneration | Error) => {
      if (settled) return;
      settled = true;
      if (outcome instanceof Error) settle.reject(outcome);
      else settle.resolve(outcome);
    };
    const run = async function* (this: ConverseGenerator): AsyncGenerator<GenerationDelta> {
      const started = this.now();
      let text = '';
      let firstTokenMs: number | undefined;
      let stopReason: string | undefined;
      let usage: { inputTokens?: number; outputTokens?: number } | undefined;
      let modelLatencyMs: number | undefined;
      let events: AsyncIterator<import('@aws-sdk/client-bedrock-runtime').ConverseStreamOutput> | undefined;
      try {
        const { client, sdk } = await this.sdk();
        const out = await client.send(new sdk.ConverseStreamCommand(this.request(prompt, options)), { abortSignal: signal });
        events = out.stream?.[Symbol.asyncIterator]();
        if (!events) throw new BedrockGenerationError(`Bedrock model ${this.modelId} returned no stream.`, this.modelId, true);
        for (;;) {
          // The SDK may end the iteration quietly when the call is aborted mid-stream: race each event with the signal.
          const next = await untilAborted(events.next(), signal);
          if (next.done) break;
          const event = next.value;
          const delta = event.contentBlockDelta?.delta?.text;
          if (delta) {
            firstTokenMs ??= this.now() - started;
            text += delta;
            yield { text: delta };
          } else if (event.messageStop) {
            stopReason = event.messageStop.stopReason;
          } else if (event.metadata) {
            usage = event.metadata.usage;
            modelLatencyMs = event.metadata.metrics?.latencyMs;
          }
        }
        if (signal.aborted) throw signal.reason;
        if (stopReason === undefined) {
          throw new BedrockGenerationError(`Bedrock model ${this.modelId} ended its stream before messageStop.`, this.modelId, true);
        }
        if (text.trim() === '') {
          throw new BedrockGenerationError(`Bedrock model ${this.modelId} returned no text (stopReason ${stopReason}).`, this.modelId, false);
        }
        finish({
          text: text.trim(),
          stopReason,
          inputTokens: usage?.inputTokens ?? 0,
          outputTokens: usage?.outputTokens ?? 0,
          latencyMs: this.now() - started,
          modelLatencyMs,
          firstTokenMs: firstTokenMs ?? this.now() - started,
        });
      } catch (err) {
        const error = classifyBedrockError(err, this.modelId, signal.aborted && !stopped.signal.aborted ? Math.round(this.now() - started) : undefined);
        finish(error);
        throw error;
      } finally {
        if (!settled) {
          // The reader stopped iterating: end the call, and say so to whoever awaits the result.
          stopped.abort();
          finish(new BedrockGenerationError(`The reader of the stream from ${this.modelId} stopped before it ended.`, this.modelId, false));
        }
        events?.return?.().catch(() => undefined);
      }
    }.bind(this);
    let iterated = false;
    return {
      result,
      [Symbol.asyncIterator]: () => {
        if (iterated) throw new Error('A GenerationStream can be iterated once.');
        iterated = true;
        return run();
      },
    };
  }
}

/** Resolves as `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (err) => { signal.removeEventListener('abort', onAbort); reject(err); },
    );
  });
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
