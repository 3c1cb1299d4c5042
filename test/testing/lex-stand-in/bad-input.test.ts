// Bad input, as Lex V2 answers it: each case gets the error Lex gives (Lex V2 API reference, RecognizeText "Errors"),
// and the session is exactly as it was before the turn, so the user's next answer lands where it would have.
import { GetSessionCommand, RecognizeTextCommand, type LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { LexV2Event } from '../../../src/runtime/lex/types';
import { MAX_TEXT_LENGTH, startLexStandIn, type LexStandIn } from '../../../src/testing/lex-stand-in';
import { close, lexClient, pizzaBot } from './bots';

let lex: LexStandIn | undefined;
let client: LexRuntimeV2Client | undefined;
afterEach(async () => { client?.destroy(); await lex?.close(); lex = undefined; });

/** A session that is waiting for the confirmation of an order; the next "yes" invokes the fulfillment code hook. */
async function awaitingConfirmation(hook: (e: LexV2Event) => unknown, options: { codeHookTimeoutMs?: number } = {}) {
  lex = await startLexStandIn({ bot: pizzaBot(hook), ...options });
  client = lexClient(lex.endpoint);
  const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId, sessionId: 'bad-1' };
  const send = (text: string) => client!.send(new RecognizeTextCommand({ ...ids, text }));
  for (const text of ['order a large pizza', '4155552671', 'two']) await send(text);
  const state = () => client!.send(new GetSessionCommand(ids)).then((s) => ({ sessionState: s.sessionState, messages: s.messages }));
  return { send, state, before: await state() };
}

describe('what the user typed', () => {
  it(`refuses an utterance of ${MAX_TEXT_LENGTH + 1} characters with ValidationException, and the order still waits for its confirmation`, async () => {
    const { send, state, before } = await awaitingConfirmation((e) => close(e, 'Ordered.'));
    await expect(send('y'.repeat(MAX_TEXT_LENGTH + 1))).rejects.toMatchObject({
      name: 'ValidationException', $metadata: { httpStatusCode: 400 }, message: expect.stringContaining(`less than or equal to ${MAX_TEXT_LENGTH}`),
    });
    expect(await state()).toEqual(before);
    expect(before.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
  });

  it(`accepts an utterance of exactly ${MAX_TEXT_LENGTH} characters`, async () => {
    const { send } = await awaitingConfirmation((e) => close(e, 'Ordered.'));
    await expect(send(`yes ${'x'.repeat(MAX_TEXT_LENGTH - 4)}`)).resolves.toMatchObject({ sessionState: { intent: { state: 'Fulfilled' } } });
  });

  it('refuses an empty utterance with ValidationException, and nothing changes', async () => {
    const { send, state, before } = await awaitingConfirmation((e) => close(e, 'Ordered.'));
    await expect(send('')).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('greater than or equal to 1') });
    expect(await state()).toEqual(before);
  });
});

describe('what the code hook does', () => {
  it('answers DependencyFailedException when the code hook throws; the user can confirm again once it works', async () => {
    let broken = true;
    const { send, state, before } = await awaitingConfirmation((e) => {
      if (broken) throw new Error('table not found');
      return close(e, 'Ordered.');
    });
    await expect(send('yes')).rejects.toMatchObject({
      name: 'DependencyFailedException', $metadata: { httpStatusCode: 424 }, message: expect.stringMatching(/Received error response from Lambda.*table not found/),
    });
    expect(await state()).toEqual(before);
    expect(lex!.turns.at(-1)).toMatchObject({ error: { type: 'DependencyFailedException' }, codeHookCalls: [{ invocationSource: 'FulfillmentCodeHook', error: { type: 'DependencyFailedException' } }] });
    broken = false;
    await expect(send('yes')).resolves.toMatchObject({ messages: [{ content: 'Ordered.' }] });
  });

  // The V2 error pages carry no descriptions; V1's PostText lists "a Lambda function takes longer than 30 seconds"
  // under DependencyFailedException (docs.aws.amazon.com/lex/latest/dg/API_runtime_PostText.html).
  it('answers DependencyFailedException (424) when the code hook does not answer within the code hook timeout, and nothing changes', async () => {
    const { send, state, before } = await awaitingConfirmation(async (e) => {
      await new Promise((r) => setTimeout(r, 400));
      return close(e, 'Ordered, late.');
    }, { codeHookTimeoutMs: 50 });
    await expect(send('yes')).rejects.toMatchObject({ name: 'DependencyFailedException', $metadata: { httpStatusCode: 424 }, message: expect.stringContaining('Timed out') });
    expect(await state()).toEqual(before);
  });

  it.each([
    ['an ElicitSlot naming a slot the intent lacks', (e: LexV2Event) => ({ sessionState: { dialogAction: { type: 'ElicitSlot', slotToElicit: 'Topping' }, intent: e.sessionState.intent } }), /slotToElicit Topping is not a slot of intent OrderPizza/],
    ['a session attribute that is not a string', (e: LexV2Event) => ({ sessionState: { sessionAttributes: { count: 2 }, dialogAction: { type: 'Close' }, intent: { ...e.sessionState.intent, state: 'Fulfilled' } } }), /sessionAttributes.count must be a string/],
    ['an intent the bot does not have', () => ({ sessionState: { dialogAction: { type: 'Close' }, intent: { name: 'OrderBurger', state: 'Fulfilled' } } }), /intent OrderBurger is not an intent/],
  ])('answers DependencyFailedException for %s, and nothing changes', async (_, answer, problem) => {
    const { send, state, before } = await awaitingConfirmation(answer);
    await expect(send('yes')).rejects.toMatchObject({ name: 'DependencyFailedException', message: expect.stringMatching(problem) });
    expect(await state()).toEqual(before);
  });
});
