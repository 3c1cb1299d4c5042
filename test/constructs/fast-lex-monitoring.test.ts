import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { CachedLexFulfillment, DemoCallWorkflow, FastLexMetrics, FastLexMonitoring, type FastLexMonitoringProps } from '../../src';
import { ALARM_DOCS } from '../../src/constructs/fast-lex-monitoring/alarms';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../src/shared/bedrock-defaults';
import { minimalBot } from '../helpers/bot';
import { normalisedTemplate, unacknowledgedNagFindings } from '../helpers/template';

const GREETING = { intentName: 'GreetingIntent', staticAnswer: 'Hello!', prompt: 'Greet the caller in one sentence.' };
const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';

interface Built { stack: Stack; monitoring: FastLexMonitoring; template: Template; fulfillment: CachedLexFulfillment; workflow: DemoCallWorkflow }

function build(props: Partial<FastLexMonitoringProps> = {}, withBot = true): Built {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-west-2' } });
  const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { bot: withBot ? minimalBot(stack) : undefined, intents: [GREETING] });
  const workflow = new DemoCallWorkflow(stack, 'Workflow', {
    connectInstanceArn: `arn:aws:connect:us-west-2:123456789012:instance/${INSTANCE_ID}`,
    contactFlowId: '66666666-7777-8888-9999-000000000000',
    sourcePhoneNumber: '+14155550100',
    salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Salesforce', 'salesforce/jwt'),
    salesforceExternalIdField: 'Demo_Request_Id__c',
  });
  const monitoring = new FastLexMonitoring(stack, 'Monitoring', {
    fulfillment, workflow, connectInstanceId: INSTANCE_ID, contactFlowName: 'FastLexInbound', ...props,
  });
  return { stack, monitoring, template: Template.fromStack(stack), fulfillment, workflow };
}

/** The resolved AWS::CloudWatch::Alarm properties of one alarm of the construct. */
function alarmProps(b: Built, id: string): Record<string, any> {
  const logicalId = b.stack.resolve((b.monitoring.alarm(id).node.defaultChild as any).logicalId) as string;
  return b.template.toJSON().Resources[logicalId].Properties;
}

/** The metrics of a math alarm, each as `namespace name stat dims`. */
function mathMetrics(props: Record<string, any>): Array<{ namespace: string; name: string; stat: string; period: number; dims: Record<string, unknown> }> {
  return props.Metrics.filter((m: any) => m.MetricStat).map((m: any) => ({
    namespace: m.MetricStat.Metric.Namespace,
    name: m.MetricStat.Metric.MetricName,
    stat: m.MetricStat.Stat,
    period: m.MetricStat.Period,
    dims: Object.fromEntries(m.MetricStat.Metric.Dimensions.map((d: any) => [d.Name, d.Value])),
  }));
}

function dims(props: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries(props.Dimensions.map((d: any) => [d.Name, d.Value]));
}

const FUNCTION_REF = { Ref: expect.stringMatching(/^FulfillmentFunction/) };
const ALIAS_DIMS = { FunctionName: FUNCTION_REF, Resource: { 'Fn::Join': ['', [FUNCTION_REF, ':live']] } };

