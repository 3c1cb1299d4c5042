// cdk-fast-lex/runtime/lex: Lex V2 code hooks: the fulfillment handler factory, event parsing, response builders and
// the bounded conversation history.
export { LexEventError } from './errors';
export {
  INTERACTION_KEY_ATTRIBUTE,
  createFulfillmentHandler,
  fulfillmentOptionsFromEnvironment,
  type CallContextReader,
  type CustomRoute,
  type FulfillmentEnvironmentExtras,
  type FulfillmentHandlerOptions,
  type LexFulfillmentHandler,
  type RouteContext,
  type TurnLog,
  type WorkflowIntentConfig,
  type WorkflowIntentConfigs,
} from './fulfillment';
export { HISTORY_ATTRIBUTE, appendHistory, readHistory, type HistoryLimits, type HistoryTurn, type HistoryTurnInput } from './history';
export { parseLexEvent, slotValues, type ParseLexEventOptions } from './parse';
export { closeResponse, closeSilentCallFallback, delegateResponse, echoSlots, elicitIntentResponse } from './responses';
export { LEX_MAX_MESSAGES, LEX_RESPONSE_MAX_BYTES, LEX_SESSION_ATTRIBUTES_MAX_BYTES, guardLexResponse, type GuardLexResponseOptions } from './response-guard';
export { DENIED_ANSWER, START_FAILED_ANSWER, executionName, startWorkflowTurn, takesDemoRequest, type StartWorkflowOptions, type WorkflowTurn } from './workflow-start';
export type {
  LexConfirmationState,
  LexDialogActionType,
  LexInputMode,
  LexIntent,
  LexIntentState,
  LexInterpretation,
  LexInvocationSource,
  LexMessage,
  LexSessionState,
  LexSlot,
  LexSlotValue,
  LexV2Event,
  LexV2Response,
} from './types';
