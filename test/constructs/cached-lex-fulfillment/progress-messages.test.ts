import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Stack } from 'aws-cdk-lib';
import { expect, it } from 'vitest';
import { CachedLexFulfillment, type CachedLexFulfillmentProps, type ProgressMessages } from '../../../src';
import { minimalBot } from '../../helpers/bot';
import { describeConstruct, testStack } from '../../helpers/construct-test';

const GREETING = { intentName: 'GreetingIntent', staticAnswer: 'Hello!', prompt: 'Greet the caller in one sentence.' };
const PROGRESS: ProgressMessages = {
  startMessages: ['One moment while I look that up.'],
  updateMessages: ['Still working on it.', 'Almost there.'],
  timeoutResponse: 'That is taking too long. Please ask me again in a minute.',
};

function machine(stack: Stack): sfn.StateMachine {
  return new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
}

function build(props: Partial<CachedLexFulfillmentProps>): { stack: Stack; template: Template } {
  const stack = testStack();
  new CachedLexFulfillment(stack, 'Fulfillment', { bot: minimalBot(stack), intents: [GREETING], syncGenerationDeadline: Duration.seconds(3), ...props });
  return { stack, template: Template.fromStack(stack) };
}

function codeHookOf(template: Template, intentName: string): any {
  const [bot] = Object.values(template.findResources('AWS::Lex::Bot')) as any[];
  return bot.Properties.BotLocales[0].Intents.find((i: any) => i.Name === intentName).FulfillmentCodeHook;
}

