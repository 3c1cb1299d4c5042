import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lex from 'aws-cdk-lib/aws-lex';
import { describe, expect, it } from 'vitest';
import { CachedLexFulfillment, type IOutboundCallFlow, LexCallFlow, type LexCallFlowProps, PhoneNumberType } from '../../src';
import { minimalBot } from '../helpers/bot';
import { normalisedTemplate, unacknowledgedNagFindings } from '../helpers/template';

const INSTANCE_ARN = 'arn:aws:connect:us-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555';
const ALIAS_ARN = 'arn:aws:lex:us-west-2:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST';
const TEST_ALIAS_ARN = 'arn:aws:lex:us-west-2:123456789012:bot-alias/ABCDEFGHIJ/TSTALIASID';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-west-2' } });
}

function userAlias(stack: Stack): lex.CfnBotAlias {
  const bot = minimalBot(stack);
  return new lex.CfnBotAlias(stack, 'LiveAlias', { botId: bot.attrId, botAliasName: 'live', botVersion: '1' });
}

function build(props: Partial<LexCallFlowProps> = {}): { stack: Stack; flow: LexCallFlow; template: Template } {
  const stack = newStack();
  const flow = new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias: userAlias(stack), ...props });
  return { stack, flow, template: Template.fromStack(stack) };
}

/** The flow document in the template, with each token written as TOKEN[LogicalId] or TOKEN[LogicalId.Attribute]. */
function flowOf(template: Template): any {
  const [resource] = Object.values(template.findResources('AWS::Connect::ContactFlow')) as any[];
  const content = resource.Properties.Content;
  const text = typeof content === 'string' ? content : (content['Fn::Join'][1] as any[])
    .map((p) => (typeof p === 'string' ? p : `TOKEN[${p.Ref ?? p['Fn::GetAtt']?.join('.') ?? JSON.stringify(p)}]`)).join('');
  return JSON.parse(text);
}

function action(flow: any, id: string): any {
  const found = flow.Actions.find((a: any) => a.Identifier === id);
  expect(found, `action ${id}`).toBeDefined();
  return found;
}

