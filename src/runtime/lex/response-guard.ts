// The last step of every code hook answer: whatever the handler or a custom route built, Lex gets a response in a
// shape it accepts (Lex V2 developer guide, "Response format"; runtime API reference, data types "SessionState",
// "Intent", "Slot", "Message"; Amazon Lex quotas: 25 KB of output, 12 KB of it session attributes), repaired or
// trimmed with one log line that names what changed, never a value.
import { DEFAULT_APOLOGY } from '../../shared/defaults';
import { LEX_RUNTIME_MESSAGE_MAX_CHARS } from '../../shared/lex-limits';
import type { LexIntent, LexMessage, LexV2Response } from './types';
import { echoSlots } from './responses';

/** A code hook's output Lex accepts at most (quotas). */
export const LEX_RESPONSE_MAX_BYTES = 25 * 1024;
/** Session attributes a code hook's output may carry at most (quotas). */
export const LEX_SESSION_ATTRIBUTES_MAX_BYTES = 12 * 1024;
/** Messages one response may hold (RecognizeText response, `messages`). */
export const LEX_MAX_MESSAGES = 10;

const DIALOG_ACTIONS = new Set(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']);
const INTENT_STATES = new Set(['Failed', 'Fulfilled', 'FulfillmentInProgress', 'InProgress', 'ReadyForFulfillment', 'Waiting']);
const CLOSE_STATES = new Set(['Fulfilled', 'Failed', 'InProgress']);
const CONFIRMATION_STATES = new Set(['Confirmed', 'Denied', 'None']);
const CONTENT_TYPES = new Set(['PlainText', 'SSML', 'CustomPayload', 'ImageResponseCard']);

/** Options of `guardLexResponse`. */
export interface GuardLexResponseOptions {
  /** Said when the response must ask the user something and has no words. @default DEFAULT_APOLOGY */
  readonly apology?: string;
  /**
   * Session attributes dropped last when the attributes exceed 12 KB (the bot reads the call by them, and Lex's
   * `x-amz-lex:` settings shape the call). @default ['interactionKey'] and every `x-amz-lex:` key
   */
  readonly keepAttributes?: readonly string[];
  /** Receives one line per repaired response. @default a JSON line on stdout */
  readonly log?: (line: { level: 'WARN'; message: string; repairs: string[] }) => void;
}

/**
 * The response as Lex accepts it: a known dialog action with what it needs (an intent for Close, ConfirmIntent and
 * ElicitSlot, a slot the intent has for ElicitSlot, words for ElicitIntent), the intent's state and confirmation state
 * within their enums (`ReadyForFulfillment` only with Delegate), slots echoed only as objects with a non-empty
 * `interpretedValue` or null, string session attributes within 12 KB (the largest dropped first), at most 10 messages
 * of 1-1,024 UTF-16 code units, and the whole within 25 KB (trailing messages dropped first). A response that needs
 * nothing is returned as it is.
 */
export function guardLexResponse(response: unknown, options: GuardLexResponseOptions = {}): LexV2Response {
  const repairs: string[] = [];
  const apology = options.apology ?? DEFAULT_APOLOGY;
  const r = (isObject(response) ? response : {}) as Record<string, any>;
  if (!isObject(response)) repairs.push('response was not an object');
  const state = isObject(r.sessionState) ? { ...r.sessionState } : {};
  if (!isObject(r.sessionState)) repairs.push('sessionState was missing');

  let messages = cleanMessages(r.messages, repairs);
  const sessionAttributes = cleanAttributes(state.sessionAttributes, repairs);
  let intent = isObject(state.intent) && typeof state.intent.name === 'string' && state.intent.name !== '' ? { ...state.intent } as LexIntent : undefined;
  if (state.intent !== undefined && state.intent !== null && !intent) repairs.push('intent without a name dropped');
  let type: string = DIALOG_ACTIONS.has(state.dialogAction?.type) ? state.dialogAction.type : '';
  let slotToElicit: unknown = state.dialogAction?.slotToElicit;
  if (!type) repairs.push('unknown dialog action became ElicitIntent');

  if (intent) {
    const slots = echoSlots(isObject(intent.slots) ? intent.slots as LexIntent['slots'] : {});
    if (JSON.stringify(slots) !== JSON.stringify(intent.slots ?? {})) repairs.push('slots without an interpretedValue sent back empty');
    intent = { ...intent, slots };
    if (intent.confirmationState !== undefined && !CONFIRMATION_STATES.has(intent.confirmationState)) {
      intent.confirmationState = 'None';
      repairs.push('confirmationState outside Confirmed, Denied, None became None');
    }
  }
  if ((type === 'Close' || type === 'ConfirmIntent' || type === 'ElicitSlot') && !intent) {
    repairs.push(`${type} without an intent became ElicitIntent`);
    type = '';
  }
  if (type === 'ElicitSlot' && (typeof slotToElicit !== 'string' || !(slotToElicit in (intent!.slots ?? {})))) {
    repairs.push('ElicitSlot naming no slot of the intent became Delegate');
    type = 'Delegate';
    slotToElicit = undefined;
  }
  if (type === 'ConfirmIntent' && messages.length === 0) {
    repairs.push('ConfirmIntent without a message became Delegate');
    type = 'Delegate';
  }
  if (!type) type = 'ElicitIntent';
  if (type === 'ElicitIntent' && messages.length === 0) {
    messages = [{ contentType: 'PlainText', content: apology }];
    repairs.push('ElicitIntent without a message says the apology');
  }
  if (intent) intent.state = intentState(type, intent.state, repairs);

  const out: LexV2Response = {
    sessionState: {
      ...state,
      sessionAttributes,
      dialogAction: { type: type as LexV2Response['sessionState']['dialogAction']['type'], ...(type === 'ElicitSlot' ? { slotToElicit: slotToElicit as string } : {}) },
      ...(intent ? { intent } : {}),
    },
    ...(messages.length > 0 ? { messages } : {}),
    ...(isObject(r.requestAttributes) ? { requestAttributes: r.requestAttributes as Record<string, string> } : {}),
  };
  if (!intent) delete (out.sessionState as { intent?: unknown }).intent;
  fitSessionAttributes(out, options.keepAttributes ?? ['interactionKey'], repairs);
  fitResponse(out, repairs);

  if (repairs.length > 0) {
    (options.log ?? ((line) => console.log(JSON.stringify(line))))({ level: 'WARN', message: 'lex response repaired', repairs });
  }
  return repairs.length > 0 ? out : response as LexV2Response;
}

function intentState(type: string, state: unknown, repairs: string[]): LexIntent['state'] {
  const s = typeof state === 'string' ? state : undefined;
  if (state !== undefined && s === undefined) {
    const replaced = type === 'Close' ? 'Failed' : 'InProgress';
    repairs.push(`intent state that was not text became ${replaced}`);
    return replaced;
  }
  if (type === 'Close') {
    if (s && CLOSE_STATES.has(s)) return s as LexIntent['state'];
    const closed = s === 'ReadyForFulfillment' || s === 'FulfillmentInProgress' ? 'Fulfilled' : 'Failed';
    repairs.push(`Close with intent state ${s ?? 'missing'} became ${closed}`);
    return closed;
  }
  if (s === 'ReadyForFulfillment' && type !== 'Delegate') {
    repairs.push(`ReadyForFulfillment with ${type} became InProgress`);
    return 'InProgress';
  }
  if (s !== undefined && !INTENT_STATES.has(s)) {
    repairs.push('intent state outside the Lex states became InProgress');
    return 'InProgress';
  }
  if (s === undefined) {
    // Lex requires the state with every dialog action (Response format: "state" is required).
    repairs.push('missing intent state became InProgress');
    return 'InProgress';
  }
  return s as LexIntent['state'];
}

function cleanMessages(input: unknown, repairs: string[]): LexMessage[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    repairs.push('messages was not a list');
    return [];
  }
  const out: LexMessage[] = [];
  for (const m of input) {
    if (!isObject(m) || !CONTENT_TYPES.has(m.contentType as string)) { repairs.push('message of an unknown content type dropped'); continue; }
    if (m.contentType === 'ImageResponseCard') {
      const card = m.imageResponseCard;
      if (isObject(card) && typeof card.title === 'string' && card.title !== '') out.push(m as LexMessage);
      else repairs.push('response card without a title dropped');
      continue;
    }
    if (typeof m.content !== 'string' || m.content.trim() === '') { repairs.push('empty message dropped'); continue; }
    let content = m.content;
    if (content.length > LEX_RUNTIME_MESSAGE_MAX_CHARS) {
      content = cutAt(content, LEX_RUNTIME_MESSAGE_MAX_CHARS);
      repairs.push(`message over ${LEX_RUNTIME_MESSAGE_MAX_CHARS} characters cut`);
    }
    out.push({ contentType: m.contentType as 'PlainText', content });
  }
  if (out.length > LEX_MAX_MESSAGES) {
    repairs.push(`${out.length - LEX_MAX_MESSAGES} messages over ${LEX_MAX_MESSAGES} dropped`);
    out.length = LEX_MAX_MESSAGES;
  }
  return out;
}

