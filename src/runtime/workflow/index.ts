// cdk-fast-lex/runtime/workflow: the lead-to-outbound-call workflow's steps, its call context (read by the Lex
// fulfillment handler during a call) and its named errors. Imports libphonenumber-js.
export { CALL_CONTEXT_PARTITION_KEY, CALL_CONTEXT_TTL_ATTRIBUTE, DEFAULT_CALL_CONTEXT_TTL_SECONDS } from '../../shared/call-context-schema';
export {
  CallContextStore,
  DEFAULT_SCENARIO_WAIT_MS,
  callContextReader,
  callKey,
  contactKey,
  getCallContext,
  type CallContextItem,
  type CallContextReaderOptions,
  type CallContextStoreOptions,
} from './call-context';
export { CALL_PACING_KEY, CallPacer, type CallPacerOptions, type CallSlot } from './call-pacer';
export { callContextStoreFromEnvironment, callPacerFromEnvironment, spentRequestStoreFromEnvironment, workflowModeFromEnvironment } from './environment';
export {
  DependencyUnavailableError,
  InvalidDemoRequestError,
  LeadServiceUnavailableError,
  LeadWriteError,
  OutboundCallRejectedError,
  OutboundCallThrottledError,
  ScenarioGenerationError,
  ScenarioGenerationThrottledError,
} from './errors';
export {
  DEFAULT_SCENARIO_PROMPT,
  createAwaitCallStep,
  createCallCompletedHandler,
  createCreateLeadStep,
  createGenerateScenarioStep,
  createInvokeOutboundCallStep,
  createUpdateLeadStep,
  createValidateStep,
  outcomeOf,
  type AwaitCallStepOptions,
  type CallCompletedHandlerOptions,
  type CallCompletedResult,
  type CreateLeadEvent,
  type CreateLeadStepOptions,
  type GenerateScenarioEvent,
  type GenerateScenarioStepOptions,
  type InvokeOutboundCallEvent,
  type InvokeOutboundCallStepOptions,
  type LeadWriter,
  type ScenarioModel,
  type UpdateLeadEvent,
  type UpdateLeadStepOptions,
  type ValidateEvent,
} from './steps';
export type {
  CallContext,
  CallOutcome,
  ConnectContactEvent,
  CreatedLead,
  DemoLead,
  DemoRequest,
  GeneratedScenario,
  PlacedCall,
  ValidatedDemoRequest,
} from './types';
export { contactOutcomeReader, type ContactOutcomeReader, type ContactOutcomeReaderOptions } from './contact-state';
export { publishSpentRequestKept, type WorkflowMetricsOptions } from './metrics';
export { UPDATE_LEAD_METRICS_SERVICE, WORKFLOW_METRICS_NAMESPACE, WorkflowMetric, type WorkflowMetricName } from '../../shared/workflow-metrics';
export { SPENT_REQUEST_TTL_SECONDS, SpentRequestStore, spentKey, type SpentRequest, type SpentRequestStoreOptions } from './spent-requests';
export { deriveClientToken, deriveInteractionKey, e164, validateDemoInput, validateDemoRequest, type PhoneNumberType, type PhoneRules, type ValidatedDemoInput } from './validate';
