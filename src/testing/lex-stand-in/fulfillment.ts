// Fulfillment as Lex V2 runs it: the fulfillment code hook (unless disabled or inactive) within its timeout, the start
// and update messages played on a streaming conversation while it runs, then the post-fulfillment responses: success
// then the closing response, failure, or timeout.
import type { LexIntent, LexMessage, LexSlot, LexV2Response } from '../../runtime/lex/types';
import type { BotIntent, BotMessageGroup } from './bot-model';
import { LexStandInError } from './errors';
import { groupMessages } from './messages';

/** Where the fulfillment updates go (streaming conversations only). */
export interface ProgressPlayer {
  emit(kind: 'start' | 'update', messages: LexMessage[], atMs: number): void;
}

/** What fulfilling an intent needs from the turn. */
export interface FulfillmentRun {
  readonly def: BotIntent;
  /** The intent as it stands (a Delegate answer may have changed it). */
  intent(): LexIntent;
  /** Whether a code hook is configured for the locale. */
  readonly hasCodeHook: boolean;
  /** The 30 s Lex gives a code hook when fulfillment updates are not active, in ms. */
  readonly codeHookTimeoutMs: number;
  /** How long one second of the bot's update settings lasts, in ms. */
  readonly secondMs: number;
  readonly progress?: ProgressPlayer;
  readonly random: () => number;
  /** Invokes the fulfillment code hook with this timeout. */
  callHook(timeoutMs: number): Promise<LexV2Response>;
  /** Takes in the hook's answer; undefined for Delegate. */
  apply(response: LexV2Response): LexV2Response | undefined;
}

const say = (groups: readonly BotMessageGroup[] | undefined, run: FulfillmentRun) => groupMessages(groups, run.intent().slots ?? {}, { random: run.random });

/** The intent's closing response, unless it is switched off (`intentClosingSetting.isActive`). */
export function closingMessages(def: BotIntent, slots: Readonly<Record<string, LexSlot | null>>, random: () => number): LexMessage[] {
  return def.intentClosingSetting?.isActive === false ? [] : groupMessages(def.intentClosingSetting?.closingResponse?.messageGroupsList, slots, { random });
}

/**
 * Fulfills the intent (intent-fulfillment.html, API_FulfillmentCodeHookSettings, API_runtime_RecognizeText):
 * - the code hook runs only when `enabled` and not `isActive: false`; otherwise Lex closes with the closing response;
 * - with fulfillment updates active, Lex waits `timeoutInSeconds` for it (on every channel) and plays the start and
 *   update messages on streaming conversations; without, it waits 30 s;
 * - a Close without messages plays the success response then the closing response ("In the absence of a condition
 *   or an explicit next step, Amazon Lex V2 moves to the closing response"), or the failure response if Failed;
 * - a hook that throws plays the failure response ("returned if the Lambda function throws an exception"), one past
 *   its timeout the timeout response; without them the turn fails with the error.
 */
export async function fulfill(run: FulfillmentRun): Promise<LexV2Response> {
  const { def } = run;
  const closing = closingMessages(def, run.intent().slots ?? {}, run.random);
  const hook = def.fulfillmentCodeHook;
  const closed = (state: 'Fulfilled' | 'Failed', messages: LexMessage[]): LexV2Response => ({ sessionState: { dialogAction: { type: 'Close' }, intent: { ...run.intent(), state } }, messages });
  if (!hook?.enabled || hook.isActive === false || !run.hasCodeHook) return closed('Fulfilled', closing);

  const post = hook.postFulfillmentStatusSpecification;
  const updates = hook.fulfillmentUpdatesSpecification?.active ? hook.fulfillmentUpdatesSpecification : undefined;
  const timeoutMs = updates?.timeoutInSeconds !== undefined ? updates.timeoutInSeconds * run.secondMs : run.codeHookTimeoutMs;
  let response: LexV2Response;
  try {
    response = await withProgress(updates, run, () => run.callHook(timeoutMs));
  } catch (err) {
    if (err instanceof LexStandInError && err.codeHookFailure === 'timeout' && post?.timeoutResponse) return closed('Failed', say(post.timeoutResponse.messageGroupsList, run));
    if (err instanceof LexStandInError && err.codeHookFailure === 'threw' && post?.failureResponse) return closed('Failed', say(post.failureResponse.messageGroupsList, run));
    throw err;
  }
  const obeyed = run.apply(response);
  const success = () => [...say(post?.successResponse?.messageGroupsList, run), ...closing];
  if (!obeyed) return closed('Fulfilled', success());
  if (obeyed.sessionState.dialogAction.type === 'Close' && (obeyed.messages ?? []).length === 0) {
    obeyed.messages = obeyed.sessionState.intent?.state === 'Failed' ? say(post?.failureResponse?.messageGroupsList, run) : success();
  }
  return obeyed;
}

/**
 * Plays the start message `delayInSeconds` after the hook is invoked and an update every `frequencyInSeconds` from
 * the invocation, each independent of the other (FulfillmentStartResponseSpecification,
 * FulfillmentUpdateResponseSpecification: "If the fulfillment Lambda returns before the first period ends, an update
 * message is not played"), until the hook answers. Nothing plays without a player (RecognizeText).
 */
async function withProgress<T>(spec: NonNullable<BotIntent['fulfillmentCodeHook']>['fulfillmentUpdatesSpecification'], run: FulfillmentRun, work: () => Promise<T>): Promise<T> {
  const player = run.progress;
  if (!player || !spec) return work();
  const started = Date.now();
  const timers: NodeJS.Timeout[] = [];
  if (spec.startResponse) {
    const start = spec.startResponse;
    timers.push(setTimeout(() => player.emit('start', say(start.messageGroups, run), Date.now() - started), start.delayInSeconds * run.secondMs));
  }
  if (spec.updateResponse) {
    const update = spec.updateResponse;
    const tick = () => {
      player.emit('update', say(update.messageGroups, run), Date.now() - started);
      timers.push(setTimeout(tick, update.frequencyInSeconds * run.secondMs));
    };
    timers.push(setTimeout(tick, update.frequencyInSeconds * run.secondMs));
  }
  try {
    return await work();
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}