describe('FastLexMonitoring', () => {
  it('alarms on the fulfillment alias (not the function): p99 duration, errors, throttles and spillover', () => {
    const b = build();

    const duration = alarmProps(b, 'FulfillmentP99Duration');
    expect(duration).toMatchObject({ MetricName: 'Duration', Namespace: 'AWS/Lambda', ExtendedStatistic: 'p99', Period: 60,
      Threshold: 500, EvaluationPeriods: 3, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold' });
    for (const [id, metric] of [['FulfillmentErrors', 'Errors'], ['FulfillmentThrottles', 'Throttles'],
      ['ProvisionedConcurrencySpillover', 'ProvisionedConcurrencySpilloverInvocations']]) {
      expect(alarmProps(b, id), id).toMatchObject({ MetricName: metric, Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 300,
        Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    }
    for (const id of ['FulfillmentP99Duration', 'FulfillmentErrors', 'FulfillmentThrottles', 'ProvisionedConcurrencySpillover']) {
      // Resource = <function>:live is the alias's series; without it the alarm would read the whole function.
      expect(dims(alarmProps(b, id)), id).toEqual(ALIAS_DIMS);
    }
  });

  // InputMode is "speech, text, or DTMF" and CloudWatch matches dimension sets exactly, so keypad turns are a series
  // of their own (https://docs.aws.amazon.com/lexv2/latest/dg/monitoring-cloudwatch.html).
  it('alarms on Lex with the V2 dimensions (BotId, BotAliasId, LocaleId, Operation), summed over text, speech and keypad operations', () => {
    const b = build();

    const errors = alarmProps(b, 'LexCodeHookErrors');
    const metrics = mathMetrics(errors);
    expect(metrics.map((m) => m.name)).toEqual(Array(4).fill('RuntimeLambdaErrors'));
    expect(metrics.map((m) => m.dims)).toEqual([
      { BotId: { 'Fn::GetAtt': ['Bot', 'Id'] }, BotAliasId: { 'Fn::GetAtt': [expect.stringMatching(/^FulfillmentBotAlias/), 'BotAliasId'] }, LocaleId: 'en_US', Operation: 'RecognizeText' },
      expect.objectContaining({ LocaleId: 'en_US', Operation: 'RecognizeUtterance', InputMode: 'Speech' }),
      expect.objectContaining({ LocaleId: 'en_US', Operation: 'StartConversation', InputMode: 'Speech' }),
      expect.objectContaining({ LocaleId: 'en_US', Operation: 'StartConversation', InputMode: 'DTMF' }),
    ]);
    expect(metrics.every((m) => m.namespace === 'AWS/Lex' && m.stat === 'Sum' && m.period === 300)).toBe(true);
    expect(errors.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(lambdaErrors_0, 0) + FILL(lambdaErrors_1, 0) + FILL(lambdaErrors_2, 0) + FILL(lambdaErrors_3, 0)');
    expect(errors).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
    expect(mathMetrics(alarmProps(b, 'LexInvalidCodeHookResponses')).map((m) => m.name)).toEqual(Array(4).fill('RuntimeInvalidLambdaResponses'));
    expect(mathMetrics(alarmProps(b, 'LexThrottles')).map((m) => m.name)).toEqual(Array(4).fill('RuntimeThrottledEvents'));
    // RuntimeSuccessfulRequestLatency is "between the time the request was made and the response was passed back": one
    // turn for RecognizeText and RecognizeUtterance, the whole call's stream for StartConversation, which is not read.
    const latency = alarmProps(b, 'LexP99Latency');
    expect(mathMetrics(latency).map((m) => [m.name, m.stat, m.dims.Operation])).toEqual([
      ['RuntimeSuccessfulRequestLatency', 'p99', 'RecognizeText'], ['RuntimeSuccessfulRequestLatency', 'p99', 'RecognizeUtterance'],
    ]);
    expect(latency.Metrics.find((m: any) => m.Expression).Expression).toBe('MAX([successfulRequestLatency_p99_0, successfulRequestLatency_p99_1])');
    expect(latency).toMatchObject({ Threshold: 3000, EvaluationPeriods: 3, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold' });
    // Never the V1 dimensions that aws-cdk-lib's LexMetrics use.
    expect(JSON.stringify(b.template.findResources('AWS::CloudWatch::Alarm'))).not.toMatch(/"BotName"|"BotAlias"[^I]/);
  });

  it('alarms on one message in the generation DLQ and on a backlog older than the answers stay fresh', () => {
    const b = build();

    expect(alarmProps(b, 'GenerationDeadLetter')).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum', Period: 60, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^FulfillmentGenerationDlq/), 'QueueName'] } }] });
    expect(alarmProps(b, 'GenerationQueueAge')).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum', Period: 60, Threshold: 300, EvaluationPeriods: 5, DatapointsToAlarm: 5,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^FulfillmentGenerationQueue/), 'QueueName'] } }] });
  });

  it('alarms on workflow executions failed, timed out and aborted', () => {
    const b = build();

    for (const [id, metric] of [['WorkflowFailed', 'ExecutionsFailed'], ['WorkflowTimedOut', 'ExecutionsTimedOut'], ['WorkflowAborted', 'ExecutionsAborted']]) {
      expect(alarmProps(b, id), id).toMatchObject({ Namespace: 'AWS/States', MetricName: metric, Statistic: 'Sum', Period: 300, Threshold: 1,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: expect.stringMatching(/^WorkflowStateMachine/) } }] });
    }
  });

  it('alarms on one kept (spent) demo request, read from the UpdateLead function\'s EMF metric, saying how to list and re-drive it', () => {
    const b = build();

    const props = alarmProps(b, 'SpentRequestKept');
    expect(props).toMatchObject({ Namespace: 'CdkFastLex', MetricName: 'SpentRequestKept', Statistic: 'Sum', Period: 300, Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(dims(props)).toEqual({ service: 'demo-call-workflow-update-lead' });
    expect(props.AlarmDescription).toMatch(/SpentRequestStore\.list\(\).*SpentRequestStore\.redrive\(\)/);
    // The service the alarm reads is the one the synthesized UpdateLead function publishes under.
    const fn = b.template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('UpdateLead') } });
    expect(Object.values(fn).map((f: any) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME)).toEqual(['demo-call-workflow-update-lead']);
  });

  it('alarms on one new question refused by the generation bounds, read from the fulfillment function\'s EMF metric', () => {
    const b = build();

    const props = alarmProps(b, 'GenerationBudgetExceeded');
    expect(props).toMatchObject({ Namespace: 'CdkFastLex', MetricName: 'GenerationBudgetExceeded', Statistic: 'Sum', Period: 300, Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(dims(props)).toEqual({ service: 'Fulfillment' });
    expect(props.AlarmDescription).toMatch(/generationLimits\.perMinute/);
  });

  it('lists every alarm in the README\'s "Operate it" table with the same meaning and action', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

    for (const [id, doc] of Object.entries(ALARM_DOCS)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
      expect(row, id).toBeDefined();
      expect(row, id).toContain(`| ${doc.part} |`);
      expect(row, id).toContain(`| ${doc.means} | ${doc.action} |`);
    }
  });

  it('alarms on Bedrock throttles and latency of the configured model id', () => {
    const b = build({ bedrockModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', thresholds: { bedrockAverageLatency: Duration.seconds(8) } });

    expect(alarmProps(b, 'BedrockThrottles')).toMatchObject({ Namespace: 'AWS/Bedrock', MetricName: 'InvocationThrottles', Statistic: 'Sum',
      Period: 300, Threshold: 5, Dimensions: [{ Name: 'ModelId', Value: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }] });
    expect(alarmProps(b, 'BedrockLatency')).toMatchObject({ Namespace: 'AWS/Bedrock', MetricName: 'InvocationLatency', Statistic: 'Average',
      Period: 300, Threshold: 8000, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold' });
    expect(dims(alarmProps(build(), 'BedrockThrottles'))).toEqual({ ModelId: DEFAULT_BEDROCK_MODEL_ID });
  });

  it('alarms on the contact flow errors of the named flow in the instance', () => {
    const b = build();

    expect(alarmProps(b, 'ContactFlowErrors')).toMatchObject({ Namespace: 'AWS/Connect', MetricName: 'ContactFlowErrors', Statistic: 'Sum',
      Period: 300, Threshold: 1 });
    expect(dims(alarmProps(b, 'ContactFlowErrors'))).toEqual({ InstanceId: INSTANCE_ID, MetricGroup: 'ContactFlow', ContactFlowName: 'FastLexInbound' });
    // "Logs are generated only for flows that include a Set logging behavior block" and only once the instance's flow
    // logs are on (https://docs.aws.amazon.com/connect/latest/adminguide/contact-flow-logs.html): the operator is told both.
    expect(alarmProps(b, 'ContactFlowErrors').AlarmDescription).toMatch(/only if the instance has flow logs enabled .*CONTACTFLOW_LOGS.* as well as the flow's Set logging behavior block/);
  });

  it('alarms when the whole-bot cache hit rate stays below 50% for 15 minutes, from the [service] EMF dimension set', () => {
    const b = build();

    const rate = alarmProps(b, 'CacheHitRate');
    // A near hit (a paraphrase's answer, per-question intents) is a hit; FILL keeps bots without them from a blank rate.
    expect(rate.Metrics.find((m: any) => m.Expression).Expression).toBe('100 * (l1 + l2 + FILL(near, 0)) / (l1 + l2 + FILL(near, 0) + miss + stale)');
    expect(mathMetrics(rate)).toEqual(['CacheHitL1', 'CacheHitL2', 'CacheNearHit', 'CacheMiss', 'StaleServed'].map((name) => ({
      namespace: 'CdkFastLex', name, stat: 'Sum', period: 300, dims: { service: 'Fulfillment' },
    })));
    expect(rate).toMatchObject({ Threshold: 50, EvaluationPeriods: 3, DatapointsToAlarm: 3, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'notBreaching' });
  });

  it('takes thresholds from props', () => {
    const b = build({ thresholds: { fulfillmentP99Duration: Duration.millis(250), cacheHitRatePercent: 80, generationQueueOldestMessageAge: Duration.minutes(10) } });

    expect(alarmProps(b, 'FulfillmentP99Duration').Threshold).toBe(250);
    expect(alarmProps(b, 'CacheHitRate').Threshold).toBe(80);
    expect(alarmProps(b, 'GenerationQueueAge').Threshold).toBe(600);
  });

  it('sends every alarm, and its return to OK, to one encrypted topic, and says in each what it means and what to do', () => {
    const b = build();

    const alarms = Object.values(b.template.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms).toHaveLength(19);
    const topic = { Ref: expect.stringMatching(/^MonitoringAlarmTopic/) };
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([topic]);
      expect(a.Properties.OKActions).toEqual([topic]);
      expect(a.Properties.AlarmDescription).toMatch(/: .+ What to do: .+/);
    }
    b.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringAlarmTopicKey'), 'Arn'] } });
    b.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });

  it('uses a given topic and creates no key', () => {
    const stack = new Stack(new App(), 'Test');
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });
    const topic = new sns.Topic(stack, 'Mine', { enforceSSL: true });
    new FastLexMonitoring(stack, 'Monitoring', { fulfillment, alarmTopic: topic });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Mine') }] });
  });

  it('leaves out what it was not given (no bot, workflow or flow) and says so for the bot', () => {
    const b = build({ workflow: undefined, connectInstanceId: undefined, contactFlowName: undefined }, false);

    expect(b.monitoring.alarms).toHaveLength(10);
    expect(() => b.monitoring.alarm('LexThrottles')).toThrow(/no alarm 'LexThrottles'.*FulfillmentP99Duration/);
    Annotations.fromStack(b.stack).hasWarning('/Test/Monitoring', Match.stringLikeRegexp('No Lex alarms'));
  });

  it('watches a bot alias of the user\'s own, with its locales and operations', () => {
    const b = build({ bot: { botId: 'BOT123', botAliasId: 'ALIAS45', localeIds: ['en_US', 'es_US'], operations: [{ operation: 'RecognizeText' }] } }, false);

    expect(mathMetrics(alarmProps(b, 'LexThrottles')).map((m) => m.dims)).toEqual([
      { BotId: 'BOT123', BotAliasId: 'ALIAS45', LocaleId: 'en_US', Operation: 'RecognizeText' },
      { BotId: 'BOT123', BotAliasId: 'ALIAS45', LocaleId: 'es_US', Operation: 'RecognizeText' },
    ]);
  });

  it('refuses a bot scope an alarm cannot read, half a Connect pair, and an instance ARN for the id', () => {
    expect(() => build({ bot: { botId: 'B', botAliasId: 'A', localeIds: ['en_US', 'en_GB', 'es_US'] } }))
      .toThrow(/'bot' has 12 locale x operation series.*allows 10 per alarm/);
    expect(() => build({ bot: { botId: 'B', botAliasId: 'A', localeIds: [] } })).toThrow(/'bot.localeIds' and 'bot.operations' must not be empty/);
    expect(() => build({ contactFlowName: undefined })).toThrow(/give both 'connectInstanceId' and 'contactFlowName'/);
    expect(() => build({ connectInstanceId: `arn:aws:connect:us-west-2:123456789012:instance/${INSTANCE_ID}` }))
      .toThrow(/'connectInstanceId' is the instance id .* not the ARN/);
  });

  it('builds a dashboard with an alarm row, then one row per part', () => {
    const b = build();

    const [dashboard] = Object.values(b.template.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const body = JSON.stringify(b.stack.resolve(dashboard.Properties.DashboardBody));
    const titles = [...body.matchAll(/## ([^"\\]+)/g)].map((m) => m[1]);
    expect(titles).toEqual(['Lex turns and latency', 'Fulfillment alias', 'Response cache by intent', 'Generation',
      `Bedrock (${DEFAULT_BEDROCK_MODEL_ID})`, 'Demo call workflow', 'Amazon Connect (FastLexInbound)']);
    expect(body).toContain('\\"type\\":\\"alarm\\"');
    expect(body).toContain('SEARCH(\'{CdkFastLex,service,intent} service=\\\\\\"Fulfillment\\\\\\" MetricName=\\\\\\"CacheHitL1\\\\\\"\'');
    for (const metric of ['RuntimeRequestCount', 'ProvisionedConcurrencyUtilization', 'GenerationLatency', 'InvocationLatency', 'ExecutionTime', 'ContactFlowFatalErrors']) {
      expect(body, metric).toContain(metric);
    }
  });

  it('offers the cache hit rate and fulfillment latency as metrics for facades of one\'s own', () => {
    const b = build();

    const rate = FastLexMetrics.cacheHitRate({ intentName: 'GreetingIntent' });
    expect(Object.values(rate.usingMetrics).map((m: any) => m.dimensions)).toEqual(Array(5).fill({ service: 'Fulfillment', intent: 'GreetingIntent' }));
    const latency = FastLexMetrics.fulfillmentLatency(b.fulfillment.fulfillmentFunction.alias);
    expect(latency.statistic).toBe('p99');
    expect(b.stack.resolve(latency.dimensions)).toEqual(ALIAS_DIMS);
    const own = b.fulfillment.metricCacheHitRate();
    expect(own.expression).toBe('100 * (l1 + l2 + FILL(near, 0)) / (l1 + l2 + FILL(near, 0) + miss + stale)');
    expect(Object.values(own.usingMetrics).map((m: any) => m.dimensions)).toEqual(Array(5).fill({ service: 'Fulfillment' }));
    const p50 = b.fulfillment.metricFulfillmentLatency('p50');
    expect([p50.metricName, p50.statistic, b.stack.resolve(p50.dimensions)]).toEqual(['Duration', 'p50', ALIAS_DIMS]);
  });

  it('passes the AwsSolutions checks with nothing to acknowledge', () => {
    expect(unacknowledgedNagFindings(build().stack)).toEqual([]);
  });

  it('matches the snapshot', () => {
    const { stack, fulfillment } = build();
    // Only the monitoring's own resources: the constructs it watches have their own snapshots.
    const json = normalisedTemplate(stack) as { Resources: Record<string, { Type: string }> };
    const own = Object.fromEntries(Object.entries(json.Resources).filter(([id]) => id.startsWith('Monitoring')));
    expect(fulfillment).toBeDefined();
    expect(own).toMatchSnapshot();
  });
});
