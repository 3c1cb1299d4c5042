import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardrailFromEnvironment } from '../../../src/runtime/cache/environment';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../../src/shared/bedrock-defaults';
import { ConverseGenerator } from '../../../src/runtime/bedrock/converse';
import { BedrockGenerationError, BedrockThrottledError, BedrockTimeoutError, BedrockValidationError } from '../../../src/runtime/bedrock/errors';
import { startBedrockStandIn, type BedrockStandIn } from '../../../src/testing';
import { localBedrockClient } from '../cache/fixtures';

describe('ConverseGenerator against the Bedrock stand-in', () => {
  let bedrock: BedrockStandIn;
  let generator: ConverseGenerator;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ latencyMs: 0 });
    generator = new ConverseGenerator({ client: localBedrockClient(bedrock.endpoint) });
  });
  afterAll(async () => bedrock?.stop());
  beforeEach(() => {
    bedrock.reset();
    bedrock.setLatency(0);
    bedrock.setResponder(({ prompt }) => `Answer: ${prompt}`);
  });

  it('sends one Converse call with the default Haiku profile and 150 max tokens, and returns the text', async () => {
    const out = await generator.generate('What is Atlas?', { system: 'Be brief.' });

    expect(out).toMatchObject({ text: 'Answer: What is Atlas?', stopReason: 'end_turn', outputTokens: 4 });
    expect(bedrock.calls).toHaveLength(1);
    expect(bedrock.calls[0].modelId).toBe(DEFAULT_BEDROCK_MODEL_ID);
    expect(bedrock.calls[0].body).toMatchObject({ inferenceConfig: { maxTokens: 150 }, system: [{ text: 'Be brief.' }] });
  });

  it('sends the configured guardrail with every call, and none by default', async () => {
    const guarded = new ConverseGenerator({ client: localBedrockClient(bedrock.endpoint), guardrail: { identifier: 'gr-123', version: '2' } });

    await guarded.generate('hello');
    await generator.generate('hello');

    expect(bedrock.calls[0].body.guardrailConfig).toEqual({ guardrailIdentifier: 'gr-123', guardrailVersion: '2' });
    expect(bedrock.calls[1].body.guardrailConfig).toBeUndefined();
  });

  it('reads the guardrail from the environment, and refuses half of it', () => {
    expect(guardrailFromEnvironment({ FAST_LEX_GUARDRAIL_ID: 'gr-1', FAST_LEX_GUARDRAIL_VERSION: 'DRAFT' })).toEqual({ identifier: 'gr-1', version: 'DRAFT' });
    expect(guardrailFromEnvironment({})).toBeUndefined();
    expect(() => guardrailFromEnvironment({ FAST_LEX_GUARDRAIL_ID: 'gr-1' })).toThrow("Setting 'FAST_LEX_GUARDRAIL_VERSION' is missing");
  });

  it('reports max_tokens when the answer is cut', async () => {
    bedrock.setResponder(() => 'one two three four five');

    const out = await generator.generate('count', { maxTokens: 3 });

    expect(out).toMatchObject({ text: 'one two three', stopReason: 'max_tokens' });
  });

  it.each([
    ['ThrottlingException', BedrockThrottledError, true],
    ['ModelTimeoutException', BedrockTimeoutError, true],
    ['ValidationException', BedrockValidationError, false],
    ['ServiceUnavailableException', BedrockGenerationError, true],
  ] as const)('classifies %s', async (type, errorClass, retriable) => {
    bedrock.failNext(type);

    const error = await generator.generate('x').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(errorClass);
    expect((error as BedrockGenerationError).retriable).toBe(retriable);
    expect(((error as Error).cause as Error).name).toBe(type);
  });

  it('gives up at its deadline with BedrockTimeoutError, and the stand-in sees the call aborted', async () => {
    bedrock.setLatency(5000);

    const error = await generator.generate('slow', { timeoutMs: 50 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BedrockTimeoutError);
    expect((error as BedrockTimeoutError).elapsedMs).toBeGreaterThanOrEqual(50);
    await expect.poll(() => bedrock.calls.map((c) => c.outcome)).toEqual(['aborted']);
  });

  it('honours a caller AbortSignal', async () => {
    bedrock.setLatency(5000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    await expect(generator.generate('slow', { signal: controller.signal })).rejects.toBeInstanceOf(BedrockTimeoutError);
  });
});

