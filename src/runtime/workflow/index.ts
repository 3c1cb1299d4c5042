// The lead-to-outbound-call workflow: steps, call context (read by the Lex fulfillment handler), named errors.
export * from './call-context';
export * from './environment';
export * from './errors';
export * from './schema';
export * from './steps';
export * from './types';
export * from './validate';
