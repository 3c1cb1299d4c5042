// lexResponseProblems against the Lex V2 response format: one case per documented rule, the problem text it gives,
// and the responses Lex accepts that it must not flag.
import { describe, expect, it } from 'vitest';
import { lexResponseProblems } from '../../src/testing';

const INTENT = { name: 'OrderIntent', state: 'Fulfilled', confirmationState: 'None', slots: { size: null } };
const CLOSE = { sessionState: { dialogAction: { type: 'Close' }, intent: INTENT, sessionAttributes: {} }, messages: [{ contentType: 'PlainText', content: 'Done.' }] };

function withState(state: Record<string, unknown>, messages: unknown = CLOSE.messages): Record<string, unknown> {
  return { sessionState: { ...CLOSE.sessionState, ...state }, messages };
}

function card(extra: Record<string, unknown>): unknown {
  return [{ contentType: 'ImageResponseCard', imageResponseCard: { title: 'Sizes', ...extra } }];
}

describe('lexResponseProblems', () => {
  it.each<[string, unknown]>([
    ['a Close with a message', CLOSE],
    ['a Delegate without an intent (Lex carries on with the current one)', { sessionState: { dialogAction: { type: 'Delegate' } } }],
    ['a Delegate ready for fulfillment', { sessionState: { dialogAction: { type: 'Delegate' }, intent: { ...INTENT, state: 'ReadyForFulfillment' } } }],
    ['sessionAttributes null', withState({ sessionAttributes: null })],
    ['a list slot of resolved values', withState({ intent: { ...INTENT, slots: { toppings: { shape: 'List', values: [{ shape: 'Scalar', value: { interpretedValue: 'ham' } }] } } } })],
    ['a card with 5 buttons of 50 characters', withState({}, card({ buttons: Array.from({ length: 5 }, () => ({ text: 'x'.repeat(50), value: 'v' })) }))],
    ['a message of exactly 1,024 characters', withState({}, [{ contentType: 'PlainText', content: 'x'.repeat(1024) }])],
  ])('accepts %s', (_, response) => {
    expect(lexResponseProblems(response)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a message over 1,024 characters', withState({}, [{ contentType: 'PlainText', content: 'x'.repeat(1025) }]),
      'messages[0].content must be a string of 1 to 1024 characters, got 1025 (Message)'],
    ['11 messages', withState({}, Array.from({ length: 11 }, () => ({ contentType: 'PlainText', content: 'hi' }))),
      'messages may hold at most 10 messages, got 11 (RecognizeText)'],
    ['a ConfirmIntent without a message', { sessionState: { dialogAction: { type: 'ConfirmIntent' }, intent: { ...INTENT, state: 'InProgress' } } },
      'ConfirmIntent needs a message that asks the user to confirm (Response format)'],
    ['an ElicitIntent without a message', { sessionState: { dialogAction: { type: 'ElicitIntent' } } },
      'ElicitIntent needs a message, or the user hears nothing (Response format)'],
    ['an empty slotToElicit', withState({ dialogAction: { type: 'ElicitSlot', slotToElicit: '' }, intent: { ...INTENT, state: 'InProgress' } }),
      'ElicitSlot needs dialogAction.slotToElicit, a slot name of 1 to 100 characters (DialogAction)'],
    ['an ElicitSlot on a slot the intent lacks', withState({ dialogAction: { type: 'ElicitSlot', slotToElicit: 'colour' }, intent: { ...INTENT, state: 'InProgress' } }),
      "ElicitSlot names slot 'colour', which sessionState.intent.slots does not have (Response format)"],
    ['a Close without an intent', { sessionState: { dialogAction: { type: 'Close' } }, messages: CLOSE.messages },
      'dialogAction Close needs sessionState.intent with a name (Response format)'],
    ['a Close still waiting', withState({ intent: { ...INTENT, state: 'ReadyForFulfillment' } }),
      'Close needs sessionState.intent.state Fulfilled, Failed or InProgress (Response format)'],
    // lexv2/latest/dg/lambda-common-structures.html, Session state > intent: "state – Required. The state can only be
    // ReadyForFulfillment if dialogAction.type is Delegate."
    ['an ElicitSlot without intent.state', withState({ dialogAction: { type: 'ElicitSlot', slotToElicit: 'size' }, intent: { name: 'OrderIntent', slots: { size: null } } }),
      'dialogAction ElicitSlot needs sessionState.intent.state (Response format: state is required)'],
    ['a ConfirmIntent ready for fulfillment', withState({ dialogAction: { type: 'ConfirmIntent' }, intent: { ...INTENT, state: 'ReadyForFulfillment' } }),
      'sessionState.intent.state ReadyForFulfillment is allowed only with dialogAction Delegate, not ConfirmIntent (Response format)'],
    ['an unknown confirmation state', withState({ intent: { ...INTENT, confirmationState: 'Yes' } }),
      'sessionState.intent.confirmationState "Yes" must be Confirmed, Denied or None (Intent)'],
    ['a slot without interpretedValue', withState({ intent: { ...INTENT, slots: { size: { shape: 'Scalar', value: { originalValue: 'big' } } } } }),
      'sessionState.intent.slots.size.value.interpretedValue must be a non-empty string (Value)'],
    ['a session attribute that is a number', withState({ sessionAttributes: { count: 3 } }),
      'sessionState.sessionAttributes.count must be a string (SessionState)'],
    ['session attributes over 12 KB', withState({ sessionAttributes: { big: 'x'.repeat(12 * 1024) } }),
      'sessionState.sessionAttributes are 12298 bytes; at most 12288 (quotas)'],
    ['six buttons', withState({}, card({ buttons: Array.from({ length: 6 }, () => ({ text: 'a', value: 'a' })) })),
      'messages[0].imageResponseCard.buttons must be a list of at most 5 buttons (ImageResponseCard)'],
    ['button text over 50 characters', withState({}, card({ buttons: [{ text: 'x'.repeat(51), value: 'a' }] })),
      'messages[0].imageResponseCard.buttons[0].text must be a string of 1 to 50 characters (Button)'],
    ['a card without a title', withState({}, [{ contentType: 'ImageResponseCard', imageResponseCard: {} }]),
      'messages[0].imageResponseCard.title must be a string of 1 to 250 characters (ImageResponseCard)'],
  ])('flags %s', (_, response, problem) => {
    expect(lexResponseProblems(response)).toContain(problem);
  });

  it('flags a response over 25 KB', () => {
    const slots = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`slot${i}`, { shape: 'Scalar', value: { interpretedValue: 'z'.repeat(100) } }]));
    const response = withState({ sessionAttributes: { a: 'x'.repeat(11_000) }, intent: { ...INTENT, slots } },
      Array.from({ length: 10 }, () => ({ contentType: 'CustomPayload', content: 'y'.repeat(1024) })));

    expect(lexResponseProblems(response)).toEqual([expect.stringMatching(/^the response is 2\d{4} bytes; Lex accepts at most 25600 from a code hook \(quotas\)$/)]);
  });

  it('says a response that is not an object is one', () => {
    expect(lexResponseProblems(null)).toEqual(['response must be an object']);
  });
});
