// What Lex receives back from the runtime's response builders and handler, checked against the Lex V2 response
// format with the test kit's lexResponseProblems.
import { describe, expect, it } from 'vitest';
import { createFulfillmentHandler } from '../../../src/runtime/lex/fulfillment';
import { parseLexEvent } from '../../../src/runtime/lex/parse';
import { closeResponse, delegateResponse, elicitIntentResponse } from '../../../src/runtime/lex/responses';
import { lexEvent, lexResponseProblems } from '../../../src/testing';

describe('session attributes that are not strings', () => {
  it('are left out of the event, and the caller of parseLexEvent is told their names and types', () => {
    const raw = lexEvent({ intent: 'GreetingIntent', sessionAttributes: { keep: 'yes' } });
    (raw.sessionState.sessionAttributes as Record<string, unknown>).count = 3;
    (raw.sessionState.sessionAttributes as Record<string, unknown>).flags = null;
    const dropped: string[] = [];

    const event = parseLexEvent(raw, { onDroppedAttribute: (name, type) => dropped.push(`${name}:${type}`) });

    expect(event.sessionState.sessionAttributes).toEqual({ keep: 'yes' });
    expect(dropped).toEqual(['count:number', 'flags:null']);
  });

  it('do not turn the turn into the apology: the handler answers, without the bad attribute', async () => {
    const handler = createFulfillmentHandler({ cache: () => { throw new Error('not used on a dialog turn'); }, log: () => undefined });
    const raw = lexEvent({ intent: 'GreetingIntent', invocationSource: 'DialogCodeHook', sessionAttributes: { keep: 'yes' } });
    (raw.sessionState.sessionAttributes as Record<string, unknown>).count = 3;

    const response = await handler(raw);

    expect(response.sessionState.dialogAction.type).toBe('Delegate');
    expect(response.sessionState.sessionAttributes).toEqual({ keep: 'yes' });
    expect(lexResponseProblems(response)).toEqual([]);
  });
});

describe('slots echoed back to Lex', () => {
  it('go back empty when Lex sent them without an interpretedValue, and keep the list items it resolved', () => {
    const event = lexEvent({
      intent: 'OrderIntent',
      slots: {
        size: 'large',
        heard: { shape: 'Scalar', value: { originalValue: 'grande-ish', resolvedValues: [] } },
        toppings: { shape: 'List', values: [{ shape: 'Scalar', value: { interpretedValue: 'ham' } }, { shape: 'Scalar', value: { originalValue: 'zz' } }] },
        nothing: { shape: 'List', values: [{ shape: 'Scalar', value: { originalValue: 'zz' } }] },
      },
    });

    const response = delegateResponse(event, {});

    expect(response.sessionState.intent!.slots).toEqual({
      size: { shape: 'Scalar', value: { originalValue: 'large', interpretedValue: 'large', resolvedValues: ['large'] } },
      heard: null,
      toppings: { shape: 'List', values: [{ shape: 'Scalar', value: { interpretedValue: 'ham' } }] },
      nothing: null,
    });
    expect(lexResponseProblems(response)).toEqual([]);
  });
});

describe('long answers', () => {
  const sentence = 'Atlas answers every caller in milliseconds from its cache, and generates fresh answers in the background. ';

  it.each([1023, 1024, 1025, 5000])('are sent as messages of at most 1,024 characters (%i characters)', (length) => {
    const text = sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length - 1) + '.';

    const response = closeResponse(lexEvent({ intent: 'AboutIntent' }), text, {});

    expect(response.messages!.every((m) => (m as { content: string }).content.length <= 1024)).toBe(true);
    expect(response.messages!.length > 1).toBe(length > 1024);
    expect(response.messages!.map((m) => (m as { content: string }).content).join(' ')).toBe(text.trim());
    expect(lexResponseProblems(response)).toEqual([]);
  });

  it('never cut an emoji or an accented word in two', () => {
    const text = 'Olá! Café com pão 🇵🇹 é ótimo. '.repeat(80);

    const response = elicitIntentResponse(text, {});

    expect(response.messages!.length).toBeGreaterThan(1);
    expect(response.messages!.map((m) => (m as { content: string }).content).join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
    expect(lexResponseProblems(response)).toEqual([]);
  });
});
