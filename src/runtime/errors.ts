// cdk-fast-lex/runtime/errors: every error the runtime SDK throws, in one place. Each is a FastLexError whose `name`
// is a string literal (bundles are minified), and each keeps its `cause`.
export { ConfigurationError, FastLexError } from '../shared/errors';
export { BedrockGenerationError, BedrockThrottledError, BedrockTimeoutError, BedrockValidationError } from './bedrock/errors';
export { CacheKeyError, GenerationRequestError, IntentConfigError, UnknownIntentError } from './cache/errors';
export { LexEventError } from './lex/errors';
export {
  SalesforceAuthError,
  SalesforceCredentialsError,
  SalesforceInputError,
  SalesforceRecordError,
  SalesforceUnavailableError,
  type SalesforceErrorDetail,
} from './salesforce/errors';
export { SecretFetchError, SecretFormatError, SecretNotFoundError, SecretStaleError } from './secrets/errors';
export {
  InvalidDemoRequestError,
  LeadServiceUnavailableError,
  LeadWriteError,
  OutboundCallRejectedError,
  OutboundCallThrottledError,
  ScenarioGenerationError,
  ScenarioGenerationThrottledError,
} from './workflow/errors';
