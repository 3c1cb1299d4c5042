// How CachedLexFulfillment joins a Lex V2 bot: a version, an alias whose code hook names the fulfillment alias ARN,
// and the check that refuses a code hook Lex would run on $LATEST.
import { Stack, Token } from 'aws-cdk-lib';
import * as lex from 'aws-cdk-lib/aws-lex';

/** Locale settings whose code hook names `lambdaArn` (an alias ARN) with interface version '1.0'. */
export function codeHookLocaleSettings(lambdaArn: string, localeIds: readonly string[]): lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty[] {
  return localeIds.map((localeId) => ({
    localeId,
    botAliasLocaleSetting: {
      enabled: true,
      codeHookSpecification: { lambdaCodeHook: { lambdaArn, codeHookInterfaceVersion: '1.0' } },
    },
  }));
}

/** The locales a bot alias already names, as the user wrote them (either key case). */
export function aliasLocaleIds(stack: Stack, botAlias: lex.CfnBotAlias): { localeIds: string[]; codeHookArns: unknown[] } {
  const current = stack.resolve(botAlias.botAliasLocaleSettings) as unknown;
  const items = Array.isArray(current) ? current as Array<Record<string, any>> : [];
  const codeHookArns = items
    .map((item) => item?.botAliasLocaleSetting?.codeHookSpecification?.lambdaCodeHook?.lambdaArn
      ?? item?.BotAliasLocaleSetting?.CodeHookSpecification?.LambdaCodeHook?.LambdaArn)
    .filter((arn) => arn !== undefined);
  const localeIds = items.map((i) => i.localeId ?? i.LocaleId).filter((l): l is string => typeof l === 'string');
  return { localeIds, codeHookArns };
}

const UNQUALIFIED_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+$/;

/**
 * Throws when a code hook ARN names a function without a version or alias: Lex then invokes `$LATEST`, which
 * provisioned concurrency never covers, so every cold start lands on a caller.
 */
export function assertQualifiedCodeHook(id: string, resolvedArn: unknown, resolvedFunctionArn: unknown): void {
  const unqualified = (typeof resolvedArn === 'string' && !Token.isUnresolved(resolvedArn) && UNQUALIFIED_FUNCTION_ARN.test(resolvedArn))
    || JSON.stringify(resolvedArn) === JSON.stringify(resolvedFunctionArn)
    || isGetAttArnOfFunction(resolvedArn);
  if (unqualified) {
    throw new Error(
      `CachedLexFulfillment '${id}': the bot alias's code hook names an unqualified Lambda function ARN (${JSON.stringify(resolvedArn)}). `
      + 'Lex would invoke $LATEST, which provisioned concurrency never covers, so callers meet cold starts. '
      + 'Name an alias or version ARN: attachToBotAlias() sets the fulfillment alias for you.',
    );
  }
}

function isGetAttArnOfFunction(value: unknown): boolean {
  // { 'Fn::GetAtt': [logicalId, 'Arn'] } is a function's unqualified ARN; an alias or version is a Ref.
  const getAtt = (value as Record<string, unknown> | null)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn';
}
