// Generation tickets: a miss that a streaming client will generate itself, handed over through the cache table with
// the refresh lease, and what that client does with the result (store it for the next asker, or queue it).
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CACHE_PARTITION_KEY, CACHE_SORT_KEY, CACHE_TTL_ATTRIBUTE } from '../../shared/cache-schema';
import { answerEntry, type DynamoResponseStore, type StoreCallOptions } from './dynamo-store';
import { encodeGenerationRequest, parseGenerationRequest, type GenerationQueue, type GenerationRequest } from './generation-request';
import { QuestionStore } from './question-store';

/** Partition key prefix of a ticket; its sort key is `TICKET`. */
export const TICKET_KEY_PREFIX = 'TICKET#';
const TICKET_SORT_KEY = 'TICKET';
/** The generation request the ticket carries (JSON, `GenerationRequest` version 1). */
const TICKET_REQUEST_ATTRIBUTE = 'request';
/** Epoch ms after which the ticket is void (TTL deletion lags: the reader checks). */
const TICKET_EXPIRES_ATTRIBUTE = 'expiresAt';
/** A ticket id: 128 random bits, hex. */
export const TICKET_ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Tickets in the response cache table. A ticket is the generation request a miss would have queued, written instead
 * for the streaming client that asked for the turn; its id goes back to that client alone. Whoever takes it (once:
 * the read deletes it) holds the key's refresh lease and must store the answer or queue the request.
 */
export class GenerationTickets {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string, private readonly clock: () => number = Date.now) {}

  /** Writes a ticket valid for `ttlMs` (the refresh lease's length: past it another asker may generate). */
  async write(request: GenerationRequest, ttlMs: number, call: StoreCallOptions = {}): Promise<string> {
    const id = randomBytes(16).toString('hex');
    const expiresAt = this.clock() + ttlMs;
    await this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: {
        [CACHE_PARTITION_KEY]: { S: TICKET_KEY_PREFIX + id },
        [CACHE_SORT_KEY]: { S: TICKET_SORT_KEY },
        [TICKET_REQUEST_ATTRIBUTE]: { S: encodeGenerationRequest(request) },
        [TICKET_EXPIRES_ATTRIBUTE]: { N: String(expiresAt) },
        [CACHE_TTL_ATTRIBUTE]: { N: String(Math.ceil(expiresAt / 1000)) },
      },
    }), call);
    return id;
  }

  /**
   * Takes a ticket: deletes it and returns its request, or undefined when there is none (already taken, never
   * written, malformed id) or it has expired. One caller gets it, however many ask.
   */
  async take(id: string, call: StoreCallOptions = {}): Promise<GenerationRequest | undefined> {
    if (!TICKET_ID_PATTERN.test(id)) return undefined;
    try {
      const out = await this.client.send(new DeleteItemCommand({
        TableName: this.tableName,
        Key: { [CACHE_PARTITION_KEY]: { S: TICKET_KEY_PREFIX + id }, [CACHE_SORT_KEY]: { S: TICKET_SORT_KEY } },
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': CACHE_PARTITION_KEY },
        ReturnValues: 'ALL_OLD',
      }), call);
      const item = out.Attributes;
      if (!item || Number(item[TICKET_EXPIRES_ATTRIBUTE]?.N ?? 0) <= this.clock()) return undefined;
      return parseGenerationRequest(item[TICKET_REQUEST_ATTRIBUTE]?.S ?? '');
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw err;
    }
  }
}

/** Where a ticket's generation ends: stored for the next asker, or handed to the generator queue. */
export interface TicketCompletionOptions {
  readonly store: DynamoResponseStore;
  /** @default - a QuestionStore on `store`'s table */
  readonly questions?: QuestionStore;
  /** @default - none: a failed generation releases the lease and the next asker's miss asks again */
  readonly queue?: GenerationQueue;
  /** @default Date.now */
  readonly clock?: () => number;
}

/**
 * What the generator worker does with an answer, done by the ticket's holder: the answer under its key, its question
 * among the intent's answered questions, the lease released. Returns false when the answer is too large to store.
 */
export async function storeTicketAnswer(request: GenerationRequest, text: string, options: TicketCompletionOptions): Promise<boolean> {
  const clock = options.clock ?? Date.now;
  const entry = answerEntry(request.intent, text, clock(), request.ttlSeconds, request.staleSeconds);
  const result = await options.store.put(request.key, entry);
  if (result.stored) await (options.questions ?? new QuestionStore(options.store.client, options.store.tableName)).addAnswered(request, entry.generatedAt);
  await options.store.releaseRefresh(request.key);
  return result.stored;
}

/**
 * A ticket whose stream failed: its request goes to the generator queue (the lease stays held; the worker releases
 * it), so the next asker still gets the answer. Without a queue, or if sending fails, the lease is released instead.
 * Returns whether the request was queued.
 */
export async function queueTicket(request: GenerationRequest, options: TicketCompletionOptions): Promise<boolean> {
  const clock = options.clock ?? Date.now;
  if (options.queue) {
    try {
      await options.queue.enqueue({ ...request, reason: 'sync-failed', requestedAt: clock() }, { abortSignal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      // Falls through: with the lease released, the next miss of the key asks again at once.
    }
  }
  await options.store.releaseRefresh(request.key, { abortSignal: AbortSignal.timeout(2000) });
  return false;
}
