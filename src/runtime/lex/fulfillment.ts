// The Lex V2 fulfillment handler: answers from the response cache, starts workflows, never makes Lex wait on Bedrock.
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { DEFAULT_APOLOGY, DEFAULT_FALLBACK_INTENTS } from '../../shared/defaults';
import { FAST_LEX_ENV } from '../../shared/env';
import { ConfigurationError } from '../../shared/errors';
import { WEB_CHAT_STREAM_REQUEST_ATTRIBUTE, WEB_CHAT_STREAM_TICKET_ATTRIBUTE } from '../../shared/web-chat-stream';
import { DEFAULT_TURN_BUDGET_MS, TURN_CLIENT_CONFIG, TURN_RESERVE_MS, type PhoneRules } from '../../shared/fault-tolerance';
import type { WorkflowIntentConfig, WorkflowIntentConfigs } from '../../shared/wire';
import { ResponseCache, type CacheResponse } from '../cache/response-cache';
import { TurnBudget } from '../cache/turn-budget';
import { jsonEnv, numberEnv, optionalEnv, type Environment } from '../env';
import type { LexV2Event, LexV2Response } from './types';
import { appendHistory, type HistoryLimits } from './history';
import { parseLexEvent, slotValues } from './parse';
import { guardLexResponse } from './response-guard';
import { closeResponse, closeSilentCallFallback, delegateResponse, elicitIntentResponse } from './responses';
import { startWorkflowTurn, validConfirmation } from './workflow-start';

export type { WorkflowIntentConfig, WorkflowIntentConfigs };

/** What a custom route receives. */
export interface RouteContext {
  readonly event: LexV2Event;
  readonly slots: Record<string, string>;
  readonly sessionAttributes: Record<string, string>;
  /**
   * Answer through the response cache, as the built-in routes do. A per-question intent answers `question` (the
   * built-in routes pass the turn's `inputTranscript`). @default question - none: the intent's answer
   */
  readonly respond: (intent: string, context?: Record<string, unknown>, question?: string) => Promise<CacheResponse>;
}

/** A route of your own for one intent: return the whole Lex response. */
export type CustomRoute = (ctx: RouteContext) => Promise<LexV2Response>;

/** Reads what a running demo call stored for the bot (DemoCallWorkflow's scenario), by `interactionKey`. */
export type CallContextReader = (interactionKey: string, options?: { readonly abortSignal?: AbortSignal }) => Promise<Record<string, unknown> | undefined>;

/** One line per turn, with no utterance, slot value, answer or phone number in it. */
export interface TurnLog {
  readonly intent: string;
  readonly route: 'cache' | 'workflow' | 'custom' | 'delegate' | 'error';
  readonly status?: string;
  /** A near hit's match score (per-question intents). */
  readonly score?: number;
  /** A miss handed to a streaming client (a generation ticket) rather than queued. */
  readonly streamed?: boolean;
  readonly latencyMs: number;
  readonly inputMode?: string;
  readonly error?: string;
}

export interface FulfillmentHandlerOptions {
  /** The response cache, or a factory called on the first event (module scope survives warm invocations). */
  readonly cache: ResponseCache | (() => ResponseCache);
  /** @default - none */
  readonly workflows?: WorkflowIntentConfigs;
  /** @default - a new SFNClient on first use */
  readonly sfn?: SFNClient;
  /** Your own routes; they win over workflows and the cache. @default - none */
  readonly routes?: Record<string, CustomRoute>;
  /** Intents answered with ElicitIntent instead of Close. @default DEFAULT_FALLBACK_INTENTS */
  readonly fallbackIntents?: readonly string[];
  /** @default DEFAULT_APOLOGY */
  readonly apology?: string;
  /** Reads the call context when the session has an `interactionKey` attribute. @default - none */
  readonly callContext?: CallContextReader;
  /** @default - 6 turns, 200 characters each, 2 KB */
  readonly history?: HistoryLimits;
  /** Receives one record per turn. @default - a JSON line on stdout */
  readonly log?: (line: TurnLog) => void;
  /**
   * Longest a turn spends on DynamoDB, SQS and Step Functions, ms; never more than the Lambda's remaining time less
   * 500 ms. When it runs out the caller hears the stale or static answer (or, for a workflow, that nothing was booked).
   * @default DEFAULT_TURN_BUDGET_MS (2000)
   */
  readonly turnBudgetMs?: number;
  /** Phone rules of demo requests, checked before the workflow starts (the workflow's own). @default - E.164, mobile or fixed line, any country */
  readonly phoneRules?: PhoneRules;
}

