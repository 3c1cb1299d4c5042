// LatencyChecks on the seed's "current" stack (every rule fires) and on a clean stack (none fires).
import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { LatencyChecks } from '../../src/checks';
import { LexCallFlow } from '../../src/constructs/lex-call-flow';
import { ResponseCacheTable } from '../../src/constructs/response-cache-table';
import { runRules } from '../../src/checks/rules';
import { TemplateModel } from '../../src/checks/template-model';
import { cleanStack, newApp, seedCurrentStack } from './fixtures';

const ruleIdsOf = (lines: string[]) => lines.map((l) => l.split(' ')[0]);

describe('LatencyChecks', () => {
  it('fires every rule on the seed built the "current" way', () => {
    const { stack } = seedCurrentStack(newApp());
    const findings = LatencyChecks.unacknowledgedFindings(stack);
    expect(findings.map((l) => l.split(':')[0])).toEqual([
      'FastLex-L1 SeedCurrent/LiveBotAlias',
      'FastLex-L10 SeedCurrent/CreateLeadHandler/Resource',
      'FastLex-L10 SeedCurrent/LexFulfillmentHandler/Resource',
      'FastLex-L2 SeedCurrent/StagingBotAlias',
      'FastLex-L3 SeedCurrent/LexFulfillmentHandler/Resource',
      'FastLex-L4 SeedCurrent/LexFulfillmentHandler/Resource',
      'FastLex-L5 SeedCurrent/LexFulfillmentHandler/Resource',
      'FastLex-L6 SeedCurrent/LexFulfillmentHandler/Resource',
      'FastLex-L7 SeedCurrent/AtlasEngineWorkflow/Resource',
      'FastLex-L8 SeedCurrent/AtlasEngineWorkflow/Resource',
      'FastLex-L9 SeedCurrent/ResponseCache/Resource',
    ]);
    expect(findings.find((l) => l.startsWith('FastLex-L8'))).toContain('CreateLead -> GenerateScenario');
    expect(findings.find((l) => l.startsWith('FastLex-L6'))).toContain('31.0 MB');
    expect(findings.find((l) => l.startsWith('FastLex-L7'))).toContain('InvokeOutboundCall (waitForTaskToken)');
  });

  it('fires none on the clean stack', () => {
    expect(LatencyChecks.unacknowledgedFindings(cleanStack(newApp()))).toEqual([]);
  });

  it('finds nothing to say about the library\'s own ResponseCacheTable (it has a TTL)', () => {
    const stack = new Stack(newApp(), 'Library');
    new ResponseCacheTable(stack, 'Cache');
    expect(LatencyChecks.unacknowledgedFindings(stack)).toEqual([]);
  });

  it('silences exactly the acknowledged finding when a reason is given', () => {
    const seed = seedCurrentStack(newApp());
    const before = LatencyChecks.unacknowledgedFindings(seed.stack);
    Validations.of(seed.fulfillment).acknowledge({ id: 'FastLex-L4', reason: 'a native x86-only phone number library' });
    Validations.of(seed.workflow).acknowledge({ id: 'FastLex-L8', reason: 'the CRM rate limit needs the calls in order' });
    const after = LatencyChecks.unacknowledgedFindings(seed.stack);
    expect(before.filter((l) => !after.includes(l)).map((l) => l.split(':')[0])).toEqual([
      'FastLex-L4 SeedCurrent/LexFulfillmentHandler/Resource',
      'FastLex-L8 SeedCurrent/AtlasEngineWorkflow/Resource',
    ]);
    expect(after).toHaveLength(before.length - 2);
  });

  it('does not count an acknowledgement without a reason', () => {
    const seed = seedCurrentStack(newApp());
    Validations.of(seed.createLead).acknowledge({ id: 'FastLex-L10', reason: '  ' });
    const l10 = LatencyChecks.unacknowledgedFindings(seed.stack).filter((l) => l.includes('CreateLeadHandler'));
    expect(l10).toEqual([expect.stringContaining('acknowledged without a reason')]);
  });

  it('fails synthesis on error findings when registered as a validation plugin, and passes a clean app', () => {
    const bad = newApp();
    seedCurrentStack(bad);
    Validations.of(bad).addPlugins(new LatencyChecks());
    expect(() => bad.synth()).toThrow(/FastLex-L1[\s\S]*FastLex-L7|FastLex-L7[\s\S]*FastLex-L1/);

    const good = newApp();
    cleanStack(good);
    Validations.of(good).addPlugins(new LatencyChecks());
    expect(() => good.synth()).not.toThrow();
  });

  it('reports the same rules from the synthesized template as from the construct tree', () => {
    const app = newApp();
    const { stack } = seedCurrentStack(app);
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    const model = new TemplateModel({ stackName: stack.stackName, resources: artifact.template.Resources, assetDir: assembly.directory });
    const fromTemplate = runRules(model).map((f) => f.ruleId).sort();
    expect(fromTemplate).toEqual(ruleIdsOf(LatencyChecks.unacknowledgedFindings(stack)));
  });

  it('applies its thresholds from props', () => {
    const { stack } = seedCurrentStack(newApp());
    const findings = LatencyChecks.unacknowledgedFindings(stack, { minimumMemoryMb: 128, sizeBudget: Size.mebibytes(64) });
    expect(ruleIdsOf(findings)).not.toContain('FastLex-L3');
    expect(ruleIdsOf(findings)).not.toContain('FastLex-L6');
  });

  it('lists its rules with severity and explanation', () => {
    const rules = LatencyChecks.rules();
    expect(rules.map((r) => r.id)).toEqual(['FastLex-L1', 'FastLex-L2', 'FastLex-L3', 'FastLex-L4', 'FastLex-L5',
      'FastLex-L6', 'FastLex-L7', 'FastLex-L8', 'FastLex-L9', 'FastLex-L10', 'FastLex-L11']);
    expect(rules.filter((r) => r.severity === 'error').map((r) => r.id)).toEqual(['FastLex-L1', 'FastLex-L7']);
    for (const r of rules) expect(r.explanation).toMatch(/Fix:/);
  });
});

