// The Atlas Engine example synthesizes clean templates: cdk-nag AwsSolutions, the library's LatencyChecks, cfn-lint.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LatencyChecks } from 'cdk-fast-lex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../examples/atlas-engine/bin/app';
import type { AtlasEngineStack } from '../../examples/atlas-engine/lib/atlas-engine-stack';
import { unacknowledgedNagFindings } from '../helpers/template';

const root = resolve(__dirname, '..', '..');
const example = join(root, 'examples', 'atlas-engine');
const cfnLint = join(root, '.venv', 'bin', 'cfn-lint');

describe('the Atlas Engine example', () => {
  let outdir: string;
  let stack: AtlasEngineStack;
  let template: Template;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'atlas-cdk-out-'));
    const context = JSON.parse(readFileSync(join(example, 'cdk.json'), 'utf8')).context;
    const app = new App({ outdir, context });
    stack = buildApp(app).stack;
    app.synth();
    template = Template.fromStack(stack);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  it('fires none of the latency checks', () => {
    expect(LatencyChecks.unacknowledgedFindings(stack)).toEqual([]);
  });

  it('passes cfn-lint with no errors', () => {
    expect(existsSync(cfnLint), 'cfn-lint missing: run scripts/setup-python.sh (npm test does)').toBe(true);
    let output = '[]';
    try {
      output = execFileSync(cfnLint, ['--format', 'json', join(outdir, 'AtlasEngine.template.json')], { encoding: 'utf8' });
    } catch (err) {
      // cfn-lint exits non-zero when it reports anything, warnings included; the JSON says what.
      output = (err as { stdout: string }).stdout;
    }
    const findings = JSON.parse(output) as Array<{ Level: string; Rule: { Id: string }; Message: string }>;
    const errors = findings.filter((f) => f.Level === 'Error').map((f) => `${f.Rule.Id}: ${f.Message}`);

    expect(errors).toEqual([]);
  });

  it('defines the bot with the seed intents, slots for the demo request, voice and the fallback', () => {
    template.hasResourceProperties('AWS::Lex::Bot', {
      BotLocales: [Match.objectLike({
        LocaleId: 'en_US',
        VoiceSettings: { VoiceId: 'Joanna', Engine: 'neural' },
        Intents: Match.arrayWith([
          Match.objectLike({ Name: 'GreetingIntent' }),
          Match.objectLike({ Name: 'AboutTechnologyIntent' }),
          Match.objectLike({ Name: 'AboutDemoIntent' }),
          Match.objectLike({
            Name: 'RequestDemoIntent',
            Slots: [
              Match.objectLike({ Name: 'FirstName', SlotTypeName: 'AMAZON.FirstName' }),
              Match.objectLike({ Name: 'LastName', SlotTypeName: 'AMAZON.LastName' }),
              Match.objectLike({ Name: 'Company', SlotTypeName: 'CompanyName' }),
              Match.objectLike({ Name: 'PhoneNumber', SlotTypeName: 'AMAZON.PhoneNumber' }),
            ],
          }),
          Match.objectLike({ Name: 'FallbackIntent', ParentIntentSignature: 'AMAZON.FallbackIntent' }),
        ]),
      })],
    });
  });

  it('lets the demo request start the workflow, and builds the call flow that hands the call to the bot on the Connect instance', () => {
    const fulfillment = Object.values(template.findResources('AWS::Lambda::Function'))
      .find((f: any) => f.Properties.Environment?.Variables?.FAST_LEX_WORKFLOWS) as any;
    const workflows = JSON.stringify(fulfillment.Properties.Environment.Variables.FAST_LEX_WORKFLOWS);
    expect(workflows).toContain('RequestDemoIntent');
    expect(workflows).toContain('lead.phone');
    const instanceArn = JSON.parse(readFileSync(join(example, 'cdk.json'), 'utf8')).context['atlas:connectInstanceArn'];
    template.hasResourceProperties('AWS::Connect::IntegrationAssociation', { IntegrationType: 'LEX_BOT', InstanceId: instanceArn });
    template.hasResourceProperties('AWS::Connect::ContactFlow', { InstanceArn: instanceArn, Type: 'CONTACT_FLOW' });
    // Only the instance is configured: the caller id is a number the stack claims.
    template.hasResourceProperties('AWS::Connect::PhoneNumber', { TargetArn: instanceArn, CountryCode: 'US', Type: 'DID' });
    // The association is the one writer of the alias's resource policy (Connect admin guide, "Add an Amazon Lex bot").
    template.resourceCountIs('AWS::Lex::ResourcePolicy', 0);
  });

  it('keeps two provisioned instances on the conversation path and a Standard workflow that waits for the call', () => {
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
  });

  it('turns monitoring on: alarms on every part to an encrypted topic, and a dashboard', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    const names = new Set(alarms.map((a) => a.Properties.MetricName ?? a.Properties.Metrics?.find((m: any) => m.MetricStat)?.MetricStat.Metric.MetricName));

    for (const metric of ['Duration', 'ProvisionedConcurrencySpilloverInvocations', 'RuntimeLambdaErrors', 'ApproximateNumberOfMessagesVisible',
      'ExecutionsTimedOut', 'InvocationThrottles', 'CacheHitL1']) {
      expect(names, metric).toContain(metric);
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('deploys the web chat on the bot\'s alias and prints its URL as a stack output', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasOutput('WebChatUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebChatDistribution'), 'DomainName'] }, '/']] } });
  });

  it('refuses to synthesize without the Connect context values, naming the missing one', () => {
    expect(() => buildApp(new App({ context: {} }))).toThrow(/Context value 'atlas:connectInstanceArn' is missing/);
  });
});
