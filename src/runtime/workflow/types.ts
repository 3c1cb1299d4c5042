// The data that flows through the lead-to-call workflow: the request, what each step returns, the call outcome.

/** The lead a demo is requested for. `phone` must be an international (E.164) number. */
export interface DemoLead {
  readonly firstName?: string;
  readonly lastName: string;
  readonly company: string;
  readonly email?: string;
  /** E.164, e.g. `+14155552671` (spaces and dashes are accepted and removed). */
  readonly phone: string;
}

/** What the caller of the workflow passes as execution input. Unknown fields are ignored. */
export interface DemoRequest {
  /**
   * Idempotency key of the request: the lead's external id in Salesforce, so two executions for the same request
   * update one lead. @default - the execution name
   */
  readonly requestId?: string;
  readonly lead: DemoLead;
  /** Free-form context for the scenario prompt (industry, product interest, notes). Never holds the phone number. */
  readonly context?: Readonly<Record<string, string>>;
}

/** The validated request plus the identifiers every later step derives from the execution. */
export interface ValidatedDemoRequest {
  readonly request: DemoRequest & { readonly requestId: string };
  /** Key of the call context; travels in the contact attributes and from there into the Lex session. */
  readonly interactionKey: string;
  /** Salesforce external id of the lead. */
  readonly leadExternalId: string;
  /** StartOutboundVoiceContact ClientToken: the same for every retry of this execution, so it dials once. */
  readonly clientToken: string;
}

/** The result of CreateLead. */
export interface CreatedLead {
  /** null only if Salesforce returned no id (API versions before 46.0 on update). JSONPath needs the key present. */
  readonly leadId: string | null;
  readonly created: boolean;
}

/** The result of GenerateScenario. */
export interface GeneratedScenario {
  readonly scenario: string;
  readonly modelId: string;
  readonly outputTokens: number;
}

/** The result of InvokeOutboundCall. */
export interface PlacedCall {
  readonly contactId: string;
  readonly interactionKey: string;
  /**
   * Whether the contact was linked to the call in the call-context table. False when that write kept failing after
   * the dial: the call was placed all the same, the wait step links it again, and UpdateLead asks Connect.
   */
  readonly linked?: boolean;
}

/** How a call ended, as the call-completed handler reports it (or the timeout path, as UNKNOWN). */
export interface CallOutcome {
  /** COMPLETED: the call connected and ended; NOT_CONNECTED: it never connected; UNKNOWN: no event arrived in time. */
  readonly status: 'COMPLETED' | 'NOT_CONNECTED' | 'UNKNOWN';
  readonly contactId?: string;
  /** Amazon Connect's `disconnectReason`, e.g. CUSTOMER_DISCONNECT. */
  readonly disconnectReason?: string;
  readonly durationSeconds?: number;
  readonly reason?: string;
}

/**
 * The call context stored under `CALL#{interactionKey}`, read by the Lex fulfillment handler during the call. A type
 * alias (not an interface) so it is assignable to `Record<string, unknown>`.
 */
export type CallContext = {
  readonly interactionKey: string;
  /** The generated scenario; empty until GenerateScenario has written it (the call is placed before). */
  readonly scenario: string;
  /** PENDING (being generated), READY (`scenario` holds it), UNAVAILABLE (generation failed: the bot answers without). */
  readonly scenarioStatus: 'PENDING' | 'READY' | 'UNAVAILABLE';
  readonly leadId?: string;
  readonly leadExternalId: string;
  readonly contactId?: string;
  /** PENDING (stored, call being placed), DIALED, COMPLETED. */
  readonly status: 'PENDING' | 'DIALED' | 'COMPLETED';
  readonly outcome?: CallOutcome;
  /** Epoch seconds after which DynamoDB TTL may delete the item. */
  readonly ttl: number;
  readonly createdAt: string;
};

/** The subset of an Amazon Connect contact event (EventBridge) the workflow reads. */
export interface ConnectContactEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail: {
    readonly contactId: string;
    readonly eventType: string;
    readonly instanceArn?: string;
    readonly disconnectReason?: string;
    readonly initiationTimestamp?: string;
    readonly connectedToSystemTimestamp?: string;
    readonly disconnectTimestamp?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}
