// cdk-fast-lex/testing: the offline test kit (Node only): Lex V2 event builders and local stand-ins for AWS services
// and Salesforce, driven by the real clients through endpoint overrides. Every server listens on 127.0.0.1 only.
export { serviceUnavailable, startAwsJsonProxy, throttling, type AwsJsonError, type AwsJsonProxy } from './aws-json-proxy';
export {
  BEDROCK_ERROR_STATUS,
  BEDROCK_STAND_IN_DEFAULT_LATENCY,
  startBedrockStandIn,
  type BedrockErrorType,
  type BedrockStandIn,
  type BedrockStandInLatency,
  type BedrockStandInOptions,
  type BedrockStreamInterruption,
  type ConverseCall,
  type ConverseReply,
  type EmbeddingCall,
} from './bedrock-stand-in';
export { offlineAnswer, type OfflineAnswerRequest } from './bedrock-stand-in-answer';
export { STAND_IN_EMBEDDING_HEADER, TITAN_EMBED_TEXT_V2, standInEmbedding } from './bedrock-stand-in-embedding';
export { BEDROCK_STREAM_EXCEPTIONS, type BedrockStreamExceptionType } from './bedrock-stand-in-stream';
export {
  CONNECT_ERROR_STATUS,
  startConnectStandIn,
  type ConnectContactEventShape,
  type ConnectErrorType,
  type ConnectStandIn,
  type ConnectStandInOptions,
  type OutboundCallRecord,
  type OutboundCallRequest,
} from './connect-stand-in';
export {
  answerCallOffline,
  connectFlowFromTemplate,
  runConnectFlow,
  type ConnectFlowCall,
  type ConnectFlowFromTemplate,
  type ConnectFlowFromTemplateOptions,
  type ConnectFlowStep,
  type ConnectLexConversation,
  type ConnectLexOutcome,
  type OfflineCall,
  type OfflineCallOptions,
  type OfflineCallTurn,
  type OfflineCalleeAction,
  type RunConnectFlowOptions,
} from './connect-flow';
export { recordedExecution, type HistoryEvent, type RecordedExecution } from './execution-history';
export { lexEvent, scalarSlot, type LexEventOptions } from './lex-events';
export { lexResponseProblems } from './lex-response';
export {
  LEX_RUNTIME_ERRORS,
  LexAssemblyError, LexStandInError, MATCHING_METHOD, MAX_TEXT_LENGTH, MODELLED_BUILT_IN_SLOT_TYPES, classify, parseNumber, resolveSlotValue, spokenDigits, startLexStandIn,
  type AssemblyBotOptions, type BotCodeHook, type BotFulfillmentUpdates, type BotIntent, type BotLocale, type BotMessage, type BotMessageGroup,
  type BotPrompt, type BotResponse, type BotSlot, type BotSlotType, type Classification, type CodeHookCall, type IntentScore, type LexBotDefinition,
  type LexProgressMessage, type LexRuntimeErrorType, type LexStandIn, type LexStandInOptions, type LexTurnRecord, type ResolvedSlotValue,
  type RuntimeTurnResponse, type SlotResolutionContext, type VoiceTurnRequest, type VoiceTurnResult,
} from './lex-stand-in';
export {
  fastLexBotDefinition, lexExportDefinition, type FastLexBotDefinitionOptions, type LexExportDefinitionOptions,
} from './lex-stand-in/from-definition';
export { LOCAL_REGION, localBedrockClient, localSqsClient } from './local-clients';
export { createResponseCacheTable, localDynamoDbClient, startLocalDynamoDb, type LocalDynamoDbOptions } from './local-dynamodb';
export { LOCAL_CREDENTIALS, type LocalEndpoint } from './local-server';
export {
  LocalWorkflow,
  type FromTemplateOptions,
  type LocalExecution,
  type LocalLambda,
  type LocalStateRecord,
  type LocalTaskHandler,
  type LocalWorkflowOptions,
} from './local-workflow';
export { resetMotoServer, startMotoServer, type MotoServerOptions } from './moto-server';
export {
  JWT_BEARER_GRANT_TYPE,
  createJwtKeyPair,
  startSalesforceStandIn,
  type InjectedFailure,
  type SalesforceStandIn,
  type SalesforceStandInCounters,
  type SalesforceStandInLatency,
  type SalesforceStandInOptions,
  type StandInLead,
} from './salesforce-stand-in';
export { createSelfSignedCertificate, type SelfSignedCertificate, type SelfSignedCertificateOptions } from './self-signed-certificate';
export { createWebChatTable } from './web-chat-table';
export {
  startStepFunctionsStandIn,
  type PendingTask,
  type StartExecutionRequest,
  type StepFunctionsStandIn,
  type StepFunctionsStandInOptions,
  type TaskTokenResult,
} from './step-functions-stand-in';
export {
  WEB_CHAT_SECURITY_HEADERS,
  startWebChatServer,
  webChatPageDirectory,
  webChatProxyFromAssembly,
  type WebChatProxyFromAssemblyOptions, type WebChatServer, type WebChatServerOptions,
} from './web-chat-server';
