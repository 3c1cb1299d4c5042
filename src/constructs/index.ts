export * from './call-context-source';
export * from './response-cache-table';
export * from './right-sized-function';
export * from './cached-lex-fulfillment';
export * from './demo-call-workflow';
export { LexCallFlow, PhoneNumberType } from './lex-call-flow';
export type { IOutboundCallFlow, LexCallFlowProps, LexCallFlowBaseProps, LexCallFlowFromJsonProps, PhoneNumberClaim } from './lex-call-flow';
export type { IWorkflowInputContract } from './workflow-input-contract';
