// cdk-fast-lex/runtime/cache: the two-tier response cache, its generation requests, the generator worker and the
// question matcher.
export { buildCacheKey, canonicalContext, VOLATILE_CONTEXT_FIELDS, type CacheKeyOptions, type ContextValue } from './cache-key';
export { DynamoResponseStore, type CachedAnswer, type DynamoResponseStoreOptions, type PutResult } from './dynamo-store';
export type { GeneratorWorkerEnvironmentOverrides, ResponseCacheEnvironmentOverrides } from './environment';
export { CacheKeyError, GenerationRequestError, IntentConfigError, UnknownIntentError } from './errors';
export { SqsGenerationQueue, parseGenerationRequest, type GenerationQueue, type GenerationRequest } from './generation-request';
export {
  createGeneratorWorker,
  generatorWorkerFromEnvironment,
  type GeneratorWorkerHandler,
  type GeneratorWorkerOptions,
  type RecordOutcome,
  type WorkerLogger,
} from './generator-worker';
export { CATCH_ALL_INTENT, parseIntentConfigs, validateIntentConfigs, type IntentCacheConfig, type IntentCacheConfigs } from './intent-config';
export { MemoryTier, type MemoryTierOptions } from './memory-tier';
export { CacheMetric, CacheMetrics, type CacheMetricName, type CacheMetricsOptions } from './metrics';
export { ResponseCache, type CacheResponse, type CacheStatus, type RespondOptions, type ResponseCacheOptions } from './response-cache';
export {
  DEFAULT_NEAR_MATCH_THRESHOLD,
  QuestionMatchSettingsError,
  matchQuestions,
  questionSignature,
  type QuestionMatch,
  type QuestionMatchSettings,
} from './question-match';
export { QuestionIndex, type AnsweredQuestion, type NearestQuestion, type QuestionIndexOptions } from './question-index';
export { completeAnswer, type Completeness } from './complete-answer';
export { DEFAULT_CALL_SHARE, TurnBudget, TurnBudgetExceededError } from './turn-budget';