export type LexFulfillmentHandler = (event: unknown, context?: Partial<Context>) => Promise<LexV2Response>;

/** The session attribute a Connect contact flow sets so the bot can find the call's scenario. */
export const INTERACTION_KEY_ATTRIBUTE = 'interactionKey';

/**
 * Builds a Lex V2 code hook handler from the library's parts, for TypeScript users who want their own handler:
 *
 * - FulfillmentCodeHook: custom route, else workflow start (answers at once), else the response cache (`Close`);
 *   fallback intents answer with `ElicitIntent`.
 * - DialogCodeHook: custom route, else `Delegate` (Lex elicits slots as the bot defines).
 * - A malformed event or any failure: a valid Lex response with a polite apology, and an error log line. Lex never
 *   sees an exception.
 *
 * @example
 * export const handler = createFulfillmentHandler({
 *   cache: () => ResponseCache.fromEnvironment(),
 *   routes: { OrderStatusIntent: async ({ event, sessionAttributes }) => closeResponse(event, 'Shipped!', sessionAttributes) },
 * });
 */
export function createFulfillmentHandler(options: FulfillmentHandlerOptions): LexFulfillmentHandler {
  let cache: ResponseCache | undefined = typeof options.cache === 'function' ? undefined : options.cache;
  let sfn = options.sfn;
  const fallbackIntents = new Set(options.fallbackIntents ?? DEFAULT_FALLBACK_INTENTS);
  const apology = options.apology ?? DEFAULT_APOLOGY;
  const log = options.log ?? ((line: TurnLog) => console.log(JSON.stringify({ level: line.error ? 'ERROR' : 'INFO', message: 'lex turn', ...line })));
  const getCache = (): ResponseCache => (cache ??= (options.cache as () => ResponseCache)());

  return async (raw, context) => {
    const started = performance.now();
    let event: LexV2Event;
    try {
      event = parseLexEvent(raw, {
        // A non-string attribute is left out of this turn rather than failing it; the log names it, never its value.
        onDroppedAttribute: (name, type) => console.log(JSON.stringify({ level: 'WARN', message: 'session attribute dropped: not a string', attribute: name, type })),
      });
    } catch (err) {
      log({ intent: '(unknown)', route: 'error', latencyMs: performance.now() - started, error: errorName(err) + ': ' + (err as Error).message });
      return elicitIntentResponse(apology, safeAttributes(raw));
    }

    const intent = event.sessionState.intent!.name;
    const attributes = { ...(event.sessionState.sessionAttributes ?? {}) };
    // A ticket is for the turn that wrote it: one left from an earlier turn never reaches the client again.
    delete attributes[WEB_CHAT_STREAM_TICKET_ATTRIBUTE];
    const slots = slotValues(event);
    const budget = TurnBudget.forTurn(options.turnBudgetMs ?? DEFAULT_TURN_BUDGET_MS, context?.getRemainingTimeInMillis?.());
    const respond = async (name: string, ctx: Record<string, unknown> = {}, question?: string, streamable = false): Promise<CacheResponse> => {
      const signal = remainingTimeSignal(context);
      // On a call the caller hears the intent's progress messages, so a miss may wait for the generated answer: the
      // turn gets the intent's voice deadline (and the time to answer after it) instead of the usual budget.
      const voiceDeadlineMs = event.inputMode === 'Speech' || event.inputMode === 'DTMF' ? getCache().configFor(name).voiceSyncDeadlineMs : undefined;
      const turnBudget = voiceDeadlineMs
        ? TurnBudget.forTurn(Math.max(options.turnBudgetMs ?? DEFAULT_TURN_BUDGET_MS, voiceDeadlineMs + TURN_RESERVE_MS), context?.getRemainingTimeInMillis?.())
        : budget;
      const result = await getCache().respond(name, ctx, { signal, sessionId: event.sessionId, budget: turnBudget, syncDeadlineMs: voiceDeadlineMs, question, streamable });
      if (turnBudget !== budget) turnBudget.dispose();
      getCache().publishMetrics();
      return result;
    };
    const finish = (response: LexV2Response, line: Omit<TurnLog, 'latencyMs' | 'intent' | 'inputMode'>): LexV2Response => {
      budget.dispose();
      log({ intent, inputMode: event.inputMode, latencyMs: performance.now() - started, ...line });
      // Every answer leaves in a shape Lex accepts, and a silent caller's fallback hands the call back to the flow.
      return guardLexResponse(closeSilentCallFallback(event, response, [...fallbackIntents]), { apology });
    };

    try {
      const custom = options.routes?.[intent];
      if (custom) {
        return finish(await custom({ event, slots, sessionAttributes: attributes, respond }), { route: 'custom' });
      }
      if (event.invocationSource === 'DialogCodeHook') {
        return finish(delegateResponse(withValidIntentState(event), attributes), { route: 'delegate' });
      }
      const workflow = options.workflows?.[intent];
      if (workflow) {
        const turn = await startWorkflowTurn({
          event, intent, workflow, input: workflowInput(workflow, intent, slots, event), content: { intent, slots },
          sessionAttributes: attributes, budget, phoneRules: options.phoneRules,
          // Loaded on first use: most turns never start a workflow, and the client would add to every cold start.
          sfn: async () => (sfn ??= new (await import('@aws-sdk/client-sfn')).SFNClient({ ...TURN_CLIENT_CONFIG })),
        });
        const first = turn.response.messages?.[0];
        const said = first && 'content' in first ? first.content : '';
        const next = appendHistory(attributes, { i: intent, u: event.inputTranscript ?? '', b: said }, options.history);
        turn.response.sessionState.sessionAttributes = next;
        return finish(turn.response, { route: 'workflow', status: turn.status, ...(turn.status === 'start-failed' ? { error: turn.error } : {}) });
      }

      const ctx: Record<string, unknown> = { slots, localeId: event.bot?.localeId };
      const interactionKey = attributes[INTERACTION_KEY_ATTRIBUTE];
      if (interactionKey && options.callContext) {
        try {
          const read = options.callContext;
          ctx.call = await budget.run('call-context read', (abortSignal) => read(interactionKey, { abortSignal }));
        } catch (err) {
          // The call's scenario only sharpens the answer: without it the caller still gets one, at once.
          log({ intent, route: 'cache', status: 'call-context-unavailable', latencyMs: performance.now() - started, error: errorName(err) });
        }
      }
      // On a call, `inputTranscript` is Lex's transcription of what the caller said.
      // A text client that streams (the web chat proxy says so in a request attribute) generates a miss itself.
      const streamable = event.inputMode !== 'Speech' && event.inputMode !== 'DTMF' && event.requestAttributes?.[WEB_CHAT_STREAM_REQUEST_ATTRIBUTE] === '1';
      const answer = await respond(intent, ctx, event.inputTranscript, streamable);
      const next = appendHistory(attributes, { i: intent, u: event.inputTranscript ?? '', b: answer.answer }, options.history);
      if (answer.ticket) next[WEB_CHAT_STREAM_TICKET_ATTRIBUTE] = answer.ticket;
      const response = fallbackIntents.has(intent)
        ? elicitIntentResponse(answer.answer, next)
        : closeResponse(event, answer.answer, next);
      return finish(response, { route: 'cache', status: answer.status, ...(answer.ticket ? { streamed: true } : {}), ...(answer.score === undefined ? {} : { score: Number(answer.score.toFixed(3)) }) });
    } catch (err) {
      return finish(elicitIntentResponse(apology, attributes), { route: 'error', error: errorName(err) + ': ' + (err as Error).message });
    }
  };
}

