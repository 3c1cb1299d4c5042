// Demo requests whose retries are spent: kept in the call-context table (`SPENT#{leadExternalId}`) where an operator
// can list them and start them again, instead of only in the execution history.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import { CALL_CONTEXT_PARTITION_KEY, CALL_CONTEXT_TTL_ATTRIBUTE } from '../../shared/call-context-schema';
import type { DemoRequest } from './types';

export const spentKey = (leadExternalId: string): string => `SPENT#${leadExternalId}`;

/** How long a spent request is kept, seconds: Step Functions keeps a Standard execution's history 90 days; 14 here. */
export const SPENT_REQUEST_TTL_SECONDS = 14 * 86_400;

/** A request the workflow gave up on. */
export interface SpentRequest {
  readonly leadExternalId: string;
  readonly request: DemoRequest;
  /** The error name that ended the execution (never its message: messages can quote input). */
  readonly error: string;
  /** The failed execution. */
  readonly executionId?: string;
  /** Whether the call was placed before the failure (then re-driving would call the prospect again). */
  readonly callPlaced: boolean;
  /** Whether the Lead was marked failed in Salesforce too. */
  readonly leadMarked: boolean;
  readonly failedAt: string;
  /** Executions started again from it. */
  readonly redrives: number;
}

export interface SpentRequestStoreOptions {
  readonly tableName: string;
  readonly client?: DynamoDBDocumentClient | DynamoDBClient;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Reads and writes spent requests. */
export class SpentRequestStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly now: () => number;

  constructor(private readonly options: SpentRequestStoreOptions) {
    const client = options.client ?? new DynamoDBClient({});
    this.doc = client instanceof DynamoDBDocumentClient ? client : DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.now = options.now ?? Date.now;
  }

  /**
   * Keeps a request (again, if the failure path is retried: the same key, the latest error). Returns true when this
   * failure is new: no entry was kept for the request, or the one kept came from another execution (a re-drive that
   * failed again); false when the same execution's failure step is retried.
   */
  async keep(entry: Omit<SpentRequest, 'failedAt' | 'leadMarked' | 'redrives'>): Promise<boolean> {
    const out = await this.doc.send(new PutCommand({
      ReturnValues: 'ALL_OLD',
      TableName: this.options.tableName,
      Item: {
        [CALL_CONTEXT_PARTITION_KEY]: spentKey(entry.leadExternalId),
        ...entry, leadMarked: false, redrives: 0, failedAt: new Date(this.now()).toISOString(),
        [CALL_CONTEXT_TTL_ATTRIBUTE]: Math.floor(this.now() / 1000) + SPENT_REQUEST_TTL_SECONDS,
      },
    }));
    const old = out.Attributes;
    return !old || entry.executionId === undefined || old.executionId !== entry.executionId;
  }

  /** Notes that the Lead was marked failed too. */
  async markLead(leadExternalId: string): Promise<void> {
    await this.doc.send(new UpdateCommand({
      TableName: this.options.tableName, Key: { [CALL_CONTEXT_PARTITION_KEY]: spentKey(leadExternalId) },
      UpdateExpression: 'SET leadMarked = :t', ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': CALL_CONTEXT_PARTITION_KEY }, ExpressionAttributeValues: { ':t': true },
    }));
  }

  async get(leadExternalId: string): Promise<SpentRequest | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.options.tableName, Key: { [CALL_CONTEXT_PARTITION_KEY]: spentKey(leadExternalId) }, ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /** Every kept request (a Scan of the call-context table: an operator's tool, not a hot path). */
  async list(): Promise<SpentRequest[]> {
    const out: SpentRequest[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({
        TableName: this.options.tableName, FilterExpression: 'begins_with(#pk, :spent)',
        ExpressionAttributeNames: { '#pk': CALL_CONTEXT_PARTITION_KEY }, ExpressionAttributeValues: { ':spent': 'SPENT#' }, ExclusiveStartKey: start,
      }));
      out.push(...(page.Items ?? []).map(fromItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Starts the request again as a new execution with the same request id, so CreateLead upserts the same Lead. A
   * request whose call was placed is not re-driven unless `evenIfCalled`. The execution name is derived from the key
   * and the re-drive count: two operators re-driving at once start one execution.
   */
  async redrive(leadExternalId: string, o: { sfn: SFNClient; stateMachineArn: string; evenIfCalled?: boolean }): Promise<{ executionArn?: string; refused?: string }> {
    const spent = await this.get(leadExternalId);
    if (!spent) return { refused: 'no such spent request' };
    if (spent.callPlaced && !o.evenIfCalled) return { refused: 'its call was placed; pass evenIfCalled to call again' };
    const name = `redrive-${createHash('sha256').update(`${leadExternalId}\u0000${spent.redrives}`).digest('hex').slice(0, 40)}`;
    const out = await o.sfn.send(new StartExecutionCommand({
      stateMachineArn: o.stateMachineArn, name, input: JSON.stringify({ ...spent.request, requestId: leadExternalId }),
    }));
    await this.doc.send(new UpdateCommand({
      TableName: this.options.tableName, Key: { [CALL_CONTEXT_PARTITION_KEY]: spentKey(leadExternalId) },
      UpdateExpression: 'SET redrives = redrives + :one', ConditionExpression: 'redrives = :seen',
      ExpressionAttributeValues: { ':one': 1, ':seen': spent.redrives },
    })).catch(() => undefined); // another re-drive counted it: the execution name already made it one start
    return { executionArn: out.executionArn };
  }
}

function fromItem(item: Record<string, unknown>): SpentRequest {
  return {
    leadExternalId: String(item.leadExternalId ?? ''),
    request: item.request as DemoRequest,
    error: String(item.error ?? 'unknown'),
    executionId: typeof item.executionId === 'string' ? item.executionId : undefined,
    callPlaced: item.callPlaced === true,
    leadMarked: item.leadMarked === true,
    failedAt: String(item.failedAt ?? ''),
    redrives: Number(item.redrives ?? 0),
  };
}
