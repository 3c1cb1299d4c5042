// One turn of Lex V2 dialog management: the input read as a slot value, a confirmation or a new intent; the dialog
// code hook where enabled; then Lex's own next step (elicit the next slot in priority order, confirm, fulfill,
// close) unless a code hook answered otherwise. Works on a copy of the session: a failed turn changes nothing.
import type { LexIntent, LexMessage, LexSlot, LexV2Response } from '../../runtime/lex-types';
import { fallbackIntent, slotsInPriorityOrder, type BotCodeHook, type BotIntent, type BotLocale } from './bot-model';
import { classify } from './classifier';
import { codeHookEvent, invokeCodeHook, type CodeHookEventInput, type EventBot, type EventInterpretation } from './code-hook';
import { ageContexts, contextsAllow, stampContexts, withOutputContexts, type ContextClock } from './contexts';
import { LexStandInError } from './errors';
import { groupMessages } from './messages';
import { resolveSlotValue, type ResolvedSlotValue } from './slot-values';

/** A session as the stand-in keeps it between turns. */
export interface LexSession {
  readonly sessionId: string;
  sessionAttributes: Record<string, string>;
  activeContexts: unknown[];
  /** When each active context was set, for its time to live. */
  contextSetAt: ContextClock;
  intent?: LexIntent;
  dialogAction?: { type: string; slotToElicit?: string };
  messages: LexMessage[];
  interpretations: EventInterpretation[];
  requestAttributes: Record<string, string>;
  originatingRequestId?: string;
  /** Failed attempts at the current prompt (slot or confirmation). */
  attempts: number;
  lastActivityAt: number;
}

/** One user input. */
export interface TurnInput {
  readonly text: string;
  readonly inputMode: 'Text' | 'Speech' | 'DTMF';
  readonly requestAttributes: Record<string, string>;
  readonly transcriptions?: ReadonlyArray<{ transcription: string; transcriptionConfidence: number }>;
  readonly requestId: string;
  /** The turn's time (ms since epoch), for the active contexts' time to live. */
  readonly now: number;
  /** Plays fulfillment start/update messages while the fulfillment code hook runs (streaming conversations). */
  readonly progress?: ProgressPlayer;
}

/** Where the fulfillment updates go, and how long a "second" of the bot's settings lasts. */
export interface ProgressPlayer {
  readonly secondMs: number;
  emit(kind: 'start' | 'update', messages: LexMessage[], atMs: number): void;
}

/** One code hook call of a turn. */
export interface CodeHookCall {
  readonly invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook';
  readonly event: unknown;
  readonly response?: unknown;
  readonly error?: { readonly type: string; readonly message: string };
  /** How long the function took to answer (or to fail), in ms. */
  readonly durationMs: number;
}