/** What the bundled entry point adds to the environment's configuration. */
export interface FulfillmentEnvironmentExtras {
  /** Reads the call context by `interactionKey` (e.g. `callContextReader(env)` of `cdk-fast-lex/runtime/workflow`). @default - none */
  readonly callContext?: CallContextReader;
}

/**
 * The prebundled handler's configuration from `FAST_LEX_ENV`: the cache, the workflow intents, the fallback intents
 * and the apology. Throws `ConfigurationError` naming a malformed variable.
 */
export function fulfillmentOptionsFromEnvironment(env: Environment = process.env, extras: FulfillmentEnvironmentExtras = {}): FulfillmentHandlerOptions {
  const workflows = optionalEnv(env, FAST_LEX_ENV.workflows) === undefined ? undefined : parseWorkflows(jsonEnv(env, FAST_LEX_ENV.workflows));
  return {
    cache: () => ResponseCache.fromEnvironment(env),
    callContext: extras.callContext,
    workflows,
    fallbackIntents: optionalEnv(env, FAST_LEX_ENV.fallbackIntents)?.split(',').map((s) => s.trim()).filter(Boolean),
    apology: optionalEnv(env, FAST_LEX_ENV.apology),
    turnBudgetMs: numberEnv(env, FAST_LEX_ENV.turnBudgetMs, { fallback: DEFAULT_TURN_BUDGET_MS, min: 1, integer: true }),
    phoneRules: optionalEnv(env, FAST_LEX_ENV.phoneRules) === undefined ? undefined : jsonEnv(env, FAST_LEX_ENV.phoneRules) as PhoneRules,
  };
}

