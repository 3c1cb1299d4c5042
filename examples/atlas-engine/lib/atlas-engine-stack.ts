// The Atlas Engine, assembled from cdk-fast-lex: a Lex V2 bot whose turns are answered from a response cache, and the
// demo workflow that creates the Salesforce lead, writes a scenario with Bedrock and calls the visitor.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AnswerScope, type CachedLexFulfillment, DemoCallWorkflow, DEFAULT_BEDROCK_MODEL_ID, FastLexBot, FastLexMonitoring, LexCallFlow, LexWebChat, PhoneNumberType } from 'cdk-fast-lex';
import type { Construct } from 'constructs';
import { ATLAS_NAMES, COMPANY_NAMES, COMPANY_SLOT_TYPE, DEMO_REQUEST_ANSWER, FALLBACK_ANSWER, FALLBACK_PROMPT, INTENTS } from './bot-definition';

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

    // The conversation: the bot and its answers from one definition; answered from the response cache through its
    // live alias.
    const atlas = new FastLexBot(this, 'Atlas', {
      botName: `${this.stackName}-AtlasEngine`,
      description: 'Atlas Engine demo line',
      voice: { voiceId: 'Joanna', engine: 'neural' },
      slotTypes: [{ name: COMPANY_SLOT_TYPE, description: 'A company name, kept as said', values: COMPANY_NAMES.map((value) => ({ value })) }],
      intents: INTENTS.map((i) => ({
        intentName: i.name,
        utterances: i.utterances,
        slots: i.slots,
        confirmation: i.confirmation,
        // The demo request starts the workflow built below (its call flow needs this bot's alias).
        staticAnswer: i.staticAnswer ?? DEMO_REQUEST_ANSWER,
        startsWorkflow: !i.staticAnswer,
        prompt: i.prompt,
        // An answer to a question about the product stays right for a day; a greeting is refreshed more often.
        ttl: i.perQuestion ? Duration.days(1) : i.staticAnswer ? Duration.minutes(5) : undefined,
        // The answer depends on the locale and, during a demo call, on the call's scenario; nothing else.
        contextFields: i.staticAnswer ? ['localeId', 'call.scenario'] : undefined,
        // On the phone a new question waits for its generated answer (up to 4 s) while Lex says "one moment".
        voiceGenerationDeadline: i.prompt ? Duration.seconds(4) : undefined,
        // Technology questions are answered one by one; visitors say "Atlas" and leave it out alike.
        answerScope: i.perQuestion ? AnswerScope.QUESTION : undefined,
        questionMatching: i.perQuestion ? { ignoredWords: ATLAS_NAMES } : undefined,
      })),
      // Open questions no intent matches: answered by Bedrock, one answer per question.
      fallback: {
        staticAnswer: FALLBACK_ANSWER,
        prompt: FALLBACK_PROMPT,
        ttl: Duration.days(1),
        contextFields: ['localeId', 'call.scenario'],
        voiceGenerationDeadline: Duration.seconds(4),
        answerScope: AnswerScope.QUESTION,
        questionMatching: { ignoredWords: ATLAS_NAMES },
      },
      modelId,
      provisionedConcurrency: props.provisionedConcurrency,
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
    this.bot = atlas.cfnBot;
    this.fulfillment = atlas.fulfillment;

    // The call: a Connect flow that greets the callee and hands the call to the bot's live alias, with the call's
    // interactionKey in the Lex session; the bot's association with the instance; the caller id.
    this.callFlow = new LexCallFlow(this, 'CallFlow', {
      instanceArn: props.connectInstanceArn,
      botAlias: this.fulfillment.botAlias!,
      // Lex V2 speaks only once it has recognised an intent: the flow greets the callee and asks the first question.
      greeting: 'Hello, this is Atlas calling about the demo you asked for.',
      prompt: 'What would you like to know about it?',
      // The callee may ask a few questions about the demo; silence (Lex's fallback intent) ends the call.
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
    atlas.startWorkflow('RequestDemoIntent', {
      // The workflow object: its input contract is checked against the slots, and it is started by name (the flow
      // names the bot alias, which names the fulfillment function: a reference would be a dependency cycle).
      workflow: this.workflow,
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
}
