// Checks that an incoming event is a Lex V2 code hook event, tolerating every field Lex may add later.
import type { LexV2Event } from './types';
import { LexEventError } from './errors';

const SOURCES = new Set(['DialogCodeHook', 'FulfillmentCodeHook']);

/** Options of `parseLexEvent`. */
export interface ParseLexEventOptions {
  /** Told of each session attribute left out because its value is not a string (its name and type, never its value). @default - none */
  readonly onDroppedAttribute?: (name: string, type: string) => void;
}

/**
 * Returns the event typed as `LexV2Event`, or throws `LexEventError` naming the first field that makes it
 * unusable. Only what the handler relies on is checked: unknown fields pass through untouched. A session attribute
 * whose value is not a string (Lex sends strings; a client of the runtime API may not) is left out of the returned
 * event, and `onDroppedAttribute` is told, instead of failing the whole turn.
 */
export function parseLexEvent(raw: unknown, options: ParseLexEventOptions = {}): LexV2Event {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LexEventError('(event)', 'must be a JSON object');
  }
  const event = raw as Record<string, unknown>;
  if (typeof event.invocationSource !== 'string' || !SOURCES.has(event.invocationSource)) {
    throw new LexEventError('invocationSource', `must be DialogCodeHook or FulfillmentCodeHook, got ${describe(event.invocationSource)}`);
  }
  const state = event.sessionState as Record<string, unknown> | undefined;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new LexEventError('sessionState', 'must be an object');
  }
  const intent = state.intent as Record<string, unknown> | undefined;
  if (intent === null || typeof intent !== 'object' || typeof intent.name !== 'string' || intent.name === '') {
    throw new LexEventError('sessionState.intent.name', 'must be a non-empty string');
  }
  if (intent.slots !== undefined && intent.slots !== null && (typeof intent.slots !== 'object' || Array.isArray(intent.slots))) {
    throw new LexEventError('sessionState.intent.slots', 'must be an object of slot name to slot');
  }
  const attributes = state.sessionAttributes;
  let kept: Record<string, unknown> | undefined;
  if (attributes !== undefined && attributes !== null) {
    if (typeof attributes !== 'object' || Array.isArray(attributes)) {
      throw new LexEventError('sessionState.sessionAttributes', 'must be an object of strings');
    }
    const entries = Object.entries(attributes);
    const strings = entries.filter(([, v]) => typeof v === 'string');
    if (strings.length < entries.length) {
      for (const [k, v] of entries) if (typeof v !== 'string') options.onDroppedAttribute?.(k, v === null ? 'null' : typeof v);
      kept = Object.fromEntries(strings);
    }
  }
  if (event.inputTranscript !== undefined && typeof event.inputTranscript !== 'string') {
    throw new LexEventError('inputTranscript', 'must be a string');
  }
  if (kept) return { ...event, sessionState: { ...state, sessionAttributes: kept } } as unknown as LexV2Event;
  return raw as LexV2Event;
}

/** The resolved value of each filled slot (interpreted value; list slots joined with ', '). */
export function slotValues(event: LexV2Event): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, slot] of Object.entries(event.sessionState.intent?.slots ?? {})) {
    if (!slot) continue;
    const scalar = slot.value?.interpretedValue ?? slot.value?.originalValue;
    if (typeof scalar === 'string' && scalar !== '') {
      out[name] = scalar;
    } else if (Array.isArray(slot.values)) {
      const list = slot.values.map((v) => v?.value?.interpretedValue).filter((v): v is string => typeof v === 'string');
      if (list.length > 0) out[name] = list.join(', ');
    }
  }
  return out;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 40) ?? typeof value;
}
