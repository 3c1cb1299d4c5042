// The Lex V2 fulfillment handler: answers from the response cache, starts workflows, never makes Lex wait on Bedrock.
import { createHash } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { ResponseCache, type CacheResponse } from '../cache/response-cache';
import type { LexV2Event, LexV2Response } from '../lex-types';
import { FulfillmentConfigurationError, LexEventError } from './errors';
import { appendHistory, type HistoryLimits } from './history';
import { parseLexEvent, slotValues } from './parse';
import { closeResponse, delegateResponse, elicitIntentResponse } from './responses';

/** Environment variables of the prebundled fulfillment handler, beside the cache's `CACHE_ENV`. */
export const FULFILLMENT_ENV = {
  /** `WorkflowIntentConfigs` as JSON: intents that start a state machine. */
  WORKFLOWS: 'FAST_LEX_WORKFLOWS',
  /** Intents answered like the fallback (ElicitIntent), comma-separated. Default `FallbackIntent`. */
  FALLBACK_INTENTS: 'FAST_LEX_FALLBACK_INTENTS',
  /** What the user hears when the event cannot be understood or an answer cannot be made. */
  APOLOGY: 'FAST_LEX_APOLOGY',
  /** Name of the call-context table (DemoCallWorkflow), read by `interactionKey`. Optional. */
  CALL_CONTEXT_TABLE: 'FAST_LEX_CALL_CONTEXT_TABLE',
} as const;

/** The default apology: polite, and it keeps the conversation open. */
export const DEFAULT_APOLOGY = "Sorry, I didn't catch that. Could you say it another way?";

/** An intent that starts a Step Functions execution with its slots as input and answers at once. */
export interface WorkflowIntentConfig {
  /** State machine to start. */
  readonly stateMachineArn: string;
  /** What the user hears while the workflow runs, e.g. "We'll call you in a moment." */
  readonly answer: string;
  /**
   * Where each slot goes in the execution input, as `{ "<dotted.input.path>": "<slotName>" }`, e.g.
   * `{ "lead.phone": "phoneNumber" }`. Unfilled slots are left out.
   * @default - `{ intent, slots, localeId, requestedAt }` with every filled slot under `slots`
   */
  readonly input?: Record<string, string>;
}

/** Intent name to workflow. */
export type WorkflowIntentConfigs = Record<string, WorkflowIntentConfig>;

/** What a custom route receives. */
export interface RouteContext {
  readonly event: LexV2Event;
  readonly slots: Record<string, string>;
  readonly sessionAttributes: Record<string, string>;
  /** Answer through the response cache, as the built-in routes do. */
  readonly respond: (intent: string, context?: Record<string, unknown>) => Promise<CacheResponse>;
}

/** A route of your own for one intent: return the whole Lex response. */
export type CustomRoute = (ctx: RouteContext) => Promise<LexV2Response>;

/** Reads what a running demo call stored for the bot (DemoCallWorkflow's scenario), by `interactionKey`. */
export type CallContextReader = (interactionKey: string) => Promise<Record<string, unknown> | undefined>;

/** One line per turn, with no utterance, slot value, answer or phone number in it. */
export interface TurnLog {
  readonly intent: string;
  readonly route: 'cache' | 'workflow' | 'custom' | 'delegate' | 'error';
  readonly status?: string;
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
  /** Intents answered with ElicitIntent instead of Close. @default ['FallbackIntent'] */
  readonly fallbackIntents?: readonly string[];
  /** @default DEFAULT_APOLOGY */
  readonly apology?: string;
  /** Reads the call context when the session has an `interactionKey` attribute. @default - none */
  readonly callContext?: CallContextReader;
  /** @default - 6 turns, 200 characters each, 2 KB */
  readonly history?: HistoryLimits;
  /** Receives one record per turn. @default - a JSON line on stdout */
  readonly log?: (line: TurnLog) => void;
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
  const fallbackIntents = new Set(options.fallbackIntents ?? ['FallbackIntent']);
  const apology = options.apology ?? DEFAULT_APOLOGY;
  const log = options.log ?? ((line: TurnLog) => console.log(JSON.stringify({ level: line.error ? 'ERROR' : 'INFO', message: 'lex turn', ...line })));
  const getCache = (): ResponseCache => (cache ??= (options.cache as () => ResponseCache)());

