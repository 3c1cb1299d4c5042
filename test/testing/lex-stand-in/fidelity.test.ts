// The places where the offline runtime once departed from Lex V2 (fidelity review, section A), each checked through
// the real LexRuntimeV2Client (or a voice turn) against the AWS page named above the test.
import { PutSessionCommand, RecognizeTextCommand, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { afterEach, describe, expect, it } from 'vitest';
import type { LexV2Event } from '../../../src/runtime/lex/types';
import { startLexStandIn, type LexStandIn } from '../../../src/testing/lex-stand-in';
import type { BotIntent } from '../../../src/testing/lex-stand-in';
import { close, lexClient, pizzaBot } from './bots';

let lex: LexStandIn | undefined;
afterEach(async () => { await lex?.close(); lex = undefined; });

const group = (value: string, ...variations: string[]) => [{ message: { plainTextMessage: { value } }, variations: variations.map((v) => ({ plainTextMessage: { value: v } })) }];
const said = (out: { messages?: readonly unknown[] }) => (out.messages ?? []).map((m) => (m as { content?: string }).content).join(' ');

async function chat(hook?: (e: LexV2Event) => unknown, intents: Parameters<typeof pizzaBot>[1] = {}, options: { codeHookTimeoutMs?: number; fulfillmentUpdateSecondMs?: number } = {}) {
  lex = await startLexStandIn({ bot: pizzaBot(hook, intents), ...options });
  const client = lexClient(lex.endpoint);
  const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId };
  return (text: string, extra: { sessionId?: string; requestAttributes?: Record<string, string> } = {}): Promise<RecognizeTextCommandOutput> =>
    client.send(new RecognizeTextCommand({ ...ids, sessionId: extra.sessionId ?? 'fid-1', text, requestAttributes: extra.requestAttributes }));
}
/** Orders a small pizza up to the confirmation prompt. */
async function toConfirmation(send: Awaited<ReturnType<typeof chat>>) {
  for (const text of ['order a small pizza', '4155552671', 'two']) await send(text);
}
const failed = (e: LexV2Event, content?: string) => ({
  sessionState: { sessionAttributes: e.sessionState.sessionAttributes, dialogAction: { type: 'Close' }, intent: { ...e.sessionState.intent, state: 'Failed' } },
  ...(content ? { messages: [{ contentType: 'PlainText', content }] } : {}),
});

describe('session attributes on a call (Connect admin guide, how-to-use-session-attributes.html)', () => {
  // "Session attributes provided by Lambda override everything prior", the Get customer input block's included.
  it("keeps what the code hook wrote over the flow's value when the flow sends the same attributes again on the next turn", async () => {
    lex = await startLexStandIn({ bot: pizzaBot((e) => ({
      sessionState: { sessionAttributes: { interactionKey: 'rotated-by-lambda' }, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent },
    }), { orderPizza: { dialogCodeHook: { enabled: true } } }) });
    await lex.voiceTurn({ sessionId: 'call-a', transcript: 'i want a pizza', sessionAttributes: { interactionKey: 'from-flow' } });
    const second = await lex.voiceTurn({ sessionId: 'call-a', transcript: 'small', sessionAttributes: { interactionKey: 'from-flow' } });
    expect(lex.codeHookCalls[1].event).toMatchObject({ sessionState: { sessionAttributes: { interactionKey: 'rotated-by-lambda' } } });
    expect(second.sessionState).toMatchObject({ sessionAttributes: { interactionKey: 'rotated-by-lambda' } });
  });

  it('takes a value the flow changes (a new Get customer input block), since the block sets its attributes when it runs', async () => {
    lex = await startLexStandIn({ bot: pizzaBot((e) => ({ sessionState: { sessionAttributes: e.sessionState.sessionAttributes, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent } }),
      { orderPizza: { dialogCodeHook: { enabled: true } } }) });
    await lex.voiceTurn({ sessionId: 'call-b', transcript: 'i want a pizza', sessionAttributes: { step: 'one' } });
    await lex.voiceTurn({ sessionId: 'call-b', transcript: 'small', sessionAttributes: { step: 'two' } });
    expect(lex.codeHookCalls[1].event).toMatchObject({ sessionState: { sessionAttributes: { step: 'two' } } });
  });
});

