// The Lex V2 code hook event and response, as the Lex V2 developer guide describes them ("Lambda input/response
// format"). Every field Lex may omit is optional, and unknown fields are allowed: Lex adds fields over time.

export type LexInvocationSource = 'DialogCodeHook' | 'FulfillmentCodeHook';
export type LexInputMode = 'Text' | 'Speech' | 'DTMF';
export type LexDialogActionType = 'Close' | 'ConfirmIntent' | 'Delegate' | 'ElicitIntent' | 'ElicitSlot';
export type LexIntentState = 'Failed' | 'Fulfilled' | 'FulfillmentInProgress' | 'InProgress' | 'ReadyForFulfillment' | 'Waiting';
export type LexConfirmationState = 'Confirmed' | 'Denied' | 'None';

export interface LexSlotValue {
  originalValue?: string;
  interpretedValue?: string;
  resolvedValues?: string[];
  [extra: string]: unknown;
}

export interface LexSlot {
  shape?: 'Scalar' | 'List' | 'Composite';
  value?: LexSlotValue;
  values?: LexSlot[];
  subSlots?: Record<string, LexSlot | null>;
  [extra: string]: unknown;
}

export interface LexIntent {
  name: string;
  slots?: Record<string, LexSlot | null>;
  state?: LexIntentState;
  confirmationState?: LexConfirmationState;
  [extra: string]: unknown;
}

export interface LexSessionState {
  activeContexts?: unknown[];
  sessionAttributes?: Record<string, string>;
  runtimeHints?: unknown;
  dialogAction?: { type: LexDialogActionType; slotToElicit?: string; [extra: string]: unknown };
  intent?: LexIntent;
  originatingRequestId?: string;
  [extra: string]: unknown;
}

export interface LexInterpretation {
  intent: LexIntent;
  nluConfidence?: number;
  interpretationSource?: 'Bedrock' | 'Lex';
  sentimentResponse?: unknown;
  [extra: string]: unknown;
}

export interface LexV2Event {
  messageVersion: string;
  invocationSource: LexInvocationSource;
  inputMode: LexInputMode;
  responseContentType: string;
  sessionId: string;
  inputTranscript?: string;
  rawInputTranscript?: string;
  invocationLabel?: string;
  bot: { id: string; name: string; aliasId: string; aliasName?: string; localeId: string; version: string; [extra: string]: unknown };
  interpretations?: LexInterpretation[];
  proposedNextState?: unknown;
  requestAttributes?: Record<string, string>;
  sessionState: LexSessionState;
  transcriptions?: unknown[];
  [extra: string]: unknown;
}

export type LexMessage =
  | { contentType: 'PlainText' | 'SSML' | 'CustomPayload'; content: string }
  | { contentType: 'ImageResponseCard'; imageResponseCard: { title: string; subtitle?: string; imageUrl?: string; buttons?: { text: string; value: string }[] } };

export interface LexV2Response {
  sessionState: LexSessionState & { dialogAction: { type: LexDialogActionType; slotToElicit?: string } };
  messages?: LexMessage[];
  requestAttributes?: Record<string, string>;
}
