// The Atlas bot built with FastLexBot (the example's stack) against the same bot built by hand as the example did
// before: a CfnBot of the bot definition and a CachedLexFulfillment with the same answers. Where the two should be the
// same (the bot's locales and settings, the answers the handler reads, the resources) they must be.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../examples/atlas-engine/bin/app';
import { ATLAS_NAMES, COMPANY_NAMES, COMPANY_SLOT_TYPE, DEMO_REQUEST_ANSWER, FALLBACK_ANSWER, FALLBACK_PROMPT, INTENTS } from '../../../examples/atlas-engine/lib/bot-definition';
import { AnswerScope, CachedLexFulfillment, DEFAULT_BEDROCK_MODEL_ID } from '../../../src';

const example = resolve(__dirname, '..', '..', '..', 'examples', 'atlas-engine');

/** The Atlas bot as the example built it by hand before FastLexBot (its `createBot` and `CachedLexFulfillment`). */
function handBuilt(stack: Stack): { bot: lex.CfnBot; fulfillment: CachedLexFulfillment } {
  const role = new iam.Role(stack, 'BotRole', { assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['polly:SynthesizeSpeech'], resources: ['*'] }));
  const bot = new lex.CfnBot(stack, 'Bot', {
    name: `${stack.stackName}-AtlasEngine`,
    description: 'Atlas Engine demo line',
    roleArn: role.roleArn,
    dataPrivacy: { ChildDirected: false },
    idleSessionTtlInSeconds: 300,
    autoBuildBotLocales: true,
    botLocales: [{
      localeId: 'en_US',
      nluConfidenceThreshold: 0.4,
      voiceSettings: { voiceId: 'Joanna', engine: 'neural' },
      slotTypes: [{
        name: COMPANY_SLOT_TYPE,
        description: 'A company name, kept as said',
        valueSelectionSetting: { resolutionStrategy: 'ORIGINAL_VALUE' },
        slotTypeValues: COMPANY_NAMES.map((value) => ({ sampleValue: { value } })),
      }],
      intents: [
        ...INTENTS.map((intent) => ({
          name: intent.name,
          sampleUtterances: intent.utterances.map((utterance) => ({ utterance })),
          fulfillmentCodeHook: { enabled: true },
          slots: intent.slots?.map((slot) => ({
            name: slot.name,
            slotTypeName: slot.slotTypeName,
            valueElicitationSetting: {
              slotConstraint: 'Required',
              promptSpecification: { maxRetries: 2, allowInterrupt: true, messageGroupsList: [{ message: { plainTextMessage: { value: slot.prompt } } }] },
            },
          })),
          slotPriorities: intent.slots?.map((slot, i) => ({ priority: i + 1, slotName: slot.name })),
          intentConfirmationSetting: intent.confirmation && {
            promptSpecification: {
              maxRetries: 2,
              allowInterrupt: true,
              messageGroupsList: [{ message: { plainTextMessage: { value: intent.confirmation.prompt } } }],
            },
            declinationResponse: { messageGroupsList: [{ message: { plainTextMessage: { value: intent.confirmation.declination } } }] },
          },
        })),
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', fulfillmentCodeHook: { enabled: true } },
      ],
    }],
  });
  const fulfillment = new CachedLexFulfillment(stack, 'Conversation', {
    bot,
    modelId: DEFAULT_BEDROCK_MODEL_ID,
    intents: [
      ...INTENTS.filter((i) => i.staticAnswer).map((i) => ({
        intentName: i.name,
        staticAnswer: i.staticAnswer!,
        prompt: i.prompt,
        ttl: i.perQuestion ? Duration.days(1) : Duration.minutes(5),
        contextFields: ['localeId', 'call.scenario'],
        voiceGenerationDeadline: i.prompt ? Duration.seconds(4) : undefined,
        answerScope: i.perQuestion ? AnswerScope.QUESTION : undefined,
        questionMatching: i.perQuestion ? { ignoredWords: ATLAS_NAMES } : undefined,
      })),
      {
        intentName: 'FallbackIntent', staticAnswer: FALLBACK_ANSWER, prompt: FALLBACK_PROMPT, ttl: Duration.days(1),
        contextFields: ['localeId', 'call.scenario'], voiceGenerationDeadline: Duration.seconds(4),
        answerScope: AnswerScope.QUESTION, questionMatching: { ignoredWords: ATLAS_NAMES },
      },
    ],
    fallbackAnswer: FALLBACK_ANSWER,
    progressMessages: {
      startDelay: Duration.seconds(1),
      startMessages: ['One moment, let me look at your demo.'],
      updateMessages: ['Still with you, almost there.'],
      timeout: Duration.seconds(8),
      timeoutResponse: 'Sorry, that is taking longer than it should. Please ask me again.',
    },
  });
  return { bot, fulfillment };
}