describe('a fulfillment hook that fails (API_runtime_RecognizeText.html, "Failed message")', () => {
  // "The failed message is returned if the Lambda function throws an exception or if the Lambda function returns a
  // failed intent state without a message."
  it("plays the intent's failure response when the fulfillment code hook throws: the user reads an apology, not an error", async () => {
    const send = await chat(() => { throw new Error('CRM down'); }, { orderPizza: { fulfillmentCodeHook: { enabled: true, postFulfillmentStatusSpecification: { failureResponse: { messageGroupsList: group('Sorry, the kitchen is closed.') } } } } });
    await toConfirmation(send);
    const out = await send('yes');
    expect(said(out)).toBe('Sorry, the kitchen is closed.');
    expect(out.sessionState?.intent).toMatchObject({ name: 'OrderPizza', state: 'Failed' });
    expect(lex!.codeHookCalls.at(-1)).toMatchObject({ invocationSource: 'FulfillmentCodeHook', error: { type: 'DependencyFailedException' } });
  });

  it('plays the failure response when the hook closes the intent as Failed without a message', async () => {
    const send = await chat((e) => failed(e), { orderPizza: { fulfillmentCodeHook: { enabled: true, postFulfillmentStatusSpecification: { failureResponse: { messageGroupsList: group('That did not work.') } } } } });
    await toConfirmation(send);
    expect(said(await send('yes'))).toBe('That did not work.');
  });

  // lexv2/latest/dg/intent-fulfillment.html: "In the absence of a condition or an explicit next step, Amazon Lex V2
  // moves to the closing response."
  it('plays the success response and then the closing response when the hook closes the intent without a message', async () => {
    const send = await chat((e) => ({ sessionState: { dialogAction: { type: 'Close' }, intent: { ...e.sessionState.intent, state: 'Fulfilled' } } }), {
      orderPizza: {
        fulfillmentCodeHook: { enabled: true, postFulfillmentStatusSpecification: { successResponse: { messageGroupsList: group('Your pizza is ordered.') } } },
        intentClosingSetting: { closingResponse: { messageGroupsList: group('Anything else?') } },
      },
    });
    await toConfirmation(send);
    const out = await send('yes');
    expect(out.messages?.map((m) => m.content)).toEqual(['Your pizza is ordered.', 'Anything else?']);
  });
});

describe('the dialog code hook on a failed attempt (lambda-input-format.html, proposedNextState.prompt.attempt)', () => {
  it('invokes the dialog code hook on a value it cannot resolve, naming the attempt Retry1, and plays the next variation of an Ordered prompt', async () => {
    const events: LexV2Event[] = [];
    const ordered: Partial<BotIntent> = {
      dialogCodeHook: { enabled: true },
      slots: [{ name: 'Size', slotTypeName: 'PizzaSize', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 2, messageSelectionStrategy: 'Ordered', messageGroupsList: group('What size?', 'Small or large?', 'Say small or large, please.') } } }],
      slotPriorities: [], intentConfirmationSetting: undefined,
    };
    const send = await chat((e) => { events.push(e); return { sessionState: { sessionAttributes: {}, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent } }; }, { orderPizza: ordered });
    expect(said(await send('i want a pizza'))).toBe('What size?');
    expect(said(await send('purple'))).toBe('Small or large?');
    expect(said(await send('green'))).toBe('Say small or large, please.');
    expect(events.map((e) => (e.proposedNextState as { prompt?: { attempt: string } }).prompt?.attempt)).toEqual(['Initial', 'Retry1', 'Retry2']);
    expect(events[1]).toMatchObject({ invocationSource: 'DialogCodeHook', inputTranscript: 'purple', proposedNextState: { dialogAction: { type: 'ElicitSlot', slotToElicit: 'Size' } } });
  });

  it("lets the hook answer a failed attempt with its own message (custom validation), which replaces the bot's re-prompt", async () => {
    const send = await chat((e) => {
      const attempt = (e.proposedNextState as { prompt?: { attempt: string } }).prompt?.attempt;
      if (attempt === 'Retry1') return { sessionState: { sessionAttributes: {}, dialogAction: { type: 'ElicitSlot', slotToElicit: 'Size' }, intent: e.sessionState.intent }, messages: [{ contentType: 'PlainText', content: 'We only have small and large.' }] };
      return { sessionState: { sessionAttributes: {}, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent } };
    }, { orderPizza: { dialogCodeHook: { enabled: true } } });
    await send('i want a pizza');
    expect(said(await send('purple'))).toBe('We only have small and large.');
  });
});

