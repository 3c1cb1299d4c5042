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