/** A minimal valid hand-made flow, for the validation tests to break. */
function handMade(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Version: '2019-10-30',
    StartAction: 'Talk',
    Actions: [
      { Identifier: 'Talk', Type: 'ConnectParticipantWithLexBot', Parameters: { LexV2Bot: { AliasArn: ALIAS_ARN } }, Transitions: { NextAction: 'End', Errors: [{ NextAction: 'End', ErrorType: 'NoMatchingError' }] } },
      { Identifier: 'End', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
    ...overrides,
  };
}

function fromJson(flow: unknown): () => LexCallFlow {
  const stack = newStack();
  return () => LexCallFlow.fromFlowJson(stack, 'HandMade', {
    instanceArn: INSTANCE_ARN,
    botAlias: LexCallFlow.botAliasFromArn(stack, 'Alias', ALIAS_ARN),
    flowJson: typeof flow === 'string' ? flow : JSON.stringify(flow),
  });
}

describe('LexCallFlow: the generated flow', () => {
  it('is a CONTACT_FLOW in the instance, in the Flow language, starting with flow logging on', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Connect::ContactFlow', { InstanceArn: INSTANCE_ARN, Type: 'CONTACT_FLOW', State: 'ACTIVE' });
    const flow = flowOf(template);
    expect(flow.Version).toBe('2019-10-30');
    expect(flow.StartAction).toBe('EnableFlowLogging');
    expect(action(flow, 'EnableFlowLogging')).toMatchObject({ Type: 'UpdateFlowLoggingBehavior', Parameters: { FlowLoggingBehavior: 'Enabled' }, Transitions: { NextAction: 'Greeting' } });
  });

  // Connect admin guide, Get customer input, "Barge-in configuration and usage for Amazon Lex": Lex V2 takes
  // x-amz-lex:allow-interrupt:*:*; x-amz-lex:barge-in-enabled is the Lex Classic key.
  // https://docs.aws.amazon.com/connect/latest/adminguide/get-customer-input.html
  it('hands the call to the live alias ARN with interactionKey from the contact attributes and Lex V2 barge-in on', () => {
    const flow = flowOf(build().template);
    const ask = action(flow, 'AskBot');
    expect(ask.Type).toBe('ConnectParticipantWithLexBot');
    expect(ask.Parameters.LexV2Bot).toEqual({ AliasArn: 'TOKEN[LiveAlias.Arn]' });
    expect(ask.Parameters.LexSessionAttributes).toEqual({
      'interactionKey': '$.Attributes.interactionKey',
      'x-amz-lex:allow-interrupt:*:*': 'true',
    });
    expect(JSON.stringify(flow)).not.toContain('barge-in-enabled');
  });

  // "The initial response is sent to the user after Amazon Lex V2 determines the intent"
  // (https://docs.aws.amazon.com/lexv2/latest/dg/intent-initial.html): the callee hears the flow's words first.
  it('never starts a call in silence: by default Connect greets the callee and the bot asks a question', () => {
    const flow = flowOf(build().template);
    expect(action(flow, 'Greeting')).toMatchObject({ Type: 'MessageParticipant', Parameters: { Text: 'Hello, this is an automated assistant calling.' }, Transitions: { NextAction: 'AskBot' } });
    expect(action(flow, 'AskBot').Parameters.Text).toBe('How can I help you today?');
  });

  it('speaks the greeting first and the prompt as the bot listens, when given', () => {
    const flow = flowOf(build({ greeting: 'Hi, this is Atlas.', prompt: 'How can I help?' }).template);
    expect(action(flow, 'EnableFlowLogging').Transitions.NextAction).toBe('Greeting');
    expect(action(flow, 'Greeting')).toMatchObject({ Type: 'MessageParticipant', Parameters: { Text: 'Hi, this is Atlas.' }, Transitions: { NextAction: 'AskBot' } });
    expect(action(flow, 'AskBot').Parameters.Text).toBe('How can I help?');
  });

  // A voice Lex block has no InputTimeLimitExceeded branch: that is the chat timeout (LexTimeoutSeconds); a silent caller
  // reaches the fallback intent after Lex's re-prompts (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html,
  // https://docs.aws.amazon.com/connect/latest/adminguide/get-customer-input.html).
  it('asks again a bounded number of times on the fallback intent (a callee not understood, or silent), then apologises and hangs up', () => {
    const flow = flowOf(build({ maxReAsks: 2 }).template);
    const chain = ['AskBot', 'ReAsk1', 'ReAsk2'];
    chain.forEach((id, i) => {
      const t = action(flow, id).Transitions;
      const onNoMatch = chain[i + 1] ?? 'NoMatchGoodbye';
      expect(t.Conditions).toEqual([{ NextAction: onNoMatch, Condition: { Operator: 'Equals', Operands: ['FallbackIntent'] } }]);
      expect(t.Errors).toEqual([
        { NextAction: 'Goodbye', ErrorType: 'NoMatchingCondition' },
        { NextAction: 'ErrorApology', ErrorType: 'NoMatchingError' },
      ]);
      expect(t.NextAction).toBe('Goodbye');
    });
    expect(action(flow, 'ReAsk1').Parameters.Text).toBe("Sorry, I didn't catch that. Could you say it another way?");
    expect(flow.Actions.find((a: any) => a.Identifier === 'ReAsk3')).toBeUndefined();
    expect(action(flow, 'NoMatchGoodbye')).toMatchObject({ Type: 'MessageParticipant', Transitions: { NextAction: 'Disconnect' } });
  });

  it('speaks an apology on errors and a goodbye on a finished conversation, both before DisconnectParticipant', () => {
    const flow = flowOf(build({ goodbye: 'Bye now.', errorMessage: 'Sorry, we hit a problem.' }).template);
    expect(action(flow, 'ErrorApology')).toMatchObject({ Parameters: { Text: 'Sorry, we hit a problem.' }, Transitions: { NextAction: 'Disconnect' } });
    expect(action(flow, 'Goodbye')).toMatchObject({ Parameters: { Text: 'Bye now.' }, Transitions: { NextAction: 'Disconnect' } });
    expect(action(flow, 'Disconnect')).toEqual({ Identifier: 'Disconnect', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });
  });

  it('ends the call with the goodbye when a follow-up question ends in the fallback intent (silence or not understood)', () => {
    const flow = flowOf(build({ followUpQuestions: 2 }).template);
    expect(action(flow, 'FollowUp1').Transitions).toMatchObject({ NextAction: 'FollowUp2', Conditions: [{ NextAction: 'Goodbye' }] });
    expect(action(flow, 'FollowUp2').Transitions).toMatchObject({ NextAction: 'Goodbye', Conditions: [{ NextAction: 'Goodbye' }] });
    expect(JSON.stringify(flow)).not.toContain('InputTimeLimitExceeded');
  });

  it('maps the session attributes and voice settings given, bargeIn false turning barge-in off', () => {
    const flow = flowOf(build({ sessionAttributes: { interactionKey: 'callKey', locale: 'lang' }, bargeIn: false, noMatchIntentNames: ['FallbackIntent', 'RepeatIntent'], maxReAsks: 0 }).template);
    const ask = action(flow, 'AskBot');
    expect(ask.Parameters.LexSessionAttributes).toEqual({
      'interactionKey': '$.Attributes.callKey',
      'locale': '$.Attributes.lang',
      'x-amz-lex:allow-interrupt:*:*': 'false',
    });
    expect(ask.Transitions.Conditions.map((c: any) => c.Condition.Operands[0])).toEqual(['FallbackIntent', 'RepeatIntent']);
    expect(ask.Transitions.Conditions.every((c: any) => c.NextAction === 'NoMatchGoodbye')).toBe(true);
  });
});