/** At most `max` UTF-16 code units, never half a surrogate pair. */
function cutAt(text: string, max: number): string {
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function cleanAttributes(input: unknown, repairs: string[]): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (!isObject(input)) { repairs.push('sessionAttributes was not an object'); return {}; }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === 'string') out[k] = v;
    else repairs.push(`session attribute ${k} was not a string and was dropped`);
  }
  return out;
}

/** Drops the largest session attributes (kept ones last) until they fit Lex's 12 KB. */
function fitSessionAttributes(out: LexV2Response, keep: readonly string[], repairs: string[]): void {
  const attributes = out.sessionState.sessionAttributes!;
  const kept = (k: string) => keep.includes(k) || k.startsWith('x-amz-lex:');
  const order = Object.keys(attributes).sort((a, b) => Number(kept(a)) - Number(kept(b)) || size(attributes[b]) - size(attributes[a]));
  for (const name of order) {
    if (size(attributes) <= LEX_SESSION_ATTRIBUTES_MAX_BYTES) return;
    delete attributes[name];
    repairs.push(`session attribute ${name} dropped: the attributes exceeded ${LEX_SESSION_ATTRIBUTES_MAX_BYTES} bytes`);
  }
}

/** Drops request attributes, then trailing messages (the first stays), until the response fits Lex's 25 KB. */
function fitResponse(out: LexV2Response, repairs: string[]): void {
  if (size(out) <= LEX_RESPONSE_MAX_BYTES) return;
  if (out.requestAttributes) {
    delete out.requestAttributes;
    repairs.push('request attributes dropped: the response exceeded 25 KB');
  }
  while (size(out) > LEX_RESPONSE_MAX_BYTES && (out.messages?.length ?? 0) > 1) {
    out.messages!.pop();
    repairs.push('last message dropped: the response exceeded 25 KB');
  }
  const intent = out.sessionState.intent;
  if (size(out) > LEX_RESPONSE_MAX_BYTES && intent?.slots) {
    // Lex needs only the interpreted value of a slot it sent; the original and resolved values are its own copies.
    for (const [name, slot] of Object.entries(intent.slots)) {
      if (slot?.value?.interpretedValue) intent.slots[name] = { ...(slot.shape ? { shape: slot.shape } : {}), value: { interpretedValue: slot.value.interpretedValue } };
    }
    repairs.push('slots reduced to their interpreted values: the response exceeded 25 KB');
  }
}

function size(v: unknown): number {
  return Buffer.byteLength(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
