// The lead-to-outbound-call workflow (seed: "Step Functions Workflow", "Optimized Step Functions"), with CreateLead
// and GenerateScenario in parallel and a call-completion wait that Express workflows cannot do (NOTES.md).
import { Arn, ArnFormat, Duration, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { grantBedrockInvoke } from './bedrock-access';
import { prebundledHandler } from './handler-code';
import { resolveForNag } from './nag-ids';
import { RightSizedFunction, WorkloadProfile } from './right-sized-function';
import { DEFAULT_BEDROCK_MODEL_ID } from '../shared/bedrock-defaults';
import { CALL_CONTEXT_PARTITION_KEY, CALL_CONTEXT_TTL_ATTRIBUTE, WORKFLOW_ENV } from '../runtime/workflow/schema';

/** Errors Lambda (the service, not the function) reports; always worth a retry. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException',
];

/**
 * Properties of a `DemoCallWorkflow`.
 */
export interface DemoCallWorkflowProps {
  /** ARN of the Amazon Connect instance, e.g. `arn:aws:connect:us-west-2:111122223333:instance/<id>`. */
  readonly connectInstanceArn: string;
  /** Id (GUID) of the contact flow that runs the call (it should hand the caller to the Lex bot). */
  readonly contactFlowId: string;
  /**
   * Caller id of the outbound call, E.164, claimed in the instance. One of `sourcePhoneNumber` and `queueId` is needed.
   * @default - the queue's outbound caller id
   */
  readonly sourcePhoneNumber?: string;
  /**
   * The country (ISO 3166-1 alpha-2, e.g. 'US') whose national phone numbers the request may carry. Lex's
   * AMAZON.PhoneNumber slot gives a spoken US number as `2065550100`, without `+1`; with 'US' it is read as +12065550100.
   * @default - only international numbers (`+` and country code) are accepted
   */
  readonly defaultPhoneCountry?: string;
  /**
   * Queue of the outbound call; its outbound caller id is used.
   * @default - the queue defined in the contact flow (then `sourcePhoneNumber` is required)
   */
  readonly queueId?: string;
  /** Secret holding the Salesforce JWT credentials JSON (`clientId`, `username`, `privateKey`, `loginUrl`). */
  readonly salesforceCredentials: secretsmanager.ISecret;
  /**
   * API name of a Lead external-id field that holds the demo request id. Leads are upserted on it, so a retried
   * CreateLead never makes a second Lead.
   */
  readonly salesforceExternalIdField: string;
  /**
   * Bedrock model id or inference profile id for the scenario.
   * @default 'us.anthropic.claude-haiku-4-5-20251001-v1:0'
   */
  readonly modelId?: string;
  /**
   * Instructions for the scenario (the prospect's first name, company and context are appended; never the phone).
   * @default - a short, friendly demo scenario of at most 80 words
   */
  readonly scenarioPrompt?: string;
  /**
   * Maximum output tokens of the scenario.
   * @default 150
   */
  readonly maxTokens?: number;
  /**
   * Standard or Express. Express runs the hot path only (lead, scenario, call) and leaves call completion to the
   * event-driven path; it cannot wait for the call.
   * @default sfn.StateMachineType.STANDARD
   */
  readonly workflowType?: sfn.StateMachineType;
  /**
   * Whether the execution waits for the call to end (`.waitForTaskToken`) and then updates the lead. Only Standard
   * workflows can: Express supports Request/Response integrations only (no `.waitForTaskToken`, no `.sync`) and runs
   * at most 5 minutes.
   * @default - true for STANDARD, false for EXPRESS
   */
  readonly waitForCallCompletion?: boolean;
  /**
   * Longest wait for the call to end; then the outcome is recorded as UNKNOWN (Connect contact events are
   * best-effort, so a lost DISCONNECTED event must not leave the execution waiting).
   * @default Duration.hours(1)
   */
  readonly callTimeout?: Duration;
  /**
   * Heartbeat of the wait: any contact event of the call (INITIATED, CONNECTED_TO_SYSTEM, ...) counts as a beat.
   * It must exceed the longest gap between contact events, which for a connected call is the conversation itself.
   * @default - no heartbeat; `callTimeout` alone bounds the wait
   */
  readonly callHeartbeat?: Duration;
  /**
   * An existing call-context table: partition key `pk` (string), TTL attribute `ttl`.
   * @default - a new table (on-demand, point-in-time recovery, encrypted, TTL)
   */
  readonly callContextTable?: dynamodb.ITable;
  /**
   * How long call context stays in the table after it was written.
   * @default - `callTimeout` plus one day
   */
  readonly callContextTtl?: Duration;
  /**
   * Retention of the state machine's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Include execution input and output in the state machine's logs. They contain the lead's phone number.
   * @default false
   */
  readonly logExecutionData?: boolean;
  /**
   * Name of the state machine.
   * @default - a name unique to this construct's path (needed up front: the handlers' roles name the state machine)
   */
  readonly stateMachineName?: string;
}

/**
 * The lead-to-outbound-call workflow: validate the request, create the Salesforce Lead and generate the call scenario
 * with Bedrock in parallel, place the Amazon Connect call (idempotent: the ClientToken comes from the execution), wait
 * for the call to end (resumed by the `DISCONNECTED` contact event, with a timeout fallback), and update the Lead.
 * Every task retries with backoff and full jitter and falls through to a failure path that marks the Lead and keeps
 * the error.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 *
 * const stack = new Stack(new App(), 'Demo');
 * const workflow = new DemoCallWorkflow(stack, 'DemoCalls', {
 *   connectInstanceArn: 'arn:aws:connect:us-west-2:111122223333:instance/11111111-2222-3333-4444-555555555555',
 *   contactFlowId: '66666666-7777-8888-9999-000000000000',
 *   sourcePhoneNumber: '+14155550100',
 *   salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Sf', 'salesforce/jwt'),
 *   salesforceExternalIdField: 'Demo_Request_Id__c',
 * });
 * // workflow.grantStartExecution(fulfillmentFunction); workflow.grantReadCallContext(fulfillmentFunction);
 */
export class DemoCallWorkflow extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The call-context table (`CALL#{interactionKey}`, `CONTACT#{contactId}`). */
  public readonly callContextTable: dynamodb.ITable;
  /** Standard or Express. */
  public readonly workflowType: sfn.StateMachineType;
  /** Whether executions wait for the call to end. */
  public readonly waitsForCallCompletion: boolean;
  /** The state machine's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** Validates the request. */
  public readonly validateFunction: RightSizedFunction;
  /** Upserts the Lead. */
  public readonly createLeadFunction: RightSizedFunction;
  /** Generates the scenario with Bedrock. */
  public readonly generateScenarioFunction: RightSizedFunction;
  /** Stores the call context and places the call. */
  public readonly invokeOutboundCallFunction: RightSizedFunction;
  /** Stores the task token (the `.waitForTaskToken` task); undefined when executions do not wait. */
  public readonly awaitCallFunction?: RightSizedFunction;
  /** Handles Amazon Connect contact events. */
  public readonly callCompletedFunction: RightSizedFunction;
  /** Writes the call outcome or the failure to the Lead. */
  public readonly updateLeadFunction: RightSizedFunction;
  /** The EventBridge rule on the instance's contact events. */
  public readonly contactEventRule: events.Rule;
  /** Dead-letter queue of contact events the handler could not process. */
  public readonly contactEventDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DemoCallWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.workflowType = props.workflowType ?? sfn.StateMachineType.STANDARD;
    const express = this.workflowType === sfn.StateMachineType.EXPRESS;
    this.waitsForCallCompletion = props.waitForCallCompletion ?? !express;
    const callTimeout = props.callTimeout ?? Duration.hours(1);
    validateProps(id, props, express, this.waitsForCallCompletion, callTimeout);

    const instanceId = Arn.split(props.connectInstanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    const modelId = props.modelId ?? DEFAULT_BEDROCK_MODEL_ID;

    this.callContextTable = props.callContextTable ?? new dynamodb.Table(this, 'CallContext', {
      partitionKey: { name: CALL_CONTEXT_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: CALL_CONTEXT_TTL_ATTRIBUTE,
    });

    // The handlers' roles name the state machine (SendTaskSuccess) while the state machine names their aliases: an
    // ARN built from a fixed name breaks that cycle.
    const stateMachineName = props.stateMachineName ?? Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    const stateMachineArn = stack.formatArn({
      service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const tableEnv = {
      [WORKFLOW_ENV.callContextTable]: this.callContextTable.tableName,
      [WORKFLOW_ENV.callContextTtlSeconds]: String((props.callContextTtl ?? callTimeout.plus(Duration.days(1))).toSeconds()),
    };
    const salesforceEnv = {
      [WORKFLOW_ENV.salesforceSecretId]: props.salesforceCredentials.secretArn,
      [WORKFLOW_ENV.externalIdField]: props.salesforceExternalIdField,
      // Marks a function that reads secrets through the runtime's cache (the latency checks look for it).
      FAST_LEX_RUNTIME: '1',
    };

    this.validateFunction = this.handler('ValidateRequest', 'demo-validate-request', WorkloadProfile.IO_BOUND,
      props.defaultPhoneCountry ? { [WORKFLOW_ENV.defaultPhoneCountry]: props.defaultPhoneCountry } : {});
    this.createLeadFunction = this.handler('CreateLead', 'demo-create-lead', WorkloadProfile.IO_BOUND, salesforceEnv);
    props.salesforceCredentials.grantRead(this.createLeadFunction);
    // 512 MB as the seed measured: 128 MB added 500 ms to every generation.
    this.generateScenarioFunction = this.handler('GenerateScenario', 'demo-generate-scenario', WorkloadProfile.ASYNC_WORKER, {
      [WORKFLOW_ENV.modelId]: modelId,
      [WORKFLOW_ENV.maxTokens]: String(props.maxTokens ?? 150),
      ...(props.scenarioPrompt ? { [WORKFLOW_ENV.scenarioPrompt]: props.scenarioPrompt } : {}),
    });
    grantBedrockInvoke(this.generateScenarioFunction, modelId);
    this.invokeOutboundCallFunction = this.handler('InvokeOutboundCall', 'demo-invoke-outbound-call', WorkloadProfile.IO_BOUND, {
      ...tableEnv,
      [WORKFLOW_ENV.connectInstanceId]: instanceId,
      [WORKFLOW_ENV.contactFlowId]: props.contactFlowId,
      ...(props.sourcePhoneNumber ? { [WORKFLOW_ENV.sourcePhoneNumber]: props.sourcePhoneNumber } : {}),
      ...(props.queueId ? { [WORKFLOW_ENV.queueId]: props.queueId } : {}),
    });
    this.grantTable(this.invokeOutboundCallFunction, 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    this.grantOutboundCall(this.invokeOutboundCallFunction, props.connectInstanceArn);
    this.updateLeadFunction = this.handler('UpdateLead', 'demo-update-lead', WorkloadProfile.IO_BOUND, salesforceEnv);
    props.salesforceCredentials.grantRead(this.updateLeadFunction);

    const taskResponse = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];
    if (this.waitsForCallCompletion) {
      this.awaitCallFunction = this.handler('AwaitCall', 'demo-await-call', WorkloadProfile.IO_BOUND, tableEnv);
      this.grantTable(this.awaitCallFunction, 'dynamodb:UpdateItem');
      this.awaitCallFunction.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: taskResponse, resources: [stateMachineArn] }));
    }
    this.callCompletedFunction = this.handler('CallCompleted', 'demo-call-completed', WorkloadProfile.IO_BOUND, {
      ...tableEnv,
      [WORKFLOW_ENV.workflowMode]: this.waitsForCallCompletion ? 'STANDARD' : 'EXPRESS',
      ...(this.waitsForCallCompletion ? {} : salesforceEnv),
    });
    this.grantTable(this.callCompletedFunction, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    if (this.waitsForCallCompletion) {
      this.callCompletedFunction.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: taskResponse, resources: [stateMachineArn] }));
    } else {
      props.salesforceCredentials.grantRead(this.callCompletedFunction);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: this.workflowType,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(callTimeout, props.callHeartbeat)),
      // Express history exists only in these logs, so every event is logged; execution data (the phone number) is not.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: props.logExecutionData ?? false },
      tracingEnabled: true,
      timeout: this.waitsForCallCompletion ? callTimeout.plus(Duration.minutes(15)) : Duration.minutes(5),
    });

    this.contactEventDeadLetterQueue = new sqs.Queue(this, 'ContactEventDlq', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    const eventTypes = ['DISCONNECTED', ...(this.waitsForCallCompletion && props.callHeartbeat ? ['INITIATED', 'CONNECTED_TO_SYSTEM', 'CONNECTED_TO_AGENT', 'QUEUED'] : [])];
    this.contactEventRule = new events.Rule(this, 'ContactEvents', {
      description: `Amazon Connect contact events of ${this.node.path}: ${eventTypes.join(', ')}`,
      eventPattern: {
        source: ['aws.connect'],
        detailType: ['Amazon Connect Contact Event'],
        detail: { eventType: eventTypes, instanceArn: [props.connectInstanceArn] },
      },
      targets: [new targets.LambdaFunction(this.callCompletedFunction.alias, {
        deadLetterQueue: this.contactEventDeadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      })],
    });

    this.acknowledgeNagFindings(props);
  }

  /** Lets `grantee` start executions (and synchronous ones, for Express): e.g. the Lex fulfillment function. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    const grant = this.stateMachine.grantStartExecution(grantee);
    if (this.workflowType === sfn.StateMachineType.EXPRESS) this.stateMachine.grantStartSyncExecution(grantee);
    return grant;
  }

  /** Lets `grantee` read call context by key (GetItem only): what the Lex fulfillment handler needs during a call. */
  public grantReadCallContext(grantee: iam.IGrantable): iam.Grant {
    const grant = this.callContextTable.grant(grantee, 'dynamodb:GetItem');
    this.callContextTable.encryptionKey?.grantDecrypt(grantee);
    return grant;
  }

  /** Exactly the item actions a handler uses (CDK's grantReadWriteData would add Scan, Query, batch and stream reads). */
  private grantTable(fn: RightSizedFunction, ...actions: string[]): void {
    this.callContextTable.grant(fn, ...actions);
    this.callContextTable.encryptionKey?.grantEncryptDecrypt(fn);
  }

  private handler(id: string, bundle: string, profile: WorkloadProfile, environment: { [key: string]: string }): RightSizedFunction {
    return new RightSizedFunction(this, id, {
      profile,
      code: prebundledHandler(bundle),
      environment,
      serviceName: `demo-call-workflow-${bundle.replace(/^demo-/, '')}`,
      description: `DemoCallWorkflow ${id} (${this.node.path})`,
    });
  }

  private definition(callTimeout: Duration, heartbeat: Duration | undefined): sfn.IChainable {
    // States live in their own scope: their ids are the state names, which repeat the functions' ids.
    const scope = new Construct(this, 'States');
    const retryable = (task: tasks.LambdaInvoke, errors: string[]): tasks.LambdaInvoke => {
      task.addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(8), jitterStrategy: sfn.JitterType.FULL });
      if (errors.length) {
        task.addRetry({ errors, interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2, maxDelay: Duration.seconds(10), jitterStrategy: sfn.JitterType.FULL });
      }
      return task;
    };
    const invoke = (id: string, fn: RightSizedFunction, payload: sfn.TaskInput, resultPath: string | undefined, errors: string[]) => retryable(new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn.alias,
      payload,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false, // replaced by a retry with jitter, above
      resultPath, // undefined: the result replaces the state's input (the ASL default)
    }), errors);

    const failed = new sfn.Fail(scope, 'DemoCallFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const markLeadFailed = invoke('MarkLeadFailed', this.updateLeadFunction, sfn.TaskInput.fromObject({
      mode: 'FAILED',
      leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
      request: sfn.JsonPath.objectAt('$.request'),
      error: sfn.JsonPath.objectAt('$.error'),
    }), sfn.JsonPath.DISCARD, ['LeadServiceUnavailableError']);
    markLeadFailed.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.markLeadError' });
    markLeadFailed.next(failed);
    const onFailure = (state: tasks.LambdaInvoke | sfn.Parallel) => state.addCatch(markLeadFailed, { errors: ['States.ALL'], resultPath: '$.error' });

    // No Catch: a bad request fails the execution with InvalidDemoRequestError before any side effect.
    const validate = invoke('ValidateRequest', this.validateFunction, sfn.TaskInput.fromObject({
      input: sfn.JsonPath.entirePayload,
      executionId: sfn.JsonPath.executionId,
      executionName: sfn.JsonPath.executionName,
    }), undefined, []);

    // The scenario does not need the lead id: both calls run at once, so the slower one alone is on the critical path.
    const createLead = invoke('CreateLead', this.createLeadFunction, sfn.TaskInput.fromObject({
      request: sfn.JsonPath.objectAt('$.request'),
      leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
    }), undefined, ['LeadServiceUnavailableError']);
    const generateScenario = invoke('GenerateScenario', this.generateScenarioFunction, sfn.TaskInput.fromObject({
      request: sfn.JsonPath.objectAt('$.request'),
    }), undefined, ['ScenarioGenerationThrottledError']);
    const leadAndScenario = new sfn.Parallel(scope, 'CreateLeadAndScenario', {
      resultSelector: { 'lead.$': '$[0]', 'scenario.$': '$[1]' },
      resultPath: '$.prepared',
    }).branch(createLead).branch(generateScenario);
    onFailure(leadAndScenario);

    const prepare = new sfn.Pass(scope, 'PrepareCallContext', {
      parameters: {
        'request.$': '$.request',
        'leadExternalId.$': '$.leadExternalId',
        'leadId.$': '$.prepared.lead.leadId',
        call: {
          'interactionKey.$': '$.interactionKey',
          'clientToken.$': '$.clientToken',
          'phone.$': '$.request.lead.phone',
          'scenario.$': '$.prepared.scenario.scenario',
          'leadId.$': '$.prepared.lead.leadId',
          'leadExternalId.$': '$.leadExternalId',
        },
      },
    });

    const placeCall = invoke('InvokeOutboundCall', this.invokeOutboundCallFunction, sfn.TaskInput.fromObject({
      interactionKey: sfn.JsonPath.stringAt('$.call.interactionKey'),
      clientToken: sfn.JsonPath.stringAt('$.call.clientToken'),
      phone: sfn.JsonPath.stringAt('$.call.phone'),
      scenario: sfn.JsonPath.stringAt('$.call.scenario'),
      leadId: sfn.JsonPath.stringAt('$.call.leadId'),
      leadExternalId: sfn.JsonPath.stringAt('$.call.leadExternalId'),
    }), '$.placed', ['OutboundCallThrottledError']);
    onFailure(placeCall);

    const chain = validate.next(leadAndScenario).next(prepare).next(placeCall);
    if (!this.waitsForCallCompletion) {
      return chain.next(new sfn.Pass(scope, 'CallPlaced', {
        parameters: { 'interactionKey.$': '$.call.interactionKey', 'contactId.$': '$.placed.contactId', 'leadId.$': '$.leadId' },
      }));
    }

    const wait = new tasks.LambdaInvoke(scope, 'WaitForCallCompletion', {
      lambdaFunction: this.awaitCallFunction!.alias,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        interactionKey: sfn.JsonPath.stringAt('$.call.interactionKey'),
        contactId: sfn.JsonPath.stringAt('$.placed.contactId'),
      }),
      taskTimeout: sfn.Timeout.duration(callTimeout),
      heartbeatTimeout: heartbeat ? sfn.Timeout.duration(heartbeat) : undefined,
      retryOnServiceExceptions: false,
      resultPath: '$.outcome',
    });
    wait.addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(1), maxAttempts: 3, backoffRate: 2, maxDelay: Duration.seconds(8), jitterStrategy: sfn.JitterType.FULL });
    // A lost DISCONNECTED event (contact events are best-effort) ends here, not in an execution that waits forever.
    const unknown = new sfn.Pass(scope, 'CallOutcomeUnknown', {
      result: sfn.Result.fromObject({ status: 'UNKNOWN', reason: 'NO_CALL_EVENT' }),
      resultPath: '$.outcome',
    });
    wait.addCatch(unknown, { errors: ['States.Timeout', 'States.HeartbeatTimeout'], resultPath: '$.waitError' });
    onFailure(wait);

    // After the call: off the critical path (start -> call placed).
    const updateLead = invoke('UpdateLead', this.updateLeadFunction, sfn.TaskInput.fromObject({
      mode: 'OUTCOME',
      leadId: sfn.JsonPath.stringAt('$.leadId'),
      leadExternalId: sfn.JsonPath.stringAt('$.leadExternalId'),
      outcome: sfn.JsonPath.objectAt('$.outcome'),
    }), '$.leadUpdate', ['LeadServiceUnavailableError']);
    onFailure(updateLead);
    const done = new sfn.Pass(scope, 'CallDone', {
      parameters: {
        'interactionKey.$': '$.call.interactionKey', 'contactId.$': '$.placed.contactId', 'leadId.$': '$.leadId', 'outcome.$': '$.outcome',
      },
    });
    unknown.next(updateLead);
    return chain.next(wait).next(updateLead).next(done);
  }

  /**
   * StartOutboundVoiceContact authorizes on the contact resource it creates (Service Authorization Reference:
   * resource type `contact`, `instance/{InstanceId}/contact/{ContactId}`), so the grant is limited to contacts of
   * this instance; the flow and number cannot be narrowed in IAM and are fixed in the function's configuration.
   */
  private grantOutboundCall(fn: RightSizedFunction, instanceArn: string): void {
    fn.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['connect:StartOutboundVoiceContact'],
      resources: [`${instanceArn}/contact/*`],
    }));
  }

  private acknowledgeNagFindings(props: DemoCallWorkflowProps): void {
    const stack = Stack.of(this);
    Validations.of(this.invokeOutboundCallFunction.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::' + resolveForNag(stack, `${props.connectInstanceArn}/contact/*`) + ']',
      reason: 'StartOutboundVoiceContact authorizes on the contact it creates, whose id is not known before the call; the grant is limited to contacts of this instance.',
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery, ...) support no resource-level permissions; Step Functions needs them on *.',
    });
    Validations.of(this.contactEventDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the contact-event rule target; it needs no dead-letter queue of its own.',
    });
  }
}

