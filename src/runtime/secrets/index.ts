// cdk-fast-lex/runtime/secrets: cached Secrets Manager reads for Lambda handlers.
export { SecretFetchError, SecretFormatError, SecretNotFoundError, SecretStaleError } from './errors';
export {
  DEFAULT_SECRET_MAX_AGE_MS,
  DEFAULT_SECRET_MAX_STALENESS_MS,
  SecretCache,
  getSecretBinary,
  getSecretCache,
  getSecretJson,
  getSecretString,
  type GetSecretOptions,
  type SecretCacheOptions,
  type SecretValue,
} from './secret-cache';
