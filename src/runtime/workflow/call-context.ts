// The call-context table: what the workflow stores for a call and what the Lex fulfillment handler reads during it.
//   CALL#{interactionKey}  scenario, scenarioStatus, leadId, leadExternalId, contactId, taskToken, status, outcome, ttl, createdAt
//   CONTACT#{contactId}    interactionKey, ttl (so a Connect contact event finds its call)
// One partition key `pk` (string); TTL on `ttl`. Task token and outcome are written with UpdateItem returning the new
// item, so whichever of "token stored" and "call ended" lands second resumes the execution: no lost wake-up. The call
// step, the scenario step and the lead step write their own attributes of one item in any order (the call is placed
// while the scenario and the Lead are still being made), so none of them overwrites another's.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CALL_CONTEXT_PARTITION_KEY, CALL_CONTEXT_TTL_ATTRIBUTE, DEFAULT_CALL_CONTEXT_TTL_SECONDS } from '../../shared/call-context-schema';
import { FAST_LEX_ENV } from '../../shared/env';
import { TURN_CLIENT_CONFIG } from '../../shared/fault-tolerance';
import { requiredEnv, type Environment } from '../env';
import type { CallContext, CallOutcome } from './types';

export const callKey = (interactionKey: string): string => `CALL#${interactionKey}`;
export const contactKey = (contactId: string): string => `CONTACT#${contactId}`;

export interface CallContextStoreOptions {
  /** Table name. @default - `process.env.FAST_LEX_CALL_CONTEXT_TABLE` */
  readonly tableName?: string;
  /** @default - a document client over `new DynamoDBClient({})` */
  readonly client?: DynamoDBDocumentClient | DynamoDBClient;
  /** How long items live. @default 86400 */
  readonly ttlSeconds?: number;
  /** Clock (ms since epoch). @default Date.now */
  readonly now?: () => number;
}

/** The stored item, with the internal fields the handlers need. */
export type CallContextItem = CallContext & {
  readonly taskToken?: string;
};