function validateProps(id: string, props: DemoCallWorkflowProps, express: boolean, wait: boolean, callTimeout: Duration): void {
  const where = `DemoCallWorkflow '${id}'`;
  if (express && wait) {
    throw new Error(`${where}: 'waitForCallCompletion' cannot be used with an EXPRESS workflow. Express workflows support only the `
      + 'Request/Response integration pattern (no .waitForTaskToken, no .sync) and run at most 5 minutes, shorter than a phone call. '
      + 'Use workflowType STANDARD to wait for the call, or keep EXPRESS with waitForCallCompletion false: the execution then ends once '
      + 'the call is placed and the DISCONNECTED contact event updates the lead.');
  }
  if (!props.sourcePhoneNumber && !props.queueId) {
    throw new Error(`${where}: set 'sourcePhoneNumber' (the caller id, E.164) or 'queueId': StartOutboundVoiceContact needs one of them.`);
  }
  if (props.defaultPhoneCountry !== undefined && !Token.isUnresolved(props.defaultPhoneCountry) && !/^[A-Z]{2}$/.test(props.defaultPhoneCountry)) {
    throw new Error(`${where}: 'defaultPhoneCountry' must be a two-letter ISO 3166-1 country code such as 'US', got '${props.defaultPhoneCountry}'.`);
  }
  if (props.sourcePhoneNumber && !Token.isUnresolved(props.sourcePhoneNumber) && !/^\+[1-9]\d{6,14}$/.test(props.sourcePhoneNumber)) {
    throw new Error(`${where}: 'sourcePhoneNumber' must be an E.164 number such as +14155550100.`);
  }
  if (!Token.isUnresolved(props.connectInstanceArn) && !/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/.test(props.connectInstanceArn)) {
    throw new Error(`${where}: 'connectInstanceArn' must be an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>), got '${props.connectInstanceArn}'.`);
  }
  if (!Token.isUnresolved(props.contactFlowId) && !/^[0-9a-f-]{36}$/.test(props.contactFlowId)) {
    throw new Error(`${where}: 'contactFlowId' must be the flow's id (the GUID after /contact-flow/ in its ARN).`);
  }
  if (!Token.isUnresolved(props.salesforceExternalIdField) && !/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(props.salesforceExternalIdField)) {
    throw new Error(`${where}: 'salesforceExternalIdField' must be a field API name such as Demo_Request_Id__c.`);
  }
  if (props.maxTokens !== undefined && !Token.isUnresolved(props.maxTokens) && (!Number.isInteger(props.maxTokens) || props.maxTokens < 1)) {
    throw new Error(`${where}: 'maxTokens' must be a whole number of 1 or more, got ${props.maxTokens}.`);
  }
  if (!callTimeout.isUnresolved() && (callTimeout.toSeconds() < 1 || callTimeout.toDays({ integral: false }) > 365)) {
    throw new Error(`${where}: 'callTimeout' must be between 1 second and 1 year.`);
  }
  if (props.callHeartbeat && !props.callHeartbeat.isUnresolved() && !callTimeout.isUnresolved() && props.callHeartbeat.toSeconds() >= callTimeout.toSeconds()) {
    throw new Error(`${where}: 'callHeartbeat' must be shorter than 'callTimeout'.`);
  }
}
