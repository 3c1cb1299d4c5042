// FastLexBot.fromLexExport: a bot exported from the Lex V2 console (LexJson; the folder or the .zip, format:
// https://docs.aws.amazon.com/lexv2/latest/dg/import-export-format.html) becomes a FastLexBot with answers added in
// code, round-trips to a template, plays offline through the real fulfillment handler with no cdk.out, and whatever
// the export sets that FastLexBot cannot build is named in an error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecognizeTextCommand, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, expect, it } from 'vitest';
import { FastLexBot, type FastLexBotFromExportProps, type IntentResponse } from '../../../src';
import { fastLexBotDefinition, lexExportDefinition, startLexStandIn, type LexStandIn } from '../../../src/testing';
import { describeConstruct, testStack } from '../../helpers/construct-test';
import { lexClient } from '../../testing/lex-stand-in/bots';
import { pizzaBotExport, writeExportFolder, writeExportZip } from './lex-export-fixture';

const work = mkdtempSync(join(tmpdir(), 'lex-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const folder = (files = pizzaBotExport()) => writeExportFolder(join(work, `export-${++n}`), files);

const ANSWERS: IntentResponse[] = [
  { intentName: 'GreetingIntent', staticAnswer: 'Hello! Hungry?' },
  { intentName: 'OpeningHoursIntent', staticAnswer: 'We are open from noon to 11 pm.' },
  { intentName: 'OrderPizzaIntent', staticAnswer: 'Your pizza is in the oven.' },
];
const fromExport = (exportPath: string, props: Partial<FastLexBotFromExportProps> = {}) => {
  const stack = testStack();
  const bot = FastLexBot.fromLexExport(stack, 'Pizza', { exportPath, answers: ANSWERS, ...props });
  return { stack, bot };
};
const botProps = (stack: ReturnType<typeof testStack>) => (Object.values(Template.fromStack(stack).findResources('AWS::Lex::Bot'))[0] as any).Properties;

describeConstruct('FastLexBot.fromLexExport', () => {
  it('builds the exported bot: its settings, intents, slots in priority order, custom slot types, confirmation and fallback', () => {
    const { stack } = fromExport(folder());
    const bot = botProps(stack);
    expect(bot).toMatchObject({ Name: 'PizzaBot', Description: 'Orders pizza', IdleSessionTTLInSeconds: 600, DataPrivacy: { ChildDirected: false } });
    const [locale] = bot.BotLocales;
    expect(locale).toMatchObject({ LocaleId: 'en_US', NluConfidenceThreshold: 0.5, VoiceSettings: { VoiceId: 'Ivy' } });
    expect(locale.Intents.map((i: any) => i.Name)).toEqual(['GreetingIntent', 'OpeningHoursIntent', 'OrderPizzaIntent', 'FallbackIntent']);
    const order = locale.Intents[2];
    expect(order.Slots.map((s: any) => [s.Name, s.SlotTypeName, s.ValueElicitationSetting.PromptSpecification.MaxRetries])).toEqual([
      ['Size', 'PizzaSize', 2], ['Crust', 'CrustType', 1],
    ]);
    expect(order.IntentConfirmationSetting.PromptSpecification).toMatchObject({
      MaxRetries: 1, MessageGroupsList: [{ Message: { PlainTextMessage: { Value: 'A {Size} pizza with {Crust} crust, is that right?' } } }],
    });
    expect(locale.SlotTypes.map((t: any) => [t.Name, t.ValueSelectionSetting.ResolutionStrategy, t.SlotTypeValues.length])).toEqual([
      ['CrustType', 'TOP_RESOLUTION', 2], ['PizzaSize', 'TOP_RESOLUTION', 3],
    ]);
    expect(locale.Intents[3]).toEqual({ Name: 'FallbackIntent', ParentIntentSignature: 'AMAZON.FallbackIntent', FulfillmentCodeHook: { Enabled: true } });
  });

  it('reads the .zip the console downloads into the same bot as its unzipped folder', () => {
    const fromFolder = botProps(fromExport(folder()).stack);
    const fromZip = botProps(fromExport(writeExportZip(join(work, 'PizzaBot_DRAFT_EXPORT1_LexJson.zip'), pizzaBotExport())).stack);
    expect(fromZip).toEqual(fromFolder);
  });

  it('plays the exported bot offline through the real fulfillment handler, read from the construct without a cloud assembly', async () => {
    const { bot } = fromExport(folder());
    const lex: LexStandIn = await startLexStandIn({
      bot: fastLexBotDefinition(bot, { nodeModulesFrom: process.cwd() }),
      environment: { AWS_REGION: 'us-west-2', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    });
    const client = lexClient(lex.endpoint);
    const say = (sessionId: string, text: string) => client.send(new RecognizeTextCommand({ botId: lex.botId, botAliasId: lex.botAliasId, localeId: 'en_US', sessionId, text }));
    const text = (out: RecognizeTextCommandOutput) => (out.messages ?? []).map((m) => m.content).join(' ');
    try {
      expect(text(await say('session-a', 'hello'))).toBe('Hello! Hungry?');
      expect(text(await say('session-b', 'order a large pizza'))).toBe('Thin or thick crust?');
      const confirm = await say('session-b', 'deep dish');
      expect(confirm.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
      expect(text(confirm)).toBe('A large pizza with thick crust, is that right?');
      const done = await say('session-b', 'yes');
      expect(text(done)).toBe('Your pizza is in the oven.');
      expect(done.sessionState?.intent).toMatchObject({ name: 'OrderPizzaIntent', state: 'Fulfilled' });
      expect(text(await say('session-c', 'i want a pizza'))).toBe('What size: small, medium or large?');
      await say('session-c', 'medium');
      await say('session-c', 'thin');
      expect(text(await say('session-c', 'no'))).toBe('Okay, I have cancelled the order.');
      // The handler Lex invoked is the construct's fulfillment alias, with the version the alias names.
      expect(lex.codeHookCalls.map((c) => (c.event as any).bot.aliasName)).toEqual(['live', 'live']);
    } finally {
      client.destroy();
      await lex.close();
    }
  });

  it('plays an export\'s dialog offline with no construct at all, when only the dialog is tested', async () => {
    const lex = await startLexStandIn({ bot: lexExportDefinition(folder()) });
    const client = lexClient(lex.endpoint);
    try {
      const out = await client.send(new RecognizeTextCommand({ botId: lex.botId, botAliasId: lex.botAliasId, localeId: 'en_US', sessionId: 'session-s', text: 'a thin crust pizza please' }));
      expect(out.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Size' });
      expect(out.sessionState?.intent?.slots?.Crust?.value?.interpretedValue).toBe('thin');
    } finally {
      client.destroy();
      await lex.close();
    }
  });

  const intentFile = 'PizzaBot/BotLocales/en_US/Intents/OrderPizzaIntent/Intent.json';
  const slotFile = 'PizzaBot/BotLocales/en_US/Intents/OrderPizzaIntent/Slots/Size/Slot.json';
  it.each<[string, (files: Record<string, any>) => void, RegExp]>([
    ['a dialog code hook', (f) => { f[intentFile].dialogCodeHook = { enabled: true }; }, /Intent\.json turns the dialog code hook on; FastLexBot answers at fulfillment only/],
    ['input contexts', (f) => { f[intentFile].inputContexts = [{ name: 'ordering' }]; }, /OrderPizzaIntent\/Intent\.json sets 'inputContexts' \(\[\{"name":"ordering"\}\]\), which FastLexBot does not support\. Remove it in the Lex console/],
    ['a prompt of two message groups', (f) => { f[slotFile].slotValueElicitationSetting.promptSpecification.messageGroupList.push({ message: { plainTextMessage: { value: 'Size?' } } }); },
      /Slots\/Size\/Slot\.json: the slot prompt has 2 message groups; FastLexBot writes one plain-text message/],
    ['a custom vocabulary', (f) => { f['PizzaBot/BotLocales/en_US/CustomVocabulary/CustomVocabulary.json'] = { customVocabularyItems: [{ phrase: 'calzone' }] }; },
      /CustomVocabulary\.json is a custom vocabulary, which FastLexBot does not support/],
    ['a slot of multiple values', (f) => { f[slotFile].multipleValuesSetting = { allowMultipleValues: true }; }, /Slots\/Size\/Slot\.json allows multiple values/],
    ['a bot locale export', (f) => { f['manifest.json'].metadata.resourceType = 'BotLocale'; }, /is a BotLocale export; export the whole bot/],
  ])('names %s in the export instead of dropping it', (_, change, message) => {
    expect(() => fromExport(folder(pizzaBotExport(change)))).toThrow(message);
  });

  it('refuses an intent of the export without an answer, and an answer for an intent the export lacks', () => {
    expect(() => fromExport(folder(), { answers: ANSWERS.slice(0, 2) }))
      .toThrow(/intent 'OrderPizzaIntent' of the export \(locale en_US\) has no answer\. Add \{ intentName: 'OrderPizzaIntent', staticAnswer: '\.\.\.' \} to 'answers'/);
    expect(() => fromExport(folder(), { answers: [...ANSWERS, { intentName: 'OrderPastaIntent', staticAnswer: 'x' }] }))
      .toThrow(/intent 'OrderPastaIntent' is answered in code but is not in the export \(its intents: GreetingIntent, OpeningHoursIntent, OrderPizzaIntent\)/);
  });

  it('refuses what Lex would refuse in the export too, naming the intent and slot', () => {
    expect(() => fromExport(folder(pizzaBotExport((f) => { f[intentFile].sampleUtterances.push({ utterance: 'with {Topping}' }); }))))
      .toThrow(/intent 'OrderPizzaIntent': the utterance 'with \{Topping\}' names slot '\{Topping\}', which the intent has no slot for \(its slots: Size, Crust\)/);
  });
});
