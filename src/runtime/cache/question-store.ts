// The answered questions of per-question intents in the response cache table: written after each answer, read into memory.
import { PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { CACHE_PARTITION_KEY, CACHE_SORT_KEY, CACHE_TTL_ATTRIBUTE } from '../../shared/cache-schema';
import type { StoreCallOptions } from './dynamo-store';
import type { GenerationRequest } from './generation-request';

/** The question as the visitor asked it (only questions that may be shared are kept: see `questionShareability`). */
export const QUESTION_TEXT_ATTRIBUTE = 'question';
/** The cache key of the question's answer (`RESPONSE#…`). */
export const QUESTION_ANSWER_KEY_ATTRIBUTE = 'answerKey';
/** Epoch ms the question was answered. Not `generatedAt`, so index items stay out of the answers' intent index. */
export const QUESTION_ANSWERED_AT_ATTRIBUTE = 'answeredAt';
/** The question's embedding (float32, little endian), when the intent has an embedding stage. */
export const QUESTION_EMBEDDING_ATTRIBUTE = 'embedding';

/** One answered question as the table keeps it. */
export interface StoredQuestion {
  readonly question: string;
  /** The answer's cache key. */
  readonly key: string;
  /** Epoch ms. */
  readonly answeredAt: number;
  readonly embedding?: Float32Array;
  /** The item's sort key: the newest one read is where the next incremental read starts. */
  readonly sortKey: string;
}

/** An embedding as a generation request carries it: its float32 bytes in base64. */
export function encodeEmbedding(embedding: Float32Array): string {
  return Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength).toString('base64');
}

/** The embedding `encodeEmbedding` wrote (copied into an aligned buffer). */
export function decodeEmbedding(base64: string): Float32Array {
  return new Float32Array(new Uint8Array(Buffer.from(base64, 'base64')).buffer);
}

/** Reads and writes the answered questions of a per-question intent (partition `QUESTIONS#{intent}#{context hash}`). */
export class QuestionStore {
  constructor(private readonly client: DynamoDBClient, readonly tableName: string) {}

  /** Keeps an answered question until `expiresAt` (epoch ms); DynamoDB's TTL removes it after that. */
  async add(partition: string, question: { readonly question: string; readonly key: string; readonly answeredAt: number; readonly embedding?: Float32Array }, expiresAt: number, call: StoreCallOptions = {}): Promise<void> {
    const item: Record<string, AttributeValue> = {
      [CACHE_PARTITION_KEY]: { S: partition },
      // Time first, so the newest questions sort last and an incremental read asks for what came after the last one.
      [CACHE_SORT_KEY]: { S: `${new Date(question.answeredAt).toISOString()}#${question.key.slice(-12)}` },
      [QUESTION_TEXT_ATTRIBUTE]: { S: question.question },
      [QUESTION_ANSWER_KEY_ATTRIBUTE]: { S: question.key },
      [QUESTION_ANSWERED_AT_ATTRIBUTE]: { N: String(question.answeredAt) },
      [CACHE_TTL_ATTRIBUTE]: { N: String(Math.ceil(expiresAt / 1000)) },
    };
    if (question.embedding) {
      item[QUESTION_EMBEDDING_ATTRIBUTE] = { B: new Uint8Array(question.embedding.buffer, question.embedding.byteOffset, question.embedding.byteLength) };
    }
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }), call);
  }

  /**
   * Keeps the question a generation request answered, once its answer is stored (by the generator worker, or by the
   * streaming client that held the request's ticket). The same answer gives the same item, so a retry writes it again.
   */
  async addAnswered(request: GenerationRequest, answeredAt: number, call: StoreCallOptions = {}): Promise<void> {
    const q = request.question;
    if (!q) return;
    const embedding = q.embedding === undefined ? undefined : decodeEmbedding(q.embedding);
    await this.add(q.partition, { question: q.text, key: request.key, answeredAt, embedding }, q.expiresAt, call);
  }

  /**
   * The partition's questions answered after `afterSortKey` (all of them without it), newest first, at most `limit`,
   * skipping those past their TTL (DynamoDB deletes them up to 48 hours late).
   */
  async read(partition: string, options: { readonly afterSortKey?: string; readonly limit: number; readonly now: number } & StoreCallOptions): Promise<StoredQuestion[]> {
    const out: StoredQuestion[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: options.afterSortKey ? '#pk = :pk AND #sk > :after' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': CACHE_PARTITION_KEY, ...(options.afterSortKey ? { '#sk': CACHE_SORT_KEY } : {}) },
        ExpressionAttributeValues: { ':pk': { S: partition }, ...(options.afterSortKey ? { ':after': { S: options.afterSortKey } } : {}) },
        ScanIndexForward: false,
        Limit: Math.min(options.limit - out.length, 1000),
        ExclusiveStartKey: start,
      }), { abortSignal: options.abortSignal });
      for (const item of page.Items ?? []) {
        const stored = fromItem(item);
        if (stored && Number(item[CACHE_TTL_ATTRIBUTE]?.N) * 1000 > options.now) out.push(stored);
      }
      start = page.LastEvaluatedKey;
    } while (start && out.length < options.limit);
    return out;
  }
}

function fromItem(item: Record<string, AttributeValue>): StoredQuestion | undefined {
  const question = item[QUESTION_TEXT_ATTRIBUTE]?.S;
  const key = item[QUESTION_ANSWER_KEY_ATTRIBUTE]?.S;
  const answeredAt = Number(item[QUESTION_ANSWERED_AT_ATTRIBUTE]?.N);
  const sortKey = item[CACHE_SORT_KEY]?.S;
  if (question === undefined || key === undefined || sortKey === undefined || !Number.isFinite(answeredAt)) return undefined;
  const bytes = item[QUESTION_EMBEDDING_ATTRIBUTE]?.B;
  // Copied into an aligned buffer: the SDK's byte array may start at any offset of a shared one.
  const embedding = bytes && bytes.byteLength % 4 === 0 ? new Float32Array(new Uint8Array(bytes).buffer) : undefined;
  return { question, key, answeredAt, embedding, sortKey };
}
