// The two-tier response cache, its generation requests and the generator worker.
export * from './dynamo-store';
export * from './errors';
export * from './generation-request';
export * from './generator-worker';
export * from './intent-config';
export * from './memory-tier';
export * from './metrics';
export * from './response-cache';
