// The Bedrock defaults shared by the constructs (what they grant and configure) and the runtime (what it calls).

/** A current Claude Haiku (4.5) US cross-region inference profile. Claude 3 / 3.5 Haiku have reached end of life. */
export const DEFAULT_BEDROCK_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

/** Prefixes of the system-defined cross-region inference profiles (`us.anthropic...`, `global.anthropic...`). */
export const INFERENCE_PROFILE_PREFIXES: readonly string[] = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'];

/** The embedding model of the runtime's `BedrockEmbedder`: Amazon Titan Text Embeddings V2 (256, 512 or 1,024 dimensions). */
export const DEFAULT_EMBEDDING_MODEL_ID = 'amazon.titan-embed-text-v2:0';