describe('rules on hand-written template fragments', () => {
  const model = (resources: Record<string, unknown>) => new TemplateModel({ stackName: 'T', resources });
  const fn = { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 512, Architectures: ['arm64'], Timeout: 10, Role: 'arn' } };
  const alias = (lambdaArn: unknown) => ({
    Type: 'AWS::Lex::BotAlias',
    Properties: { BotAliasLocaleSettings: [{ LocaleId: 'en_US', BotAliasLocaleSetting: { Enabled: true, CodeHookSpecification: { LambdaCodeHook: { LambdaArn: lambdaArn, CodeHookInterfaceVersion: '1.0' } } } }] },
  });

  it('treats a joined ":$LATEST" ARN and a literal unqualified ARN as $LATEST, a literal foreign qualifier as unknown', () => {
    const found = runRules(model({
      Fn: fn,
      A1: alias({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, ':$LATEST']] }),
      A2: alias('arn:aws:lambda:us-east-1:111122223333:function:other'),
      A3: alias('arn:aws:lambda:us-east-1:111122223333:function:other:live'),
    }));
    expect(found.filter((f) => f.ruleId.match(/L[12]$/)).map((f) => `${f.ruleId} ${f.logicalId}`)).toEqual(['FastLex-L1 A1', 'FastLex-L1 A2']);
  });

  it('counts provisioned concurrency of the version an alias routes to', () => {
    const found = runRules(model({
      Fn: fn,
      V: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' }, ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 } } },
      Al: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['V', 'Version'] }, Name: 'live' } },
      A: alias({ Ref: 'Al' }),
    }));
    expect(found).toEqual([]);
  });

  it('keeps quiet about consecutive tasks when the second reads the first one\'s result, or the first replaces the state', () => {
    const machine = (states: Record<string, unknown>) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { DefinitionString: JSON.stringify({ StartAt: Object.keys(states)[0], States: states }) },
    });
    const task = (extra: Record<string, unknown>) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ...extra });
    const found = runRules(model({
      Reads: machine({ A: task({ ResultPath: '$.a', Next: 'B' }), B: task({ Parameters: { 'x.$': '$.a.Payload' }, End: true }) }),
      Replaces: machine({ A: task({ Next: 'B' }), B: task({ Parameters: { 'x.$': '$.other' }, End: true }) }),
      Independent: machine({ A: task({ ResultPath: '$.a', Next: 'B' }), B: task({ Parameters: { 'x.$': '$.input' }, End: true }) }),
      Whole: machine({ A: task({ ResultPath: '$.a', Next: 'B' }), B: task({ End: true }) }),
    }));
    expect(found.map((f) => `${f.ruleId} ${f.logicalId}`)).toEqual(['FastLex-L8 Independent']);
  });

  it('allows callbacks in a STANDARD workflow and request/response tasks in an EXPRESS one', () => {
    const app = newApp();
    const stack = new Stack(app, 'Workflows');
    const def = (id: string, pattern: sfn.IntegrationPattern) => sfn.DefinitionBody.fromString(JSON.stringify({
      StartAt: id, States: { [id]: { Type: 'Task', Resource: `arn:aws:states:::lambda:invoke${pattern === sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN ? '.waitForTaskToken' : ''}`, Parameters: { FunctionName: 'x', 'Payload.$': '$' }, End: true } },
    }));
    new sfn.StateMachine(stack, 'Standard', { definitionBody: def('Wait', sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN) });
    new sfn.StateMachine(stack, 'Express', { definitionBody: def('Call', sfn.IntegrationPattern.REQUEST_RESPONSE), stateMachineType: sfn.StateMachineType.EXPRESS });
    expect(LatencyChecks.unacknowledgedFindings(stack)).toEqual([]);
  });
});

