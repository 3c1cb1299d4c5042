// Paces outbound calls to the account's StartOutboundVoiceContact rate across every Lambda: a shared GCRA token
// bucket (generic cell rate algorithm) in one DynamoDB item, taken with atomic conditional updates that never conflict
// with each other, so a burst of requests gets its calls later rather than TooManyRequestsException and never.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CALL_CONTEXT_PARTITION_KEY, CALL_CONTEXT_TTL_ATTRIBUTE } from '../../shared/call-context-schema';

/** The pacing item's key in the call-context table. */
export const CALL_PACING_KEY = 'PACING#StartOutboundVoiceContact';

export interface CallPacerOptions {
  readonly tableName: string;
  readonly client?: DynamoDBDocumentClient | DynamoDBClient;
  /** Calls per second the account may place (Connect's default quota: 2). */
  readonly perSecond: number;
  /** Calls that may go at once after a quiet spell (Connect's default burst: 5). */
  readonly burst: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A slot for one call: dial at `at` (epoch ms); `waitMs` from now. */
export interface CallSlot {
  readonly at: number;
  readonly waitMs: number;
}

/**
 * Hands out dial times at `perSecond` with a burst of `burst`. The item holds the theoretical arrival time (`tat`);
 * a call may go at `tat - (burst - 1) * interval`, and each reservation moves `tat` on by one interval. While there is
 * a backlog every reservation is the same atomic `SET tat = tat + interval` (no conflicts however many Lambdas ask);
 * after a quiet spell one conditional write restarts it one interval ahead of now.
 */
export class CallPacer {
  private readonly doc: DynamoDBDocumentClient;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CallPacerOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) throw new RangeError('CallPacer: perSecond must be > 0 and burst >= 1');
    const client = options.client ?? new DynamoDBClient({});
    this.doc = client instanceof DynamoDBDocumentClient ? client : DynamoDBDocumentClient.from(client);
    this.intervalMs = 1000 / options.perSecond;
    this.toleranceMs = (options.burst - 1) * this.intervalMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reserves the next slot: one conditional write when the bucket is as this process last saw it (idle or backlogged),
   * two when it changed. Idle is tried first by default: a quiet bucket is the common case, and its one round trip
   * is on the critical path of every call (a backlogged call waits for its slot anyway).
   */
  async reserve(): Promise<CallSlot> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const first = this.backlogged ? this.takeFromBacklog() : this.restartIdle();
      const slot = (await first) ?? (await (this.backlogged ? this.restartIdle() : this.takeFromBacklog()));
      if (slot) return slot;
    }
    throw new Error('CallPacer: the pacing item changed under every attempt');
  }

  /** Whether the last reservation of this process found a backlog. */
  private backlogged = false;

  /** A backlog (the bucket's clock is at or past now): take the next interval atomically; undefined when idle. */
  private async takeFromBacklog(): Promise<CallSlot | undefined> {
    const now = this.now();
    try {
      const out = await this.doc.send(new UpdateCommand({
        TableName: this.options.tableName,
        Key: { [CALL_CONTEXT_PARTITION_KEY]: CALL_PACING_KEY },
        UpdateExpression: 'SET tat = tat + :interval',
        ConditionExpression: 'tat >= :now',
        ExpressionAttributeValues: { ':interval': this.intervalMs, ':now': now },
        ReturnValues: 'UPDATED_NEW',
      }));
      const previous = Number(out.Attributes?.tat) - this.intervalMs;
      // Dial when the burst tolerance allows it.
      const at = Math.max(now, previous - this.toleranceMs);
      this.backlogged = true;
      return { at, waitMs: Math.max(0, at - now) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return undefined;
    }
  }

  /** No backlog (or the first call ever): dial now, and the bucket's clock restarts one interval ahead of now. */
  private async restartIdle(): Promise<CallSlot | undefined> {
    const now = this.now();
    try {
      await this.doc.send(new UpdateCommand({
        TableName: this.options.tableName,
        Key: { [CALL_CONTEXT_PARTITION_KEY]: CALL_PACING_KEY },
        UpdateExpression: 'SET tat = :next, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
        ExpressionAttributeNames: { '#ttl': CALL_CONTEXT_TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':next': now + this.intervalMs, ':now': now, ':ttl': Math.floor(now / 1000) + 86_400 },
      }));
      this.backlogged = false;
      return { at: now, waitMs: 0 };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return undefined;
    }
  }

  /** Gives a reserved slot back (the caller will not use it): the next reservation comes one interval sooner. */
  async release(): Promise<void> {
    await this.doc.send(new UpdateCommand({
      TableName: this.options.tableName,
      Key: { [CALL_CONTEXT_PARTITION_KEY]: CALL_PACING_KEY },
      UpdateExpression: 'SET tat = tat - :interval',
      ConditionExpression: 'attribute_exists(tat)',
      ExpressionAttributeValues: { ':interval': this.intervalMs },
    })).catch((err) => { if (!isConditionFailure(err)) throw err; });
  }
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as Error)?.name === 'ConditionalCheckFailedException';
}
