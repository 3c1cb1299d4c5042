// Lex V2 fulfillment: event parsing, responses, history and the handler factory.
export * from './errors';
export * from './fulfillment';
export * from './history';
export * from './parse';
export * from './responses';
