import { Template } from 'aws-cdk-lib/assertions';
import type * as lex from 'aws-cdk-lib/aws-lex';
import { expect, it } from 'vitest';
import { CachedLexFulfillment } from '../../../src';
import { minimalBot } from '../../helpers/bot';
import { describeConstruct, testStack } from '../../helpers/construct-test';

const GREETING = { intentName: 'GreetingIntent', staticAnswer: 'Hello!' };

/** Synthesizes a bot (changed by `edit`) with the construct; returns the version's logical id and what the alias names. */
function publish(edit: (bot: lex.CfnBot) => void = () => undefined): { versionId: string; aliasNames: unknown; policy: unknown } {
  const stack = testStack();
  const bot = minimalBot(stack);
  edit(bot);
  new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents: [GREETING] });
  const template = Template.fromStack(stack);
  const versions = template.findResources('AWS::Lex::BotVersion');
  expect(Object.keys(versions)).toHaveLength(1);
  const [versionId, version] = Object.entries(versions)[0] as [string, any];
  const alias = Object.values(template.findResources('AWS::Lex::BotAlias'))[0] as any;
  return { versionId, aliasNames: alias.Properties.BotVersion, policy: version.DeletionPolicy };
}

function changeUtterance(bot: lex.CfnBot): void {
  const locales = bot.botLocales as lex.CfnBot.BotLocaleProperty[];
  const intents = locales[0].intents as lex.CfnBot.IntentProperty[];
  bot.botLocales = [{ ...locales[0], intents: [{ ...intents[0], sampleUtterances: [{ utterance: 'good morning' }] }, intents[1]] }];
}

describeConstruct('CachedLexFulfillment bot version', () => {
  it('publishes a new version, named by the alias, when an utterance changes', () => {
    const before = publish();
    const after = publish(changeUtterance);

    expect(after.versionId).not.toEqual(before.versionId);
    expect(after.aliasNames).toEqual({ 'Fn::GetAtt': [after.versionId, 'BotVersion'] });
  });

  it('keeps the same version when nothing in the bot changes', () => {
    expect(publish().versionId).toEqual(publish().versionId);
  });

  it('keeps the same version when only a setting a version does not hold changes (session TTL)', () => {
    const before = publish();
    const after = publish((bot) => { bot.idleSessionTtlInSeconds = 600; });

    expect(after.versionId).toEqual(before.versionId);
  });

  it('sees a change made to the bot after the construct was created', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents: [GREETING] });
    const early = stack.resolve(fulfillment.botVersion!.logicalId);

    changeUtterance(bot);

    expect(stack.resolve(fulfillment.botVersion!.logicalId)).not.toEqual(early);
  });

  it('deletes an old version only as CloudFormation cleans up, after the alias names the new one', () => {
    expect(publish().policy).toEqual('Delete');
  });
});
