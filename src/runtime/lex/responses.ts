// Builders of Lex V2 code hook responses (Lex V2 developer guide, "Response format"): every message at most 1,024
// characters (a longer answer is split at sentence boundaries), every echoed slot in the shape Lex accepts.
import type { LexIntent, LexMessage, LexSlot, LexV2Event, LexV2Response } from './types';
import { splitMessage } from './split-message';

/** Answers and ends the intent: dialog action `Close`, intent `Fulfilled` (or the given state). */
export function closeResponse(event: LexV2Event, text: string, sessionAttributes: Record<string, string>, state: 'Fulfilled' | 'Failed' = 'Fulfilled'): LexV2Response {
  return {
    sessionState: {
      sessionAttributes,
      dialogAction: { type: 'Close' },
      intent: { ...intentOf(event), state },
    },
    messages: plainText(text, event.bot?.localeId),
  };
}

/** Answers and asks what the user wants next: dialog action `ElicitIntent` (the fallback's way). */
export function elicitIntentResponse(text: string, sessionAttributes: Record<string, string>): LexV2Response {
  return {
    sessionState: { sessionAttributes, dialogAction: { type: 'ElicitIntent' } },
    messages: plainText(text),
  };
}

/** Lets Lex carry on with the dialog (slot elicitation, confirmation) as the bot defines it. */
export function delegateResponse(event: LexV2Event, sessionAttributes: Record<string, string>): LexV2Response {
  return {
    sessionState: {
      sessionAttributes,
      dialogAction: { type: 'Delegate' },
      intent: intentOf(event),
    },
  };
}

function intentOf(event: LexV2Event): LexIntent {
  const intent = event.sessionState.intent!;
  // Echo the intent as Lex sent it (name, slots, confirmation) so no slot value is lost.
  return { name: intent.name, slots: echoSlots(intent.slots), state: intent.state, confirmationState: intent.confirmationState ?? 'None' };
}

/**
 * The slots as Lex accepts them back (Lex V2 runtime API reference, data types "Slot" and "Value": a value needs a
 * non-empty `interpretedValue`). A slot Lex sent without one (it heard something it could not resolve) goes back
 * empty (`null`) rather than in a shape Lex refuses; a list slot keeps the items it could resolve.
 */
export function echoSlots(slots: Record<string, LexSlot | null> | undefined): Record<string, LexSlot | null> {
  const out: Record<string, LexSlot | null> = {};
  for (const [name, slot] of Object.entries(slots ?? {})) out[name] = echoSlot(slot);
  return out;
}

function echoSlot(slot: LexSlot | null | undefined): LexSlot | null {
  if (!slot || typeof slot !== 'object') return null;
  if (Array.isArray(slot.values)) {
    const values = slot.values.map(echoSlot).filter((v): v is LexSlot => v !== null);
    return values.length > 0 ? { ...slot, values } : null;
  }
  const interpreted = slot.value?.interpretedValue;
  return typeof interpreted === 'string' && interpreted !== '' ? slot : null;
}

/**
 * PlainText serves text and speech alike (Lex speaks it through Polly, no SSML needed); an answer longer than one
 * Lex message is split at sentence, then word, boundaries into at most 10 messages, never cutting a character.
 */
function plainText(text: string, localeId?: string): LexMessage[] {
  const { messages } = splitMessage(text, { locale: localeId });
  return messages.map((content) => ({ contentType: 'PlainText', content }));
}

/**
 * On a call, a fallback turn with no words is a caller who stayed silent through Lex's re-prompts ("Amazon Lex V2
 * matches the fallback intent ... Audio input is noise", AMAZON.FallbackIntent). Answering it with ElicitIntent would
 * keep the caller in the bot, hearing the apology on every silence; closing the fallback intent (no words) hands the
 * call back to the contact flow, whose Lex block returns FallbackIntent: the flow asks again or says goodbye. Any other
 * response, and every text turn, is returned as it is.
 */
export function closeSilentCallFallback(event: unknown, response: LexV2Response, fallbackIntents: readonly string[]): LexV2Response {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Partial<LexV2Event>;
  const intent = e.sessionState?.intent?.name;
  const onCall = e.inputMode === 'Speech' || e.inputMode === 'DTMF';
  const silent = (e.inputTranscript ?? '').trim() === '';
  if (!onCall || !silent || !intent || !fallbackIntents.includes(intent) || response.sessionState?.dialogAction?.type !== 'ElicitIntent') return response;
  return {
    sessionState: {
      sessionAttributes: response.sessionState.sessionAttributes ?? {},
      dialogAction: { type: 'Close' },
      intent: { name: intent, slots: {}, state: 'Fulfilled', confirmationState: 'None' },
    },
  };
}