describeConstruct('CachedLexFulfillment progress messages', () => {
  it('writes start, update and timeout messages into the code hook of an intent that generates on a miss', () => {
    const { template } = build({ progressMessages: PROGRESS });

    expect(codeHookOf(template, 'GreetingIntent')).toEqual({
      Enabled: true,
      FulfillmentUpdatesSpecification: {
        Active: true,
        StartResponse: { DelayInSeconds: 2, AllowInterrupt: true, MessageGroups: [{ Message: { PlainTextMessage: { Value: 'One moment while I look that up.' } } }] },
        UpdateResponse: { FrequencyInSeconds: 5, AllowInterrupt: true, MessageGroups: [
          { Message: { PlainTextMessage: { Value: 'Still working on it.' } } }, { Message: { PlainTextMessage: { Value: 'Almost there.' } } },
        ] },
        TimeoutInSeconds: 15,
      },
      PostFulfillmentStatusSpecification: { TimeoutResponse: { AllowInterrupt: true, MessageGroupsList: [
        { Message: { PlainTextMessage: { Value: 'That is taking too long. Please ask me again in a minute.' } } },
      ] } },
    });
    expect(codeHookOf(template, 'FallbackIntent')).toEqual({ Enabled: true });
  });

  it('gives the fulfillment function a timeout longer than the one Lex waits (15 s + 5 s)', () => {
    const { template } = build({ progressMessages: PROGRESS });

    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^Lex V2 fulfillment'), Timeout: 20 });
  });

  it('says that RecognizeText channels (web chat) never play them', () => {
    const { stack } = build({ progressMessages: PROGRESS });

    Annotations.fromStack(stack).hasInfo('/Test/Fulfillment', Match.stringLikeRegexp('RecognizeText channels such as a web chat never play them \\(intents: GreetingIntent\\)'));
  });

  it('plays on workflow intents by default', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    new CachedLexFulfillment(stack, 'Fulfillment', {
      bot, intents: [{ intentName: 'FallbackIntent', staticAnswer: 'Sorry?' }],
      workflowIntents: [{ intentName: 'GreetingIntent', stateMachine: machine(stack), answer: 'Starting it now.' }],
      progressMessages: PROGRESS,
    });

    expect(codeHookOf(Template.fromStack(stack), 'GreetingIntent').FulfillmentUpdatesSpecification.Active).toBe(true);
  });

  it.each<[string, Partial<CachedLexFulfillmentProps>, string]>([
    ['no slow intent', { syncGenerationDeadline: undefined, progressMessages: PROGRESS },
      "CachedLexFulfillment 'Fulfillment': 'progressMessages' has no intent to play on: no workflow intent, and no intent generates on a miss ('syncGenerationDeadline' unset). Name them in 'progressMessages.intentNames', or leave the option out."],
    ['an unknown intent', { progressMessages: { ...PROGRESS, intentNames: ['OrderIntent'] } },
      "'progressMessages.intentNames' names 'OrderIntent', which is neither in 'intents' nor in 'workflowIntents'."],
    ['six start messages', { progressMessages: { ...PROGRESS, startMessages: ['a', 'b', 'c', 'd', 'e', 'f'] } },
      "'progressMessages.startMessages' needs 1 to 5 messages (Lex's limit of message groups), got 6."],
    ['no update message', { progressMessages: { ...PROGRESS, updateMessages: [] } },
      "'progressMessages.updateMessages' needs 1 to 5 messages (Lex's limit of message groups), got 0."],
    ['a message over 1,000 characters', { progressMessages: { ...PROGRESS, startMessages: ['x'.repeat(1001)] } },
      "every message of 'progressMessages.startMessages' must hold 1 to 1000 characters (Lex's PlainTextMessage limit), got one of 1001."],
    ['an empty timeout response', { progressMessages: { ...PROGRESS, timeoutResponse: ' ' } },
      "every message of 'progressMessages.timeoutResponse' must hold 1 to 1000 characters"],
    ['a timeout over 900 s', { progressMessages: { ...PROGRESS, timeout: Duration.seconds(901) } },
      "'progressMessages.timeout' must be a whole number of seconds from 1 to 900, got 901 seconds."],
    ['a start delay of 0', { progressMessages: { ...PROGRESS, startDelay: Duration.millis(0) } },
      "'progressMessages.startDelay' must be a whole number of seconds from 1 to 900"],
    ['a fractional update frequency', { progressMessages: { ...PROGRESS, updateFrequency: Duration.millis(1500) } },
      "'progressMessages.updateFrequency' must be a whole number of seconds from 1 to 900, got 1.5 seconds."],
    ['a function timeout not above the Lex timeout', { fulfillmentTimeout: Duration.seconds(15), progressMessages: PROGRESS },
      "'fulfillmentTimeout' (15 seconds) must be longer than 'progressMessages.timeout' (15 seconds): otherwise Lambda stops the function before Lex plays the timeout response, and the caller hears an error."],
    ['a start delay past the timeout', { progressMessages: { ...PROGRESS, startDelay: Duration.seconds(20) } },
      "'progressMessages.startDelay' (20 s) must be shorter than 'progressMessages.timeout' (15 s), or no message ever plays."],
  ])('refuses %s with the message the user sees', (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it('refuses progress messages on an intent whose code hook already has them', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    const [locale] = bot.botLocales as any[];
    bot.botLocales = [{ ...locale, intents: locale.intents.map((i: any) => (i.name === 'GreetingIntent'
      ? { ...i, fulfillmentCodeHook: { enabled: true, fulfillmentUpdatesSpecification: { active: false } } } : i)) }];

    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents: [GREETING], syncGenerationDeadline: Duration.seconds(3), progressMessages: PROGRESS }))
      .toThrow("intent 'GreetingIntent' already has fulfillmentUpdatesSpecification in its fulfillmentCodeHook, and 'progressMessages' would write it too. Remove one of them.");
  });

  it('refuses progress messages without a bot to write them into', () => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [GREETING], syncGenerationDeadline: Duration.seconds(3), progressMessages: PROGRESS }))
      .toThrow("'progressMessages' are written into the bot's intents; pass the CfnBot as 'bot'.");
  });
}, {
  fixtureFindings: (finding) => /^AwsSolutions-\w+ Test\/(BotRole|Machine)\//.test(finding),
});

describeConstruct('CachedLexFulfillment static answers', () => {
  it.each<[Partial<CachedLexFulfillmentProps>, string]>([
    [{ intents: [{ intentName: 'GreetingIntent', staticAnswer: 'x'.repeat(1025) }] },
      "CachedLexFulfillment 'Fulfillment': intent 'GreetingIntent': 'staticAnswer' holds 1025 characters; a Lex message holds at most 1024. Shorten it."],
    [{ fallbackAnswer: 'y'.repeat(2000) }, "'fallbackAnswer' holds 2000 characters; a Lex message holds at most 1024. Shorten it."],
  ])('refuses a static answer longer than one Lex message: %#', (props, message) => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [GREETING], ...props })).toThrow(message);
  });

  it('accepts a static answer of exactly 1,024 characters', () => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [{ intentName: 'GreetingIntent', staticAnswer: 'x'.repeat(1024) }] })).not.toThrow();
  });
});