describe('switches that turn code hooks off (API_FulfillmentCodeHookSettings, API_DialogCodeHookInvocationSetting)', () => {
  // "When active is false, the code hook doesn't run."
  it('does not run the fulfillment code hook when fulfillmentCodeHook.isActive is false; Lex closes with the closing response', async () => {
    const send = await chat((e) => close(e, 'From the hook.'), { orderPizza: { fulfillmentCodeHook: { enabled: true, isActive: false }, intentClosingSetting: { closingResponse: { messageGroupsList: group('Done.') } } } });
    await toConfirmation(send);
    const out = await send('yes');
    expect(said(out)).toBe('Done.');
    expect(lex!.codeHookCalls).toHaveLength(0);
  });

  it('skips the dialog code hook at a step whose codeHook says enableCodeHookInvocation false, and sends the invocationLabel where it runs', async () => {
    const events: LexV2Event[] = [];
    const send = await chat((e) => { events.push(e); return { sessionState: { sessionAttributes: {}, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent } }; }, {
      orderPizza: {
        dialogCodeHook: { enabled: true },
        initialResponseSetting: { codeHook: { enableCodeHookInvocation: false, isActive: true } },
        slots: [{ name: 'Size', slotTypeName: 'PizzaSize', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: group('What size?') },
          slotCaptureSetting: { codeHook: { enableCodeHookInvocation: true, isActive: true, invocationLabel: 'size-captured' } } } }],
        slotPriorities: [], intentConfirmationSetting: undefined,
      },
    });
    await send('i want a pizza');
    expect(events).toHaveLength(0);
    await send('large');
    expect(events.map((e) => e.invocationSource)).toEqual(['DialogCodeHook', 'FulfillmentCodeHook']);
    expect(events[0]).toMatchObject({ invocationLabel: 'size-captured', proposedNextState: { dialogAction: { type: 'Delegate' } } });
    expect(events[1]).not.toHaveProperty('invocationLabel');
  });
});

describe('responses Lex rejects (lambda-common-structures.html, Session state > intent: "state – Required")', () => {
  it.each([
    ['an ElicitSlot without intent.state', (e: LexV2Event) => ({ sessionState: { dialogAction: { type: 'ElicitSlot', slotToElicit: 'Size' }, intent: { name: e.sessionState.intent!.name, slots: e.sessionState.intent!.slots } } }), /ElicitSlot needs sessionState.intent.state/],
    ['ReadyForFulfillment with ConfirmIntent', (e: LexV2Event) => ({ sessionState: { dialogAction: { type: 'ConfirmIntent' }, intent: { ...e.sessionState.intent, state: 'ReadyForFulfillment' } }, messages: [{ contentType: 'PlainText', content: 'Sure?' }] }), /ReadyForFulfillment is allowed only with dialogAction Delegate/],
  ])('answers DependencyFailedException for %s instead of filling in a state', async (_, answer, problem) => {
    const send = await chat(answer, { orderPizza: { dialogCodeHook: { enabled: true } } });
    await expect(send('i want a pizza')).rejects.toMatchObject({ name: 'DependencyFailedException', message: expect.stringMatching(problem) });
  });
});

describe('the fulfillment timeout (API_runtime_StartConversation, API_runtime_RecognizeText, FulfillmentUpdatesSpecification)', () => {
  const slow = (ms: number) => async (e: LexV2Event) => { await new Promise((r) => setTimeout(r, ms)); return close(e, 'Ready.'); };
  const updates = (spec: Record<string, unknown>) => ({ orderPizza: { fulfillmentCodeHook: { enabled: true, fulfillmentUpdatesSpecification: { active: true, ...spec } as never,
    postFulfillmentStatusSpecification: { timeoutResponse: { messageGroupsList: group('We will text you when it is ready.') } } } } });

  // "If the fulfillment update message is not active, the Lambda function runs with a 30 second timeout": with
  // updates active, Lex waits timeoutInSeconds instead.
  it('waits the fulfillment timeout, not the 30 s code hook timeout, when updates are active', async () => {
    lex = await startLexStandIn({ bot: pizzaBot(slow(150), updates({ timeoutInSeconds: 40, updateResponse: { frequencyInSeconds: 20, messageGroups: group('Still baking.') } })), codeHookTimeoutMs: 50, fulfillmentUpdateSecondMs: 10 });
    for (const transcript of ['order a small pizza', '4155552671', 'two']) await lex.voiceTurn({ sessionId: 'call-t', transcript });
    const out = await lex.voiceTurn({ sessionId: 'call-t', transcript: 'yes' });
    expect(said(out)).toBe('Ready.');
  });

  // "If you configure a timeout, the timeout message is returned when the period times out."
  it('plays the timeout response on RecognizeText too, without start or update messages', async () => {
    const send = await chat(slow(300), updates({ timeoutInSeconds: 5, startResponse: { delayInSeconds: 1, messageGroups: group('Working on it.') } }), { fulfillmentUpdateSecondMs: 10 });
    await toConfirmation(send);
    const out = await send('yes');
    expect(said(out)).toBe('We will text you when it is ready.');
    expect(lex!.turns.at(-1)?.progress).toEqual([]);
  });

  it('plays update messages without a start message: the two are independent', async () => {
    lex = await startLexStandIn({ bot: pizzaBot(slow(120), updates({ timeoutInSeconds: 60, updateResponse: { frequencyInSeconds: 2, messageGroups: group('Still baking.') } })), fulfillmentUpdateSecondMs: 10 });
    for (const transcript of ['order a small pizza', '4155552671', 'two']) await lex.voiceTurn({ sessionId: 'call-u', transcript });
    const out = await lex.voiceTurn({ sessionId: 'call-u', transcript: 'yes' });
    expect(out.progress.length).toBeGreaterThan(0);
    expect(out.progress.every((p) => p.kind === 'update')).toBe(true);
  });
});