/** What a turn needs of the bot. */
export interface DialogContext {
  readonly locale: BotLocale;
  readonly bot: EventBot;
  readonly codeHook?: BotCodeHook;
  readonly codeHookTimeoutMs: number;
  readonly calls: CodeHookCall[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const scalar = (v: ResolvedSlotValue): LexSlot => ({ shape: 'Scalar', value: { ...v, resolvedValues: [...v.resolvedValues] } });

function newIntent(def: BotIntent, captured: Record<string, ResolvedSlotValue> = {}): LexIntent {
  const slots: Record<string, LexSlot | null> = {};
  for (const s of def.slots ?? []) slots[s.name] = captured[s.name] ? scalar(captured[s.name]) : null;
  return { name: def.name, slots, state: 'InProgress', confirmationState: 'None' };
}

/** Runs one turn on `session` (mutated: pass a copy) and answers what RecognizeText returns. */
export async function runTurn(session: LexSession, input: TurnInput, ctx: DialogContext): Promise<LexV2Response & { interpretations: EventInterpretation[] }> {
  const { locale } = ctx;
  const defOf = (name: string | undefined) => locale.intents?.find((i) => i.name === name);
  let interpretations: EventInterpretation[];
  const awaiting = session.dialogAction?.type;
  const current = session.intent && defOf(session.intent.name);
  let retry: 'slot' | 'confirmation' | undefined;
  let initialResponse: LexMessage[] = [];
  session.activeContexts = ageContexts(session.activeContexts, session.contextSetAt, input.now);

  if (awaiting === 'ElicitSlot' && current && session.intent && session.dialogAction?.slotToElicit) {
    const slot = current.slots?.find((s) => s.name === session.dialogAction!.slotToElicit);
    const resolved = slot && resolveSlotValue(input.text, slot.slotTypeName, { slotTypes: locale.slotTypes, localeId: locale.localeId });
    if (resolved) { session.intent.slots = { ...session.intent.slots, [slot.name]: scalar(resolved) }; session.attempts = 0; } else retry = 'slot';
    interpretations = [{ intent: session.intent, nluConfidence: 1 }, { intent: newIntent(fallbackIntent(locale)) }];
  } else if (awaiting === 'ConfirmIntent' && current && session.intent) {
    const answer = resolveSlotValue(input.text, 'AMAZON.Confirmation')?.interpretedValue;
    if (answer === 'Yes' || answer === 'No') { session.intent.confirmationState = answer === 'Yes' ? 'Confirmed' : 'Denied'; session.attempts = 0; } else retry = 'confirmation';
    interpretations = [{ intent: session.intent, nluConfidence: 1 }, { intent: newIntent(fallbackIntent(locale)) }];
  } else {
    const active = session.activeContexts as Parameters<typeof contextsAllow>[1];
    const c = classify(input.text, locale, (intent) => contextsAllow(intent, active));
    session.intent = newIntent(c.top.intent, c.top.slots);
    // An intent's initial response plays when it is recognized, before whatever Lex says next.
    initialResponse = groupMessages(c.top.intent.initialResponseSetting?.initialResponse?.messageGroupsList, session.intent.slots ?? {});
    session.attempts = 0;
    interpretations = c.candidates.map((s) => ({ intent: s.intent.name === c.top.intent.name ? session.intent! : newIntent(s.intent, s.slots), nluConfidence: s.nluConfidence }));
  }

  if (retry) {
    session.attempts++;
    const def = current!;
    const prompt = retry === 'slot'
      ? def.slots?.find((s) => s.name === session.dialogAction!.slotToElicit)?.valueElicitationSetting.promptSpecification
      : def.intentConfirmationSetting?.promptSpecification;
    if (session.attempts > (prompt?.maxRetries ?? 0)) {
      // Lex hands a conversation it cannot move on to the fallback intent once the retries are spent.
      session.intent = newIntent(fallbackIntent(locale));
      session.attempts = 0;
      return finish(await nextStep(session, input, ctx, interpretations), interpretations);
    }
    return finish({
      sessionState: { dialogAction: clone(session.dialogAction!) as never, intent: session.intent },
      messages: groupMessages(prompt?.messageGroupsList, session.intent!.slots ?? {}),
    }, interpretations);
  }

  const def = defOf(session.intent!.name) ?? fallbackIntent(locale);
  if (def.dialogCodeHook?.enabled && ctx.codeHook) {
    const proposed = proposeNext(session.intent!, def);
    const response = await callHook(ctx, 'DialogCodeHook', session, input, interpretations, proposed);
    const obeyed = applyHookAnswer(session, response, input.now);
    if (obeyed) return finish(withBotPrompts(obeyed, locale), interpretations);
  }
  return finish(await nextStep(session, input, ctx, interpretations), interpretations);

  function finish(response: LexV2Response, interps: EventInterpretation[]) {
    if (initialResponse.length > 0) response = { ...response, messages: [...initialResponse, ...(response.messages ?? [])] };
    const closedDef = response.sessionState.dialogAction.type === 'Close' && response.sessionState.intent?.state === 'Fulfilled' ? defOf(response.sessionState.intent.name) : undefined;
    if (closedDef) session.activeContexts = withOutputContexts(session.activeContexts as never, closedDef, session.contextSetAt, input.now);
    session.dialogAction = clone(response.sessionState.dialogAction);
    session.intent = response.sessionState.intent ? clone(response.sessionState.intent) : undefined;
    session.messages = response.messages ?? [];
    // The interpretation of the intent the turn ended in shows it as it ended (slots, state, confirmation).
    const final = session.intent;
    interps = interps.map((i) => (final && i.intent.name === final.name ? { ...i, intent: clone(final) } : { ...i, intent: clone(i.intent) }));
    session.interpretations = interps;
    session.originatingRequestId = input.requestId;
    const out = {
      ...response,
      sessionState: {
        ...response.sessionState,
        sessionAttributes: { ...session.sessionAttributes },
        activeContexts: clone(session.activeContexts),
        originatingRequestId: input.requestId,
      },
      interpretations: interps,
    };
    return out;
  }
}

/** What Lex would do next with this intent: the proposed next state a dialog code hook is shown. */
function proposeNext(intent: LexIntent, def: BotIntent): CodeHookEventInput['proposedNextState'] {
  const missing = slotsInPriorityOrder(def).find((s) => s.valueElicitationSetting.slotConstraint === 'Required' && !intent.slots?.[s.name]);
  if (missing) return { dialogAction: { type: 'ElicitSlot', slotToElicit: missing.name }, intent: clone(intent), prompt: { attempt: 'Initial' } };
  if (needsConfirmation(intent, def)) return { dialogAction: { type: 'ConfirmIntent' }, intent: clone(intent), prompt: { attempt: 'Initial' } };
  return { dialogAction: { type: 'Delegate' }, intent: { ...clone(intent), state: 'ReadyForFulfillment' } };
}

const needsConfirmation = (intent: LexIntent, def: BotIntent) =>
  def.intentConfirmationSetting !== undefined && def.intentConfirmationSetting.isActive !== false && (intent.confirmationState ?? 'None') === 'None';

/** Lex's own next step: declination, the next slot, the confirmation prompt, or fulfillment and the closing response. */
async function nextStep(session: LexSession, input: TurnInput, ctx: DialogContext, interpretations: EventInterpretation[]): Promise<LexV2Response> {
  const intent = session.intent!;
  const def = ctx.locale.intents?.find((i) => i.name === intent.name) ?? fallbackIntent(ctx.locale);
  const slots = intent.slots ?? {};
  if (intent.confirmationState === 'Denied') {
    return {
      sessionState: { dialogAction: { type: 'Close' }, intent: { ...intent, state: 'Failed' } },
      messages: groupMessages(def.intentConfirmationSetting?.declinationResponse?.messageGroupsList, slots),
    };
  }
  const missing = slotsInPriorityOrder(def).find((s) => s.valueElicitationSetting.slotConstraint === 'Required' && !slots[s.name]);
  if (missing) {
    return {
      sessionState: { dialogAction: { type: 'ElicitSlot', slotToElicit: missing.name }, intent: { ...intent, state: 'InProgress' } },
      messages: groupMessages(missing.valueElicitationSetting.promptSpecification?.messageGroupsList, slots),
    };
  }
  if (needsConfirmation(intent, def)) {
    return {
      sessionState: { dialogAction: { type: 'ConfirmIntent' }, intent: { ...intent, state: 'InProgress' } },
      messages: groupMessages(def.intentConfirmationSetting!.promptSpecification.messageGroupsList, slots),
    };
  }
  session.intent = { ...intent, state: 'ReadyForFulfillment' };
  const closing = () => groupMessages(def.intentClosingSetting?.isActive === false ? [] : def.intentClosingSetting?.closingResponse?.messageGroupsList, slots);
  if (!def.fulfillmentCodeHook?.enabled || !ctx.codeHook) {
    return { sessionState: { dialogAction: { type: 'Close' }, intent: { ...session.intent, state: 'Fulfilled' } }, messages: closing() };
  }
  const post = def.fulfillmentCodeHook.postFulfillmentStatusSpecification;
  let response: LexV2Response;
  try {
    response = await withProgress(def, input.progress, () => callHook(ctx, 'FulfillmentCodeHook', session, input, interpretations));
  } catch (err) {
    // A timeout with a timeout response configured is a message for the user, not an exception (and so a failure).
    if (err instanceof LexStandInError && err.type === 'BadGatewayException' && post?.timeoutResponse) {
      return { sessionState: { dialogAction: { type: 'Close' }, intent: { ...session.intent, state: 'Failed' } }, messages: groupMessages(post.timeoutResponse.messageGroupsList, slots) };
    }
    throw err;
  }
  const obeyed = applyHookAnswer(session, response, input.now);
  if (obeyed) {
    withBotPrompts(obeyed, ctx.locale);
    if (obeyed.sessionState.dialogAction.type === 'Close' && (obeyed.messages ?? []).length === 0) {
      const failed = obeyed.sessionState.intent?.state === 'Failed';
      const status = failed ? post?.failureResponse : post?.successResponse;
      obeyed.messages = status ? groupMessages(status.messageGroupsList, slots) : failed ? [] : closing();
    }
    return obeyed;
  }
  // Delegate after fulfillment: Lex closes the intent with its closing response.
  return { sessionState: { dialogAction: { type: 'Close' }, intent: { ...session.intent!, state: 'Fulfilled' } }, messages: closing() };
}

/** Calls the code hook with the session as it stands, recording the call. */
async function callHook(ctx: DialogContext, source: 'DialogCodeHook' | 'FulfillmentCodeHook', session: LexSession, input: TurnInput,
  interpretations: EventInterpretation[], proposedNextState?: CodeHookEventInput['proposedNextState']): Promise<LexV2Response> {
  const event = codeHookEvent({
    invocationSource: source, inputMode: input.inputMode, sessionId: session.sessionId, inputTranscript: input.text, bot: ctx.bot,
    interpretations: interpretations.map((i) => (i.intent.name === session.intent!.name ? { ...i, intent: session.intent! } : i)),
    intent: session.intent!, sessionAttributes: session.sessionAttributes, activeContexts: session.activeContexts,
    requestAttributes: input.requestAttributes, originatingRequestId: input.requestId, proposedNextState, transcriptions: input.transcriptions,
  });
  const started = performance.now();
  try {
    const response = await invokeCodeHook(ctx.codeHook!, event, ctx.locale, ctx.codeHookTimeoutMs);
    ctx.calls.push({ invocationSource: source, event, response: clone(response), durationMs: performance.now() - started });
    return response;
  } catch (err) {
    const e = err instanceof LexStandInError ? err : new LexStandInError('DependencyFailedException', String(err), { cause: err });
    ctx.calls.push({ invocationSource: source, event, error: { type: e.type, message: e.message }, durationMs: performance.now() - started });
    throw e;
  }
}

/**
 * Takes in a code hook's answer: its session attributes and active contexts replace the session's (an attribute the
 * answer leaves out is gone, as on Lex), its request attributes go back to the client. Delegate answers undefined: Lex
 * goes on with its own next step, with the intent as the hook returned it.
 */
function applyHookAnswer(session: LexSession, response: LexV2Response, now: number): LexV2Response | undefined {
  const state = response.sessionState;
  session.sessionAttributes = { ...(state.sessionAttributes ?? {}) };
  const contexts = clone(state.activeContexts ?? []);
  stampContexts(session.activeContexts, contexts, session.contextSetAt, now);
  session.activeContexts = contexts;
  if (response.requestAttributes) session.requestAttributes = { ...response.requestAttributes };
  const type = state.dialogAction.type;
  if (type === 'Delegate') {
    if (state.intent) session.intent = { ...session.intent, ...clone(state.intent), slots: { ...session.intent?.slots, ...clone(state.intent.slots ?? {}) } };
    return undefined;
  }
  if (type === 'ElicitIntent') return { sessionState: { dialogAction: { type } }, messages: response.messages ?? [] };
  const intent = { ...clone(state.intent!), state: state.intent?.state ?? (type === 'Close' ? 'Fulfilled' : 'InProgress') } as LexIntent;
  return { sessionState: { dialogAction: clone(state.dialogAction), intent }, messages: response.messages ?? [] };
}

/** A hook's ElicitSlot or ConfirmIntent without messages: Lex plays the bot's own prompt for the slot or confirmation. */
function withBotPrompts(response: LexV2Response, locale: BotLocale): LexV2Response {
  if ((response.messages ?? []).length > 0) return response;
  const def = locale.intents?.find((i) => i.name === response.sessionState.intent?.name);
  const slots = response.sessionState.intent?.slots ?? {};
  const { type, slotToElicit } = response.sessionState.dialogAction;
  if (type === 'ElicitSlot') response.messages = groupMessages(def?.slots?.find((s) => s.name === slotToElicit)?.valueElicitationSetting.promptSpecification?.messageGroupsList, slots);
  if (type === 'ConfirmIntent') response.messages = groupMessages(def?.intentConfirmationSetting?.promptSpecification.messageGroupsList, slots);
  return response;
}

/** Plays the intent's fulfillment start and update messages on the clock while `work` runs, then stops. */
async function withProgress<T>(def: BotIntent, player: ProgressPlayer | undefined, work: () => Promise<T>): Promise<T> {
  const spec = def.fulfillmentCodeHook?.fulfillmentUpdatesSpecification;
  if (!player || !spec?.active) return work();
  const started = Date.now();
  const timers: NodeJS.Timeout[] = [];
  if (spec.startResponse) {
    const start = spec.startResponse;
    timers.push(setTimeout(() => {
      player.emit('start', groupMessages(start.messageGroups), Date.now() - started);
      const update = spec.updateResponse;
      if (update) {
        const tick = () => {
          player.emit('update', groupMessages(update.messageGroups), Date.now() - started);
          timers.push(setTimeout(tick, update.frequencyInSeconds * player.secondMs));
        };
        timers.push(setTimeout(tick, update.frequencyInSeconds * player.secondMs));
      }
    }, start.delayInSeconds * player.secondMs));
  }
  let limit: NodeJS.Timeout | undefined;
  const timedOut = spec.timeoutInSeconds === undefined ? undefined : new Promise<never>((_, reject) => {
    limit = setTimeout(() => reject(new LexStandInError('BadGatewayException', `The fulfillment code hook did not answer within the intent's fulfillment timeout (${spec.timeoutInSeconds} s).`)),
      spec.timeoutInSeconds! * player.secondMs);
  });
  try {
    return await (timedOut ? Promise.race([work(), timedOut]) : work());
  } finally {
    for (const t of timers) clearTimeout(t);
    clearTimeout(limit);
  }
}
