export * from './call-context-source';
export * from './response-cache-table';
export * from './right-sized-function';
export * from './cached-lex-fulfillment';
export * from './demo-call-workflow';
export { LexCallFlow, PhoneNumberType } from './lex-call-flow';
export type { IOutboundCallFlow, LexCallFlowProps, LexCallFlowBaseProps, LexCallFlowFromJsonProps, PhoneNumberClaim, VoiceInputTiming } from './lex-call-flow';
export { FastLexMetrics, FastLexMonitoring, LexRuntimeMetric } from './fast-lex-monitoring';
export type { CacheMetricOptions, FastLexAlarmThresholds, FastLexMonitoringProps, LexBotMetricsScope, LexOperationDimensions } from './fast-lex-monitoring';
export * from './lex-web-chat';
export type { IWorkflowInputContract } from './workflow-input-contract';
export { FastLexBot } from './fast-lex-bot';
export type {
  FastLexBotFromExportProps, FastLexBotProps, FastLexConfirmation, FastLexExportWorkflow, FastLexFulfillmentOptions, FastLexIntent, FastLexLocale,
  FastLexSlot, FastLexSlotType, FastLexSlotValue, FastLexVoice, FastLexWorkflowStart,
} from './fast-lex-bot';
