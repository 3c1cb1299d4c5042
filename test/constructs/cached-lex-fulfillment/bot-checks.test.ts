import { Duration, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { expect, it } from 'vitest';
import { CachedLexFulfillment, DemoCallWorkflow, type CachedLexFulfillmentProps } from '../../../src';
import { describeConstruct, testStack } from '../../helpers/construct-test';

const GREETING = { intentName: 'GreetingIntent', staticAnswer: 'Hello!' };
const SLOTS = ['FirstName', 'LastName', 'Company', 'PhoneNumber'];

/** A bot with a greeting, a demo request with four slots and the fallback intent; `change` edits its props. */
function bot(stack: Stack, change: (props: lex.CfnBotProps) => lex.CfnBotProps = (p) => p): lex.CfnBot {
  const role = new iam.Role(stack, 'BotRole', { assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  return new lex.CfnBot(stack, 'Bot', change({
    name: 'ChecksBot',
    roleArn: role.roleArn,
    dataPrivacy: { ChildDirected: false },
    idleSessionTtlInSeconds: 300,
    autoBuildBotLocales: true,
    botLocales: [{
      localeId: 'en_US',
      nluConfidenceThreshold: 0.4,
      intents: [
        { name: 'GreetingIntent', sampleUtterances: [{ utterance: 'hello' }] },
        {
          name: 'RequestDemoIntent',
          sampleUtterances: [{ utterance: 'book a demo' }],
          slots: SLOTS.map((name) => ({
            name,
            slotTypeName: name === 'PhoneNumber' ? 'AMAZON.PhoneNumber' : 'AMAZON.FreeFormInput',
            valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: [{ message: { plainTextMessage: { value: `Your ${name}?` } } }] } },
          })),
          slotPriorities: SLOTS.map((slotName, i) => ({ priority: i + 1, slotName })),
        },
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
      ],
    }],
  }));
}

function machine(stack: Stack): sfn.StateMachine {
  return new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
}

function demoWorkflow(stack: Stack, defaultPhoneCountry?: string): DemoCallWorkflow {
  return new DemoCallWorkflow(stack, 'Calls', {
    connectInstanceArn: 'arn:aws:connect:us-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555',
    contactFlowId: '66666666-7777-8888-9999-000000000000',
    sourcePhoneNumber: '+14155550100',
    salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Salesforce', 'salesforce/jwt'),
    salesforceExternalIdField: 'Demo_Request_Id__c',
    defaultPhoneCountry,
  });
}

const FULL_INPUT = { 'lead.firstName': 'FirstName', 'lead.lastName': 'LastName', 'lead.company': 'Company', 'lead.phone': 'PhoneNumber' };

function build(props: Partial<CachedLexFulfillmentProps>, change?: (p: lex.CfnBotProps) => lex.CfnBotProps): Template {
  const stack = testStack();
  new CachedLexFulfillment(stack, 'Fulfillment', { bot: bot(stack, change), intents: [GREETING], ...props });
  return Template.fromStack(stack);
}

function withIntents(edit: (intents: lex.CfnBot.IntentProperty[]) => lex.CfnBot.IntentProperty[]) {
  return (p: lex.CfnBotProps): lex.CfnBotProps => {
    const [locale] = p.botLocales as lex.CfnBot.BotLocaleProperty[];
    return { ...p, botLocales: [{ ...locale, intents: edit(locale.intents as lex.CfnBot.IntentProperty[]) }] };
  };
}

function intentsOf(template: Template): Record<string, any> {
  const [botResource] = Object.values(template.findResources('AWS::Lex::Bot')) as any[];
  return Object.fromEntries(botResource.Properties.BotLocales[0].Intents.map((i: any) => [i.Name, i]));
}

describeConstruct('CachedLexFulfillment checks the bot it is given', () => {
  it('turns on the fulfillment code hook of every intent it answers, fallback included, and leaves the others', () => {
    const intents = intentsOf(build({}));

    expect(intents.GreetingIntent.FulfillmentCodeHook).toEqual({ Enabled: true });
    expect(intents.FallbackIntent.FulfillmentCodeHook).toEqual({ Enabled: true });
    expect(intents.RequestDemoIntent.FulfillmentCodeHook).toBeUndefined();
  });

  it('keeps a fallback intent whose code hook the user turned off (Lex then answers it itself)', () => {
    const template = build({}, withIntents((all) => all.map((i) => (i.name === 'FallbackIntent' ? { ...i, fulfillmentCodeHook: { enabled: false } } : i))));

    expect(intentsOf(template).FallbackIntent.FulfillmentCodeHook).toEqual({ Enabled: false });
  });

  it.each<[string, Partial<CachedLexFulfillmentProps>, ((p: lex.CfnBotProps) => lex.CfnBotProps) | undefined, string]>([
    ['an intent the bot lacks', { intents: [{ intentName: 'GoodbyeIntent', staticAnswer: 'Bye' }] }, undefined,
      "CachedLexFulfillment 'Fulfillment': intent 'GoodbyeIntent' in 'intents' is not in the bot's locale en_US (its intents: GreetingIntent, RequestDemoIntent, FallbackIntent). Add the intent to that locale, or correct 'intentName' (names are case-sensitive)."],
    ['a workflow intent the bot lacks', { workflowIntents: [{ intentName: 'CallMeIntent', stateMachine: undefined as any, answer: 'Calling.' }] }, undefined,
      "intent 'CallMeIntent' in 'workflowIntents' is not in the bot's locale en_US"],
    ['a locale the bot lacks', { botLocaleIds: ['en_US', 'fr_CA'] }, undefined,
      "'botLocaleIds' names 'fr_CA', which the bot has no botLocales entry for (it has en_US). Add the locale to the bot, or set 'botLocaleIds' to the locales it has."],
    ['a code hook turned off on an answered intent', {}, withIntents((all) => all.map((i) => (i.name === 'GreetingIntent' ? { ...i, fulfillmentCodeHook: { enabled: false } } : i))),
      "intent 'GreetingIntent' has fulfillmentCodeHook.enabled false in the bot's locale en_US, so Lex would never call the fulfillment function for it. Set it to true, or leave fulfillmentCodeHook out and the construct enables it."],
    ['no fallback intent', {}, withIntents((all) => all.filter((i) => i.name !== 'FallbackIntent')),
      "the bot's locale en_US has no intent with parentIntentSignature 'AMAZON.FallbackIntent'; Lex needs one in every locale."],
    ['autoBuildBotLocales unset', {}, (p) => ({ ...p, autoBuildBotLocales: undefined }),
      "the bot's 'autoBuildBotLocales' must be true. The construct publishes a version from the DRAFT, and without auto-build the DRAFT is not built, so the version fails to create (or holds an old build). Set autoBuildBotLocales: true on the CfnBot."],
  ])('refuses %s with the message the user sees', (_, props, change, message) => {
    const stack = testStack();
    const fill = { ...props, workflowIntents: props.workflowIntents?.map((w) => ({ ...w, stateMachine: machine(stack) })) };

    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', { bot: bot(stack, change), intents: [GREETING], ...fill })).toThrow(message);
  });

  it('refuses an inputSlots slot the intent does not have', () => {
    const stack = testStack();

    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', {
      bot: bot(stack), intents: [GREETING],
      workflowIntents: [{ intentName: 'RequestDemoIntent', stateMachine: machine(stack), answer: 'Calling.', inputSlots: { 'lead.phone': 'Phone' } }],
    })).toThrow("workflow intent 'RequestDemoIntent': 'inputSlots' maps 'lead.phone' to slot 'Phone', which the intent has no slot for in the bot's locale en_US (its slots: FirstName, LastName, Company, PhoneNumber). Name one of its slots.");
  });

  it("refuses inputSlots without the DemoCallWorkflow's required fields, given the workflow or only its state machine", () => {
    const stack = testStack();
    const calls = demoWorkflow(stack, 'US');
    const partial = { 'lead.lastName': 'LastName', 'lead.phone': 'PhoneNumber' };
    const message = "workflow intent 'RequestDemoIntent' starts a workflow whose input needs lead.lastName, lead.company, lead.phone, but 'inputSlots' does not map lead.company: every execution would fail validation after the caller was told a call is coming. Map each to a slot of the intent, e.g. { 'lead.company': '<SlotName>' }.";

    expect(() => new CachedLexFulfillment(stack, 'ByObject', {
      bot: bot(stack), intents: [GREETING], workflowIntents: [{ intentName: 'RequestDemoIntent', workflow: calls, answer: 'Calling.', inputSlots: partial }],
    })).toThrow(message);
    const other = testStack('Other');
    expect(() => new CachedLexFulfillment(other, 'ByMachine', {
      intents: [GREETING], bot: bot(other),
      workflowIntents: [{ intentName: 'RequestDemoIntent', stateMachine: demoWorkflow(other, 'US').stateMachine, answer: 'Calling.' }],
    })).toThrow(/does not map lead.lastName, lead.company, lead.phone/);
  });

  it('refuses a phone slot fed to a DemoCallWorkflow without a default phone country', () => {
    const stack = testStack();

    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', {
      bot: bot(stack), intents: [GREETING],
      workflowIntents: [{ intentName: 'RequestDemoIntent', workflow: demoWorkflow(stack), answer: 'Calling.', inputSlots: FULL_INPUT }],
    })).toThrow("workflow intent 'RequestDemoIntent' feeds slot 'PhoneNumber' into 'lead.phone', but the workflow has no 'defaultPhoneCountry'. Lex's AMAZON.PhoneNumber slot gives the digits a caller says, usually without a country code, and without a default country only E.164 numbers (+14155550100) pass. Set 'defaultPhoneCountry' on the workflow (e.g. 'US').");
  });

  it('accepts a DemoCallWorkflow intent that maps every required field, and turns on its code hook', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', {
      bot: bot(stack), intents: [GREETING],
      workflowIntents: [{ intentName: 'RequestDemoIntent', workflow: demoWorkflow(stack, 'US'), answer: 'Calling.', inputSlots: FULL_INPUT }],
    });

    expect(intentsOf(Template.fromStack(stack)).RequestDemoIntent.FulfillmentCodeHook).toEqual({ Enabled: true });
  });

  it('refuses a workflow intent with both a state machine and a workflow, or neither', () => {
    const stack = testStack();
    const calls = demoWorkflow(stack, 'US');

    expect(() => new CachedLexFulfillment(stack, 'Both', {
      intents: [GREETING], workflowIntents: [{ intentName: 'RequestDemoIntent', stateMachine: calls.stateMachine, workflow: calls, answer: 'x' }],
    })).toThrow("workflow intent 'RequestDemoIntent' needs exactly one of 'stateMachine' and 'workflow'");
    expect(() => new CachedLexFulfillment(stack, 'Neither', {
      intents: [GREETING], workflowIntents: [{ intentName: 'RequestDemoIntent', answer: 'x' }],
    })).toThrow("needs exactly one of 'stateMachine' and 'workflow'");
  });
}, {
  fixtureFindings: (finding) => /^AwsSolutions-\w+ (Test|Other)\/(BotRole|Machine)\//.test(finding),
});

