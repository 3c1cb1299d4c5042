// Lambda entry point of the generator worker: SQS generation requests in, Bedrock answers into the cache table.
// Configuration (FAST_LEX_ENV): FAST_LEX_CACHE_TABLE (required), FAST_LEX_GENERATION_QUEUE_URL (back-off),
// FAST_LEX_MODEL_ID, FAST_LEX_MAX_TOKENS, FAST_LEX_GENERATION_TIMEOUT_MS; endpoints from AWS_ENDPOINT_URL_* (SDK).
// The event source mapping must enable ReportBatchItemFailures and the queue needs a redrive policy to a DLQ.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { generatorWorkerFromEnvironment, type GeneratorWorkerHandler } from '../runtime/cache/generator-worker';

// Module scope, built on the first event: clients survive between invocations of a warm Lambda.
let worker: GeneratorWorkerHandler | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  worker ??= generatorWorkerFromEnvironment();
  return worker(event);
}
