// Cached Secrets Manager reads for Lambda handlers.
export * from './errors';
export * from './secret-cache';
