// Pooled, idempotent Salesforce client for Lambda handlers (JWT bearer auth from a cached secret).
export * from './errors';
export * from './jwt-bearer';
export * from './salesforce-client';
