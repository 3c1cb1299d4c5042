// A minimal Lex V2 bot (en_US, a greeting and the required fallback intent) for construct tests.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';

export function minimalBot(stack: Stack): lex.CfnBot {
  const role = new iam.Role(stack, 'BotRole', { assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  return new lex.CfnBot(stack, 'Bot', {
    name: 'TestBot',
    roleArn: role.roleArn,
    dataPrivacy: { ChildDirected: false },
    idleSessionTtlInSeconds: 300,
    autoBuildBotLocales: true,
    botLocales: [{
      localeId: 'en_US',
      nluConfidenceThreshold: 0.4,
      intents: [
        { name: 'GreetingIntent', sampleUtterances: [{ utterance: 'hello' }], fulfillmentCodeHook: { enabled: true } },
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', fulfillmentCodeHook: { enabled: true } },
      ],
    }],
  });
}
