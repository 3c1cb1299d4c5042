// The environment variables the constructs write and the runtime reads: one name each, in one place.
// Endpoints are not here: the AWS SDK reads `AWS_ENDPOINT_URL_<SERVICE>` itself.

/** Every environment variable of the cdk-fast-lex handlers, by what it holds. */
export const FAST_LEX_ENV = {
  // Response cache (fulfillment function and generator worker)
  /** Name of the ResponseCacheTable. Required by the cache and the worker. */
  cacheTable: 'FAST_LEX_CACHE_TABLE',
  /** URL of the generation request queue. Required by the cache; the worker uses it for retry back-off. */
  generationQueueUrl: 'FAST_LEX_GENERATION_QUEUE_URL',
  /** The intents' cache configuration, `IntentCacheConfigs` as JSON (see `wire.ts`). Required by the cache. */
  intents: 'FAST_LEX_INTENTS',
  /** Bedrock model or inference profile id. Default `DEFAULT_BEDROCK_MODEL_ID`. */
  modelId: 'FAST_LEX_MODEL_ID',
  /** Bedrock maxTokens. Default `DEFAULT_MAX_TOKENS`. */
  maxTokens: 'FAST_LEX_MAX_TOKENS',
  /** Deadline of one Bedrock call in the worker, ms. Default 10000. */
  generationTimeoutMs: 'FAST_LEX_GENERATION_TIMEOUT_MS',
  /** Synchronous generation deadline on a miss, ms; 0 or unset: off. */
  syncDeadlineMs: 'FAST_LEX_SYNC_DEADLINE_MS',
  /** L1 bound, entries. Default 1000. */
  l1MaxEntries: 'FAST_LEX_L1_MAX_ENTRIES',
  /** L1 bound, bytes. Default 16777216. */
  l1MaxBytes: 'FAST_LEX_L1_MAX_BYTES',
  /** How long a refresh lease holds before another request may enqueue again, ms. Default 60000. */
  refreshLeaseMs: 'FAST_LEX_REFRESH_LEASE_MS',
  /** New-question generations one conversation may cause (per-question intents). Default `DEFAULT_GENERATIONS_PER_SESSION`. */
  generationsPerSession: 'FAST_LEX_GENERATIONS_PER_SESSION',
  /** New-question generations the whole bot may cause per minute. Default `DEFAULT_GENERATIONS_PER_MINUTE`. */
  generationsPerMinute: 'FAST_LEX_GENERATIONS_PER_MINUTE',
  /** Bedrock guardrail id applied to every generation; set together with `guardrailVersion`. */
  guardrailId: 'FAST_LEX_GUARDRAIL_ID',
  /** Bedrock guardrail version; set together with `guardrailId`. */
  guardrailVersion: 'FAST_LEX_GUARDRAIL_VERSION',

  // Lex fulfillment handler
  /** Intents that start a state machine, `WorkflowIntentConfigs` as JSON (see `wire.ts`). */
  workflows: 'FAST_LEX_WORKFLOWS',
  /** Intents answered like the fallback (ElicitIntent), comma-separated. Default `DEFAULT_FALLBACK_INTENTS`. */
  fallbackIntents: 'FAST_LEX_FALLBACK_INTENTS',
  /** What the user hears when the event cannot be understood or an answer cannot be made. Default `DEFAULT_APOLOGY`. */
  apology: 'FAST_LEX_APOLOGY',
  /** Prefix of the secrets a function may read: `FAST_LEX_SECRET_0`, `FAST_LEX_SECRET_1`, ... hold their ARNs. */
  secretPrefix: 'FAST_LEX_SECRET_',

  // Demo call workflow (and the fulfillment handler during a call)
  /** Name of the call-context table; the fulfillment handler reads the call's scenario from it by `interactionKey`. */
  callContextTable: 'FAST_LEX_CALL_CONTEXT_TABLE',
  /** How long call context is kept, seconds. Default `DEFAULT_CALL_CONTEXT_TTL_SECONDS`. */
  callContextTtlSeconds: 'FAST_LEX_CALL_CONTEXT_TTL_SECONDS',
  /** ARN or name of the secret holding the Salesforce JWT credentials JSON. */
  salesforceSecretId: 'FAST_LEX_SALESFORCE_SECRET_ID',
  /** API name of the Lead external-id field that Leads are upserted on. */
  externalIdField: 'FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD',
  /** Instructions for the call scenario. */
  scenarioPrompt: 'FAST_LEX_SCENARIO_PROMPT',
  /** Id of the Amazon Connect instance that places the call. */
  connectInstanceId: 'FAST_LEX_CONNECT_INSTANCE_ID',
  /** Id of the contact flow the call runs. */
  contactFlowId: 'FAST_LEX_CONTACT_FLOW_ID',
  /** Caller id of the outbound call, E.164. */
  sourcePhoneNumber: 'FAST_LEX_SOURCE_PHONE_NUMBER',
  /** Queue of the outbound call. */
  queueId: 'FAST_LEX_QUEUE_ID',
  /** ISO country whose national phone numbers the Validate step accepts (e.g. US). */
  defaultPhoneCountry: 'FAST_LEX_DEFAULT_PHONE_COUNTRY',
  /** STANDARD: the execution waits for the call (call-completed resumes it); EXPRESS: call-completed updates the lead. */
  workflowMode: 'FAST_LEX_WORKFLOW_MODE',

  // Web chat proxy (LexWebChat)
  /** The bot id the proxy sends RecognizeText to. Required. */
  webChatBotId: 'FAST_LEX_WEB_CHAT_BOT_ID',
  /** The bot alias id (a published alias, never `LEX_TEST_ALIAS_ID`). Required. */
  webChatBotAliasId: 'FAST_LEX_WEB_CHAT_BOT_ALIAS_ID',
  /** The locale the page talks in, e.g. `en_US`. Default `DEFAULT_WEB_CHAT_LOCALE_ID`. */
  webChatLocaleId: 'FAST_LEX_WEB_CHAT_LOCALE_ID',
  /** The DynamoDB table holding sessions, rate windows and idempotent answers. Required. */
  webChatTable: 'FAST_LEX_WEB_CHAT_TABLE',
  /** Messages a session may send per rate window. Default `DEFAULT_WEB_CHAT_RATE_LIMIT`. */
  webChatRateLimit: 'FAST_LEX_WEB_CHAT_RATE_LIMIT',
  /** Length of a rate window, seconds. Default `DEFAULT_WEB_CHAT_RATE_WINDOW_SECONDS`. */
  webChatRateWindowSeconds: 'FAST_LEX_WEB_CHAT_RATE_WINDOW_SECONDS',
  /** How long an issued session id stays valid, seconds. Default `DEFAULT_WEB_CHAT_SESSION_TTL_SECONDS`. */
  webChatSessionTtlSeconds: 'FAST_LEX_WEB_CHAT_SESSION_TTL_SECONDS',
  /**
   * Streaming of new answers: the response cache table the fulfillment writes generation tickets to. Unset: the proxy
   * never streams (every answer comes from Lex as one message).
   */
  webChatStreamCacheTable: 'FAST_LEX_WEB_CHAT_STREAM_CACHE_TABLE',
  /** Where a stream that failed hands its generation, so the next asker still gets the answer. Optional. */
  webChatStreamQueueUrl: 'FAST_LEX_WEB_CHAT_STREAM_QUEUE_URL',
  /** Longest a streamed answer may take, first word to last, ms. Default `DEFAULT_WEB_CHAT_STREAM_DEADLINE_MS`. */
  webChatStreamDeadlineMs: 'FAST_LEX_WEB_CHAT_STREAM_DEADLINE_MS',

  // The fault paths
  /** Longest a Lex turn may spend on DynamoDB, SQS and Step Functions, ms. Default `DEFAULT_TURN_BUDGET_MS`. */
  turnBudgetMs: 'FAST_LEX_TURN_BUDGET_MS',
  /** Phone number rules of the demo request, `PhoneRules` as JSON. Default `DEFAULT_PHONE_RULES`. */
  phoneRules: 'FAST_LEX_PHONE_RULES',
  /** Outbound calls per second the workflow paces to (StartOutboundVoiceContact's quota); unset: no pacing. */
  callRatePerSecond: 'FAST_LEX_CALL_RATE_PER_SECOND',
  /** Calls that may go at once after a quiet spell. Default `DEFAULT_CALL_BURST`. */
  callBurst: 'FAST_LEX_CALL_BURST',

  // Every function the constructs deploy
  /** Marks a function that runs the cdk-fast-lex runtime (cached secrets, warm clients); the latency checks read it. */
  runtimeMarker: 'FAST_LEX_RUNTIME',
} as const;
