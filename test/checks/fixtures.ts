// Two apps built with plain aws-cdk-lib resources: the seed's "current" Atlas Engine (every bottleneck) and a clean one.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** The size of the seed's layers: 31 MB. */
export const SEED_LAYER_BYTES = 31 * 1024 * 1024;
/** The fulfillment handler's inline source (its size is the code size the report uses). */
export const FULFILLMENT_SOURCE = 'exports.handler = async () => ({});';
/** The workflow handlers' inline source. */
export const TASK_SOURCE = 'exports.handler = async (e) => e;';

/** A temporary directory holding one 31 MB file: a real layer asset, written sparse so it costs no disk time. */
export function bigLayerDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-lex-layer-'));
  const fd = fs.openSync(path.join(dir, 'dependencies.bin'), 'w');
  fs.ftruncateSync(fd, SEED_LAYER_BYTES);
  fs.closeSync(fd);
  return dir;
}

/** A new app writing to its own temporary directory. */
export function newApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'fast-lex-cdkout-')) });
}

function bot(scope: Construct): lex.CfnBot {
  const role = new iam.Role(scope, 'BotRole', { assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  return new lex.CfnBot(scope, 'Bot', {
    name: `${Stack.of(scope).stackName}-bot`,
    roleArn: role.roleArn,
    dataPrivacy: { ChildDirected: false },
    idleSessionTtlInSeconds: 300,
    botLocales: [{
      localeId: 'en_US',
      nluConfidenceThreshold: 0.4,
      intents: [{ name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', fulfillmentCodeHook: { enabled: true } }],
    }],
  });
}

function botAlias(scope: Construct, id: string, b: lex.CfnBot, version: lex.CfnBotVersion, lambdaArn: string): lex.CfnBotAlias {
  return new lex.CfnBotAlias(scope, id, {
    botId: b.attrId,
    botAliasName: id,
    botVersion: version.attrBotVersion,
    botAliasLocaleSettings: [{
      localeId: 'en_US',
      botAliasLocaleSetting: {
        enabled: true,
        codeHookSpecification: { lambdaCodeHook: { lambdaArn, codeHookInterfaceVersion: '1.0' } },
      },
    }],
  });
}

function botVersion(scope: Construct, b: lex.CfnBot): lex.CfnBotVersion {
  return new lex.CfnBotVersion(scope, 'BotVersion', {
    botId: b.attrId,
    botVersionLocaleSpecification: [{ localeId: 'en_US', botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' } }],
  });
}

function bedrockPolicy(): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] });
}

/** The handles the tests acknowledge findings on. */
export interface SeedStack {
  readonly stack: Stack;
  readonly fulfillment: lambda.Function;
  readonly createLead: lambda.Function;
  readonly liveAlias: lex.CfnBotAlias;
  readonly workflow: sfn.StateMachine;
}

/**
 * The seed's "current" Atlas Engine: the live bot alias names the unqualified function (so version 28's provisioned
 * instance is never used), a staging alias names an alias without provisioned concurrency, the fulfillment function
 * has 128 MB on x86_64, a 60 s timeout, a 31 MB layer and reads Secrets Manager on every call, the cache table has no
 * TTL, and the workflow is EXPRESS with a callback task and two independent tasks in sequence.
 */
export function seedCurrentStack(app: App, id = 'SeedCurrent'): SeedStack {
  const stack = new Stack(app, id);
  const secret = new secretsmanager.Secret(stack, 'SalesforceSecret');
  new dynamodb.Table(stack, 'ResponseCache', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
  });
  // The seed's handler queries an interactions table (200 ms); the response cache exists but nothing reads it yet.
  const interactions = new dynamodb.Table(stack, 'Interactions', {
    partitionKey: { name: 'interactionKey', type: dynamodb.AttributeType.STRING },
  });
  const layer = new lambda.LayerVersion(stack, 'LexBotDependencies', { code: lambda.Code.fromAsset(bigLayerDir()) });
  const fulfillment = new lambda.Function(stack, 'LexFulfillmentHandler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(FULFILLMENT_SOURCE),
    memorySize: 128,
    timeout: Duration.seconds(60),
    layers: [layer],
  });
  secret.grantRead(fulfillment);
  interactions.grantReadData(fulfillment);
  fulfillment.addToRolePolicy(bedrockPolicy());
  fulfillment.addPermission('LexInvoke', { principal: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  // "version 28: 1 provisioned instance" that nothing routes to.
  new lambda.Alias(stack, 'Version28', { aliasName: 'v28', version: fulfillment.currentVersion, provisionedConcurrentExecutions: 1 });
  const staging = new lambda.Alias(stack, 'StagingAlias', { aliasName: 'staging', version: fulfillment.currentVersion });

  const b = bot(stack);
  const v = botVersion(stack, b);
  const liveAlias = botAlias(stack, 'LiveBotAlias', b, v, fulfillment.functionArn);
  botAlias(stack, 'StagingBotAlias', b, v, staging.functionArn);

  const taskFn = (name: string) => new lambda.Function(stack, name, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(TASK_SOURCE), memorySize: 128,
  });
  const createLead = taskFn('CreateLeadHandler');
  secret.grantRead(createLead);
  const generate = taskFn('GenerateScenarioHandler');
  generate.addToRolePolicy(bedrockPolicy());
  const invokeCall = taskFn('InvokeOutboundCallHandler');
  invokeCall.addToRolePolicy(new iam.PolicyStatement({ actions: ['connect:StartOutboundVoiceContact'], resources: ['*'] }));
  const updateLead = taskFn('UpdateLeadHandler');

  const definition = new tasks.LambdaInvoke(stack, 'CreateLead', { lambdaFunction: createLead, resultPath: '$.lead' })
    .next(new tasks.LambdaInvoke(stack, 'GenerateScenario', {
      lambdaFunction: generate,
      payload: sfn.TaskInput.fromObject({ intent: sfn.JsonPath.stringAt('$.intent') }),
      resultPath: '$.scenario',
    }))
    .next(new tasks.LambdaInvoke(stack, 'InvokeOutboundCall', {
      lambdaFunction: invokeCall,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        token: sfn.JsonPath.taskToken,
        lead: sfn.JsonPath.objectAt('$.lead.Payload'),
        scenario: sfn.JsonPath.objectAt('$.scenario.Payload'),
      }),
      resultPath: '$.call',
    }))
    .next(new tasks.LambdaInvoke(stack, 'UpdateLead', {
      lambdaFunction: updateLead,
      payload: sfn.TaskInput.fromObject({ lead: sfn.JsonPath.objectAt('$.lead.Payload'), call: sfn.JsonPath.objectAt('$.call') }),
      resultPath: sfn.JsonPath.DISCARD,
    }));
  const workflow = new sfn.StateMachine(stack, 'AtlasEngineWorkflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    stateMachineType: sfn.StateMachineType.EXPRESS,
  });
  return { stack, fulfillment, createLead, liveAlias, workflow };
}

