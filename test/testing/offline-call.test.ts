// answerCallOffline: an outbound call through the synthesized Connect flow, with each hand-over to the bot played as
// voice turns on the offline Lex runtime (the Connect voice channel: inputMode Speech, the flow's session attributes).
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lex from 'aws-cdk-lib/aws-lex';
import { afterEach, describe, expect, it } from 'vitest';
import { LexCallFlow } from '../../src';
import { answerCallOffline, startLexStandIn, type LexStandIn } from '../../src/testing';
import { lexId } from '../../src/testing/lex-stand-in/bot-model';
import { minimalBot } from '../helpers/bot';
import { pizzaBot } from './lex-stand-in/bots';

const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';

/** A stack whose LexCallFlow hands calls to alias `LiveAlias` of bot `Bot`, with one follow-up question. */
function template(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Offline', { env: { account: '123456789012', region: 'us-east-1' } });
  const bot = minimalBot(stack);
  const botAlias = new lex.CfnBotAlias(stack, 'LiveAlias', { botId: bot.attrId, botAliasName: 'live', botVersion: '1' });
  new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias, greeting: 'Hi from the pizza line.', followUpQuestions: 1 });
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
  it('walks the flow, hands the callee to the bot with the call\'s interactionKey, and ends on silence after the follow-up', async () => {
    const lexStandIn = await standIn();
    const said = ['hello', 'good morning'];
    const call = await answerCallOffline({
      template: template(), lex: lexStandIn, attributes: { interactionKey: 'call-7' }, contactId: 'contact-7',
      callee: (_spoken, turn) => said[turn],
    });

    expect(call.status).toBe('COMPLETED');
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot', 'FollowUp1', 'Goodbye', 'Disconnect']);
    expect(call.turns.map((t) => [t.said, t.answer])).toEqual([['hello', 'Hi! Want a pizza?'], ['good morning', 'Hi! Want a pizza?']]);
    // Every turn reached Lex as Connect's voice channel sends it, with the session attributes the flow passes.
    const records = lexStandIn.turns;
    expect(records.map((r) => [r.operation, r.sessionId, r.inputMode])).toEqual([['VoiceTurn', 'contact-7', 'Speech'], ['VoiceTurn', 'contact-7', 'Speech']]);
    expect(call.turns[0].result.sessionState.sessionAttributes).toMatchObject({ interactionKey: 'call-7' });
    expect(call.spoken).toEqual(['Hi from the pizza line.', 'Is there anything else I can help you with?', 'Thank you for your time. Goodbye.']);
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
