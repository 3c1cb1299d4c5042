// The custom-handler example runs offline: its handler (built on createFulfillmentHandler) is bundled with esbuild as a
// user would, its stack is synthesized, and the bundle answers Lex events with the environment and the intents
// layer file the stack deploys, against dynalite (the cache) and moto (the generation queue).
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomHandlerStack } from '../../examples/custom-handler/lib/custom-handler-stack';
import {
  LOCAL_CREDENTIALS, LOCAL_REGION, createResponseCacheTable, lexEvent, lexResponseProblems, localDynamoDbClient, localSqsClient,
  startLocalDynamoDb, startMotoServer, type LocalEndpoint,
} from '../../src/testing';

const root = resolve(__dirname, '..', '..');
type Handler = (event: unknown) => Promise<any>;

describe('the custom-handler example', () => {
  const bundleDir = mkdtempSync(join(tmpdir(), 'custom-handler-'));
  let dynamo: LocalEndpoint;
  let moto: LocalEndpoint;
  let sqs: SQSClient;
  let queueUrl: string;
  let handler: Handler;
  let template: Template;
  const saved = { ...process.env };

  beforeAll(async () => {
    // Arrange: bundle as a user would; the package's subpath resolves to this repository's source.
    buildSync({
      entryPoints: [join(root, 'examples', 'custom-handler', 'lib', 'handler.ts')],
      outfile: join(bundleDir, 'index.js'),
      bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'silent',
      alias: { 'cdk-fast-lex/runtime/lex': join(root, 'src', 'runtime', 'lex', 'index.ts') },
    });
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'custom-handler-out-')) });
    const stack = new CustomHandlerStack(app, 'CustomHandler', { handlerDirectory: bundleDir, env: { account: '123456789012', region: LOCAL_REGION } });
    template = Template.fromStack(stack);
    const layerAsset = stack.fulfillment.configLayer!.node.findAll().find((c) => (c as any).assetPath !== undefined) as any;
    const deployedEnv = (Object.values(template.findResources('AWS::Lambda::Function'))[0] as any).Properties.Environment.Variables;

    [dynamo, moto] = await Promise.all([startLocalDynamoDb(), startMotoServer()]);
    const tableName = 'custom-handler-cache';
    await createResponseCacheTable(localDynamoDbClient(dynamo.endpoint), tableName);
    sqs = localSqsClient(moto.endpoint);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'custom-handler-generation' }))).QueueUrl!;
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: moto.endpoint,
      FAST_LEX_CACHE_TABLE: tableName,
      FAST_LEX_GENERATION_QUEUE_URL: queueUrl,
      // What the stack deploys, with the layer's /opt path mapped to the staged layer directory.
      FAST_LEX_FALLBACK_INTENTS: deployedEnv.FAST_LEX_FALLBACK_INTENTS,
      FAST_LEX_INTENTS_FILE: join(app.outdir, layerAsset.assetPath, String(deployedEnv.FAST_LEX_INTENTS_FILE).replace(/^\/opt\//, '')),
    });
    const req = createRequire(__filename);
    handler = req(join(bundleDir, 'index.js')).handler as Handler;
  });
  afterAll(async () => {
    process.env = saved;
    await Promise.all([dynamo?.stop(), moto?.stop()]);
  });

  it('deploys your bundle as the fulfillment function, with the cache environment, the intents layer and the provisioned alias', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as any[];

    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fn.Properties.Layers).toHaveLength(1);
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['FAST_LEX_CACHE_TABLE', 'FAST_LEX_GENERATION_QUEUE_URL', 'FAST_LEX_INTENTS_FILE']));
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
  });

  it('answers the custom route from the slot', async () => {
    const response = await handler(lexEvent({ intent: 'OrderStatusIntent', slots: { OrderNumber: 'A123' } }));

    expect(lexResponseProblems(response)).toEqual([]);
    expect(response.sessionState.dialogAction.type).toBe('Close');
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: 'Order A123 has shipped and should arrive within two days.' }]);
  });

  it('answers other intents through the response cache: the static answer at once, a generation request queued', async () => {
    const response = await handler(lexEvent({ intent: 'GreetingIntent' }));

    expect(lexResponseProblems(response)).toEqual([]);
    expect(response.messages).toEqual([{ contentType: 'PlainText', content: 'Hello! Ask me where your order is.' }]);
    const queued = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(JSON.parse(queued.Messages![0].Body!)).toMatchObject({ intent: 'GreetingIntent', prompt: expect.stringContaining('Greet a customer') });
  });

  it('answers the fallback intent and keeps the conversation open', async () => {
    const response = await handler(lexEvent({ intent: 'FallbackIntent' }));

    expect(lexResponseProblems(response)).toEqual([]);
    expect(response.sessionState.dialogAction.type).toBe('ElicitIntent');
  });
});