describe('LexCallFlow: the bot alias', () => {
  it('takes the alias CachedLexFulfillment creates', () => {
    const stack = newStack();
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', {
      bot: minimalBot(stack),
      intents: [{ intentName: 'GreetingIntent', staticAnswer: 'Hello!' }],
    });
    new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias: fulfillment.botAlias! });
    const template = Template.fromStack(stack);
    const aliasId = stack.getLogicalId(fulfillment.botAlias!);
    expect(action(flowOf(template), 'AskBot').Parameters.LexV2Bot.AliasArn).toBe(`TOKEN[${aliasId}.Arn]`);
  });

  it('takes an alias ARN, literal in the flow and the association', () => {
    const stack = newStack();
    new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias: LexCallFlow.botAliasFromArn(stack, 'Alias', ALIAS_ARN) });
    const template = Template.fromStack(stack);
    expect(action(flowOf(template), 'AskBot').Parameters.LexV2Bot.AliasArn).toBe(ALIAS_ARN);
    template.hasResourceProperties('AWS::Connect::IntegrationAssociation', { IntegrationArn: ALIAS_ARN });
  });

  it('refuses the test alias, naming the prop and the fix', () => {
    const stack = newStack();
    expect(() => new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias: LexCallFlow.botAliasFromArn(stack, 'Alias', TEST_ALIAS_ARN) }))
      .toThrow("LexCallFlow 'CallFlow': 'botAlias' is the Lex test alias TSTALIASID, which allows few concurrent calls and is not meant for production. Pass a published alias: CachedLexFulfillment.botAlias, your own CfnBotAlias, or LexCallFlow.botAliasFromArn(...) with its ARN.");
  });

  it('refuses a hand-made flow that talks to the test alias', () => {
    const flow = handMade();
    (flow.Actions as any[])[0].Parameters.LexV2Bot.AliasArn = TEST_ALIAS_ARN;
    expect(fromJson(flow)).toThrow(`LexCallFlow 'HandMade': the flow names the Lex test alias (${TEST_ALIAS_ARN}), which allows few concurrent calls. Name a published alias such as the one CachedLexFulfillment creates.`);
  });

  it('refuses a string that is no alias ARN', () => {
    const stack = newStack();
    expect(() => LexCallFlow.botAliasFromArn(stack, 'Alias', 'arn:aws:lex:us-west-2:123456789012:bot/ABCDEFGHIJ'))
      .toThrow("LexCallFlow.botAliasFromArn: 'arn:aws:lex:us-west-2:123456789012:bot/ABCDEFGHIJ' is no Lex V2 bot alias ARN; expected arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId>.");
  });
});