// Lex V2 developer guide, "Configuring timeouts for capturing user input": x-amz-lex:audio:end-timeout-ms, 600 ms by
// default (https://docs.aws.amazon.com/lexv2/latest/dg/session-attribs-speech.html); AudioSpecification.EndTimeoutMs
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lex-bot-audiospecification.html).
describe('FastLex-L11: short answers on a bot Connect calls', () => {
  const model = (resources: Record<string, unknown>) => new TemplateModel({ stackName: 'T', resources });
  const slot = (name: string, slotTypeName: string, endTimeoutMs?: number) => ({
    Name: name, SlotTypeName: slotTypeName,
    ValueElicitationSetting: {
      SlotConstraint: 'Required',
      PromptSpecification: {
        MaxRetries: 1, MessageGroupsList: [],
        ...(endTimeoutMs ? { PromptAttemptsSpecification: { Initial: { AllowInterrupt: true, AllowedInputTypes: { AllowAudioInput: true, AllowDTMFInput: true }, AudioAndDtmfInputSpecification: { StartTimeoutMs: 4000, AudioSpecification: { EndTimeoutMs: endTimeoutMs, MaxLengthMs: 13000 } } } } } : {}),
      },
    },
  });
  const voiceBot = (slots: unknown[], flowAttributes?: Record<string, string>) => ({
    Bot: { Type: 'AWS::Lex::Bot', Properties: { BotLocales: [{ LocaleId: 'en_US', Intents: [{ Name: 'Book', Slots: slots }] }] } },
    Alias: { Type: 'AWS::Lex::BotAlias', Properties: { BotId: { Ref: 'Bot' } } },
    Association: { Type: 'AWS::Connect::IntegrationAssociation', Properties: { IntegrationType: 'LEX_BOT', IntegrationArn: { 'Fn::GetAtt': ['Alias', 'Arn'] }, InstanceId: 'arn' } },
    ...(flowAttributes ? { Flow: { Type: 'AWS::Connect::ContactFlow', Properties: { Content: { 'Fn::Join': ['', ['{"Actions":[{"Parameters":{"LexV2Bot":{"AliasArn":"', { 'Fn::GetAtt': ['Alias', 'Arn'] }, `"},"LexSessionAttributes":${JSON.stringify(flowAttributes)}}}]}`]] } } } } : {}),
  });
  const l11 = (resources: Record<string, unknown>) => runRules(model(resources)).filter((f) => f.ruleId === 'FastLex-L11').map((f) => `${f.logicalId}: ${f.message}`);

  it('finds a yes/no and a number slot at Lex\'s default on a bot associated with Connect, not a name slot', () => {
    expect(l11(voiceBot([slot('Sure', 'AMAZON.Confirmation'), slot('Seats', 'AMAZON.Number'), slot('Name', 'AMAZON.FirstName')]))).toEqual([
      "Bot: slot Book.Sure (AMAZON.Confirmation) waits Lex's default 600 ms after each answer on a call",
      "Bot: slot Book.Seats (AMAZON.Number) waits Lex's default 600 ms after each answer on a call",
    ]);
  });

  it('accepts a shorter end silence from the flow (the slot\'s key or a wildcard) or from the slot\'s own audio settings', () => {
    expect(l11(voiceBot([slot('Sure', 'AMAZON.Confirmation'), slot('Seats', 'AMAZON.Number', 450)], { 'x-amz-lex:audio:end-timeout-ms:Book:Sure': '400' }))).toEqual([]);
    expect(l11(voiceBot([slot('Sure', 'AMAZON.Confirmation')], { 'x-amz-lex:audio:end-timeout-ms:*:*': '500' }))).toEqual([]);
    // The slot's own key wins over the wildcard, as Lex applies them.
    expect(l11(voiceBot([slot('Sure', 'AMAZON.Confirmation')], { 'x-amz-lex:audio:end-timeout-ms:*:*': '500', 'x-amz-lex:audio:end-timeout-ms:Book:Sure': '600' }))).toHaveLength(1);
  });

  it('says nothing about a bot no Connect instance calls', () => {
    const { Association: _, ...chatOnly } = voiceBot([slot('Sure', 'AMAZON.Confirmation')]);
    expect(l11(chatOnly)).toEqual([]);
  });

  it('finds nothing on a LexCallFlow with its defaults, and fires when shortAnswerEndSilence is put back to 600 ms', () => {
    const build = (shortAnswerEndSilence?: Duration) => {
      const stack = new Stack(newApp(), 'Voice', { env: { account: '123456789012', region: 'us-east-1' } });
      const b = new lex.CfnBot(stack, 'Bot', {
        name: 'VoiceBot', roleArn: 'arn:aws:iam::123456789012:role/lex', dataPrivacy: { ChildDirected: false }, idleSessionTtlInSeconds: 300,
        botLocales: [{ localeId: 'en_US', nluConfidenceThreshold: 0.4, intents: [
          { name: 'Book', sampleUtterances: [{ utterance: 'book' }], slots: [{ name: 'Sure', slotTypeName: 'AMAZON.Confirmation', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: [{ message: { plainTextMessage: { value: 'Sure?' } } }] } } }], slotPriorities: [{ priority: 1, slotName: 'Sure' }] },
          { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
        ] }],
      });
      const botAlias = new lex.CfnBotAlias(stack, 'Alias', { botId: b.attrId, botAliasName: 'live', botVersion: '1' });
      new LexCallFlow(stack, 'Flow', { instanceArn: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555', botAlias, shortAnswerEndSilence });
      return LatencyChecks.unacknowledgedFindings(stack).filter((l) => l.startsWith('FastLex-L11'));
    };
    expect(build()).toEqual([]);
    expect(build(Duration.millis(600))).toEqual([expect.stringContaining('FastLex-L11 Voice/Bot: A bot Amazon Connect calls leaves a short-answer slot')]);
  });
});
