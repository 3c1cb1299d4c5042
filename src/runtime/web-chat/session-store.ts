// The web chat's state in one DynamoDB table: issued sessions with their rate window, and idempotent answers.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { WEB_CHAT_TABLE_SCHEMA } from '../../shared/web-chat';

const PK = WEB_CHAT_TABLE_SCHEMA.partitionKey;
const TTL = WEB_CHAT_TABLE_SCHEMA.ttlAttribute;
/** How long a stored answer can be replayed to a retry. */
const ANSWER_TTL_SECONDS = 60 * 60;
/** How long a claim without an answer blocks a retry: longer than the proxy's timeout, so a crash frees it. */
const CLAIM_LEASE_MS = 30_000;

export interface WebChatSessionStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Messages per window. */
  readonly rateLimit: number;
  readonly rateWindowSeconds: number;
  readonly sessionTtlSeconds: number;
  /** Epoch-ms clock. @default Date.now */
  readonly clock?: () => number;
}

/** What counting a message against its session found. */
export type RateDecision = 'allowed' | 'limited' | 'unknown-session';

/** What claiming a message id found: a fresh claim, a stored answer to replay, or a turn still running. */
export type Claim = { readonly kind: 'claimed' } | { readonly kind: 'answered'; readonly answer: string } | { readonly kind: 'in-progress' };

/**
 * Keys are derived Lex session ids, never the visitor's session id, so the table (like Lex's logs) holds nothing
 * that would let a reader act as the visitor.
 */
export class WebChatSessionStore {
  private readonly clock: () => number;

  constructor(private readonly options: WebChatSessionStoreOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Records a newly issued session. */
  async createSession(lexSessionId: string): Promise<void> {
    const now = this.clock();
    await this.options.client.send(new PutItemCommand({
      TableName: this.options.tableName,
      Item: {
        [PK]: { S: sessionKey(lexSessionId) },
        [TTL]: { N: String(Math.floor(now / 1000) + this.options.sessionTtlSeconds) },
        expiresAt: { N: String(now + this.options.sessionTtlSeconds * 1000) },
        window: { N: String(Math.floor(now / 1000 / this.options.rateWindowSeconds)) },
        count: { N: '0' },
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    }));
  }

  /**
   * Counts one message in the session's fixed rate window. One conditional update in the common case; a second
   * when the window has moved on. Expiry is checked here because DynamoDB's TTL deletion lags.
   */
  async countMessage(lexSessionId: string): Promise<RateDecision> {
    const now = this.clock();
    const window = Math.floor(now / 1000 / this.options.rateWindowSeconds);
    const key = { [PK]: { S: sessionKey(lexSessionId) } };
    try {
      await this.options.client.send(new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: key,
        UpdateExpression: 'ADD #count :one',
        ConditionExpression: 'attribute_exists(#pk) AND expiresAt > :now AND #window = :window AND #count < :limit',
        ExpressionAttributeNames: { '#pk': PK, '#count': 'count', '#window': 'window' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(now) }, ':window': { N: String(window) }, ':limit': { N: String(this.options.rateLimit) } },
        // DynamoDB returns the item with the failure; local stand-ins that do not are read once more (see read()).
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return 'allowed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = err.Item ?? await this.read(sessionKey(lexSessionId));
      if (!old || Number(old.expiresAt?.N ?? 0) <= now) return 'unknown-session';
      if (Number(old.window?.N ?? -1) === window) return 'limited';
    }
    // A new window: start its count at 1, unless a concurrent request already did.
    try {
      await this.options.client.send(new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: key,
        UpdateExpression: 'SET #window = :window, #count = :one',
        ConditionExpression: 'attribute_exists(#pk) AND #window < :window',
        ExpressionAttributeNames: { '#pk': PK, '#count': 'count', '#window': 'window' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':window': { N: String(window) } },
      }));
      return 'allowed';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return this.countMessage(lexSessionId);
    }
  }

  /** Claims a message id for one turn; a second request with the same id gets the stored answer or waits. */
  async claimMessage(lexSessionId: string, messageId: string): Promise<Claim> {
    const now = this.clock();
    try {
      await this.options.client.send(new PutItemCommand({
        TableName: this.options.tableName,
        Item: {
          [PK]: { S: messageKey(lexSessionId, messageId) },
          [TTL]: { N: String(Math.floor(now / 1000) + ANSWER_TTL_SECONDS) },
          leaseUntil: { N: String(now + CLAIM_LEASE_MS) },
        },
        // A claim whose lease ran out without an answer belongs to a turn that died: it may be taken over.
        ConditionExpression: 'attribute_not_exists(#pk) OR (attribute_not_exists(answer) AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':now': { N: String(now) } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return { kind: 'claimed' };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const item = err.Item ?? await this.read(messageKey(lexSessionId, messageId));
      const answer = item?.answer?.S;
      return answer === undefined ? { kind: 'in-progress' } : { kind: 'answered', answer };
    }
  }

  /** Stores the answer a retry of this message id will get. */
  async completeMessage(lexSessionId: string, messageId: string, answer: string): Promise<void> {
    await this.options.client.send(new UpdateItemCommand({
      TableName: this.options.tableName,
      Key: { [PK]: { S: messageKey(lexSessionId, messageId) } },
      UpdateExpression: 'SET answer = :answer',
      ExpressionAttributeValues: { ':answer': { S: answer } },
    }));
  }

  /** Frees a claim whose turn failed, so the visitor's retry is sent to Lex. */
  async releaseMessage(lexSessionId: string, messageId: string): Promise<void> {
    await this.options.client.send(new DeleteItemCommand({
      TableName: this.options.tableName,
      Key: { [PK]: { S: messageKey(lexSessionId, messageId) } },
      ConditionExpression: 'attribute_not_exists(answer)',
    })).catch((err: unknown) => {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    });
  }

  /** A consistent read, for a condition failure that came without the item. */
  private async read(pk: string): Promise<Record<string, AttributeValue> | undefined> {
    const out = await this.options.client.send(new GetItemCommand({ TableName: this.options.tableName, Key: { [PK]: { S: pk } }, ConsistentRead: true }));
    return out.Item;
  }
}

function sessionKey(lexSessionId: string): string {
  return `SESSION#${lexSessionId}`;
}

function messageKey(lexSessionId: string, messageId: string): string {
  return `MESSAGE#${lexSessionId}#${messageId}`;
}