describe('LexCallFlow: voice timing (https://docs.aws.amazon.com/lexv2/latest/dg/session-attribs-speech.html)', () => {
  /** A bot with a yes/no slot, a number slot and a name slot, on a live alias. */
  function voiceBotAlias(stack: Stack): lex.CfnBotAlias {
    const bot = minimalBot(stack);
    const slot = (name: string, slotTypeName: string) => ({ name, slotTypeName, valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: [{ message: { plainTextMessage: { value: `${name}?` } } }] } } });
    const locales = bot.botLocales as lex.CfnBot.BotLocaleProperty[];
    bot.botLocales = [{ ...locales[0], intents: [...(locales[0].intents as lex.CfnBot.IntentProperty[]), {
      name: 'BookIntent', sampleUtterances: [{ utterance: 'book' }],
      slots: [slot('Sure', 'AMAZON.Confirmation'), slot('Seats', 'AMAZON.Number'), slot('Name', 'AMAZON.FirstName')],
      slotPriorities: [{ priority: 1, slotName: 'Sure' }, { priority: 2, slotName: 'Seats' }, { priority: 3, slotName: 'Name' }],
    }] }];
    return new lex.CfnBotAlias(stack, 'LiveAlias', { botId: bot.attrId, botAliasName: 'live', botVersion: '1' });
  }

  it('gives yes/no and number slots 400 ms of end silence and leaves longer answers at Lex\'s 600 ms', () => {
    const stack = newStack();
    new LexCallFlow(stack, 'CallFlow', { instanceArn: INSTANCE_ARN, botAlias: voiceBotAlias(stack) });
    const attributes = action(flowOf(Template.fromStack(stack)), 'AskBot').Parameters.LexSessionAttributes;
    expect(attributes).toMatchObject({
      'x-amz-lex:audio:end-timeout-ms:BookIntent:Sure': '400',
      'x-amz-lex:audio:end-timeout-ms:BookIntent:Seats': '400',
    });
    expect(attributes['x-amz-lex:audio:end-timeout-ms:BookIntent:Name']).toBeUndefined();
  });

  it('writes voiceTiming per intent and slot, which wins over the short-answer default', () => {
    const stack = newStack();
    new LexCallFlow(stack, 'CallFlow', {
      instanceArn: INSTANCE_ARN,
      botAlias: voiceBotAlias(stack),
      shortAnswerEndSilence: Duration.millis(350),
      voiceTiming: [
        { intentName: 'BookIntent', slotName: 'Seats', endSilence: Duration.millis(500), keypadEndCharacter: '#', keypadMaxDigits: 2 },
        { startTimeout: Duration.seconds(6), maxSpeechLength: Duration.seconds(15), keypadEndTimeout: Duration.seconds(3) },
      ],
    });
    expect(action(flowOf(Template.fromStack(stack)), 'AskBot').Parameters.LexSessionAttributes).toEqual({
      'interactionKey': '$.Attributes.interactionKey',
      'x-amz-lex:allow-interrupt:*:*': 'true',
      'x-amz-lex:audio:end-timeout-ms:BookIntent:Sure': '350',
      'x-amz-lex:audio:end-timeout-ms:BookIntent:Seats': '500',
      'x-amz-lex:dtmf:end-character:BookIntent:Seats': '#',
      'x-amz-lex:dtmf:max-length:BookIntent:Seats': '2',
      'x-amz-lex:audio:start-timeout-ms:*:*': '6000',
      'x-amz-lex:audio:max-length-ms:*:*': '15000',
      'x-amz-lex:dtmf:end-timeout-ms:*:*': '3000',
    });
  });

  it.each([
    [{ voiceTiming: [{ maxSpeechLength: Duration.seconds(16) }] }, "LexCallFlow 'CallFlow': 'voiceTiming[0]'.maxSpeechLength must be a whole number of milliseconds from 1 to 15,000, got 16000."],
    [{ voiceTiming: [{ intentName: 'Book Intent' }] }, "LexCallFlow 'CallFlow': 'voiceTiming[0]'.intentName must be '*' or an intent or slot name, got 'Book Intent'."],
    [{ voiceTiming: [{ keypadEndCharacter: 'A' }] }, "LexCallFlow 'CallFlow': 'voiceTiming[0]'.keypadEndCharacter must be one keypad key (0-9, * or #), got 'A'."],
    [{ voiceTiming: [{ keypadMaxDigits: 2000 }] }, "LexCallFlow 'CallFlow': 'voiceTiming[0]'.keypadMaxDigits must be a whole number from 1 to 1,024, got 2000."],
    [{ shortAnswerEndSilence: Duration.millis(0) }, "LexCallFlow 'CallFlow': 'shortAnswerEndSilence' must be a whole number of milliseconds from 1, got 0."],
  ] as Array<[Partial<LexCallFlowProps>, string]>)('refuses a voice setting Lex would not take: %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('LexCallFlow: the bot association, the one writer of the alias\'s resource policy', () => {
  it('associates the alias with the instance (instance ARN, LEX_BOT) before the flow is created', () => {
    const { template, stack, flow } = build();
    template.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
      InstanceId: INSTANCE_ARN,
      IntegrationType: 'LEX_BOT',
      IntegrationArn: { 'Fn::GetAtt': ['LiveAlias', 'Arn'] },
    });
    const [flowResource] = Object.values(template.findResources('AWS::Connect::ContactFlow')) as any[];
    expect(flowResource.DependsOn).toEqual([stack.getLogicalId(flow.integrationAssociation)]);
  });

  // "When you associate an Amazon Lex bot with your Amazon Connect instance, the resource-based policy on the bot is
  // updated to give Amazon Connect permission to invoke the bot" (https://docs.aws.amazon.com/connect/latest/adminguide/amazon-lex.html);
  // a Lex resource holds one policy, guarded by revision ids (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_UpdateResourcePolicy.html).
  it('writes no AWS::Lex::ResourcePolicy: the association is the policy\'s one writer', () => {
    build().template.resourceCountIs('AWS::Lex::ResourcePolicy', 0);
  });
});

