// The two DynamoDB backends every integration suite runs against: dynalite in-process and moto server.
import { startLocalDynamoDb, startMotoServer, type LocalEndpoint } from '../../src/testing';

export interface Backend {
  readonly name: 'dynalite' | 'moto';
  start(): Promise<LocalEndpoint>;
}

/** Both backends. moto needs `scripts/setup-python.sh` (the test task runs it); a missing moto fails, never skips. */
export const DYNAMODB_BACKENDS: Backend[] = [
  { name: 'dynalite', start: () => startLocalDynamoDb() },
  { name: 'moto', start: () => startMotoServer() },
];
