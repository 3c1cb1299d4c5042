import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lex from 'aws-cdk-lib/aws-lex';
import { describe, expect, it } from 'vitest';
import { LexCallFlow, type LexCallFlowProps } from '../../src';
import { connectFlowFromTemplate, type ConnectLexOutcome, runConnectFlow } from '../../src/testing';
import { minimalBot } from '../helpers/bot';

const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
// What connectFlowFromTemplate names the template's alias: bot-alias/<bot logical id>/<alias logical id>.
const ALIAS_ARN = 'arn:aws:lex:us-east-1:123456789012:bot-alias/Bot/LiveAlias';
const GREETING = 'Hi, this is the Atlas demo line.';

/** The template of a stack with a LexCallFlow on a user's CfnBotAlias, as the synthesizer writes it. */
function synthesized(props: Partial<LexCallFlowProps> = {}): Record<string, unknown> {
  const stack = new Stack(new App(), 'Offline', { env: { account: '123456789012', region: 'us-east-1' } });
  const bot = minimalBot(stack);
  const botAlias = new lex.CfnBotAlias(stack, 'LiveAlias', { botId: bot.attrId, botAliasName: 'live', botVersion: '1' });
  new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias, greeting: GREETING, ...props });
  return Template.fromStack(stack).toJSON();
}

/** A caller whose conversations end with these outcomes, in turn. */
function caller(...outcomes: Array<ConnectLexOutcome | Error>) {
  const seen: Array<{ aliasArn: string; sessionAttributes: Record<string, string>; prompt?: string }> = [];
  const lexConversation = (aliasArn: string, sessionAttributes: Record<string, string>, prompt: string | undefined) => {
    seen.push({ aliasArn, sessionAttributes, prompt });
    const next = outcomes.shift() ?? { intentName: 'FallbackIntent' };
    if (next instanceof Error) throw next;
    return next;
  };
  return { lex: lexConversation, seen };
}

function offline(template = synthesized()) {
  return connectFlowFromTemplate(template);
}

describe('connectFlowFromTemplate', () => {
  it('resolves the synthesized flow and finds the bot associated with its instance', () => {
    const { flow, botAliasArns, instanceArn } = offline();
    expect(instanceArn).toBe(INSTANCE_ARN);
    expect(botAliasArns).toEqual([ALIAS_ARN]);
    expect(JSON.stringify(flow)).not.toMatch(/Fn::|"Ref"/);
    expect((flow.Actions as any[]).find((a) => a.Identifier === 'AskBot').Parameters.LexV2Bot.AliasArn).toBe(ALIAS_ARN);
  });

  it('says which flows there are when the template has none to pick', () => {
    expect(() => connectFlowFromTemplate({ Resources: {} })).toThrow("connectFlowFromTemplate: 0 AWS::Connect::ContactFlow resources in the template; pass 'flowLogicalId' (one of: none).");
  });
});

describe('runConnectFlow on the flow LexCallFlow synthesizes', () => {
  it('logs, greets, hands the call to the alias with the call\'s interactionKey, then says goodbye and hangs up', async () => {
    const { flow, botAliasArns } = offline();
    const { lex: conversation, seen } = caller({ intentName: 'RequestDemoIntent' });
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'call-42' }, lex: conversation });
    expect(call.status).toBe('COMPLETED');
    expect(call.flowLogging).toBe(true);
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot', 'Goodbye', 'Disconnect']);
    expect(seen).toEqual([{ aliasArn: ALIAS_ARN, sessionAttributes: { 'interactionKey': 'call-42', 'x-amz-lex:allow-interrupt:*:*': 'true' }, prompt: 'How can I help you today?' }]);
    expect(call.spoken).toEqual([GREETING, 'How can I help you today?', 'Thank you for your time. Goodbye.']);
  });

  // On voice a silent caller ends in the fallback intent once Lex's re-prompts go unanswered
  // (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html).
  it('hands the call back to the bot for follow-up questions, and says goodbye when one ends in the fallback intent (a silent caller)', async () => {
    const { flow, botAliasArns } = offline(synthesized({ followUpQuestions: 2 }));
    const { lex: conversation, seen } = caller({ intentName: 'AboutDemoIntent' }, { intentName: 'AboutTechnologyIntent' }, { intentName: 'FallbackIntent' });
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: conversation });
    expect(call.status).toBe('COMPLETED');
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot', 'FollowUp1', 'FollowUp2', 'Goodbye', 'Disconnect']);
    expect(call.steps.at(-3)!.branch).toBe('Condition FallbackIntent');
    expect(seen.map((c) => c.prompt)).toEqual(['How can I help you today?', 'Is there anything else I can help you with?', 'Is there anything else I can help you with?']);
    expect(seen.every((c) => c.sessionAttributes.interactionKey === 'k')).toBe(true);
  });

  it('ends the call after the last follow-up question the flow offers', async () => {
    const { flow, botAliasArns } = offline(synthesized({ followUpQuestions: 1 }));
    const { lex: conversation } = caller({ intentName: 'AboutDemoIntent' }, { intentName: 'AboutTechnologyIntent' });
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: conversation });
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot', 'FollowUp1', 'Goodbye', 'Disconnect']);
  });

  it('asks again after each fallback intent (not understood, or silent through Lex\'s re-prompts), then continues', async () => {
    const { flow, botAliasArns } = offline();
    const { lex: conversation, seen } = caller({ intentName: 'FallbackIntent' }, { intentName: 'FallbackIntent' }, { intentName: 'GreetingIntent' });
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: conversation });
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot', 'ReAsk1', 'ReAsk2', 'Goodbye', 'Disconnect']);
    expect(call.steps[2].branch).toBe('Condition FallbackIntent');
    expect(call.steps[3].branch).toBe('Condition FallbackIntent');
    expect(seen.map((s) => s.prompt)).toEqual(['How can I help you today?', "Sorry, I didn't catch that. Could you say it another way?", "Sorry, I didn't catch that. Could you say it another way?"]);
  });

  it('ends the call where the caller hangs up during a conversation with the bot, with no goodbye', async () => {
    const { flow, botAliasArns } = offline();
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller({ disconnected: true }).lex });
    expect(call).toMatchObject({ status: 'COMPLETED', endedBy: 'caller' });
    expect(call.steps.map((s) => s.identifier)).toEqual(['EnableFlowLogging', 'Greeting', 'AskBot']);
    expect(call.spoken).toEqual([GREETING, 'How can I help you today?']);
  });

  it('gives up after the re-asks with a spoken apology', async () => {
    const { flow, botAliasArns } = offline();
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller().lex });
    expect(call.status).toBe('COMPLETED');
    expect(call.steps.map((s) => s.identifier).slice(-2)).toEqual(['NoMatchGoodbye', 'Disconnect']);
    expect(call.spoken.at(-1)).toBe("Sorry, I still couldn't understand. Goodbye.");
    expect(call.conversations).toHaveLength(3);
  });

  it('apologises when the bot fails', async () => {
    const { flow, botAliasArns } = offline();
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller(new Error('bot down')).lex });
    expect(call.steps.map((s) => s.identifier).slice(-2)).toEqual(['ErrorApology', 'Disconnect']);
    expect(call.steps.find((s) => s.identifier === 'AskBot')!.branch).toBe('Error NoMatchingError');
    expect(call.spoken.at(-1)).toBe('Sorry, something went wrong on our side. Please try again later. Goodbye.');
  });
});

