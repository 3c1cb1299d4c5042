// Reads a bot out of a synthesized cloud assembly: the `AWS::Lex::Bot`, the `AWS::Lex::BotAlias` on it (and the
// `AWS::Lex::BotVersion` it points at), and the bundled function behind each locale's code hook.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CfnResolver, type CfnResource, type CfnResolverOptions, type Json } from '../cfn-resolver';
import { templateLambdas, type LocalLambda } from '../lambda-bundle';
import { camelKeys, lexId, type BotCodeHook, type BotLocale, type LexBotDefinition } from './bot-model';

/** Where the bot comes from when it is read from a cloud assembly. */
export interface AssemblyBotOptions extends CfnResolverOptions {
  /** The cloud assembly directory (`cdk.out`, or `app.synth().directory`). */
  readonly assembly: string;
  /** Logical id of the bot. @default - the only `AWS::Lex::Bot` in the assembly */
  readonly botLogicalId?: string;
  /** Logical id of the bot alias. @default - the only `AWS::Lex::BotAlias` on the bot */
  readonly botAliasLogicalId?: string;
  /** Extra or replacement environment variables per function logical id. @default - none */
  readonly functionEnvironment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the bundles' bare imports (`@aws-sdk/*`) resolve. @default process.cwd() */
  readonly nodeModulesFrom?: string;
  /**
   * Functions to run instead of loading their bundles, by the ARN the alias names (share one instance with a
   * `LocalWorkflow`, say). @default - each bundle loaded from the assembly
   */
  readonly lambdas?: Readonly<Record<string, LocalLambda>>;
}

/** Raised when the assembly holds no bot the stand-in can run as Lex would. */
export class LexAssemblyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LexAssemblyError';
  }
}

/** A stack's template and the environment its ARNs resolve in. */
export interface StackTemplate { Resources?: Record<string, CfnResource>; region?: string; account?: string }

/** The templates of a cloud assembly, with each stack's environment: those its manifest names, else every `*.template.json`. */
function readTemplates(assembly: string): StackTemplate[] {
  if (!existsSync(assembly)) throw new LexAssemblyError(`startLexStandIn: the assembly directory ${assembly} does not exist; synthesize the app first (app.synth() or cdk synth).`);
  const manifestFile = join(assembly, 'manifest.json');
  let stacks: Array<{ file: string; environment?: string }> = [];
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, { type: string; environment?: string; properties?: { templateFile?: string } }> };
    stacks = Object.values(manifest.artifacts ?? {}).filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
      .map((a) => ({ file: a.properties!.templateFile!, environment: a.environment }));
  }
  if (stacks.length === 0) stacks = readdirSync(assembly).filter((f) => f.endsWith('.template.json')).map((file) => ({ file }));
  return stacks.map(({ file, environment }) => {
    // `aws://111122223333/eu-west-1`; an environment-agnostic stack says unknown-account / unknown-region.
    const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '') ?? [];
    return {
      ...JSON.parse(readFileSync(join(assembly, file), 'utf8')),
      ...(account && !account.startsWith('unknown-') ? { account } : {}),
      ...(region && !region.startsWith('unknown-') ? { region } : {}),
    };
  });
}

/** The bot, its alias, version and code hooks, read from the assembly. */
export function botFromAssembly(options: AssemblyBotOptions): LexBotDefinition {
  return botFromTemplates(readTemplates(options.assembly), options);
}

