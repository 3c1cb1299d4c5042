export * from './response-cache-table';
