// FastLexBot: what one definition builds (bot, role, fallback intent, version, live alias, fulfillment), the answer
// fields passed to CachedLexFulfillment as they are, and the synth-time refusals of what Lex would refuse
// (Lex V2 quotas: https://docs.aws.amazon.com/lexv2/latest/dg/quotas.html).
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { expect, it } from 'vitest';
import { AnswerScope, FastLexBot, type FastLexBotProps, type FastLexIntent } from '../../../src';
import { describeConstruct, expectSnapshot, skipNagCheck, testStack } from '../../helpers/construct-test';

const GREETING: FastLexIntent = { intentName: 'GreetingIntent', utterances: ['hello', 'good morning'], staticAnswer: 'Hello! How can I help?' };
const BOOKING: FastLexIntent = {
  intentName: 'BookTableIntent',
  utterances: ['book a table', 'a table for {People}'],
  slots: [
    { name: 'People', slotTypeName: 'AMAZON.Number', prompt: 'For how many people?' },
    { name: 'Area', slotTypeName: 'Area', prompt: 'Inside or on the terrace?', maxRetries: 1 },
  ],
  confirmation: { prompt: 'A table for {People}, {Area}?', declination: 'Okay, no table.' },
  staticAnswer: 'Your table is booked.',
};
const AREAS = [{ name: 'Area', values: [{ value: 'inside' }, { value: 'terrace', synonyms: ['outside'] }] }];

function build(props: FastLexBotProps = { intents: [GREETING] }) {
  const stack = testStack();
  const bot = new FastLexBot(stack, 'Bot', props);
  return { stack, bot, template: Template.fromStack(stack) };
}

