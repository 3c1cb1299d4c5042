// cdk-fast-lex/testing: the offline test kit (Node only): Lex V2 event builders and local stand-ins for AWS services
// and Salesforce, driven by the real clients through endpoint overrides. Every server listens on 127.0.0.1 only.
export * from './lex-events';
export * from './lex-response';
export * from './local-server';
export * from './local-dynamodb';
export * from './moto-server';
export * from './bedrock-stand-in';
export * from './self-signed-certificate';
export * from './salesforce-stand-in';
export * from './connect-stand-in';
export * from './step-functions-stand-in';
export * from './local-workflow';
export * from './aws-json-proxy';
export { createWebChatTable } from './web-chat-table';
export {
  LEX_RUNTIME_ERRORS, LexAssemblyError, LexStandInError, MATCHING_METHOD, MAX_TEXT_LENGTH, classify, parseNumber, resolveSlotValue, spokenDigits, startLexStandIn,
  type AssemblyBotOptions, type BotCodeHook, type BotFulfillmentUpdates, type BotIntent, type BotLocale, type BotMessage, type BotMessageGroup,
  type BotPrompt, type BotResponse, type BotSlot, type BotSlotType, type Classification, type CodeHookCall, type IntentScore, type LexBotDefinition,
  type LexProgressMessage, type LexRuntimeErrorType, type LexStandIn, type LexStandInOptions, type LexTurnRecord, type ResolvedSlotValue,
  type RuntimeTurnResponse, type SlotResolutionContext, type VoiceTurnRequest, type VoiceTurnResult,
} from './lex-stand-in';
export {
  WEB_CHAT_SECURITY_HEADERS, startWebChatServer, webChatPageDirectory, webChatProxyFromAssembly,
  type WebChatProxyFromAssemblyOptions, type WebChatServer, type WebChatServerOptions,
} from './web-chat-server';
