// cdk-fast-lex/runtime: the Node-only SDK that Lambda handlers import (not part of the jsii assembly). Its imports are
// the AWS SDK, lru-cache and Powertools Metrics. Parts with heavier dependencies have their own entry points:
// `cdk-fast-lex/runtime/salesforce` (jsforce, undici) and `cdk-fast-lex/runtime/workflow` (also libphonenumber-js).
export * from './cache-key';
export * from './errors';
export * from './lex-types';
export * from './bedrock';
export * from './cache';
export * from './secrets';
export * from './lex';
