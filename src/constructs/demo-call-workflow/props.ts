// The props of DemoCallWorkflow: where the calls go, the lead's Salesforce, the scenario, the wait, the tables.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IOutboundCallFlow } from '../lex-call-flow';

/**
 * Settings for a call-context table that the construct creates.
 */
export interface CallContextTableOptions {
  /**
   * A customer managed KMS key for encryption at rest.
   * @default - encrypted at rest with an AWS managed key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Point-in-time recovery.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * What happens to the table when it leaves the stack. Its items live a day after their call.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Properties of a `DemoCallWorkflow`.
 */
export interface DemoCallWorkflowProps {
  /**
   * The Connect flow the call runs, with its instance and caller id: a `LexCallFlow`, which hands the call to the bot.
   * Conflicts with `connectInstanceArn` and `contactFlowId`.
   * @default - `connectInstanceArn` and `contactFlowId` name a flow of your own
   */
  readonly callFlow?: IOutboundCallFlow;
  /**
   * ARN of the Amazon Connect instance, e.g. `arn:aws:connect:us-west-2:111122223333:instance/<id>`, when the flow is
   * not a `callFlow`.
   * @default - the instance of `callFlow`
   */
  readonly connectInstanceArn?: string;
  /**
   * Id (GUID) of a contact flow of your own that runs the call (it should hand the caller to the Lex bot, copying the
   * `interactionKey` contact attribute into the Lex session attributes).
   * @default - the flow of `callFlow`
   */
  readonly contactFlowId?: string;
  /**
   * Caller id of the outbound call, E.164, claimed in the instance. One of `sourcePhoneNumber` and `queueId` is
   * needed, unless `callFlow` comes with a caller id.
   * @default - the caller id of `callFlow`, else the queue's outbound caller id
   */
  readonly sourcePhoneNumber?: string;
  /**
   * The country (ISO 3166-1 alpha-2, e.g. 'US') whose national phone numbers the request may carry. Lex's
   * AMAZON.PhoneNumber slot gives a spoken US number as `2065550100`, without `+1`; with 'US' it is read as +12065550100.
   * @default - only international numbers (`+` and country code) are accepted
   */
  readonly defaultPhoneCountry?: string;
  /**
   * Countries (ISO 3166-1 alpha-2) whose numbers may be called; any other number is refused before anything happens
   * (toll fraud: a caller cannot make you dial abroad).
   * @default - the `defaultPhoneCountry` alone when it is set, else any country
   */
  readonly allowedPhoneCountries?: string[];
  /**
   * Number types that may be called (libphonenumber-js types: MOBILE, FIXED_LINE, FIXED_LINE_OR_MOBILE, PREMIUM_RATE,
   * TOLL_FREE, SHARED_COST, VOIP, PERSONAL_NUMBER, PAGER, UAN, VOICEMAIL). Premium-rate and shared-cost numbers cost
   * you money per minute: the default refuses them.
   * @default - MOBILE, FIXED_LINE and FIXED_LINE_OR_MOBILE
   */
  readonly allowedPhoneTypes?: string[];
  /**
   * Outbound calls per second the workflow places across all executions (your StartOutboundVoiceContact quota): a
   * burst of requests gets its calls later rather than TooManyRequestsException.
   * @default 2 (Amazon Connect's default quota)
   */
  readonly outboundCallsPerSecond?: number;
  /**
   * Calls placed at once after a quiet spell.
   * @default 5 (Amazon Connect's default burst)
   */
  readonly outboundCallBurst?: number;
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
   * @default DEFAULT_BEDROCK_MODEL_ID (Claude Haiku 4.5, US inference profile)
   */
  readonly modelId?: string;
  /**
   * Instructions for the scenario (the prospect's first name, company and context are appended; never the phone).
   * @default - a short, friendly demo scenario of at most 80 words
   */
  readonly scenarioPrompt?: string;
  /**
   * Maximum output tokens of the scenario.
   * @default DEFAULT_MAX_TOKENS (150)
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
   * @default Duration.minutes(20) (a demo call plus its ringing; a longer call ends as UNKNOWN, then its late event updates the Lead)
   */
  readonly callTimeout?: Duration;
  /**
   * Heartbeat of the wait: any contact event of the call (INITIATED, CONNECTED_TO_SYSTEM, ...) counts as a beat.
   * It must exceed the longest gap between contact events, which for a connected call is the conversation itself.
   * @default - no heartbeat; `callTimeout` alone bounds the wait
   */
  readonly callHeartbeat?: Duration;
  /**
   * A call-context table of your own: partition key `pk` (string), TTL attribute `ttl`. Conflicts with
   * `callContextTableProps`.
   * @default - a new table from `callContextTableProps`
   */
  readonly existingCallContextTable?: dynamodb.ITable;
  /**
   * Settings of the call-context table the construct creates. Conflicts with `existingCallContextTable`.
   * @default - on-demand, AWS managed key, point-in-time recovery, TTL, retained on removal
   */
  readonly callContextTableProps?: CallContextTableOptions;
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
