// Names shared by the DemoCallWorkflow construct and its handlers: environment variables and the table's key
// attributes. Dependency-free, so the jsii construct can import it without pulling in the AWS SDK.

/** The environment variables the workflow handlers read (set by the `DemoCallWorkflow` construct). */
export const WORKFLOW_ENV = {
  callContextTable: 'FAST_LEX_CALL_CONTEXT_TABLE',
  callContextTtlSeconds: 'FAST_LEX_CALL_CONTEXT_TTL_SECONDS',
  salesforceSecretId: 'FAST_LEX_SALESFORCE_SECRET_ID',
  externalIdField: 'FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD',
  modelId: 'FAST_LEX_MODEL_ID',
  maxTokens: 'FAST_LEX_MAX_TOKENS',
  scenarioPrompt: 'FAST_LEX_SCENARIO_PROMPT',
  connectInstanceId: 'FAST_LEX_CONNECT_INSTANCE_ID',
  contactFlowId: 'FAST_LEX_CONTACT_FLOW_ID',
  sourcePhoneNumber: 'FAST_LEX_SOURCE_PHONE_NUMBER',
  queueId: 'FAST_LEX_QUEUE_ID',
  /** ISO country whose national phone numbers the Validate step accepts (e.g. US). */
  defaultPhoneCountry: 'FAST_LEX_DEFAULT_PHONE_COUNTRY',
  /** STANDARD: the execution waits for the call (call-completed resumes it); EXPRESS: call-completed updates the lead. */
  workflowMode: 'FAST_LEX_WORKFLOW_MODE',
} as const;

/** Partition key attribute of the call-context table (string). */
export const CALL_CONTEXT_PARTITION_KEY = 'pk';
/** TTL attribute of the call-context table (epoch seconds). */
export const CALL_CONTEXT_TTL_ATTRIBUTE = 'ttl';
/** How long call context is kept when nobody says otherwise: one day. */
export const DEFAULT_CALL_CONTEXT_TTL_SECONDS = 86_400;
