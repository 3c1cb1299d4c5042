// Bedrock generation through the Converse API, with named errors.
export * from './converse';
export * from './errors';
