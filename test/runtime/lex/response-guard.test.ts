// guardLexResponse: whatever a handler or a custom route builds, Lex gets a response the test kit's checker (the Lex V2
// "Response format" page, the runtime API data types and the quotas) accepts; and a silent caller's fallback on a call
// goes back to the contact flow.
// Pages: https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html,
// https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_Slot.html, https://docs.aws.amazon.com/lexv2/latest/dg/quotas.html
import { describe, expect, it } from 'vitest';
import { guardLexResponse } from '../../../src/runtime/lex/response-guard';
import { closeResponse, closeSilentCallFallback, delegateResponse, elicitIntentResponse } from '../../../src/runtime/lex/responses';
import type { LexV2Response } from '../../../src/runtime/lex/types';
import { lexEvent, lexResponseProblems } from '../../../src/testing';

/** A small seeded generator (mulberry32): the fuzz cases are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [undefined, null, '', 'Bogus', 42, true, [], {}, 'x'.repeat(3000), '😀'.repeat(700)];
const ODD_SLOTS: unknown[] = [
  null, {}, { value: {} }, { value: { interpretedValue: '' } }, { value: { originalValue: 'purple' } }, 7, 'text',
  { shape: 'List', values: [{ value: { interpretedValue: 'a' } }, { value: {} }] }, { shape: 'List', values: [{ value: {} }] },
  { shape: 'Scalar', value: { originalValue: 'o'.repeat(4000), interpretedValue: 'i'.repeat(4000), resolvedValues: ['r'.repeat(4000)] } },
];

function mutate(base: LexV2Response, next: () => number): unknown {
  const r = JSON.parse(JSON.stringify(base)) as Record<string, any>;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const s = r.sessionState;
  for (let i = 0, n = 1 + Math.floor(next() * 6); i < n; i++) {
    switch (Math.floor(next() * 12)) {
      case 0: s.dialogAction.type = pick(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot', 'Hangup', undefined]); break;
      case 1: s.dialogAction.slotToElicit = pick(['Size', 'Nope', '', undefined, 5]); break;
      case 2: s.intent = pick([undefined, null, { name: '' }, { slots: {} }, s.intent, { name: 'BookIntent', slots: { Size: null } }]); break;
      case 3: if (s.intent) s.intent.state = pick(['Fulfilled', 'ReadyForFulfillment', 'Waiting', 'Done', undefined, 3]); break;
      case 4: if (s.intent) s.intent.confirmationState = pick(['Confirmed', 'Maybe', undefined, null]); break;
      case 5: if (s.intent) s.intent.slots = { ...(s.intent.slots ?? {}), [pick(['Size', 'Count', 'Note'])]: pick(ODD_SLOTS) }; break;
      case 6: s.sessionAttributes = { ...(s.sessionAttributes ?? {}), [`a${i}`]: pick(ODD_VALUES) }; break;
      case 7: s.sessionAttributes = { ...(s.sessionAttributes ?? {}), interactionKey: 'call-1', history: 'h'.repeat(5000 + Math.floor(next() * 9000)), notes: 'n'.repeat(Math.floor(next() * 8000)) }; break;
      case 8: r.messages = Array.from({ length: Math.floor(next() * 16) }, () => pick([
        { contentType: 'PlainText', content: 'Hello.' }, { contentType: 'PlainText', content: '' }, { contentType: 'SSML', content: '😀'.repeat(600) },
        { contentType: 'Markdown', content: 'x' }, { contentType: 'ImageResponseCard', imageResponseCard: {} }, { contentType: 'PlainText', content: 'é'.repeat(2000) },
        { contentType: 'ImageResponseCard', imageResponseCard: { title: 'Pick', buttons: [{ text: 'A', value: 'a' }] } }, null,
      ])); break;
      case 9: r.messages = pick([undefined, null, 'hello', {}]); break;
      case 10: r.requestAttributes = pick([undefined, { big: 'b'.repeat(20000) }, 'x']); break;
      default: s.sessionAttributes = pick([undefined, null, 'attrs', [], s.sessionAttributes]);
    }
  }
  return pick([r, r, r, r, r, r, r, r, null, 'Close']);
}

describe('guardLexResponse', () => {
  const event = lexEvent({ intent: 'BookIntent', slots: { Size: 'large', Count: null }, sessionAttributes: { interactionKey: 'call-1' } });
  const bases: LexV2Response[] = [
    closeResponse(event, 'Booked.', { interactionKey: 'call-1' }),
    delegateResponse(event, {}),
    elicitIntentResponse('What else?', {}),
    { sessionState: { dialogAction: { type: 'ElicitSlot', slotToElicit: 'Count' }, intent: { name: 'BookIntent', slots: { Size: null, Count: null }, state: 'InProgress' } }, messages: [{ contentType: 'PlainText', content: 'How many?' }] },
    { sessionState: { dialogAction: { type: 'ConfirmIntent' }, intent: { name: 'BookIntent', slots: {}, state: 'InProgress', confirmationState: 'None' } }, messages: [{ contentType: 'PlainText', content: 'Sure?' }] },
  ];

  it('answers every one of 2,000 mutated responses in a shape the test kit\'s checker finds no fault with', () => {
    const next = random(21);
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const mutated = mutate(bases[i % bases.length], next);
      const problems = lexResponseProblems(guardLexResponse(mutated, { log: () => undefined }));
      if (problems.length > 0) failures.push(`#${i}: ${problems.join('; ')} <- ${JSON.stringify(mutated).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });

  it('returns a response Lex accepts as it is, without a log line', () => {
    const logs: unknown[] = [];
    for (const base of bases) {
      expect(lexResponseProblems(base)).toEqual([]);
      expect(guardLexResponse(base, { log: (l) => logs.push(l) })).toBe(base);
    }
    expect(logs).toEqual([]);
  });

  it('drops the largest session attributes past 12 KB, keeping interactionKey and Lex\'s own keys, and logs names, never values', () => {
    const logs: Array<{ repairs: string[] }> = [];
    const secretish = 'caller said: my card is 4111 1111 1111 1111 '.repeat(300);
    const response = closeResponse(event, 'Booked.', { 'interactionKey': 'call-1', 'x-amz-lex:allow-interrupt:*:*': 'true', 'history': secretish, 'small': 'ok' });

    const guarded = guardLexResponse(response, { log: (l) => logs.push(l) });

    expect(Object.keys(guarded.sessionState.sessionAttributes!)).toEqual(['interactionKey', 'x-amz-lex:allow-interrupt:*:*', 'small']);
    expect(logs).toEqual([{ level: 'WARN', message: 'lex response repaired', repairs: ['session attribute history dropped: the attributes exceeded 12288 bytes'] }]);
    expect(JSON.stringify(logs)).not.toContain('4111');
  });

  it('sends back empty a slot Lex sent without an interpretedValue, and keeps a list slot\'s resolved items', () => {
    const response = { sessionState: { dialogAction: { type: 'Delegate' }, intent: { name: 'BookIntent', state: 'InProgress', slots: {
      Size: { value: { originalValue: 'purple' } },
      Toppings: { shape: 'List', values: [{ value: { interpretedValue: 'ham' } }, { value: { originalValue: 'glass' } }] },
    } } } };

    const guarded = guardLexResponse(response, { log: () => undefined });

    expect(guarded.sessionState.intent!.slots).toEqual({ Size: null, Toppings: { shape: 'List', values: [{ value: { interpretedValue: 'ham' } }] } });
  });

  it('keeps a response within 25 KB by dropping trailing messages, the first one always said', () => {
    const long = 'é'.repeat(1024); // 2 KB of UTF-8 each
    const response: LexV2Response = { ...closeResponse(event, 'x', {}), messages: Array.from({ length: 10 }, () => ({ contentType: 'PlainText' as const, content: long })) };
    response.sessionState.sessionAttributes = { history: 'h'.repeat(11_000) };

    const guarded = guardLexResponse(response, { log: () => undefined });

    expect(Buffer.byteLength(JSON.stringify(guarded))).toBeLessThanOrEqual(25 * 1024);
    expect(guarded.messages!.length).toBeGreaterThan(0);
    expect(guarded.messages![0].contentType === 'PlainText' && guarded.messages![0].content).toBe(long);
  });
});

// AMAZON.FallbackIntent: "Amazon Lex V2 matches the fallback intent ... Audio input is noise"
// (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html); Connect's Lex block returns once the
// bot closes an intent.
describe('closeSilentCallFallback', () => {
  const fallbacks = ['FallbackIntent'];
  const answer = elicitIntentResponse("Sorry, I didn't catch that.", { interactionKey: 'call-1' });

  it('closes the fallback intent of a silent call turn without words, so the contact flow decides what the caller hears', () => {
    const event = lexEvent({ intent: 'FallbackIntent', inputMode: 'Speech', inputTranscript: '', sessionAttributes: { interactionKey: 'call-1' } });

    const closed = closeSilentCallFallback(event, answer, fallbacks);

    expect(closed).toEqual({ sessionState: { sessionAttributes: { interactionKey: 'call-1' }, dialogAction: { type: 'Close' }, intent: { name: 'FallbackIntent', slots: {}, state: 'Fulfilled', confirmationState: 'None' } } });
    expect(lexResponseProblems(closed)).toEqual([]);
  });

  it('leaves a chat turn, a call turn with words, and another intent as they are', () => {
    expect(closeSilentCallFallback(lexEvent({ intent: 'FallbackIntent', inputMode: 'Text', inputTranscript: '' }), answer, fallbacks)).toBe(answer);
    expect(closeSilentCallFallback(lexEvent({ intent: 'FallbackIntent', inputMode: 'Speech', inputTranscript: 'purple' }), answer, fallbacks)).toBe(answer);
    expect(closeSilentCallFallback(lexEvent({ intent: 'BookIntent', inputMode: 'Speech', inputTranscript: '' }), answer, fallbacks)).toBe(answer);
  });
});
