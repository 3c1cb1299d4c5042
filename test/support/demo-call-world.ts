// The offline world the DemoCallWorkflow executions run in: the synthesized stack, and every dependency as a local
// stand-in driven by the real clients (dynalite, moto Secrets Manager, HTTPS Salesforce, Bedrock Converse, Connect,
// Step Functions callbacks). Shared by the workflow tests and the workflow benchmark.
import * as tls from 'node:tls';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DemoCallWorkflow, type DemoCallWorkflowProps } from '../../src';
import { CallContextStore } from '../../src/runtime/workflow/call-context';
import { deriveInteractionKey } from '../../src/runtime/workflow/validate';
import {
  LOCAL_CREDENTIALS, LocalWorkflow, createJwtKeyPair, localDynamoDbClient, startBedrockStandIn, startConnectStandIn,
  startLocalDynamoDb, startMotoServer, startSalesforceStandIn, startStepFunctionsStandIn,
  type BedrockStandIn, type ConnectStandIn, type LocalEndpoint, type LocalExecution, type SalesforceStandIn, type StepFunctionsStandIn,
} from '../../src/testing';
import { startAwsJsonProxy, type AwsJsonProxy } from '../../src/testing';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const INSTANCE_ID = '11111111-2222-3333-4444-555555555555';
export const EXTERNAL_ID_FIELD = 'Demo_Request_Id__c';
const CLIENT_ID = '3MVG9-workflow-test';
const USERNAME = 'integration@example.com';

/** Latencies of the stand-ins, ms. */
export interface WorldLatency {
  readonly salesforceApiMs?: number;
  readonly salesforceOauthMs?: number;
  readonly salesforceNewConnectionMs?: number;
  readonly bedrockMs?: number;
  readonly connectMs?: number;
  /** Added to every DynamoDB request by a proxy in front of dynalite. */
  readonly dynamoDbMs?: number;
  /** Added to every Secrets Manager request by a proxy in front of moto. */
  readonly secretsManagerMs?: number;
  /** Connect's StartOutboundVoiceContact rate limit at the stand-in (e.g. 2/s, burst 5). @default - none */
  readonly connectRateLimit?: { readonly perSecond: number; readonly burst: number };
}

export interface World {
  readonly stack: Stack;
  readonly construct: DemoCallWorkflow;
  readonly template: object;
  readonly assemblyDirectory: string;
  readonly tableName: string;
  readonly dynamo: LocalEndpoint;
  readonly moto: LocalEndpoint;
  readonly salesforce: SalesforceStandIn;
  readonly bedrock: BedrockStandIn;
  readonly connect: ConnectStandIn;
  readonly stepFunctions: StepFunctionsStandIn;
  readonly secretArn: string;
  readonly store: CallContextStore;
  /** The endpoints the handlers use (through the latency proxies, when set). */
  readonly endpoints: { readonly dynamoDb: string; readonly secretsManager: string };
  /** The proxies in front of dynalite and moto's Secrets Manager: inject hangs, throttling and outages here. */
  readonly proxies: { readonly dynamoDb: AwsJsonProxy; readonly secretsManager: AwsJsonProxy };
  /** A fresh LocalWorkflow (fresh handler modules: cold caches, new connections). */
  newWorkflow(options?: { retryPauseMs?: number; environment?: Record<string, string> }): LocalWorkflow;
  /** The logical id of a construct's function. */
  functionId(fn: { function: { node: { defaultChild?: unknown } } }): string;
  stop(): Promise<void>;
}