describe('LexCallFlow: flow id and caller id', () => {
  it('derives the flow id as the last segment of a literal flow ARN', () => {
    expect(LexCallFlow.flowIdOf(`${INSTANCE_ARN}/contact-flow/66666666-7777-8888-9999-000000000000`)).toBe('66666666-7777-8888-9999-000000000000');
  });

  it('derives the flow id from the flow ARN token with Fn::Select and Fn::Split', () => {
    const { stack, flow } = build();
    const flowLogicalId = stack.getLogicalId(flow.contactFlow);
    expect(stack.resolve(flow.contactFlowArn)).toEqual({ 'Fn::GetAtt': [flowLogicalId, 'ContactFlowArn'] });
    const derived = stack.resolve(flow.contactFlowId);
    expect(derived).toEqual({ 'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [flowLogicalId, 'ContactFlowArn'] }] }] });
    // What CloudFormation computes from a deployed ARN:
    const deployedArn = `${INSTANCE_ARN}/contact-flow/abcdef01-2345-6789-abcd-ef0123456789`;
    expect(deployedArn.split(derived['Fn::Select'][1]['Fn::Split'][0])[derived['Fn::Select'][0]]).toBe('abcdef01-2345-6789-abcd-ef0123456789');
  });

  it('claims a number into the instance and exposes its address as the caller id', () => {
    const { stack, flow, template } = build({ claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID, prefix: '+1415' } });
    template.hasResourceProperties('AWS::Connect::PhoneNumber', { TargetArn: INSTANCE_ARN, CountryCode: 'US', Type: 'DID', Prefix: '+1415' });
    expect(stack.resolve(flow.callerId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(flow.phoneNumber!), 'Address'] });
  });

  it('takes an existing number as the caller id and claims none', () => {
    const { flow, template } = build({ sourcePhoneNumber: '+14155550100' });
    template.resourceCountIs('AWS::Connect::PhoneNumber', 0);
    expect(flow.callerId).toBe('+14155550100');
  });
});

