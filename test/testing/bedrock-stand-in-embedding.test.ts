// The Bedrock stand-in's Titan Text Embeddings V2 through the real client's InvokeModel: the documented request
// and response, the refusals, and the deterministic (not semantic) embedding.
// InvokeModel: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html
// Titan V2 request and response: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
// Titan V2 limits (8,192 tokens or 50,000 characters): https://docs.aws.amazon.com/bedrock/latest/userguide/titan-embedding-models.html
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../src/runtime/bedrock/embeddings';
import { LOCAL_CREDENTIALS, STAND_IN_EMBEDDING_HEADER, TITAN_EMBED_TEXT_V2, standInEmbedding, startBedrockStandIn, type BedrockStandIn } from '../../src/testing';

describe('Bedrock stand-in InvokeModel (Titan Text Embeddings V2)', () => {
  let bedrock: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ latencyMs: 0 });
    client = new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => bedrock?.stop());
  beforeEach(() => bedrock.reset());

  const invoke = async (body: unknown, modelId = TITAN_EMBED_TEXT_V2) => {
    const out = await client.send(new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) }));
    return JSON.parse(Buffer.from(out.body).toString('utf8')) as { embedding: number[]; inputTextTokenCount: number; embeddingsByType: Record<string, number[]> };
  };
  type SdkError = Error & { $metadata: { httpStatusCode?: number } };
  const refusal = (body: unknown, modelId?: string): Promise<SdkError> =>
    invoke(body, modelId).then(() => Object.assign(new Error('answered'), { $metadata: {} }), (e: unknown) => e as SdkError);
  const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

  it('answers with a 1,024-dimension unit vector by default, the token count and embeddingsByType', async () => {
    const out = await invoke({ inputText: 'When will my card arrive?' });

    expect(out.embedding).toHaveLength(1024);
    expect(norm(out.embedding)).toBeCloseTo(1, 5);
    expect(out.inputTextTokenCount).toBeGreaterThan(0);
    expect(out.embeddingsByType).toEqual({ float: out.embedding });
    expect(bedrock.embeddings.map((c) => [c.modelId, c.outcome])).toEqual([[TITAN_EMBED_TEXT_V2, 'answered']]);
  });

  it('says in a response header that the vector is a deterministic stand-in, not a semantic model', async () => {
    const res = await fetch(`${bedrock.endpoint}/model/${TITAN_EMBED_TEXT_V2}/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputText: 'x' }) });

    expect(res.status).toBe(200);
    expect(res.headers.get(STAND_IN_EMBEDDING_HEADER)).toBe('deterministic hashed-feature embedding, not a semantic model');
  });

  it.each([256, 512] as const)('honours dimensions %i, normalize false and binary embeddings', async (dimensions) => {
    const out = await invoke({ inputText: 'cancel my order', dimensions, normalize: false, embeddingTypes: ['float', 'binary'] });

    expect(out.embedding).toHaveLength(dimensions);
    expect(norm(out.embedding)).toBeGreaterThan(1.5);
    expect(out.embeddingsByType.binary).toEqual(out.embedding.map((v) => (v > 0 ? 1 : 0)));
  });

  it('gives the same text the same vector, and scores shared words above unrelated text', async () => {
    const [a, again, paraphrase, unrelated] = await Promise.all(
      ['how do you use Lex', 'how do you use Lex', 'how is Lex used by you', 'what is the weather in Paris'].map((inputText) => invoke({ inputText, dimensions: 256 })),
    );

    expect(again.embedding).toEqual(a.embedding);
    expect(cosineSimilarity(a.embedding, paraphrase.embedding)).toBeGreaterThan(cosineSimilarity(a.embedding, unrelated.embedding) + 0.3);
    expect(a.embedding).toEqual(Array.from(standInEmbedding('how do you use Lex', 256), Math.fround));
  });

  it.each([
    ['no inputText', { dimensions: 256 }, /required key \[inputText\]/],
    ['an empty inputText', { inputText: '  ' }, /minLength/],
    ['more than 50,000 characters', { inputText: 'a'.repeat(50_001) }, /maxLength: 50000/],
    ['dimensions 300', { inputText: 'x', dimensions: 300 }, /#\/dimensions: 300 is not a valid enum value/],
    ['a normalize that is not a boolean', { inputText: 'x', normalize: 'yes' }, /#\/normalize/],
    ['an unknown embedding type', { inputText: 'x', embeddingTypes: ['int8'] }, /embeddingTypes/],
    ['a key Titan does not take', { inputText: 'x', maxTokenCount: 5 }, /extraneous key \[maxTokenCount\]/],
  ])('refuses %s with ValidationException (HTTP 400), as Titan V2 does', async (_case, body, message) => {
    const error = await refusal(body);

    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
    expect(bedrock.embeddings.map((c) => c.outcome)).toEqual(['ValidationException']);
  });

  it('refuses InvokeModel for a model it does not serve, saying which one it serves', async () => {
    const error = await refusal({ inputText: 'x' }, 'cohere.embed-english-v3');

    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(TITAN_EMBED_TEXT_V2);
  });

  it('fails scripted embedding calls with the SDK\'s exceptions, apart from Converse\'s script', async () => {
    bedrock.failNextEmbedding('ThrottlingException');

    const error = await refusal({ inputText: 'x' });
    const after = await invoke({ inputText: 'x' });

    expect(error.name).toBe('ThrottlingException');
    expect(after.embedding).toHaveLength(1024);
  });
});
