// BedrockEmbedder through the real client against the Bedrock stand-in's Titan Text Embeddings V2.
// Titan V2 request and response: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BedrockEmbedder, cosineSimilarity } from '../../../src/runtime/bedrock/embeddings';
import { BedrockGenerationError, BedrockThrottledError, BedrockTimeoutError, BedrockValidationError } from '../../../src/runtime/bedrock/errors';
import { DEFAULT_EMBEDDING_MODEL_ID } from '../../../src/shared/bedrock-defaults';
import { startBedrockStandIn, type BedrockStandIn } from '../../../src/testing';
import { localBedrockClient } from '../cache/fixtures';

describe('BedrockEmbedder against the Bedrock stand-in', () => {
  let bedrock: BedrockStandIn;
  let embedder: BedrockEmbedder;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ latencyMs: 0 });
    embedder = new BedrockEmbedder({ client: localBedrockClient(bedrock.endpoint) });
  });
  afterAll(async () => bedrock?.stop());
  beforeEach(() => {
    bedrock.reset();
    bedrock.setEmbeddingLatency(0);
  });

  it('asks Titan V2 for a normalised 256-dimension embedding by default and returns it as a Float32Array', async () => {
    const vector = await embedder.embed('when will my card arrive');

    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector).toHaveLength(256);
    expect(cosineSimilarity(vector, vector)).toBeCloseTo(1, 5);
    expect(bedrock.embeddings).toEqual([{ modelId: DEFAULT_EMBEDDING_MODEL_ID, body: { inputText: 'when will my card arrive', dimensions: 256, normalize: true }, outcome: 'answered' }]);
  });

  it('asks for the dimensions it is given', async () => {
    const wide = new BedrockEmbedder({ client: localBedrockClient(bedrock.endpoint), dimensions: 1024 });

    expect(await wide.embed('x')).toHaveLength(1024);
  });

  it('classifies a refusal of the text as BedrockValidationError (what an empty question gets)', async () => {
    const error = await embedder.embed('').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BedrockValidationError);
    expect((error as BedrockValidationError).retriable).toBe(false);
  });

  it.each([
    ['ThrottlingException', BedrockThrottledError, true],
    ['ServiceUnavailableException', BedrockGenerationError, true],
  ] as const)('classifies %s like ConverseGenerator does', async (type, errorClass, retriable) => {
    bedrock.failNextEmbedding(type);

    const error = await embedder.embed('x').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(errorClass);
    expect((error as BedrockGenerationError).retriable).toBe(retriable);
  });

  it('gives up at its deadline with BedrockTimeoutError, and the stand-in sees the call aborted', async () => {
    bedrock.setEmbeddingLatency(5000);

    const error = await embedder.embed('slow', { timeoutMs: 50 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BedrockTimeoutError);
    expect((error as BedrockTimeoutError).elapsedMs).toBeGreaterThanOrEqual(50);
    await expect.poll(() => bedrock.embeddings.map((c) => c.outcome)).toEqual(['aborted']);
  });

  it('honours a caller AbortSignal', async () => {
    bedrock.setEmbeddingLatency(5000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    await expect(embedder.embed('slow', { signal: controller.signal })).rejects.toBeInstanceOf(BedrockTimeoutError);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal or zero vectors, -1 for opposite', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 10);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity(Float32Array.from([1, -1]), [-1, 1])).toBeCloseTo(-1, 6);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});