describe('runConnectFlow fails the offline call with the reason', () => {
  // A missing contact attribute reads as empty (no Connect document says a contact fails on one); the bot's key is
  // then empty, which the offline call refuses because the bot could not find the call.
  it('when the contact lacks the attribute the flow passes to the bot as its interactionKey', async () => {
    const { flow, botAliasArns } = offline();
    const call = await runConnectFlow({ flow, botAliasArns, attributes: {}, lex: caller({ intentName: 'X' }).lex });
    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe("action 'AskBot' (ConnectParticipantWithLexBot) passes the Lex session attribute 'interactionKey' empty (the contact lacks the attribute it is filled from); the bot cannot tell which call this is.");
    expect(call.conversations).toEqual([]);
  });

  it('not when the contact lacks an attribute the flow only passes along: it reads as empty', async () => {
    const { flow, botAliasArns } = offline(synthesized({ sessionAttributes: { interactionKey: 'interactionKey', locale: 'lang' } }));
    const { lex: conversation, seen } = caller({ intentName: 'GreetingIntent' });
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: conversation });
    expect(call.status).toBe('COMPLETED');
    expect(seen[0].sessionAttributes.locale).toBe('');
  });

  it('when the flow names a bot not associated with the instance', async () => {
    const { flow } = offline();
    const other = 'arn:aws:lex:us-east-1:123456789012:bot-alias/OTHERBOT00/LIVEALIAS0';
    const call = await runConnectFlow({ flow, botAliasArns: [other], attributes: { interactionKey: 'k' }, lex: caller().lex });
    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe(`action 'AskBot' (ConnectParticipantWithLexBot) names the bot alias ${ALIAS_ARN}, which is not associated with the instance (associated: ${other}).`);
  });

  it('when the flow does not pass the session attribute the bot reads the call by', async () => {
    const { flow, botAliasArns } = offline(synthesized({ sessionAttributes: { callId: 'interactionKey' } }));
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller().lex });
    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe("action 'AskBot' (ConnectParticipantWithLexBot) passes no Lex session attribute 'interactionKey'; the bot cannot tell which call this is.");
  });

  it('when a transition goes to no action', async () => {
    const { flow, botAliasArns } = offline();
    (flow.Actions as any[]).find((a) => a.Identifier === 'Goodbye').Transitions.NextAction = 'HangUp';
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller().lex });
    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe("Connect would refuse this flow: action 'Goodbye': NextAction goes to \"HangUp\", which is no action in this flow.");
    expect(call.steps).toEqual([]);
  });

  it('when the flow reaches an action it cannot interpret', async () => {
    const { flow, botAliasArns } = offline();
    (flow.Actions as any[]).find((a) => a.Identifier === 'Greeting').Type = 'InvokeLambdaFunction';
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller().lex });
    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe("action 'Greeting' (InvokeLambdaFunction): this action type is not interpreted offline.");
  });

  it('when the flow loops without ending', async () => {
    const { flow, botAliasArns } = offline();
    (flow.Actions as any[]).find((a) => a.Identifier === 'Greeting').Transitions.NextAction = 'EnableFlowLogging';
    const call = await runConnectFlow({ flow, botAliasArns, attributes: { interactionKey: 'k' }, lex: caller().lex, maxSteps: 20 });
    expect(call.status).toBe('FAILED');
    expect(call.reason).toBe('the call went through 20 actions without ending; the flow loops.');
  });
});