function parseWorkflows(value: unknown): WorkflowIntentConfigs {
  const setting = FAST_LEX_ENV.workflows;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigurationError(setting, 'must be an object of intent name to workflow');
  for (const [intent, w] of Object.entries(value as Record<string, Partial<WorkflowIntentConfig> | null>)) {
    if (!w || typeof w.stateMachineArn !== 'string' || typeof w.answer !== 'string') {
      throw new ConfigurationError(setting, `intent '${intent}' needs 'stateMachineArn' and 'answer' strings`);
    }
    if (w.input !== undefined && (w.input === null || typeof w.input !== 'object' || Object.values(w.input).some((v) => typeof v !== 'string'))) {
      throw new ConfigurationError(setting, `intent '${intent}': 'input' must map input paths to slot names`);
    }
  }
  return value as WorkflowIntentConfigs;
}

/** The execution input: the slots mapped into the shape the state machine expects, or all of them under `slots`. */
export function workflowInput(workflow: WorkflowIntentConfig, intent: string, slots: Record<string, string>, event: LexV2Event): Record<string, unknown> {
  if (!workflow.input) {
    return { intent, slots, localeId: event.bot?.localeId, requestedAt: new Date().toISOString() };
  }
  const input: Record<string, unknown> = {};
  for (const [path, slot] of Object.entries(workflow.input)) {
    const value = slots[slot];
    if (value === undefined) continue;
    const parts = path.split('.');
    let node = input;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return input;
}

/** Lex intent states a Delegate may carry back; a malformed one (Lex would reject its echo) is left out. */
const INTENT_STATES = new Set(['Failed', 'Fulfilled', 'FulfillmentInProgress', 'InProgress', 'ReadyForFulfillment', 'Waiting']);

/** The event with an intent state and confirmation state that Lex accepts back in a Delegate. */
function withValidIntentState(event: LexV2Event): LexV2Event {
  const intent = event.sessionState.intent!;
  const state = typeof intent.state === 'string' && INTENT_STATES.has(intent.state) ? intent.state : 'InProgress';
  return { ...event, sessionState: { ...event.sessionState, intent: { ...intent, state, confirmationState: validConfirmation(intent.confirmationState) } } };
}

/** Leaves 1 s of the Lambda's time for the answer; Lex waits at most 30 s for fulfillment. */
function remainingTimeSignal(context?: Partial<Context>): AbortSignal | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  return remaining && remaining > 1000 ? AbortSignal.timeout(remaining - 1000) : undefined;
}

function safeAttributes(raw: unknown): Record<string, string> {
  const attrs = (raw as { sessionState?: { sessionAttributes?: unknown } } | null)?.sessionState?.sessionAttributes;
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return {};
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function errorName(err: unknown): string {
  return (err as Error)?.name ?? 'Error';
}