  return async (raw, context) => {
    const started = performance.now();
    let event: LexV2Event;
    try {
      event = parseLexEvent(raw);
    } catch (err) {
      log({ intent: '(unknown)', route: 'error', latencyMs: performance.now() - started, error: errorName(err) + ': ' + (err as Error).message });
      return elicitIntentResponse(apology, safeAttributes(raw));
    }

    const intent = event.sessionState.intent!.name;
    const attributes = { ...(event.sessionState.sessionAttributes ?? {}) };
    const slots = slotValues(event);
    const respond = async (name: string, ctx: Record<string, unknown> = {}): Promise<CacheResponse> => {
      const signal = remainingTimeSignal(context);
      const result = await getCache().respond(name, ctx, { signal, sessionId: event.sessionId });
      getCache().publishMetrics();
      return result;
    };
    const finish = (response: LexV2Response, line: Omit<TurnLog, 'latencyMs' | 'intent' | 'inputMode'>): LexV2Response => {
      log({ intent, inputMode: event.inputMode, latencyMs: performance.now() - started, ...line });
      return response;
    };

    try {
      const custom = options.routes?.[intent];
      if (custom) {
        return finish(await custom({ event, slots, sessionAttributes: attributes, respond }), { route: 'custom' });
      }
      if (event.invocationSource === 'DialogCodeHook') {
        return finish(delegateResponse(event, attributes), { route: 'delegate' });
      }
      const workflow = options.workflows?.[intent];
      if (workflow) {
        // Loaded on first use: most turns never start a workflow, and the client would add to every cold start.
        const { SFNClient: Client, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
        sfn ??= new Client({});
        await sfn.send(new StartExecutionCommand({
          stateMachineArn: workflow.stateMachineArn,
          name: executionName(event),
          input: JSON.stringify(workflowInput(workflow, intent, slots, event)),
        }));
        const next = appendHistory(attributes, { i: intent, u: event.inputTranscript ?? '', b: workflow.answer }, options.history);
        return finish(closeResponse(event, workflow.answer, next), { route: 'workflow', status: 'started' });
      }

      const ctx: Record<string, unknown> = { slots, localeId: event.bot?.localeId };
      const interactionKey = attributes[INTERACTION_KEY_ATTRIBUTE];
      if (interactionKey && options.callContext) {
        try {
          ctx.call = await options.callContext(interactionKey);
        } catch (err) {
          // The call's scenario only sharpens the answer: without it the caller still gets one, at once.
          log({ intent, route: 'cache', status: 'call-context-unavailable', latencyMs: performance.now() - started, error: errorName(err) });
        }
      }
      const answer = await respond(intent, ctx);
      const next = appendHistory(attributes, { i: intent, u: event.inputTranscript ?? '', b: answer.answer }, options.history);
      const response = fallbackIntents.has(intent)
        ? elicitIntentResponse(answer.answer, next)
        : closeResponse(event, answer.answer, next);
      return finish(response, { route: 'cache', status: answer.status });
    } catch (err) {
      return finish(elicitIntentResponse(apology, attributes), { route: 'error', error: errorName(err) + ': ' + (err as Error).message });
    }
  };
}

/** The prebundled handler's configuration: the cache from `CACHE_ENV`, workflows and options from `FULFILLMENT_ENV`. */
export function fulfillmentOptionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): FulfillmentHandlerOptions {
  let workflows: WorkflowIntentConfigs | undefined;
  const raw = env[FULFILLMENT_ENV.WORKFLOWS];
  if (raw) {
    try {
      workflows = JSON.parse(raw) as WorkflowIntentConfigs;
    } catch (err) {
      throw new FulfillmentConfigurationError(`${FULFILLMENT_ENV.WORKFLOWS} is not valid JSON: ${(err as Error).message}`);
    }
    for (const [intent, w] of Object.entries(workflows)) {
      if (!w || typeof w.stateMachineArn !== 'string' || typeof w.answer !== 'string') {
        throw new FulfillmentConfigurationError(`${FULFILLMENT_ENV.WORKFLOWS}: intent '${intent}' needs 'stateMachineArn' and 'answer' strings`);
      }
      if (w.input !== undefined && (typeof w.input !== 'object' || Object.values(w.input).some((v) => typeof v !== 'string'))) {
        throw new FulfillmentConfigurationError(`${FULFILLMENT_ENV.WORKFLOWS}: intent '${intent}': 'input' must map input paths to slot names`);
      }
    }
  }
  const callTable = env[FULFILLMENT_ENV.CALL_CONTEXT_TABLE];
  return {
    cache: () => ResponseCache.fromEnvironment(env),
    callContext: callTable ? readScenario : undefined,
    workflows,
    fallbackIntents: env[FULFILLMENT_ENV.FALLBACK_INTENTS]?.split(',').map((s) => s.trim()).filter(Boolean),
    apology: env[FULFILLMENT_ENV.APOLOGY] || undefined,
  };
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

/**
 * What the answer may depend on during a demo call: the scenario the workflow generated and the call's status,
 * never the lead's name or phone number. Loaded on first use: most bots never take calls.
 */
async function readScenario(interactionKey: string): Promise<Record<string, unknown> | undefined> {
  const { getCallContext } = await import('../workflow/call-context.js');
  const context = await getCallContext(interactionKey);
  return context ? { scenario: context.scenario, status: context.status } : undefined;
}

/**
 * A deterministic execution name per Lex request: if the same request reaches the handler twice, Standard
 * workflows see the same name and start once. Names allow 80 characters of [A-Za-z0-9-_].
 */
function executionName(event: LexV2Event): string {
  const requestId = event.sessionState.originatingRequestId ?? `${event.sessionId}:${event.inputTranscript ?? ''}:${Date.now()}`;
  return `lex-${createHash('sha256').update(`${event.sessionId}\u0000${requestId}`).digest('hex').slice(0, 40)}`;
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
  return err instanceof LexEventError ? 'LexEventError' : (err as Error)?.name ?? 'Error';
}
