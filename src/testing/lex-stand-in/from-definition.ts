// A FastLexBot (or a bot exported from the Lex console) as the Lex stand-in runs it, read straight from the construct
// tree: no `cdk synth`, no cloud assembly on disk. The fulfillment handler runs from its staged asset, as Lambda runs it.
import { Stack, Stage, Token } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { FastLexBot } from '../../constructs/fast-lex-bot';
import { cfnLocale } from '../../constructs/fast-lex-bot/bot-locales';
import { readLexExport } from '../../constructs/fast-lex-bot/lex-export';
import type { FastLexIntent } from '../../constructs/fast-lex-bot/props';
import type { LocalLambda } from '../lambda-bundle';
import { botFromTemplates, type StackTemplate } from './assembly';
import type { BotLocale, LexBotDefinition } from './bot-model';

/** Options of `fastLexBotDefinition`. */
export interface FastLexBotDefinitionOptions {
  /**
   * Environment variables of the fulfillment function set on top of the construct's: where its cache table and
   * generation queue are on this machine (`FAST_LEX_CACHE_TABLE`, `FAST_LEX_GENERATION_QUEUE_URL`, the AWS SDK's
   * `AWS_ENDPOINT_URL_DYNAMODB`, ...). @default - the construct's environment, names resolved to logical ids
   */
  readonly fulfillmentEnvironment?: Readonly<Record<string, string>>;
  /** Where the handler's bare imports (`@aws-sdk/*`) resolve. @default process.cwd() */
  readonly nodeModulesFrom?: string;
  /** Physical names by logical id, for `Ref`s in the environment. @default - the logical id */
  readonly physicalNames?: Readonly<Record<string, string>>;
}

/**
 * The bot of a `FastLexBot` as `startLexStandIn({ bot })` runs it: its locales, its `live` alias and version, and the
 * fulfillment function behind the alias's code hook, loaded from its staged asset with the construct's environment.
 * Read from the construct tree in memory, so a test needs no `app.synth()`.
 *
 * @example
 * const stack = new Stack(new App(), 'Bot');
 * const bot = new FastLexBot(stack, 'Bot', { intents: [...] });
 * const lex = await startLexStandIn({ bot: fastLexBotDefinition(bot, { fulfillmentEnvironment }) });
 */
export function fastLexBotDefinition(bot: FastLexBot, options: FastLexBotDefinitionOptions = {}): LexBotDefinition {
  const stack = Stack.of(bot);
  // The stack's template as `cdk synth` would write it, made in memory (lazy values resolved, nothing written).
  const template = stack.resolve((stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as StackTemplate;
  const fulfillment = stack.getLogicalId(bot.fulfillment.fulfillmentFunction.function.node.defaultChild as CfnFunction);
  return botFromTemplates([template], {
    // Assets are staged in the stage's asset directory when the construct is made, before any synth.
    assembly: Stage.of(stack)!.assetOutdir,
    botLogicalId: stack.getLogicalId(bot.cfnBot),
    botAliasLogicalId: stack.getLogicalId(bot.botAlias),
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    physicalNames: options.physicalNames,
    nodeModulesFrom: options.nodeModulesFrom,
    functionEnvironment: options.fulfillmentEnvironment ? { [fulfillment]: options.fulfillmentEnvironment } : undefined,
  });
}

/** Options of `lexExportDefinition`. */
export interface LexExportDefinitionOptions {
  /** A function to answer every locale's fulfillment code hook. @default - none: intents are fulfilled without a hook */
  readonly codeHook?: LocalLambda;
}

/**
 * A bot exported from the Lex V2 console (the `.zip` or its folder) as `startLexStandIn({ bot })` runs it: its
 * dialog (intents, slots, slot types, confirmation) as `FastLexBot.fromLexExport` reads it, refusing by name what
 * FastLexBot cannot build; no answers unless `codeHook` gives them.
 */
export function lexExportDefinition(exportPath: string, options: LexExportDefinitionOptions = {}): LexBotDefinition {
  const exported = readLexExport(exportPath);
  const botLocales = exported.locales.map((l) => cfnLocale({
    ...l,
    // The dialog only: the locale's shape takes answers, which the stand-in does not read.
    intents: l.intents.map((i) => ({ ...i, staticAnswer: '-' }) as FastLexIntent),
  }) as unknown as BotLocale);
  const hook = options.codeHook;
  return {
    name: exported.name,
    idleSessionTtlInSeconds: exported.idleSessionTtlInSeconds,
    botLocales,
    codeHooks: hook ? Object.fromEntries(botLocales.map((l) => [l.localeId,
      { lambdaArn: `arn:aws:lambda:us-east-1:123456789012:function:${exported.name}:live`, lambda: hook }])) : undefined,
  };
}