describeConstruct('CachedLexFulfillment checks its values', () => {
  it.each<[Partial<CachedLexFulfillmentProps>, string]>([
    [{ modelId: 'claude-haiku' }, "CachedLexFulfillment 'Fulfillment': 'modelId' 'claude-haiku' is neither a foundation model id (provider.model) nor an inference profile id"],
    [{ modelId: 'xx.anthropic.claude-haiku-4-5-20251001-v1:0' }, "'modelId' 'xx.anthropic.claude-haiku-4-5-20251001-v1:0' is neither"],
    [{ modelId: 'arn:aws:bedrock:us-west-2:123456789012:agent/ABC' }, "'modelId' 'arn:aws:bedrock:us-west-2:123456789012:agent/ABC' is not a Bedrock model or inference profile ARN."],
    [{ maxTokens: 0 }, "'maxTokens' must be a whole number of 1 or more, got 0."],
    [{ intents: [{ ...GREETING, maxTokens: 2.5 }] }, "'intents[GreetingIntent].maxTokens' must be a whole number of 1 or more, got 2.5."],
    [{ syncGenerationDeadline: Duration.seconds(12) }, "'syncGenerationDeadline' (12 seconds) must be shorter than the fulfillment function's timeout (10 seconds, 'fulfillmentTimeout'), or the function is killed before it can fall back to the static answer."],
    [{ syncGenerationDeadline: Duration.seconds(31), fulfillmentTimeout: Duration.seconds(60) }, "'syncGenerationDeadline' (31 seconds) must be shorter than the 30 seconds Lex waits for a code hook."],
    [{ guardrail: { guardrailId: 'abc123', guardrailVersion: 'v1' } }, "'guardrail.guardrailVersion' must be a version number such as '1', or 'DRAFT', got 'v1'."],
    [{ guardrail: { guardrailId: 'arn:aws:bedrock:us-west-2:123456789012:guardrail/abc', guardrailVersion: '1' } }, "'guardrail.guardrailId' must be the guardrail's id"],
    [{ fulfillmentMemorySize: 128 }, "'fulfillmentMemorySize' must be a whole number of MB from 256 to 10240, got 128."],
  ])('refuses %o with the message the user sees', (props, message) => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [GREETING], ...props })).toThrow(message);
  });

  it.each([
    'anthropic.claude-haiku-4-5-20251001-v1:0', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    'amazon.nova-lite-v1:0', 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123',
  ])('accepts the model id %s', (modelId) => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [GREETING], modelId })).not.toThrow();
  });
});
