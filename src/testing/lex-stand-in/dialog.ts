// One turn of Lex V2 dialog management: the input read as a slot value, a confirmation or a new intent; the dialog
// code hook where the bot lets it run (on retries too, with the attempt named); then Lex's own next step (elicit the
// next slot in priority order, confirm, fulfill, close) unless a code hook answered otherwise. Works on a copy of the
// session: a failed turn changes nothing.
import type { LexIntent, LexMessage, LexSlot, LexV2Response } from '../../runtime/lex/types';
import {
  fallbackIntent, slotsInPriorityOrder, type BotCodeHook, type BotDialogCodeHookInvocation, type BotElicitationCodeHookInvocation,
  type BotIntent, type BotLocale, type BotPrompt,
} from './bot-model';
import { classify } from './classifier';
import { codeHookEvent, invokeCodeHook, type CodeHookEventInput, type EventBot, type EventInterpretation } from './code-hook';
import { ageContexts, contextsAllow, stampContexts, withOutputContexts, type ActiveContext, type ContextClock } from './contexts';
import { fulfill, type ProgressPlayer } from './fulfillment';
import { groupMessages } from './messages';
import { resolveSlotValue, type ResolvedSlotValue } from './slot-values';

export type { ProgressPlayer } from './fulfillment';

/** A session as the stand-in keeps it between turns. */
export interface LexSession {
  readonly sessionId: string;
  sessionAttributes: Record<string, string>;
  /** The session attributes the contact flow last sent: a value it repeats does not override the code hook's. */
  flowAttributes?: Record<string, string>;
  activeContexts: unknown[];
  /** When each active context was set, for its time to live. */
  contextSetAt: ContextClock;
  intent?: LexIntent;
  dialogAction?: { type: string; slotToElicit?: string };
  messages: LexMessage[];
  interpretations: EventInterpretation[];
  originatingRequestId?: string;
  /** Failed attempts at the current prompt (slot or confirmation). */
  attempts: number;
  lastActivityAt: number;
}

/** One user input. */
export interface TurnInput {
  readonly text: string;
  readonly inputMode: 'Text' | 'Speech' | 'DTMF';
  /** This request's attributes: they reach the code hook for this turn only. */
  readonly requestAttributes: Record<string, string>;
  readonly transcriptions?: ReadonlyArray<{ transcription: string; transcriptionConfidence: number }>;
  readonly requestId: string;
  /** The turn's time (ms since epoch), for the active contexts' time to live. */
  readonly now: number;
  /** Plays fulfillment start/update messages while the fulfillment code hook runs (streaming conversations). */
  readonly progress?: ProgressPlayer;
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
  /** The 30 s Lex waits for a code hook, in ms. */
  readonly codeHookTimeoutMs: number;
  /** How long one second of the bot's fulfillment update settings lasts, in ms. */
  readonly secondMs: number;
  /** Picks among message variations (the Random selection strategy). */
  readonly random: () => number;
  readonly calls: CodeHookCall[];
}

type HookSwitch = BotDialogCodeHookInvocation | BotElicitationCodeHookInvocation | undefined;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const scalar = (v: ResolvedSlotValue): LexSlot => ({ shape: 'Scalar', value: { ...v, resolvedValues: [...v.resolvedValues] } as LexSlot['value'] });
const ATTEMPTS = ['Initial', 'Retry1', 'Retry2', 'Retry3', 'Retry4', 'Retry5'];

function newIntent(def: BotIntent, captured: Readonly<Record<string, ResolvedSlotValue>> = {}): LexIntent {
  const slots: Record<string, LexSlot | null> = {};
  for (const s of def.slots ?? []) slots[s.name] = captured[s.name] ? scalar(captured[s.name]) : null;
  return { name: def.name, slots, state: 'InProgress', confirmationState: 'None' };
}

/**
 * Fills empty slots from their `defaultValueSpecification`, first usable entry first: `#context.slot` (a parameter of
 * an active context), `[attribute]` (a session attribute), or a literal (lexv2/latest/dg/context-mgmt-default.html).
 */
function applyDefaults(intent: LexIntent, def: BotIntent, session: LexSession): void {
  for (const slot of def.slots ?? []) {
    if (intent.slots?.[slot.name]) continue;
    for (const { defaultValue } of slot.valueElicitationSetting.defaultValueSpecification?.defaultValueList ?? []) {
      let v: string | undefined;
      const ctx = /^#([^.]+)\.(.+)$/.exec(defaultValue);
      const attr = /^\[(.+)\]$/.exec(defaultValue);
      if (ctx) v = (session.activeContexts as ActiveContext[]).find((c) => c.name === ctx[1])?.contextAttributes?.[ctx[2]];
      else if (attr) v = session.sessionAttributes[attr[1]];
      else v = defaultValue;
      if (v) { intent.slots = { ...intent.slots, [slot.name]: scalar({ originalValue: v, interpretedValue: v, resolvedValues: [v] }) }; break; }
    }
  }
}

