import { describe, expect, it } from 'vitest';
import { workflowInput } from '../../../src/runtime/lex/fulfillment';
import { appendHistory, readHistory, HISTORY_ATTRIBUTE } from '../../../src/runtime/lex/history';
import { parseLexEvent, slotValues } from '../../../src/runtime/lex/parse';
import { lexEvent } from '../../../src/testing';

describe('parseLexEvent', () => {
  it('accepts a Lex V2 event and keeps unknown fields', () => {
    const event = { ...lexEvent({ intent: 'GreetingIntent' }), brandNewField: 1 };

    expect(parseLexEvent(event)).toBe(event);
  });

  it.each([
    [null, "'(event)' must be a JSON object"],
    [{ invocationSource: 'X', sessionState: {} }, "'invocationSource' must be DialogCodeHook or FulfillmentCodeHook"],
    [{ invocationSource: 'DialogCodeHook' }, "'sessionState' must be an object"],
    [{ invocationSource: 'DialogCodeHook', sessionState: { intent: {} } }, "'sessionState.intent.name' must be a non-empty string"],
    [{ invocationSource: 'DialogCodeHook', sessionState: { intent: { name: 'A', slots: [] } } }, "'sessionState.intent.slots' must be an object"],
    [{ invocationSource: 'DialogCodeHook', sessionState: { intent: { name: 'A' } }, inputTranscript: 5 }, "'inputTranscript' must be a string"],
  ])('names the field that makes %j unusable', (event, message) => {
    expect(() => parseLexEvent(event)).toThrow(message);
  });
});

describe('slotValues', () => {
  it('takes interpreted values, falls back to the original, joins list slots and skips empty slots', () => {
    const event = lexEvent({
      intent: 'OrderIntent',
      slots: {
        size: 'large',
        raw: { shape: 'Scalar', value: { originalValue: 'as typed' } },
        toppings: { shape: 'List', values: [{ value: { interpretedValue: 'ham' } }, { value: { interpretedValue: 'olives' } }] },
        missing: null,
      },
    });

    expect(slotValues(event)).toEqual({ size: 'large', raw: 'as typed', toppings: 'ham, olives' });
  });
});

describe('conversation history', () => {
  it('keeps the last turns within the turn bound, other attributes untouched', () => {
    let attributes: Record<string, string> = { keep: 'me' };
    for (let i = 0; i < 10; i++) attributes = appendHistory(attributes, { i: `Intent${i}` }, { maxTurns: 4 });

    expect(attributes.keep).toBe('me');
    expect(readHistory(attributes).map((t) => t.i)).toEqual(['Intent6', 'Intent7', 'Intent8', 'Intent9']);
  });

  it('never writes what the user said or the bot answered into the session attributes (they reach the client and the logs)', () => {
    const attributes = appendHistory({}, { i: 'RequestDemoIntent', u: 'my number is 415 555 0100, Maria Lopez', b: "Thanks Maria! We'll call +14155550100." });

    expect(JSON.parse(attributes[HISTORY_ATTRIBUTE])).toEqual([{ i: 'RequestDemoIntent' }]);
    expect(JSON.stringify(attributes)).not.toMatch(/415|Maria/);
  });

  it('drops the text of a history an older version wrote, keeping the intents', () => {
    const old = { [HISTORY_ATTRIBUTE]: JSON.stringify([{ i: 'GreetingIntent', u: 'hi, I am Maria', b: 'Hello Maria' }]) };

    expect(JSON.parse(appendHistory(old, { i: 'AboutIntent' })[HISTORY_ATTRIBUTE])).toEqual([{ i: 'GreetingIntent' }, { i: 'AboutIntent' }]);
  });

  it('drops the oldest turns first when the attribute would exceed its byte budget', () => {
    let attributes: Record<string, string> = {};
    for (let i = 0; i < 6; i++) attributes = appendHistory(attributes, { i: `${'I'.repeat(40)}${i}` }, { maxBytes: 150 });

    expect(Buffer.byteLength(attributes[HISTORY_ATTRIBUTE])).toBeLessThanOrEqual(150);
    expect(readHistory(attributes).at(-1)!.i).toBe(`${'I'.repeat(40)}5`);
  });

  it('treats a corrupt history attribute as empty instead of failing the turn', () => {
    expect(readHistory({ [HISTORY_ATTRIBUTE]: '{not json' })).toEqual([]);
  });
});

describe('workflowInput', () => {
  const event = lexEvent({ intent: 'RequestDemoIntent' });

  it('maps slots into nested input paths and leaves unfilled slots out', () => {
    const input = workflowInput(
      { stateMachineArn: 'arn', answer: 'ok', input: { 'lead.lastName': 'name', 'lead.phone': 'phone', 'lead.email': 'email' } },
      'RequestDemoIntent', { name: 'Ada', phone: '+12065550100' }, event,
    );

    expect(input).toEqual({ lead: { lastName: 'Ada', phone: '+12065550100' } });
  });

  it('passes every slot under `slots` when no mapping is given', () => {
    const input = workflowInput({ stateMachineArn: 'arn', answer: 'ok' }, 'RequestDemoIntent', { name: 'Ada' }, event);

    expect(input).toMatchObject({ intent: 'RequestDemoIntent', slots: { name: 'Ada' }, localeId: 'en_US' });
  });
});