/** Reads and writes call context. Create one per process (module scope) or per test. */
export class CallContextStore {
  readonly tableName: string;
  private readonly doc: DynamoDBDocumentClient;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(options: CallContextStoreOptions = {}) {
    this.tableName = options.tableName ?? requiredEnv(process.env, FAST_LEX_ENV.callContextTable, 'the call-context table name');
    const client = options.client ?? new DynamoDBClient({});
    this.doc = client instanceof DynamoDBDocumentClient
      ? client
      : DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_CALL_CONTEXT_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Opens the call's item as the call is placed: its key, lead external id, TTL and PENDING status. Leaves the scenario
   * and the lead id alone: their steps may have written them first. Idempotent.
   */
  async putCall(input: { interactionKey: string; leadExternalId: string }): Promise<void> {
    await this.update(input.interactionKey, 'SET leadExternalId = :x', { ':x': input.leadExternalId }, { status: true });
  }

  /** Stores the generated scenario (the call may already be ringing). Idempotent. */
  async recordScenario(interactionKey: string, scenario: string): Promise<void> {
    await this.update(interactionKey, 'SET scenario = :s, scenarioStatus = :ready', { ':s': scenario, ':ready': 'READY' });
  }

  /** Notes that no scenario will come (generation failed): the call's turns stop waiting for it. */
  async recordScenarioUnavailable(interactionKey: string): Promise<void> {
    await this.update(interactionKey, 'SET scenarioStatus = if_not_exists(scenarioStatus, :none)', { ':none': 'UNAVAILABLE' });
  }

  /** Stores the Lead's id once CreateLead has it (the contact-event handler updates that Lead). */
  async recordLead(interactionKey: string, leadId: string, leadExternalId: string): Promise<void> {
    await this.update(interactionKey, 'SET leadId = :l, leadExternalId = :x', { ':l': leadId, ':x': leadExternalId });
  }

  /**
   * Stores the scenario and lead in one write (the order before the call was placed first; kept for callers that
   * have both). Idempotent: a retried step writes the same values.
   */
  async putScenario(input: { interactionKey: string; scenario: string; leadId?: string; leadExternalId: string }): Promise<void> {
    await this.update(input.interactionKey, 'SET scenario = :s, scenarioStatus = :ready, leadExternalId = :x' + (input.leadId ? ', leadId = :l' : ''), {
      ':s': input.scenario, ':ready': 'READY', ':x': input.leadExternalId, ...(input.leadId ? { ':l': input.leadId } : {}),
    }, { status: true });
  }

  /** One UpdateItem on the call's item that also sets its key, TTL and creation time the first time. */
  private async update(interactionKey: string, set: string, values: Record<string, unknown>, o: { status?: boolean } = {}): Promise<void> {
    await this.doc.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [CALL_CONTEXT_PARTITION_KEY]: callKey(interactionKey) },
      UpdateExpression: `${set}, interactionKey = :k, #ttl = if_not_exists(#ttl, :ttl), createdAt = if_not_exists(createdAt, :now)`
        + (o.status ? ', #status = if_not_exists(#status, :pending)' : ''),
      ExpressionAttributeNames: { '#ttl': CALL_CONTEXT_TTL_ATTRIBUTE, ...(o.status ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: {
        ...values, ':k': interactionKey, ':ttl': this.expiry(), ':now': new Date(this.now()).toISOString(), ...(o.status ? { ':pending': 'PENDING' } : {}),
      },
    }));
  }

  /** Links the contact to the call (both directions) once Connect returned its id. */
  async recordContact(interactionKey: string, contactId: string): Promise<void> {
    const key = { [CALL_CONTEXT_PARTITION_KEY]: callKey(interactionKey) };
    const linkCall = async () => {
      try {
        await this.doc.send(new UpdateCommand({
          TableName: this.tableName, Key: key,
          UpdateExpression: 'SET contactId = :c, #status = :dialed, interactionKey = :k, #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(outcome)',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': CALL_CONTEXT_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':c': contactId, ':dialed': 'DIALED', ':k': interactionKey, ':ttl': this.expiry() },
        }));
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException) && (err as Error)?.name !== 'ConditionalCheckFailedException') throw err;
        // The call already ended (its event was faster than this write): keep COMPLETED.
        await this.doc.send(new UpdateCommand({
          TableName: this.tableName, Key: key, UpdateExpression: 'SET contactId = :c', ExpressionAttributeValues: { ':c': contactId },
        }));
      }
    };
    await Promise.all([
      linkCall(),
      this.doc.send(new PutCommand({
        TableName: this.tableName,
        Item: { [CALL_CONTEXT_PARTITION_KEY]: contactKey(contactId), interactionKey, [CALL_CONTEXT_TTL_ATTRIBUTE]: this.expiry() },
      })),
    ]);
  }

  /** Stores the task token of the waiting execution; returns the item as it is now (it may already hold an outcome). */
  async recordTaskToken(interactionKey: string, taskToken: string): Promise<CallContextItem> {
    const out = await this.doc.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [CALL_CONTEXT_PARTITION_KEY]: callKey(interactionKey) },
      UpdateExpression: 'SET taskToken = :t, interactionKey = :k, #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#ttl': CALL_CONTEXT_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':t': taskToken, ':k': interactionKey, ':ttl': this.expiry() },
      ReturnValues: 'ALL_NEW',
    }));
    return toItem(out.Attributes);
  }

  /** Stores how the call ended; returns the item as it is now (with the task token, if the execution waits). */
  async recordOutcome(interactionKey: string, outcome: CallOutcome): Promise<CallContextItem> {
    const out = await this.doc.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { [CALL_CONTEXT_PARTITION_KEY]: callKey(interactionKey) },
      UpdateExpression: 'SET outcome = :o, #status = :done, interactionKey = :k, #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#status': 'status', '#ttl': CALL_CONTEXT_TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':o': outcome, ':done': 'COMPLETED', ':k': interactionKey, ':ttl': this.expiry() },
      ReturnValues: 'ALL_NEW',
    }));
    return toItem(out.Attributes);
  }

  /** The interaction key of a contact this workflow placed, or undefined for any other contact. */
  async interactionKeyOfContact(contactId: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({
      TableName: this.tableName,
      Key: { [CALL_CONTEXT_PARTITION_KEY]: contactKey(contactId) },
      ConsistentRead: true,
    }));
    const key = out.Item?.interactionKey;
    return typeof key === 'string' ? key : undefined;
  }

  /** The full item, task token included (for the workflow's own handlers). */
  async getItem(interactionKey: string, call: { readonly abortSignal?: AbortSignal } = {}): Promise<CallContextItem | undefined> {
    const out = await this.doc.send(new GetCommand({
      TableName: this.tableName,
      Key: { [CALL_CONTEXT_PARTITION_KEY]: callKey(interactionKey) },
    }), call);
    if (!out.Item || typeof out.Item.interactionKey !== 'string') return undefined;
    if (typeof out.Item.ttl === 'number' && out.Item.ttl * 1000 < this.now()) return undefined; // TTL deletion lags
    return toItem(out.Item);
  }

  /** The call context for the Lex fulfillment handler: no task token. Undefined when unknown or expired. */
  async get(interactionKey: string, call: { readonly abortSignal?: AbortSignal } = {}): Promise<CallContext | undefined> {
    const item = await this.getItem(interactionKey, call);
    if (!item) return undefined;
    const { taskToken: _token, ...context } = item;
    return context;
  }

  private expiry(): number {
    return Math.floor(this.now() / 1000) + this.ttlSeconds;
  }
}

