// LexWebChat: the chat page on CloudFront and its Lex proxy.
export { LexWebChat } from './lex-web-chat';
export type { LexWebChatProps, WebChatRateLimit } from './lex-web-chat';
export type { WebChatStreamingProps } from './streaming';
