// Starts a workflow from a Lex turn and tells the caller the truth: the input is checked first with the rules the
// workflow's own Validate step runs, a refusal ("no") starts nothing, a start that fails is said so and kept, and a
// start whose outcome is unknown (sent, but not answered in time) is asked again under the same name, then said as it is.
import { createHash } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowIntentConfig } from '../../shared/wire';
import type { TurnBudget } from '../cache/turn-budget';
import { InvalidDemoRequestError } from '../workflow/errors';
import type { PhoneRules } from '../workflow/validate';
import type { LexIntent, LexV2Event, LexV2Response } from './types';

/** What the caller hears when they said no to the confirmation: nothing was started. */
export const DENIED_ANSWER = "All right, I won't book the call. Is there anything else I can help with?";
/** What the caller hears when the workflow could not be started: nothing was booked, and a "yes" tries again. */
export const START_FAILED_ANSWER = "Sorry, I couldn't book the call just now, so nothing is scheduled yet. Shall I try again?";
/**
 * What the caller hears when the start was sent but not answered in time: it may have gone through or not, and this
 * is true either way. A "yes" asks again under the same execution name, which never books twice.
 */
export const START_UNKNOWN_ANSWER = "I've sent your request, but I couldn't confirm in time that the call is booked. If it went through, "
  + "we'll call you shortly. Shall I check? It won't be booked twice.";

/** Words for an input field, after "that". */
const FIELD_WORDS: Record<string, string> = {
  'lead.phone': 'phone number', 'lead.lastName': 'last name', 'lead.firstName': 'first name', 'lead.company': 'company name', 'lead.email': 'email address',
};

/** How one workflow turn ended. */
export type WorkflowTurn =
  | { readonly status: 'started' | 'already-started'; readonly response: LexV2Response }
  | { readonly status: 'invalid'; readonly field: string; readonly response: LexV2Response }
  | { readonly status: 'denied'; readonly response: LexV2Response }
  | { readonly status: 'start-failed' | 'start-unknown'; readonly error: string; readonly response: LexV2Response };

export interface StartWorkflowOptions {
  readonly event: LexV2Event;
  readonly intent: string;
  readonly workflow: WorkflowIntentConfig;
  readonly input: Record<string, unknown>;
  /** The content the idempotency key is derived from when Lex gives no `originatingRequestId`. */
  readonly content: unknown;
  readonly sessionAttributes: Record<string, string>;
  readonly budget: TurnBudget;
  readonly sfn: () => Promise<SFNClient>;
  /** Phone rules for demo requests (the workflow's). @default - its Validate step's defaults */
  readonly phoneRules?: PhoneRules;
}

/**
 * A workflow whose input mapping writes `lead.phone` takes a demo request (DemoCallWorkflow's input contract): its
 * input is checked at the Lex boundary with the Validate step's rules, so the caller is never promised a call that
 * the workflow would refuse.
 */
export function takesDemoRequest(workflow: WorkflowIntentConfig): boolean {
  return Object.keys(workflow.input ?? {}).includes('lead.phone');
}

/** Runs one workflow turn: Denied, invalid input, started (or already started), or a start that failed. */
export async function startWorkflowTurn(o: StartWorkflowOptions): Promise<WorkflowTurn> {
  const { event, workflow, sessionAttributes } = o;
  const intentState = event.sessionState.intent!;
  if (intentState.confirmationState === 'Denied') {
    return { status: 'denied', response: close(event, DENIED_ANSWER, sessionAttributes, 'Failed') };
  }
  if (takesDemoRequest(workflow)) {
    // Loaded on the first demo request: the phone metadata is most of the code, and most turns never need it. The
    // bundled handler ships it as a file of its own beside index.js, so a cold start does not even parse it.
    const { validateDemoInput } = await import('../workflow/validate.js');
    try {
      validateDemoInput(o.input, o.phoneRules);
    } catch (err) {
      // By name: the rules' file has its own copy of the error class.
      if (!isInvalidDemoRequest(err)) throw err;
      return { status: 'invalid', field: err.field, response: refuse(event, workflow, err, sessionAttributes) };
    }
  }
  const name = executionName(event, o.content);
  const { StartExecutionCommand } = await import('@aws-sdk/client-sfn');
  // Each attempt the SDK makes (it retries inside the budget) is watched: when the budget runs out, whether one may
  // have reached Step Functions decides between "nothing is booked" and "it may be".
  const attempts = { inFlight: 0, uncertain: false };
  const start = async (share?: number) => {
    const client = await o.sfn();
    const command = new StartExecutionCommand({ stateMachineArn: workflow.stateMachineArn, name, input: JSON.stringify(o.input) });
    command.middlewareStack.add((next) => async (args) => {
      attempts.inFlight++;
      try {
        return await next(args);
      } catch (err) {
        if (outcomeUnknown(err)) attempts.uncertain = true;
        throw err;
      } finally {
        attempts.inFlight--;
      }
    }, { step: 'deserialize', name: 'fastLexStartAttempt' });
    await o.budget.run('Step Functions StartExecution', (abortSignal) => client.send(command, { abortSignal }), share);
  };
  // Out of budget with no attempt in flight and every one refused (throttled, say): nothing was started.
  const mayHaveStarted = (err: unknown) => ((err as Error)?.name === 'TurnBudgetExceededError'
    ? attempts.inFlight > 0 || attempts.uncertain
    : outcomeUnknown(err));
  const started = () => ({ status: 'started' as const, response: close(event, workflow.answer, sessionAttributes, 'Fulfilled') });
  // The same request delivered again after its execution ended: it was started once, and that is the truth.
  const alreadyStarted = (err: unknown) => (err as Error)?.name === 'ExecutionAlreadyExists';
  try {
    await start();
    return started();
  } catch (err) {
    if (alreadyStarted(err)) return { status: 'already-started', response: close(event, workflow.answer, sessionAttributes, 'Fulfilled') };
    if (!mayHaveStarted(err)) return retryable('start-failed', START_FAILED_ANSWER, err);
    // The request may have reached Step Functions after this turn stopped waiting. Asking again under the same name
    // finds out: a Standard execution still running is returned as it is, a finished one is ExecutionAlreadyExists,
    // and if it never arrived this starts it (once).
    try {
      await start(shareOfWhatIsLeft(o.budget));
      return started();
    } catch (again) {
      if (alreadyStarted(again)) return { status: 'already-started', response: close(event, workflow.answer, sessionAttributes, 'Fulfilled') };
      // Still not known: the first request may yet arrive. The caller hears what is true for both outcomes.
      return retryable('start-unknown', START_UNKNOWN_ANSWER, err);
    }
  }

  /**
   * The slots stay in the intent Lex holds, and ConfirmIntent asks whether to try again: a "yes" comes back here with
   * the same content, hence the same execution name, so a start that did happen is not doubled.
   */
  function retryable(status: 'start-failed' | 'start-unknown', text: string, err: unknown): WorkflowTurn {
    return {
      status,
      error: (err as Error)?.name ?? 'Error',
      response: {
        sessionState: { sessionAttributes, dialogAction: { type: 'ConfirmIntent' }, intent: { ...intentOf(event), state: 'InProgress', confirmationState: 'None' } },
        messages: [{ contentType: 'PlainText', content: text }],
      },
    };
  }
}