/**
 * The same system built the way the rules ask: the bot alias names a function alias with provisioned concurrency,
 * functions are arm64 with enough memory and short timeouts, secrets are cached (the runtime marker), the cache table
 * has a TTL, and the workflow is STANDARD with the independent tasks in a Parallel state.
 */
export function cleanStack(app: App, id = 'Clean'): Stack {
  const stack = new Stack(app, id);
  const secret = new secretsmanager.Secret(stack, 'SalesforceSecret');
  const cache = new dynamodb.Table(stack, 'ResponseCache', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: 'ttl',
  });
  const fn = (name: string, memorySize: number) => new lambda.Function(stack, name, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(TASK_SOURCE),
    memorySize,
    architecture: lambda.Architecture.ARM_64,
    timeout: Duration.seconds(10),
    environment: { FAST_LEX_RUNTIME: '1' },
  });
  const fulfillment = fn('LexFulfillmentHandler', 512);
  secret.grantRead(fulfillment);
  cache.grantReadData(fulfillment);
  const live = new lambda.Alias(stack, 'LiveAlias', { aliasName: 'live', version: fulfillment.currentVersion, provisionedConcurrentExecutions: 2 });
  live.addPermission('LexInvoke', { principal: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  const b = bot(stack);
  botAlias(stack, 'LiveBotAlias', b, botVersion(stack, b), live.functionArn);

  const createLead = fn('CreateLeadHandler', 256);
  secret.grantRead(createLead);
  const generate = fn('GenerateScenarioHandler', 512);
  generate.addToRolePolicy(bedrockPolicy());
  const invokeCall = fn('InvokeOutboundCallHandler', 256);
  const updateLead = fn('UpdateLeadHandler', 256);
  const parallel = new sfn.Parallel(stack, 'LeadAndScenario', { resultPath: '$.prepared' })
    .branch(new tasks.LambdaInvoke(stack, 'CreateLead', { lambdaFunction: createLead, resultPath: '$.lead' }))
    .branch(new tasks.LambdaInvoke(stack, 'GenerateScenario', { lambdaFunction: generate, resultPath: '$.scenario' }));
  const definition = parallel
    .next(new tasks.LambdaInvoke(stack, 'InvokeOutboundCall', {
      lambdaFunction: invokeCall,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, prepared: sfn.JsonPath.objectAt('$.prepared') }),
      resultPath: '$.call',
      heartbeatTimeout: sfn.Timeout.duration(Duration.minutes(10)),
    }))
    .next(new tasks.LambdaInvoke(stack, 'UpdateLead', {
      lambdaFunction: updateLead,
      payload: sfn.TaskInput.fromObject({ prepared: sfn.JsonPath.objectAt('$.prepared'), call: sfn.JsonPath.objectAt('$.call') }),
      resultPath: sfn.JsonPath.DISCARD,
    }));
  new sfn.StateMachine(stack, 'AtlasEngineWorkflow', { definitionBody: sfn.DefinitionBody.fromChainable(definition) });
  return stack;
}
