// Dialog management as Lex V2 does it, through the real LexRuntimeV2Client: classification and fallback, slots in
// priority order with the bot's prompts and retries, confirmation and declination, code hooks and their answers.
import { RecognizeTextCommand, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { LexV2Event } from '../../../src/runtime/lex/types';
import { startLexStandIn, type LexStandIn } from '../../../src/testing/lex-stand-in';
import { close, lexClient, pizzaBot } from './bots';

let lex: LexStandIn | undefined;
afterEach(async () => { await lex?.close(); lex = undefined; });

async function conversation(hook?: (e: LexV2Event) => unknown, intents: Parameters<typeof pizzaBot>[1] = {}) {
  lex = await startLexStandIn({ bot: pizzaBot(hook, intents) });
  const client = lexClient(lex.endpoint);
  const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId };
  return async (text: string, sessionId = 'customer-1', sessionAttributes?: Record<string, string>): Promise<RecognizeTextCommandOutput> =>
    client.send(new RecognizeTextCommand({ ...ids, sessionId, text, ...(sessionAttributes ? { sessionState: { sessionAttributes } } : {}) }));
}
const said = (out: RecognizeTextCommandOutput) => (out.messages ?? []).map((m) => m.content).join(' ');

describe('intent classification from the sample utterances (not Lex NLU)', () => {
  it('picks the intent whose sample matches and reports its confidence; the fallback intent is always listed', async () => {
    const send = await conversation();
    const out = await send('Hello!');
    expect(out.sessionState?.intent?.name).toBe('Hello');
    expect(out.interpretations?.[0]).toMatchObject({ intent: { name: 'Hello' }, nluConfidence: { score: 1 } });
    expect(out.interpretations?.at(-1)?.intent?.name).toBe('FallbackIntent');
    expect(said(out)).toBe('Hi! Want a pizza?');
    expect(out.sessionState?.dialogAction?.type).toBe('Close');
  });

  it('goes to the fallback intent below the locale nluConfidenceThreshold', async () => {
    const send = await conversation();
    const out = await send('what is the weather on mars');
    expect(out.sessionState?.intent?.name).toBe('FallbackIntent');
    expect(out.interpretations?.[0]?.intent?.name).toBe('FallbackIntent');
    expect(said(out)).toBe('Sorry, I only do pizza.');
  });

  // API_runtime_RecognizeText.html "interpretations": the intents that might satisfy the utterance, each with a score,
  // at most 5; below the locale's nluConfidenceThreshold the fallback intent is chosen (AWSCloudFormation/latest/UserGuide/aws-properties-lex-bot-botlocale.html).
  it('answers an utterance that matches no intent well enough with the fallback intent first and the near misses ranked with their scores', async () => {
    const send = await conversation();
    const out = await send('morning pizza please');
    const scores = (out.interpretations ?? []).map((i) => [i.intent?.name, i.nluConfidence?.score]);
    expect(scores[0]).toEqual(['FallbackIntent', undefined]);
    expect(scores.slice(1).map(([name]) => name).sort()).toEqual(['Hello', 'OrderPizza']);
    const near = scores.slice(1).map(([, score]) => score as number);
    expect(near.every((score) => score > 0 && score < 0.5)).toBe(true);
    expect(near).toEqual([...near].sort((a, b) => b - a));
    expect(out.interpretations!.length).toBeLessThanOrEqual(5);
  });

  it('captures a {Slot} of the sample utterance and resolves it by the custom type (TOP_RESOLUTION, synonyms)', async () => {
    const send = await conversation();
    const out = await send('order a big pizza');
    expect(out.sessionState?.intent?.slots?.Size?.value).toEqual({ originalValue: 'big', interpretedValue: 'large', resolvedValues: ['large'] });
    expect(out.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Phone' });
  });
});

describe('slot elicitation, confirmation and fulfillment', () => {
  it('elicits the required slots in priority order with the bot prompts, confirms with slot values, then fulfills', async () => {
    const events: LexV2Event[] = [];
    const send = await conversation((e) => { events.push(e); return close(e, `Ordered ${e.sessionState.intent!.slots!.Count!.value!.interpretedValue}.`); });
    expect(said(await send('i want a pizza'))).toBe('What size?');
    expect(said(await send('little'))).toBe('Your phone number?');
    expect(said(await send('four one five five five five two six seven one'))).toBe('How many?');
    const confirm = await send('twenty two');
    expect(confirm.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
    expect(said(confirm)).toBe('22 small pizzas, and we call 4155552671. Shall I order?');
    expect(events).toHaveLength(0); // no dialog code hook is enabled, and nothing is fulfilled before the confirmation

    const done = await send('yes');
    expect(said(done)).toBe('Ordered 22.');
    expect(done.sessionState?.intent).toMatchObject({ name: 'OrderPizza', state: 'Fulfilled', confirmationState: 'Confirmed' });
    expect(events.map((e) => e.invocationSource)).toEqual(['FulfillmentCodeHook']);
    expect(events[0].sessionState.intent).toMatchObject({ state: 'ReadyForFulfillment', confirmationState: 'Confirmed' });
    expect(events[0].sessionState.intent!.slots).toEqual({
      Size: { shape: 'Scalar', value: { originalValue: 'little', interpretedValue: 'small', resolvedValues: ['small'] } },
      Phone: { shape: 'Scalar', value: { originalValue: 'four one five five five five two six seven one', interpretedValue: '4155552671', resolvedValues: ['4155552671'] } },
      Count: { shape: 'Scalar', value: { originalValue: 'twenty two', interpretedValue: '22', resolvedValues: ['22'] } },
      Note: null,
    });
  });

  it('re-prompts a value it cannot resolve, then hands over to the fallback intent once the retries are spent', async () => {
    const send = await conversation();
    await send('i want a pizza');
    const retry = await send('purple');
    expect(retry.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Size' });
    expect(said(retry)).toBe('What size?');
    const gaveUp = await send('purple again');
    expect(gaveUp.sessionState?.intent?.name).toBe('FallbackIntent');
    expect(said(gaveUp)).toBe('Sorry, I only do pizza.');
  });

  it('plays the declination response and fails the intent when the user says no to the confirmation', async () => {
    const events: LexV2Event[] = [];
    const send = await conversation((e) => { events.push(e); return close(e, 'Ordered.'); });
    await send('order a small pizza');
    await send('+44 20 7183 8750');
    await send('2');
    const declined = await send('no thanks');
    expect(said(declined)).toBe('Okay, no pizza then.');
    expect(declined.sessionState?.intent).toMatchObject({ state: 'Failed', confirmationState: 'Denied' });
    expect(events).toHaveLength(0);
  });
});

describe('the code hooks and their answers', () => {
  it('invokes the dialog code hook on each turn where it is enabled, with the proposed next state, and obeys ElicitSlot', async () => {
    const events: LexV2Event[] = [];
    const send = await conversation((e) => {
      events.push(e);
      if (e.invocationSource === 'FulfillmentCodeHook') return close(e, 'Ordered.');
      // The handler asks for the phone number first, whatever Lex proposed.
      if (!e.sessionState.intent!.slots!.Phone) {
        return { sessionState: { sessionAttributes: { asked: 'phone' }, dialogAction: { type: 'ElicitSlot', slotToElicit: 'Phone' }, intent: e.sessionState.intent }, messages: [{ contentType: 'PlainText', content: 'Number first, please.' }] };
      }
      return { sessionState: { sessionAttributes: e.sessionState.sessionAttributes, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent } };
    }, { orderPizza: { dialogCodeHook: { enabled: true } } });
    const first = await send('i want a pizza');
    expect(said(first)).toBe('Number first, please.');
    expect(first.sessionState?.sessionAttributes).toEqual({ asked: 'phone' });
    expect(events[0]).toMatchObject({ invocationSource: 'DialogCodeHook', proposedNextState: { dialogAction: { type: 'ElicitSlot', slotToElicit: 'Size' }, prompt: { attempt: 'Initial' } } });
    const next = await send('4155552671');
    expect(next.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Size' });
    expect(said(next)).toBe('What size?');
    expect(events[1].sessionState.sessionAttributes).toEqual({ asked: 'phone' });
  });

  it('sends the event Lex sends: bot ids, interpretations with nluConfidence, every slot of the intent, request attributes', async () => {
    const events: LexV2Event[] = [];
    const send = await conversation((e) => { events.push(e); return close(e, 'Hi.'); }, { hello: { fulfillmentCodeHook: { enabled: true } } });
    await send('hello');
    expect(events[0]).toMatchObject({
      messageVersion: '1.0', invocationSource: 'FulfillmentCodeHook', inputMode: 'Text', responseContentType: 'text/plain; charset=utf-8',
      sessionId: 'customer-1', inputTranscript: 'hello',
      bot: { id: 'PIZZABOT01', name: 'PizzaBot', aliasId: 'LIVEALIAS1', aliasName: 'live', localeId: 'en_US', version: '3' },
      requestAttributes: {},
      sessionState: { sessionAttributes: {}, activeContexts: [], intent: { name: 'Hello', slots: {}, state: 'ReadyForFulfillment', confirmationState: 'None' } },
    });
    expect(events[0].interpretations![0]).toMatchObject({ intent: { name: 'Hello', state: 'ReadyForFulfillment' }, nluConfidence: 1, interpretationSource: 'Lex' });
    expect(events[0].interpretations!.at(-1)).toMatchObject({ intent: { name: 'FallbackIntent' }, interpretationSource: 'Lex' });
    expect(events[0].interpretations!.at(-1)).not.toHaveProperty('nluConfidence');
    expect(events[0].sessionState.originatingRequestId).toEqual(expect.any(String));
  });

  it("plays the bot's own slot prompt when the hook's ElicitSlot carries no message", async () => {
    const send = await conversation((e) => ({ sessionState: { sessionAttributes: {}, dialogAction: { type: 'ElicitSlot', slotToElicit: 'Count' }, intent: e.sessionState.intent } }),
      { orderPizza: { dialogCodeHook: { enabled: true } } });
    const out = await send('i want a pizza');
    expect(out.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Count' });
    expect(said(out)).toBe('How many?');
  });

  it('drops the session attributes a hook answer leaves out, as Lex does, so a handler that forgets them is caught', async () => {
    const send = await conversation((e) => ({ sessionState: { dialogAction: { type: 'Close' }, intent: { ...e.sessionState.intent, state: 'Fulfilled' } }, messages: [{ contentType: 'PlainText', content: 'Hi.' }] }),
      { hello: { fulfillmentCodeHook: { enabled: true } } });
    const out = await send('hello', 'attrs-1', { cart: '2 pizzas' });
    expect(lex!.codeHookCalls[0].event).toMatchObject({ sessionState: { sessionAttributes: { cart: '2 pizzas' } } });
    expect(out.sessionState?.sessionAttributes).toEqual({});
  });
});

describe('active contexts and initial responses', () => {
  // lexv2/latest/dg/context-mgmt-active-context.html: "The parameters are the slot values for the fulfilled intent".
  it('recognizes an intent with input contexts only while the context a fulfilled intent set is alive (turnsToLive); the context carries its slot values', async () => {
    const send = await conversation((e) => close(e, 'Ordered.'), {
      orderPizza: { outputContexts: [{ name: 'ordered', turnsToLive: 2, timeToLiveInSeconds: 300 }] },
      more: [{ name: 'TrackOrder', sampleUtterances: [{ utterance: 'where is my order' }], inputContexts: [{ name: 'ordered' }], intentClosingSetting: { closingResponse: { messageGroupsList: [{ message: { plainTextMessage: { value: 'On its way.' } } }] } } }],
    });
    expect((await send('where is my order')).interpretations?.[0]?.intent?.name).toBe('FallbackIntent');
    for (const text of ['order a small pizza', '4155552671', 'one']) await send(text);
    const ordered = await send('yes');
    expect(ordered.sessionState?.activeContexts).toEqual([{ name: 'ordered', timeToLive: { timeToLiveInSeconds: 300, turnsToLive: 2 }, contextAttributes: { Size: 'small', Phone: '4155552671', Count: '1' } }]);
    const tracked = await send('where is my order');
    expect(said(tracked)).toBe('On its way.');
    expect(tracked.sessionState?.activeContexts?.[0]?.timeToLive?.turnsToLive).toBe(1);
    await send('hello');
    expect((await send('where is my order')).interpretations?.[0]?.intent?.name).toBe('FallbackIntent');
  });

  it("plays an intent's initial response when it is recognized, before the first slot prompt", async () => {
    const send = await conversation(undefined, { orderPizza: { initialResponseSetting: { initialResponse: { messageGroupsList: [{ message: { plainTextMessage: { value: 'Pizza time!' } } }] } } } });
    const out = await send('i want a pizza');
    expect(out.messages?.map((m) => m.content)).toEqual(['Pizza time!', 'What size?']);
    expect((await send('small')).messages?.map((m) => m.content)).toEqual(['Your phone number?']);
  });
});
