export * from './response-cache-table';
export * from './right-sized-function';
export * from './cached-lex-fulfillment';
export * from './demo-call-workflow';
export * from './lex-web-chat';