/** Starts the stand-ins and synthesizes a stack with the workflow pointed at them. */
export async function startWorld(props: Partial<DemoCallWorkflowProps> = {}, latency: WorldLatency = {}): Promise<World> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const savedCas = tls.getCACertificates('default');
  try {
    const dynamo = await startLocalDynamoDb();
    started.push(dynamo);
    const moto = await startMotoServer();
    started.push(moto);
    const keys = createJwtKeyPair();
    const salesforce = await startSalesforceStandIn({
      publicKey: keys.publicKeyPem, clientId: CLIENT_ID, usernames: [USERNAME], externalIdFields: [EXTERNAL_ID_FIELD],
      latency: { apiMs: latency.salesforceApiMs ?? 0, oauthMs: latency.salesforceOauthMs ?? 0, newConnectionMs: latency.salesforceNewConnectionMs ?? 0 },
    });
    started.push(salesforce);
    // The bundled handlers carry their own jsforce/undici, which no dispatcher option reaches: trust the stand-in's
    // self-signed certificate process-wide (Node 24 tls.setDefaultCACertificates); restored by stop().
    tls.setDefaultCACertificates([...savedCas, salesforce.certificatePem]);
    const bedrock = await startBedrockStandIn({
      latencyMs: latency.bedrockMs ?? 0,
      responder: ({ prompt }) => `Hello ${/"firstName":"([^"]*)"/.exec(prompt)?.[1] ?? 'there'}, let us book a table at Atlas Bistro.`,
    });
    started.push(bedrock);
    const connect = await startConnectStandIn({ latencyMs: latency.connectMs ?? 0, instanceIds: [INSTANCE_ID], rateLimit: latency.connectRateLimit });
    started.push(connect);
    const stepFunctions = await startStepFunctionsStandIn();
    started.push(stepFunctions);
    const dynamoProxy = await startAwsJsonProxy(dynamo.endpoint, latency.dynamoDbMs ?? 0);
    started.push(dynamoProxy);
    const secretsProxy = await startAwsJsonProxy(moto.endpoint, latency.secretsManagerMs ?? 0);
    started.push(secretsProxy);

    const admin = new SecretsManagerClient({ endpoint: moto.endpoint, region: REGION, credentials: LOCAL_CREDENTIALS });
    const secret = await admin.send(new CreateSecretCommand({
      Name: `salesforce/jwt-${Date.now()}`,
      SecretString: JSON.stringify({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.privateKeyPem, loginUrl: salesforce.endpoint }),
    }));
    admin.destroy();

    const stack = new Stack(new App(), 'DemoCallWorkflowOffline', { env: { account: ACCOUNT, region: REGION } });
    const construct = new DemoCallWorkflow(stack, 'Workflow', {
      connectInstanceArn: `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${INSTANCE_ID}`,
      contactFlowId: '66666666-7777-8888-9999-000000000000',
      sourcePhoneNumber: '+14155550100',
      salesforceCredentials: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Salesforce', secret.ARN!),
      salesforceExternalIdField: EXTERNAL_ID_FIELD,
      callTimeout: Duration.seconds(3),
      ...props,
    });
    const assembly = (stack.node.root as App).synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as object;
    const functionId = (fn: { function: { node: { defaultChild?: unknown } } }) =>
      stack.resolve(stack.getLogicalId(fn.function.node.defaultChild as never)) as string;
    const tableName = stack.resolve(stack.getLogicalId(construct.callContextTable.node.defaultChild as never)) as string;
    const ddb = localDynamoDbClient(dynamo.endpoint, REGION);
    await ddb.send(new CreateTableCommand({
      TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }));
    await waitUntilTableExists({ client: ddb, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 } as never, { TableName: tableName });
    const store = new CallContextStore({ tableName, client: ddb });

    const environment = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsProxy.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
      AWS_ENDPOINT_URL_CONNECT: connect.endpoint,
      AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
    };
    const workflows: LocalWorkflow[] = [];
    return {
      stack, construct, template, assemblyDirectory: assembly.directory, tableName, dynamo, moto, salesforce, bedrock, connect,
      stepFunctions, secretArn: secret.ARN!, store, functionId,
      endpoints: { dynamoDb: dynamoProxy.endpoint, secretsManager: secretsProxy.endpoint },
      proxies: { dynamoDb: dynamoProxy, secretsManager: secretsProxy },
      newWorkflow: (o = {}) => {
        const pause = o.retryPauseMs ?? 5;
        const wf = LocalWorkflow.fromTemplate(template, {
          assemblyDirectory: assembly.directory, region: REGION, account: ACCOUNT, stepFunctions,
          environment: { ...environment, ...o.environment },
          retryIntervalOverrides: Object.fromEntries(['ValidateRequest', 'CreateLead', 'GenerateScenario', 'MarkScenarioUnavailable', 'InvokeOutboundCall', 'KeepRequest', 'WaitForCallCompletion', 'UpdateLead', 'KeepUnwrittenOutcome', 'MarkLeadFailed'].map((s) => [s, pause])),
        });
        workflows.push(wf);
        return wf;
      },
      stop: async () => {
        for (const wf of workflows.reverse()) wf.close();
        ddb.destroy();
        tls.setDefaultCACertificates(savedCas);
        for (const s of started.reverse()) await s.stop();
      },
    };
  } catch (err) {
    tls.setDefaultCACertificates(savedCas);
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw err;
  }
}

/** A valid demo request. */
export function demoRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    lead: { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', email: 'ada@example.com', phone: '+14155552671' },
    context: { industry: 'restaurants' },
    ...overrides,
  };
}

/**
 * Runs an execution and plays the callee: when the execution's call appears at the Connect stand-in, the
 * DISCONNECTED contact event goes to the bundled call-completed handler (as the EventBridge rule would deliver it),
 * unless `hangUp` is false (a lost event).
 */
export async function runCall(world: World, workflow: LocalWorkflow, input: unknown, options: { executionName?: string; hangUp?: boolean; afterPlacedMs?: number } = {}): Promise<LocalExecution> {
  const executionName = options.executionName ?? `exec-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const interactionKey = deriveInteractionKey(`${workflow.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`);
  const running = workflow.run(input, { executionName });
  if (options.hangUp !== false) {
    const hangUp = (async () => {
      const call = await waitFor(() => world.connect.calls.find((c) => c.attributes.interactionKey === interactionKey), running);
      if (!call) return;
      // A real DISCONNECTED event comes at least a ring later; wait until the step has linked the contact to the call
      // (an event before that finds no call and is ignored, and the timeout fallback ends the wait).
      while (!(await world.store.getItem(interactionKey))?.contactId) await new Promise((r) => setTimeout(r, 5));
      if (options.afterPlacedMs) await new Promise((r) => setTimeout(r, options.afterPlacedMs));
      await workflow.invokeFunction(world.functionId(world.construct.callCompletedFunction), world.connect.contactEvent(call.contactId, { region: REGION, account: ACCOUNT }));
    })();
    const [execution] = await Promise.all([running, hangUp]);
    return execution;
  }
  return running;
}

/** Polls until `probe` returns a value, or `until` settles (then undefined). */
export async function waitFor<T>(probe: () => T | undefined, until: Promise<unknown>): Promise<T | undefined> {
  let done = false;
  void until.finally(() => { done = true; });
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (done) return undefined;
    await new Promise((r) => setTimeout(r, 5));
  }
}
