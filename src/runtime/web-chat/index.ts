// cdk-fast-lex/runtime/web-chat: the proxy between the chat page and Lex RecognizeText, for a Lambda function URL,
// buffered or with response streaming (new answers painted as Bedrock writes them).
// Imports @aws-sdk/client-dynamodb, @aws-sdk/client-lex-runtime-v2, @aws-sdk/client-sqs and @smithy/node-http-handler.
export {
  createWebChatProxy,
  lexSessionIdFor,
  webChatLexClient,
  webChatProxyOptionsFromEnvironment,
  WEB_CHAT_LEX_TIMEOUT_MS,
  type WebChatLexClientOptions,
  type FunctionUrlEvent,
  type FunctionUrlResult,
  type WebChatProxy,
  type WebChatProxyOptions,
} from './proxy';
export {
  STREAM_FAILURE_NOTICES,
  createStreamingWebChatProxy,
  streamingWebChatProxyOptionsFromEnvironment,
  type ResponseMetadata,
  type ResponseWriter,
  type StreamingWebChatProxy,
  type WebChatStreamingOptions,
} from './stream-proxy';
export { WebChatSessionStore, type Claim, type RateDecision, type WebChatSessionStoreOptions } from './session-store';