describeConstruct('FastLexBot', () => {
  it('builds the bot with its role, the fallback intent, a version and the live alias whose code hook is the fulfillment alias', () => {
    const { stack, template } = build();
    template.hasResourceProperties('AWS::Lex::Bot', {
      Name: 'Test-Bot',
      DataPrivacy: { ChildDirected: false },
      IdleSessionTTLInSeconds: 300,
      AutoBuildBotLocales: true,
      BotLocales: [{
        LocaleId: 'en_US',
        NluConfidenceThreshold: 0.4,
        Intents: [
          { Name: 'GreetingIntent', SampleUtterances: [{ Utterance: 'hello' }, { Utterance: 'good morning' }], FulfillmentCodeHook: { Enabled: true } },
          { Name: 'FallbackIntent', ParentIntentSignature: 'AMAZON.FallbackIntent', FulfillmentCodeHook: { Enabled: true } },
        ],
      }],
    });
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lexv2.amazonaws.com' } })] } });
    template.resourceCountIs('AWS::Lex::BotVersion', 1);
    template.hasResourceProperties('AWS::Lex::BotAlias', {
      BotAliasName: 'live',
      BotAliasLocaleSettings: [{ LocaleId: 'en_US', BotAliasLocaleSetting: { Enabled: true, CodeHookSpecification: { LambdaCodeHook: { LambdaArn: { Ref: Match.stringLikeRegexp('Alias') } } } } }],
    });
    expectSnapshot(stack);
  });

  it('writes slots in the order given, custom slot types with synonyms, and the confirmation', () => {
    const { template } = build({ intents: [GREETING, BOOKING], slotTypes: AREAS, voice: { voiceId: 'Joanna', engine: 'neural' } });
    const locale = (Object.values(template.findResources('AWS::Lex::Bot'))[0] as any).Properties.BotLocales[0];
    expect(locale.VoiceSettings).toEqual({ VoiceId: 'Joanna', Engine: 'neural' });
    expect(locale.SlotTypes).toEqual([{
      Name: 'Area',
      ValueSelectionSetting: { ResolutionStrategy: 'ORIGINAL_VALUE' },
      SlotTypeValues: [{ SampleValue: { Value: 'inside' } }, { SampleValue: { Value: 'terrace' }, Synonyms: [{ Value: 'outside' }] }],
    }]);
    const booking = locale.Intents.find((i: any) => i.Name === 'BookTableIntent');
    expect(booking.SlotPriorities).toEqual([{ Priority: 1, SlotName: 'People' }, { Priority: 2, SlotName: 'Area' }]);
    expect(booking.Slots[1]).toEqual({
      Name: 'Area',
      SlotTypeName: 'Area',
      ValueElicitationSetting: {
        SlotConstraint: 'Required',
        PromptSpecification: { MaxRetries: 1, AllowInterrupt: true, MessageGroupsList: [{ Message: { PlainTextMessage: { Value: 'Inside or on the terrace?' } } }] },
      },
    });
    expect(booking.IntentConfirmationSetting.DeclinationResponse).toEqual({ MessageGroupsList: [{ Message: { PlainTextMessage: { Value: 'Okay, no table.' } } }] });
  });

  it('builds every locale of a bot of several languages, each with its fallback intent, and publishes them all on the alias', () => {
    const { template } = build({
      locales: [
        { localeId: 'en_US', intents: [GREETING] },
        { localeId: 'es_US', intents: [{ ...GREETING, utterances: ['hola', 'buenos días'] }], nluConfidenceThreshold: 0.5 },
      ],
    });
    const bot = (Object.values(template.findResources('AWS::Lex::Bot'))[0] as any).Properties;
    expect(bot.BotLocales.map((l: any) => [l.LocaleId, l.NluConfidenceThreshold, l.Intents.map((i: any) => i.Name)])).toEqual([
      ['en_US', 0.4, ['GreetingIntent', 'FallbackIntent']], ['es_US', 0.5, ['GreetingIntent', 'FallbackIntent']],
    ]);
    const alias = (Object.values(template.findResources('AWS::Lex::BotAlias'))[0] as any).Properties;
    expect(alias.BotAliasLocaleSettings.map((s: any) => s.LocaleId)).toEqual(['en_US', 'es_US']);
  });

  it('passes each intent\'s answer fields to the fulfillment as they are (the intents file the handler reads)', () => {
    const { bot } = build({
      intents: [{ ...GREETING, prompt: 'Greet in one sentence.', ttl: Duration.minutes(2), contextFields: ['localeId'], voiceGenerationDeadline: Duration.seconds(3), maxTokens: 80 }],
      progressMessages: { startMessages: ['One moment.'], timeoutResponse: 'Sorry.' },
    });
    const intents = intentsFile(bot);
    expect(intents.GreetingIntent).toEqual({
      staticAnswer: 'Hello! How can I help?', prompt: 'Greet in one sentence.', ttlSeconds: 120, contextFields: ['localeId'], maxTokens: 80, voiceSyncDeadlineMs: 3000,
    });
    expect(intents.FallbackIntent).toEqual({ staticAnswer: expect.any(String) });
  });

  it('hands CachedLexFulfillment every answer field of the intent, the per-question settings included, and no dialog field', () => {
    const intent: FastLexIntent = { ...GREETING, prompt: 'Answer.', slots: [], confirmation: undefined, answerScope: AnswerScope.QUESTION, questionMatching: { nearMatchThreshold: 0.95 } };
    const { bot } = build({ intents: [intent] });
    const given = (bot.fulfillment as unknown as { props: { intents: Array<Record<string, unknown>> } }).props.intents;
    expect(given).toEqual([{
      intentName: 'GreetingIntent', staticAnswer: 'Hello! How can I help?', prompt: 'Answer.', answerScope: AnswerScope.QUESTION, questionMatching: { nearMatchThreshold: 0.95 },
    }]);
    expect((intentsFile(bot).GreetingIntent as { questions?: unknown }).questions).toEqual({ nearMatchThreshold: 0.95 });
  });

  it('answers the fallback intent as `fallback` says: each open question with Bedrock', () => {
    const { bot } = build({
      intents: [GREETING],
      fallback: { staticAnswer: 'Ask me about our plans.', prompt: 'Answer the visitor.', answerScope: AnswerScope.QUESTION },
    });

    expect(intentsFile(bot).FallbackIntent).toEqual({ staticAnswer: 'Ask me about our plans.', prompt: 'Answer the visitor.', questions: {} });
  });

  it('starts a workflow given with the intent, or later with startWorkflow(), answering with the staticAnswer', () => {
    const stack = testStack();
    const machine = (id: string) => new sfn.StateMachine(stack, id, { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)) });
    const now = machine('Now');
    const bot = new FastLexBot(stack, 'Bot', {
      intents: [
        GREETING,
        { intentName: 'CallbackIntent', utterances: ['call me back'], staticAnswer: 'We will call you.', workflow: { stateMachine: now } },
        { intentName: 'DemoIntent', utterances: ['book a demo'], staticAnswer: 'A demo is on its way.', startsWorkflow: true },
      ],
    });
    bot.startWorkflow('DemoIntent', { stateMachine: machine('Later') });
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Environment?.Variables?.FAST_LEX_WORKFLOWS) as any;
    const workflows = JSON.parse(JSON.stringify(stack.resolve(fn.Properties.Environment.Variables.FAST_LEX_WORKFLOWS)));
    expect(JSON.stringify(workflows)).toContain('We will call you.');
    expect(JSON.stringify(workflows)).toContain('A demo is on its way.');
    expect(Object.keys(intentsFile(bot))).toEqual(['GreetingIntent', 'FallbackIntent']);
  });

  it('refuses at synth an intent marked startsWorkflow whose workflow never came, saying how to give it', () => {
    const stack = testStack();
    new FastLexBot(stack, 'Bot', { intents: [GREETING, { intentName: 'DemoIntent', utterances: ['book a demo'], staticAnswer: 'Soon.', startsWorkflow: true }] });
    skipNagCheck('the stack does not synthesize: that is the subject');
    expect(() => Template.fromStack(stack)).toThrow(/intent 'DemoIntent' has 'startsWorkflow' but no workflow was given. Call startWorkflow\('DemoIntent', \{ workflow \}\)/);
  });

  it('keeps the escape hatches: the CfnBot and the fulfillment are the construct\'s own', () => {
    const stack = testStack();
    const bot = new FastLexBot(stack, 'Bot', { intents: [GREETING] });
    bot.cfnBot.description = 'Changed through the escape hatch';
    expect(bot.fulfillment.botAlias).toBe(bot.botAlias);
    Template.fromStack(stack).hasResourceProperties('AWS::Lex::Bot', { Description: 'Changed through the escape hatch' });
  });

  it.each<[string, FastLexBotProps, RegExp]>([
    ['an utterance naming a slot the intent lacks', { intents: [{ ...GREETING, utterances: ['hello {Name}'] }] },
      /locale en_US: intent 'GreetingIntent': the utterance 'hello \{Name\}' names slot '\{Name\}', which the intent has no slot for \(its slots: none\)\. Add the slot to 'slots'/],
    ['a confirmation naming a slot the intent lacks', { intents: [{ ...BOOKING, confirmation: { prompt: 'For {Guests}?', declination: 'No.' } }], slotTypes: AREAS },
      /intent 'BookTableIntent': 'confirmation.prompt' names slot '\{Guests\}', which the intent has no slot for \(its slots: People, Area\)/],
    ['a slot type that is neither built in nor defined', { intents: [BOOKING] },
      /intent 'BookTableIntent', slot 'Area': slot type 'Area' is neither built in \(AMAZON\.\*\) nor a custom slot type of the locale \(none\)\. Add it to 'slotTypes'/],
    ['more retries than Lex allows', { intents: [{ ...BOOKING, slots: [{ ...BOOKING.slots![0], maxRetries: 6 }], confirmation: undefined }] },
      /intent 'BookTableIntent', slot 'People': 'maxRetries' is 6; Lex accepts a whole number from 0 to 5/],
    ['the same utterance in two intents', { intents: [GREETING, { intentName: 'HiIntent', utterances: ['Hello'], staticAnswer: 'Hi.' }] },
      /intent 'HiIntent': the utterance 'Hello' is also one of intent 'GreetingIntent''s; Lex cannot pick either intent with confidence/],
    ['an intent without utterances', { intents: [{ ...GREETING, utterances: [] }] }, /intent 'GreetingIntent' has no 'utterances'/],
    ['an intent name Lex refuses', { intents: [{ ...GREETING, intentName: 'Greeting Intent' }] }, /intent name 'Greeting Intent' is not a name Lex accepts/],
    ['a FallbackIntent of its own', { intents: [{ ...GREETING, intentName: 'FallbackIntent' }] }, /intent 'FallbackIntent' is the construct's.*set 'fallbackAnswer'/],
    ['a slot type without values', { intents: [BOOKING], slotTypes: [{ name: 'Area', values: [] }] }, /slot type 'Area' has no values/],
    ['a locale id Lex does not know', { intents: [GREETING], localeId: 'english' }, /locale id 'english' is not a Lex V2 locale id/],
    ['both intents and locales', { intents: [GREETING], locales: [{ localeId: 'en_US', intents: [GREETING] }] }, /set 'locales' for a bot of several locales, or 'intents'/],
    ['a prompt on an intent that starts a workflow', { intents: [{ ...GREETING, prompt: 'x', startsWorkflow: true }] }, /starts a workflow, which answers with 'staticAnswer' only/],
    ['an idle session TTL past 24 hours', { intents: [GREETING], idleSessionTtl: Duration.hours(25) }, /'idleSessionTtl' is 90000 seconds; Lex keeps a session from 60 seconds \(1 minute\) to 86,400 \(24 hours\)/],
    ['a slot prompt longer than a Lex message', { intents: [{ ...BOOKING, slots: [{ ...BOOKING.slots![0], prompt: 'x'.repeat(1001) }], confirmation: undefined }] },
      /slot 'People': 'prompt' holds 1001 characters; Lex accepts at most 1000/],
  ])('refuses %s, naming the intent, slot and fix', (_, props, message) => {
    expect(() => new FastLexBot(testStack(), 'Bot', props)).toThrow(message);
  });

  it('refuses an intent that answers differently in two locales, since answers are kept per intent name', () => {
    expect(() => new FastLexBot(testStack(), 'Bot', {
      locales: [{ localeId: 'en_US', intents: [GREETING] }, { localeId: 'es_US', intents: [{ ...GREETING, utterances: ['hola'], staticAnswer: '¡Hola!' }] }],
    })).toThrow(/intent 'GreetingIntent' answers differently in locales en_US and es_US/);
  });
}, {
  // The state machines of the workflow test are the test's, not the construct's (no logging or tracing).
  fixtureFindings: (finding) => /^AwsSolutions-\w+ Test\/(Now|Later)\//.test(finding),
});

/** The intents file of the fulfillment's configuration layer, as the handler reads it at init. */
function intentsFile(bot: FastLexBot): Record<string, unknown> {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const layer = bot.fulfillment.configLayer!;
  const asset = layer.node.findAll().find((c: any) => typeof c.assetPath === 'string') as unknown as { assetPath: string };
  const dir = join(require('aws-cdk-lib').Stage.of(bot)!.assetOutdir, asset.assetPath);
  return JSON.parse(readFileSync(join(dir, 'fast-lex', 'intents.json'), 'utf8'));
}
