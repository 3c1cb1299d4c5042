// cdk-fast-lex web chat runtime: the proxy between the chat page and Lex RecognizeText.
export { createWebChatProxy, lexSessionIdFor, webChatProxyOptionsFromEnvironment } from './proxy';
export type { FunctionUrlEvent, FunctionUrlResult, WebChatProxy, WebChatProxyOptions } from './proxy';
export { mapLexError, toWebChatResponse } from './lex-answer';
export type { MappedLexError } from './lex-answer';
export { WebChatSessionStore } from './session-store';
export type { Claim, RateDecision, WebChatSessionStoreOptions } from './session-store';
export { WebChatConfigurationError } from './errors';
