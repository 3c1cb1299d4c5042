// The Atlas Engine, assembled from cdk-fast-lex: a Lex V2 bot whose turns are answered from a response cache, and the
// demo workflow that creates the Salesforce lead, writes a scenario with Bedrock and calls the visitor.
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AnswerScope, CachedLexFulfillment, DemoCallWorkflow, DEFAULT_BEDROCK_MODEL_ID, FastLexMonitoring, LexCallFlow, LexWebChat, PhoneNumberType } from 'cdk-fast-lex';
import type { Construct } from 'constructs';
import { ATLAS_NAMES, COMPANY_SLOT_TYPE, DEMO_REQUEST_ANSWER, FALLBACK_ANSWER, FALLBACK_PROMPT, INTENTS } from './bot-definition';

export interface AtlasEngineStackProps extends StackProps {
  /** ARN of the Amazon Connect instance that places the calls. */
  readonly connectInstanceArn: string;
  /** A number the instance owns, in E.164, as the caller id. @default - the stack claims a US number (DID) */
  readonly sourcePhoneNumber?: string;
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
  readonly callFlow: LexCallFlow;
  readonly monitoring: FastLexMonitoring;
  readonly webChat: LexWebChat;

  constructor(scope: Construct, id: string, props: AtlasEngineStackProps) {
    super(scope, id, props);
    const modelId = props.modelId ?? DEFAULT_BEDROCK_MODEL_ID;

    // The conversation: the bot, answered from the response cache through its live alias.
    this.bot = this.createBot();
    this.fulfillment = new CachedLexFulfillment(this, 'Conversation', {
      bot: this.bot,
      modelId,
      provisionedConcurrency: props.provisionedConcurrency,
      intents: [
        ...INTENTS.filter((i) => i.staticAnswer).map((i) => ({
          intentName: i.name,
          staticAnswer: i.staticAnswer!,
          prompt: i.prompt,
          // An answer to a question about the product stays right for a day; a greeting is refreshed more often.
          ttl: i.perQuestion ? Duration.days(1) : Duration.minutes(5),
          // The answer depends on the locale and, during a demo call, on the call's scenario; nothing else.
          contextFields: ['localeId', 'call.scenario'],
          // On the phone a new question waits for its generated answer (up to 4 s) while Lex says "one moment".
          voiceGenerationDeadline: i.prompt ? Duration.seconds(4) : undefined,
          answerScope: i.perQuestion ? AnswerScope.QUESTION : AnswerScope.INTENT,
          // Visitors say "Atlas" and leave it out alike: a paraphrase with or without it reuses the answer.
          questionMatching: i.perQuestion ? { ignoredWords: ATLAS_NAMES } : undefined,
        })),
        // Open questions the bot has no intent for: answered by Bedrock, one answer per question.
        {
          intentName: 'FallbackIntent',
          staticAnswer: FALLBACK_ANSWER,
          prompt: FALLBACK_PROMPT,
          ttl: Duration.days(1),
          contextFields: ['localeId', 'call.scenario'],
          voiceGenerationDeadline: Duration.seconds(4),
          answerScope: AnswerScope.QUESTION,
          questionMatching: { ignoredWords: ATLAS_NAMES },
        },
      ],
      fallbackAnswer: FALLBACK_ANSWER,
      // Played on calls only (Connect streams the conversation); a web chat's RecognizeText never plays them.
      progressMessages: {
        startDelay: Duration.seconds(1),
        startMessages: ['One moment, let me look at your demo.'],
        updateMessages: ['Still with you, almost there.'],
        timeout: Duration.seconds(8),
        timeoutResponse: 'Sorry, that is taking longer than it should. Please ask me again.',
      },
    });

    // The call: a Connect flow that greets the callee and hands the call to the bot's live alias, with the call's
    // interactionKey in the Lex session; the bot's association with the instance; the caller id.
    this.callFlow = new LexCallFlow(this, 'CallFlow', {
      instanceArn: props.connectInstanceArn,
      botAlias: this.fulfillment.botAlias!,
      greeting: 'Hello, this is Atlas calling about the demo you asked for.',
      // The callee may ask a few questions about the demo; silence ends the call.
      followUpQuestions: 3,
      ...(props.sourcePhoneNumber
        ? { sourcePhoneNumber: props.sourcePhoneNumber }
        : { claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID, description: 'Atlas Engine demo calls' } }),
    });

    // The demo request: lead, scenario and the call through that flow; the bot starts it and reads its scenario.
    const salesforce = secretsmanager.Secret.fromSecretNameV2(this, 'SalesforceCredentials', props.salesforceSecretName ?? 'atlas-engine/salesforce');
    this.workflow = new DemoCallWorkflow(this, 'DemoCalls', {
      callFlow: this.callFlow,
      // Callers of the en_US bot say US numbers without +1; Lex's AMAZON.PhoneNumber gives them as 10 digits.
      defaultPhoneCountry: 'US',
      // Demo calls go to prospects in these countries only (mobile or landline numbers: no premium rate).
      allowedPhoneCountries: ['US', 'CA', 'GB'],
      salesforceCredentials: salesforce,
      salesforceExternalIdField: props.salesforceExternalIdField ?? 'Atlas_Request_Id__c',
      modelId,
    });
    this.fulfillment.addWorkflowIntent({
      intentName: 'RequestDemoIntent',
      // The workflow object: its input contract is checked against the slots, and it is started by name (the flow
      // names the bot alias, which names the fulfillment function: a reference would be a dependency cycle).
      workflow: this.workflow,
      answer: DEMO_REQUEST_ANSWER,
      inputSlots: { 'lead.firstName': 'FirstName', 'lead.lastName': 'LastName', 'lead.company': 'Company', 'lead.phone': 'PhoneNumber' },
    });
    this.fulfillment.readCallContextFrom(this.workflow);

    // Alarms (to an encrypted SNS topic) and a dashboard for every part: Lex, the fulfillment alias, the cache,
    // generation, Bedrock, the workflow and the call flow.
    this.monitoring = new FastLexMonitoring(this, 'Monitoring', {
      fulfillment: this.fulfillment,
      workflow: this.workflow,
      bedrockModelId: modelId,
      callFlow: this.callFlow,
    });

    // Visitors start from the web chat, which talks to the same live alias.
    // A new question's first answer streams into the page; answers already known come from the cache, whole.
    this.webChat = new LexWebChat(this, 'WebChat', {
      botId: this.bot.attrId,
      botAliasId: this.fulfillment.botAlias!.attrBotAliasId,
      streaming: { fulfillment: this.fulfillment },
    });
    new CfnOutput(this, 'WebChatUrl', { value: this.webChat.url, description: 'The web chat page' });
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
            intentConfirmationSetting: intent.confirmation && {
              promptSpecification: {
                maxRetries: 2,
                allowInterrupt: true,
                messageGroupsList: [{ message: { plainTextMessage: { value: intent.confirmation.prompt } } }],
              },
              declinationResponse: { messageGroupsList: [{ message: { plainTextMessage: { value: intent.confirmation.declination } } }] },
            },
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
