// The offline Amazon Connect flow: a synthesized flow read from its template and answered for one contact.
export { runConnectFlow } from './interpreter';
export type { ConnectLexOutcome, ConnectLexConversation, RunConnectFlowOptions, ConnectFlowStep, ConnectFlowCall } from './interpreter';
export { connectFlowFromTemplate } from './from-template';
export type { ConnectFlowFromTemplateOptions, ConnectFlowFromTemplate } from './from-template';
export { answerCallOffline, type OfflineCall, type OfflineCallOptions, type OfflineCallTurn, type OfflineCalleeAction } from './offline-call';
