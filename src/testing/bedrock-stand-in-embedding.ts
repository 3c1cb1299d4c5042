// The Bedrock stand-in's Titan Text Embeddings V2: the documented request checks, and a deterministic embedding.
import { createHash } from 'node:crypto';

/** The embedding model the stand-in serves on InvokeModel. */
export const TITAN_EMBED_TEXT_V2 = 'amazon.titan-embed-text-v2:0';

/** Response header that says the vector is the stand-in's, not Titan's. */
export const STAND_IN_EMBEDDING_HEADER = 'x-fast-lex-stand-in';
export const STAND_IN_EMBEDDING_LABEL = 'deterministic hashed-feature embedding, not a semantic model';

// Titan Text Embeddings V2 limits (https://docs.aws.amazon.com/bedrock/latest/userguide/titan-embedding-models.html):
// a non-empty string of at most 8,192 tokens or 50,000 characters; about 4.7 characters per token in English.
const MAX_INPUT_CHARACTERS = 50_000;
const MAX_INPUT_TOKENS = 8_192;
const CHARACTERS_PER_TOKEN = 4.7;
const DIMENSIONS = [256, 512, 1024] as const;
const EMBEDDING_TYPES = ['float', 'binary'] as const;
const REQUEST_KEYS = new Set(['inputText', 'dimensions', 'normalize', 'embeddingTypes']);

// Function words weigh little in a question; negations are kept ("can I" is not "can't I").
const LIGHT_WORDS = new Set(`a an the and or of to in on at by for with from about is are was were be been am do does did have has had i me you we
us it my your our their this that these those what which who how when where why can could will would should may might get got want
please there here just some any`.split(/\s+/));

export interface TitanEmbeddingRequest {
  readonly inputText: string;
  readonly dimensions: 256 | 512 | 1024;
  readonly normalize: boolean;
  readonly embeddingTypes: ReadonlyArray<'float' | 'binary'>;
}

/** Estimated input tokens, the way the limit is documented (characters / 4.7). */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARACTERS_PER_TOKEN));
}

/**
 * Checks an InvokeModel body the way Titan Text Embeddings V2 does
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html): `inputText` required,
 * `dimensions` 1024 (default), 512 or 256, `normalize` a boolean (default true), `embeddingTypes` a list of "float"
 * and/or "binary" (default float); no other key. Returns the request, or the ValidationException message.
 */
export function parseTitanRequest(body: unknown): TitanEmbeddingRequest | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Malformed input request, please reformat your input and try again.';
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !REQUEST_KEYS.has(k));
  if (extra !== undefined) return `Malformed input request: #: extraneous key [${extra}] is not permitted, please reformat your input and try again.`;
  if (typeof b.inputText !== 'string') return 'Malformed input request: #: required key [inputText] not found, please reformat your input and try again.';
  if (b.inputText.trim() === '') return 'Malformed input request: #/inputText: expected minLength: 1, actual: 0, please reformat your input and try again.';
  if (b.inputText.length > MAX_INPUT_CHARACTERS) {
    return `Malformed input request: #/inputText: expected maxLength: ${MAX_INPUT_CHARACTERS}, actual: ${b.inputText.length}, please reformat your input and try again.`;
  }
  const tokens = estimateTokens(b.inputText);
  if (tokens > MAX_INPUT_TOKENS) return `400 Bad Request: Too many input tokens. Max input tokens: ${MAX_INPUT_TOKENS}, request input token count: ${tokens}`;
  const dimensions = b.dimensions ?? 1024;
  if (!DIMENSIONS.includes(dimensions as never)) return `Malformed input request: #/dimensions: ${JSON.stringify(dimensions)} is not a valid enum value, please reformat your input and try again.`;
  const normalize = b.normalize ?? true;
  if (typeof normalize !== 'boolean') return `Malformed input request: #/normalize: expected type: Boolean, found: ${typeof normalize}, please reformat your input and try again.`;
  const types = b.embeddingTypes ?? ['float'];
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => !EMBEDDING_TYPES.includes(t as never))) {
    return 'Malformed input request: #/embeddingTypes: expected a non-empty list of "float" and "binary", please reformat your input and try again.';
  }
  return { inputText: b.inputText, dimensions: dimensions as TitanEmbeddingRequest['dimensions'], normalize, embeddingTypes: types as TitanEmbeddingRequest['embeddingTypes'] };
}

/** The InvokeModel response body for a valid request: `embedding`, `inputTextTokenCount`, `embeddingsByType`. */
export function titanResponse(request: TitanEmbeddingRequest): Record<string, unknown> {
  const vector = standInEmbedding(request.inputText, request.dimensions, request.normalize);
  const float = Array.from(vector, (v) => Math.fround(v));
  const byType: Record<string, number[]> = {};
  if (request.embeddingTypes.includes('float')) byType.float = float;
  if (request.embeddingTypes.includes('binary')) byType.binary = float.map((v) => (v > 0 ? 1 : 0));
  return { embedding: float, inputTextTokenCount: estimateTokens(request.inputText), embeddingsByType: byType };
}

/**
 * A deterministic stand-in for a text embedding, NOT a semantic model: feature hashing of word unigrams (weight 1,
 * function words 0.2) and of each word's character trigrams with boundary marks (weight 0.5 spread over them), each
 * feature added with a hashed sign to one of `dimensions` slots, then L2-normalised when asked. Texts that share
 * words or word stems score high in cosine similarity; synonyms with no letters in common ("card arrive" / "got my
 * card") score only on what they share. The same text always gives the same vector.
 */
export function standInEmbedding(text: string, dimensions: number, normalize = true): Float64Array {
  const vector = new Float64Array(dimensions);
  const words = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/’/g, "'").match(/[\p{L}\p{N}']+/gu) ?? [];
  for (const word of words) {
    add(vector, `w:${word}`, LIGHT_WORDS.has(word) ? 0.2 : 1);
    if (LIGHT_WORDS.has(word)) continue;
    const marked = `<${word}>`;
    const grams: string[] = [];
    for (let i = 0; i + 3 <= marked.length; i++) grams.push(marked.slice(i, i + 3));
    for (const gram of grams) add(vector, `c:${gram}`, 0.5 / Math.sqrt(grams.length));
  }
  if (normalize) {
    const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
    if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i] /= norm;
  }
  return vector;
}

function add(vector: Float64Array, feature: string, weight: number): void {
  const digest = createHash('sha1').update(feature).digest();
  const slot = digest.readUInt32BE(0) % vector.length;
  vector[slot] += (digest[4] & 1) === 0 ? weight : -weight;
}