const resources = (t: Template, type: string) => Object.values(t.findResources(type)) as Array<{ Properties: Record<string, any> }>;

describe('the Atlas bot built with FastLexBot against the same bot built by hand', () => {
  let fast: Template;
  let hand: Template;

  beforeAll(() => {
    const context = JSON.parse(readFileSync(join(example, 'cdk.json'), 'utf8')).context;
    const { stack } = buildApp(new App({ context }));
    fast = Template.fromStack(stack);
    // The same stack name and environment, so the bot's name and ARNs are the same.
    const handStack = new Stack(new App(), 'AtlasEngine', { env: { region: stack.region } });
    handBuilt(handStack);
    hand = Template.fromStack(handStack);
  });

  it('gives the bot the same name, settings and locales (intents, utterances, slots, prompts, confirmation, slot type, voice, progress messages)', () => {
    const [fastBot] = resources(fast, 'AWS::Lex::Bot');
    const [handBot] = resources(hand, 'AWS::Lex::Bot');
    const { RoleArn: _f, ...fastProps } = fastBot.Properties;
    const { RoleArn: _h, ...handProps } = handBot.Properties;
    expect(fastProps).toEqual(handProps);
  });

  it('gives the fulfillment the same answers: the intents file, the fallback answer and the workflow answer', () => {
    const fulfillmentOf = (t: Template) => resources(t, 'AWS::Lambda::Function').find((f) => f.Properties.Environment?.Variables?.FAST_LEX_INTENTS_FILE)!;
    const layerOf = (t: Template) => resources(t, 'AWS::Lambda::LayerVersion')[0].Properties.Content.S3Key;
    // The layer's asset hash is the hash of the intents file: the same hash, the same answers.
    expect(layerOf(fast)).toBe(layerOf(hand));
    const env = (t: Template) => fulfillmentOf(t).Properties.Environment.Variables;
    expect(env(fast).FAST_LEX_APOLOGY).toBe(env(hand).FAST_LEX_APOLOGY);
    expect(env(fast).FAST_LEX_FALLBACK_INTENTS).toBe(env(hand).FAST_LEX_FALLBACK_INTENTS);
    expect(JSON.stringify(env(fast).FAST_LEX_WORKFLOWS)).toContain(JSON.stringify(DEMO_REQUEST_ANSWER).slice(1, -1));
  });

  it('publishes the same version and alias, and the same bot role', () => {
    const versionOf = (t: Template) => resources(t, 'AWS::Lex::BotVersion')[0].Properties;
    expect(versionOf(fast).Description).toBe(versionOf(hand).Description); // the hash of the bot's content
    const aliasOf = (t: Template) => resources(t, 'AWS::Lex::BotAlias')[0].Properties;
    expect(aliasOf(fast).BotAliasName).toBe(aliasOf(hand).BotAliasName);
    const lexRole = (t: Template) => resources(t, 'AWS::IAM::Role').filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lexv2'));
    expect(lexRole(fast)).toHaveLength(1);
    const polly = (t: Template) => resources(t, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('polly:SynthesizeSpeech'))
      .map((p) => p.Properties.PolicyDocument);
    expect(polly(fast)).toEqual(polly(hand));
  });
});
