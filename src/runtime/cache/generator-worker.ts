// The SQS consumer that turns generation requests into cached answers: Converse, write to L2, release the lease.
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ConverseGenerator } from '../bedrock/converse';
import { BedrockGenerationError } from '../bedrock/errors';
import type { Environment } from '../env';
import { answerEntry, type DynamoResponseStore } from './dynamo-store';
import { generatorWorkerOptionsFromEnvironment, type GeneratorWorkerEnvironmentOverrides } from './environment';
import { completeAnswer } from './complete-answer';
import { parseGenerationRequest, type GenerationRequest } from './generation-request';
import { CacheMetric, CacheMetrics } from './metrics';
import { QuestionStore } from './question-store';

/** Structured log lines of the worker: ids, intents and error names only, never prompts, answers or context. */
export interface WorkerLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface GeneratorWorkerOptions {
  readonly store: DynamoResponseStore;
  readonly generator: ConverseGenerator;
  /**
   * With `queueUrl`, lets a throttled or timed-out message wait longer on each attempt (ChangeMessageVisibility:
   * `backoffBaseSeconds * 2^(receiveCount-1)`, capped) instead of the queue's fixed visibility timeout.
   * @default - no back-off beyond the queue's visibility timeout
   */
  readonly sqs?: SQSClient;
  readonly queueUrl?: string;
  /** @default 10 */
  readonly backoffBaseSeconds?: number;
  /** @default 900 */
  readonly backoffMaxSeconds?: number;
  /** Records processed at once (each makes one Bedrock call). @default 4 */
  readonly concurrency?: number;
  /** @default - a new CacheMetrics, flushed after each batch */
  readonly metrics?: CacheMetrics;
  /** @default Date.now */
  readonly clock?: () => number;
  /** @default - JSON lines on stdout/stderr */
  readonly logger?: WorkerLogger;
  /** Where a per-question answer's question is kept once answered. @default - a QuestionStore on `store`'s table */
  readonly questionStore?: QuestionStore;
}

/** The Lambda handler type: report failed records so SQS retries only them (`ReportBatchItemFailures`). */
export type GeneratorWorkerHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** What happened to one record. */
export type RecordOutcome = 'generated' | 'already-fresh' | 'oversize' | 'incomplete' | 'retry' | 'poison' | 'rejected';

/**
 * Builds the worker handler. Every record ends one of two ways: its answer is written (or found already fresh, or
 * counted as oversize), or it is reported in `batchItemFailures`. Throttling and timeouts are retried by SQS with
 * growing delays; permanent failures (unparseable body, unknown version, Bedrock ValidationException) fail on every
 * receive until the queue's redrive policy moves them to the dead-letter queue. Nothing is dropped silently.
 */
