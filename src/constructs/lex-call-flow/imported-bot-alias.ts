// A Lex V2 bot alias known only by its ARN, as the `IBotAliasRef` that CfnBotAlias also implements.
import { Arn, ArnFormat, Fn, Resource, Token } from 'aws-cdk-lib';
import { aws_lex as lexRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';

const ALIAS_ARN = /^arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias\/[0-9A-Z]{10}\/[0-9A-Z]{10}$/;

/** `arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>`, literal or a token. */
export class ImportedBotAlias extends Resource implements lexRefs.IBotAliasRef {
  public readonly botAliasRef: lexRefs.BotAliasReference;

  constructor(scope: Construct, id: string, botAliasArn: string) {
    super(scope, id, { environmentFromArn: botAliasArn });
    if (!Token.isUnresolved(botAliasArn) && !ALIAS_ARN.test(botAliasArn)) {
      throw new Error(
        `LexCallFlow.botAliasFromArn: '${botAliasArn}' is no Lex V2 bot alias ARN; `
        + 'expected arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>.',
      );
    }
    const resourceName = Arn.split(botAliasArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    this.botAliasRef = {
      botAliasArn,
      botId: Fn.select(0, Fn.split('/', resourceName)),
      botAliasId: Fn.select(1, Fn.split('/', resourceName)),
    };
  }
}
