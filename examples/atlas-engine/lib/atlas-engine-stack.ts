// The Atlas Engine, assembled from cdk-fast-lex: a Lex V2 bot whose turns are answered from a response cache, and the
// demo workflow that creates the Salesforce lead, writes a scenario with Bedrock and calls the visitor.
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CachedLexFulfillment, DemoCallWorkflow, DEFAULT_BEDROCK_MODEL_ID } from 'cdk-fast-lex';
import type { Construct } from 'constructs';
import { COMPANY_SLOT_TYPE, DEMO_REQUEST_ANSWER, FALLBACK_ANSWER, INTENTS } from './bot-definition';

export interface AtlasEngineStackProps extends StackProps {
  /** Amazon Connect instance id (GUID). */
  readonly connectInstanceId: string;
  /** Contact flow that hands the outbound call to the bot. */
  readonly contactFlowId: string;
  /** A number the instance owns, in E.164; the app claims none. */
  readonly sourcePhoneNumber: string;
  /** Name of the Secrets Manager secret with the Salesforce JWT credentials. @default 'atlas-engine/salesforce' */
  readonly salesforceSecretName?: string;
  /** Salesforce Lead external-id field. @default 'Atlas_Request_Id__c' */
  readonly salesforceExternalIdField?: string;
  /** Bedrock model or inference profile. @default Claude Haiku 4.5, US inference profile */
  readonly modelId?: string;
  /** Provisioned instances of the fulfillment function. @default 2 (the seed) */
  readonly provisionedConcurrency?: number;
}

export class AtlasEngineStack extends Stack {
  readonly bot: lex.CfnBot;
  readonly fulfillment: CachedLexFulfillment;
  readonly workflow: DemoCallWorkflow;

  constructor(scope: Construct, id: string, props: AtlasEngineStackProps) {
    super(scope, id, props);
    const instanceArn = this.formatArn({ service: 'connect', resource: 'instance', resourceName: props.connectInstanceId });
    const modelId = props.modelId ?? DEFAULT_BEDROCK_MODEL_ID;

    const salesforce = secretsmanager.Secret.fromSecretNameV2(this, 'SalesforceCredentials', props.salesforceSecretName ?? 'atlas-engine/salesforce');
    this.workflow = new DemoCallWorkflow(this, 'DemoCalls', {
      connectInstanceArn: instanceArn,
      contactFlowId: props.contactFlowId,
      sourcePhoneNumber: props.sourcePhoneNumber,
      // Callers of the en_US bot say US numbers without +1; Lex's AMAZON.PhoneNumber gives them as 10 digits.
      defaultPhoneCountry: 'US',
      // Demo calls go to prospects in these countries only (mobile or landline numbers: no premium rate).
      allowedPhoneCountries: ['US', 'CA', 'GB'],
      salesforceCredentials: salesforce,
      salesforceExternalIdField: props.salesforceExternalIdField ?? 'Atlas_Request_Id__c',
      modelId,
    });

    this.bot = this.createBot();
    this.fulfillment = new CachedLexFulfillment(this, 'Conversation', {
      bot: this.bot,
      modelId,
      provisionedConcurrency: props.provisionedConcurrency,
      intents: INTENTS.filter((i) => i.staticAnswer).map((i) => ({
        intentName: i.name,
        staticAnswer: i.staticAnswer!,
        prompt: i.prompt,
        ttl: Duration.minutes(5),
        // The answer depends on the locale and, during a demo call, on the call's scenario; nothing else.
        contextFields: ['localeId', 'call.scenario'],
      })),
      fallbackAnswer: FALLBACK_ANSWER,
      workflowIntents: [{
        intentName: 'RequestDemoIntent',
        stateMachine: this.workflow.stateMachine,
        answer: DEMO_REQUEST_ANSWER,
        inputSlots: { 'lead.firstName': 'FirstName', 'lead.lastName': 'LastName', 'lead.company': 'Company', 'lead.phone': 'PhoneNumber' },
      }],
      callContext: this.workflow,
    });

    // Calls reach the bot through Connect: associate the bot alias with the instance and let Connect use it.
    const botAliasArn = this.formatArn({ service: 'lex', resource: 'bot-alias', resourceName: `${this.bot.attrId}/${this.fulfillment.botAlias!.attrBotAliasId}` });
    new connect.CfnIntegrationAssociation(this, 'ConnectBotAssociation', {
      instanceId: instanceArn,
      integrationType: 'LEX_BOT',
      integrationArn: botAliasArn,
    });
    new lex.CfnResourcePolicy(this, 'ConnectMayUseBot', {
      resourceArn: botAliasArn,
      policy: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'AmazonConnectInstance',
          Effect: 'Allow',
          Principal: { Service: 'connect.amazonaws.com' },
          Action: ['lex:RecognizeText', 'lex:StartConversation'],
          Resource: botAliasArn,
          Condition: { StringEquals: { 'AWS:SourceAccount': this.account }, ArnEquals: { 'AWS:SourceArn': instanceArn } },
        }],
      },
    });
  }

  private createBot(): lex.CfnBot {
    const role = new iam.Role(this, 'BotRole', {
      assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      description: 'Atlas Engine Lex V2 bot: speech synthesis for voice answers',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['polly:SynthesizeSpeech'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'polly:SynthesizeSpeech has no resource to scope to except lexicons, and the bot uses none.',
    });

    return new lex.CfnBot(this, 'Bot', {
      name: `${this.stackName}-AtlasEngine`,
      description: 'Atlas Engine demo line',
      roleArn: role.roleArn,
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: 300,
      autoBuildBotLocales: true,
      botLocales: [{
        localeId: 'en_US',
        nluConfidenceThreshold: 0.4,
        voiceSettings: { voiceId: 'Joanna', engine: 'neural' },
        slotTypes: [{
          name: COMPANY_SLOT_TYPE,
          description: 'A company name, kept as said',
          valueSelectionSetting: { resolutionStrategy: 'ORIGINAL_VALUE' },
          slotTypeValues: ['Amazon', 'Acme', 'Globex', 'Initech', 'Umbrella'].map((value) => ({ sampleValue: { value } })),
        }],
        intents: [
          ...INTENTS.map((intent) => ({
            name: intent.name,
            sampleUtterances: intent.utterances.map((utterance) => ({ utterance })),
            fulfillmentCodeHook: { enabled: true },
            slots: intent.slots?.map((slot) => ({
              name: slot.name,
              slotTypeName: slot.slotTypeName,
              valueElicitationSetting: {
                slotConstraint: 'Required',
                promptSpecification: {
                  maxRetries: 2,
                  allowInterrupt: true,
                  messageGroupsList: [{ message: { plainTextMessage: { value: slot.prompt } } }],
                },
              },
            })),
            slotPriorities: intent.slots?.map((slot, i) => ({ priority: i + 1, slotName: slot.name })),
          })),
          {
            name: 'FallbackIntent',
            parentIntentSignature: 'AMAZON.FallbackIntent',
            fulfillmentCodeHook: { enabled: true },
          },
        ],
      }],
    });
  }
}
