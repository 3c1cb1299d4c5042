// Real AWS SDK clients pointed at the local stand-ins: the same code paths as production, only pointed elsewhere.
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from './local-server';

/** The Region local clients sign for; the stand-ins accept any. */
export const LOCAL_REGION = 'us-east-1';

/** An SQS client for moto server (`startMotoServer().endpoint`). */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** A Bedrock Runtime client for the Bedrock stand-in, one attempt per call (the runtime's own setting). */
export function localBedrockClient(endpoint: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}
