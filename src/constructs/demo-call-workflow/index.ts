// The lead-to-outbound-call workflow, with the call placed as soon as the request is valid (beside CreateLead and
// GenerateScenario) and a call-completion wait that Express workflows cannot do. The state machine definition, the call-context table and the synth-time checks live
// beside this file.
import { Arn, ArnFormat, Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../shared/bedrock-defaults';
import { DEFAULT_MAX_TOKENS } from '../../shared/defaults';
import { DEMO_REQUEST_PHONE_FIELD, DEMO_REQUEST_REQUIRED_FIELDS } from '../../shared/demo-request-schema';
import { FAST_LEX_ENV } from '../../shared/env';
import { DEFAULT_CALL_BURST, DEFAULT_CALL_RATE_PER_SECOND } from '../../shared/fault-tolerance';
import { grantBedrockInvoke } from '../bedrock-access';
import type { ICallContextSource } from '../call-context-source';
import type { IWorkflowInputContract } from '../workflow-input-contract';
import { prebundledHandler } from '../handler-code';
import { resolveForNag } from '../nag-ids';
import { RightSizedFunction, WorkloadProfile } from '../right-sized-function';
import { createCallContextTable } from './call-context-table';
import { demoCallDefinition } from './definition';
import type { DemoCallWorkflowProps } from './props';
import { validateDemoCallWorkflowProps } from './validate';

/**
 * The lead-to-outbound-call workflow: validate the request, then place the Amazon Connect call at once (paced to the
 * account's rate; idempotent: the ClientToken comes from the execution) while the Salesforce Lead is created and the
 * call scenario generated with Bedrock, each written to the call as it comes (the first turn of the call waits a
 * bounded time for a scenario still on its way); wait for the call to end (resumed by the `DISCONNECTED` contact
 * event, with a timeout fallback) and update the Lead. Every task retries with backoff and full jitter. A failure
 * before the call was placed falls through to a failure path that marks the Lead and keeps the request; after it, a
 * Lead that cannot be written keeps the request (the `SpentRequestKept` alarm) and a scenario that cannot be generated
 * leaves the bot's intent-level answers (the execution's output says `scenario: UNAVAILABLE`), and the call goes on.
 *
 * Execution input (JSON; unknown fields are ignored; the Validate step refuses anything else, naming the field):
 *
 * | Field | Type | Required | Rule |
 * |---|---|---|---|
 * | `lead.lastName` | string | yes | 1-80 characters |
 * | `lead.company` | string | yes | 1-255 characters |
 * | `lead.phone` | string | yes | E.164 (`+14155550100`; spaces and dashes removed), or a national number of `defaultPhoneCountry` |
 * | `lead.firstName` | string | no | at most 40 characters |
 * | `lead.email` | string | no | an email address, at most 80 characters |
 * | `requestId` | string | no | 1-80 of `[A-Za-z0-9_.:-]`; the Lead's external id, so two executions of one request update one Lead. Default: the execution name |
 * | `context` | object of strings | no | each at most 500 characters; goes into the scenario prompt (never the phone) |
 *
 * A `CachedLexFulfillment` workflow intent builds this input from slots with `inputSlots`, e.g.
 * `{ 'lead.lastName': 'LastName', 'lead.company': 'Company', 'lead.phone': 'PhoneNumber' }`.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 *
 * const stack = new Stack(new App(), 'Demo');
 * declare const callFlow: LexCallFlow; // hands the call to the bot, with a claimed caller id
 * const workflow = new DemoCallWorkflow(stack, 'DemoCalls', {
 *   callFlow,
 *   salesforceCredentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Sf', 'salesforce/jwt'),
 *   salesforceExternalIdField: 'Demo_Request_Id__c',
 * });
 * // workflow.grantStartExecution(fulfillmentFunction); workflow.grantReadCallContext(fulfillmentFunction);
 */
export class DemoCallWorkflow extends Construct implements ICallContextSource, IWorkflowInputContract {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /**
   * The state machine referred to by its name, not by a CloudFormation reference. Start executions through it from a
   * function the workflow itself depends on: a `CachedLexFulfillment` whose bot alias the workflow's `LexCallFlow`
   * names (`addWorkflowIntent({ workflow, ... })` starts it through this) would otherwise close a
   * dependency cycle (fulfillment -> state machine -> call step -> flow -> bot alias -> fulfillment).
   */
  public readonly stateMachineByName: sfn.IStateMachine;
  /**
   * What the Validate step requires in the execution input: `lead.lastName`, `lead.company` and `lead.phone` (the
   * whole input schema is in the class documentation).
   */
  public readonly requiredInputPaths: string[] = [...DEMO_REQUEST_REQUIRED_FIELDS];
  /** The input path of the prospect's phone number. */
  public readonly phoneInputPath?: string = DEMO_REQUEST_PHONE_FIELD;
  /** The country national phone numbers are read in; undefined: only E.164. */
  public readonly defaultPhoneCountry?: string;

  /**
   * The state machine, as `IWorkflowInputContract` names it (a `CachedLexFulfillment` workflow intent starts it): by
   * name, so a fulfillment whose bot alias this workflow's call flow names closes no dependency cycle.
   */
  public get workflowStateMachine(): sfn.IStateMachine {
    return this.stateMachineByName;
  }
  /** ARN of the Amazon Connect instance that places the calls. */
  public readonly connectInstanceArn: string;
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
  /** Upserts the Lead and writes its id to the call. */
  public readonly createLeadFunction: RightSizedFunction;
  /** Generates the scenario with Bedrock and writes it to the call. */
  public readonly generateScenarioFunction: RightSizedFunction;
  /** Paces and places the call, and opens its call context. */
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
  /** The phone rules the Validate step applies (`PhoneRules` JSON), for the Lex boundary to apply too. */
  public readonly phoneRulesJson?: string;

  constructor(scope: Construct, id: string, props: DemoCallWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.workflowType = props.workflowType ?? sfn.StateMachineType.STANDARD;
    const express = this.workflowType === sfn.StateMachineType.EXPRESS;
    this.waitsForCallCompletion = props.waitForCallCompletion ?? !express;
    const callTimeout = props.callTimeout ?? Duration.minutes(20);
    const call = validateDemoCallWorkflowProps(id, props, express, this.waitsForCallCompletion, callTimeout);
    this.connectInstanceArn = call.instanceArn;
    this.defaultPhoneCountry = props.defaultPhoneCountry;

    const instanceId = Arn.split(call.instanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    const modelId = props.modelId ?? DEFAULT_BEDROCK_MODEL_ID;

    this.callContextTable = props.existingCallContextTable ?? createCallContextTable(this, props.callContextTableProps ?? {});

    // The handlers' roles name the state machine (SendTaskSuccess) while the state machine names their aliases: an
    // ARN built from a fixed name breaks that cycle.
    const stateMachineName = props.stateMachineName ?? Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    const stateMachineArn = stack.formatArn({
      service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const tableEnv = {
      [FAST_LEX_ENV.callContextTable]: this.callContextTable.tableName,
      [FAST_LEX_ENV.callContextTtlSeconds]: String((props.callContextTtl ?? callTimeout.plus(Duration.days(1))).toSeconds()),
    };
    const salesforceEnv = {
      [FAST_LEX_ENV.salesforceSecretId]: props.salesforceCredentials.secretArn,
      [FAST_LEX_ENV.externalIdField]: props.salesforceExternalIdField,
      // Marks a function that reads secrets through the runtime's cache (the latency checks look for it).
      [FAST_LEX_ENV.runtimeMarker]: '1',
    };

    this.phoneRulesJson = stack.toJsonString(this.phoneRules(props));
    this.validateFunction = this.handler('ValidateRequest', 'demo-validate-request', WorkloadProfile.IO_BOUND, {
      ...(props.defaultPhoneCountry ? { [FAST_LEX_ENV.defaultPhoneCountry]: props.defaultPhoneCountry } : {}),
      [FAST_LEX_ENV.phoneRules]: this.phoneRulesJson,
    });
    // The table: the Lead's id is written to the call, which is already placed.
    this.createLeadFunction = this.handler('CreateLead', 'demo-create-lead', WorkloadProfile.IO_BOUND, { ...salesforceEnv, ...tableEnv });
    props.salesforceCredentials.grantRead(this.createLeadFunction);
    this.grantTable(this.createLeadFunction, 'dynamodb:UpdateItem');
    // 512 MB: at 128 MB every generation takes about 500 ms longer (CPU scales with memory).
    this.generateScenarioFunction = this.handler('GenerateScenario', 'demo-generate-scenario', WorkloadProfile.ASYNC_WORKER, {
      [FAST_LEX_ENV.modelId]: modelId,
      [FAST_LEX_ENV.maxTokens]: String(props.maxTokens ?? DEFAULT_MAX_TOKENS),
      ...(props.scenarioPrompt ? { [FAST_LEX_ENV.scenarioPrompt]: props.scenarioPrompt } : {}),
      ...tableEnv, // the scenario is written to the call, which is already ringing
    });
    grantBedrockInvoke(this.generateScenarioFunction, modelId);
    this.grantTable(this.generateScenarioFunction, 'dynamodb:UpdateItem');
    this.invokeOutboundCallFunction = this.handler('InvokeOutboundCall', 'demo-invoke-outbound-call', WorkloadProfile.IO_BOUND, {
      ...tableEnv,
      [FAST_LEX_ENV.connectInstanceId]: instanceId,
      [FAST_LEX_ENV.contactFlowId]: call.contactFlowId,
      ...(call.sourcePhoneNumber ? { [FAST_LEX_ENV.sourcePhoneNumber]: call.sourcePhoneNumber } : {}),
      ...(props.queueId ? { [FAST_LEX_ENV.queueId]: props.queueId } : {}),
      [FAST_LEX_ENV.callRatePerSecond]: String(props.outboundCallsPerSecond ?? DEFAULT_CALL_RATE_PER_SECOND),
      [FAST_LEX_ENV.callBurst]: String(props.outboundCallBurst ?? DEFAULT_CALL_BURST),
    });
    this.grantTable(this.invokeOutboundCallFunction, 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    this.grantOutboundCall(this.invokeOutboundCallFunction, call.instanceArn);
    // The table: the outcome a late event stored, and the spent requests the failure path keeps.
    this.updateLeadFunction = this.handler('UpdateLead', 'demo-update-lead', WorkloadProfile.IO_BOUND, {
      ...salesforceEnv, ...tableEnv, [FAST_LEX_ENV.connectInstanceId]: instanceId,
    });
    props.salesforceCredentials.grantRead(this.updateLeadFunction);
    this.grantTable(this.updateLeadFunction, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.grantOnContacts(this.updateLeadFunction, call.instanceArn, 'connect:DescribeContact');

    const taskResponse = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];
    if (this.waitsForCallCompletion) {
      this.awaitCallFunction = this.handler('AwaitCall', 'demo-await-call', WorkloadProfile.IO_BOUND, tableEnv);
      // PutItem: the contact link, when the call step could not write it after the dial.
      this.grantTable(this.awaitCallFunction, 'dynamodb:UpdateItem', 'dynamodb:PutItem');
      this.awaitCallFunction.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: taskResponse, resources: [stateMachineArn] }));
    }
    this.callCompletedFunction = this.handler('CallCompleted', 'demo-call-completed', WorkloadProfile.IO_BOUND, {
      ...tableEnv,
      [FAST_LEX_ENV.workflowMode]: this.waitsForCallCompletion ? 'STANDARD' : 'EXPRESS',
      // EXPRESS: it updates the Lead; STANDARD: it does when the event comes after the wait timed out.
      ...salesforceEnv,
    });
    this.grantTable(this.callCompletedFunction, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    props.salesforceCredentials.grantRead(this.callCompletedFunction);
    if (this.waitsForCallCompletion) {
      this.callCompletedFunction.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: taskResponse, resources: [stateMachineArn] }));
    }

    this.stateMachineByName = sfn.StateMachine.fromStateMachineArn(this, 'StateMachineByName', stateMachineArn);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: this.workflowType,
      definitionBody: sfn.DefinitionBody.fromChainable(demoCallDefinition(this, {
        validate: this.validateFunction,
        createLead: this.createLeadFunction,
        generateScenario: this.generateScenarioFunction,
        invokeOutboundCall: this.invokeOutboundCallFunction,
        awaitCall: this.awaitCallFunction,
        updateLead: this.updateLeadFunction,
      }, callTimeout, props.callHeartbeat)),
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
        detail: { eventType: eventTypes, instanceArn: [call.instanceArn] },
      },
      targets: [new targets.LambdaFunction(this.callCompletedFunction.alias, {
        deadLetterQueue: this.contactEventDeadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      })],
    });

    this.acknowledgeNagFindings(call.instanceArn);
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

  /** The Validate step's phone rules (`PhoneRules`). */
  private phoneRules(props: DemoCallWorkflowProps): { allowedCountries?: string[]; allowedTypes?: string[]; defaultCountry?: string } {
    const countries = props.allowedPhoneCountries ?? (props.defaultPhoneCountry ? [props.defaultPhoneCountry] : undefined);
    return {
      ...(countries ? { allowedCountries: countries } : {}),
      ...(props.allowedPhoneTypes ? { allowedTypes: props.allowedPhoneTypes } : {}),
      ...(props.defaultPhoneCountry ? { defaultCountry: props.defaultPhoneCountry } : {}),
    };
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

  /**
   * StartOutboundVoiceContact authorizes on the contact resource it creates (Service Authorization Reference:
   * resource type `contact`, `instance/{InstanceId}/contact/{ContactId}`), so the grant is limited to contacts of
   * this instance; the flow and number cannot be narrowed in IAM and are fixed in the function's configuration.
   */
  private grantOutboundCall(fn: RightSizedFunction, instanceArn: string): void {
    this.grantOnContacts(fn, instanceArn, 'connect:StartOutboundVoiceContact');
  }

  /** An action on the contacts of this instance only (DescribeContact authorizes on the `contact` resource type too). */
  private grantOnContacts(fn: RightSizedFunction, instanceArn: string, action: string): void {
    fn.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources: [`${instanceArn}/contact/*`] }));
  }

  private acknowledgeNagFindings(instanceArn: string): void {
    const stack = Stack.of(this);
    Validations.of(this.invokeOutboundCallFunction.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::' + resolveForNag(stack, `${instanceArn}/contact/*`) + ']',
      reason: 'StartOutboundVoiceContact authorizes on the contact it creates, whose id is not known before the call; the grant is limited to contacts of this instance.',
    });
    Validations.of(this.updateLeadFunction.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::' + resolveForNag(stack, `${instanceArn}/contact/*`) + ']',
      reason: 'DescribeContact reads the contact this execution placed, whose id is known only at run time; the grant is limited to contacts of this instance.',
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

export * from './props';
