// Synth-time checks of LexWebChat's props: each refusal names the prop and the fix; unresolved tokens are skipped.
import { Token } from 'aws-cdk-lib';
import { LEX_TEST_ALIAS_ID } from '../../shared/lex';

/** Lex V2 bot and bot alias ids: 10 upper-case letters and digits (Lex V2 API reference, BotAliasSummary). */
const LEX_ID = /^[0-9A-Z]{10}$/;
/** A CLOUDFRONT-scope web ACL: always in us-east-1, with `global` in its resource path. */
const CLOUDFRONT_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/;

export function validateBotAlias(botId: string, botAliasId: string): void {
  if (!Token.isUnresolved(botId) && !LEX_ID.test(botId)) {
    throw new Error(`LexWebChat: botId '${botId}' is not a Lex V2 bot id (10 upper-case letters and digits). Pass the bot's id, e.g. CfnBot.attrId.`);
  }
  if (Token.isUnresolved(botAliasId)) return;
  if (botAliasId === LEX_TEST_ALIAS_ID) {
    throw new Error(`LexWebChat: botAliasId is ${LEX_TEST_ALIAS_ID}, the test alias: it runs the draft bot and Lex throttles it. Create a bot version and an alias for it (CachedLexFulfillment's botAlias, or a CfnBotAlias) and pass its attrBotAliasId.`);
  }
  if (!LEX_ID.test(botAliasId)) {
    throw new Error(`LexWebChat: botAliasId '${botAliasId}' is not a bot alias id: it must name one alias (10 upper-case letters and digits), not a bot, an ARN or an alias name. Pass CfnBotAlias.attrBotAliasId.`);
  }
}

export function validateWebAclArn(webAclArn: string | undefined): void {
  if (webAclArn === undefined || Token.isUnresolved(webAclArn)) return;
  if (/:regional\/webacl\//.test(webAclArn)) {
    throw new Error(`LexWebChat: webAclArn '${webAclArn}' is a REGIONAL web ACL; CloudFront accepts only a CLOUDFRONT-scope web ACL. Create the web ACL with Scope CLOUDFRONT in us-east-1 and pass that ARN.`);
  }
  if (!CLOUDFRONT_WEB_ACL_ARN.test(webAclArn)) {
    throw new Error(`LexWebChat: webAclArn '${webAclArn}' is not a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>). Create the web ACL with Scope CLOUDFRONT in us-east-1 and pass its Arn.`);
  }
}

export function validateRateLimit(messages: number, windowSeconds: number): void {
  if (!Token.isUnresolved(messages) && (!Number.isInteger(messages) || messages < 1)) {
    throw new Error(`LexWebChat: rateLimit.messages must be a positive integer, not ${messages}.`);
  }
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new Error(`LexWebChat: rateLimit.window must be a whole number of seconds, at least 1, not ${windowSeconds}.`);
  }
}

export function validateConcurrency(reserved: number, provisioned: number): void {
  if (Token.isUnresolved(reserved) || Token.isUnresolved(provisioned)) return;
  if (!Number.isInteger(reserved) || reserved < 1) {
    throw new Error(`LexWebChat: reservedConcurrency must be a positive integer, not ${reserved}.`);
  }
  if (provisioned > reserved) {
    throw new Error(`LexWebChat: reservedConcurrency (${reserved}) is below provisionedConcurrency (${provisioned}); Lambda refuses more provisioned than reserved instances. Raise reservedConcurrency or lower provisionedConcurrency.`);
  }
}