describe('request attributes (context-mgmt-request-attribs.html: they "apply only to the current request")', () => {
  it('gives the hook and the response only the attributes of the request at hand', async () => {
    const events: LexV2Event[] = [];
    const send = await chat((e) => { events.push(e); return { sessionState: { sessionAttributes: {}, dialogAction: { type: 'Delegate' }, intent: e.sessionState.intent } }; }, { orderPizza: { dialogCodeHook: { enabled: true } } });
    const first = await send('i want a pizza', { requestAttributes: { channel: 'kiosk' } });
    expect(first.requestAttributes).toEqual({ channel: 'kiosk' });
    const second = await send('small');
    expect(second.requestAttributes).toBeUndefined();
    expect(events[1].requestAttributes).toEqual({});
  });

  it('does not keep the request attributes of a PutSession', async () => {
    lex = await startLexStandIn({ bot: pizzaBot() });
    const client = lexClient(lex.endpoint);
    const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId, sessionId: 'put-ra' };
    await client.send(new PutSessionCommand({ ...ids, sessionState: { sessionAttributes: {} }, requestAttributes: { once: 'yes' } }));
    const out = await client.send(new RecognizeTextCommand({ ...ids, text: 'hello' }));
    expect(out.requestAttributes).toBeUndefined();
    client.destroy();
  });
});

describe('default slot values from a context (context-mgmt-default.html)', () => {
  it('fills an empty slot from #context.slot of an active context a fulfilled intent set', async () => {
    const send = await chat((e) => close(e, 'Ordered.'), {
      orderPizza: { outputContexts: [{ name: 'lastOrder', turnsToLive: 5, timeToLiveInSeconds: 600 }] },
      more: [{
        name: 'Reorder', sampleUtterances: [{ utterance: 'same again' }], inputContexts: [{ name: 'lastOrder' }],
        slots: [{ name: 'Size', slotTypeName: 'PizzaSize', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: group('What size?') },
          defaultValueSpecification: { defaultValueList: [{ defaultValue: '#lastOrder.Size' }] } } }],
        intentClosingSetting: { closingResponse: { messageGroupsList: group('Another {Size} one coming.') } },
      }],
    });
    await toConfirmation(send);
    await send('yes');
    expect(said(await send('same again'))).toBe('Another small one coming.');
  });
});

describe('conversation-flow settings the offline runtime does not play', () => {
  it('names each one (a conditional branch, a capture response) instead of passing over them in silence', async () => {
    const branching = { slots: [{ name: 'Size', slotTypeName: 'PizzaSize', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: group('What size?') },
      slotCaptureSetting: { captureResponse: { messageGroupsList: group('Got it.') }, captureConditional: { isActive: true, conditionalBranches: [], defaultBranch: {} } } } }] } as unknown as Partial<BotIntent>;
    lex = await startLexStandIn({ bot: pizzaBot(undefined, { orderPizza: branching }) });
    expect(lex.unmodelled).toEqual([
      'en_US OrderPizza.slots[0].valueElicitationSetting.slotCaptureSetting.captureResponse',
      'en_US OrderPizza.slots[0].valueElicitationSetting.slotCaptureSetting.captureConditional',
    ]);
    await lex.close();
    lex = await startLexStandIn({ bot: pizzaBot() });
    expect(lex.unmodelled).toEqual([]);
  });
});

describe("Lex's error types (the runtime API reference lists ConflictException, 409, on every operation)", () => {
  it('answers ConflictException to a second turn on a session whose first turn is still running', async () => {
    const send = await chat(async (e) => { await new Promise((r) => setTimeout(r, 150)); return close(e, 'Ordered.'); });
    await toConfirmation(send);
    const first = send('yes');
    await new Promise((r) => setTimeout(r, 30));
    await expect(send('yes')).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    await expect(first).resolves.toMatchObject({ messages: [{ content: 'Ordered.' }] });
  });
});