describe('LexCallFlow: wrong props are refused with the prop and the fix', () => {
  const cases: Array<[string, Partial<LexCallFlowProps>, string]> = [
    ['an instance ARN that is not one', { instanceArn: 'arn:aws:connect:us-west-2:123456789012:instance' },
      "LexCallFlow 'CallFlow': 'instanceArn' must be an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), got 'arn:aws:connect:us-west-2:123456789012:instance'."],
    ['both a claim and an existing number', { claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID }, sourcePhoneNumber: '+14155550100' },
      "LexCallFlow 'CallFlow': set 'claimPhoneNumber' (claim a new number) or 'sourcePhoneNumber' (an existing one), not both."],
    ['a caller id that is not E.164', { sourcePhoneNumber: '415-555-0100' },
      "LexCallFlow 'CallFlow': 'sourcePhoneNumber' must be an E.164 number such as +14155550100, got '415-555-0100'."],
    ['a country that is not ISO alpha-2', { claimPhoneNumber: { countryCode: 'USA', type: PhoneNumberType.TOLL_FREE } },
      "LexCallFlow 'CallFlow': 'claimPhoneNumber.countryCode' must be an ISO 3166-1 alpha-2 code such as 'US', got 'USA'."],
    ['a prefix without +', { claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID, prefix: '1415' } },
      "LexCallFlow 'CallFlow': 'claimPhoneNumber.prefix' must be '+' and digits, such as '+1415', got '1415'."],
    // "If a flow has a dimension name in non-ASCII characters, you won't be able to see it in CloudWatch"
    // (https://docs.aws.amazon.com/connect/latest/adminguide/monitoring-cloudwatch.html).
    ['a flow name CloudWatch cannot show', { flowName: 'Démo-appels' },
      "LexCallFlow 'CallFlow': 'flowName' must be 1-127 printable ASCII characters, got 'Démo-appels'. CloudWatch does not show a flow whose name has other characters, so its ContactFlowErrors alarm would never see data."],
    ['too many re-asks', { maxReAsks: 6 }, "LexCallFlow 'CallFlow': 'maxReAsks' must be a whole number from 0 to 5, got 6."],
    ['too many follow-up questions', { followUpQuestions: 21 }, "LexCallFlow 'CallFlow': 'followUpQuestions' must be a whole number from 0 to 20, got 21."],
    ['a reserved session key', { sessionAttributes: { 'x-amz-lex:barge-in-enabled:*:*': 'x' } },
      "LexCallFlow 'CallFlow': 'sessionAttributes' key 'x-amz-lex:barge-in-enabled:*:*' must be non-empty and outside the reserved x-amz-lex: namespace (voice settings such as barge-in have their own props)."],
    ['a contact attribute name that is no JSONPath name', { sessionAttributes: { interactionKey: 'call key' } },
      "LexCallFlow 'CallFlow': 'sessionAttributes' maps 'interactionKey' to contact attribute 'call key'; use letters, digits, '_' or '-' (1-127 characters) so $.Attributes.call key is a valid reference."],
    ['an empty spoken text', { goodbye: ' ' },
      "LexCallFlow 'CallFlow': spoken texts (greeting, prompt, reAskPrompt, noMatchMessage, errorMessage, goodbye) must not be empty; leave a prop out for its default."],
  ];
  it.each(cases)('refuses %s', (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('LexCallFlow.fromFlowJson: the checks Connect makes at deploy time', () => {
  const refused = "LexCallFlow 'HandMade': Connect would refuse this flow: ";

  it('accepts a valid hand-made flow and deploys it as it is', () => {
    const flow = fromJson(handMade())();
    const template = Template.fromStack(Stack.of(flow));
    expect(flowOf(template)).toEqual(handMade());
  });

  it('refuses text that is not JSON', () => {
    expect(fromJson('{"Version": ')).toThrow(/^LexCallFlow 'HandMade': 'flowJson' is not valid JSON \(/);
  });

  it('refuses another Version', () => {
    expect(fromJson(handMade({ Version: '2020-01-01' }))).toThrow(`${refused}Version must be "2019-10-30", got "2020-01-01".`);
  });

  it('refuses more than 250 actions', () => {
    const actions = Array.from({ length: 251 }, (_, i) => ({ Identifier: `A${i}`, Type: 'MessageParticipant', Parameters: { Text: 'x' }, Transitions: { NextAction: i < 250 ? `A${i + 1}` : 'A0' } }));
    expect(fromJson(handMade({ StartAction: 'A0', Actions: actions }))).toThrow(`${refused}the flow has 251 actions; Connect accepts at most 250. Split it into flow modules.`);
  });

  it('refuses an identifier longer than 50 characters', () => {
    const id = 'x'.repeat(51);
    expect(fromJson(handMade({ StartAction: id, Actions: [{ Identifier: id, Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }] })))
      .toThrow(`${refused}action '${id}': Identifier has 51 characters; at most 50 are allowed.`);
  });

  it('refuses an identifier with a forbidden character', () => {
    expect(fromJson(handMade({ StartAction: 'Say:Hi', Actions: [{ Identifier: 'Say:Hi', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }] })))
      .toThrow(`${refused}action 'Say:Hi': Identifier contains ':'; none of % : ( \\ / ) = $ , ; [ ] { } is allowed.`);
  });

  it('refuses an identifier used twice', () => {
    const end = { Identifier: 'End', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} };
    expect(fromJson(handMade({ StartAction: 'End', Actions: [end, end] }))).toThrow(`${refused}action 'End': Identifier is used twice; every action needs its own.`);
  });

  it('refuses a StartAction that names no action', () => {
    expect(fromJson(handMade({ StartAction: 'Hello' }))).toThrow(`${refused}StartAction 'Hello' names no action in Actions.`);
  });

  it('refuses a missing StartAction', () => {
    expect(fromJson(handMade({ StartAction: undefined }))).toThrow(`${refused}StartAction must name the first action.`);
  });

  it('refuses a transition to no action', () => {
    const flow = handMade();
    (flow.Actions as any[])[0].Transitions.Errors[0].NextAction = 'Apology';
    expect(fromJson(flow)).toThrow(`${refused}action 'Talk': the error "NoMatchingError" goes to "Apology", which is no action in this flow.`);
  });

  it('refuses a condition to no action', () => {
    const flow = handMade();
    (flow.Actions as any[])[0].Transitions.Conditions = [{ NextAction: 'Nowhere', Condition: { Operator: 'Equals', Operands: ['FallbackIntent'] } }];
    expect(fromJson(flow)).toThrow(`${refused}action 'Talk': the condition on ["FallbackIntent"] goes to "Nowhere", which is no action in this flow.`);
  });

  it('refuses content over 256,000 characters', () => {
    const flow = handMade();
    (flow.Actions as any[])[0].Parameters.Text = 'a'.repeat(256_000);
    expect(fromJson(flow)).toThrow(new RegExp(`^${refused.replace(/[()]/g, '\\$&')}the flow content is 256,[0-9]{3} characters; Connect accepts 1 to 256,000\\.$`));
  });

  it('refuses an empty action list', () => {
    expect(fromJson(handMade({ Actions: [] }))).toThrow(`${refused}Actions must be a non-empty array of actions.`);
  });
});

describe('LexCallFlow: security and the template', () => {
  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    const { stack } = build({ claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID }, greeting: 'Hello.' });
    // The test bot's role is the helper's, not this construct's.
    expect(unacknowledgedNagFindings(stack).filter((f) => !f.includes(' BotRole'))).toEqual([]);
  });

  it('matches the snapshot', () => {
    expect(normalisedTemplate(build({ greeting: 'Hello.', claimPhoneNumber: { countryCode: 'US', type: PhoneNumberType.DID } }).stack)).toMatchSnapshot();
  });
});

describe('LexCallFlow as an IOutboundCallFlow', () => {
  it('carries what StartOutboundVoiceContact needs: instance, flow id and caller id', () => {
    const { stack, flow } = build({ sourcePhoneNumber: '+14155550100' });
    const outbound: IOutboundCallFlow = flow;
    expect(outbound.instanceArn).toBe(INSTANCE_ARN);
    expect(stack.resolve(outbound.contactFlowId)).toEqual(stack.resolve(LexCallFlow.flowIdOf(flow.contactFlow.attrContactFlowArn)));
    expect(outbound.callerId).toBe('+14155550100');
  });
});
