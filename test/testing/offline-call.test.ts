// answerCallOffline: an outbound call through the synthesized Connect flow, with each hand-over to the bot played as
// voice turns on the offline Lex runtime (the Connect voice channel: inputMode Speech, the flow's session attributes).
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lex from 'aws-cdk-lib/aws-lex';
import { afterEach, describe, expect, it } from 'vitest';
import { LexCallFlow, type LexCallFlowProps } from '../../src';
import { answerCallOffline, startLexStandIn, type LexStandIn } from '../../src/testing';
import { lexId } from '../../src/testing/lex-stand-in/bot-model';
import { minimalBot } from '../helpers/bot';
import { pizzaBot } from './lex-stand-in/bots';

const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';

/** A stack whose LexCallFlow hands calls to alias `LiveAlias` of bot `Bot`, with one follow-up question. */
function template(props: Partial<LexCallFlowProps> = {}): Record<string, unknown> {
  const stack = new Stack(new App(), 'Offline', { env: { account: '123456789012', region: 'us-east-1' } });
  const bot = minimalBot(stack);
  const botAlias = new lex.CfnBotAlias(stack, 'LiveAlias', { botId: bot.attrId, botAliasName: 'live', botVersion: '1' });
  new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias, greeting: 'Hi from the pizza line.', followUpQuestions: 1, ...props });
  return Template.fromStack(stack).toJSON();
}

let lexRuntime: LexStandIn | undefined;
afterEach(async () => {
  await lexRuntime?.close();
  lexRuntime = undefined;
});

/** The pizza bot served under the ids the offline runtime gives the template's bot and alias (or other ids). */
async function standIn(ids: { botId: string; botAliasId: string } = { botId: lexId('bot:Bot'), botAliasId: lexId('alias:LiveAlias') }): Promise<LexStandIn> {
  lexRuntime = await startLexStandIn({ bot: { ...pizzaBot(), ...ids } });
  return lexRuntime;
}