/** The bot, its alias, version and code hooks, read from templates whose assets are staged in `options.assembly`. */
export function botFromTemplates(templates: readonly StackTemplate[], options: AssemblyBotOptions): LexBotDefinition {
  const candidates = templates.flatMap((t) => Object.entries(t.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::Lex::Bot').map(([id]) => ({ id, resources: t.Resources!, region: t.region, account: t.account })));
  const found = options.botLogicalId ? candidates.find((c) => c.id === options.botLogicalId) : candidates.length === 1 ? candidates[0] : undefined;
  if (!found) {
    throw new LexAssemblyError(`startLexStandIn: ${candidates.length} AWS::Lex::Bot resources in ${options.assembly} (${candidates.map((c) => c.id).join(', ') || 'none'})`
      + (options.botLogicalId ? `, none named '${options.botLogicalId}'` : '; set botLogicalId') + '.');
  }
  const { id: botLogicalId, resources } = found;
  // ARNs resolve in the stack's own account and region unless the options say otherwise.
  options = { ...options, region: options.region ?? found.region, account: options.account ?? found.account };
  const resolver = new CfnResolver(resources, options);
  const bot = camelKeys(resolver.resolve(resources[botLogicalId].Properties as Json)) as { name?: string; idleSessionTtlInSeconds?: number; botLocales?: BotLocale[] };

  const aliases = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lex::BotAlias' && resolver.refersTo(r.Properties?.BotId as Json, botLogicalId));
  const alias = options.botAliasLogicalId ? aliases.find(([id]) => id === options.botAliasLogicalId) : aliases.length === 1 ? aliases[0] : undefined;
  if (!alias) {
    throw new LexAssemblyError(`startLexStandIn: ${aliases.length} AWS::Lex::BotAlias resources on bot ${botLogicalId} (${aliases.map(([id]) => id).join(', ') || 'none'})`
      + (options.botAliasLogicalId ? `, none named '${options.botAliasLogicalId}'` : '; set botAliasLogicalId') + '.');
  }
  const [aliasLogicalId, aliasResource] = alias;
  const aliasProps = camelKeys(resolver.resolve(aliasResource.Properties as Json)) as { botAliasName?: string; botAliasLocaleSettings?: AliasLocaleSetting[] };

  // The version the alias names: CfnBotVersion resources of the bot are numbered 1, 2, ... in template order.
  const versions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lex::BotVersion' && resolver.refersTo(r.Properties?.BotId as Json, botLogicalId)).map(([id]) => id);
  const versionRef = aliasResource.Properties?.BotVersion as Json;
  const versionIndex = versions.findIndex((v) => resolver.refersTo(versionRef, v));
  const botVersion = versionIndex >= 0 ? String(versionIndex + 1) : typeof versionRef === 'string' ? versionRef : 'DRAFT';

  const lambdas = { ...templateLambdas(resources, { ...options, assemblyDirectory: options.assembly, owner: 'startLexStandIn' }, resolver), ...options.lambdas };
  const codeHooks: Record<string, BotCodeHook> = {};
  for (const item of aliasProps.botAliasLocaleSettings ?? []) {
    const setting = item.botAliasLocaleSetting;
    const arn = setting?.codeHookSpecification?.lambdaCodeHook?.lambdaArn;
    if (!setting?.enabled || typeof arn !== 'string') continue;
    // An unqualified ARN (or :$LATEST) deploys and runs: Lex invokes $LATEST. That is slow (no provisioned
    // concurrency), which LatencyChecks reports at synth (FastLex-L1); the offline runtime runs the bot as deployed.
    const lambda = lambdas[arn] ?? lambdas[arn.replace(/:\$LATEST$/, '')];
    if (!lambda) throw new LexAssemblyError(`startLexStandIn: the ${item.localeId} code hook of bot alias ${aliasLogicalId} is ${arn}, which is no function of the assembly with a bundled asset; pass the function as \`lambdas: { '${arn}': { name, handler } }\`.`);
    if (setting.codeHookSpecification?.lambdaCodeHook?.codeHookInterfaceVersion !== '1.0') {
      throw new LexAssemblyError(`startLexStandIn: bot alias ${aliasLogicalId} sets codeHookInterfaceVersion ${JSON.stringify(setting.codeHookSpecification?.lambdaCodeHook?.codeHookInterfaceVersion)} for ${item.localeId}; Lex V2 accepts '1.0'.`);
    }
    codeHooks[item.localeId] = { lambdaArn: arn, lambda };
  }
  return {
    name: bot.name ?? botLogicalId,
    botId: lexId(`bot:${botLogicalId}`),
    idleSessionTtlInSeconds: bot.idleSessionTtlInSeconds,
    botLocales: bot.botLocales ?? [],
    botAliasId: lexId(`alias:${aliasLogicalId}`),
    botAliasName: aliasProps.botAliasName ?? aliasLogicalId,
    botVersion,
    codeHooks,
  };
}

interface AliasLocaleSetting {
  localeId: string;
  botAliasLocaleSetting?: { enabled?: boolean; codeHookSpecification?: { lambdaCodeHook?: { lambdaArn?: unknown; codeHookInterfaceVersion?: string } } };
}
