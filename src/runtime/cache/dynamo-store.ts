// L2 of the response cache: answers and refresh markers in a DynamoDB table of the ResponseCacheTable schema.
import {
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  ConditionalCheckFailedException,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CACHE_GENERATED_AT_ATTRIBUTE,
  CACHE_INTENT_ATTRIBUTE,
  CACHE_PARTITION_KEY,
  CACHE_SORT_KEY,
  CACHE_TTL_ATTRIBUTE,
} from '../../shared/cache-schema';

/** The answer text. */
export const CACHE_RESPONSE_ATTRIBUTE = 'response';
/**
 * Epoch ms until which the answer is fresh. The `ttl` attribute holds the end of the stale window instead (epoch s),
 * so DynamoDB's TTL sweeper never deletes an answer that may still be served stale.
 */
export const CACHE_FRESH_UNTIL_ATTRIBUTE = 'freshUntil';
/** Epoch ms until which a refresh marker holds its lease. */
export const CACHE_LEASE_UNTIL_ATTRIBUTE = 'leaseUntil';
/**
 * Sort key of a key's refresh marker. Answers use the ISO-8601 generation time as sort key (`2026-…Z`), which
 * sorts in time order and always starts with a digit; `#` sorts before every digit, and the newest-answer query
 * asks for `SK >= '0'`, so the marker never shadows an answer.
 */
export const REFRESH_MARKER_SORT_KEY = '#REFRESH';
/** DynamoDB's item size limit, 400 KB. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

/** A cached answer as both tiers hold it. */
export interface CachedAnswer {
  readonly answer: string;
  readonly intent: string;
  /** Epoch ms when it was generated. */
  readonly generatedAt: number;
  /** Epoch ms until which it is fresh. */
  readonly freshUntil: number;
  /** Epoch ms until which it may be served stale; after that it is never served. */
  readonly staleUntil: number;
}

/** A cached-answer record for an answer generated at `generatedAt`, fresh for `ttlSeconds`, then stale for `staleSeconds`. */
export function answerEntry(intent: string, answer: string, generatedAt: number, ttlSeconds: number, staleSeconds: number): CachedAnswer {
  const freshUntil = generatedAt + ttlSeconds * 1000;
  return { answer, intent, generatedAt, freshUntil, staleUntil: freshUntil + staleSeconds * 1000 };
}

export type PutResult = { readonly stored: true; readonly bytes: number } | { readonly stored: false; readonly reason: 'oversize'; readonly bytes: number };

export interface DynamoResponseStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Epoch-ms clock. @default Date.now */
  readonly clock?: () => number;
  /** Largest item written; bigger answers are not stored. @default 409600 (DynamoDB's limit) */
  readonly maxItemBytes?: number;
}

/** Per-call options: `abortSignal` bounds the call (the turn's budget). */
export interface StoreCallOptions {
  readonly abortSignal?: AbortSignal;
}

/** Reads and writes cached answers; checks expiry on read because TTL deletion lags up to 48 hours. */
export class DynamoResponseStore {
  readonly tableName: string;
  /** The client, shared with the answered-question store and the generation budget of the same table. */
  readonly client: DynamoDBClient;
  private readonly clock: () => number;
  private readonly maxItemBytes: number;

  constructor(options: DynamoResponseStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock ?? Date.now;
    this.maxItemBytes = options.maxItemBytes ?? DYNAMODB_ITEM_LIMIT_BYTES;
  }

