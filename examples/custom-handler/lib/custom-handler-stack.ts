// A stack whose bot is answered by your own handler inside CachedLexFulfillment: the construct keeps the cache, the
// generation queue and worker, the grants, the provisioned alias and the bot alias; you bring the code.
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import { CachedLexFulfillment } from 'cdk-fast-lex';
import type { Construct } from 'constructs';

export interface CustomHandlerStackProps extends StackProps {
  /** The directory holding the bundled handler (`index.js` exporting `handler`), e.g. esbuild's output. */
  readonly handlerDirectory: string;
}

export class CustomHandlerStack extends Stack {
  readonly fulfillment: CachedLexFulfillment;

  constructor(scope: Construct, id: string, props: CustomHandlerStackProps) {
    super(scope, id, props);
    const role = new iam.Role(this, 'BotRole', { assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com') });
    const bot = new lex.CfnBot(this, 'Bot', {
      name: `${this.stackName}-Orders`,
      roleArn: role.roleArn,
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: 300,
      autoBuildBotLocales: true,
      botLocales: [{
        localeId: 'en_US',
        nluConfidenceThreshold: 0.4,
        intents: [
          { name: 'GreetingIntent', sampleUtterances: [{ utterance: 'hello' }, { utterance: 'hi there' }] },
          {
            name: 'OrderStatusIntent',
            sampleUtterances: [{ utterance: 'where is my order' }, { utterance: 'status of order {OrderNumber}' }],
            slots: [{
              name: 'OrderNumber',
              slotTypeName: 'AMAZON.AlphaNumeric',
              valueElicitationSetting: {
                slotConstraint: 'Required',
                promptSpecification: { maxRetries: 2, messageGroupsList: [{ message: { plainTextMessage: { value: 'What is the order number?' } } }] },
              },
            }],
            slotPriorities: [{ priority: 1, slotName: 'OrderNumber' }],
          },
          { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
        ],
      }],
    });
    this.fulfillment = new CachedLexFulfillment(this, 'Conversation', {
      bot,
      fulfillmentCode: lambda.Code.fromAsset(props.handlerDirectory),
      intents: [
        { intentName: 'GreetingIntent', staticAnswer: 'Hello! Ask me where your order is.', prompt: 'Greet a customer of an online shop in one sentence.' },
        // Answered by the custom route; configured here so the construct checks the bot has it and turns on its code hook.
        { intentName: 'OrderStatusIntent', staticAnswer: 'Let me look that order up.' },
      ],
    });
  }
}
