// Streaming of new answers in the web chat: the proxy's environment and its least-privilege grants on the
// fulfillment's cache table, generation queue, model and guardrail, and the Lex session calls it makes.
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS } from '../../shared/defaults';
import { FAST_LEX_ENV } from '../../shared/env';
import { grantBedrockInvoke } from '../bedrock-access';
import type { CachedLexFulfillment } from '../cached-lex-fulfillment';
import type { RightSizedFunction } from '../right-sized-function';

/** The longest a stream may take: well inside the refresh lease (60 s) the stream holds for the next asker. */
const MAX_STREAM_DEADLINE_SECONDS = 30;

/**
 * How the web chat streams the first answer to a new question.
 */
export interface WebChatStreamingProps {
  /**
   * The fulfillment answering the bot's intents. On a miss of one of its generated (or per-question) intents, its
   * handler writes a generation ticket to its cache table; the proxy streams the answer from the same model (and
   * guardrail), stores it there for the next asker, or hands it to its generation queue when the stream fails.
   */
  readonly fulfillment: CachedLexFulfillment;
  /**
   * Longest a streamed answer may take, from the request to the model to its last word. Past it the visitor reads
   * the static answer with the reason, and the generation goes to the queue. At most 30 seconds.
   * @default Duration.seconds(8)
   */
  readonly deadline?: Duration;
}

/** The deadline in ms; a clear error naming the prop when it is out of range. */
export function streamDeadlineMs(where: string, streaming: WebChatStreamingProps): number {
  const deadline = streaming.deadline ?? Duration.millis(DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS);
  const ms = deadline.toMilliseconds();
  if (!Number.isFinite(ms) || ms < 1000 || ms > MAX_STREAM_DEADLINE_SECONDS * 1000) {
    throw new Error(`${where}: 'streaming.deadline' is ${ms} ms; give 1 to ${MAX_STREAM_DEADLINE_SECONDS} seconds (the stream holds the answer's refresh lease, 60 s).`);
  }
  return ms;
}

/** The proxy's environment for streaming. */
export function streamingEnvironment(streaming: WebChatStreamingProps, deadlineMs: number): Record<string, string> {
  const f = streaming.fulfillment;
  return {
    [FAST_LEX_ENV.webChatStreamCacheTable]: f.cacheTable.table.tableName,
    [FAST_LEX_ENV.webChatStreamQueueUrl]: f.generationQueue.queueUrl,
    [FAST_LEX_ENV.webChatStreamDeadlineMs]: String(deadlineMs),
    [FAST_LEX_ENV.modelId]: f.modelId,
    ...(f.guardrail ? { [FAST_LEX_ENV.guardrailId]: f.guardrail.guardrailId, [FAST_LEX_ENV.guardrailVersion]: f.guardrail.guardrailVersion } : {}),
  };
}

/**
 * What the proxy may do to stream: ConverseStream on the one model, the guardrail, PutItem and DeleteItem on the
 * cache table (take a ticket, write the answer and its question, release the lease; never read or scan it),
 * SendMessage on the generation queue, and GetSession/PutSession on the one bot alias.
 */
export function grantStreaming(fn: RightSizedFunction, streaming: WebChatStreamingProps, aliasArn: string): void {
  const f = streaming.fulfillment;
  grantBedrockInvoke(fn, f.modelId, 'bedrock:InvokeModelWithResponseStream');
  if (f.guardrail) {
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['bedrock:ApplyGuardrail'],
      resources: [Stack.of(fn).formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: f.guardrail.guardrailId })],
    }));
  }
  // On the table alone: these item writes never touch its analytics index.
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [f.cacheTable.table.tableArn] }));
  f.cacheTable.table.encryptionKey?.grantEncryptDecrypt(fn.role);
  f.generationQueue.grantSendMessages(fn.role);
  fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lex:GetSession', 'lex:PutSession'], resources: [aliasArn] }));
}
