// Voice turns as Amazon Connect sends them (inputMode Speech, transcriptions, the Connect platform attribute, the
// flow's session attributes), fulfillment start/update messages while the code hook runs, and sessions' idle TTL.
import { GetSessionCommand, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { LexV2Event } from '../../../src/runtime/lex-types';
import { startLexStandIn, type LexProgressMessage, type LexStandIn } from '../../../src/testing/lex-stand-in';
import { close, lexClient, pizzaBot } from './bots';

let lex: LexStandIn | undefined;
afterEach(async () => { await lex?.close(); lex = undefined; });

const group = (value: string) => [{ message: { plainTextMessage: { value } } }];
const slowKitchen = {
  fulfillmentCodeHook: {
    enabled: true,
    fulfillmentUpdatesSpecification: {
      active: true,
      startResponse: { delayInSeconds: 1, messageGroups: group('Placing your order...') },
      updateResponse: { frequencyInSeconds: 1, messageGroups: group('Still on it.') },
      timeoutInSeconds: 30,
    },
    postFulfillmentStatusSpecification: { timeoutResponse: { messageGroupsList: group('The kitchen is busy; we will text you.') } },
  },
};

describe('voice turns (Amazon Connect voice channel)', () => {
  it('sends the code hook a Speech event with the transcription, the Connect platform attribute and the flow session attributes', async () => {
    const events: LexV2Event[] = [];
    lex = await startLexStandIn({ bot: pizzaBot((e) => { events.push(e); return close(e, 'Hi caller.'); }, { hello: { fulfillmentCodeHook: { enabled: true } } }) });
    const out = await lex.voiceTurn({ sessionId: 'call-1', transcript: 'hello', transcriptionConfidence: 0.82, sessionAttributes: { interactionKey: 'ik-1' } });
    expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'Hi caller.' }]);
    expect(events[0]).toMatchObject({
      inputMode: 'Speech', responseContentType: 'audio/pcm', inputTranscript: 'hello',
      transcriptions: [{ transcription: 'hello', transcriptionConfidence: 0.82, resolvedContext: { intent: 'Hello' } }],
      requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
      sessionState: { sessionAttributes: { interactionKey: 'ik-1' } },
    });
    expect(lex.turns.at(-1)).toMatchObject({ operation: 'VoiceTurn', inputMode: 'Speech' });
  });

  it('sends keypad input as inputMode DTMF without a transcription, and fills the slot from the digits', async () => {
    const events: LexV2Event[] = [];
    lex = await startLexStandIn({ bot: pizzaBot((e) => { events.push(e); return close(e, 'Ordered.'); }) });
    await lex.voiceTurn({ sessionId: 'call-dtmf', transcript: 'order a large pizza' });
    const out = await lex.voiceTurn({ sessionId: 'call-dtmf', transcript: '4155552671', inputMode: 'DTMF' });
    expect(out.sessionState).toMatchObject({ dialogAction: { type: 'ElicitSlot', slotToElicit: 'Count' }, intent: { slots: { Phone: { value: { interpretedValue: '4155552671' } } } } });
    expect(lex.turns.at(-1)).toMatchObject({ inputMode: 'DTMF' });
    await lex.voiceTurn({ sessionId: 'call-dtmf', transcript: '2', inputMode: 'DTMF' });
    await lex.voiceTurn({ sessionId: 'call-dtmf', transcript: 'yes' });
    expect(events[0]).toMatchObject({ inputMode: 'Speech', transcriptions: [{ transcription: 'yes' }] });
  });

  it('plays the fulfillment start message after its delay and updates on their frequency while the code hook runs, then the answer', async () => {
    const heard: LexProgressMessage[] = [];
    let answeredAfter: LexProgressMessage[] = [];
    lex = await startLexStandIn({
      fulfillmentUpdateSecondMs: 20,
      bot: pizzaBot(async (e) => {
        await new Promise((r) => setTimeout(r, 150));
        answeredAfter = [...heard];
        return close(e, 'Order placed.');
      }, { orderPizza: slowKitchen }),
    });
    for (const transcript of ['order a small pizza', 'four one five five five five two six seven one', 'two']) await lex.voiceTurn({ sessionId: 'call-2', transcript });
    const out = await lex.voiceTurn({ sessionId: 'call-2', transcript: 'yes', onProgress: (m) => heard.push(m) });

    expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'Order placed.' }]);
    expect(out.progress).toEqual(heard);
    expect(heard[0]).toMatchObject({ kind: 'start', messages: [{ contentType: 'PlainText', content: 'Placing your order...' }] });
    expect(heard.slice(1).length).toBeGreaterThan(0);
    expect(heard.slice(1).every((m) => m.kind === 'update' && JSON.stringify(m.messages) === JSON.stringify([{ contentType: 'PlainText', content: 'Still on it.' }]))).toBe(true);
    expect(answeredAfter).toEqual(heard); // every message played before the answer, none after it
  });

  it('plays the post-fulfillment timeout response when the code hook runs past the fulfillment timeout', async () => {
    lex = await startLexStandIn({
      fulfillmentUpdateSecondMs: 5,
      bot: pizzaBot(async (e) => { await new Promise((r) => setTimeout(r, 400)); return close(e, 'Too late.'); },
        { orderPizza: { fulfillmentCodeHook: { ...slowKitchen.fulfillmentCodeHook, fulfillmentUpdatesSpecification: { ...slowKitchen.fulfillmentCodeHook.fulfillmentUpdatesSpecification, timeoutInSeconds: 10 } } } }),
    });
    for (const transcript of ['order a small pizza', '4155552671', 'two']) await lex.voiceTurn({ sessionId: 'call-3', transcript });
    const out = await lex.voiceTurn({ sessionId: 'call-3', transcript: 'yes' });
    expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'The kitchen is busy; we will text you.' }]);
    expect(out.sessionState).toMatchObject({ intent: { state: 'Failed' }, dialogAction: { type: 'Close' } });
  });

  it('plays no fulfillment updates on RecognizeText, which is not a streaming conversation', async () => {
    lex = await startLexStandIn({ fulfillmentUpdateSecondMs: 5, bot: pizzaBot(async (e) => { await new Promise((r) => setTimeout(r, 60)); return close(e, 'Done.'); }, { orderPizza: slowKitchen }) });
    const client = lexClient(lex.endpoint);
    const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId, sessionId: 'web-1' };
    for (const text of ['order a small pizza', '4155552671', 'two', 'yes']) await client.send(new RecognizeTextCommand({ ...ids, text }));
    expect(lex.turns.at(-1)).toMatchObject({ response: { messages: [{ content: 'Done.' }] }, progress: [] });
    client.destroy();
  });
});

