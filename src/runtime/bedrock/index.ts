// cdk-fast-lex/runtime/bedrock: text generation (whole or streamed) through the Bedrock Converse API, text embeddings
// through InvokeModel, with named errors.
export { DEFAULT_BEDROCK_MODEL_ID, DEFAULT_EMBEDDING_MODEL_ID } from '../../shared/bedrock-defaults';
export { DEFAULT_MAX_TOKENS } from '../../shared/defaults';
export {
  ConverseGenerator,
  DEFAULT_GENERATION_TIMEOUT_MS,
  type ConverseGeneratorOptions,
  type GenerateOptions,
  type Generation,
  type GenerationDelta,
  type GenerationStream,
  type StreamedGeneration,
} from './converse';
export {
  BedrockEmbedder,
  DEFAULT_EMBEDDING_TIMEOUT_MS,
  cosineSimilarity,
  type BedrockEmbedderOptions,
  type EmbedOptions,
  type EmbeddingDimensions,
} from './embeddings';
export { BedrockGenerationError, BedrockThrottledError, BedrockTimeoutError, BedrockValidationError } from './errors';