describe('answerCallOffline', () => {
  // Silence on a call is Lex's: "Amazon Lex V2 matches the fallback intent ... Audio input is noise"
  // (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html); the flow's Lex block returns it.
  it('walks the flow, hands the callee to the bot with the call\'s interactionKey, and ends on silence after the follow-up', async () => {
    const lexStandIn = await standIn();
    const said = ['hello', 'good morning'];
    const call = await answerCallOffline({
      template: template({ followUpQuestions: 2 }), lex: lexStandIn, attributes: { interactionKey: 'call-7' }, contactId: 'contact-7',
      callee: (_spoken, turn) => said[turn],
    });

    expect(call).toMatchObject({ status: 'COMPLETED', endedBy: 'flow' });
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot', 'FollowUp1', 'FollowUp2', 'Goodbye', 'Disconnect']);
    expect(call.steps[4].branch).toBe('Condition FallbackIntent');
    expect(call.turns.map((t) => [t.input, t.said, t.answer])).toEqual([
      ['speech', 'hello', 'Hi! Want a pizza?'], ['speech', 'good morning', 'Hi! Want a pizza?'], ['silence', '', 'Sorry, I only do pizza.'],
    ]);
    // Every turn reached Lex as Connect's voice channel sends it, with the session attributes the flow passes.
    const records = lexStandIn.turns;
    expect(records.map((r) => [r.operation, r.sessionId, r.inputMode])).toEqual([['VoiceTurn', 'contact-7', 'Speech'], ['VoiceTurn', 'contact-7', 'Speech'], ['VoiceTurn', 'contact-7', 'Speech']]);
    expect(call.turns[0].result.sessionState.sessionAttributes).toMatchObject({ interactionKey: 'call-7' });
    expect(call.spoken).toEqual(['Hi from the pizza line.', 'How can I help you today?', 'Is there anything else I can help you with?', 'Is there anything else I can help you with?', 'Thank you for your time. Goodbye.']);
    // Lex listened its 600 ms end-of-speech silence after each answer, its 4 s start timeout for the silent one
    // (https://docs.aws.amazon.com/lexv2/latest/dg/session-attribs-speech.html); barge-in on, as on Lex V2 by default.
    expect(call.turns.map((t) => [t.lexWaitMs, t.bargeIn])).toEqual([[600, true], [600, true], [4000, true]]);
  });

  it('plays a callee silent at a slot as Lex does: the slot\'s re-prompt, then the fallback intent, then the flow asks again', async () => {
    const lexStandIn = await standIn();
    const actions = ['i want a pizza', undefined, undefined, { hangUp: true as const }];
    const call = await answerCallOffline({
      template: template({ voiceTiming: [{ intentName: 'OrderPizza', slotName: 'Size', startTimeout: Duration.seconds(6) }] }),
      lex: lexStandIn, attributes: { interactionKey: 'call-10' }, contactId: 'contact-10',
      callee: (_spoken, turn) => actions[turn],
    });

    expect(call.turns.map((t) => [t.input, t.answer, t.lexWaitMs])).toEqual([
      ['speech', 'What size?', 600],
      ['silence', 'What size?', 6000],
      ['silence', 'Sorry, I only do pizza.', 6000],
    ]);
    expect(call).toMatchObject({ status: 'COMPLETED', endedBy: 'caller' });
    expect(call.steps.map((s) => [s.identifier, s.branch])).toEqual([
      ['EnableFlowLogging', 'NextAction'], ['Greeting', 'NextAction'], ['AskBot', 'Condition FallbackIntent'], ['ReAsk1', 'Disconnected'],
    ]);
    expect(call.spoken.at(-1)).toBe("Sorry, I didn't catch that. Could you say it another way?");
  });

  it('sends keypad input as DTMF, with no wait after the end key, and says when barge-in is off', async () => {
    const lexStandIn = await standIn();
    const actions = ['order a large pizza', { keys: '4155550100#' }, { hangUp: true as const }];
    const call = await answerCallOffline({
      template: template({ bargeIn: false }), lex: lexStandIn, attributes: { interactionKey: 'call-11' }, contactId: 'contact-11',
      callee: (_spoken, turn) => actions[turn],
    });

    expect(call.turns.map((t) => [t.input, t.said, t.lexWaitMs, t.bargeIn])).toEqual([['speech', 'order a large pizza', 600, false], ['keypad', '4155550100#', 0, false]]);
    expect(lexStandIn.turns.map((r) => [r.inputMode, r.text])).toEqual([['Speech', 'order a large pizza'], ['DTMF', '4155550100']]);
    expect(call.turns[1].answer).toBe('How many?');
  });

  it('fails the call as a loop when the bot never closes and the callee never hangs up', async () => {
    const lexStandIn = await standIn();
    const call = await answerCallOffline({
      template: template(), lex: lexStandIn, attributes: { interactionKey: 'call-12' }, contactId: 'contact-12', maxTurns: 3,
      callee: (_spoken, turn) => (turn === 0 ? 'i want a pizza' : 'purple'),
    });

    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe('the call had 3 voice turns without the bot closing an intent or the callee hanging up; the conversation loops.');
  });

  it('fails the call, saying why, when the flow names another bot alias than the one the offline runtime serves', async () => {
    const lexStandIn = await standIn({ botId: 'OTHERBOT01', botAliasId: 'OTHERALIAS' });
    const call = await answerCallOffline({
      template: template(), lex: lexStandIn, attributes: { interactionKey: 'call-8' }, contactId: 'contact-8', callee: () => 'hello',
    });

    expect(call.status).toBe('FAILED');
    expect(call.reason).toMatch(/names the bot alias arn:aws:lex:us-east-1:123456789012:bot-alias\/[0-9A-Z]{10}\/[0-9A-Z]{10}, which is not associated with the instance/);
    expect(lexStandIn.turns).toEqual([]);
  });

  it('fails the call, saying why, when the call carries no interactionKey for the flow to pass on', async () => {
    const lexStandIn = await standIn();
    const call = await answerCallOffline({ template: template(), lex: lexStandIn, attributes: {}, contactId: 'contact-9', callee: () => 'hello' });

    expect(call.status).toBe('FAILED');
    expect(call.reason).toMatch(/interactionKey/);
    expect(lexStandIn.turns).toEqual([]);
  });
});
