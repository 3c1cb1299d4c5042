import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnParameter, Duration, FileSystem, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { expect, it } from 'vitest';
import { CachedLexFulfillment, ResponseCacheTable } from '../../src';
import { handlerAssetPath } from '../../src/constructs/handler-code';
import { fulfillmentOptionsFromEnvironment } from '../../src/runtime/lex/fulfillment';
import { FAST_LEX_ENV } from '../../src/shared/env';
import { DEFAULT_TURN_BUDGET_MS } from '../../src/shared/fault-tolerance';
import { minimalBot } from '../helpers/bot';
import { describeConstruct, expectSnapshot, testStack } from '../helpers/construct-test';

const GREETING = { intentName: 'GreetingIntent', staticAnswer: 'Hello!', prompt: 'Greet the caller in one sentence.' };


function policyStatementsOf(template: Template, rolePrefix: string): Array<{ Action: string | string[]; Resource: unknown }> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p: any) => p.Properties.Roles.some((r: any) => String(r.Ref).startsWith(rolePrefix)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(template: Template, rolePrefix: string): string[] {
  return policyStatementsOf(template, rolePrefix).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

/** Where the synthesized configuration layer's files are staged in the cloud assembly (after synth). */
function layerDirectory(fulfillment: CachedLexFulfillment): string {
  const asset = fulfillment.configLayer!.node.findAll().find((c) => (c as any).assetPath !== undefined) as any;
  return join((fulfillment.node.root as App).outdir, asset.assetPath);
}

/** A bot alias of the user's own whose en_US code hook names `lambdaArn`. */
function aliasWithCodeHook(stack: Stack, bot: lex.CfnBot, lambdaArn: string): lex.CfnBotAlias {
  return new lex.CfnBotAlias(stack, 'MyAlias', {
    botId: bot.attrId,
    botAliasName: 'prod',
    botAliasLocaleSettings: [{
      localeId: 'en_US',
      botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: { lambdaArn, codeHookInterfaceVersion: '1.0' } } },
    }],
  });
}

