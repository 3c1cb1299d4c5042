// cdk-fast-lex/runtime: the Node-only SDK that Lambda handlers import (not part of the jsii assembly).
export * from './cache-key';
export * from './errors';
export * from './lex-types';
export * from './bedrock';
export * from './cache';
export * from './secrets';
export * from './salesforce';
export * from './lex';
export * from './workflow';