// ConverseStream: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
describe('ConverseGenerator.stream against the Bedrock stand-in', () => {
  let bedrock: BedrockStandIn;
  let generator: ConverseGenerator;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ latencyMs: 0 });
    generator = new ConverseGenerator({ client: localBedrockClient(bedrock.endpoint) });
  });
  afterAll(async () => bedrock?.stop());
  beforeEach(() => {
    bedrock.reset();
    bedrock.setLatency(0);
    bedrock.setResponder(({ prompt }) => `Atlas answers ${prompt} in a few words.`);
  });

  /** The deltas a reader gets, and what the iteration threw. */
  async function read(stream: AsyncIterable<{ text: string }>): Promise<{ deltas: string[]; error?: unknown }> {
    const deltas: string[] = [];
    try {
      for await (const { text } of stream) deltas.push(text);
      return { deltas };
    } catch (error) {
      return { deltas, error };
    }
  }

  it('yields the answer as text deltas, then resolves its result with the stop reason, tokens and latency', async () => {
    const stream = generator.stream('fast', { system: 'Be brief.', maxTokens: 100 });

    const { deltas, error } = await read(stream);
    const result = await stream.result;

    expect(error).toBeUndefined();
    expect(deltas).toEqual(['Atlas', ' answers', ' fast', ' in', ' a', ' few', ' words.']);
    expect(result).toMatchObject({ text: 'Atlas answers fast in a few words.', stopReason: 'end_turn', outputTokens: 7 });
    expect(result.firstTokenMs).toBeLessThanOrEqual(result.latencyMs);
    expect(result.modelLatencyMs).toBeTypeOf('number');
    expect(bedrock.calls.map((c) => [c.operation, c.outcome])).toEqual([['converse-stream', 'answered']]);
    expect(bedrock.calls[0].body).toMatchObject({ inferenceConfig: { maxTokens: 100 }, system: [{ text: 'Be brief.' }] });
  });

  it('sends the guardrail, and reports its intervention as the stop reason', async () => {
    const guarded = new ConverseGenerator({ client: localBedrockClient(bedrock.endpoint), guardrail: { identifier: 'gr-123', version: '2' } });
    bedrock.setResponder(() => ({ text: 'Sorry, I cannot talk about that.', stopReason: 'guardrail_intervened' }));

    const stream = guarded.stream('x');
    await read(stream);

    expect(bedrock.calls[0].body.guardrailConfig).toEqual({ guardrailIdentifier: 'gr-123', guardrailVersion: '2' });
    await expect(stream.result).resolves.toMatchObject({ stopReason: 'guardrail_intervened' });
  });

  it('reports max_tokens when the streamed answer is cut', async () => {
    const stream = generator.stream('fast', { maxTokens: 2 });
    await read(stream);

    await expect(stream.result).resolves.toMatchObject({ text: 'Atlas answers', stopReason: 'max_tokens' });
  });

  it('surfaces a mid-stream failure as the named error generate throws, after the deltas that came', async () => {
    bedrock.interruptNextStream(2, 'throttlingException');

    const stream = generator.stream('fast');
    const { deltas, error } = await read(stream);

    // The reader has the half answer and knows it is half: the iteration throws and the result rejects.
    expect(deltas).toEqual(['Atlas', ' answers']);
    expect(error).toBeInstanceOf(BedrockThrottledError);
    await expect(stream.result).rejects.toBe(error);
  });

  it('surfaces a modelStreamErrorException as a retriable BedrockGenerationError', async () => {
    bedrock.interruptNextStream(1, 'modelStreamErrorException');

    const { error } = await read(generator.stream('fast'));

    expect(error).toBeInstanceOf(BedrockGenerationError);
    expect(error).toMatchObject({ retriable: true });
    expect(((error as Error).cause as Error).name).toBe('ModelStreamErrorException');
  });

  it('classifies an error before the stream like generate does', async () => {
    bedrock.failNext('ValidationException');

    const stream = generator.stream('x');
    const { deltas, error } = await read(stream);

    expect(deltas).toEqual([]);
    expect(error).toBeInstanceOf(BedrockValidationError);
    await expect(stream.result).rejects.toBeInstanceOf(BedrockValidationError);
  });

  it('aborts a stream that hangs past its deadline with BedrockTimeoutError', async () => {
    bedrock.interruptNextStream(3, 'hang');

    const stream = generator.stream('fast', { timeoutMs: 300 });
    const { deltas, error } = await read(stream);

    expect(deltas).toEqual(['Atlas', ' answers', ' fast']);
    expect(error).toBeInstanceOf(BedrockTimeoutError);
    expect((error as BedrockTimeoutError).elapsedMs).toBeGreaterThanOrEqual(300);
    await expect(stream.result).rejects.toBe(error);
  });

  it('aborts a stream whose first token comes after the deadline', async () => {
    bedrock.setLatency(5000);

    const { deltas, error } = await read(generator.stream('slow', { timeoutMs: 100 }));

    expect(deltas).toEqual([]);
    expect(error).toBeInstanceOf(BedrockTimeoutError);
    await expect.poll(() => bedrock.calls.map((c) => c.outcome)).toEqual(['aborted']);
  });

  it('honours a caller AbortSignal mid-stream', async () => {
    bedrock.interruptNextStream(1, 'hang');
    const controller = new AbortController();

    const stream = generator.stream('fast', { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    controller.abort();

    expect(first.value).toEqual({ text: 'Atlas' });
    await expect(iterator.next()).rejects.toBeInstanceOf(BedrockTimeoutError);
  });

  it('ends the call when the reader stops early, and rejects the result', async () => {
    bedrock.setLatency({ timeToFirstTokenMs: 0, outputTokensPerSecond: 20 });

    const stream = generator.stream('fast');
    for await (const delta of stream) {
      expect(delta.text).toBe('Atlas');
      break;
    }

    await expect(stream.result).rejects.toThrow(/stopped before it ended/);
    await expect.poll(() => bedrock.calls.map((c) => c.outcome)).toEqual(['aborted']);
  });
});