/**
 * The share of the budget that is all of what is left, such that share x budget is a whole number of ms: the budget's
 * per-call timeout (AbortSignal.timeout) refuses fractions, and a share of 1 would pass the fractional time left.
 */
function shareOfWhatIsLeft(budget: TurnBudget): number {
  if (!Number.isFinite(budget.budgetMs)) return 1;
  let ms = Math.floor(budget.remainingMs());
  while (ms > 1 && (ms / budget.budgetMs) * budget.budgetMs !== ms) ms--;
  return Math.max(1, ms) / budget.budgetMs;
}

/**
 * Whether a failed StartExecution may have started the execution all the same: the request was sent but no answer
 * came in time (the turn's budget, a dropped connection) or the service failed on its side (5xx). A request refused
 * with a 4xx (throttling, validation) or never sent (connection refused) started nothing.
 */
export function outcomeUnknown(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  const code = e?.code ?? (e?.cause as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return false;
  return true;
}

/**
 * A deterministic execution name per request: Lex's `originatingRequestId` when it sends one, else a digest of the
 * session and the request's content (intent and slot values), so the same event delivered twice starts one execution.
 * Names allow 80 characters of [A-Za-z0-9-_].
 */
export function executionName(event: LexV2Event, content: unknown): string {
  const requestId = event.sessionState.originatingRequestId ?? `content:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
  return `lex-${createHash('sha256').update(`${event.sessionId}\u0000${requestId}`).digest('hex').slice(0, 40)}`;
}

/** The slot that fills an input field, by the workflow's input mapping. */
function slotOf(workflow: WorkflowIntentConfig, field: string): string | undefined {
  return workflow.input?.[field];
}

function refuse(event: LexV2Event, workflow: WorkflowIntentConfig, err: InvalidDemoRequestError, sessionAttributes: Record<string, string>): LexV2Response {
  const words = FIELD_WORDS[err.field] ?? 'detail';
  const slot = slotOf(workflow, err.field);
  if (!slot) {
    // Not something the caller can say again in this dialog: end the intent, and say nothing was booked.
    return close(event, `Sorry, I can't book the call: that ${words} ${err.spokenReason}. Nothing has been scheduled.`, sessionAttributes, 'Failed');
  }
  const intent = intentOf(event);
  // Clear the refused value so Lex fills the slot afresh from the caller's next answer.
  const slots = { ...intent.slots, [slot]: null };
  return {
    sessionState: {
      sessionAttributes,
      dialogAction: { type: 'ElicitSlot', slotToElicit: slot },
      intent: { ...intent, slots, state: 'InProgress', confirmationState: 'None' },
    },
    messages: [{ contentType: 'PlainText', content: `Sorry, that ${words} ${err.spokenReason}. What ${words} should I use?` }],
  };
}

function close(event: LexV2Event, text: string, sessionAttributes: Record<string, string>, state: 'Fulfilled' | 'Failed'): LexV2Response {
  return {
    sessionState: { sessionAttributes, dialogAction: { type: 'Close' }, intent: { ...intentOf(event), state } },
    messages: [{ contentType: 'PlainText', content: text }],
  };
}

function intentOf(event: LexV2Event): LexIntent {
  const intent = event.sessionState.intent!;
  return { name: intent.name, slots: intent.slots ?? {}, confirmationState: validConfirmation(intent.confirmationState) };
}

function isInvalidDemoRequest(err: unknown): err is InvalidDemoRequestError {
  return err instanceof InvalidDemoRequestError || (err as Error)?.name === 'InvalidDemoRequestError';
}

/** The confirmation states Lex accepts back; anything else (a malformed event) becomes `None`. */
export function validConfirmation(value: unknown): 'Confirmed' | 'Denied' | 'None' {
  return value === 'Confirmed' || value === 'Denied' ? value : 'None';
}

/** JSON with sorted keys: the same content always digests the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
