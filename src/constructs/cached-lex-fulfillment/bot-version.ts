// The bot version CachedLexFulfillment publishes: its logical id carries a hash of the bot's content, so every
// change to the bot publishes a new version that the alias then names.
import { createHash } from 'node:crypto';
import { CfnDeletionPolicy, Lazy, Stack } from 'aws-cdk-lib';
import * as lex from 'aws-cdk-lib/aws-lex';
import type { Construct } from 'constructs';

/**
 * A hash of what a bot version snapshots from the DRAFT: the published locales as the template will hold them (or the
 * bot file the bot is imported from). Bot-level settings that a version does not hold (role, TTL, tags) are left out,
 * so changing them publishes nothing.
 */
export function botContentHash(stack: Stack, bot: lex.CfnBot, localeIds: readonly string[]): string {
  const rendered = stack.resolve((bot as unknown as { _toCloudFormation(): any })._toCloudFormation());
  const props = rendered?.Resources?.[Object.keys(rendered?.Resources ?? {})[0]]?.Properties ?? {};
  const content = { locales: localeIds, botLocales: props.BotLocales, botFile: props.BotFileS3Location };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

/**
 * Creates the bot version. CloudFormation sees a content change as a new resource (new logical id) and an old one
 * gone: it creates the new version, updates the alias that names it (a `Fn::GetAtt` orders the two), and deletes the
 * old version only in the cleanup phase, after the alias has moved. On a rollback the alias moves back to the old
 * version, which still exists then. Versions are deleted in cleanup (DeletionPolicy Delete), so old versions do not
 * pile up against Lex's quota of versions per bot.
 */
export function publishBotVersion(scope: Construct, bot: lex.CfnBot, localeIds: readonly string[]): lex.CfnBotVersion {
  const stack = Stack.of(scope);
  const version = new lex.CfnBotVersion(scope, 'BotVersion', {
    botId: bot.attrId,
    botVersionLocaleSpecification: localeIds.map((localeId) => ({
      localeId,
      botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' },
    })),
    // Lazy: the hash is taken at synth, after every change made to the bot (the construct's own included).
    description: Lazy.string({ produce: () => `Published by CachedLexFulfillment from bot content ${botContentHash(stack, bot, localeIds)}` }),
  });
  version.cfnOptions.deletionPolicy = CfnDeletionPolicy.DELETE;
  version.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.DELETE;
  const originalLogicalId = stack.resolve(version.logicalId) as string;
  version.overrideLogicalId(Lazy.uncachedString({
    produce: () => `${originalLogicalId.slice(0, 255 - 16)}${botContentHash(stack, bot, localeIds)}`,
  }));
  return version;
}