  /** The newest answer for a key, or undefined when there is none or it is past its stale window. */
  async newest(key: string, call: StoreCallOptions = {}): Promise<CachedAnswer | undefined> {
    const out = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND #sk >= :lowest',
      ExpressionAttributeNames: { '#pk': CACHE_PARTITION_KEY, '#sk': CACHE_SORT_KEY },
      ExpressionAttributeValues: { ':pk': { S: key }, ':lowest': { S: '0' } },
      ScanIndexForward: false,
      Limit: 1,
    }), call);
    const item = out.Items?.[0];
    if (!item) return undefined;
    const answer = fromItem(item);
    if (!answer || answer.staleUntil <= this.clock()) return undefined;
    return answer;
  }

  /** Writes an answer as a new item (the key keeps its history until TTL removes it); oversize answers are skipped. */
  async put(key: string, answer: CachedAnswer, call: StoreCallOptions = {}): Promise<PutResult> {
    const item: Record<string, AttributeValue> = {
      [CACHE_PARTITION_KEY]: { S: key },
      [CACHE_SORT_KEY]: { S: new Date(answer.generatedAt).toISOString() },
      [CACHE_RESPONSE_ATTRIBUTE]: { S: answer.answer },
      [CACHE_INTENT_ATTRIBUTE]: { S: answer.intent },
      [CACHE_GENERATED_AT_ATTRIBUTE]: { N: String(answer.generatedAt) },
      [CACHE_FRESH_UNTIL_ATTRIBUTE]: { N: String(answer.freshUntil) },
      [CACHE_TTL_ATTRIBUTE]: { N: String(Math.ceil(answer.staleUntil / 1000)) },
    };
    const bytes = itemSize(item);
    if (bytes > this.maxItemBytes) return { stored: false, reason: 'oversize', bytes };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }), call);
    return { stored: true, bytes };
  }

  /**
   * Takes the key's refresh lease with a conditional write: true for exactly one caller across all Lambdas until
   * the lease ends or is released, so concurrent misses and stale serves enqueue one generation, not many.
   */
  async claimRefresh(key: string, leaseMs: number, call: StoreCallOptions = {}): Promise<boolean> {
    const now = this.clock();
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [CACHE_PARTITION_KEY]: { S: key },
          [CACHE_SORT_KEY]: { S: REFRESH_MARKER_SORT_KEY },
          [CACHE_LEASE_UNTIL_ATTRIBUTE]: { N: String(now + leaseMs) },
          [CACHE_TTL_ATTRIBUTE]: { N: String(Math.ceil((now + leaseMs) / 1000)) },
        },
        ConditionExpression: 'attribute_not_exists(#pk) OR #lease < :now',
        ExpressionAttributeNames: { '#pk': CACHE_PARTITION_KEY, '#lease': CACHE_LEASE_UNTIL_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': { N: String(now) } },
      }), call);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** Ends the key's refresh lease (after the answer is written, or when the enqueue failed). */
  async releaseRefresh(key: string, call: StoreCallOptions = {}): Promise<void> {
    await this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { [CACHE_PARTITION_KEY]: { S: key }, [CACHE_SORT_KEY]: { S: REFRESH_MARKER_SORT_KEY } },
    }), call);
  }
}

function fromItem(item: Record<string, AttributeValue>): CachedAnswer | undefined {
  const answer = item[CACHE_RESPONSE_ATTRIBUTE]?.S;
  const generatedAt = Number(item[CACHE_GENERATED_AT_ATTRIBUTE]?.N);
  const ttl = Number(item[CACHE_TTL_ATTRIBUTE]?.N);
  if (answer === undefined || !Number.isFinite(generatedAt) || !Number.isFinite(ttl)) return undefined;
  const staleUntil = ttl * 1000;
  // Items written by other tools may lack freshUntil: then the whole TTL counts as fresh.
  const fresh = Number(item[CACHE_FRESH_UNTIL_ATTRIBUTE]?.N);
  return {
    answer,
    intent: item[CACHE_INTENT_ATTRIBUTE]?.S ?? '',
    generatedAt,
    freshUntil: Number.isFinite(fresh) ? fresh : staleUntil,
    staleUntil,
  };
}

/** DynamoDB's item size: attribute names plus values (UTF-8 strings; numbers counted at their 21-byte maximum). */
function itemSize(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (value.S !== undefined) bytes += Buffer.byteLength(value.S);
    else if (value.N !== undefined) bytes += 21;
  }
  return bytes;
}
