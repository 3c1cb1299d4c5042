// Bounds on new-question generations, per conversation and for the whole bot, kept as counters in the cache table.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CACHE_PARTITION_KEY, CACHE_SORT_KEY, CACHE_TTL_ATTRIBUTE } from '../../shared/cache-schema';
import { DEFAULT_GENERATIONS_PER_MINUTE, DEFAULT_GENERATIONS_PER_SESSION, GENERATION_SESSION_WINDOW_SECONDS } from '../../shared/defaults';
import type { StoreCallOptions } from './dynamo-store';

/** The counter attribute of a budget item. */
export const BUDGET_COUNT_ATTRIBUTE = 'generations';

/** The bounds. */
export interface GenerationLimits {
  /** New-question generations one conversation (Lex session id) may cause. @default DEFAULT_GENERATIONS_PER_SESSION */
  readonly perSession?: number;
  /** New-question generations the whole bot may cause per minute. @default DEFAULT_GENERATIONS_PER_MINUTE */
  readonly perMinute?: number;
}

/** A generation the bounds allow, or which bound refused it. */
export type BudgetVerdict = { readonly allowed: true } | { readonly allowed: false; readonly bound: 'session' | 'minute' };

/**
 * Counts new-question generations with conditional writes (one per bound), so the bounds hold across
 * every Lambda instance: a flood of unique questions, from one visitor or many, gets static answers past them instead
 * of one model call each. Only a generation is counted; hits, near hits and intent-level answers never are.
 */
export class GenerationBudget {
  readonly perSession: number;
  readonly perMinute: number;
  private readonly clock: () => number;

  constructor(private readonly client: DynamoDBClient, readonly tableName: string, limits: GenerationLimits = {}, clock: () => number = Date.now) {
    this.perSession = limits.perSession ?? DEFAULT_GENERATIONS_PER_SESSION;
    this.perMinute = limits.perMinute ?? DEFAULT_GENERATIONS_PER_MINUTE;
    this.clock = clock;
  }

  /**
   * Takes one generation from both bounds, or says which refused it. A session already past its bound does not use up
   * the bot's minute. The session id is hashed: no conversation id is written to the table.
   */
  async take(sessionId: string | undefined, call: StoreCallOptions = {}): Promise<BudgetVerdict> {
    const now = this.clock();
    const session = sessionId === undefined ? undefined : `BUDGET#session#${createHash('sha256').update(sessionId).digest('hex').slice(0, 32)}`;
    // The session first: a conversation past its bound must not use up the bot's minute for everybody else.
    if (session && !(await this.increment(session, 'session', this.perSession, now + GENERATION_SESSION_WINDOW_SECONDS * 1000, call))) {
      return { allowed: false, bound: 'session' };
    }
    const minute = Math.floor(now / 60_000);
    if (await this.increment('BUDGET#minute', String(minute), this.perMinute, (minute + 2) * 60_000, call)) return { allowed: true };
    // Nothing was generated for the session: give its count back (best effort; a lost decrement only errs on the safe side).
    if (session) await this.giveBack(session, call).catch(() => undefined);
    return { allowed: false, bound: 'minute' };
  }

  private async giveBack(partition: string, call: StoreCallOptions): Promise<void> {
    await this.client.send(new UpdateItemCommand({
      TableName: this.tableName,
      Key: { [CACHE_PARTITION_KEY]: { S: partition }, [CACHE_SORT_KEY]: { S: 'session' } },
      UpdateExpression: 'ADD #count :minusOne',
      ConditionExpression: '#count > :zero',
      ExpressionAttributeNames: { '#count': BUDGET_COUNT_ATTRIBUTE },
      ExpressionAttributeValues: { ':minusOne': { N: '-1' }, ':zero': { N: '0' } },
    }), call);
  }

  private async increment(partition: string, sortKey: string, limit: number, expiresAt: number, call: StoreCallOptions): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: { [CACHE_PARTITION_KEY]: { S: partition }, [CACHE_SORT_KEY]: { S: sortKey } },
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': BUDGET_COUNT_ATTRIBUTE, '#ttl': CACHE_TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(limit) }, ':ttl': { N: String(Math.ceil(expiresAt / 1000)) } },
      }), call);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