function toItem(attrs: Record<string, unknown> | undefined): CallContextItem {
  const a = attrs ?? {};
  return {
    interactionKey: String(a.interactionKey ?? ''),
    scenario: typeof a.scenario === 'string' ? a.scenario : '',
    scenarioStatus: a.scenarioStatus === 'READY' || typeof a.scenario === 'string' ? 'READY' : a.scenarioStatus === 'UNAVAILABLE' ? 'UNAVAILABLE' : 'PENDING',
    leadId: typeof a.leadId === 'string' ? a.leadId : undefined,
    leadExternalId: typeof a.leadExternalId === 'string' ? a.leadExternalId : '',
    contactId: typeof a.contactId === 'string' ? a.contactId : undefined,
    status: (a.status as CallContext['status']) ?? 'PENDING',
    outcome: a.outcome as CallOutcome | undefined,
    ttl: typeof a.ttl === 'number' ? a.ttl : 0,
    createdAt: typeof a.createdAt === 'string' ? a.createdAt : '',
    taskToken: typeof a.taskToken === 'string' ? a.taskToken : undefined,
  };
}

/**
 * Reads the call context of a workflow call: what the Lex fulfillment handler calls with the `interactionKey`
 * contact attribute (copied into the Lex session attributes by the contact flow). Resolves to undefined when no
 * context exists (unknown key, or past its TTL).
 */
export async function getCallContext(interactionKey: string, options: { store: CallContextStore; abortSignal?: AbortSignal }): Promise<CallContext | undefined> {
  if (typeof interactionKey !== 'string' || interactionKey === '') return undefined;
  return options.store.get(interactionKey, { abortSignal: options.abortSignal });
}

/**
 * How long a call turn waits for a scenario still being generated, ms, when the reader is not told otherwise: inside
 * the 40 % of the default 2 s turn budget that the fulfillment handler gives the call-context read (800 ms), with room
 * for the reads themselves, so the turn answers without the scenario rather than running out of budget.
 */
export const DEFAULT_SCENARIO_WAIT_MS = 600;

/** Options of `callContextReader`. */
export interface CallContextReaderOptions {
  readonly store?: CallContextStore;
  /**
   * Longest a turn waits for the scenario when the callee speaks before GenerateScenario has written it (the call is
   * placed while the scenario is made); then the turn answers without it. Never past the turn's own budget (its abort
   * signal). @default DEFAULT_SCENARIO_WAIT_MS
   */
  readonly scenarioWaitMs?: number;
  /** Pause between reads while waiting, ms. @default 100 */
  readonly pollMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * What the Lex fulfillment handler may read during a demo call, for `FulfillmentHandlerOptions.callContext`: the
 * scenario the workflow generated and the call's status, never the lead's name or phone number. The table is the
 * one `env` names (`FAST_LEX_ENV.callContextTable`), read now; the store and its client are created on the first read.
 * A scenario still being generated is waited for (bounded: `scenarioWaitMs`); one that failed is not.
 */
export function callContextReader(env: Environment, options: CallContextReaderOptions = {}): (interactionKey: string, call?: { readonly abortSignal?: AbortSignal }) => Promise<Record<string, unknown> | undefined> {
  const tableName = options.store ? undefined : requiredEnv(env, FAST_LEX_ENV.callContextTable, 'the call-context table name');
  let store = options.store;
  const waitMs = options.scenarioWaitMs ?? DEFAULT_SCENARIO_WAIT_MS;
  const pollMs = options.pollMs ?? 100;
  const sleep = options.sleep ?? abortableSleep;
  return async (interactionKey, call = {}) => {
    // The fulfillment handler reads this on the turn path: the turn's client settings (two attempts, quick connect).
    store ??= new CallContextStore({ tableName, client: new DynamoDBClient({ ...TURN_CLIENT_CONFIG }) });
    const deadline = Date.now() + waitMs;
    let context = await getCallContext(interactionKey, { store, abortSignal: call.abortSignal });
    while (context && context.scenarioStatus === 'PENDING' && Date.now() + pollMs <= deadline && !call.abortSignal?.aborted) {
      await sleep(pollMs, call.abortSignal);
      if (call.abortSignal?.aborted) break;
      context = (await getCallContext(interactionKey, { store, abortSignal: call.abortSignal })) ?? context;
    }
    if (!context) return undefined;
    return {
      ...(context.scenarioStatus === 'READY' ? { scenario: context.scenario } : {}),
      scenarioStatus: context.scenarioStatus,
      status: context.status,
    };
  };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