describeConstruct('CachedLexFulfillment', () => {
  it('wires the bot alias code hook to the fulfillment alias ARN with interface version 1.0', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents: [GREETING] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lex::BotVersion', {
      BotId: { 'Fn::GetAtt': ['Bot', 'Id'] },
      BotVersionLocaleSpecification: [{ LocaleId: 'en_US', BotVersionLocaleDetails: { SourceBotVersion: 'DRAFT' } }],
    });
    template.hasResourceProperties('AWS::Lex::BotAlias', {
      BotAliasName: 'live',
      BotVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FulfillmentBotVersion'), 'BotVersion'] },
      BotAliasLocaleSettings: [{
        LocaleId: 'en_US',
        BotAliasLocaleSetting: {
          Enabled: true,
          CodeHookSpecification: { LambdaCodeHook: {
            CodeHookInterfaceVersion: '1.0',
            // A Ref to AWS::Lambda::Alias is the alias ARN; a function's Fn::GetAtt Arn would be $LATEST.
            LambdaArn: { Ref: Match.stringLikeRegexp('^FulfillmentLiveAlias') },
          } },
        },
      }],
    });
  });

  it('lets only that bot alias invoke the fulfillment alias', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents: [GREETING] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'lexv2.amazonaws.com',
      FunctionName: { Ref: Match.stringLikeRegexp('^FulfillmentLiveAlias') },
      SourceArn: { 'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':lex:us-west-2:123456789012:bot-alias/',
        { 'Fn::GetAtt': ['Bot', 'Id'] }, '/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^FulfillmentBotAlias'), 'BotAliasId'] },
      ]] },
    });
  });

  it('keeps 2 provisioned instances of a 512 MB arm64 fulfillment function', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionName: { Ref: Match.stringLikeRegexp('^FulfillmentFunction') },
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Lex V2 fulfillment'),
      MemorySize: 512,
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
    });
  });

  it('writes the intents, with ttl and context fields, into a layer file the fulfillment function reads, not into the environment', () => {
    const stack = testStack();
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', {
      intents: [{ ...GREETING, ttl: Duration.minutes(10), staleWindow: Duration.minutes(1), contextFields: ['localeId'] }],
    });

    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    const file = join(layerDirectory(fulfillment), 'fast-lex', 'intents.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      GreetingIntent: { staticAnswer: 'Hello!', prompt: 'Greet the caller in one sentence.', ttlSeconds: 600, staleSeconds: 60, contextFields: ['localeId'] },
      FallbackIntent: { staticAnswer: "Sorry, I didn't catch that. Could you say it another way?" },
    });
    const [fulfillmentFn, worker] = fns;
    expect(fulfillmentFn.Properties.Layers).toEqual([{ Ref: expect.stringMatching(/^FulfillmentIntentsConfig/) }]);
    expect(fulfillmentFn.Properties.Environment.Variables.FAST_LEX_INTENTS_FILE).toBe('/opt/fast-lex/intents.json');
    for (const fn of fns) {
      const env = fn.Properties.Environment.Variables;
      expect(env.FAST_LEX_INTENTS).toBeUndefined();
      expect(env.FAST_LEX_MODEL_ID).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(env.FAST_LEX_MAX_TOKENS).toBe('150');
    }
    expect(worker.Properties.Layers).toBeUndefined();
  });

  it('keeps intents that hold a token (a stack parameter in a prompt) in the environment', () => {
    const stack = testStack();
    const prompt = new CfnParameter(stack, 'Prompt').valueAsString;
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [{ ...GREETING, prompt }] });

    const [fulfillmentFn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    expect(fulfillmentFn.Properties.Layers).toBeUndefined();
    expect(JSON.stringify(fulfillmentFn.Properties.Environment.Variables.FAST_LEX_INTENTS)).toContain('"Ref":"Prompt"');
  });

  it('gives the generation queue an encrypted dead-letter queue and the worker a batch-failure event source', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FulfillmentGenerationDlq'), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      // The mapping names the alias (function:live), so the worker runs on the published version.
      FunctionName: { 'Fn::Join': ['', [Match.anyValue(), ':live']] },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FulfillmentGenerationQueue'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 4,
    });
  });

  it('lets the fulfillment function read and write the cache and send to the queue, but not call Bedrock', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    const template = Template.fromStack(stack);
    expect(actionsOf(template, 'FulfillmentRole')).toEqual([
      'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
      'logs:CreateLogStream', 'logs:PutLogEvents',
      'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage',
      'xray:PutTelemetryRecords', 'xray:PutTraceSegments',
    ]);
  });

  it('lets only the worker call Bedrock, and only on the configured inference profile and its model', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    const template = Template.fromStack(stack);
    const bedrock = policyStatementsOf(template, 'FulfillmentGeneratorRole').filter((s) => String(s.Action).startsWith('bedrock:'));
    const profileArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0']] };
    expect(bedrock).toEqual([
      { Action: 'bedrock:InvokeModel', Effect: 'Allow', Resource: profileArn },
      expect.objectContaining({
        Action: 'bedrock:InvokeModel',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0']] },
        // The model in any region, but only through this inference profile.
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      }),
    ]);
  });

  it('lets the fulfillment function call Bedrock when an intent waits for its answer on calls, and writes the deadline', () => {
    const stack = testStack();
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [{ ...GREETING, voiceGenerationDeadline: Duration.seconds(4) }] });

    const template = Template.fromStack(stack);
    expect(actionsOf(template, 'FulfillmentRole')).toContain('bedrock:InvokeModel');
    const file = join(layerDirectory(fulfillment), 'fast-lex', 'intents.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).GreetingIntent.voiceSyncDeadlineMs).toBe(4000);
  });

  it.each([
    ['a voice deadline over 25 s', { ...GREETING, voiceGenerationDeadline: Duration.seconds(26) },
      "CachedLexFulfillment 'Fulfillment': intent 'GreetingIntent': 'voiceGenerationDeadline' must be above 0 and at most 25 seconds (Lex waits 30 seconds for a code hook), got 26 seconds."],
    ['a voice deadline without a prompt', { intentName: 'GreetingIntent', staticAnswer: 'Hello!', voiceGenerationDeadline: Duration.seconds(3) },
      "CachedLexFulfillment 'Fulfillment': intent 'GreetingIntent' has a 'voiceGenerationDeadline' but no 'prompt': nothing is generated to wait for. Add a prompt or remove the deadline."],
  ])('refuses %s, naming the prop', (_, intent, message) => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [intent] })).toThrow(message);
  });

  it('writes the turn budget into the fulfillment function\'s environment, where the handler reads it, and not the worker\'s', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING], turnBudget: Duration.millis(1500) });

    const template = Template.fromStack(stack);
    const variables = (prefix: string) => Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith(prefix)).map(([, r]: [string, any]) => r.Properties.Environment.Variables as Record<string, unknown>)[0];
    expect(variables('FulfillmentFunction')[FAST_LEX_ENV.turnBudgetMs]).toBe('1500');
    expect(variables('FulfillmentGeneratorFunction')).not.toHaveProperty(FAST_LEX_ENV.turnBudgetMs);
    expect(fulfillmentOptionsFromEnvironment({ [FAST_LEX_ENV.turnBudgetMs]: '1500' }).turnBudgetMs).toBe(1500);
  });

  it('leaves the turn budget to the handler\'s default when the prop is left out', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    const [fn] = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('FulfillmentFunction'));
    expect((fn[1] as any).Properties.Environment.Variables).not.toHaveProperty(FAST_LEX_ENV.turnBudgetMs);
    expect(fulfillmentOptionsFromEnvironment({}).turnBudgetMs).toBe(DEFAULT_TURN_BUDGET_MS);
  });

  it.each([
    ['a zero budget', { turnBudget: Duration.millis(0) },
      "CachedLexFulfillment 'Fulfillment': 'turnBudget' must be a whole number of milliseconds above 0, got 0 millis. Leave it out for the default of 2000 ms."],
    ['a fraction of a millisecond', { turnBudget: Duration.millis(0.5) }, "'turnBudget' must be a whole number of milliseconds above 0, got 0.5 millis."],
    ['a budget as long as the function\'s timeout', { turnBudget: Duration.seconds(10) },
      "CachedLexFulfillment 'Fulfillment': 'turnBudget' (10 seconds) must be shorter than the fulfillment function's timeout (10 seconds): lower 'turnBudget' or raise 'fulfillmentTimeout', or Lambda ends the turn before the handler can give the stale or static answer."],
    ['a budget past a shorter timeout', { turnBudget: Duration.seconds(3), fulfillmentTimeout: Duration.seconds(2) }, "'turnBudget' (3 seconds) must be shorter than the fulfillment function's timeout (2 seconds)"],
    ['a budget past Lex\'s 30 s', { turnBudget: Duration.seconds(30), fulfillmentTimeout: Duration.seconds(60) },
      "CachedLexFulfillment 'Fulfillment': 'turnBudget' (30 seconds) must be shorter than the 30 seconds Lex waits for a code hook; a caller should hear an answer within a few seconds (the default is 2000 ms)."],
  ])('refuses %s, naming the prop and the fix', (_, props, message) => {
    expect(() => new CachedLexFulfillment(testStack(), 'Fulfillment', { intents: [GREETING], ...props })).toThrow(message);
  });

  it('accepts a turn budget from a stack parameter, left to the deployment', () => {
    const stack = testStack();
    const budget = new CfnParameter(stack, 'TurnBudgetMs', { type: 'Number' });

    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING], turnBudget: Duration.millis(budget.valueAsNumber) });

    const [fn] = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('FulfillmentFunction'));
    expect((fn[1] as any).Properties.Environment.Variables[FAST_LEX_ENV.turnBudgetMs]).toEqual({ Ref: 'TurnBudgetMs' });
  });

  it('scopes a foundation model id to its region and adds the guardrail permission', () => {
    const stack = testStack();
    new CachedLexFulfillment(stack, 'Fulfillment', {
      intents: [GREETING],
      modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
      guardrail: { guardrailId: 'gr-123', guardrailVersion: '2' },
    });

    const template = Template.fromStack(stack);
    const statements = policyStatementsOf(template, 'FulfillmentGeneratorRole');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'bedrock:InvokeModel', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0']] } }),
      expect.objectContaining({ Action: 'bedrock:ApplyGuardrail' }),
    ]));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FAST_LEX_GUARDRAIL_ID: 'gr-123', FAST_LEX_GUARDRAIL_VERSION: '2' }) },
    });
  });

  it('grants start-execution for workflow intents and reading of secrets and the call context (GetItem only)', () => {
    const stack = testStack();
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    const secret = new secretsmanager.Secret(stack, 'Secret');
    const calls = new dynamodb.Table(stack, 'Calls', { partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING } });
    const callContext = { callContextTable: calls, grantReadCallContext: (grantee: iam.IGrantable) => calls.grant(grantee, 'dynamodb:GetItem') };
    new CachedLexFulfillment(stack, 'Fulfillment', {
      intents: [GREETING],
      workflowIntents: [{ intentName: 'RequestDemoIntent', stateMachine: machine, answer: "We'll call you in a moment." }],
      secrets: [secret],
      callContext,
    });

    const template = Template.fromStack(stack);
    const actions = actionsOf(template, 'FulfillmentRole');
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'secretsmanager:GetSecretValue', 'dynamodb:GetItem']));
    // The call context is read by key: the grant is the source's own, with no Query or Scan on the call table.
    const callTableStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => JSON.stringify(st.Resource).includes('Calls'));
    expect(callTableStatements.flatMap((st: any) => [st.Action].flat())).toEqual(['dynamodb:GetItem']);
    const env = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((f: any) => f.Properties.Environment.Variables)
      .find((v: any) => v.FAST_LEX_WORKFLOWS);
    expect(JSON.parse(JSON.stringify(env.FAST_LEX_WORKFLOWS))).toEqual({
      'Fn::Join': ['', ['{"RequestDemoIntent":{"stateMachineArn":"', { Ref: expect.stringMatching(/^Machine/) }, '","answer":"We\'ll call you in a moment."}}']],
    });
  });

  it('uses a given cache table instead of creating one', () => {
    const stack = testStack();
    const cache = new ResponseCacheTable(stack, 'SharedCache');
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING], existingCacheTable: cache.table });

    expect(fulfillment.cacheTable.table).toBe(cache.table);
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('refuses both a table of its own and settings for a new one, naming both props', () => {
    const stack = testStack();
    const cache = new ResponseCacheTable(stack, 'SharedCache');
    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING], existingCacheTable: cache.table, cacheTableProps: { tableName: 'x' } }))
      .toThrow(/'existingCacheTable' and 'cacheTableProps' conflict/);
  });

  it('attaches to a bot alias of your own and scopes the permission to it', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    const alias = new lex.CfnBotAlias(stack, 'MyAlias', { botId: bot.attrId, botAliasName: 'prod' });
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    fulfillment.attachToBotAlias(alias);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lex::BotAlias', {
      BotAliasName: 'prod',
      BotAliasLocaleSettings: [Match.objectLike({ LocaleId: 'en_US' })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': ['MyAlias', 'BotAliasId'] }])] },
    });
  });

  it("refuses a bot alias whose code hook names the function's unqualified ARN ($LATEST)", () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });
    const alias = aliasWithCodeHook(stack, bot, fulfillment.fulfillmentFunction.function.functionArn);

    expect(() => fulfillment.attachToBotAlias(alias)).toThrow(/unqualified Lambda function ARN.*\$LATEST.*provisioned concurrency never covers/);
  });

  it('refuses a literal unqualified function ARN too', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    const fulfillment = new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });
    const alias = aliasWithCodeHook(stack, bot, 'arn:aws:lambda:us-west-2:123456789012:function:LexFulfillmentHandler');

    expect(() => fulfillment.attachToBotAlias(alias)).toThrow(/unqualified Lambda function ARN/);
  });

  it.each([
    [{ intents: [] }, /'intents' needs at least one intent/],
    [{ intents: [{ intentName: 'A', staticAnswer: ' ' }] }, /intent 'A' needs a non-empty 'staticAnswer'/],
    [{ intents: [GREETING, GREETING] }, /intent 'GreetingIntent' is configured twice/],
    [{ intents: [{ intentName: 'A#B', staticAnswer: 'x' }] }, /must not contain '#'/],
    [{ intents: [{ ...GREETING, ttl: Duration.millis(10) }] }, /'ttl' must be at least 1 second/],
  ])('rejects bad configuration: %#', (props, message) => {
    const stack = testStack();

    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', props as any)).toThrow(message);
  });

  it('rejects an intent that is both cached and a workflow', () => {
    const stack = testStack();
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });

    expect(() => new CachedLexFulfillment(stack, 'Fulfillment', {
      intents: [GREETING],
      workflowIntents: [{ intentName: 'GreetingIntent', stateMachine: machine, answer: 'x' }],
    })).toThrow(/in both 'intents' and 'workflowIntents'/);
  });

  it('uses the prebundled handlers, not inline or Docker-built code', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:enable-asset-metadata': true } }), 'Test');
    new CachedLexFulfillment(stack, 'Fulfillment', { intents: [GREETING] });

    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    // The staged asset's hash is the fingerprint of the prebundled directory that ships in the package.
    expect(fns.map((f) => f.Metadata['aws:asset:path'])).toEqual([
      `asset.${FileSystem.fingerprint(handlerAssetPath('lex-fulfillment'))}`,
      `asset.${FileSystem.fingerprint(handlerAssetPath('generator-worker'))}`,
    ]);
  });

  it('matches the snapshot', () => {
    const stack = testStack();
    const bot = minimalBot(stack);
    new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents: [GREETING] });

    expectSnapshot(stack);
  });
}, {
  // Test fixtures, not parts of the construct: the test bot's role (test/helpers/bot.ts) and the bare state machine,
  // secret and table that some tests hand to the construct.
  fixtureFindings: (finding) => /^AwsSolutions-\w+ Test\/(BotRole|Machine|Secret|Calls)\//.test(finding),
});