/** Runs one turn on `session` (mutated: pass a copy) and answers what RecognizeText returns. */
export async function runTurn(session: LexSession, input: TurnInput, ctx: DialogContext): Promise<LexV2Response & { interpretations: EventInterpretation[] }> {
  const { locale } = ctx;
  const defOf = (name: string | undefined) => locale.intents?.find((i) => i.name === name);
  let interpretations: EventInterpretation[];
  const before = session.dialogAction ? clone(session.dialogAction) : undefined;
  const current = session.intent && defOf(session.intent.name);
  let retry: { prompt?: BotPrompt; hook: HookSwitch } | undefined;
  let step: HookSwitch;
  let initialResponse: LexMessage[] = [];
  const resolveContext = { slotTypes: locale.slotTypes, localeId: locale.localeId, now: new Date(input.now) };
  session.activeContexts = ageContexts(session.activeContexts, session.contextSetAt, input.now);

  if (before?.type === 'ElicitSlot' && current && session.intent && before.slotToElicit) {
    const slot = current.slots?.find((s) => s.name === before.slotToElicit);
    const resolved = slot && resolveSlotValue(input.text, slot.slotTypeName, resolveContext);
    const capture = slot?.valueElicitationSetting.slotCaptureSetting;
    if (resolved) { session.intent.slots = { ...session.intent.slots, [slot.name]: scalar(resolved) }; session.attempts = 0; step = capture?.codeHook; } else {
      retry = { prompt: slot?.valueElicitationSetting.promptSpecification, hook: capture?.elicitationCodeHook };
    }
    interpretations = [{ intent: session.intent, nluConfidence: 1 }, { intent: newIntent(fallbackIntent(locale)) }];
  } else if (before?.type === 'ConfirmIntent' && current && session.intent) {
    const answer = resolveSlotValue(input.text, 'AMAZON.Confirmation', resolveContext)?.interpretedValue;
    const setting = current.intentConfirmationSetting;
    if (answer === 'Yes' || answer === 'No') {
      session.intent.confirmationState = answer === 'Yes' ? 'Confirmed' : 'Denied';
      session.attempts = 0;
      step = setting?.codeHook;
    } else {
      retry = { prompt: setting?.promptSpecification, hook: setting?.elicitationCodeHook };
    }
    interpretations = [{ intent: session.intent, nluConfidence: 1 }, { intent: newIntent(fallbackIntent(locale)) }];
  } else {
    const c = classify(input.text, locale, (intent) => contextsAllow(intent, session.activeContexts as ActiveContext[]));
    session.intent = newIntent(c.top.intent, c.top.slots);
    applyDefaults(session.intent, c.top.intent, session);
    // An intent's initial response plays when it is recognized, before whatever Lex says next.
    initialResponse = groupMessages(c.top.intent.initialResponseSetting?.initialResponse?.messageGroupsList, session.intent.slots ?? {}, { random: ctx.random });
    step = c.top.intent.initialResponseSetting?.codeHook;
    session.attempts = 0;
    interpretations = c.candidates.map((s) => ({ intent: s.intent.name === c.top.intent.name ? session.intent! : newIntent(s.intent, s.slots), nluConfidence: s.nluConfidence }));
  }

  if (retry) {
    session.attempts++;
    if (session.attempts > (retry.prompt?.maxRetries ?? 0)) {
      // Lex hands a conversation it cannot move on to the fallback intent once the retries are spent.
      session.intent = newIntent(fallbackIntent(locale));
      session.attempts = 0;
      return finish(await nextStep(session, input, ctx, interpretations), interpretations);
    }
    const attempt = { attempt: session.attempts, strategy: retry.prompt?.messageSelectionStrategy, random: ctx.random };
    // "When the source is DialogCodeHook, the Lambda function was called after input from the user": a failed
    // attempt reaches the hook too, with proposedNextState.prompt.attempt naming the retry.
    if (hookRuns(current!, retry.hook)) {
      const proposed = { dialogAction: clone(before!), intent: clone(session.intent!), prompt: { attempt: ATTEMPTS[Math.min(session.attempts, 5)] } };
      const obeyed = applyHookAnswer(session, await callHook(ctx, 'DialogCodeHook', session, input, interpretations, { proposedNextState: proposed, invocationLabel: retry.hook?.invocationLabel }), input.now);
      if (obeyed) return finish(withBotPrompts(obeyed, locale, attempt), interpretations);
    }
    return finish({
      sessionState: { dialogAction: clone(before!) as never, intent: session.intent },
      messages: groupMessages(retry.prompt?.messageGroupsList, session.intent!.slots ?? {}, attempt),
    }, interpretations);
  }

  const def = defOf(session.intent!.name) ?? fallbackIntent(locale);
  if (hookRuns(def, step)) {
    const proposed = proposeNext(session.intent!, def);
    const response = await callHook(ctx, 'DialogCodeHook', session, input, interpretations, { proposedNextState: proposed, invocationLabel: step?.invocationLabel });
    const obeyed = applyHookAnswer(session, response, input.now);
    if (obeyed) return finish(withBotPrompts(obeyed, locale, { random: ctx.random }), interpretations);
  }
  return finish(await nextStep(session, input, ctx, interpretations), interpretations);

  function hookRuns(intent: BotIntent, setting: HookSwitch): boolean {
    // The intent's dialog code hook, unless the step switches it off (DialogCodeHookInvocationSetting:
    // enableCodeHookInvocation, isActive; ElicitationCodeHookInvocationSetting: enableCodeHookInvocation).
    return Boolean(ctx.codeHook && intent.dialogCodeHook?.enabled && setting?.enableCodeHookInvocation !== false
      && (setting as BotDialogCodeHookInvocation | undefined)?.isActive !== false);
  }

  function finish(response: LexV2Response, interps: EventInterpretation[]) {
    if (initialResponse.length > 0) response = { ...response, messages: [...initialResponse, ...(response.messages ?? [])] };
    const state = response.sessionState;
    const closedDef = state.dialogAction.type === 'Close' && state.intent?.state === 'Fulfilled' ? defOf(state.intent.name) : undefined;
    if (closedDef) session.activeContexts = withOutputContexts(session.activeContexts as ActiveContext[], closedDef, session.contextSetAt, input.now, state.intent?.slots ?? {});
    // A new question starts its own count of attempts.
    if (state.dialogAction.type !== before?.type || state.dialogAction.slotToElicit !== before?.slotToElicit) session.attempts = 0;
    session.dialogAction = clone(state.dialogAction);
    session.intent = state.intent ? clone(state.intent) : undefined;
    session.messages = response.messages ?? [];
    // The interpretation of the intent the turn ended in shows it as it ended (slots, state, confirmation).
    const final = session.intent;
    interps = interps.map((i) => (final && i.intent.name === final.name ? { ...i, intent: clone(final) } : { ...i, intent: clone(i.intent) }));
    session.interpretations = interps;
    session.originatingRequestId = input.requestId;
    return {
      ...response,
      sessionState: { ...state, sessionAttributes: { ...session.sessionAttributes }, activeContexts: clone(session.activeContexts), originatingRequestId: input.requestId },
      interpretations: interps,
    };
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

/** Lex's own next step: declination, the next slot, the confirmation prompt, or fulfillment. */
async function nextStep(session: LexSession, input: TurnInput, ctx: DialogContext, interpretations: EventInterpretation[]): Promise<LexV2Response> {
  const intent = session.intent!;
  const def = ctx.locale.intents?.find((i) => i.name === intent.name) ?? fallbackIntent(ctx.locale);
  const slots = intent.slots ?? {};
  const first = (prompt?: BotPrompt) => groupMessages(prompt?.messageGroupsList, slots, { attempt: 0, strategy: prompt?.messageSelectionStrategy, random: ctx.random });
  if (intent.confirmationState === 'Denied') {
    return {
      sessionState: { dialogAction: { type: 'Close' }, intent: { ...intent, state: 'Failed' } },
      messages: groupMessages(def.intentConfirmationSetting?.declinationResponse?.messageGroupsList, slots, { random: ctx.random }),
    };
  }
  const missing = slotsInPriorityOrder(def).find((s) => s.valueElicitationSetting.slotConstraint === 'Required' && !slots[s.name]);
  if (missing) {
    return { sessionState: { dialogAction: { type: 'ElicitSlot', slotToElicit: missing.name }, intent: { ...intent, state: 'InProgress' } }, messages: first(missing.valueElicitationSetting.promptSpecification) };
  }
  if (needsConfirmation(intent, def)) {
    return { sessionState: { dialogAction: { type: 'ConfirmIntent' }, intent: { ...intent, state: 'InProgress' } }, messages: first(def.intentConfirmationSetting!.promptSpecification) };
  }
  session.intent = { ...intent, state: 'ReadyForFulfillment' };
  return fulfill({
    def,
    intent: () => session.intent!,
    hasCodeHook: ctx.codeHook !== undefined,
    codeHookTimeoutMs: ctx.codeHookTimeoutMs,
    secondMs: ctx.secondMs,
    progress: input.progress,
    random: ctx.random,
    callHook: (timeoutMs) => callHook(ctx, 'FulfillmentCodeHook', session, input, interpretations, { timeoutMs }),
    apply: (response) => {
      const obeyed = applyHookAnswer(session, response, input.now);
      return obeyed && withBotPrompts(obeyed, ctx.locale, { random: ctx.random });
    },
  });
}

/** Calls the code hook with the session as it stands, recording the call. */
async function callHook(ctx: DialogContext, source: 'DialogCodeHook' | 'FulfillmentCodeHook', session: LexSession, input: TurnInput, interpretations: EventInterpretation[],
  options: { proposedNextState?: CodeHookEventInput['proposedNextState']; invocationLabel?: string; timeoutMs?: number } = {}): Promise<LexV2Response> {
  const event = codeHookEvent({
    invocationSource: source, inputMode: input.inputMode, sessionId: session.sessionId, inputTranscript: input.text, bot: ctx.bot,
    interpretations: interpretations.map((i) => (i.intent.name === session.intent!.name ? { ...i, intent: session.intent! } : i)),
    intent: session.intent!, sessionAttributes: session.sessionAttributes, activeContexts: session.activeContexts,
    requestAttributes: input.requestAttributes, originatingRequestId: input.requestId, proposedNextState: options.proposedNextState,
    transcriptions: input.transcriptions, invocationLabel: options.invocationLabel,
  });
  const started = performance.now();
  try {
    const response = await invokeCodeHook(ctx.codeHook!, event, ctx.locale, options.timeoutMs ?? ctx.codeHookTimeoutMs);
    ctx.calls.push({ invocationSource: source, event, response: clone(response), durationMs: performance.now() - started });
    return response;
  } catch (err) {
    const e = err as { type?: string; message?: string };
    ctx.calls.push({ invocationSource: source, event, error: { type: e.type ?? 'DependencyFailedException', message: String(e.message ?? err) }, durationMs: performance.now() - started });
    throw err;
  }
}

/**
 * Takes in a code hook's answer: its session attributes and active contexts replace the session's (an attribute the
 * answer leaves out is gone, as on Lex). Its request attributes are not kept: they belong to one request. Delegate
 * answers undefined: Lex goes on with its own next step, with the intent as the hook returned it. The answer was
 * checked against the response format before (`intent.state` given wherever Lex requires it), so nothing is filled in.
 */
function applyHookAnswer(session: LexSession, response: LexV2Response, now: number): LexV2Response | undefined {
  const state = response.sessionState;
  session.sessionAttributes = { ...(state.sessionAttributes ?? {}) };
  const contexts = clone(state.activeContexts ?? []);
  stampContexts(session.activeContexts, contexts, session.contextSetAt, now);
  session.activeContexts = contexts;
  const type = state.dialogAction.type;
  if (type === 'Delegate') {
    if (state.intent) session.intent = { ...session.intent, ...clone(state.intent), slots: { ...session.intent?.slots, ...clone(state.intent.slots ?? {}) } };
    return undefined;
  }
  if (type === 'ElicitIntent') return { sessionState: { dialogAction: { type } }, messages: response.messages ?? [] };
  return { sessionState: { dialogAction: clone(state.dialogAction), intent: clone(state.intent!) }, messages: response.messages ?? [] };
}

/** A hook's ElicitSlot or ConfirmIntent without messages: Lex plays the bot's own prompt for the slot or confirmation. */
function withBotPrompts(response: LexV2Response, locale: BotLocale, selection: { attempt?: number; random: () => number }): LexV2Response {
  if ((response.messages ?? []).length > 0) return response;
  const def = locale.intents?.find((i) => i.name === response.sessionState.intent?.name);
  const slots = response.sessionState.intent?.slots ?? {};
  const { type, slotToElicit } = response.sessionState.dialogAction;
  const prompt = type === 'ElicitSlot' ? def?.slots?.find((s) => s.name === slotToElicit)?.valueElicitationSetting.promptSpecification
    : type === 'ConfirmIntent' ? def?.intentConfirmationSetting?.promptSpecification : undefined;
  if (prompt) response.messages = groupMessages(prompt.messageGroupsList, slots, { ...selection, strategy: prompt.messageSelectionStrategy });
  return response;
}