export function createGeneratorWorker(options: GeneratorWorkerOptions): GeneratorWorkerHandler {
  const clock = options.clock ?? Date.now;
  const metrics = options.metrics ?? new CacheMetrics();
  const logger = options.logger ?? jsonLogger;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const base = options.backoffBaseSeconds ?? 10;
  const max = options.backoffMaxSeconds ?? 900;
  const questions = options.questionStore ?? new QuestionStore(options.store.client, options.store.tableName);

  async function processRecord(record: SQSRecord): Promise<RecordOutcome> {
    let request: GenerationRequest;
    try {
      request = parseGenerationRequest(record.body);
    } catch (err) {
      logger.error('generation request is poison; it will reach the dead-letter queue', { messageId: record.messageId, reason: (err as Error).message });
      return 'poison';
    }
    const { key, intent } = request;
    // A newer answer may already be there (a duplicate message, or a synchronous generation won the race).
    const current = await options.store.newest(key);
    if (current && current.generatedAt >= request.requestedAt && current.freshUntil > clock()) {
      await questions.addAnswered(request, current.generatedAt);
      await options.store.releaseRefresh(key);
      return 'already-fresh';
    }
    let text: string;
    try {
      const generation = await options.generator.generate(request.prompt, { system: request.system, maxTokens: request.maxTokens });
      metrics.timing(intent, CacheMetric.GENERATION_LATENCY, generation.latencyMs);
      metrics.count(intent, CacheMetric.GENERATION_SUCCESS);
      const complete = completeAnswer(generation.text, generation.stopReason);
      if (complete.kind === 'unusable') {
        // A sentence cut before its end or a guardrail refusal is not an answer: keep serving the static one. Not
        // retried: the same prompt with the same limit would stop the same way.
        metrics.count(intent, complete.reason === 'max_tokens' ? CacheMetric.TRUNCATED_ANSWER : CacheMetric.GUARDRAIL_INTERVENED);
        logger.warn('answer not cached: incomplete', { messageId: record.messageId, intent, key, stopReason: generation.stopReason });
        await options.store.releaseRefresh(key);
        return 'incomplete';
      }
      if (complete.kind === 'trimmed') metrics.count(intent, CacheMetric.TRUNCATED_ANSWER);
      text = complete.text;
    } catch (err) {
      metrics.count(intent, CacheMetric.GENERATION_FAILURE);
      const retriable = err instanceof BedrockGenerationError ? err.retriable : true;
      logger.warn('generation failed', { messageId: record.messageId, intent, key, error: (err as Error).name, retriable });
      if (retriable) {
        await backOff(record);
        return 'retry';
      }
      return 'rejected';
    }
    const entry = answerEntry(intent, text, clock(), request.ttlSeconds, request.staleSeconds);
    const result = await options.store.put(key, entry);
    // The answer is stored: its question joins the intent's answered questions, so paraphrases find it. A failure here
    // throws, and SQS retries the record (the next attempt finds the answer fresh and writes the question then).
    if (result.stored) await questions.addAnswered(request, entry.generatedAt);
    await options.store.releaseRefresh(key);
    if (!result.stored) {
      // Not cacheable, and retrying cannot shrink it: count it, keep serving the static answer.
      metrics.count(intent, CacheMetric.OVERSIZE_ANSWER);
      logger.warn('answer over the DynamoDB item limit; not cached', { messageId: record.messageId, intent, key, bytes: result.bytes });
      return 'oversize';
    }
    return 'generated';
  }

  async function backOff(record: SQSRecord): Promise<void> {
    if (!options.sqs || !options.queueUrl) return;
    const attempt = Math.max(1, Number(record.attributes?.ApproximateReceiveCount ?? 1));
    const seconds = Math.min(max, Math.round(base * 2 ** (attempt - 1)));
    try {
      await options.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
    } catch (err) {
      // The queue's own visibility timeout still delays the retry.
      logger.warn('could not extend the visibility timeout', { messageId: record.messageId, error: (err as Error).name });
    }
  }

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchItemFailure[] = [];
    const records = event.Records ?? [];
    let next = 0;
    const lane = async () => {
      while (next < records.length) {
        const record = records[next++];
        let outcome: RecordOutcome;
        try {
          outcome = await processRecord(record);
        } catch (err) {
          // DynamoDB or SQS trouble: retry the record later rather than lose it.
          logger.error('record failed', { messageId: record.messageId, error: (err as Error).name, message: (err as Error).message });
          outcome = 'retry';
        }
        if (outcome === 'retry' || outcome === 'poison' || outcome === 'rejected') failures.push({ itemIdentifier: record.messageId });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, lane));
    metrics.flush();
    return { batchItemFailures: failures };
  };
}

/**
 * The worker as the bundled Lambda builds it, from `FAST_LEX_ENV`: `cacheTable` (required), `generationQueueUrl`
 * (optional, enables back-off), `modelId`, `maxTokens`, `generationTimeoutMs`, the guardrail. Endpoints come from
 * the SDK's own `AWS_ENDPOINT_URL_*` variables.
 */
export function generatorWorkerFromEnvironment(env: Environment = process.env, overrides: GeneratorWorkerEnvironmentOverrides = {}): GeneratorWorkerHandler {
  return createGeneratorWorker(generatorWorkerOptionsFromEnvironment(env, overrides));
}

const jsonLogger: WorkerLogger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'INFO', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'WARN', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'ERROR', message, ...fields })),
};
