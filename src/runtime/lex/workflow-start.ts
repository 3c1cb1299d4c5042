// Starts a workflow from a Lex turn and tells the caller the truth: the input is checked first with the rules the
// workflow's own Validate step runs, a refusal ("no") starts nothing, and a start that fails is said so and kept.
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

/** Words for an input field, after "that". */
const FIELD_WORDS: Record<string, string> = {
  'lead.phone': 'phone number', 'lead.lastName': 'last name', 'lead.firstName': 'first name', 'lead.company': 'company name', 'lead.email': 'email address',
};

/** How one workflow turn ended. */
export type WorkflowTurn =
  | { readonly status: 'started' | 'already-started'; readonly response: LexV2Response }
  | { readonly status: 'invalid'; readonly field: string; readonly response: LexV2Response }
  | { readonly status: 'denied'; readonly response: LexV2Response }
  | { readonly status: 'start-failed'; readonly error: string; readonly response: LexV2Response };

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
    // Loaded on the first demo request: the phone metadata is most of the bundle, and most turns never need it.
    const { validateDemoInput } = await import('../workflow/validate.js');
    try {
      validateDemoInput(o.input, o.phoneRules);
    } catch (err) {
      if (!(err instanceof InvalidDemoRequestError)) throw err;
      return { status: 'invalid', field: err.field, response: refuse(event, workflow, err, sessionAttributes) };
    }
  }
  const name = executionName(event, o.content);
  try {
    const { StartExecutionCommand } = await import('@aws-sdk/client-sfn');
    const client = await o.sfn();
    await o.budget.run('Step Functions StartExecution', (abortSignal) => client.send(new StartExecutionCommand({
      stateMachineArn: workflow.stateMachineArn, name, input: JSON.stringify(o.input),
    }), { abortSignal }));
    return { status: 'started', response: close(event, workflow.answer, sessionAttributes, 'Fulfilled') };
  } catch (err) {
    // The same request delivered again after its execution ended: it was started once, and that is the truth.
    if ((err as Error)?.name === 'ExecutionAlreadyExists') {
      return { status: 'already-started', response: close(event, workflow.answer, sessionAttributes, 'Fulfilled') };
    }
    // Nothing was booked. The slots stay in the intent Lex holds, and ConfirmIntent asks whether to try again: a "yes"
    // comes back here with the same content, hence the same execution name, so a start that did happen is not doubled.
    return {
      status: 'start-failed',
      error: (err as Error)?.name ?? 'Error',
      response: {
        sessionState: { sessionAttributes, dialogAction: { type: 'ConfirmIntent' }, intent: { ...intentOf(event), state: 'InProgress', confirmationState: 'None' } },
        messages: [{ contentType: 'PlainText', content: START_FAILED_ANSWER }],
      },
    };
  }
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
