// Builders of Lex V2 code hook responses (Lex V2 developer guide, "Response format").
import type { LexIntent, LexMessage, LexV2Event, LexV2Response } from './types';

/** Answers and ends the intent: dialog action `Close`, intent `Fulfilled` (or the given state). */
export function closeResponse(event: LexV2Event, text: string, sessionAttributes: Record<string, string>, state: 'Fulfilled' | 'Failed' = 'Fulfilled'): LexV2Response {
  return {
    sessionState: {
      sessionAttributes,
      dialogAction: { type: 'Close' },
      intent: { ...intentOf(event), state },
    },
    messages: [plainText(text)],
  };
}

/** Answers and asks what the user wants next: dialog action `ElicitIntent` (the fallback's way). */
export function elicitIntentResponse(text: string, sessionAttributes: Record<string, string>): LexV2Response {
  return {
    sessionState: { sessionAttributes, dialogAction: { type: 'ElicitIntent' } },
    messages: [plainText(text)],
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
  return { name: intent.name, slots: intent.slots ?? {}, state: intent.state, confirmationState: intent.confirmationState ?? 'None' };
}

/** PlainText serves text and speech alike: Lex speaks it through Polly, no SSML needed. */
function plainText(text: string): LexMessage {
  return { contentType: 'PlainText', content: text };
}