describe('sessions', () => {
  it("forgets a session idle for longer than the bot's idleSessionTtlInSeconds, as Lex does", async () => {
    let now = 1_000_000;
    lex = await startLexStandIn({ bot: pizzaBot(), clock: () => now });
    const client = lexClient(lex.endpoint);
    const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId, sessionId: 'idle-1' };
    await client.send(new RecognizeTextCommand({ ...ids, text: 'i want a pizza' }));
    now += 59_000; // the pizza bot's TTL is 60 s
    await expect(client.send(new GetSessionCommand(ids))).resolves.toMatchObject({ sessionState: { dialogAction: { type: 'ElicitSlot' } } });
    now += 61_000;
    await expect(client.send(new GetSessionCommand(ids))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // A new turn starts a new conversation: "small" is no answer to a question nobody asked now.
    const fresh = await client.send(new RecognizeTextCommand({ ...ids, text: 'small' }));
    expect(fresh.sessionState?.intent?.name).toBe('FallbackIntent');
    client.destroy();
  });

  it('keeps sessions apart by session id', async () => {
    lex = await startLexStandIn({ bot: pizzaBot() });
    const client = lexClient(lex.endpoint);
    const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId };
    await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'a-1', text: 'i want a pizza' }));
    const other = await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'b-1', text: 'small' }));
    expect(other.sessionState?.intent?.name).toBe('FallbackIntent');
    const first = await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'a-1', text: 'small' }));
    expect(first.sessionState?.intent?.slots?.Size?.value?.interpretedValue).toBe('small');
    client.destroy();
  });
});
